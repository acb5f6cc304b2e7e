package web

import (
	"bytes"
	"context"
	"html"
	"io"
	"log/slog"
	"net/http"
	"net/http/httptest"
	"net/url"
	"regexp"
	"strconv"
	"strings"
	"testing"
	"time"

	"github.com/xuri/excelize/v2"

	"copilote/internal/account"
	"copilote/internal/actionplan"
	"copilote/internal/civil"
	"copilote/internal/config"
	"copilote/internal/ctg"
	"copilote/internal/demo"
	"copilote/internal/journal"
	"copilote/internal/nomenclature"
	"copilote/internal/partner"
	"copilote/internal/pdf/pdftext"
	"copilote/internal/store"
	"copilote/internal/store/storetest"
)

// reportSite is a CTG running from two years ago to two years ahead (so
// that a Copil can be recorded ahead of today whatever the day), with an
// advisor, a cheffe de projet (1.1, 1.2) and a second post (3.1), a Copil
// 40 days ago with its decisions, one ahead with its agenda, alerts, and
// priority fiches late for each reason and one on time.
type reportSite struct {
	*site
	c           ctg.CTG
	chef, other ctg.Post
	advisor     *http.Client
	today       civil.Date
}

func newReportSite(t *testing.T, db *store.DB) *reportSite {
	t.Helper()
	s := &reportSite{site: newSite(t, db), today: civil.Today()}
	day := func(n int) civil.Date { return s.today.AddDays(n) }
	n := nomenclature.Default
	err := db.Write(context.Background(), 0, func(tx *store.Tx) error {
		s.c = ctg.CTG{CafID: s.mine.CafID, Name: "CTG du Haut-Diois", Population: 3100, Axes: []string{"petite_enfance", "parentalite"},
			Start: civil.YearStart(s.today.Year - 2), End: civil.YearEnd(s.today.Year + 2)}
		if err := tx.CreateCTG(&s.c, n); err != nil {
			return err
		}
		adv := account.User{Email: "conseil@caf.fr", Name: "Constance Conseil", Role: account.Advisor, CafID: s.c.CafID}
		if err := tx.CreateUser(&adv, password); err != nil {
			return err
		}
		if err := tx.GrantCTG(adv.ID, s.c.ID); err != nil {
			return err
		}
		s.chef = ctg.Post{CTGID: s.c.ID, Person: "Chloé Cheffe", Employer: "CC du Haut-Diois", ETP: 100, Start: s.c.Start,
			ChefDeProjet: true, Functions: []string{"1.1", "1.2"}}
		s.other = ctg.Post{CTGID: s.c.ID, Person: "Rémi Relais", Employer: "Commune de Luc", ETP: 50, Start: s.c.Start, Functions: []string{"3.1"}}
		for _, p := range []*ctg.Post{&s.chef, &s.other} {
			if err := tx.SavePost(p, n); err != nil {
				return err
			}
		}
		msa := partner.Partner{CafID: s.c.CafID, Name: "MSA Ardèche Drôme Loire", Type: "caf_msa"}
		if err := tx.SavePartner(&msa, n); err != nil {
			return err
		}
		last := s.record(tx, journal.Record{PostID: s.chef.ID, Kind: journal.Reunion, Date: day(-40), Title: "Copil de printemps", Nature: "copil",
			Roles: []journal.Role{{PostID: s.chef.ID, Role: "animation"}}})
		older := s.record(tx, journal.Record{PostID: s.chef.ID, Kind: journal.Reunion, Date: day(-200), Title: "Copil d'hiver", Nature: "copil",
			Roles: []journal.Role{{PostID: s.chef.ID, Role: "animation"}}})
		s.record(tx, journal.Record{PostID: s.chef.ID, Kind: journal.Reunion, Date: day(20), Title: "Copil d'automne", Nature: "copil",
			Comment: "Accueil des élus\n- Bilan des fiches prioritaires\n- Questions diverses", Roles: []journal.Role{{PostID: s.chef.ID, Role: "preparation"}}})
		for _, r := range []journal.Record{
			{PostID: s.chef.ID, Kind: journal.Decision, Date: day(-40), Title: "Ouvrir un RPE itinérant", MeetingID: last, Facilitated: true, Axis: "petite_enfance"},
			{PostID: s.chef.ID, Kind: journal.Decision, Date: day(-40), Title: "Lancer le café des parents", MeetingID: last},
			{PostID: s.chef.ID, Kind: journal.Decision, Date: day(-40), Title: "Relancer la commission d'admission"},
			{PostID: s.chef.ID, Kind: journal.Decision, Date: day(-200), Title: "Décision ancienne", MeetingID: older},
			{PostID: s.chef.ID, Kind: journal.Alerte, Date: day(-100), Title: "Retard du RPE", Nature: "retard", Status: "ouverte"},
			{PostID: s.other.ID, Kind: journal.Alerte, Date: day(-10), Title: "Financement incertain", Nature: "financement", Status: "ouverte"},
			{PostID: s.chef.ID, Kind: journal.Alerte, Date: day(-50), Title: "Alerte traitée", Nature: "retard", Status: "traitee"},
			{PostID: s.chef.ID, Kind: journal.Expertise, Date: day(-39), Title: "Juriste de la Caf", Nature: "juridique", InstanceKind: "copil"},
			{PostID: s.chef.ID, Kind: journal.Expertise, Date: day(-41), Title: "Avant le Copil", Nature: "financiere", InstanceKind: "copil"},
			{PostID: s.other.ID, Kind: journal.Relais, Date: day(-5), Title: "Relais vers la MSA", Nature: "information", PartnerIDs: []int64{msa.ID}},
		} {
			s.record(tx, r)
		}
		for _, a := range []struct {
			action  actionplan.Action
			updated int // days ago, 0: never
		}{
			{actionplan.Action{Code: "PE-1", Title: "RPE itinérant", Axis: "petite_enfance", Priority: true, Status: "bloquee"}, 10},
			{actionplan.Action{Code: "PA-1", Title: "Café des parents", Axis: "parentalite", Priority: true, Start: day(-300)}, 120},
			{actionplan.Action{Code: "PA-2", Title: "Ludothèque", Axis: "parentalite", Priority: true, End: day(200)}, 15},
			{actionplan.Action{Code: "PE-2", Title: "Crèche", Axis: "petite_enfance", Status: "bloquee"}, 0},
		} {
			a.action.CTGID = s.c.ID
			if err := tx.SaveAction(&a.action, n); err != nil {
				return err
			}
			if a.updated > 0 {
				u := actionplan.Update{ActionID: a.action.ID, PostID: s.chef.ID, Date: day(-a.updated), Status: a.action.Status, Percent: 30}
				if u.Status == "" {
					u.Status = "en_cours"
				}
				if err := tx.AddUpdate(s.c.ID, &u, n); err != nil {
					return err
				}
			}
		}
		return nil
	})
	if err != nil {
		t.Fatal(err)
	}
	s.advisor = loginAs(t, s.site, "conseil@caf.fr")
	return s
}

func (s *reportSite) record(tx *store.Tx, r journal.Record) int64 {
	r.CTGID = s.c.ID
	if err := tx.SaveRecord(&r, nomenclature.Default); err != nil {
		panic(err)
	}
	return r.ID
}

func (s *reportSite) url(path string) string { return s.URL + ctgURL(s.c.ID) + path }

// fetch answers a GET: status, content type and body.
func fetch(t *testing.T, c *http.Client, u string) (int, string, []byte) {
	t.Helper()
	res, err := c.Get(u)
	if err != nil {
		t.Fatal(err)
	}
	defer res.Body.Close()
	b, _ := io.ReadAll(res.Body)
	return res.StatusCode, res.Header.Get("Content-Type"), b
}

// The pack Copil: the agenda of the Copil recorded ahead, the figures
// since the last Copil (its day included), the open alerts, the decisions
// of the last Copil only, the priority fiches late for a reason; an
// agenda typed in the form replaces the recorded one, in the page and in
// its PDF.
func TestCopilPack(t *testing.T) {
	storetest.ForEach(t, func(t *testing.T, db *store.DB) {
		s := newReportSite(t, db)
		code, _, body := fetch(t, s.advisor, s.url("/copil"))
		page := html.UnescapeString(string(body))
		if code != 200 {
			t.Fatalf("pack: %d %s", code, snippet(page))
		}
		wants := []string{"Copil d'automne", s.today.AddDays(20).French(), "<li>Bilan des fiches prioritaires</li>",
			"du " + s.today.AddDays(-40).French() + " au " + s.today.French(), "Alertes ouvertes (2)", "Retard du RPE", "Financement incertain",
			"Décisions du Copil du " + s.today.AddDays(-40).French(), "Ouvrir un RPE itinérant", "Lancer le café des parents",
			"Relancer la commission d'admission", "Fiches prioritaires en retard (2)", "bloquée",
			"pas de point d'avancement depuis le " + s.today.AddDays(-120).French()}
		for _, w := range wants {
			if !strings.Contains(page, w) {
				t.Errorf("pack lacks %q", w)
			}
		}
		for _, not := range []string{"Décision ancienne", "Alerte traitée", "Ludothèque", "Crèche"} {
			if strings.Contains(page, not) {
				t.Errorf("pack shows %q", not)
			}
		}
		// one expertise since the last Copil, the other the day before it
		if got := figureValues(page)["S11b"]; got != "1" {
			t.Errorf("S11b since the last Copil = %q, want 1", got)
		}
		q := url.Values{"date": {s.today.AddDays(30).String()}, "title": {"Copil extraordinaire"}, "agenda": {"Budget 2027\nÉlection du bureau"}}
		_, _, body = fetch(t, s.advisor, s.url("/copil?"+q.Encode()))
		page = html.UnescapeString(string(body))
		if !strings.Contains(page, "<li>Élection du bureau</li>") || strings.Contains(page, "Questions diverses") {
			t.Errorf("the typed agenda does not replace the recorded one")
		}
		q.Set("format", "pdf")
		code, typ, b := fetch(t, s.advisor, s.url("/copil?"+q.Encode()))
		if code != 200 || typ != "application/pdf" {
			t.Fatalf("PDF %d %s", code, typ)
		}
		text := pdftext.Text(t, b)
		for _, w := range []string{"Pack Copil – CTG du Haut-Diois", "Copil extraordinaire", "Élection du bureau", "Alertes ouvertes (2)", "Ouvrir un RPE itinérant"} {
			if !strings.Contains(text, w) {
				t.Errorf("PDF lacks %q", w)
			}
		}
		_, _, body = fetch(t, s.advisor, s.url("/copil?date=32%2F13%2F2026"))
		if !strings.Contains(html.UnescapeString(string(body)), "Saisissez une date valide") {
			t.Errorf("an invalid date is not said on its field")
		}
	})
}

// The bilan annuel: a post's shows its delegated indicators only, the
// CTG's all of them with its targets; both compare with the year before,
// count the records by kind and answer as PDF and workbook; a year
// outside the convention and a post of another CTG are refused.
func TestAnnualReport(t *testing.T) {
	storetest.ForEach(t, func(t *testing.T, db *store.DB) {
		s := newReportSite(t, db)
		year := strconv.Itoa(s.today.Year)
		code, _, body := fetch(t, s.advisor, s.url("/bilan?year="+year))
		page := html.UnescapeString(string(body))
		figs := figureValues(page)
		if code != 200 || len(figs) != 20 || figs["S31"] != "1" {
			t.Fatalf("CTG bilan: %d, %d figures, S31 %q", code, len(figs), figs["S31"])
		}
		for _, w := range []string{"Bilan annuel " + year + " – CTG du Haut-Diois", "Évolution par rapport à " + strconv.Itoa(s.today.Year-1),
			"Alertes au Copil", "Avancement des fiches actions en " + year, "Aucune vague d'enquête en " + year} {
			if !strings.Contains(page, w) {
				t.Errorf("CTG bilan lacks %q", w)
			}
		}
		_, _, body = fetch(t, s.advisor, s.url("/bilan?year="+year+"&post="+strconv.FormatInt(s.other.ID, 10)))
		figs = figureValues(html.UnescapeString(string(body)))
		if len(figs) != 2 || figs["S31"] != "1" || figs["E31"] == "" {
			t.Errorf("post bilan figures %v: S31 and E31 only (function 3.1)", figs)
		}
		for _, bad := range []struct {
			query string
			code  int
		}{{"?year=1999", 422}, {"?year=deux", 422}, {"?post=999999", 404}, {"?format=docx", 404}} {
			if code, _, _ := fetch(t, s.advisor, s.url("/bilan"+bad.query)); code != bad.code {
				t.Errorf("bilan%s answered %d, want %d", bad.query, code, bad.code)
			}
		}
		code, typ, b := fetch(t, s.advisor, s.url("/bilan?year="+year+"&format=xlsx"))
		if code != 200 || !strings.Contains(typ, "spreadsheetml") {
			t.Fatalf("workbook %d %s", code, typ)
		}
		f, err := excelize.OpenReader(bytes.NewReader(b))
		if err != nil {
			t.Fatal(err)
		}
		if n := len(f.GetSheetList()); n < 6 {
			t.Errorf("the bilan's workbook has %d sheets: %q", n, f.GetSheetList())
		}
	})
}

// The matrice: a page and a workbook (no PDF), one table per year.
func TestMatrixPage(t *testing.T) {
	storetest.ForEach(t, func(t *testing.T, db *store.DB) {
		s := newReportSite(t, db)
		code, _, body := fetch(t, s.advisor, s.url("/matrice?post="+strconv.FormatInt(s.chef.ID, 10)))
		page := html.UnescapeString(string(body))
		if code != 200 || !strings.Contains(page, "Matrice de suivi "+strconv.Itoa(s.today.Year)) || strings.Contains(page, ">S31<") ||
			!strings.Contains(page, ">S11a<") || !strings.Contains(page, "Expertise : Juridique") {
			t.Errorf("post matrice: %d", code)
		}
		if code, _, _ := fetch(t, s.advisor, s.url("/matrice?format=pdf")); code != 404 {
			t.Errorf("matrice as PDF: %d, want 404", code)
		}
		code, _, b := fetch(t, s.advisor, s.url("/matrice?format=xlsx"))
		f, err := excelize.OpenReader(bytes.NewReader(b))
		if code != 200 || err != nil {
			t.Fatalf("matrice workbook: %d %v", code, err)
		}
		if got := f.GetSheetList(); len(got) != len(s.c.Years()) || got[0] != "Matrice de suivi "+strconv.Itoa(s.c.Start.Year) {
			t.Errorf("sheets %q", got)
		}
	})
}

// PDFs and workbooks wait for a free turn; beyond the wait, a 503 in
// French says to retry, while pages keep answering.
func TestDocumentsWaitTheirTurn(t *testing.T) {
	var srv *Server
	s := newSiteWith(t, storetest.Open(t, store.SQLite), config.Default(), func(x *Server) {
		srv = x
		x.documents.slots = make(chan struct{}, 1)
		x.documents.wait = 50 * time.Millisecond
	})
	c := login(t, s)
	posts, _ := srv.db.Posts(context.Background(), s.mine.ID)
	u := s.URL + ctgURL(s.mine.ID) + "/posts/" + strconv.FormatInt(posts[0].ID, 10) + "/fiche"
	srv.documents.slots <- struct{}{} // someone prints a long document
	res, err := c.Get(u + "?format=pdf")
	if err != nil {
		t.Fatal(err)
	}
	b, _ := io.ReadAll(res.Body)
	res.Body.Close()
	if res.StatusCode != 503 || res.Header.Get("Retry-After") == "" || !strings.Contains(html.UnescapeString(string(b)), "réessayez dans quelques secondes") {
		t.Errorf("saturated: %d, Retry-After %q", res.StatusCode, res.Header.Get("Retry-After"))
	}
	if code, _, _ := fetch(t, c, u); code != 200 {
		t.Errorf("the page answered %d while documents wait", code)
	}
	<-srv.documents.slots
	if code, typ, _ := fetch(t, c, u+"?format=pdf"); code != 200 || typ != "application/pdf" {
		t.Errorf("after the wait: %d %s", code, typ)
	}
}

// figureRe reads the figures a document's page shows: code, then the
// first figure cell (the value).
var figureRe = regexp.MustCompile(`(?s)<tr data-code="([^"]+)">.*?<td class="num">(?:<a [^>]*>)?([^<]*)`)

// figureValues maps each figure's code to its value, as the page shows it.
func figureValues(page string) map[string]string {
	out := map[string]string{}
	for _, m := range figureRe.FindAllStringSubmatch(page, -1) {
		out[m[1]] = m[2]
	}
	return out
}

// The web page and the PDF of a report show the same figures: on the
// demo, the bilan annuel of a CTG and of a post and the pack Copil, every
// figure of the page (code and value, in order) is a row of the PDF's
// figure tables with that value in its value column.
func TestReportPagesAndPDFsShowTheSameFigures(t *testing.T) {
	if testing.Short() {
		t.Skip("loads the demo")
	}
	storetest.ForEach(t, func(t *testing.T, db *store.DB) {
		if _, err := demo.Load(context.Background(), db); err != nil {
			t.Fatal(err)
		}
		srv, err := New(db, config.Default(), slog.New(slog.NewTextHandler(io.Discard, nil)))
		if err != nil {
			t.Fatal(err)
		}
		ts := httptest.NewServer(srv.Handler())
		defer ts.Close()
		c := client(t)
		if code, _, _ := post(t, c, ts.URL+"/login", url.Values{"email": {"julien.marcellin@demo.copilote.fr"}, "password": {demo.Password}}); code != 303 {
			t.Fatalf("login: %d", code)
		}
		cs, _ := db.CTGs(context.Background(), store.Scope{All: true})
		posts, _ := db.Posts(context.Background(), cs[0].ID)
		base := ts.URL + ctgURL(cs[0].ID)
		urls := []string{base + "/bilan?year=2025", base + "/bilan?year=2024&post=" + strconv.FormatInt(posts[0].ID, 10), base + "/copil?"}
		// the demo's evaluations of the CTG: every indicator of each post's
		// delegation, year by year and in total, the frozen one included
		evaluated := 0
		for _, c := range cs {
			evs, err := db.EvaluationsOfCTG(context.Background(), c.ID)
			if err != nil {
				t.Fatal(err)
			}
			for _, e := range evs {
				urls = append(urls, ts.URL+ctgURL(c.ID)+"/evaluations/"+strconv.FormatInt(e.ID, 10)+"?")
				evaluated++
			}
		}
		if evaluated < 2 {
			t.Fatalf("the demo holds %d evaluations, want a frozen one and a draft at least", evaluated)
		}
		for _, u := range urls {
			_, _, page := fetch(t, c, u)
			figs := pageFigures(html.UnescapeString(string(page)))
			if len(figs) < 2 {
				t.Fatalf("%s: %d figures on the page", u, len(figs))
			}
			code, typ, b := fetch(t, c, u+"&format=pdf")
			if code != 200 || typ != "application/pdf" {
				t.Fatalf("%s PDF: %d %s", u, code, typ)
			}
			lines := strings.Split(pdftext.Layout(t, b), "\n")
			next := 0
			for _, l := range lines {
				if next < len(figs) && figs[next].row.MatchString(l) {
					next++
				}
			}
			if next < len(figs) {
				t.Errorf("%s: the PDF lacks figure %d of %d, %s = %q (period %q)", u, next+1, len(figs), figs[next].code, figs[next].value, figs[next].period)
			}
			t.Logf("%s: %d figures alike", u, len(figs))
		}
	})
}

// pageFigure is a figure as a report's page shows it, with the PDF line
// that must print it: its code first, its label, its period if any, then
// its value in the next column.
type pageFigure struct {
	code, period, value string
	row                 *regexp.Regexp
}

var figureRowRe = regexp.MustCompile(`(?s)<tr data-code="([^"]+)"><th scope="row">.*?</th><td>([^<]*)</td>\s*<td class="num">(?:<a [^>]*>)?([^<]*)`)

func pageFigures(page string) []pageFigure {
	var out []pageFigure
	for _, m := range figureRowRe.FindAllStringSubmatch(page, -1) {
		f := pageFigure{code: m[1], period: m[2], value: m[3]}
		period := ""
		if f.period != "" {
			// a long period ("toute la période") wraps in its PDF column:
			// its first word stands on the figure's line
			period = regexp.QuoteMeta(strings.Fields(f.period)[0]) + `[^\d]*?\s{2,}`
		}
		f.row = regexp.MustCompile(`^\s*` + regexp.QuoteMeta(f.code) + `\s+[^\d]*?\s{2,}` + period + regexp.QuoteMeta(f.value) + `(\s|$)`)
		out = append(out, f)
	}
	return out
}
