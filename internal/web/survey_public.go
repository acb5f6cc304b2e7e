package web

import (
	"net/http"
	"time"

	"copilote/internal/apperr"
	"copilote/internal/msg"
	"copilote/internal/store"
	"copilote/internal/survey"
)

// The public side of a wave, at /s/{token}: the questionnaire for anyone
// holding the link, without an account, on a phone, without JavaScript.
// Nothing that names the respondent is kept with the answer (store:
// AnswerOnline): no address, no cookie, no e-mail, the day only. A
// browser that answered gets a cookie saying so for this link alone,
// holding no identifier ("1"), which is never stored; the link's answers
// are also counted per window in the database (store/survey_throttle.go).
// The form has no session: checkCSRF refuses it from another site by its
// Origin, and with a session (an officer trying the link) by its token.

const answeredCookie = "copilote_repondu"

type publicSurveyView struct {
	*surveyView
	CTGName string
	// Message replaces the form when the wave takes no answer from this
	// browser; Thanks when it just answered.
	Message string
	Thanks  bool
	Action  string
}

func (s *Server) publicView(r *http.Request, f *form) (*publicSurveyView, error) {
	wave, err := s.db.WaveByToken(r.Context(), r.PathValue("token"))
	if err != nil {
		return nil, err
	}
	c, err := s.ctg(r.Context(), wave.CTGID)
	if err != nil {
		return nil, err
	}
	v := &surveyView{ctgEnv: &ctgEnv{CTG: c, User: principalOf(r)}, form: f, Today: s.db.Today(), Wave: wave,
		Base: publicBase(r, s.cfg.SecureCookies)}
	if v.Asked, err = s.db.SurveyQuestions(r.Context(), c.CafID, wave.Audience, true); err != nil {
		return nil, err
	}
	return &publicSurveyView{surveyView: v, CTGName: c.Name, Action: "/s/" + wave.Token}, nil
}

// answered tells whether this browser already answered the wave.
func answered(r *http.Request) bool {
	c, err := r.Cookie(answeredCookie)
	return err == nil && c.Value == "1"
}

func (s *Server) publicSurvey(w http.ResponseWriter, r *http.Request) error {
	v, err := s.publicView(r, newForm(nil))
	if err != nil {
		return err
	}
	w.Header().Set("Cache-Control", "no-store")
	if answered(r) {
		v.Thanks = r.URL.Query().Get("merci") == "1"
		v.Message = msg.Text(msg.SurveyAnswered)
		s.renderPublic(w, r, http.StatusOK, v)
		return nil
	}
	if err := v.Wave.AcceptOnline(v.Today); err != nil {
		v.Message = apperr.As(err).Message()
		s.renderPublic(w, r, http.StatusConflict, v)
		return nil
	}
	s.renderPublic(w, r, http.StatusOK, v)
	return nil
}

func (s *Server) publicSurveyAnswer(w http.ResponseWriter, r *http.Request) error {
	v, err := s.publicView(r, newForm(r.PostForm))
	if err != nil {
		return err
	}
	w.Header().Set("Cache-Control", "no-store")
	if answered(r) {
		v.Message = msg.Text(msg.SurveyAnswered)
		s.renderPublic(w, r, http.StatusConflict, v)
		return nil
	}
	resp := readResponse(v.form, v.Wave.Audience, v.Asked)
	if !v.Invalid() {
		// as no one: a respondent is anonymous, even signed in
		err = v.merge(s.db.Write(r.Context(), 0, func(tx *store.Tx) error {
			_, err := tx.AnswerOnline(v.Wave.Token, clientAddress(r, s.cfg.TrustedProxies), &resp)
			return err
		}))
	}
	switch e := apperr.As(err); {
	case err == nil && v.Invalid():
		s.renderPublic(w, r, http.StatusUnprocessableEntity, v)
		return nil
	case e.Code == apperr.Conflict || e.Code == apperr.TooMany:
		v.Message = e.Message()
		s.renderPublic(w, r, apperr.HTTPStatus(e.Code), v)
		return nil
	case err != nil:
		return err
	}
	http.SetCookie(w, &http.Cookie{Name: answeredCookie, Value: "1", Path: v.Action, HttpOnly: true,
		Secure: s.cfg.SecureCookies, SameSite: http.SameSiteLaxMode, Expires: answeredUntil(v.Wave)})
	http.Redirect(w, r, v.Action+"?merci=1", http.StatusSeeOther)
	return nil
}

// answeredUntil keeps the cookie a month past the wave's closing day, a
// year at most (browsers cap cookies at 400 days).
func answeredUntil(w survey.Wave) time.Time {
	limit := time.Now().AddDate(1, 0, 0)
	if w.Closes.IsZero() {
		return limit
	}
	if t := w.Closes.AddDays(31).Time(); t.Before(limit) {
		return t
	}
	return limit
}

func (s *Server) renderPublic(w http.ResponseWriter, r *http.Request, status int, v *publicSurveyView) {
	title := "Votre avis sur la " + v.CTGName
	s.render(w, r, status, "survey_public", title, v)
}
