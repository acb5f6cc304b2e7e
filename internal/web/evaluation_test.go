package web

import (
	"context"
	"net/http"
	"net/url"
	"regexp"
	"strings"
	"testing"

	"copilote/internal/account"
	"copilote/internal/civil"
	"copilote/internal/ctg"
	"copilote/internal/evaluation"
	"copilote/internal/indicator"
	"copilote/internal/journal"
	"copilote/internal/nomenclature"
	"copilote/internal/report"
	"copilote/internal/store"
	"copilote/internal/store/storetest"
)

// evalSite is newSite's Caf with the people an evaluation involves: the
// officer agent@diois.fr holds the chef de projet post of "mine"
// (functions 1.1 and 1.2); a colleague holds another post there; an
// advisor and a Copil member are granted "mine"; an officer holds a post
// of "other"; an administrator and a national reader.
type evalSite struct {
	*site
	db            *store.DB
	post, other   ctg.Post // the agent's, the colleague's
	users         map[string]account.User
	clients       map[string]*http.Client
	tokens        map[string]string
	expertises    []int64 // S11b records of the agent's post, in 2024
	alert         int64   // an S12b record, in 2025
	evaluationURL string
}

func newEvalSite(t *testing.T, db *store.DB) *evalSite {
	t.Helper()
	s := &evalSite{site: newSite(t, db), db: db, users: map[string]account.User{}, clients: map[string]*http.Client{},
		tokens: map[string]string{}}
	ctx := context.Background()
	posts, err := db.Posts(ctx, s.mine.ID)
	if err != nil || len(posts) != 1 {
		t.Fatalf("posts %v, %v", posts, err)
	}
	s.post = posts[0]
	err = db.Write(ctx, 0, func(tx *store.Tx) error {
		for _, u := range []account.User{
			{Email: "collegue@diois.fr", Name: "Colin Collègue", Role: account.Officer},
			{Email: "ailleurs@royans.fr", Name: "Alice Ailleurs", Role: account.Officer},
			{Email: "conseil@caf.fr", Name: "Julie Conseil", Role: account.Advisor},
			{Email: "admin@caf.fr", Name: "Anne Admin", Role: account.Admin},
			{Email: "copil@diois.fr", Name: "Paul Copil", Role: account.Copil},
			{Email: "national@cnaf.fr", Name: "Nina National", Role: account.National},
		} {
			if u.Role != account.National {
				u.CafID = s.mine.CafID
			}
			if err := tx.CreateUser(&u, password); err != nil {
				return err
			}
			s.users[u.Email] = u
		}
		for _, g := range [][2]string{{"conseil@caf.fr", "mine"}, {"copil@diois.fr", "mine"}} {
			if err := tx.GrantCTG(s.users[g[0]].ID, s.mine.ID); err != nil {
				return err
			}
		}
		s.other = ctg.Post{CTGID: s.mine.ID, UserID: s.users["collegue@diois.fr"].ID, Person: "Colin Collègue", Employer: "Commune de Die",
			ETP: 50, Start: s.mine.Start, Functions: []string{"3.1"}}
		if err := tx.SavePost(&s.other, nomenclature.Default); err != nil {
			return err
		}
		far := ctg.Post{CTGID: s.site.other.ID, UserID: s.users["ailleurs@royans.fr"].ID, Person: "Alice Ailleurs", Employer: "CC",
			ETP: 100, Start: s.site.other.Start, Functions: []string{"1.1"}}
		if err := tx.SavePost(&far, nomenclature.Default); err != nil {
			return err
		}
		return s.records(tx)
	})
	if err != nil {
		t.Fatal(err)
	}
	for _, email := range []string{"agent@diois.fr", "collegue@diois.fr", "ailleurs@royans.fr", "conseil@caf.fr", "admin@caf.fr",
		"copil@diois.fr", "national@cnaf.fr"} {
		c := client(t)
		if code, _, _ := post(t, c, s.URL+"/login", url.Values{"email": {email}, "password": {password}}); code != http.StatusSeeOther {
			t.Fatalf("login %s: %d", email, code)
		}
		s.clients[email], s.tokens[email] = c, csrfOf(t, c, s.URL+"/")
	}
	return s
}

// records: three expertises (S11b) in 2024 and an alert (S12b) in 2025,
// all the agent's.
func (s *evalSite) records(tx *store.Tx) error {
	for i, d := range []string{"2024-02-05", "2024-05-13", "2024-09-16"} {
		r := journal.Record{CTGID: s.mine.ID, PostID: s.post.ID, Kind: journal.Expertise, Date: civil.MustParse(d),
			Title: "Expertise " + itoa(int64(i+1)), Nature: "juridique", InstanceKind: "copil"}
		if err := tx.SaveRecord(&r, nomenclature.Default); err != nil {
			return err
		}
		s.expertises = append(s.expertises, r.ID)
	}
	a := journal.Record{CTGID: s.mine.ID, PostID: s.post.ID, Kind: journal.Alerte, Date: civil.MustParse("2025-03-10"),
		Title: "Retard du RPE", Nature: "retard", Status: "ouverte"}
	if err := tx.SaveRecord(&a, nomenclature.Default); err != nil {
		return err
	}
	s.alert = a.ID
	return nil
}

// as sends a form as the user, with their CSRF token.
func (s *evalSite) as(t *testing.T, email, path string, form url.Values) (int, string, http.Header) {
	t.Helper()
	if form == nil {
		form = url.Values{}
	}
	form.Set("csrf", s.tokens[email])
	return post(t, s.clients[email], s.URL+path, form)
}

func (s *evalSite) page(t *testing.T, email, path string) string {
	t.Helper()
	code, body, _ := get(t, s.clients[email], s.URL+path)
	if code != http.StatusOK {
		t.Fatalf("GET %s as %s: %d %s", path, email, code, snippet(body))
	}
	return body
}

// open has the agent open the evaluation of their post over the
// convention, appraise both functions and submit it.
func (s *evalSite) open(t *testing.T) int64 {
	t.Helper()
	code, _, h := s.as(t, "agent@diois.fr", ctgURL(s.mine.ID)+"/evaluations", url.Values{"post": {itoa(s.post.ID)}})
	if code != http.StatusSeeOther {
		t.Fatalf("open: %d", code)
	}
	s.evaluationURL = strings.SplitN(h.Get("Location"), "?", 2)[0]
	id := toID(s.evaluationURL[strings.LastIndex(s.evaluationURL, "/")+1:])
	code, body, _ := s.as(t, "agent@diois.fr", s.evaluationURL+"/submit", url.Values{"level_1.1": {"atteint"},
		"comment_1.1": {"Copil préparés"}, "level_1.2": {"partiel"}, "strengths": {"Un Copil suivi"}})
	if code != http.StatusSeeOther {
		t.Fatalf("submit: %d %s", code, snippet(body))
	}
	return id
}

func (s *evalSite) status(t *testing.T, id int64) evaluation.Status {
	t.Helper()
	e, err := s.db.Evaluation(context.Background(), id)
	if err != nil {
		t.Fatal(err)
	}
	return e.Status
}

// frozenFigure reads a figure of the page's document: its value for
// period (a year or "toute la période") in the first figures table that
// shows code.
func frozenFigure(t *testing.T, body, code, period string) string {
	t.Helper()
	re := regexp.MustCompile(`data-code="` + code + `"><th scope="row">.*?</th><td>` + regexp.QuoteMeta(period) +
		`</td>\s*<td class="num">(?:<a [^>]*>)?([^<]*)<`)
	m := re.FindStringSubmatch(body)
	if m == nil {
		t.Fatalf("no figure %s (%s) on the page", code, period)
	}
	return m[1]
}

// The acceptance test of issue 10: an evaluation validated, then the
// records behind it edited and deleted, a record added, a target and the
// post's cost changed. The stored document does not change by a byte; the
// page still shows the frozen figures, says today's differ, and lists
// each difference with its frozen and today's value.
func TestValidatedEvaluationIsFrozen(t *testing.T) {
	storetest.ForEach(t, func(t *testing.T, db *store.DB) {
		s := newEvalSite(t, db)
		ctx := context.Background()
		id := s.open(t)
		if code, body, _ := s.as(t, "conseil@caf.fr", s.evaluationURL+"/validate", url.Values{"review": {"Bon travail"}}); code != http.StatusSeeOther {
			t.Fatalf("validate: %d %s", code, snippet(body))
		}
		e, _ := db.Evaluation(ctx, id)
		frozen := e.Snapshot
		body := s.page(t, "copil@diois.fr", s.evaluationURL)
		if !strings.Contains(body, "figée le ") || !strings.Contains(body, "par Julie Conseil") ||
			!strings.Contains(body, "identiques à ceux figés") {
			t.Fatalf("validated page: %s", snippet(body))
		}
		before := map[string]string{"S11b 2024": frozenFigure(t, body, "S11b", "2024"),
			"S11b total": frozenFigure(t, body, "S11b", "toute la période"), "S12b total": frozenFigure(t, body, "S12b", "toute la période")}
		if before["S11b 2024"] != "3" || before["S11b total"] != "3" || before["S12b total"] != "1" {
			t.Fatalf("figures at validation: %v", before)
		}

		// what happens to the records afterwards
		moved, err := db.Record(ctx, s.mine.ID, s.expertises[1])
		if err != nil {
			t.Fatal(err)
		}
		moved.Date = civil.MustParse("2025-06-02")
		err = db.Write(ctx, s.users["admin@caf.fr"].ID, func(tx *store.Tx) error {
			if err := tx.DeleteRecord(s.mine.ID, s.expertises[0]); err != nil {
				return err
			}
			if err := tx.SaveRecord(moved, nomenclature.Default); err != nil {
				return err
			}
			a := journal.Record{CTGID: s.mine.ID, PostID: s.post.ID, Kind: journal.Alerte, Date: civil.MustParse("2026-01-12"),
				Title: "Blocage du LAEP", Nature: "blocage", Status: "ouverte"}
			if err := tx.SaveRecord(&a, nomenclature.Default); err != nil {
				return err
			}
			if err := tx.SaveTargets(s.mine.ID, []indicator.Target{{Indicator: "S11b", Year: 2024, Value: 5}}); err != nil {
				return err
			}
			p := s.post
			p.AnnualCost = 36000
			return tx.SavePost(&p, nomenclature.Default)
		})
		if err != nil {
			t.Fatal(err)
		}

		e, _ = db.Evaluation(ctx, id)
		if e.Snapshot != frozen || e.Status != evaluation.Validated {
			t.Fatal("the stored document changed after the validation")
		}
		body = s.page(t, "copil@diois.fr", s.evaluationURL)
		for k, v := range map[string]string{"S11b 2024": frozenFigure(t, body, "S11b", "2024"),
			"S11b total": frozenFigure(t, body, "S11b", "toute la période"), "S12b total": frozenFigure(t, body, "S12b", "toute la période")} {
			if v != before[k] {
				t.Errorf("%s moved on the page: %s, frozen %s", k, v, before[k])
			}
		}
		if !strings.Contains(body, "Les chiffres d&#39;aujourd&#39;hui diffèrent de ceux figés") || !strings.Contains(body, `id="ecarts"`) {
			t.Errorf("the page does not say today's figures differ: %s", snippet(body))
		}
		// each difference, frozen and today's, in the page's table of differences
		for _, want := range [][3]string{
			{"S11b Expertises mobilisées (2024)", "3", "1"},
			{"S11b Expertises mobilisées (2025)", "0", "1"},
			{"S11b Expertises mobilisées (toute la période)", "3", "2"},
			{"S11b Expertises mobilisées (2024), cible", "—", "5"},
			{"S12b Alertes au Copil (toute la période)", "1", "2"},
			{"Coût sur la période", "153\u00a0600 €", "144\u00a0000 €"},
		} {
			row := `<td>` + regexp.QuoteMeta(want[0]) + `</td><td class="num">` + regexp.QuoteMeta(want[1]) +
				`</td><td class="num">` + regexp.QuoteMeta(want[2]) + `</td>`
			if !regexp.MustCompile(row).MatchString(body) {
				t.Errorf("no difference %q: %s → %s", want[0], want[1], want[2])
			}
		}
		shown, err := report.ShownEvaluation(ctx, db, id, civil.Today())
		if err != nil || len(shown.Differences) < 6 || shown.Doc.Sections[len(shown.Doc.Sections)-1].ID != report.SectionDifferences {
			t.Errorf("shown: %v, %d differences", err, len(shown.Differences))
		}
	})
}

// Who may do what, and what each refusal leaves as it was.
func TestEvaluationWorkflowPermissions(t *testing.T) {
	storetest.ForEach(t, func(t *testing.T, db *store.DB) {
		s := newEvalSite(t, db)
		ctx := context.Background()
		evals := ctgURL(s.mine.ID) + "/evaluations"
		refused := func(email, path string, form url.Values, want int) {
			t.Helper()
			v, _ := db.DataVersion(ctx)
			if code, body, _ := s.as(t, email, path, form); code != want {
				t.Errorf("POST %s as %s: %d, want %d (%s)", path, email, code, want, snippet(body))
			}
			if after, _ := db.DataVersion(ctx); after != v {
				t.Errorf("POST %s as %s was refused but changed data", path, email)
			}
		}
		// opening: not another's post; the holder over the convention only
		refused("collegue@diois.fr", evals, url.Values{"post": {itoa(s.post.ID)}}, http.StatusForbidden)
		refused("agent@diois.fr", evals, url.Values{"post": {itoa(s.post.ID)}, "from": {"2024-01-01"}, "to": {"2024-12-31"}}, http.StatusForbidden)
		refused("ailleurs@royans.fr", evals, url.Values{"post": {itoa(s.post.ID)}}, http.StatusNotFound)
		refused("copil@diois.fr", evals, url.Values{"post": {itoa(s.post.ID)}}, http.StatusForbidden)
		refused("national@cnaf.fr", evals, url.Values{"post": {itoa(s.post.ID)}}, http.StatusForbidden)
		if code, _, _ := s.as(t, "conseil@caf.fr", evals, url.Values{"post": {itoa(s.post.ID)}, "from": {"2024-01-01"}, "to": {"2024-12-31"}}); code != http.StatusSeeOther {
			t.Errorf("the advisor opens a year's evaluation: %d", code)
		}
		id := s.open(t)
		u := s.evaluationURL
		if s.status(t, id) != evaluation.Submitted {
			t.Fatalf("status %s", s.status(t, id))
		}
		// the self-appraisal is the holder's alone, and not once submitted
		refused("collegue@diois.fr", u, url.Values{"level_1.1": {"non_atteint"}}, http.StatusForbidden)
		refused("conseil@caf.fr", u, url.Values{"level_1.1": {"non_atteint"}}, http.StatusForbidden)
		refused("agent@diois.fr", u, url.Values{"level_1.1": {"non_atteint"}}, http.StatusConflict)
		// validating: the advisor's
		for who, want := range map[string]int{"agent@diois.fr": 403, "collegue@diois.fr": 403, "copil@diois.fr": 403,
			"national@cnaf.fr": 403, "ailleurs@royans.fr": 404} {
			refused(who, u+"/validate", nil, want)
			refused(who, u+"/return", url.Values{"review": {"non"}}, want)
		}
		refused("conseil@caf.fr", u+"/return", nil, http.StatusUnprocessableEntity) // a return says why
		if code, _, _ := s.as(t, "conseil@caf.fr", u+"/return", url.Values{"review": {"Précisez 1.2"},
			"review_level_1.2": {"non_atteint"}}); code != http.StatusSeeOther || s.status(t, id) != evaluation.Returned {
			t.Fatalf("return: %d, %s", code, s.status(t, id))
		}
		body := s.page(t, "agent@diois.fr", u)
		if !strings.Contains(body, "Précisez 1.2") || !strings.Contains(body, `formaction="`+u+`/submit"`) {
			t.Errorf("the returned evaluation is not the agent's to edit: %s", snippet(body))
		}
		if code, _, _ := s.as(t, "agent@diois.fr", u+"/submit", url.Values{"level_1.1": {"atteint"}, "level_1.2": {"atteint"},
			"comment_1.2": {"Suivi trimestriel"}}); code != http.StatusSeeOther {
			t.Fatalf("resubmit: %d", code)
		}
		if code, _, _ := s.as(t, "conseil@caf.fr", u+"/validate", nil); code != http.StatusSeeOther || s.status(t, id) != evaluation.Validated {
			t.Fatalf("validate: %d %s", code, s.status(t, id))
		}
		refused("conseil@caf.fr", u+"/validate", nil, http.StatusConflict)
		// reopening: a Caf administrator, with a reason, logged
		refused("conseil@caf.fr", u+"/reopen", url.Values{"reason": {"erreur"}}, http.StatusForbidden)
		refused("agent@diois.fr", u+"/reopen", url.Values{"reason": {"erreur"}}, http.StatusForbidden)
		refused("admin@caf.fr", u+"/reopen", nil, http.StatusUnprocessableEntity)
		if code, _, _ := s.as(t, "admin@caf.fr", u+"/reopen", url.Values{"reason": {"Coût du poste à corriger"}}); code != http.StatusSeeOther {
			t.Fatalf("reopen: %d", code)
		}
		e, _ := db.Evaluation(ctx, id)
		if e.Status != evaluation.Submitted || e.Frozen() {
			t.Errorf("reopened: %s, frozen %v", e.Status, e.Frozen())
		}
		audit, _ := db.AuditOf(ctx, store.EntityEvaluation, id)
		last := audit[len(audit)-1]
		if last.Action != store.ActReopen || last.UserName != "Anne Admin" || !strings.Contains(last.Detail, "Coût du poste à corriger") {
			t.Errorf("the reopening is not in the audit: %+v", last)
		}
		body = s.page(t, "copil@diois.fr", u)
		if !strings.Contains(body, "réouverture par l&#39;administration de la Caf (Anne Admin) : « Coût du poste à corriger »") {
			t.Errorf("the page's history does not show the reopening: %s", snippet(body))
		}
		// every reader reads it, the PDF too; another CTG's officer does not
		for _, who := range []string{"copil@diois.fr", "national@cnaf.fr", "collegue@diois.fr"} {
			s.page(t, who, u)
		}
		if code, body, h := get(t, s.clients["copil@diois.fr"], s.URL+u+"?format=pdf"); code != 200 || h.Get("Content-Type") != "application/pdf" ||
			!strings.HasPrefix(body, "%PDF") {
			t.Errorf("PDF: %d %s", code, h.Get("Content-Type"))
		}
		if code, _, _ := get(t, s.clients["ailleurs@royans.fr"], s.URL+u); code != http.StatusNotFound {
			t.Errorf("another CTG's officer reads it: %d", code)
		}
		// an evaluation named through another CTG does not exist there
		if code, _, _ := get(t, s.clients["admin@caf.fr"], s.URL+ctgURL(s.site.other.ID)+"/evaluations/"+itoa(id)); code != http.StatusNotFound {
			t.Errorf("evaluation through another CTG: %d", code)
		}
	})
}

// The views above the post: the CTG's evaluation lists its posts'
// evaluations with their status; the Caf summary counts them; the
// national one names nobody.
func TestEvaluationViewsAbovePost(t *testing.T) {
	storetest.ForEach(t, func(t *testing.T, db *store.DB) {
		s := newEvalSite(t, db)
		s.open(t)
		if code, _, _ := s.as(t, "conseil@caf.fr", s.evaluationURL+"/validate", nil); code != http.StatusSeeOther {
			t.Fatalf("validate: %d", code)
		}
		body := s.page(t, "copil@diois.fr", ctgURL(s.mine.ID)+"/evaluations")
		for _, want := range []string{"Agnès Agent", "Validée et figée", "Colin Collègue", "aucune évaluation", "Coût par ETP et par an"} {
			if !strings.Contains(body, want) {
				t.Errorf("CTG evaluation lacks %q", want)
			}
		}
		if strings.Contains(body, "Ouvrir l&#39;évaluation d&#39;un poste") {
			t.Error("a Copil member is offered to open an evaluation")
		}
		body = s.page(t, "admin@caf.fr", "/caf/evaluations")
		// three posts in the Caf's two CTGs, one evaluated
		if !strings.Contains(body, "Postes présents sur la période</dt><dd>3</dd>") ||
			!strings.Contains(body, "Postes dont une évaluation est validée</dt><dd>1 (33 %)") {
			t.Errorf("Caf summary: %s", snippet(body))
		}
		// 1.1 atteint and 1.2 partiellement atteint, once each
		if !regexp.MustCompile(`<td>1\.1 [^<]*</td><td class="num">1</td><td class="num">0</td><td class="num">0</td><td class="num">1</td>`).MatchString(body) ||
			!regexp.MustCompile(`<td>1\.2 [^<]*</td><td class="num">0</td><td class="num">1</td><td class="num">0</td><td class="num">1</td>`).MatchString(body) {
			t.Error("Caf summary: appraisals per function")
		}
		body = s.page(t, "national@cnaf.fr", "/national/evaluations")
		for _, name := range []string{"Agnès Agent", "Colin Collègue", "Alice Ailleurs", "CTG du Diois"} {
			if strings.Contains(body, name) {
				t.Errorf("the national summary names %q", name)
			}
		}
		if !strings.Contains(body, "Caf de la Drôme") || !strings.Contains(body, "Synthèse agrégée") {
			t.Errorf("national summary: %s", snippet(body))
		}
		for _, who := range []string{"conseil@caf.fr", "agent@diois.fr", "copil@diois.fr"} {
			if code, _, _ := get(t, s.clients[who], s.URL+"/caf/evaluations"); code != http.StatusForbidden {
				t.Errorf("%s reads the Caf summary: %d", who, code)
			}
		}
		if code, _, _ := get(t, s.clients["admin@caf.fr"], s.URL+"/national/evaluations"); code != http.StatusForbidden {
			t.Errorf("an administrator reads the national summary: %d", code)
		}
	})
}
