package web

import (
	"bytes"
	"context"
	"io"
	"log/slog"
	"net/http"
	"net/http/httptest"
	"net/url"
	"regexp"
	"slices"
	"strconv"
	"strings"
	"testing"

	"copilote/internal/account"
	"copilote/internal/actionplan"
	"copilote/internal/civil"
	"copilote/internal/config"
	"copilote/internal/ctg"
	"copilote/internal/evaluation"
	"copilote/internal/exchange"
	"copilote/internal/journal"
	"copilote/internal/nomenclature"
	"copilote/internal/partner"
	"copilote/internal/store"
	"copilote/internal/store/storetest"
)

// The authorization matrix: every route, asked by every role, about the
// user's own CTG, another CTG of the same Caf and a CTG of another Caf. A
// probe of 1,201 requests on the demo found no bypass; this keeps it so as
// routes grow. Each route has one row saying what it needs; the answer
// expected of every user follows from reach (below) and the few exceptions
// the row names. A route registered without its row fails the test, and so
// does a row whose route is gone.

// who is a user of the matrix site.
type who string

const (
	anonymous who = "anonymous"
	officer   who = "officer"   // holds a post on own, and wrote its record
	colleague who = "colleague" // another officer with a post on own
	advisor   who = "advisor"   // granted own
	cafAdmin  who = "admin"     // administers Caf 1 (own and sibling)
	copilMbr  who = "copil"     // granted own, read only
	national  who = "national"  // reads every Caf
)

var everyone = []who{anonymous, officer, colleague, advisor, cafAdmin, copilMbr, national}

// where is the CTG a request names.
type where string

const (
	own     where = "own"     // Caf 1, the officer's
	sibling where = "sibling" // Caf 1, no grant but the admin's
	foreign where = "foreign" // Caf 2
	noCTG   where = "-"       // routes without {ctg}
)

// level is what a user may do on a CTG, lowest first.
type level int

const (
	none level = iota
	view
	record
	manage
	administer
)

// reach is the policy of the README, written by hand rather than read
// from authz: a change there must show here as failing rows.
var reach = map[who]map[where]level{
	officer:   {own: record},
	colleague: {own: record},
	advisor:   {own: manage},
	cafAdmin:  {own: administer, sibling: administer},
	copilMbr:  {own: view},
	national:  {own: view, sibling: view, foreign: view},
}

// rule is what a route asks of the user.
type rule struct {
	open  bool  // no session needed
	ctg   level // on the CTG of {ctg}
	only  []who // among signed-in users, the only ones let in (by the handler)
	label string
}

var (
	open   = rule{open: true, label: "public"}
	member = rule{label: "signed in"}
)

func on(l level) rule {
	return rule{ctg: l, label: [...]string{"", "view", "record", "manage", "administer"}[l] + " the CTG"}
}

func only(w ...who) rule {
	names := make([]string, len(w))
	for i, u := range w {
		names[i] = string(u)
	}
	return rule{only: w, label: "only " + strings.Join(names, ", ")}
}

// row is one route: what it needs, the answer when allowed (200 a page,
// 303 a write done, 422 the minimal form refused after the policy let it
// through), and who gets another answer than the rule says.
type row struct {
	pattern string
	variant string // a second row of one route, for another kind of object
	rule    rule
	ok      int
	form    url.Values // POST: the minimal form (the user's CSRF token is added)
	query   string
	// prepare makes what the request consumes: a record to delete, a
	// deleted record to restore, a session to end.
	prepare func(m *matrix, q *request)
	except  map[who]int
}

// notAuthor: an officer changes only the records of their own post; the
// own CTG's record is the officer's, not the colleague's.
var notAuthor = map[who]int{colleague: http.StatusForbidden}

// matrixRows is the policy at a glance, in the order of routes(). Allowed
// requests are sent in this order, refused ones before them all.
var matrixRows = []row{
	{pattern: "GET /static/{hash}/{name}", rule: open, ok: 200},
	{pattern: "GET /healthz", rule: open, ok: 200},
	{pattern: "GET /readyz", rule: open, ok: 200},
	// a signed-in user is sent home from the login page
	{pattern: "GET /login", rule: open, ok: 303, except: map[who]int{anonymous: 200}},
	// a right password: wrong ones from one address are soon refused with
	// 429 (store/login.go); on a session of its own, which it replaces
	{pattern: "POST /login", rule: open, ok: 303, form: url.Values{"email": {"national@matrice.fr"}, "password": {password}},
		prepare: freshSession},
	// single sign-on answers only where a provider is configured (sso_test.go)
	{pattern: "GET /login/sso", rule: open, ok: 404},
	{pattern: "GET /login/sso/callback", rule: open, ok: 404},
	{pattern: "POST /logout", rule: member, ok: 303, prepare: freshSession},
	{pattern: "GET /{$}", rule: member, ok: 200},
	{pattern: "GET /journal", rule: member, ok: 200},
	{pattern: "GET /caf/indicators", rule: only(cafAdmin, national), ok: 200, query: "?caf=026"},
	{pattern: "GET /caf/nomenclatures", rule: only(cafAdmin), ok: 200},
	{pattern: "GET /caf/audit", rule: only(cafAdmin), ok: 200},
	{pattern: "POST /caf/nomenclatures", rule: only(cafAdmin), ok: 422, form: url.Values{"kind": {"inconnue"}}},
	{pattern: "GET /national/indicators", rule: only(national), ok: 200},
	{pattern: "GET /ctg/new", rule: only(cafAdmin), ok: 200},
	{pattern: "POST /ctg", rule: only(cafAdmin), ok: 422},
	{pattern: "GET /ctg/{ctg}", rule: on(view), ok: 200},
	{pattern: "GET /ctg/{ctg}/edit", rule: on(manage), ok: 200},
	{pattern: "POST /ctg/{ctg}/edit", rule: on(manage), ok: 422},
	{pattern: "GET /ctg/{ctg}/posts/new", rule: on(manage), ok: 200},
	{pattern: "POST /ctg/{ctg}/posts", rule: on(manage), ok: 422},
	{pattern: "GET /ctg/{ctg}/posts/{id}", rule: on(manage), ok: 200},
	{pattern: "POST /ctg/{ctg}/posts/{id}", rule: on(manage), ok: 422},
	{pattern: "GET /ctg/{ctg}/posts/{id}/fiche", rule: on(view), ok: 200},
	{pattern: "POST /ctg/{ctg}/instances", rule: on(manage), ok: 422},
	{pattern: "GET /ctg/{ctg}/journal", rule: on(view), ok: 200},
	{pattern: "GET /ctg/{ctg}/indicators", rule: on(view), ok: 200},
	// the load test's page serves the last dashboard rendered to anyone:
	// --bench-page only, refused off loopback (config.Validate); after the
	// dashboard row, so that there is one to serve
	{pattern: "GET /bench/dashboard", rule: open, ok: 200},
	{pattern: "GET /ctg/{ctg}/indicators/{code}", rule: on(view), ok: 200},
	{pattern: "GET /ctg/{ctg}/targets", rule: on(manage), ok: 200},
	{pattern: "POST /ctg/{ctg}/targets", rule: on(manage), ok: 422, form: url.Values{"t_S11a_0": {"beaucoup"}}},
	{pattern: "GET /ctg/{ctg}/actions", rule: on(view), ok: 200},
	{pattern: "GET /ctg/{ctg}/actions/new", rule: on(record), ok: 200},
	{pattern: "POST /ctg/{ctg}/actions", rule: on(record), ok: 422},
	{pattern: "GET /ctg/{ctg}/actions/{id}", rule: on(view), ok: 200},
	{pattern: "GET /ctg/{ctg}/actions/{id}/edit", rule: on(record), ok: 200},
	{pattern: "POST /ctg/{ctg}/actions/{id}", rule: on(record), ok: 422},
	{pattern: "POST /ctg/{ctg}/actions/{id}/updates", rule: on(record), ok: 422},
	{pattern: "POST /ctg/{ctg}/actions/{id}/alert", rule: on(record), ok: 303},
	{pattern: "GET /ctg/{ctg}/partners", rule: on(view), ok: 200},
	{pattern: "GET /ctg/{ctg}/partners/new", rule: on(record), ok: 200},
	{pattern: "POST /ctg/{ctg}/partners", rule: on(record), ok: 422},
	{pattern: "GET /ctg/{ctg}/partners/{id}", rule: on(view), ok: 200},
	{pattern: "POST /ctg/{ctg}/partners/merge", rule: on(manage), ok: 422},
	{pattern: "GET /ctg/{ctg}/partners/{id}/edit", rule: on(record), ok: 200},
	{pattern: "POST /ctg/{ctg}/partners/{id}", rule: on(record), ok: 422},
	// imports (issue 13, item 2): whoever records on the CTG; a draft and
	// its undo are its author's (the officer's on own) and the managers'
	{pattern: "GET /ctg/{ctg}/imports", rule: on(record), ok: 200},
	{pattern: "POST /ctg/{ctg}/imports", rule: on(record), ok: 422},
	{pattern: "GET /ctg/{ctg}/imports/template/{kind}", rule: on(record), ok: 200},
	{pattern: "GET /ctg/{ctg}/imports/{id}", rule: on(record), ok: 200, except: notAuthor, prepare: importDraft},
	{pattern: "POST /ctg/{ctg}/imports/{id}/mapping", rule: on(record), ok: 303, except: notAuthor, prepare: importDraft,
		form: url.Values{"col_0": {"name"}, "col_1": {"type"}}},
	{pattern: "POST /ctg/{ctg}/imports/{id}/commit", rule: on(record), ok: 303, except: notAuthor, prepare: importDraft},
	{pattern: "POST /ctg/{ctg}/imports/{id}/abandon", rule: on(record), ok: 303, except: notAuthor, prepare: importDraft},
	// a draft is not undone: the answer says so, once the policy let it through
	{pattern: "POST /ctg/{ctg}/imports/{id}/undo", rule: on(record), ok: 409, except: notAuthor, prepare: importDraft},
	{pattern: "GET /ctg/{ctg}/records/new", rule: on(record), ok: 200},
	{pattern: "POST /ctg/{ctg}/records", rule: on(record), ok: 422, form: url.Values{"kind": {"projet"}}},
	{pattern: "GET /ctg/{ctg}/records/{id}", rule: on(view), ok: 200},
	// a deleted record is seen only by who may restore it; to the others
	// it does not exist
	{pattern: "GET /ctg/{ctg}/records/{id}", variant: "deleted", rule: on(view), ok: 200, prepare: deletedRecord,
		except: map[who]int{officer: 404, colleague: 404, advisor: 404, copilMbr: 404, national: 404}},
	{pattern: "GET /ctg/{ctg}/records/{id}/edit", rule: on(record), ok: 200, except: notAuthor},
	{pattern: "POST /ctg/{ctg}/records/{id}", rule: on(record), ok: 422, except: notAuthor},
	{pattern: "GET /ctg/{ctg}/records/{id}/delete", rule: on(record), ok: 200, except: notAuthor},
	{pattern: "POST /ctg/{ctg}/records/{id}/delete", rule: on(record), ok: 303, except: notAuthor, prepare: liveRecord},
	{pattern: "POST /ctg/{ctg}/records/{id}/restore", rule: on(administer), ok: 303, prepare: deletedRecord},
	{pattern: "GET /ctg/{ctg}/records/{id}/file", rule: on(view), ok: 200},
	// reports (issue 10): every reader of the CTG
	{pattern: "GET /ctg/{ctg}/bilan", rule: on(view), ok: 200},
	{pattern: "GET /ctg/{ctg}/matrice", rule: on(view), ok: 200},
	{pattern: "GET /ctg/{ctg}/copil", rule: on(view), ok: 200},
	// visibility surveys (issue 10, item 1); survey_test.go makes the waves
	{pattern: "GET /ctg/{ctg}/surveys", rule: on(view), ok: 200},
	{pattern: "GET /ctg/{ctg}/surveys/new", rule: on(record), ok: 200},
	{pattern: "POST /ctg/{ctg}/surveys", rule: on(record), ok: 422},
	{pattern: "GET /ctg/{ctg}/surveys/{id}", rule: on(view), ok: 200, prepare: answeredWave},
	{pattern: "POST /ctg/{ctg}/surveys/{id}/close", rule: on(record), ok: 303, prepare: openWave},
	// only a wave without answers, by who manages the CTG
	{pattern: "POST /ctg/{ctg}/surveys/{id}/delete", rule: on(manage), ok: 303, prepare: openWave},
	{pattern: "GET /ctg/{ctg}/surveys/{id}/paper", rule: on(record), ok: 200, prepare: openWave},
	{pattern: "POST /ctg/{ctg}/surveys/{id}/paper", rule: on(record), ok: 422, prepare: openWave},
	{pattern: "GET /ctg/{ctg}/surveys/{id}/qr.png", rule: on(view), ok: 200, prepare: openWave},
	{pattern: "GET /ctg/{ctg}/surveys/{id}/questionnaire.pdf", rule: on(view), ok: 200, prepare: openWave},
	{pattern: "GET /caf/surveys", rule: only(cafAdmin), ok: 200},
	{pattern: "POST /caf/surveys/questions", rule: only(cafAdmin), ok: 422, form: url.Values{"audience": {"habitants"}}},
	{pattern: "POST /caf/surveys/questions/{id}/retire", rule: only(cafAdmin), ok: 303, prepare: cafQuestion},
	{pattern: "POST /caf/surveys/comments", rule: only(cafAdmin), ok: 422, form: url.Values{"months": {"beaucoup"}}},
	// a link's questionnaire is anyone's, signed in or not; each request
	// answers a wave of its own (one answer per browser)
	{pattern: "GET /s/{token}", rule: open, ok: 200, prepare: publicWave},
	{pattern: "POST /s/{token}", rule: open, ok: 303, prepare: publicWave, form: url.Values{"i_services": {"4"}}},
	// evaluations (issue 10): the post's holder writes and submits, the
	// advisor reviews, returns, validates, an administrator reopens; each
	// write works on an evaluation of its own in the status it needs
	{pattern: "GET /ctg/{ctg}/evaluations", rule: on(view), ok: 200},
	{pattern: "POST /ctg/{ctg}/evaluations", rule: on(record), ok: 422},
	{pattern: "GET /ctg/{ctg}/evaluations/{id}", rule: on(view), ok: 200},
	{pattern: "POST /ctg/{ctg}/evaluations/{id}", rule: on(record), ok: 303, except: notHolder, prepare: evaluationIn(evaluation.Draft)},
	{pattern: "POST /ctg/{ctg}/evaluations/{id}/submit", rule: on(record), ok: 303, except: notHolder,
		form: url.Values{"level_1.1": {"atteint"}, "level_4.2": {"partiel"}}, prepare: evaluationIn(evaluation.Draft)},
	{pattern: "POST /ctg/{ctg}/evaluations/{id}/review", rule: on(manage), ok: 303, prepare: evaluationIn(evaluation.Submitted)},
	// returning asks for the advisor's opinion
	{pattern: "POST /ctg/{ctg}/evaluations/{id}/return", rule: on(manage), ok: 422, prepare: evaluationIn(evaluation.Submitted)},
	{pattern: "POST /ctg/{ctg}/evaluations/{id}/validate", rule: on(manage), ok: 303, prepare: evaluationIn(evaluation.Submitted)},
	{pattern: "POST /ctg/{ctg}/evaluations/{id}/reopen", rule: on(administer), ok: 303, form: url.Values{"reason": {"Erreur de saisie"}},
		prepare: evaluationIn(evaluation.Validated)},
	{pattern: "GET /caf/evaluations", rule: only(cafAdmin, national), ok: 200, query: "?caf=026"},
	{pattern: "GET /national/evaluations", rule: only(national), ok: 200},
	// accounts (issue 11, item 6): a Caf's administrators run its accounts;
	// each write works on a fresh account of Caf 1 (the matrix's users
	// stay as they are), in the state it needs
	{pattern: "GET /caf/accounts", rule: only(cafAdmin), ok: 200},
	{pattern: "GET /caf/accounts", variant: "csv", rule: only(cafAdmin), ok: 200, query: "?format=csv&role=cooperateur"},
	{pattern: "GET /caf/accounts/new", rule: only(cafAdmin), ok: 200},
	{pattern: "POST /caf/accounts", rule: only(cafAdmin), ok: 422, form: url.Values{"role": {"national"}}},
	{pattern: "GET /caf/accounts/{id}", rule: only(cafAdmin), ok: 200, prepare: freshAccount(true)},
	{pattern: "POST /caf/accounts/{id}/role", rule: only(cafAdmin), ok: 303, form: url.Values{"role": {"copil"}}, prepare: freshAccount(true)},
	{pattern: "POST /caf/accounts/{id}/deactivate", rule: only(cafAdmin), ok: 303, prepare: freshAccount(true)},
	{pattern: "POST /caf/accounts/{id}/reactivate", rule: only(cafAdmin), ok: 303, prepare: freshAccount(false)},
	// the link is shown on the page answered, not after a redirect; it
	// changes nothing pages compute (the data version stays)
	{pattern: "POST /caf/accounts/{id}/link", rule: only(cafAdmin), ok: 200, prepare: freshAccount(true)},
	{pattern: "POST /caf/accounts/{id}/grants", rule: only(cafAdmin), ok: 422, prepare: freshAccount(true)},
	{pattern: "POST /caf/accounts/{id}/grants/withdraw", rule: only(cafAdmin), ok: 422, prepare: freshAccount(true)},
	// personal data (RGPD): an account's, for the Caf's administrators, who
	// erase a deactivated one; everyone's own
	{pattern: "GET /caf/accounts/{id}/donnees", rule: only(cafAdmin), ok: 200, prepare: freshAccount(true)},
	{pattern: "GET /caf/accounts/{id}/donnees", variant: "json", rule: only(cafAdmin), ok: 200, query: "?format=json", prepare: freshAccount(true)},
	{pattern: "POST /caf/accounts/{id}/erase", rule: only(cafAdmin), ok: 303, form: url.Values{"confirm": {"oui"}}, prepare: freshAccount(false)},
	// every user's own account; the minimal form lacks the current password
	{pattern: "GET /account", rule: member, ok: 200},
	{pattern: "GET /account/donnees", rule: member, ok: 200},
	{pattern: "GET /account/donnees", variant: "json", rule: member, ok: 200, query: "?format=json"},
	{pattern: "POST /account/password", rule: member, ok: 422},
	// the API's personal access tokens: each user's own; a token made is
	// shown on the page answered (200), and changes nothing pages compute;
	// a revocation needs a token of the user's own (apiToken)
	{pattern: "GET /account/tokens", rule: member, ok: 200},
	{pattern: "POST /account/tokens", rule: member, ok: 200, form: url.Values{"name": {"Tableau de bord"}, "scope": {"read"}}},
	{pattern: "POST /account/tokens/{id}/revoke", rule: member, ok: 303, prepare: ownToken},
	// forgotten passwords: anyone, signed in or not; a link's page and form
	// are anyone's who holds the link, each request with a link of its own
	{pattern: "GET /password/forgot", rule: open, ok: 200},
	{pattern: "POST /password/forgot", rule: open, ok: 303, prepare: forgotten},
	{pattern: "GET /password/set", rule: open, ok: 200, prepare: freshLink},
	{pattern: "POST /password/set", rule: open, ok: 303, prepare: freshLink},
	// links between things (issue 11, item 5): a merge proposal, by who
	// records; its rejection, by who merges, each of a proposal of its own
	{pattern: "POST /ctg/{ctg}/partners/proposals", rule: on(record), ok: 422},
	{pattern: "POST /ctg/{ctg}/partners/proposals/{id}/reject", rule: on(manage), ok: 303, prepare: mergeProposal},
	// closed years, last: once closed, 2024 refuses the other rows' writes
	{pattern: "POST /ctg/{ctg}/years/{year}/close", rule: on(administer), ok: 303},
	{pattern: "POST /ctg/{ctg}/years/{year}/reopen", rule: on(administer), ok: 303, form: url.Values{"reason": {"Saisie oubliée"}}},
	// the Caf's open data (issue 13, item 3): its administrators import a
	// file; a form without one is refused on its field, changing nothing
	{pattern: "GET /caf/opendata", rule: only(cafAdmin), ok: 200},
	{pattern: "POST /caf/opendata", rule: only(cafAdmin), ok: 422},
	{pattern: "GET /", rule: open, ok: 404},
}

// ownToken gives each request a live token of the user's own to revoke
// (anonymous: the national account's, which it may not touch).
func ownToken(m *matrix, q *request) {
	u := m.users[q.who]
	if q.who == anonymous {
		u = m.users[national]
	}
	err := m.db.Write(context.Background(), u.ID, func(tx *store.Tx) error {
		t, err := tx.CreateAPIToken("Matrice", store.TokenRead)
		q.id = t.ID
		return err
	})
	if err != nil {
		m.t.Fatal(err)
	}
}

// freshAccount gives each request an officer account of Caf 1 of its
// own, active or deactivated.
func freshAccount(active bool) func(m *matrix, q *request) {
	return func(m *matrix, q *request) { q.id = m.newAccount(active).User.ID }
}

// forgotten asks for a link for an address of its own (each address may
// ask three times an hour), as a client without a session when anonymous.
func forgotten(m *matrix, q *request) {
	m.accounts++
	q.form = url.Values{"email": {"oubli" + strconv.Itoa(m.accounts) + "@matrice.fr"}}
	signedOut(m, q)
}

// signedOut gives anonymous a client of its own: the anonymous client
// signed in with the POST /login row.
func signedOut(m *matrix, q *request) {
	if q.who == anonymous {
		q.client = client(m.t)
	}
}

// freshLink gives each request the invitation of a fresh account, in the
// address (GET) or the form (POST) as the page sends it.
func freshLink(m *matrix, q *request) {
	signedOut(m, q)
	l := m.newAccount(true)
	q.query = "?token=" + url.QueryEscape(l.Token)
	q.form = url.Values{"token": {l.Token}, "password": {"un mot de passe choisi"}, "confirm": {"un mot de passe choisi"}}
}

func (m *matrix) newAccount(active bool) store.Link {
	m.t.Helper()
	m.accounts++
	caf, admin := m.sites[own].ctg.CafID, m.users[cafAdmin].ID
	u := account.User{Email: "compte" + strconv.Itoa(m.accounts) + "@matrice.fr", Name: "Compte " + strconv.Itoa(m.accounts), Role: account.Officer}
	var l store.Link
	err := m.db.Write(context.Background(), admin, func(tx *store.Tx) error {
		err := tx.CreateAccount(&u, caf)
		if err == nil {
			l, err = tx.IssueLink(caf, u.ID)
		}
		if err == nil && !active {
			err = tx.SetActive(caf, u.ID, false)
		}
		return err
	})
	if err != nil {
		m.t.Fatal(err)
	}
	return l
}

// mergeProposal is an open proposal to merge the site's partner with a new
// one of its Caf.
func mergeProposal(m *matrix, q *request) {
	m.t.Helper()
	s := m.sites[q.where]
	m.periods++ // a name of its own
	err := m.db.Write(context.Background(), 0, func(tx *store.Tx) error {
		dup := partner.Partner{CafID: s.ctg.CafID, Name: "Doublon " + strconv.Itoa(m.periods), Type: "association"}
		if err := tx.SavePartner(&dup, nomenclature.Default); err != nil {
			return err
		}
		p := store.MergeProposal{CafID: s.ctg.CafID, CTGID: s.ctg.ID, KeepID: s.partner, DupID: dup.ID}
		err := tx.ProposeMerge(&p)
		q.id = p.ID
		return err
	})
	if err != nil {
		m.t.Fatal(err)
	}
}

// notHolder: only the post's holder writes its self-appraisal; on own the
// post is the officer's.
var notHolder = map[who]int{colleague: http.StatusForbidden, advisor: http.StatusForbidden, cafAdmin: http.StatusForbidden}

// evaluationIn gives each request an evaluation of its own, of the CTG's
// first post (the officer's on own), in status st.
func evaluationIn(st evaluation.Status) func(m *matrix, q *request) {
	return func(m *matrix, q *request) { q.id = m.newEvaluation(q.where, st) }
}

func (m *matrix) newEvaluation(w where, st evaluation.Status) int64 {
	m.t.Helper()
	s := m.sites[w]
	m.periods++ // one post, one period each
	e := evaluation.Evaluation{From: s.ctg.Start.AddDays(m.periods), To: s.ctg.End}
	write := func(fn func(tx *store.Tx) error) {
		if err := m.db.Write(context.Background(), 0, fn); err != nil {
			m.t.Fatal(err)
		}
	}
	write(func(tx *store.Tx) error {
		p, err := m.db.Post(context.Background(), s.post)
		if err != nil {
			return err
		}
		if err := tx.CreateEvaluation(&e, s.ctg, p); err != nil || st == evaluation.Draft {
			return err
		}
		e.Appraisals = []evaluation.Appraisal{{Function: "1.1", Level: "atteint"}, {Function: "4.2", Level: "atteint"}}
		if err := tx.SaveEvaluation(&e); err != nil {
			return err
		}
		return tx.SubmitEvaluation(&e)
	})
	if st == evaluation.Validated {
		version := m.version()
		write(func(tx *store.Tx) error {
			return tx.ValidateEvaluation(&e, `{"kind":"evaluation_poste"}`, version, 0, "Conseil")
		})
	}
	return e.ID
}

// expect is the answer row r owes u about the CTG at w, and whether the
// request is refused (then it must change nothing).
func (r row) expect(u who, w where) (status int, refused bool) {
	if u == anonymous && !r.rule.open {
		if r.post() {
			return http.StatusUnauthorized, true
		}
		return http.StatusSeeOther, true // to /login?next=…
	}
	switch l := reach[u][w]; {
	case r.rule.ctg != none && l == none:
		return http.StatusNotFound, true // like a CTG that does not exist
	case r.rule.ctg != none && l < r.rule.ctg:
		return http.StatusForbidden, true
	case r.rule.only != nil && !slices.Contains(r.rule.only, u):
		return http.StatusForbidden, true
	}
	if s, ok := r.except[u]; ok {
		return s, s == http.StatusForbidden || s == http.StatusNotFound
	}
	return r.ok, false
}

func (r row) post() bool { return strings.HasPrefix(r.pattern, "POST ") }

func (r row) targets() []where {
	if strings.Contains(r.pattern, "{ctg}") {
		return []where{own, sibling, foreign}
	}
	return []where{noCTG}
}

// matrix is the site: two Cafs, in the first the CTGs own and sibling, in
// the second foreign; each CTG with a post, a record (a support with its
// file), a fiche action, and its Caf's partner.
type matrix struct {
	*httptest.Server
	t       *testing.T
	db      *store.DB
	srv     *Server
	sites   map[where]*matrixCTG
	users   map[who]account.User
	clients map[who]*http.Client
	tokens  map[who]string
	// periods makes each evaluation's period its own
	periods int
	// accounts numbers the accounts made for the requests
	accounts int
}

type matrixCTG struct {
	ctg     ctg.CTG
	post    int64 // on own, the officer's
	record  int64 // written as post
	action  int64
	partner int64
	// evaluation of post, a draft
	evaluation int64
}

func newMatrix(t *testing.T, db *store.DB) *matrix {
	t.Helper()
	m := &matrix{t: t, db: db, sites: map[where]*matrixCTG{}, users: map[who]account.User{},
		clients: map[who]*http.Client{}, tokens: map[who]string{}}
	if err := db.Write(context.Background(), 0, m.fill); err != nil {
		t.Fatal(err)
	}
	cfg := config.Default()
	cfg.BenchPage = true // so that its route is registered and has its row
	srv, err := New(db, cfg, slog.New(slog.NewTextHandler(io.Discard, nil)))
	if err != nil {
		t.Fatal(err)
	}
	m.srv, m.Server = srv, httptest.NewServer(srv.Handler())
	t.Cleanup(m.Close)
	m.clients[anonymous] = client(t)
	for _, u := range everyone[1:] {
		m.clients[u], m.tokens[u] = m.signIn(u)
	}
	return m
}

func (m *matrix) fill(tx *store.Tx) error {
	n := nomenclature.Default
	cafs := []ctg.Caf{{Code: "026", Name: "Caf de la Drôme"}, {Code: "038", Name: "Caf de l'Isère"}}
	for i := range cafs {
		if err := tx.CreateCaf(&cafs[i]); err != nil {
			return err
		}
	}
	for _, c := range []struct {
		w   where
		caf ctg.Caf
	}{{own, cafs[0]}, {sibling, cafs[0]}, {foreign, cafs[1]}} {
		s := &matrixCTG{ctg: ctg.CTG{CafID: c.caf.ID, Name: "CTG " + string(c.w), Axes: []string{"petite_enfance"},
			Start: civil.MustParse("2023-01-01"), End: civil.MustParse("2026-12-31")}}
		if err := tx.CreateCTG(&s.ctg, n); err != nil {
			return err
		}
		m.sites[c.w] = s
	}
	for _, u := range everyone[1:] {
		a := account.User{Email: string(u) + "@matrice.fr", Name: "Compte " + string(u), CafID: cafs[0].ID,
			Role: map[who]account.Role{officer: account.Officer, colleague: account.Officer, advisor: account.Advisor,
				cafAdmin: account.Admin, copilMbr: account.Copil, national: account.National}[u]}
		if u == national {
			a.CafID = 0
		}
		if err := tx.CreateUser(&a, password); err != nil {
			return err
		}
		m.users[u] = a
	}
	for _, u := range []who{advisor, copilMbr} {
		if err := tx.GrantCTG(m.users[u].ID, m.sites[own].ctg.ID); err != nil {
			return err
		}
	}
	partners := map[int64]int64{}
	for _, caf := range cafs {
		p := partner.Partner{CafID: caf.ID, Name: "Centre social de la " + caf.Name, Type: "association"}
		if err := tx.SavePartner(&p, n); err != nil {
			return err
		}
		partners[caf.ID] = p.ID
	}
	for _, w := range []where{own, sibling, foreign} {
		if err := m.fillCTG(tx, w, partners); err != nil {
			return err
		}
	}
	return nil
}

// fillCTG gives a CTG its post (the officer's on own, beside the
// colleague's), its record with a file, its fiche action and partner.
func (m *matrix) fillCTG(tx *store.Tx, w where, partners map[int64]int64) error {
	n, s := nomenclature.Default, m.sites[w]
	holders := []int64{0}
	if w == own {
		holders = []int64{m.users[officer].ID, m.users[colleague].ID}
	}
	for i, h := range holders {
		p := ctg.Post{CTGID: s.ctg.ID, UserID: h, Person: "Poste " + strconv.Itoa(i), Employer: "CC", ETP: 100,
			Start: s.ctg.Start, Functions: []string{"1.1", "4.2"}}
		if err := tx.SavePost(&p, n); err != nil {
			return err
		}
		if i == 0 {
			s.post = p.ID
		}
	}
	r := journal.Record{CTGID: s.ctg.ID, PostID: s.post, Kind: journal.Support, Date: civil.MustParse("2024-03-01"),
		Title: "Plaquette", Nature: "plaquette", Audience: "habitants"}
	if err := tx.SaveRecord(&r, n); err != nil {
		return err
	}
	s.record = r.ID
	file := journal.Attachment{RecordID: r.ID, Name: "plaquette.pdf", ContentType: "application/pdf", Size: 5, Data: []byte("%PDF-")}
	if err := tx.SaveAttachment(s.ctg.ID, &file); err != nil {
		return err
	}
	a := actionplan.Action{CTGID: s.ctg.ID, Code: "A-1", Title: "Ouvrir un RPE", Axis: "petite_enfance"}
	if err := tx.SaveAction(&a, n); err != nil {
		return err
	}
	s.action, s.partner = a.ID, partners[s.ctg.CafID]
	p, err := tx.Posts(s.ctg.ID)
	if err != nil {
		return err
	}
	e := evaluation.Evaluation{From: s.ctg.Start, To: s.ctg.End}
	if err := tx.CreateEvaluation(&e, s.ctg, p[0]); err != nil {
		return err
	}
	s.evaluation = e.ID
	return nil
}

// signIn opens a session for u and reads its CSRF token.
func (m *matrix) signIn(u who) (*http.Client, string) {
	m.t.Helper()
	c := client(m.t)
	code, _, _ := post(m.t, c, m.URL+"/login", url.Values{"email": {m.users[u].Email}, "password": {password}})
	if code != http.StatusSeeOther {
		m.t.Fatalf("login %s: %d", u, code)
	}
	return c, csrfOf(m.t, c, m.URL+"/")
}

// request is one cell of the matrix.
type request struct {
	row      row
	who      who
	where    where
	id       int64      // the object of {id}
	query    string     // when set, instead of the row's query
	form     url.Values // added to the row's form
	client   *http.Client
	token    string
	want     int
	refused  bool
	asString string
}

func (m *matrix) request(r row, u who, w where) *request {
	q := &request{row: r, who: u, where: w, client: m.clients[u], token: m.tokens[u]}
	q.want, q.refused = r.expect(u, w)
	if s := m.sites[w]; s != nil {
		q.id = map[string]int64{"posts": s.post, "actions": s.action, "partners": s.partner, "records": s.record,
			"evaluations": s.evaluation}[segmentBeforeID(r.pattern)]
	}
	if r.prepare != nil {
		r.prepare(m, q)
	}
	q.asString = r.pattern + " (" + r.rule.label + ") as " + string(u)
	if r.variant != "" {
		q.asString = r.pattern + " [" + r.variant + "] (" + r.rule.label + ") as " + string(u)
	}
	if w != noCTG {
		q.asString += " on " + string(w)
	}
	return q
}

// segmentBeforeID names what {id} stands for: "records" in /records/{id}.
func segmentBeforeID(pattern string) string {
	before, _, ok := strings.Cut(pattern, "/{id}")
	if !ok {
		return ""
	}
	return before[strings.LastIndex(before, "/")+1:]
}

func (m *matrix) url(q *request) string {
	_, p, _ := strings.Cut(q.row.pattern, " ")
	p = strings.TrimSuffix(p, "{$}")
	if p == "/" && q.row.pattern == "GET /" {
		p = "/nulle-part" // the catch-all
	}
	var ctgID int64
	if s := m.sites[q.where]; s != nil {
		ctgID = s.ctg.ID
	}
	p = strings.NewReplacer("{ctg}", strconv.FormatInt(ctgID, 10), "{id}", strconv.FormatInt(q.id, 10),
		"{code}", "S11a", "{year}", "2024", "{kind}", "partners", "{hash}", m.srv.assets.hashes["app.css"], "{name}", "app.css").Replace(p)
	if q.query != "" {
		return m.URL + p + q.query
	}
	return m.URL + p + q.row.query
}

// send asks and checks the answer; a refused request, and any request
// but a write the user may make, must leave the data as it was.
func (m *matrix) send(q *request) {
	t := m.t
	t.Helper()
	before := m.version()
	var res *http.Response
	var err error
	if q.row.post() {
		form := url.Values{}
		for k, v := range q.row.form {
			form[k] = v
		}
		for k, v := range q.form {
			form[k] = v
		}
		if q.token != "" {
			form.Set("csrf", q.token)
		}
		res, err = q.client.PostForm(m.url(q), form)
	} else {
		res, err = q.client.Get(m.url(q))
	}
	if err != nil {
		t.Fatal(err)
	}
	body, _ := io.ReadAll(res.Body)
	res.Body.Close()
	where := res.Header.Get("Location")
	switch {
	case res.StatusCode != q.want:
		t.Errorf("%s: %d, want %d (%s)", q.asString, res.StatusCode, q.want, pageOf(body))
	case q.who == anonymous && !q.row.rule.open && q.want == http.StatusSeeOther && !strings.HasPrefix(where, "/login?next="):
		t.Errorf("%s: sent to %q, want the login page", q.asString, where)
	case q.who != anonymous && strings.HasPrefix(where, "/login?next="):
		t.Errorf("%s: sent to the login page (%q) though signed in", q.asString, where)
	}
	writes := q.row.post() && !q.refused && q.want == http.StatusSeeOther
	if after := m.version(); after != before && !writes {
		t.Errorf("%s: changed the data (version %d → %d)", q.asString, before, after)
	}
}

// pageOf names the page answered, for failure messages.
func pageOf(body []byte) string {
	if m := titleRe.FindSubmatch(body); m != nil {
		return "page « " + string(m[1]) + " »"
	}
	return snippet(string(body))
}

var titleRe = regexp.MustCompile(`<title>([^<]*)</title>`)

func (m *matrix) version() int64 {
	m.t.Helper()
	v, err := m.db.DataVersion(context.Background())
	if err != nil {
		m.t.Fatal(err)
	}
	return v
}

// export is the whole database as the exchange format carries it.
func (m *matrix) export() string {
	m.t.Helper()
	var b bytes.Buffer
	if _, err := m.db.Export(context.Background(), &b, exchange.ExportOptions{}); err != nil {
		m.t.Fatal(err)
	}
	return b.String()
}

// freshSession ends a session of its own, not the one the other rows use.
func freshSession(m *matrix, q *request) {
	if q.who != anonymous {
		q.client, q.token = m.signIn(q.who)
	}
}

// liveRecord is a record to delete, written as the CTG's first post (the
// officer's on own), one per request since an allowed delete consumes it.
func liveRecord(m *matrix, q *request) { q.id = m.newRecord(q.where, false) }

// deletedRecord is a record in the bin, for restore to bring back.
func deletedRecord(m *matrix, q *request) { q.id = m.newRecord(q.where, true) }

func (m *matrix) newRecord(w where, deleted bool) int64 {
	m.t.Helper()
	s := m.sites[w]
	r := journal.Record{CTGID: s.ctg.ID, PostID: s.post, Kind: journal.Projet, Date: civil.MustParse("2024-04-01"), Title: "Jardin",
		Axis: "petite_enfance"}
	err := m.db.Write(context.Background(), 0, func(tx *store.Tx) error {
		if err := tx.SaveRecord(&r, nomenclature.Default); err != nil || !deleted {
			return err
		}
		return tx.DeleteRecord(s.ctg.ID, r.ID)
	})
	if err != nil {
		m.t.Fatal(err)
	}
	return r.ID
}

// importDraft is a partner file waiting for its commit, the officer's on
// own, one per request since a commit or an abandon consumes it.
func importDraft(m *matrix, q *request) {
	m.t.Helper()
	s := m.sites[q.where]
	if s == nil {
		return
	}
	var author int64
	if q.where == own {
		author = m.users[officer].ID
	}
	m.accounts++
	b := &store.ImportBatch{CafID: s.ctg.CafID, CTGID: s.ctg.ID, Kind: "partners", FileName: "partenaires.csv", Lines: 1,
		Sheet:   []byte(`{"header":["Nom","Type"],"rows":[{"line":2,"cells":["Maison ` + strconv.Itoa(m.accounts) + `","association"]}]}`),
		Mapping: `{"columns":["name","type"]}`}
	if err := m.db.Write(context.Background(), author, func(tx *store.Tx) error { return tx.CreateImport(b) }); err != nil {
		m.t.Fatal(err)
	}
	q.id = b.ID
}

func TestAuthorizationMatrix(t *testing.T) {
	storetest.ForEach(t, func(t *testing.T, db *store.DB) {
		m := newMatrix(t, db)
		if !checkRows(t, m.srv.patterns) {
			return
		}
		var refused, allowed []*request
		for _, r := range matrixRows {
			for _, w := range r.targets() {
				for _, u := range everyone {
					q := m.request(r, u, w)
					if q.refused {
						refused = append(refused, q)
					} else {
						allowed = append(allowed, q)
					}
				}
			}
		}
		// the refused requests first, between two exports: none may have
		// changed a byte, whether it wrote an audit row or not
		before := m.export()
		for _, q := range refused {
			m.send(q)
		}
		if after := m.export(); after != before {
			t.Errorf("refused requests changed the data:\n%s", lineDiff(before, after))
		}
		for _, q := range allowed {
			m.send(q)
		}
		t.Logf("%d requests: %d refused, %d allowed", len(refused)+len(allowed), len(refused), len(allowed))
	})
}

// lineDiff lists the lines of the export that went (-) and came (+).
func lineDiff(before, after string) string {
	was, is := strings.Split(before, "\n"), strings.Split(after, "\n")
	var out []string
	for _, l := range was {
		if !slices.Contains(is, l) {
			out = append(out, "- "+l)
		}
	}
	for _, l := range is {
		if !slices.Contains(was, l) {
			out = append(out, "+ "+l)
		}
	}
	return strings.Join(out, "\n")
}

// checkRows compares the routes the server registered with the table: a
// new route needs its row, and a row outlives no route.
func checkRows(t *testing.T, patterns []string) bool {
	t.Helper()
	rows := map[string]bool{}
	variants := map[string]bool{}
	for _, r := range matrixRows {
		if variants[r.pattern+"|"+r.variant] {
			t.Errorf("route %q has two rows", r.pattern)
		}
		variants[r.pattern+"|"+r.variant], rows[r.pattern] = true, true
	}
	for _, p := range patterns {
		if !rows[p] {
			t.Errorf("route %q has no row in the authorization matrix (matrixRows): say what it needs and who may", p)
		}
		delete(rows, p)
	}
	for p := range rows {
		t.Errorf("row %q names no registered route: remove it", p)
	}
	return !t.Failed()
}
