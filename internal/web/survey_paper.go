package web

import (
	"bytes"
	"net/http"
	"strconv"

	"copilote/internal/apperr"
	"copilote/internal/msg"
	"copilote/internal/nomenclature"
	"copilote/internal/paper"
	"copilote/internal/store"
	"copilote/internal/survey"
)

// The paper side of a wave: its one-page questionnaire as PDF, its QR
// code, and the form an officer types each paper answer into.

func (s *Server) surveyPaperForm(w http.ResponseWriter, r *http.Request) error {
	v, err := s.surveyView(r, newForm(nil))
	if err != nil {
		return err
	}
	if err := s.paperView(r, v); err != nil {
		return err
	}
	s.renderPaperForm(w, r, http.StatusOK, v)
	return nil
}

func (s *Server) paperView(r *http.Request, v *surveyView) error {
	if err := s.waveOf(r, v); err != nil {
		return err
	}
	var err error
	v.Asked, err = s.db.SurveyQuestions(r.Context(), v.CTG.CafID, v.Wave.Audience, true)
	return err
}

func (s *Server) renderPaperForm(w http.ResponseWriter, r *http.Request, status int, v *surveyView) {
	s.render(w, r, status, "survey_paper", "Saisir une réponse papier", v, crumb{"Accueil", "/"},
		crumb{v.CTG.Name, ctgURL(v.CTG.ID)}, crumb{"Enquêtes", surveysURL(v.CTG.ID)},
		crumb{waveTitle(v.ctgEnv, v.Wave), waveURL(v.Wave)}, crumb{"Réponse papier", ""})
}

func (s *Server) surveyPaperSave(w http.ResponseWriter, r *http.Request) error {
	v, err := s.surveyView(r, newForm(r.PostForm))
	if err != nil {
		return err
	}
	if err := s.paperView(r, v); err != nil {
		return err
	}
	resp := readResponse(v.form, v.Wave.Audience, v.Asked)
	if !v.Invalid() {
		err = v.merge(s.db.Write(r.Context(), v.User.User.ID, func(tx *store.Tx) error {
			return tx.AddPaperResponse(v.CTG.ID, v.Wave.ID, &resp)
		}))
		if err != nil {
			return err
		}
	}
	if v.Invalid() {
		s.renderPaperForm(w, r, http.StatusUnprocessableEntity, v)
		return nil
	}
	// the next paper answer follows: most come back as a pile
	http.Redirect(w, r, withOK(waveURL(v.Wave)+"/paper", "saved"), http.StatusSeeOther)
	return nil
}

// readResponse reads a questionnaire's fields: "i_<item>" for a national
// statement, "q<id>" for a Caf question, from 1 to 5 or blank (no
// opinion), and the comment. A value out of the scale is the field's
// error, under the name the validation uses.
func readResponse(f *form, audience string, asked []survey.Question) survey.Response {
	r := survey.Response{Scores: map[string]int{}, Extra: map[int64]int{}, Comment: f.str("comment")}
	read := func(field, name string) (int, bool) {
		s := f.str(field)
		if s == "" {
			return 0, false
		}
		n, err := strconv.Atoi(s)
		if err != nil || n < 1 || n > 5 {
			f.Errors.Add(name, msg.Range, 1, 5)
			return 0, false
		}
		return n, true
	}
	for _, it := range survey.Items[audience] {
		if n, ok := read("i_"+it.Code, it.Code); ok {
			r.Scores[it.Code] = n
		}
	}
	for _, q := range asked {
		name := survey.ExtraField(q.ID)
		if n, ok := read(name, name); ok {
			r.Extra[q.ID] = n
		}
	}
	return r
}

// ScaleOption is one choice of a statement on the questionnaire.
type ScaleOption struct {
	Value string
	Label string
}

// Scale lists the five scores with their words, then "no opinion".
func (v *surveyView) Scale() []ScaleOption {
	var out []ScaleOption
	for s := 1; s <= 5; s++ {
		out = append(out, ScaleOption{strconv.Itoa(s), msg.Text(likert[s])})
	}
	return append(out, ScaleOption{"", "Je ne sais pas"})
}

// Chosen tells whether option value is the one chosen for field; a field
// left blank chooses "no opinion".
func (v *surveyView) Chosen(field, value string) bool { return v.form.str(field) == value }

// OptionID is the HTML id of one option of a field.
func (v *surveyView) OptionID(field, value string) string {
	if value == "" {
		value = "0"
	}
	return "f-" + field + "-" + value
}

func (s *Server) surveyQR(w http.ResponseWriter, r *http.Request) error {
	v, err := s.surveyView(r, newForm(nil))
	if err != nil {
		return err
	}
	if err := s.waveOf(r, v); err != nil {
		return err
	}
	png, err := paper.QR(v.Link(v.Wave), 512)
	if err != nil {
		return apperr.Wrap(err, "qr code")
	}
	w.Header().Set("Content-Type", "image/png")
	w.Header().Set("Content-Disposition", `inline; filename="enquete-`+strconv.FormatInt(v.Wave.ID, 10)+`-qr.png"`)
	_, err = w.Write(png)
	return err
}

// surveyPDF is the wave's one-page paper questionnaire.
func (s *Server) surveyPDF(w http.ResponseWriter, r *http.Request) error {
	v, err := s.surveyView(r, newForm(nil))
	if err != nil {
		return err
	}
	if err := s.paperView(r, v); err != nil {
		return err
	}
	q := paper.Questionnaire{CTGName: v.CTG.Name, Audience: v.Wave.Audience,
		KindLabel: v.Label(string(nomenclature.SurveyWaveKind), v.Wave.Kind), Opens: v.Wave.Date, Closes: v.Wave.Closes,
		Link: v.Link(v.Wave), Items: survey.Items[v.Wave.Audience], Extra: v.Asked}
	var b bytes.Buffer
	if err := paper.Write(&b, q); err != nil {
		return apperr.Wrap(err, "paper questionnaire")
	}
	w.Header().Set("Content-Type", "application/pdf")
	w.Header().Set("Content-Disposition", `inline; filename="questionnaire-`+v.Wave.Audience+"-"+strconv.FormatInt(v.Wave.ID, 10)+`.pdf"`)
	_, err = b.WriteTo(w)
	return err
}

// likertQuestion is one statement of the questionnaire form.
type likertQuestion struct {
	// Field is the form's name, Key the validation's (the error summary
	// links to "f-" + Key).
	Field, Key, Text, Err string
	// Heading introduces the Caf's questions, before the first of them.
	Heading bool
}

// Questions are the form's statements: the national ones, then the
// Caf's own.
func (v *surveyView) Questions() []likertQuestion {
	var out []likertQuestion
	for _, it := range survey.Items[v.Wave.Audience] {
		out = append(out, likertQuestion{Field: "i_" + it.Code, Key: it.Code, Text: it.Text, Err: v.form.Err(it.Code)})
	}
	for i, q := range v.Asked {
		name := survey.ExtraField(q.ID)
		out = append(out, likertQuestion{Field: name, Key: name, Text: q.Text, Err: v.form.Err(name), Heading: i == 0})
	}
	return out
}
