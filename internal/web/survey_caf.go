package web

import (
	"net/http"
	"net/url"
	"strconv"

	"copilote/internal/apperr"
	"copilote/internal/ctg"
	"copilote/internal/msg"
	"copilote/internal/store"
	"copilote/internal/survey"
)

// A Caf administrator's survey settings: the Caf's own questions per
// audience (Likert 1 to 5, asked after the national statements, never in
// E32 nor E42) and how many months the free comments are kept.
type cafSurveyView struct {
	*form
	Caf       ctg.Caf
	Questions []survey.Question
	Months    int
	Max       int
}

// Of lists the questions of one audience, retired ones last.
func (v *cafSurveyView) Of(audience string) []survey.Question {
	var active, retired []survey.Question
	for _, q := range v.Questions {
		switch {
		case q.Audience != audience:
		case q.Retired:
			retired = append(retired, q)
		default:
			active = append(active, q)
		}
	}
	return append(active, retired...)
}

// AudienceLabel names an audience in a sentence.
func (v *cafSurveyView) AudienceLabel(a string) string { return audienceLabel(a) }

func (s *Server) cafSurveys(w http.ResponseWriter, r *http.Request) error {
	return s.renderCafSurveys(w, r, http.StatusOK, newForm(nil))
}

func (s *Server) renderCafSurveys(w http.ResponseWriter, r *http.Request, status int, f *form) error {
	caf, err := s.adminCaf(r)
	if err != nil {
		return err
	}
	v := &cafSurveyView{form: f, Caf: caf, Max: survey.MaxQuestions}
	if v.Questions, err = s.db.SurveyQuestions(r.Context(), caf.ID, "", false); err != nil {
		return err
	}
	if v.Months, err = s.db.CommentMonths(r.Context(), caf.ID); err != nil {
		return err
	}
	if f.Values == nil {
		f.Values = url.Values{}
	}
	if _, set := f.Values["months"]; !set {
		f.Values.Set("months", strconv.Itoa(v.Months))
	}
	s.render(w, r, status, "survey_caf", "Enquêtes de visibilité – "+caf.Name, v, crumb{"Accueil", "/"},
		crumb{"Enquêtes de la Caf", ""})
	return nil
}

func (s *Server) cafSurveyQuestionAdd(w http.ResponseWriter, r *http.Request) error {
	caf, err := s.adminCaf(r)
	if err != nil {
		return err
	}
	f := newForm(r.PostForm)
	q := survey.Question{CafID: caf.ID, Audience: f.str("audience"), Text: f.str("text")}
	field := "text_" + q.Audience
	if _, ok := survey.Items[q.Audience]; !ok {
		return apperr.New(apperr.Invalid, msg.InvalidChoice)
	}
	if !f.Invalid() {
		err = s.db.Write(r.Context(), principalOf(r).User.ID, func(tx *store.Tx) error { return tx.AddSurveyQuestion(&q) })
	}
	if apperr.CodeOf(err) == apperr.Conflict {
		f.Errors[field] = apperr.As(err).Message()
	} else if err = f.merge(err); err != nil {
		return err
	}
	if e, ok := f.Errors["text"]; ok {
		f.Errors[field] = e
		delete(f.Errors, "text")
	}
	if f.Invalid() {
		return s.renderCafSurveys(w, r, http.StatusUnprocessableEntity, f)
	}
	http.Redirect(w, r, withOK("/caf/surveys#"+q.Audience, "saved"), http.StatusSeeOther)
	return nil
}

func (s *Server) cafSurveyQuestionRetire(w http.ResponseWriter, r *http.Request) error {
	caf, err := s.adminCaf(r)
	if err != nil {
		return err
	}
	id := toID(r.PathValue("id"))
	if err := s.db.Write(r.Context(), principalOf(r).User.ID, func(tx *store.Tx) error {
		return tx.RetireSurveyQuestion(caf.ID, id)
	}); err != nil {
		return err
	}
	http.Redirect(w, r, withOK("/caf/surveys", "saved"), http.StatusSeeOther)
	return nil
}

func (s *Server) cafSurveyComments(w http.ResponseWriter, r *http.Request) error {
	caf, err := s.adminCaf(r)
	if err != nil {
		return err
	}
	f := newForm(r.PostForm)
	months := f.int("months")
	if !f.Invalid() {
		err = f.merge(s.db.Write(r.Context(), principalOf(r).User.ID, func(tx *store.Tx) error {
			return tx.SetCommentMonths(caf.ID, months)
		}))
		if err != nil {
			return err
		}
	}
	if f.Invalid() {
		return s.renderCafSurveys(w, r, http.StatusUnprocessableEntity, f)
	}
	http.Redirect(w, r, withOK("/caf/surveys#commentaires", "saved"), http.StatusSeeOther)
	return nil
}

// Audiences are the two questionnaires.
func (v *cafSurveyView) Audiences() []string { return []string{survey.Partners, survey.Residents} }
