package web

import (
	"math"
	"time"

	"copilote/internal/actionplan"
	"copilote/internal/apperr"
	"copilote/internal/ctg"
	"copilote/internal/evaluation"
	"copilote/internal/journal"
	"copilote/internal/store"
)

// What the API reads and writes, as api_openapi.json describes it: every
// field always present (null when unset), dates as AAAA-MM-JJ. The domain
// types stay the store's; these only translate.

type apiCTGSummary struct {
	ID         int64   `json:"id"`
	CafID      int64   `json:"caf_id"`
	CafName    string  `json:"caf_name"`
	Name       string  `json:"name"`
	EPCISIREN  string  `json:"epci_siren"`
	Population int     `json:"population"`
	Start      string  `json:"start"`
	End        string  `json:"end"`
	Posts      int     `json:"posts"`
	ETP        float64 `json:"etp"`
}

func ctgSummaryOut(c store.CTGSummary) apiCTGSummary {
	return apiCTGSummary{ID: c.ID, CafID: c.CafID, CafName: c.CafName, Name: c.Name, EPCISIREN: c.EPCISIREN,
		Population: c.Population, Start: c.Start.String(), End: c.End.String(), Posts: c.Posts, ETP: c.ETP.Float()}
}

type apiCTG struct {
	ID          int64              `json:"id"`
	CafID       int64              `json:"caf_id"`
	Name        string             `json:"name"`
	EPCISIREN   string             `json:"epci_siren"`
	Population  int                `json:"population"`
	Start       string             `json:"start"`
	End         string             `json:"end"`
	Axes        []string           `json:"axes"`
	Communes    []ctg.Commune      `json:"communes"`
	Signatories []ctg.Signatory    `json:"signatories"`
	Objectives  []ctg.DevObjective `json:"objectives"`
}

func ctgOut(c *ctg.CTG) apiCTG {
	return apiCTG{ID: c.ID, CafID: c.CafID, Name: c.Name, EPCISIREN: c.EPCISIREN, Population: c.Population,
		Start: c.Start.String(), End: c.End.String(), Axes: nonNil(c.Axes), Communes: nonNil(c.Communes),
		Signatories: nonNil(c.Signatories), Objectives: nonNil(c.Objectives)}
}

func nonNil[T any](s []T) []T {
	if s == nil {
		return []T{}
	}
	return s
}

// apiPostInput is a post as a client writes it.
type apiPostInput struct {
	Person       string   `json:"person"`
	Employer     string   `json:"employer"`
	UserID       *int64   `json:"user_id"`
	ETP          float64  `json:"etp"`
	Start        string   `json:"start"`
	End          *string  `json:"end"`
	ChefDeProjet bool     `json:"chef_de_projet"`
	Functions    []string `json:"functions"`
	Axes         []string `json:"axes"`
	AnnualCost   int64    `json:"annual_cost"`
	CafCofunding int64    `json:"caf_cofunding"`
}

type apiPost struct {
	ID    int64 `json:"id"`
	CTGID int64 `json:"ctg_id"`
	apiPostInput
}

func postOut(p ctg.Post) apiPost {
	return apiPost{ID: p.ID, CTGID: p.CTGID, apiPostInput: apiPostInput{Person: p.Person, Employer: p.Employer,
		UserID: idOut(p.UserID), ETP: p.ETP.Float(), Start: p.Start.String(), End: dateOut(p.End),
		ChefDeProjet: p.ChefDeProjet, Functions: nonNil(p.Functions), Axes: nonNil(p.Axes), AnnualCost: p.AnnualCost,
		CafCofunding: p.CafCofunding}}
}

func (in apiPostInput) post(f apperr.Fields) ctg.Post {
	p := ctg.Post{Person: in.Person, Employer: in.Employer, UserID: idIn(in.UserID), ETP: ctg.ETP(math.Round(in.ETP * 100)),
		Start: apiDate(f, "start", in.Start), ChefDeProjet: in.ChefDeProjet, Functions: in.Functions, Axes: in.Axes,
		AnnualCost: in.AnnualCost, CafCofunding: in.CafCofunding}
	if in.End != nil {
		p.End = apiDate(f, "end", *in.End)
	}
	return p
}

// apiRecordInput is a journal record as a client writes it; the fields a
// kind does not use stay empty (GET /api/v1/docs lists them per kind).
type apiRecordInput struct {
	Kind                string    `json:"kind"`
	Date                string    `json:"date"`
	PostID              int64     `json:"post_id"`
	Title               string    `json:"title"`
	Comment             string    `json:"comment"`
	InstanceID          *int64    `json:"instance_id"`
	ActionID            *int64    `json:"action_id"`
	MeetingID           *int64    `json:"meeting_id"`
	Axis                string    `json:"axis"`
	Nature              string    `json:"nature"`
	Audience            string    `json:"audience"`
	InstanceKind        string    `json:"instance_kind"`
	Facilitated         bool      `json:"facilitated"`
	Innovative          bool      `json:"innovative"`
	Network             bool      `json:"network"`
	HabitantsConception bool      `json:"habitants_conception"`
	HabitantsEvaluation bool      `json:"habitants_evaluation"`
	Status              string    `json:"status"`
	Origin              string    `json:"origin"`
	TakenOn             *string   `json:"taken_on"`
	TakenHow            string    `json:"taken_how"`
	RequestsExamined    int       `json:"requests_examined"`
	PlacesAllocated     int       `json:"places_allocated"`
	LinkedOn            *string   `json:"linked_on"`
	LinkedInstanceID    *int64    `json:"linked_instance_id"`
	PartnerIDs          []int64   `json:"partner_ids"`
	Roles               []apiRole `json:"roles"`
}

type apiRole struct {
	PostID int64  `json:"post_id"`
	Role   string `json:"role"`
}

type apiRecord struct {
	ID    int64 `json:"id"`
	CTGID int64 `json:"ctg_id"`
	apiRecordInput
	UpdatedAt time.Time `json:"updated_at"`
}

func recordOut(r journal.Record) apiRecord {
	out := apiRecord{ID: r.ID, CTGID: r.CTGID, UpdatedAt: r.UpdatedAt.UTC(), apiRecordInput: apiRecordInput{
		Kind: string(r.Kind), Date: r.Date.String(), PostID: r.PostID, Title: r.Title, Comment: r.Comment,
		InstanceID: idOut(r.InstanceID), ActionID: idOut(r.ActionID), MeetingID: idOut(r.MeetingID), Axis: r.Axis,
		Nature: r.Nature, Audience: r.Audience, InstanceKind: r.InstanceKind, Facilitated: r.Facilitated,
		Innovative: r.Innovative, Network: r.Network, HabitantsConception: r.HabitantsConception,
		HabitantsEvaluation: r.HabitantsEvaluation, Status: r.Status, Origin: r.Origin, TakenOn: dateOut(r.TakenOn),
		TakenHow: r.TakenHow, RequestsExamined: r.RequestsExamined, PlacesAllocated: r.PlacesAllocated,
		LinkedOn: dateOut(r.LinkedOn), LinkedInstanceID: idOut(r.LinkedInstanceID), PartnerIDs: nonNil(r.PartnerIDs),
		Roles: []apiRole{}}}
	for _, ro := range r.Roles {
		out.Roles = append(out.Roles, apiRole(ro))
	}
	return out
}

func (in apiRecordInput) record(f apperr.Fields, ctgID int64) journal.Record {
	r := journal.Record{Kind: journal.Kind(in.Kind), CTGID: ctgID, PostID: in.PostID, Date: apiDate(f, "date", in.Date),
		Title: in.Title, Comment: in.Comment, InstanceID: idIn(in.InstanceID), ActionID: idIn(in.ActionID),
		MeetingID: idIn(in.MeetingID), Axis: in.Axis, Nature: in.Nature, Audience: in.Audience,
		InstanceKind: in.InstanceKind, Facilitated: in.Facilitated, Innovative: in.Innovative, Network: in.Network,
		HabitantsConception: in.HabitantsConception, HabitantsEvaluation: in.HabitantsEvaluation, Status: in.Status,
		Origin: in.Origin, TakenHow: in.TakenHow, RequestsExamined: in.RequestsExamined,
		PlacesAllocated: in.PlacesAllocated, LinkedInstanceID: idIn(in.LinkedInstanceID), PartnerIDs: in.PartnerIDs}
	if in.TakenOn != nil {
		r.TakenOn = apiDate(f, "taken_on", *in.TakenOn)
	}
	if in.LinkedOn != nil {
		r.LinkedOn = apiDate(f, "linked_on", *in.LinkedOn)
	}
	for _, ro := range in.Roles {
		r.Roles = append(r.Roles, journal.Role(ro))
	}
	return r
}

// apiActionInput is a fiche action as a client writes it; its status and
// progress move only with progress updates, as in the pages.
type apiActionInput struct {
	Code           string                 `json:"code"`
	Title          string                 `json:"title"`
	Axis           string                 `json:"axis"`
	Objective      string                 `json:"objective"`
	Finding        string                 `json:"finding"`
	PilotStructure string                 `json:"pilot_structure"`
	PilotPerson    string                 `json:"pilot_person"`
	TargetPublic   string                 `json:"target_public"`
	Steps          string                 `json:"steps"`
	Start          *string                `json:"start"`
	End            *string                `json:"end"`
	BudgetPlanned  int64                  `json:"budget_planned"`
	BudgetActual   int64                  `json:"budget_actual"`
	CafLever       string                 `json:"caf_lever"`
	Priority       bool                   `json:"priority"`
	Partners       []actionplan.Partner   `json:"partners"`
	Communes       []string               `json:"communes"`
	Milestones     []actionplan.Milestone `json:"milestones"`
	Cofunders      []actionplan.Cofunder  `json:"cofunders"`
	Indicators     []actionplan.Indicator `json:"indicators"`
}

type apiAction struct {
	ID    int64 `json:"id"`
	CTGID int64 `json:"ctg_id"`
	apiActionInput
	Status    string    `json:"status"`
	Progress  int       `json:"progress"`
	UpdatedAt time.Time `json:"updated_at"`
}

func actionOut(a actionplan.Action) apiAction {
	partners := append([]actionplan.Partner{}, a.Partners...)
	return apiAction{ID: a.ID, CTGID: a.CTGID, Status: a.Status, Progress: a.Progress, UpdatedAt: a.UpdatedAt.UTC(),
		apiActionInput: apiActionInput{Code: a.Code, Title: a.Title, Axis: a.Axis, Objective: a.Objective,
			Finding: a.Finding, PilotStructure: a.PilotStructure, PilotPerson: a.PilotPerson,
			TargetPublic: a.TargetPublic, Steps: a.Steps, Start: dateOut(a.Start), End: dateOut(a.End),
			BudgetPlanned: a.BudgetPlanned, BudgetActual: a.BudgetActual, CafLever: a.CafLever, Priority: a.Priority,
			Partners: partners, Communes: nonNil(a.Communes), Milestones: nonNil(a.Milestones),
			Cofunders: nonNil(a.Cofunders), Indicators: nonNil(a.Indicators)}}
}

func (in apiActionInput) action(f apperr.Fields, ctgID int64) actionplan.Action {
	a := actionplan.Action{CTGID: ctgID, Code: in.Code, Title: in.Title, Axis: in.Axis, Objective: in.Objective,
		Finding: in.Finding, PilotStructure: in.PilotStructure, PilotPerson: in.PilotPerson,
		TargetPublic: in.TargetPublic, Steps: in.Steps, BudgetPlanned: in.BudgetPlanned, BudgetActual: in.BudgetActual,
		CafLever: in.CafLever, Priority: in.Priority, Partners: in.Partners, Communes: in.Communes,
		Milestones: in.Milestones, Cofunders: in.Cofunders, Indicators: in.Indicators}
	if in.Start != nil {
		a.Start = apiDate(f, "start", *in.Start)
	}
	if in.End != nil {
		a.End = apiDate(f, "end", *in.End)
	}
	return a
}

type apiUpdateInput struct {
	PostID       *int64 `json:"post_id"`
	Date         string `json:"date"`
	Status       string `json:"status"`
	Percent      int    `json:"percent"`
	Difficulties string `json:"difficulties"`
}

type apiUpdate struct {
	ID            int64  `json:"id"`
	ActionID      int64  `json:"action_id"`
	PostID        int64  `json:"post_id"`
	Date          string `json:"date"`
	Status        string `json:"status"`
	Percent       int    `json:"percent"`
	Difficulties  string `json:"difficulties"`
	AlertRecordID *int64 `json:"alert_record_id"`
}

func updateOut(u actionplan.Update) apiUpdate {
	return apiUpdate{ID: u.ID, ActionID: u.ActionID, PostID: u.PostID, Date: u.Date.String(), Status: u.Status,
		Percent: u.Percent, Difficulties: u.Difficulties, AlertRecordID: idOut(u.AlertRecordID)}
}

type apiPartnerInput struct {
	Name  string `json:"name"`
	Type  string `json:"type"`
	SIRET string `json:"siret"`
}

type apiPartner struct {
	ID    int64 `json:"id"`
	CafID int64 `json:"caf_id"`
	apiPartnerInput
}

type apiPartnerRow struct {
	apiPartner
	Records    int     `json:"records"`
	FirstInCTG *string `json:"first_in_ctg"`
}

type apiWave struct {
	ID        int64    `json:"id"`
	CTGID     int64    `json:"ctg_id"`
	Audience  string   `json:"audience"`
	Kind      string   `json:"kind"`
	Date      string   `json:"date"`
	Closes    string   `json:"closes"`
	Closed    bool     `json:"closed"`
	Responses int      `json:"responses"`
	Paper     int      `json:"paper"`
	Mean      *float64 `json:"mean"`
}

func waveOut(w store.WaveStats) apiWave {
	out := apiWave{ID: w.ID, CTGID: w.CTGID, Audience: w.Audience, Kind: w.Kind, Date: w.Date.String(),
		Closes: w.Closes.String(), Closed: !w.ClosedAt.IsZero(), Responses: w.Responses, Paper: w.Paper}
	if w.Responses > 0 {
		m := w.Mean
		out.Mean = &m
	}
	return out
}

type apiAppraisal struct {
	Function      string `json:"function"`
	Level         string `json:"level"`
	Comment       string `json:"comment"`
	ReviewLevel   string `json:"review_level"`
	ReviewComment string `json:"review_comment"`
}

type apiEvaluation struct {
	ID              int64          `json:"id"`
	CTGID           int64          `json:"ctg_id"`
	PostID          int64          `json:"post_id"`
	From            string         `json:"from"`
	To              string         `json:"to"`
	Status          string         `json:"status"`
	Strengths       string         `json:"strengths"`
	Difficulties    string         `json:"difficulties"`
	Recommendations string         `json:"recommendations"`
	Review          string         `json:"review"`
	Appraisals      []apiAppraisal `json:"appraisals"`
	SubmittedAt     *time.Time     `json:"submitted_at"`
	ValidatedAt     *time.Time     `json:"validated_at"`
	ValidatedBy     string         `json:"validated_by"`
}

func evaluationOut(e evaluation.Evaluation) apiEvaluation {
	out := apiEvaluation{ID: e.ID, CTGID: e.CTGID, PostID: e.PostID, From: e.From.String(), To: e.To.String(),
		Status: string(e.Status), Strengths: e.Strengths, Difficulties: e.Difficulties,
		Recommendations: e.Recommendations, Review: e.Review, Appraisals: []apiAppraisal{},
		SubmittedAt: timeOut(e.SubmittedAt), ValidatedAt: timeOut(e.ValidatedAt), ValidatedBy: e.ValidatedByName}
	for _, a := range e.Appraisals {
		out.Appraisals = append(out.Appraisals, apiAppraisal(a))
	}
	return out
}

func timeOut(t time.Time) *time.Time {
	if t.IsZero() {
		return nil
	}
	u := t.UTC()
	return &u
}

// fieldsOr returns the field errors f gathered, or err.
func fieldsOr(f apperr.Fields, err error) error {
	if len(f) > 0 {
		if err != nil {
			if e := apperr.As(err); e.Code == apperr.Invalid {
				for k, v := range e.Fields {
					if _, ok := f[k]; !ok {
						f[k] = v
					}
				}
			}
		}
		return f.Err()
	}
	return err
}
