package web

import (
	"html/template"
	"math"
	"net/http"
	"net/url"
	"strconv"
	"strings"

	"copilote/internal/chart"
	"copilote/internal/civil"
	"copilote/internal/msg"
	"copilote/internal/nomenclature"
	"copilote/internal/store"
	"copilote/internal/survey"
)

// The visibility surveys of a CTG (E32, E42): officers and advisors open
// waves of the national questionnaires, share their public link, QR code
// or paper questionnaire, type in the paper answers, close a wave early;
// advisors and administrators delete a wave opened by mistake, while it
// has no answer. Everyone who sees the CTG sees the results.
type surveyView struct {
	*ctgEnv
	*form
	Today   civil.Date
	Waves   []store.WaveStats
	Wave    survey.Wave
	Results survey.Results
	// Asked are the Caf's own questions of the wave's audience (the paper
	// form); Base is the site's address, for the public links.
	Asked []survey.Question
	Base  string
}

func (s *Server) surveyView(r *http.Request, f *form) (*surveyView, error) {
	e, err := s.env(r)
	if err != nil {
		return nil, err
	}
	return &surveyView{ctgEnv: e, form: f, Today: s.db.Today(), Base: publicBase(r, s.cfg.SecureCookies)}, nil
}

// publicBase is the address people reach this site at, for the links and
// QR codes given out: the one this request came to.
func publicBase(r *http.Request, https bool) string {
	scheme := "http"
	if https || r.TLS != nil {
		scheme = "https"
	}
	return scheme + "://" + r.Host
}

// waveOf loads the wave {id} of the CTG; one of another CTG is not found.
func (s *Server) waveOf(r *http.Request, v *surveyView) error {
	w, err := s.db.Wave(r.Context(), v.CTG.ID, toID(r.PathValue("id")))
	v.Wave = w
	return err
}

func surveysURL(ctgID int64) string { return ctgURL(ctgID) + "/surveys" }

func waveURL(w survey.Wave) string {
	return surveysURL(w.CTGID) + "/" + strconv.FormatInt(w.ID, 10)
}

// Template helpers.
func (v *surveyView) WaveURL(w survey.Wave) string { return waveURL(w) }
func (v *surveyView) Link(w survey.Wave) string    { return v.Base + "/s/" + w.Token }
func (v *surveyView) IsOpen(w survey.Wave) bool    { return w.StateOn(v.Today) == survey.Open }
func (v *surveyView) IsClosed(w survey.Wave) bool  { return w.StateOn(v.Today) == survey.Closed }

// StateLabel says where a wave stands today.
func (v *surveyView) StateLabel(w survey.Wave) string {
	switch w.StateOn(v.Today) {
	case survey.Upcoming:
		return "à venir"
	case survey.Closed:
		return "close"
	}
	return "ouverte"
}

func (s *Server) surveyList(w http.ResponseWriter, r *http.Request) error {
	v, err := s.surveyView(r, newForm(nil))
	if err != nil {
		return err
	}
	if v.Waves, err = s.db.Waves(r.Context(), v.CTG.ID); err != nil {
		return err
	}
	s.render(w, r, http.StatusOK, "survey_list", "Enquêtes de visibilité – "+v.CTG.Name, v,
		crumb{"Accueil", "/"}, crumb{v.CTG.Name, ctgURL(v.CTG.ID)}, crumb{"Enquêtes", ""})
	return nil
}

// AudienceWaves lists the waves of one audience.
func (v *surveyView) AudienceWaves(audience string) []store.WaveStats {
	var out []store.WaveStats
	for _, w := range v.Waves {
		if w.Audience == audience {
			out = append(out, w)
		}
	}
	return out
}

func (s *Server) surveyNew(w http.ResponseWriter, r *http.Request) error {
	v, err := s.surveyView(r, nil)
	if err != nil {
		return err
	}
	day := civil.Later(civil.Earlier(v.Today, v.CTG.End), v.CTG.Start)
	v.form = newForm(url.Values{"audience": {r.URL.Query().Get("audience")}, "date": {day.String()},
		"closes": {day.AddDays(30).String()}})
	s.renderSurveyForm(w, r, http.StatusOK, v)
	return nil
}

func (s *Server) renderSurveyForm(w http.ResponseWriter, r *http.Request, status int, v *surveyView) {
	s.render(w, r, status, "survey_form", "Ouvrir une vague d'enquête", v, crumb{"Accueil", "/"},
		crumb{v.CTG.Name, ctgURL(v.CTG.ID)}, crumb{"Enquêtes", surveysURL(v.CTG.ID)}, crumb{"Nouvelle vague", ""})
}

func (s *Server) surveyCreate(w http.ResponseWriter, r *http.Request) error {
	v, err := s.surveyView(r, newForm(r.PostForm))
	if err != nil {
		return err
	}
	wave := survey.Wave{CTGID: v.CTG.ID, Audience: v.str("audience"), Kind: v.str("kind"), Date: v.date("date"),
		Closes: v.date("closes")}
	if err := v.merge(wave.Validate(v.Nom)); err != nil {
		return err
	}
	if err := v.merge(wave.CheckSchedule(v.CTG.Start, v.CTG.End)); err != nil {
		return err
	}
	if !v.Invalid() {
		err = v.merge(s.db.Write(r.Context(), v.User.User.ID, func(tx *store.Tx) error { return tx.CreateWave(&wave, v.Nom) }))
		if err != nil {
			return err
		}
	}
	if v.Invalid() {
		s.renderSurveyForm(w, r, http.StatusUnprocessableEntity, v)
		return nil
	}
	http.Redirect(w, r, withOK(waveURL(wave), "saved"), http.StatusSeeOther)
	return nil
}

// surveyShow is a wave's results: responses online and on paper, the
// mean and distribution of the national statements (the figures E32 and
// E42 read), the Caf's own questions apart, the comments still kept.
func (s *Server) surveyShow(w http.ResponseWriter, r *http.Request) error {
	v, err := s.surveyView(r, newForm(nil))
	if err != nil {
		return err
	}
	if err := s.waveOf(r, v); err != nil {
		return err
	}
	if v.Results, err = s.db.WaveResults(r.Context(), v.Wave, v.CTG.CafID); err != nil {
		return err
	}
	title := waveTitle(v.ctgEnv, v.Wave)
	s.render(w, r, http.StatusOK, "survey_wave", title, v, crumb{"Accueil", "/"},
		crumb{v.CTG.Name, ctgURL(v.CTG.ID)}, crumb{"Enquêtes", surveysURL(v.CTG.ID)}, crumb{title, ""})
	return nil
}

// waveTitle names a wave: "Vague finale – habitants".
func waveTitle(e *ctgEnv, w survey.Wave) string {
	return "Vague " + strings.ToLower(e.Label(string(nomenclature.SurveyWaveKind), w.Kind)) + " – " + audienceLabel(w.Audience)
}

func audienceLabel(a string) string {
	if a == survey.Partners {
		return "partenaires"
	}
	return "habitants"
}

// AudienceLabel names an audience in a sentence.
func (v *surveyView) AudienceLabel(a string) string { return audienceLabel(a) }

// scoreRow is one score of a distribution, for the table beside the chart.
type scoreRow struct {
	Score   int
	Label   string
	Count   int
	Percent string
}

var likert = [6]msg.Key{1: msg.Likert1, 2: msg.Likert2, 3: msg.Likert3, 4: msg.Likert4, 5: msg.Likert5}

// Distribution is the wave's answers to the national statements by score.
func (v *surveyView) Distribution() []scoreRow {
	counts := v.Results.Overall()
	total := 0
	for s := 1; s <= 5; s++ {
		total += counts[s]
	}
	var out []scoreRow
	for s := 1; s <= 5; s++ {
		row := scoreRow{Score: s, Label: msg.Text(likert[s]), Count: counts[s], Percent: "0"}
		if total > 0 {
			row.Percent = strconv.Itoa(int(math.Round(100 * float64(counts[s]) / float64(total))))
		}
		out = append(out, row)
	}
	return out
}

// DistributionChart draws Distribution as bars; the table beside it holds
// the same values.
func (v *surveyView) DistributionChart() template.HTML {
	var bars []chart.Bar
	for _, row := range v.Distribution() {
		// the score alone: its words are in the table beside
		bars = append(bars, chart.Bar{Label: "Note " + strconv.Itoa(row.Score), Value: float64(row.Count)})
	}
	return chart.HBars("distribution-"+strconv.FormatInt(v.Wave.ID, 10), "Répartition des réponses aux affirmations nationales, de 1 à 5", bars, "")
}

// Mean shows a mean score with two decimals, as the dashboards do, or a
// dash without answers.
func (v *surveyView) Mean(counts [6]int) string {
	m, ok := survey.Mean(counts)
	if !ok {
		return "—"
	}
	return score(&m)
}

func (v *surveyView) OverallMean() string { return v.Mean(v.Results.Overall()) }

func (s *Server) surveyClose(w http.ResponseWriter, r *http.Request) error {
	v, err := s.surveyView(r, newForm(nil))
	if err != nil {
		return err
	}
	if err := s.waveOf(r, v); err != nil {
		return err
	}
	err = s.db.Write(r.Context(), v.User.User.ID, func(tx *store.Tx) error { return tx.CloseWave(v.CTG.ID, v.Wave.ID) })
	if err != nil {
		return err
	}
	http.Redirect(w, r, withOK(waveURL(v.Wave), "saved"), http.StatusSeeOther)
	return nil
}

func (s *Server) surveyDelete(w http.ResponseWriter, r *http.Request) error {
	v, err := s.surveyView(r, newForm(nil))
	if err != nil {
		return err
	}
	if err := s.waveOf(r, v); err != nil {
		return err
	}
	err = s.db.Write(r.Context(), v.User.User.ID, func(tx *store.Tx) error { return tx.DeleteWave(v.CTG.ID, v.Wave.ID) })
	if err != nil {
		return err
	}
	http.Redirect(w, r, surveysURL(v.CTG.ID), http.StatusSeeOther)
	return nil
}

// waveSection is one audience's part of the list of waves.
type waveSection struct {
	View     *surveyView
	Audience string
	Title    string
}

// Sections are the list's two parts: partners (E32), inhabitants (E42).
func (v *surveyView) Sections() []waveSection {
	return []waveSection{{v, survey.Partners, "Questionnaire des partenaires (E32)"},
		{v, survey.Residents, "Questionnaire des habitants (E42)"}}
}

// ListedMean is a listed wave's mean, or a dash without answers.
func (v *surveyView) ListedMean(w store.WaveStats) string {
	if w.Responses == 0 {
		return "—"
	}
	return score(&w.Mean)
}

// itemTable is one table of statements on the results page.
type itemTable struct {
	View    *surveyView
	ID      string
	Caption string
	Rows    []survey.ItemResult
}

// ItemTables are the results page's tables: the national statements,
// then the Caf's questions, apart.
func (v *surveyView) ItemTables() []itemTable {
	out := []itemTable{{v, "items", "Moyenne et répartition par affirmation nationale", v.Results.Items}}
	if len(v.Results.Extra) > 0 {
		out = append(out, itemTable{v, "extra", "Moyenne et répartition par question de la Caf (hors E32 et E42)", v.Results.Extra})
	}
	return out
}

// WaveName names the page's wave in a sentence.
func (v *surveyView) WaveName() string {
	return strings.ToLower(waveTitle(v.ctgEnv, v.Wave)[:1]) + waveTitle(v.ctgEnv, v.Wave)[1:]
}
