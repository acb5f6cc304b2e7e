package web

import (
	"bytes"
	"context"
	"io"
	"log/slog"
	"maps"
	"net/http"
	"net/http/httptest"
	"net/url"
	"regexp"
	"slices"
	"sort"
	"strings"
	"testing"

	"copilote/internal/account"
	"copilote/internal/config"
	"copilote/internal/demo"
	"copilote/internal/journal"
	"copilote/internal/nomenclature"
	"copilote/internal/store"
	"copilote/internal/store/storetest"
	"copilote/internal/survey"
)

// The interface never offers what it will refuse (issue 11, item 3). For
// every demo account, the crawl starts at the home page and follows every
// same-site link and GET form (a filter, sent as shown) of every page it
// reaches, breadth first; then it sends every POST form it met with what
// the page itself put in it (its hidden fields and its button), nothing a
// user would type. No link may answer 403, 404 or 5xx, nor send a
// signed-in user to the login page; no form may answer 403 or 5xx (a 422
// for the fields left empty is the expected answer, a 303 a write done).
//
// It runs here rather than in Chromium: the pages need no JavaScript, so a
// browser would add nothing to what links and forms lead to, while an
// in-process server crawls both engines, each on a demo of its own, in
// seconds, and reads each route's pattern from the mux to check that every
// page type was reached. Each engine's demo is loaded for this test only:
// the probes write (they delete, close, validate, sign out), so they run
// after every account's crawl, the weakest accounts first and the Caf
// administrator last, whose forms (accounts) could lock the others out.
//
// It is a crawl, not a list: pages added later are reached through their
// links, and a GET route that no page links to fails the coverage check
// below unless notLinked says why.

// URLs that differ only by their numbers (ids, years, page numbers) are
// one pattern (patternOf). An account follows at most perEdge links from
// pages of one pattern to pages of another, and visits at most perPattern
// pages of one pattern: records of every kind, author and state sit behind
// one pattern, and the page that links one says which (the bin links
// deleted records, a drill-down the records of its indicator), hence a
// bound per pair of patterns rather than per pattern alone.
const (
	perEdge    = 3
	perPattern = 30
)

// perForm bounds the probes of one form pattern per account.
const perForm = 3

// maxPages bounds one account's crawl.
const maxPages = 1500

// completeDemo adds what the demo lacks for every page and form to show:
// a record in the bin (its page, the restore button), a support with its
// file (today's, first in the journal), a wave without answers (its
// delete button), a merge of two partners an officer proposed (its
// confirm and reject buttons), a deactivated account (its reactivate and
// erase buttons) and a closed year, the convention's first (its reopen
// form).
func completeDemo(t *testing.T, db *store.DB) {
	t.Helper()
	ctx := context.Background()
	cs, err := db.CTGs(ctx, store.Scope{All: true})
	if err != nil {
		t.Fatal(err)
	}
	c := cs[0]
	recs, _, err := db.Records(ctx, store.RecordFilter{Scope: store.Scope{All: true}, CTGID: c.ID, Kind: journal.Projet, Limit: 1})
	if err != nil || len(recs) == 0 {
		t.Fatalf("no project in the demo: %v", err)
	}
	posts, err := db.Posts(ctx, c.ID)
	if err != nil || len(posts) == 0 {
		t.Fatalf("no post in the demo: %v", err)
	}
	names, err := db.PartnerNames(ctx, c.CafID)
	if err != nil || len(names) < 2 {
		t.Fatalf("fewer than two partners in the demo: %v", err)
	}
	ids := slices.Sorted(maps.Keys(names))
	proposal := store.MergeProposal{CafID: c.CafID, CTGID: c.ID, KeepID: ids[0], DupID: ids[1], Note: "même structure ?"}
	// named to come first in the list of accounts, whose first links the crawl follows
	departed := account.User{Email: "adele.ancienne@demo.copilote.fr", Name: "Adèle Ancienne", Role: account.Officer}
	today := db.Today()
	// the newest record: the journal's first line
	support := journal.Record{CTGID: c.ID, PostID: posts[0].ID, Kind: journal.Support, Date: today,
		Title: "Plaquette de la CTG", Nature: "plaquette", Audience: "habitants"}
	wave := survey.Wave{CTGID: c.ID, Audience: survey.Partners, Kind: nomenclature.WaveIntermediate, Date: today, Closes: today.AddDays(30)}
	err = db.Write(ctx, 0, func(tx *store.Tx) error {
		if err := tx.DeleteRecord(c.ID, recs[0].ID); err != nil {
			return err
		}
		if err := tx.SaveRecord(&support, nomenclature.Default); err != nil {
			return err
		}
		file := journal.Attachment{RecordID: support.ID, Name: "plaquette.pdf", ContentType: "application/pdf", Size: 5, Data: []byte("%PDF-")}
		if err := tx.SaveAttachment(c.ID, &file); err != nil {
			return err
		}
		if err := tx.ProposeMerge(&proposal); err != nil {
			return err
		}
		if err := tx.CreateAccount(&departed, c.CafID); err != nil {
			return err
		}
		if err := tx.SetActive(c.CafID, departed.ID, false); err != nil {
			return err
		}
		if err := tx.CreateWave(&wave, nomenclature.Default); err != nil {
			return err
		}
		return tx.CloseYear(c.ID, c.Years()[0])
	})
	if err != nil {
		t.Fatal(err)
	}
}

// notLinked are the GET routes no page of a signed-in user links to, and
// why; every other GET route must be reached by some account's crawl.
var notLinked = map[string]string{
	"GET /static/{hash}/{name}": "stylesheets are <link>, not pages",
	"GET /healthz":              "for monitoring",
	"GET /readyz":               "for the load balancer",
	"GET /bench/dashboard":      "load tests only, off by default",
	"GET /":                     "the catch-all 404",
	"GET /login":                "a signed-in user is sent home from it",
	"GET /password/forgot":      "linked from the sign-in page, which a signed-in user does not see",
	"GET /login/sso":            "single sign-on: offered on the sign-in page when a provider is configured, not in the demo",
	"GET /login/sso/callback":   "single sign-on: the identity provider's redirect",
	"GET /password/set":         "a one-time link, e-mailed or shown once to the administrator who made it",
	// an import's pages exist once a file is uploaded, which the crawl does
	// not do (it sends no file); the import tests walk them
	"GET /ctg/{ctg}/imports/{id}": "an uploaded file's draft: TestImport* in imports_test.go",
}

// notPosted are the POST routes no form of the demo's pages reaches as it
// stands, and why.
var notPosted = map[string]string{
	"POST /login":           "the crawl signs in through it before it starts",
	"POST /password/forgot": "its form is on a page for the signed out (GET /password/forgot)",
	"POST /password/set":    "its form is on a one-time link's page (GET /password/set)",
	// the demo holds no API token (a known one would open the demo to
	// anyone), and the crawl's posts create none: their name is required
	"POST /account/tokens/{id}/revoke":     "no token to revoke in the demo; TestAPITokenPage revokes one",
	"POST /ctg/{ctg}/imports/{id}/mapping": "an uploaded file's draft: TestImport* in imports_test.go",
	"POST /ctg/{ctg}/imports/{id}/commit":  "an uploaded file's draft: TestImport* in imports_test.go",
	"POST /ctg/{ctg}/imports/{id}/abandon": "an uploaded file's draft: TestImport* in imports_test.go",
	"POST /ctg/{ctg}/imports/{id}/undo":    "an import committed by a user: TestImport* in imports_test.go",
}

func TestCrawlEveryRoleNeverMeetsRefusal(t *testing.T) {
	if testing.Short() {
		t.Skip("loads the demo")
	}
	storetest.ForEach(t, func(t *testing.T, db *store.DB) {
		logins, err := demo.Load(context.Background(), db)
		if err != nil {
			t.Fatal(err)
		}
		if len(logins) != 10 {
			t.Fatalf("the demo has %d accounts, want 10", len(logins))
		}
		completeDemo(t, db)
		srv, err := New(db, config.Default(), slog.New(slog.NewTextHandler(io.Discard, nil)))
		if err != nil {
			t.Fatal(err)
		}
		ts := httptest.NewServer(srv.Handler())
		defer ts.Close()
		routes := map[string]bool{}
		var crawlers []*crawler
		for _, l := range logins {
			c := newCrawler(t, srv, ts.URL, l, routes)
			c.walk()
			crawlers = append(crawlers, c)
		}
		// first what writes nothing, on the demo as every crawl saw it
		for _, c := range crawlers {
			c.probeTyping()
		}
		for _, c := range slices.Backward(crawlers) {
			c.probeForms()
		}
		checkCoverage(t, srv.patterns, routes)
		total := 0
		for _, c := range crawlers {
			total += c.pages
		}
		t.Logf("%d pages and %d routes reached by %d accounts", total, len(routes), len(crawlers))
	})
}

type crawler struct {
	t      *testing.T
	srv    *Server
	base   *url.URL
	login  demo.Login
	client *http.Client
	token  string
	// fresh holds the links whose pair of patterns no visit followed yet,
	// taken first; later the others
	fresh, later []visit
	queued       map[string]bool
	visits       map[string]int // per pattern
	edges        map[string]int // per pattern linked from, and pattern linked to
	forms        []probe
	probed       map[string]int // per form pattern
	routes       map[string]bool
	pages        int
}

// visit is a URL to follow, with where it was found.
type visit struct {
	url, from, fromTitle, what string
	key, edge                  string // patternOf(url), and the pattern of from → key
}

// probe is a POST form to send, with where it was found.
type probe struct {
	sub             submission
	fillable        []string
	action          string
	from, fromTitle string
}

func newCrawler(t *testing.T, srv *Server, base string, l demo.Login, routes map[string]bool) *crawler {
	u, _ := url.Parse(base)
	c := &crawler{t: t, srv: srv, base: u, login: l, queued: map[string]bool{}, visits: map[string]int{}, edges: map[string]int{},
		probed: map[string]int{}, routes: routes}
	c.signIn()
	c.enqueue(visit{url: base + "/", from: "(connexion)", what: "page d'accueil"})
	return c
}

func (c *crawler) who() string { return c.login.Email + " (" + c.login.Role + ")" }

func (c *crawler) signIn() {
	c.t.Helper()
	c.client = client(c.t)
	code, _, h := post(c.t, c.client, c.base.String()+"/login", url.Values{"email": {c.login.Email}, "password": {demo.Password}})
	if code != http.StatusSeeOther {
		c.t.Fatalf("%s: sign-in answered %d (%s)", c.who(), code, h.Get("Location"))
	}
	_, body, _ := get(c.t, c.client, c.base.String()+"/")
	m := csrfRe.FindStringSubmatch(body)
	if m == nil {
		c.t.Fatalf("%s: no CSRF token on the home page", c.who())
	}
	c.token = m[1]
}

func (c *crawler) enqueue(v visit) {
	u, err := c.base.Parse(v.url)
	if err != nil || u.Host != c.base.Host || (u.Scheme != "http" && u.Scheme != "https") {
		return // another site, mailto:, tel:
	}
	u.Fragment = ""
	v.url = u.String()
	if c.queued[v.url] {
		return
	}
	c.queued[v.url] = true
	v.key, v.edge = patternOf(u), patternOf(u)
	if from, err := url.Parse(v.from); err == nil {
		v.edge = patternOf(from) + " → " + v.key
	}
	c.fresh = append(c.fresh, v)
}

// walk follows links and GET forms breadth first, those that lead from
// one pattern to another for the first time before the others.
func (c *crawler) walk() {
	for c.pages < maxPages {
		v, ok := c.next()
		if !ok {
			return
		}
		if c.visits[v.key] >= perPattern || c.edges[v.edge] >= perEdge {
			continue
		}
		c.visits[v.key]++
		c.edges[v.edge]++
		c.pages++
		u, _ := url.Parse(v.url)
		c.follow(v, u, v.key)
	}
}

func (c *crawler) next() (visit, bool) {
	for len(c.fresh) > 0 {
		v := c.fresh[0]
		c.fresh = c.fresh[1:]
		if c.edges[v.edge] == 0 {
			return v, true
		}
		c.later = append(c.later, v)
	}
	if len(c.later) == 0 {
		return visit{}, false
	}
	v := c.later[0]
	c.later = c.later[1:]
	return v, true
}

func (c *crawler) follow(v visit, u *url.URL, key string) {
	c.routes[c.route(http.MethodGet, u)] = true
	res, err := c.client.Get(v.url)
	if err != nil {
		c.t.Fatal(err)
	}
	body, _ := io.ReadAll(res.Body)
	res.Body.Close()
	where := res.Header.Get("Location")
	switch {
	case refusal(res.StatusCode) || res.StatusCode == http.StatusNotFound:
		c.fail(v.from, v.fromTitle, "le lien", v.what, v.url, res.StatusCode, body)
	case res.StatusCode == http.StatusSeeOther || res.StatusCode == http.StatusFound:
		if strings.HasPrefix(where, "/login") {
			c.fail(v.from, v.fromTitle, "le lien", v.what, v.url, res.StatusCode, []byte("renvoie à la connexion : "+where))
			return
		}
		c.enqueue(visit{url: resolve(u, where), from: v.from, fromTitle: v.fromTitle, what: v.what + " (redirection)"})
	case res.StatusCode != http.StatusOK:
		// another answer says something of the object itself: a closed
		// wave's questionnaire (409) tells the respondent it is closed
	case !strings.HasPrefix(res.Header.Get("Content-Type"), "text/html"):
		c.visits[key] = perPattern // one file of a kind is enough
	default:
		c.read(u, body)
	}
}

// read checks page u's text and queues what it offers.
func (c *crawler) read(u *url.URL, body []byte) {
	if code := englishRule(string(body)); code != "" {
		c.t.Errorf("%s: %s shows the English rule of %s", c.who(), c.path(u.String()), code)
	}
	p, err := parsePage(bytes.NewReader(body))
	if err != nil {
		c.t.Errorf("%s: %s does not parse: %v", c.who(), u, err)
		return
	}
	here := u.String()
	for _, l := range p.links {
		if vagueLink(l.text) {
			c.t.Errorf("%s : sur %s, le lien « %s » (%s) ne dit pas ce qu'il ouvre", c.who(), c.path(here), l.text, l.href)
		}
		c.enqueue(visit{url: resolve(u, l.href), from: here, fromTitle: p.title, what: "« " + l.text + " »"})
	}
	for _, f := range p.forms {
		for _, sub := range f.submissions() {
			c.offer(u, p.title, sub, f.fillable)
		}
	}
}

// offer queues a form's submission: a GET one as a link, a POST one as a
// probe, at most perForm of one pattern.
func (c *crawler) offer(page *url.URL, title string, sub submission, fillable []string) {
	action := page.String()
	if sub.action != "" {
		action = resolve(page, sub.action)
	}
	a, err := url.Parse(action)
	if err != nil {
		return
	}
	what := "« " + sub.label + " »"
	if sub.method == http.MethodGet {
		a.RawQuery = sub.body.Encode()
		c.enqueue(visit{url: a.String(), from: page.String(), fromTitle: title, what: "le formulaire " + what})
		return
	}
	key := sub.method + " " + patternOf(a)
	if c.probed[key] >= perForm {
		return
	}
	c.probed[key]++
	c.forms = append(c.forms, probe{sub: sub, fillable: fillable, action: a.String(), from: page.String(), fromTitle: title})
}

// probeTyping sends each POST form met as if the user had typed a NUL
// byte in each of its fields, which every form refuses on its field before
// it writes anything (newForm): the answer must be the form again, a 422
// whose error summary links each entry to a field of the page, so that
// nothing typed is lost. It uses the session's token in place of the
// page's, as probeForms.
func (c *crawler) probeTyping() {
	for _, p := range c.forms {
		if len(p.fillable) == 0 {
			continue
		}
		body := url.Values{}
		for k, vs := range p.sub.body {
			body[k] = vs
		}
		for _, name := range p.fillable {
			body.Set(name, "\x00")
		}
		status, answer := c.send(p, body)
		if summaryRe.Find(answer) == nil && !refusal(status) {
			c.t.Errorf("%s : le formulaire « %s » de %s, envoyé avec des caractères non valides, ne revient pas avec son résumé d'erreurs (ce que l'utilisateur a tapé est perdu) : %d %s",
				c.who(), p.sub.label, c.path(p.from), status, pageOf(answer))
		}
	}
}

// probeForms sends each POST form met with its hidden fields and its
// button only, nothing a user would type; it may write (delete, close,
// sign out). It uses the session's token in place of the page's: a probe
// may have ended the session the page was read in.
func (c *crawler) probeForms() {
	for _, p := range c.forms {
		c.send(p, p.sub.body)
	}
}

// send posts one probe and checks the answer.
func (c *crawler) send(p probe, body url.Values) (int, []byte) {
	body.Set("csrf", c.token)
	a, _ := url.Parse(p.action)
	c.routes[c.route(http.MethodPost, a)] = true
	res, err := c.client.PostForm(p.action, body)
	if err != nil {
		c.t.Fatal(err)
	}
	answer, _ := io.ReadAll(res.Body)
	res.Body.Close()
	if refusal(res.StatusCode) {
		c.fail(p.from, p.fromTitle, "le formulaire", "« "+p.sub.label+" »", "POST "+p.action, res.StatusCode, answer)
	}
	for _, gap := range summaryGaps(answer) {
		c.t.Errorf("%s : le formulaire « %s » de %s, renvoyé avec ses erreurs, nomme « %s » sans lien vers son champ",
			c.who(), p.sub.label, c.path(p.from), gap)
	}
	if code, _, _ := get(c.t, c.client, c.base.String()+"/"); code != http.StatusOK {
		c.signIn() // the form signed out, or ended the session otherwise
	}
	return res.StatusCode, answer
}

var (
	summaryRe     = regexp.MustCompile(`(?s)<div class="error-summary".*?</ul>`)
	summaryItemRe = regexp.MustCompile(`(?s)<li>(.*?)</li>`)
	summaryLinkRe = regexp.MustCompile(`^<a href="#([^"]+)">`)
)

// summaryGaps lists the entries of a page's error summary that link to no
// field of the page (issue 11, item 4: each names its field and leads to it).
func summaryGaps(page []byte) []string {
	box := summaryRe.Find(page)
	if box == nil {
		return nil
	}
	ids, _ := fieldsOf(page)
	var gaps []string
	for _, m := range summaryItemRe.FindAllSubmatch(box, -1) {
		link := summaryLinkRe.FindSubmatch(m[1])
		if link == nil {
			gaps = append(gaps, string(m[1]))
		} else if _, ok := ids[string(link[1])]; !ok {
			gaps = append(gaps, string(m[1])+" (#"+string(link[1])+" absent)")
		}
	}
	return gaps
}

// vagueLinks are link texts that do not name what they open (issue 11,
// item 5: « Fiche PE-1 : Ouvrir une micro-crèche à Menglon », not « voir
// la fiche »); a figure alone ("12", "non disponible") is one too.
var (
	vagueLinks = []string{"voir", "voir la fiche", "voir la réunion", "voir le détail", "détail", "ici", "cliquez ici",
		"lien", "ouvrir", "modifier", "supprimer", "alerte portée", "csv", "excel", "pdf", "suivante", "précédente",
		"première", "dernière", "non disponible", "en savoir plus", "(sans intitulé)", ""}
	bareFigureRe = regexp.MustCompile(`^[\d\s.,%€+\-−—–/]*$`)
)

func vagueLink(text string) bool {
	t := strings.ToLower(strings.TrimSpace(text))
	return slices.Contains(vagueLinks, t) || bareFigureRe.MatchString(t)
}

// refusal is an answer no control may lead to: signed out, refused, or
// broken.
func refusal(status int) bool {
	return status == http.StatusUnauthorized || status == http.StatusForbidden || status >= 500
}

func (c *crawler) fail(from, fromTitle, kind, what, target string, status int, body []byte) {
	c.t.Helper()
	c.t.Errorf("%s : sur %s (« %s »), %s %s mène à %s : %d %s", c.who(), c.path(from), fromTitle, kind, what,
		c.path(target), status, pageOf(body))
}

// path shortens a URL of the test server for messages.
func (c *crawler) path(s string) string { return strings.TrimPrefix(s, c.base.String()) }

// route is the pattern of the mux that serves u.
func (c *crawler) route(method string, u *url.URL) string {
	req, _ := http.NewRequest(method, u.String(), nil)
	_, pattern := c.srv.mux.Handler(req)
	return pattern
}

func resolve(base *url.URL, ref string) string {
	u, err := base.Parse(ref)
	if err != nil {
		return ""
	}
	return u.String()
}

var (
	digitsRe = regexp.MustCompile(`[0-9]+`)
	tokenRe  = regexp.MustCompile(`/[A-Za-z0-9_-]{16,}`)
)

// patternOf is u with its numbers and tokens blanked and its query keys
// sorted: /ctg/1/records/42?kind=decision is /ctg/{n}/records/{n}?kind=decision.
// A query of several keys is a filter or a drill-down: its values are
// blanked too, /ctg/1/journal?kind=alerte&page=3 is
// /ctg/{n}/journal?kind=*&page=*. The ok= of a confirmation is dropped.
func patternOf(u *url.URL) string {
	path := digitsRe.ReplaceAllString(tokenRe.ReplaceAllString(u.Path, "/{token}"), "{n}")
	q := u.Query()
	q.Del("ok")
	keys := make([]string, 0, len(q))
	for k := range q {
		keys = append(keys, k)
	}
	sort.Strings(keys)
	parts := make([]string, 0, len(keys))
	for _, k := range keys {
		v := "*"
		if len(keys) == 1 {
			v = digitsRe.ReplaceAllString(strings.Join(q[k], ","), "{n}")
		}
		parts = append(parts, k+"="+v)
	}
	return path + "?" + strings.Join(parts, "&")
}

// checkCoverage fails on a GET route no account reached and a POST route
// no form led to, unless the tables above say why.
func checkCoverage(t *testing.T, patterns []string, reached map[string]bool) {
	t.Helper()
	var missing []string
	for _, p := range patterns {
		if reached[p] || notLinked[p] != "" || notPosted[p] != "" {
			continue
		}
		missing = append(missing, p)
	}
	if len(missing) > 0 {
		t.Errorf("no demo account reached these routes through a link or a form (link them, or say why in notLinked or notPosted):\n%s",
			strings.Join(missing, "\n"))
	}
}
