// Package evaluation is the end-of-period evaluation of a cooperation
// officer's post (DOMAIN.md, "Évaluation"; rules 2 and 7): the officer
// appraises each function delegated to the post against the attendus of
// the job reference, the Caf's territorial advisor reviews it, and once
// validated its document is frozen. It holds the workflow, the reading of
// Tableau 1 by function, the cost of a post over a period and the
// comparison of a frozen document with today's; no SQL, no HTTP.
package evaluation

import (
	"fmt"
	"slices"
	"strings"
	"time"

	"copilote/internal/apperr"
	"copilote/internal/civil"
	"copilote/internal/ctg"
	"copilote/internal/msg"
	"copilote/internal/nomenclature"
)

// Status is where an evaluation stands in its workflow.
type Status string

// The workflow: the officer writes a draft and submits it; the advisor
// returns it (the officer edits and submits again) or validates it, which
// freezes it; a Caf administrator may reopen a validated evaluation, which
// goes back to the advisor as submitted.
const (
	Draft     Status = "brouillon"
	Submitted Status = "soumise"
	Returned  Status = "renvoyee"
	Validated Status = "validee"
)

var statusLabels = map[Status]string{
	Draft:     "Brouillon",
	Submitted: "Soumise au conseiller territorial",
	Returned:  "Renvoyée au chargé(e) de coopération",
	Validated: "Validée et figée",
}

// Label is the status in French.
func (s Status) Label() string {
	if l, ok := statusLabels[s]; ok {
		return l
	}
	return string(s)
}

// Statuses lists every status in workflow order.
var Statuses = []Status{Draft, Submitted, Returned, Validated}

// Lengths the forms accept.
const (
	maxComment = 4000
	maxText    = 8000
)

// Evaluation is one evaluation of one post over one period.
type Evaluation struct {
	ID     int64
	PostID int64
	CTGID  int64
	From   civil.Date
	To     civil.Date
	Status Status
	// The officer's free sections.
	Strengths       string
	Difficulties    string
	Recommendations string
	// Review is the advisor's overall opinion, which a return explains.
	Review     string
	Appraisals []Appraisal
	// Frozen at validation: the document as JSON, when and by whom (the
	// name as it was, kept even if the account goes).
	Snapshot        string
	ValidatedAt     time.Time
	ValidatedBy     int64
	ValidatedByName string
	SubmittedAt     time.Time
	CreatedAt       time.Time
	UpdatedAt       time.Time
}

// Appraisal is one delegated function as the officer appraises it
// (Level, Comment) and as the advisor reviews it: ReviewLevel is set only
// when the advisor disagrees with the officer's level.
type Appraisal struct {
	Function      string
	Level         string // nomenclature.Appraisal: atteint, partiel, non_atteint; "" not yet
	Comment       string
	ReviewLevel   string
	ReviewComment string
}

// Final is the level that counts: the advisor's when they set one.
func (a Appraisal) Final() string {
	if a.ReviewLevel != "" {
		return a.ReviewLevel
	}
	return a.Level
}

// Appraisal returns the appraisal of function fn (empty when none).
func (e *Evaluation) Appraisal(fn string) Appraisal {
	for _, a := range e.Appraisals {
		if a.Function == fn {
			return a
		}
	}
	return Appraisal{Function: fn}
}

// Frozen tells whether the evaluation shows its snapshot.
func (e *Evaluation) Frozen() bool { return e.Status == Validated && e.Snapshot != "" }

// OfficerCanEdit: the officer's part is written while draft or returned.
func (e *Evaluation) OfficerCanEdit() bool { return e.Status == Draft || e.Status == Returned }

// AdvisorCanReview: the advisor's part is written once submitted.
func (e *Evaluation) AdvisorCanReview() bool { return e.Status == Submitted }

// transitions lists the moves of the workflow.
var transitions = map[Status][]Status{
	Draft:     {Submitted},
	Returned:  {Submitted},
	Submitted: {Returned, Validated},
	Validated: {Submitted}, // reopened by a Caf administrator
}

// CanMove tells whether the workflow allows going from the evaluation's
// status to next.
func (e *Evaluation) CanMove(next Status) bool { return slices.Contains(transitions[e.Status], next) }

// Move checks a move of the workflow: a move the status does not allow
// (two people acting on one evaluation) is a conflict.
func (e *Evaluation) Move(next Status) error {
	if !e.CanMove(next) {
		return apperr.New(apperr.Conflict, msg.EvaluationStatus, e.Status.Label())
	}
	return nil
}

// ConventionPeriod is the period an officer may open their post's
// evaluation on by themselves: the CTG's convention.
func ConventionPeriod(c ctg.CTG) (civil.Date, civil.Date) { return c.Start, c.End }

// ValidatePeriod checks a new evaluation's period: within the calendar
// years of the convention (what every page of a CTG reads), and covering
// at least a day of the post.
func ValidatePeriod(from, to civil.Date, c ctg.CTG, p ctg.Post) error {
	f := apperr.Fields{}
	if from.IsZero() {
		f.Add("from", msg.Required)
	}
	if to.IsZero() {
		f.Add("to", msg.Required)
	}
	if err := f.Err(); err != nil {
		return err
	}
	first, last := civil.YearStart(c.Start.Year), civil.YearEnd(c.End.Year)
	switch {
	case to.Before(from):
		f.Add("to", msg.DateOrder)
	case !from.Within(first, last) || !to.Within(first, last):
		f.Add("from", msg.PeriodOutsideCTG, first.French(), last.French())
	case PostDays(p, from, to) == 0:
		f.Add("from", msg.EvaluationPeriodPost, postSpan(p))
	}
	return f.Err()
}

func postSpan(p ctg.Post) string {
	if p.End.IsZero() {
		return "depuis le " + p.Start.French()
	}
	return "du " + p.Start.French() + " au " + p.End.French()
}

// SetOfficerPart checks and applies what the officer writes: an
// appraisal of delegated functions only (rule 2), levels from the
// Caf's list, texts within bounds. The advisor's review is kept.
func (e *Evaluation) SetOfficerPart(p ctg.Post, n *nomenclature.Set, in Evaluation) error {
	f := apperr.Fields{}
	for _, a := range in.Appraisals {
		if !p.Delegates(a.Function) {
			return apperr.New(apperr.Invalid, msg.EvaluationNotDelegated, a.Function)
		}
		if a.Level != "" && !n.Has(nomenclature.Appraisal, a.Level) {
			f.Add("level_"+a.Function, msg.InvalidChoice)
		}
		checkLength(f, "comment_"+a.Function, a.Comment, maxComment)
	}
	checkLength(f, "strengths", in.Strengths, maxText)
	checkLength(f, "difficulties", in.Difficulties, maxText)
	checkLength(f, "recommendations", in.Recommendations, maxText)
	if err := f.Err(); err != nil {
		return err
	}
	e.Strengths, e.Difficulties, e.Recommendations = clean(in.Strengths), clean(in.Difficulties), clean(in.Recommendations)
	for _, a := range in.Appraisals {
		cur := e.Appraisal(a.Function)
		cur.Level, cur.Comment = a.Level, clean(a.Comment)
		e.setAppraisal(cur)
	}
	return nil
}

// SetReview checks and applies what the advisor writes: a level only where
// they disagree, a comment per function, an overall opinion.
func (e *Evaluation) SetReview(p ctg.Post, n *nomenclature.Set, in Evaluation) error {
	f := apperr.Fields{}
	for _, a := range in.Appraisals {
		if !p.Delegates(a.Function) {
			return apperr.New(apperr.Invalid, msg.EvaluationNotDelegated, a.Function)
		}
		if a.ReviewLevel != "" && !n.Has(nomenclature.Appraisal, a.ReviewLevel) {
			f.Add("review_level_"+a.Function, msg.InvalidChoice)
		}
		checkLength(f, "review_comment_"+a.Function, a.ReviewComment, maxComment)
	}
	checkLength(f, "review", in.Review, maxText)
	if err := f.Err(); err != nil {
		return err
	}
	e.Review = clean(in.Review)
	for _, a := range in.Appraisals {
		cur := e.Appraisal(a.Function)
		cur.ReviewLevel, cur.ReviewComment = a.ReviewLevel, clean(a.ReviewComment)
		e.setAppraisal(cur)
	}
	return nil
}

// CheckSubmit: the officer submits once every delegated function has its
// level.
func (e *Evaluation) CheckSubmit(p ctg.Post) error {
	if err := e.Move(Submitted); err != nil {
		return err
	}
	f := apperr.Fields{}
	for _, fn := range p.Functions {
		if e.Appraisal(fn).Level == "" {
			f.Add("level_"+fn, msg.EvaluationLevelMissing, fn)
		}
	}
	return f.Err()
}

// CheckReturn: the advisor says why in their overall opinion.
func (e *Evaluation) CheckReturn() error {
	if err := e.Move(Returned); err != nil {
		return err
	}
	if strings.TrimSpace(e.Review) == "" {
		f := apperr.Fields{}
		f.Add("review", msg.EvaluationReturnWhy)
		return f.Err()
	}
	return nil
}

// CheckReopen: a reason is required, and kept in the audit.
func (e *Evaluation) CheckReopen(reason string) error {
	if err := e.Move(Submitted); err != nil {
		return err
	}
	f := apperr.Fields{}
	f.Required("reason", strings.TrimSpace(reason))
	checkLength(f, "reason", reason, maxComment)
	return f.Err()
}

func (e *Evaluation) setAppraisal(a Appraisal) {
	for i := range e.Appraisals {
		if e.Appraisals[i].Function == a.Function {
			e.Appraisals[i] = a
			return
		}
	}
	e.Appraisals = append(e.Appraisals, a)
	slices.SortFunc(e.Appraisals, func(x, y Appraisal) int { return strings.Compare(x.Function, y.Function) })
}

func checkLength(f apperr.Fields, field, s string, max int) {
	if len([]rune(s)) > max {
		f.Add(field, msg.TooLong, max)
	}
}

// clean trims a text and makes its line ends plain.
func clean(s string) string {
	return strings.TrimSpace(strings.ReplaceAll(s, "\r\n", "\n"))
}

// Paragraphs cuts a free text at its blank lines, for documents.
func Paragraphs(s string) []string {
	var out []string
	for _, p := range strings.Split(clean(s), "\n\n") {
		if p = strings.TrimSpace(p); p != "" {
			out = append(out, p)
		}
	}
	return out
}

// Describe names an evaluation in lists: "du 01/01/2023 au 31/12/2026".
func (e *Evaluation) Describe() string {
	return fmt.Sprintf("du %s au %s", e.From.French(), e.To.French())
}
