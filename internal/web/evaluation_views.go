package web

import (
	"net/http"

	"copilote/internal/account"
	"copilote/internal/apperr"
	"copilote/internal/civil"
	"copilote/internal/ctg"
	"copilote/internal/document"
	"copilote/internal/evaluation"
	"copilote/internal/msg"
	"copilote/internal/report"
	"copilote/internal/store"
)

// The views above the post (issue 10, item 3): a CTG's evaluation, with
// the form that opens a post's evaluation, and the summaries of a Caf's
// and of every Caf's evaluations. Each is a document, answered as a page
// or a PDF.

// evaluationsView is a CTG's evaluation page.
type evaluationsView struct {
	*ctgEnv
	*form
	Doc         document.Document
	PeriodLabel string
	// Creatable are the posts the user may open an evaluation of.
	Creatable  []ctg.Post
	Convention string
}

func (s *Server) evaluationsView(r *http.Request) (*evaluationsView, error) {
	e, err := s.env(r)
	if err != nil {
		return nil, err
	}
	v := &evaluationsView{ctgEnv: e, form: newForm(r.URL.Query())}
	p, label, err := readPeriod(v.form, e.CTG.Start, e.CTG.End)
	if err != nil {
		return nil, err
	}
	v.PeriodLabel = label
	if v.Doc, err = report.CTGEvaluation(r.Context(), s.db, e.CTG.ID, p, civil.Today()); err != nil {
		return nil, err
	}
	from, to := evaluation.ConventionPeriod(*e.CTG)
	evals, err := s.db.EvaluationsOfCTG(r.Context(), e.CTG.ID)
	if err != nil {
		return nil, err
	}
	for _, p := range e.Posts {
		if e.canCreateFor(p) && (e.CanManage() || !hasEvaluation(evals, p.ID, from, to)) {
			v.Creatable = append(v.Creatable, p)
		}
	}
	v.Convention = "du " + from.French() + " au " + to.French()
	v.form = newForm(map[string][]string{"from": {from.String()}, "to": {to.String()}})
	return v, nil
}

// hasEvaluation tells whether post has an evaluation over from … to: an
// officer, who may open one over the convention only, is not offered a
// second.
func hasEvaluation(evals []evaluation.Evaluation, post int64, from, to civil.Date) bool {
	for _, e := range evals {
		if e.PostID == post && e.From == from && e.To == to {
			return true
		}
	}
	return false
}

func (v *evaluationsView) crumbs() []crumb {
	return []crumb{{"Accueil", "/"}, {v.CTG.Name, ctgURL(v.CTG.ID)}, {"Évaluation", ""}}
}

func (s *Server) evaluationsCTG(w http.ResponseWriter, r *http.Request) error {
	v, err := s.evaluationsView(r)
	if err != nil {
		return err
	}
	if r.URL.Query().Get("format") == "pdf" {
		return s.sendDocument(w, r, v.Doc, v.crumbs()...)
	}
	return s.renderEvaluations(w, r, v, http.StatusOK)
}

func (s *Server) renderEvaluations(w http.ResponseWriter, r *http.Request, v *evaluationsView, status int) error {
	s.render(w, r, status, "evaluations", v.Doc.Title, v, v.crumbs()...)
	return nil
}

// cafEvaluations is the summary of a Caf's evaluations: its
// administrators' own Caf, any Caf (?caf=) for the national reader.
func (s *Server) cafEvaluations(w http.ResponseWriter, r *http.Request) error {
	p := principalOf(r)
	f := newForm(r.URL.Query())
	caf, err := s.db.Caf(r.Context(), p.User.CafID)
	if p.User.Role == account.National {
		caf, err = s.db.CafByCode(r.Context(), f.str("caf"))
	} else if !p.CanAdminister(p.User.CafID) {
		return apperr.New(apperr.Forbidden, msg.ErrForbidden)
	}
	if err != nil {
		return err
	}
	ctgs, err := s.db.CTGs(r.Context(), store.Scope{CafID: caf.ID})
	if err != nil {
		return err
	}
	period, _, _, err := comparePeriod(f, ctgs)
	if err != nil {
		return err
	}
	doc, err := report.EvaluationSummary(r.Context(), s.db, report.SummaryScope{Caf: caf}, period)
	if err != nil {
		return err
	}
	return s.sendDocument(w, r, doc, crumb{"Accueil", "/"}, crumb{"Évaluations de la Caf", ""})
}

// nationalEvaluations is the national summary, aggregated: rows are Cafs,
// no person is named, no cost is given per post.
func (s *Server) nationalEvaluations(w http.ResponseWriter, r *http.Request) error {
	if principalOf(r).User.Role != account.National {
		return apperr.New(apperr.Forbidden, msg.ErrForbidden)
	}
	f := newForm(r.URL.Query())
	ctgs, err := s.db.CTGs(r.Context(), store.Scope{All: true})
	if err != nil {
		return err
	}
	period, _, _, err := comparePeriod(f, ctgs)
	if err != nil {
		return err
	}
	doc, err := report.EvaluationSummary(r.Context(), s.db, report.SummaryScope{National: true}, period)
	if err != nil {
		return err
	}
	return s.sendDocument(w, r, doc, crumb{"Accueil", "/"}, crumb{"Évaluations nationales", ""})
}
