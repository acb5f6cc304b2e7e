package web

import (
	"context"
	"encoding/json"
	"net/http"
	"strconv"

	"copilote/internal/apperr"
	"copilote/internal/authz"
	"copilote/internal/civil"
	"copilote/internal/ctg"
	"copilote/internal/evaluation"
	"copilote/internal/framework"
	"copilote/internal/msg"
	"copilote/internal/nomenclature"
	"copilote/internal/report"
	"copilote/internal/store"
)

// The evaluation of a post (issue 10, item 2), its page and its workflow.
// Who does what:
//   - the post's holder (an officer) writes the self-appraisal and the
//     free sections while the evaluation is a draft or returned, and
//     submits it;
//   - the Caf's territorial advisor (Manage on the CTG; an administrator
//     too) reviews a submitted evaluation, may set a level of their own
//     where they disagree, and returns it or validates it, which freezes
//     its document;
//   - a Caf administrator (Administer) reopens a validated evaluation,
//     with a reason the audit keeps; it goes back to the advisor;
//   - everyone who views the CTG reads it (Copil, national included).
// Opening an evaluation: the advisor, for the post and period they set
// (within the convention's years); the holder, for their post over the
// convention only.

// evaluationView is a post's evaluation page.
type evaluationView struct {
	*ctgEnv
	*form
	report.Shown
	Post      ctg.Post
	Functions []framework.Function // the delegated ones
	Levels    []nomenclature.Value
	History   []historyLine
	IsHolder  bool
	CanReview bool
	CanReopen bool
}

type historyLine struct {
	At, Who, What, Note string
}

// evaluationURL is the page of evaluation id of CTG ctgID.
func evaluationURL(ctgID, id int64) string {
	return ctgURL(ctgID) + "/evaluations/" + strconv.FormatInt(id, 10)
}

// loadEvaluation reads the evaluation of the path, which must belong to a
// post of the CTG the policy authorized: another CTG's evaluation named
// through this one does not exist. Its document is read by withDocument,
// for the requests that show it.
func (s *Server) loadEvaluation(r *http.Request) (*evaluationView, error) {
	e, err := s.env(r)
	if err != nil {
		return nil, err
	}
	ev, err := s.db.Evaluation(r.Context(), toID(r.PathValue("id")))
	if apperr.CodeOf(err) == apperr.NotFound || err == nil && ev.CTGID != e.CTG.ID {
		return nil, apperr.NotFoundf(msg.NotFoundEvaluation)
	}
	if err != nil {
		return nil, err
	}
	p, ok := e.PostByID[ev.PostID]
	if !ok {
		return nil, apperr.NotFoundf(msg.NotFoundEvaluation)
	}
	shown := report.Shown{Evaluation: ev}
	v := &evaluationView{ctgEnv: e, Shown: shown, Post: p, Levels: e.Nom.Values(nomenclature.Appraisal),
		IsHolder: e.User.Posts[p.ID] == e.CTG.ID, CanReview: e.CanManage(), CanReopen: e.CanAdmin()}
	for _, code := range p.Functions {
		if fn, ok := framework.Load().Function(code); ok {
			v.Functions = append(v.Functions, fn)
		}
	}
	v.form = newForm(evaluationValues(&ev))
	return v, nil
}

// withDocument reads the document the page shows: the frozen one of a
// validated evaluation, with what differs today; today's otherwise.
func (s *Server) withDocument(r *http.Request, v *evaluationView) error {
	shown, err := report.ShownEvaluation(r.Context(), s.db, v.Evaluation.ID, civil.Today())
	v.Shown = shown
	return err
}

// evaluationValues fills the forms with what is stored.
func evaluationValues(e *evaluation.Evaluation) map[string][]string {
	v := map[string][]string{"strengths": {e.Strengths}, "difficulties": {e.Difficulties},
		"recommendations": {e.Recommendations}, "review": {e.Review}}
	for _, a := range e.Appraisals {
		v["level_"+a.Function], v["comment_"+a.Function] = []string{a.Level}, []string{a.Comment}
		v["review_level_"+a.Function], v["review_comment_"+a.Function] = []string{a.ReviewLevel}, []string{a.ReviewComment}
	}
	return v
}

// OfficerForm and ReviewForm say which form the page offers.
func (v *evaluationView) OfficerForm() bool { return v.IsHolder && v.Evaluation.OfficerCanEdit() }
func (v *evaluationView) ReviewForm() bool  { return v.CanReview && v.Evaluation.AdvisorCanReview() }
func (v *evaluationView) ReopenForm() bool {
	return v.CanReopen && v.Evaluation.Status == evaluation.Validated
}

// LevelLabel names a level with the Caf's list.
func (v *evaluationView) LevelLabel(code string) string {
	if code == "" {
		return "non renseignée"
	}
	return v.Nom.Label(nomenclature.Appraisal, code)
}

func (v *evaluationView) crumbs() []crumb {
	return []crumb{{"Accueil", "/"}, {v.CTG.Name, ctgURL(v.CTG.ID)}, {"Évaluation", ctgURL(v.CTG.ID) + "/evaluations"},
		{v.Post.Person, ""}}
}

func (s *Server) evaluationShow(w http.ResponseWriter, r *http.Request) error {
	v, err := s.loadEvaluation(r)
	if err == nil {
		err = s.withDocument(r, v)
	}
	if err != nil {
		return err
	}
	if r.URL.Query().Get("format") == "pdf" {
		return s.sendDocument(w, r, v.Doc, v.crumbs()...)
	}
	return s.renderEvaluation(w, r, v, http.StatusOK)
}

func (s *Server) renderEvaluation(w http.ResponseWriter, r *http.Request, v *evaluationView, status int) error {
	if v.Doc.Kind == "" { // a form refused: the document was not read yet
		if err := s.withDocument(r, v); err != nil {
			return err
		}
	}
	if err := s.history(r.Context(), v); err != nil {
		return err
	}
	s.render(w, r, status, "evaluation", v.Doc.Title, v, v.crumbs()...)
	return nil
}

// history is the evaluation's audit, oldest first: who created,
// submitted, returned, validated, reopened it, and when.
func (s *Server) history(ctx context.Context, v *evaluationView) error {
	entries, err := s.db.AuditOf(ctx, store.EntityEvaluation, v.Evaluation.ID)
	if err != nil {
		return err
	}
	for _, a := range entries {
		var detail struct {
			Reason string `json:"reason"`
		}
		json.Unmarshal([]byte(a.Detail), &detail)
		v.History = append(v.History, historyLine{At: datetime(a.At), Who: a.UserName, What: evaluationActions[a.Action],
			Note: detail.Reason})
	}
	return nil
}

var evaluationActions = map[string]string{
	store.ActCreate:   "ouverture de l'évaluation",
	store.ActUpdate:   "enregistrement",
	store.ActSubmit:   "soumission au conseiller territorial",
	store.ActReturn:   "renvoi au chargé(e) de coopération",
	store.ActValidate: "validation : l'évaluation est figée",
	store.ActReopen:   "réouverture par l'administration de la Caf",
}

// readOfficerPart reads the self-appraisal of each delegated function.
func readOfficerPart(f *form, p ctg.Post) evaluation.Evaluation {
	in := evaluation.Evaluation{Strengths: f.str("strengths"), Difficulties: f.str("difficulties"),
		Recommendations: f.str("recommendations")}
	for _, fn := range p.Functions {
		in.Appraisals = append(in.Appraisals, evaluation.Appraisal{Function: fn, Level: f.str("level_" + fn),
			Comment: f.str("comment_" + fn)})
	}
	return in
}

// readReview reads the advisor's part.
func readReview(f *form, p ctg.Post) evaluation.Evaluation {
	in := evaluation.Evaluation{Review: f.str("review")}
	for _, fn := range p.Functions {
		in.Appraisals = append(in.Appraisals, evaluation.Appraisal{Function: fn, ReviewLevel: f.str("review_level_" + fn),
			ReviewComment: f.str("review_comment_" + fn)})
	}
	return in
}

// act runs one step of the workflow for the evaluation of the path: it
// re-reads the evaluation in the transaction, lets step check and write,
// and answers a form refused with the page and its messages, anything
// else with a redirect to the page.
func (s *Server) act(w http.ResponseWriter, r *http.Request, allowed func(*evaluationView) error,
	step func(tx *store.Tx, v *evaluationView, e *evaluation.Evaluation) error, ok string) error {
	v, err := s.loadEvaluation(r)
	if err != nil {
		return err
	}
	if err := allowed(v); err != nil {
		return err
	}
	v.form = newForm(r.PostForm)
	if !v.Invalid() {
		err = v.merge(s.db.Write(r.Context(), v.User.User.ID, func(tx *store.Tx) error {
			e, err := tx.Evaluation(v.Evaluation.ID)
			if err != nil {
				return err
			}
			return step(tx, v, &e)
		}))
		if err != nil {
			return err
		}
	}
	if v.Invalid() {
		return s.renderEvaluation(w, r, v, http.StatusUnprocessableEntity)
	}
	http.Redirect(w, r, withOK(evaluationURL(v.CTG.ID, v.Evaluation.ID), ok), http.StatusSeeOther)
	return nil
}

// holderOnly: the self-appraisal is the post holder's own.
func holderOnly(v *evaluationView) error {
	if !v.IsHolder {
		return apperr.New(apperr.Forbidden, msg.EvaluationNotHolder)
	}
	return nil
}

// managerOnly: the policy asked Manage already; kept for the record.
func managerOnly(v *evaluationView) error {
	if !v.CanReview {
		return apperr.New(apperr.Forbidden, msg.ErrForbidden)
	}
	return nil
}

func (s *Server) evaluationSave(w http.ResponseWriter, r *http.Request) error {
	return s.act(w, r, holderOnly, func(tx *store.Tx, v *evaluationView, e *evaluation.Evaluation) error {
		return saveOfficerPart(tx, v, e)
	}, "saved")
}

func saveOfficerPart(tx *store.Tx, v *evaluationView, e *evaluation.Evaluation) error {
	if !e.OfficerCanEdit() {
		return apperr.New(apperr.Conflict, msg.EvaluationStatus, e.Status.Label())
	}
	if err := e.SetOfficerPart(v.Post, v.Nom, readOfficerPart(v.form, v.Post)); err != nil {
		return err
	}
	return tx.SaveEvaluation(e)
}

func (s *Server) evaluationSubmit(w http.ResponseWriter, r *http.Request) error {
	return s.act(w, r, holderOnly, func(tx *store.Tx, v *evaluationView, e *evaluation.Evaluation) error {
		if err := saveOfficerPart(tx, v, e); err != nil {
			return err
		}
		if err := e.CheckSubmit(v.Post); err != nil {
			return err
		}
		return tx.SubmitEvaluation(e)
	}, "submitted")
}

func saveReview(tx *store.Tx, v *evaluationView, e *evaluation.Evaluation) error {
	if !e.AdvisorCanReview() {
		return apperr.New(apperr.Conflict, msg.EvaluationStatus, e.Status.Label())
	}
	if err := e.SetReview(v.Post, v.Nom, readReview(v.form, v.Post)); err != nil {
		return err
	}
	return tx.SaveEvaluation(e)
}

func (s *Server) evaluationReview(w http.ResponseWriter, r *http.Request) error {
	return s.act(w, r, managerOnly, saveReview, "saved")
}

func (s *Server) evaluationReturn(w http.ResponseWriter, r *http.Request) error {
	return s.act(w, r, managerOnly, func(tx *store.Tx, v *evaluationView, e *evaluation.Evaluation) error {
		if err := saveReview(tx, v, e); err != nil {
			return err
		}
		if err := e.CheckReturn(); err != nil {
			return err
		}
		return tx.ReturnEvaluation(e)
	}, "returned")
}

// evaluationValidate saves the advisor's review, then builds the document
// with it and today's figures and freezes that document, provided no data
// moved in between (store.ValidateEvaluation). The document is built
// within the validating transaction: on SQLite it holds the only writer,
// so nothing can move; on PostgreSQL another instance may commit
// meanwhile, and the validation is tried again with fresh figures.
func (s *Server) evaluationValidate(w http.ResponseWriter, r *http.Request) error {
	v, err := s.loadEvaluation(r)
	if err != nil {
		return err
	}
	if err := managerOnly(v); err != nil {
		return err
	}
	v.form = newForm(r.PostForm)
	user := v.User.User
	if !v.Invalid() {
		err = v.merge(s.db.Write(r.Context(), user.ID, func(tx *store.Tx) error {
			e, err := tx.Evaluation(v.Evaluation.ID)
			if err != nil {
				return err
			}
			return saveReview(tx, v, &e)
		}))
		if err != nil {
			return err
		}
	}
	if v.Invalid() {
		return s.renderEvaluation(w, r, v, http.StatusUnprocessableEntity)
	}
	for try := 1; ; try++ {
		err = s.db.Write(r.Context(), user.ID, func(tx *store.Tx) error {
			d, err := report.GatherPostEvaluation(r.Context(), s.db, v.Evaluation.ID, civil.Today())
			if err != nil {
				return err
			}
			snapshot, err := report.Snapshot(report.PostEvaluationDocument(d))
			if err != nil {
				return err
			}
			e, err := tx.Evaluation(v.Evaluation.ID)
			if err != nil {
				return err
			}
			return tx.ValidateEvaluation(&e, snapshot, d.Version, user.ID, user.Name)
		})
		if try == validateTries || apperr.As(err).Key != msg.EvaluationDataMoved {
			break
		}
	}
	if err != nil {
		return err
	}
	http.Redirect(w, r, withOK(evaluationURL(v.CTG.ID, v.Evaluation.ID), "validated"), http.StatusSeeOther)
	return nil
}

// validateTries bounds the validations a request tries while data moves.
const validateTries = 3

func (s *Server) evaluationReopen(w http.ResponseWriter, r *http.Request) error {
	return s.act(w, r, func(v *evaluationView) error {
		if !v.CanReopen {
			return apperr.New(apperr.Forbidden, msg.ErrForbidden)
		}
		return nil
	}, func(tx *store.Tx, v *evaluationView, e *evaluation.Evaluation) error {
		reason := v.str("reason")
		if err := e.CheckReopen(reason); err != nil {
			return err
		}
		return tx.ReopenEvaluation(e, reason)
	}, "reopened")
}

// evaluationCreate opens an evaluation: the advisor for the post and
// period they set; the post's holder for their post over the convention.
func (s *Server) evaluationCreate(w http.ResponseWriter, r *http.Request) error {
	v, err := s.evaluationsView(r)
	if err != nil {
		return err
	}
	v.form = newForm(r.PostForm)
	p, ok := v.PostByID[v.id("post")]
	if !ok {
		v.Errors.Add("post", msg.Required)
		return s.renderEvaluations(w, r, v, http.StatusUnprocessableEntity)
	}
	e := evaluation.Evaluation{From: v.date("from"), To: v.date("to")}
	if !v.CanManage() {
		if v.User.Posts[p.ID] != v.CTG.ID {
			return apperr.New(apperr.Forbidden, msg.EvaluationNotHolder)
		}
		from, to := evaluation.ConventionPeriod(*v.CTG)
		if (!e.From.IsZero() && e.From != from) || (!e.To.IsZero() && e.To != to) {
			return apperr.New(apperr.Forbidden, msg.EvaluationOfficerSpan)
		}
		e.From, e.To = from, to
	}
	if !v.Invalid() {
		err = v.merge(s.db.Write(r.Context(), v.User.User.ID, func(tx *store.Tx) error {
			return tx.CreateEvaluation(&e, *v.CTG, p)
		}))
		if err != nil {
			return err
		}
	}
	if v.Invalid() {
		return s.renderEvaluations(w, r, v, http.StatusUnprocessableEntity)
	}
	http.Redirect(w, r, withOK(evaluationURL(v.CTG.ID, e.ID), "saved"), http.StatusSeeOther)
	return nil
}

// canCreateFor: who may open an evaluation of post p.
func (e *ctgEnv) canCreateFor(p ctg.Post) bool {
	return e.CanManage() || e.User.Posts[p.ID] == e.CTG.ID && e.User.Can(authz.Record, e.target())
}
