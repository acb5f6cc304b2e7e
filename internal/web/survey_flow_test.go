package web

import (
	"bytes"
	"context"
	"image/png"
	"io"
	"net/http"
	"net/url"
	"strings"
	"testing"

	"copilote/internal/account"
	"copilote/internal/civil"
	"copilote/internal/nomenclature"
	"copilote/internal/pdf/pdftext"
	"copilote/internal/store"
	"copilote/internal/store/storetest"
	"copilote/internal/survey"
)

// surveyWeb is the test site with the officer signed in, its CTG's
// convention moved to run around today (waves open on the real day).
type surveyWeb struct {
	*site
	t       *testing.T
	db      *store.DB
	officer *http.Client
	csrf    string
	today   civil.Date
}

func newSurveyWeb(t *testing.T, db *store.DB) *surveyWeb {
	t.Helper()
	s := &surveyWeb{site: newSite(t, db), t: t, db: db, today: db.Today()}
	err := db.Write(context.Background(), 0, func(tx *store.Tx) error {
		c, err := tx.CTG(s.mine.ID)
		if err != nil {
			return err
		}
		c.Start, c.End = civil.YearStart(s.today.Year-1), civil.YearEnd(s.today.Year+1)
		s.mine = *c
		return tx.UpdateCTG(c, nomenclature.Default)
	})
	if err != nil {
		t.Fatal(err)
	}
	s.officer = login(t, s.site)
	s.csrf = csrfOf(t, s.officer, s.URL+"/")
	return s
}

func (s *surveyWeb) ctgPath() string { return "/ctg/" + itoa(s.mine.ID) }

// open opens a wave through the form and returns its page's path.
func (s *surveyWeb) open(audience string, from, to civil.Date) string {
	s.t.Helper()
	code, body, h := post(s.t, s.officer, s.URL+s.ctgPath()+"/surveys", url.Values{"csrf": {s.csrf}, "audience": {audience},
		"kind": {nomenclature.WaveInitial}, "date": {from.String()}, "closes": {to.String()}})
	if code != http.StatusSeeOther {
		s.t.Fatalf("open a wave: %d %s", code, snippet(body))
	}
	path, _, _ := strings.Cut(h.Get("Location"), "?")
	return path
}

// link reads the public link on the wave's page, as a path.
func (s *surveyWeb) link(wavePath string) string {
	s.t.Helper()
	_, body, _ := get(s.t, s.officer, s.URL+wavePath)
	return strings.TrimPrefix(regexp1(s.t, body, `id="wave-link" href="([^"]+)"`), s.URL)
}

func (s *surveyWeb) responses(wavePath string) string {
	s.t.Helper()
	_, body, _ := get(s.t, s.officer, s.URL+wavePath)
	return regexp1(s.t, body, `id="wave-responses">(\d+)<`) + " (" + regexp1(s.t, body, `id="wave-paper">(\d+)<`) + " papier)"
}

// An officer opens a wave, two browsers answer through its link without an
// account, a second answer from the first browser is refused, and so is
// an answer posted from another site; once the officer closes the wave,
// the link says so and takes no answer.
func TestSurveyAnswerThroughThePublicLink(t *testing.T) {
	storetest.ForEach(t, func(t *testing.T, db *store.DB) {
		s := newSurveyWeb(t, db)
		wave := s.open(survey.Residents, s.today, s.today.AddDays(10))
		link := s.link(wave)
		a := client(t)
		code, body, h := get(t, a, s.URL+link)
		if code != 200 || !strings.Contains(body, `name="i_services" value="4"`) || strings.Contains(body, `name="csrf"`) ||
			h.Get("Cache-Control") != "no-store" {
			t.Fatalf("questionnaire: %d %s", code, snippet(body))
		}
		answer := url.Values{"i_services": {"4"}, "i_aides": {"2"}, "i_participation": {""}, "comment": {"Merci pour le relais."}}
		code, _, h = post(t, a, s.URL+link, answer)
		if code != http.StatusSeeOther || h.Get("Location") != link+"?merci=1" {
			t.Fatalf("answer: %d → %s", code, h.Get("Location"))
		}
		if c := h.Get("Set-Cookie"); !strings.Contains(c, answeredCookie+"=1") || !strings.Contains(c, "Path="+link) ||
			!strings.Contains(c, "HttpOnly") {
			t.Errorf("answered cookie: %q", c)
		}
		if _, body, _ = get(t, a, s.URL+link+"?merci=1"); !strings.Contains(body, "Merci, votre réponse est enregistrée.") ||
			strings.Contains(body, "<form class=\"stack\"") {
			t.Errorf("after answering: %s", snippet(body))
		}
		code, body, _ = post(t, a, s.URL+link, answer)
		if code != http.StatusConflict || !strings.Contains(body, "Vous avez déjà répondu à ce questionnaire depuis cet appareil") {
			t.Errorf("second answer from one browser: %d %s", code, snippet(body))
		}
		if code, _, _ = post(t, client(t), s.URL+link, url.Values{"i_services": {"5"}}); code != http.StatusSeeOther {
			t.Errorf("answer from a second browser: %d", code)
		}
		req, _ := http.NewRequest("POST", s.URL+link, strings.NewReader("i_services=1"))
		req.Header.Set("Content-Type", "application/x-www-form-urlencoded")
		req.Header.Set("Origin", "https://ailleurs.example")
		if res, err := client(t).Do(req); err != nil || res.StatusCode != http.StatusForbidden {
			t.Errorf("answer posted from another site: %v %v", res.StatusCode, err)
		}
		// nothing chosen: the form comes back with its message
		code, body, _ = post(t, client(t), s.URL+link, url.Values{"comment": {"Rien coché"}})
		if code != http.StatusUnprocessableEntity || !strings.Contains(body, "Répondez au moins à une des affirmations.") ||
			!strings.Contains(body, "Rien coché") {
			t.Errorf("an empty answer: %d %s", code, snippet(body))
		}
		if got := s.responses(wave); got != "2 (0 papier)" {
			t.Errorf("responses after two browsers: %s", got)
		}
		if code, _, _ = post(t, s.officer, s.URL+wave+"/close", url.Values{"csrf": {s.csrf}}); code != http.StatusSeeOther {
			t.Fatalf("close: %d", code)
		}
		code, body, _ = post(t, client(t), s.URL+link, url.Values{"i_services": {"3"}})
		if code != http.StatusConflict || !strings.Contains(body, "Ce questionnaire est clos depuis le "+s.today.French()) {
			t.Errorf("answer after closing: %d %s", code, snippet(body))
		}
		if code, body, _ = get(t, client(t), s.URL+link); code != http.StatusConflict || strings.Contains(body, `name="i_services"`) {
			t.Errorf("closed questionnaire: %d %s", code, snippet(body))
		}
		if got := s.responses(wave); got != "2 (0 papier)" {
			t.Errorf("responses after closing: %s", got)
		}
	})
}

// A wave that opens tomorrow shows its date and takes no answer yet; one
// opened outside the convention, or for more than a year, is refused.
func TestSurveyDatesInTheBrowser(t *testing.T) {
	storetest.ForEach(t, func(t *testing.T, db *store.DB) {
		s := newSurveyWeb(t, db)
		link := s.link(s.open(survey.Partners, s.today.AddDays(1), s.today.AddDays(20)))
		code, body, _ := get(t, client(t), s.URL+link)
		if code != http.StatusConflict || !strings.Contains(body, "il le sera à partir du "+s.today.AddDays(1).French()) {
			t.Errorf("questionnaire before its day: %d %s", code, snippet(body))
		}
		if code, _, _ = post(t, client(t), s.URL+link, url.Values{"i_moyens": {"3"}}); code != http.StatusConflict {
			t.Errorf("answer before the opening day: %d", code)
		}
		for _, c := range []struct{ from, to civil.Date }{
			{s.mine.End.AddDays(1), s.mine.End.AddDays(5)}, {s.today, s.today.AddDays(400)}} {
			code, body, _ := post(t, s.officer, s.URL+s.ctgPath()+"/surveys", url.Values{"csrf": {s.csrf}, "audience": {"partenaires"},
				"kind": {"finale"}, "date": {c.from.String()}, "closes": {c.to.String()}})
			if code != http.StatusUnprocessableEntity || !strings.Contains(body, "Le formulaire n") {
				t.Errorf("wave %s – %s: %d %s", c.from, c.to, code, snippet(body))
			}
		}
	})
}

// One link takes survey.AddressLimit answers per window from one address
// (every test client is 127.0.0.1), then asks to come back later.
func TestSurveyRateLimitInTheBrowser(t *testing.T) {
	storetest.ForEach(t, func(t *testing.T, db *store.DB) {
		s := newSurveyWeb(t, db)
		wave := s.open(survey.Partners, s.today, s.today.AddDays(10))
		link := s.link(wave)
		for i := range survey.AddressLimit {
			if code, _, _ := post(t, client(t), s.URL+link, url.Values{"i_moyens": {"4"}}); code != http.StatusSeeOther {
				t.Fatalf("answer %d: %d", i+1, code)
			}
		}
		code, body, h := post(t, client(t), s.URL+link, url.Values{"i_moyens": {"4"}})
		if code != http.StatusTooManyRequests || !strings.Contains(body, "Réessayez dans quelques minutes.") || h.Get("Set-Cookie") != "" {
			t.Errorf("one answer too many: %d %s", code, snippet(body))
		}
		if got := s.responses(wave); got != itoa(int64(survey.AddressLimit))+" (0 papier)" {
			t.Errorf("responses: %s", got)
		}
	})
}

// The Caf's administrator adds a question of its own; it shows on the
// questionnaire online and on paper, after the national statements. An
// officer types a paper answer in: it is marked as such. The paper
// questionnaire (PDF) holds the statements, the Caf's question and the
// link; the QR code is a PNG.
func TestSurveyPaperAndCafQuestions(t *testing.T) {
	storetest.ForEach(t, func(t *testing.T, db *store.DB) {
		s := newSurveyWeb(t, db)
		admin := s.signInAdmin()
		code, _, _ := post(t, admin, s.URL+"/caf/surveys/questions", url.Values{"csrf": {csrfOf(t, admin, s.URL+"/")},
			"audience": {"habitants"}, "text": {"Je connais le relais petite enfance itinérant."}})
		if code != http.StatusSeeOther {
			t.Fatalf("add a Caf question: %d", code)
		}
		qs, _ := db.SurveyQuestions(context.Background(), s.mine.CafID, survey.Residents, true)
		if len(qs) != 1 {
			t.Fatalf("Caf questions: %+v", qs)
		}
		wave := s.open(survey.Residents, s.today, s.today.AddDays(10))
		link := s.link(wave)
		_, body, _ := get(t, client(t), s.URL+link)
		if i, j := strings.Index(body, "Je sais comment donner mon avis"), strings.Index(body, "Je connais le relais petite enfance itinérant."); i < 0 || j < i {
			t.Errorf("the Caf's question is not asked after the national ones")
		}
		field := survey.ExtraField(qs[0].ID)
		code, body, h := post(t, s.officer, s.URL+wave+"/paper", url.Values{"csrf": {s.csrf}, "i_services": {"3"}, field: {"5"},
			"comment": {"Recopié du papier."}})
		if code != http.StatusSeeOther || h.Get("Location") != wave+"/paper?ok=saved" {
			t.Fatalf("paper answer: %d %s", code, snippet(body))
		}
		if code, body, _ = post(t, s.officer, s.URL+wave+"/paper", url.Values{"csrf": {s.csrf}, "i_services": {"9"}}); code != http.StatusUnprocessableEntity ||
			!strings.Contains(body, "La valeur doit être comprise entre 1 et 5.") {
			t.Errorf("paper answer out of the scale: %d", code)
		}
		if got := s.responses(wave); got != "1 (1 papier)" {
			t.Errorf("responses: %s", got)
		}
		_, body, _ = get(t, s.officer, s.URL+wave)
		for _, want := range []string{`id="extra"`, "Recopié du papier.", "réponse papier du", `id="wave-mean">3,00<`} {
			if !strings.Contains(body, want) {
				t.Errorf("results page lacks %q", want)
			}
		}
		pdf := s.fetch(wave+"/questionnaire.pdf", "application/pdf")
		text := pdftext.Text(t, pdf)
		want := []string{s.URL + link, "Questionnaire des habitants", "Je connais le relais petite enfance itinérant."}
		for _, it := range survey.Items[survey.Residents] {
			want = append(want, it.Text)
		}
		for _, w := range want {
			if !strings.Contains(text, w) {
				t.Errorf("paper questionnaire lacks %q:\n%s", w, text)
			}
		}
		img, err := png.Decode(bytes.NewReader(s.fetch(wave+"/qr.png", "image/png")))
		if err != nil || img.Bounds().Dx() < 100 {
			t.Errorf("QR code: %v", err)
		}
	})
}

func (s *surveyWeb) fetch(path, contentType string) []byte {
	s.t.Helper()
	res, err := s.officer.Get(s.URL + path)
	if err != nil {
		s.t.Fatal(err)
	}
	defer res.Body.Close()
	b, _ := io.ReadAll(res.Body)
	if res.StatusCode != 200 || res.Header.Get("Content-Type") != contentType {
		s.t.Fatalf("GET %s: %d %s", path, res.StatusCode, res.Header.Get("Content-Type"))
	}
	return b
}

// signInAdmin adds the Caf's administrator and signs them in.
func (s *surveyWeb) signInAdmin() *http.Client {
	s.t.Helper()
	err := s.db.Write(context.Background(), 0, func(tx *store.Tx) error {
		u := account.User{Email: "admin@caf26.fr", Name: "Anne Admin", Role: account.Admin, CafID: s.mine.CafID}
		return tx.CreateUser(&u, password)
	})
	if err != nil {
		s.t.Fatal(err)
	}
	c := client(s.t)
	if code, _, _ := post(s.t, c, s.URL+"/login", url.Values{"email": {"admin@caf26.fr"}, "password": {password}}); code != http.StatusSeeOther {
		s.t.Fatalf("admin login: %d", code)
	}
	return c
}
