package web

import (
	"bytes"
	"context"
	"encoding/json"
	"io"
	"net/http"
	"net/url"
	"sort"
	"strconv"
	"strings"
	"testing"
	"time"

	"github.com/pb33f/libopenapi"
	validator "github.com/pb33f/libopenapi-validator"

	"copilote/internal/store"
	"copilote/internal/store/storetest"
	"copilote/internal/survey"
)

// apiClient calls the API of a matrix site and checks every answer (and
// every request meant to be valid) against the OpenAPI document, with a
// maintained validator (libopenapi-validator, OpenAPI 3.1 and JSON Schema
// 2020-12), not a hand-written one.
type apiClient struct {
	*matrix
	v validator.Validator
	// called counts the requests per route pattern, so that the test
	// fails on a route it never called
	called    map[string]int
	validated int
}

func newAPIClient(t *testing.T, m *matrix) *apiClient {
	t.Helper()
	doc, err := libopenapi.NewDocument(apiSpec)
	if err != nil {
		t.Fatal(err)
	}
	v, errs := validator.NewValidator(doc)
	if len(errs) > 0 {
		t.Fatal(errs)
	}
	if ok, errs := v.ValidateDocument(); !ok {
		for _, e := range errs {
			t.Errorf("the OpenAPI document is not valid: %s (%s)", e.Message, e.Reason)
		}
		t.FailNow()
	}
	return &apiClient{matrix: m, v: v, called: map[string]int{}}
}

// token makes a token for user u.
func (a *apiClient) token(u who, scope store.TokenScope) string {
	a.t.Helper()
	var tok store.APIToken
	err := a.db.Write(context.Background(), a.users[u].ID, func(tx *store.Tx) error {
		var err error
		tok, err = tx.CreateAPIToken("Essai "+string(u), scope)
		return err
	})
	if err != nil {
		a.t.Fatal(err)
	}
	return tok.Secret
}

// call is one request to the API.
type call struct {
	route   string // the pattern it exercises ("GET /api/v1/ctgs/{ctg}")
	path    string // with its query
	token   string
	body    any
	ifMatch string
	want    int
	// invalid: the request breaks the document on purpose (no If-Match, a
	// refused body); only the answer is validated then
	invalid bool
}

type answer struct {
	status int
	header http.Header
	body   []byte
}

func (ans answer) json(t *testing.T, v any) {
	t.Helper()
	if err := json.Unmarshal(ans.body, v); err != nil {
		t.Fatalf("%s: %v", ans.body, err)
	}
}

func (a *apiClient) do(c call) answer {
	t := a.t
	t.Helper()
	method, _, _ := strings.Cut(c.route, " ")
	var body []byte
	if c.body != nil {
		var err error
		if body, err = json.Marshal(c.body); err != nil {
			t.Fatal(err)
		}
	}
	req, err := http.NewRequest(method, a.URL+c.path, bytes.NewReader(body))
	if err != nil {
		t.Fatal(err)
	}
	if c.body != nil {
		req.Header.Set("Content-Type", "application/json")
	}
	if c.token != "" {
		req.Header.Set("Authorization", "Bearer "+c.token)
	}
	if c.ifMatch != "" {
		req.Header.Set("If-Match", c.ifMatch)
	}
	res, err := http.DefaultClient.Do(req)
	if err != nil {
		t.Fatal(err)
	}
	got, _ := io.ReadAll(res.Body)
	res.Body.Close()
	a.called[c.route]++
	if res.StatusCode != c.want {
		t.Errorf("%s %s: %d, want %d: %s", method, c.path, res.StatusCode, c.want, got)
	}
	// the validator reads the request's body and the answer's again
	vreq, _ := http.NewRequest(method, a.URL+c.path, bytes.NewReader(body))
	vreq.Header = req.Header.Clone()
	if !c.invalid {
		if ok, errs := a.v.ValidateHttpRequest(vreq); !ok {
			for _, e := range errs {
				t.Errorf("%s %s: request against the document: %s %s %v", method, c.path, e.Message, e.Reason, schemaErrors(e.SchemaValidationErrors))
			}
		}
		vreq, _ = http.NewRequest(method, a.URL+c.path, bytes.NewReader(body))
		vreq.Header = req.Header.Clone()
	}
	res.Body = io.NopCloser(bytes.NewReader(got))
	if ok, errs := a.v.ValidateHttpResponse(vreq, res); !ok {
		for _, e := range errs {
			t.Errorf("%s %s → %d: answer against the document: %s %s %v", method, c.path, res.StatusCode, e.Message, e.Reason,
				schemaErrors(e.SchemaValidationErrors))
		}
	}
	a.validated++
	return answer{status: res.StatusCode, header: res.Header, body: got}
}

func schemaErrors[T any](errs []T) string {
	b, _ := json.Marshal(errs)
	return string(b)
}

// TestAPIConformance calls every route of the API, each answer (and each
// request meant to be valid) checked against the OpenAPI document, on
// both engines.
func TestAPIConformance(t *testing.T) {
	storetest.ForEach(t, func(t *testing.T, db *store.DB) {
		m := newMatrix(t, db)
		a := newAPIClient(t, m)
		admin, national := a.token(cafAdmin, store.TokenWrite), a.token(national, store.TokenRead)
		own := m.sites[own]
		ctg := "/api/v1/ctgs/" + strconv.FormatInt(own.ctg.ID, 10)
		wave := m.newWave(where("own"), survey.Partners, true)

		a.do(call{route: "GET /api/v1/openapi.json", path: "/api/v1/openapi.json", want: 200})
		docs := a.do(call{route: "GET /api/v1/docs", path: "/api/v1/docs", want: 200})
		if !strings.Contains(string(docs.body), "GET /api/v1/indicators") {
			t.Errorf("the docs page does not list the indicators route")
		}
		a.do(call{route: "GET /api/v1/me", path: "/api/v1/me", token: admin, want: 200})

		// CTGs, two pages of one
		var ctgs listPage[apiCTGSummary]
		a.do(call{route: "GET /api/v1/ctgs", path: "/api/v1/ctgs?limit=1", token: admin, want: 200}).json(t, &ctgs)
		if len(ctgs.Items) != 1 || ctgs.NextCursor == nil {
			t.Fatalf("first page of CTGs: %+v", ctgs)
		}
		a.do(call{route: "GET /api/v1/ctgs", path: "/api/v1/ctgs?limit=1&cursor=" + *ctgs.NextCursor, token: admin, want: 200}).json(t, &ctgs)
		if len(ctgs.Items) != 1 || ctgs.NextCursor != nil {
			t.Errorf("second and last page of the admin's two CTGs: %+v", ctgs)
		}
		a.do(call{route: "GET /api/v1/ctgs/{ctg}", path: ctg, token: admin, want: 200})

		// posts
		postBody := map[string]any{"person": "Camille Martin", "employer": "CC du Diois", "etp": 0.5, "start": "2023-01-01",
			"functions": []string{"2.1", "3.1"}, "axes": []string{"petite_enfance"}}
		created := a.do(call{route: "POST /api/v1/ctgs/{ctg}/posts", path: ctg + "/posts", token: admin, body: postBody, want: 201})
		var post apiPost
		created.json(t, &post)
		postURL := created.header.Get("Location")
		a.do(call{route: "GET /api/v1/ctgs/{ctg}/posts", path: ctg + "/posts", token: admin, want: 200})
		got := a.do(call{route: "GET /api/v1/ctgs/{ctg}/posts/{id}", path: postURL, token: admin, want: 200})
		postBody["etp"] = 0.8
		a.do(call{route: "PUT /api/v1/ctgs/{ctg}/posts/{id}", path: postURL, token: admin, body: postBody, ifMatch: got.header.Get("ETag"), want: 200})

		// records: create, read, list with the web's filters and a cursor,
		// replace, delete; every write through the form's store calls
		rec := map[string]any{"kind": "projet", "date": "2024-05-02", "post_id": own.post, "title": "Jardin partagé",
			"axis": "petite_enfance", "facilitated": true, "partner_ids": []int64{own.partner}}
		created = a.do(call{route: "POST /api/v1/ctgs/{ctg}/records", path: ctg + "/records", token: admin, body: rec, want: 201})
		recURL := created.header.Get("Location")
		refused := a.do(call{route: "POST /api/v1/ctgs/{ctg}/records", path: ctg + "/records", token: admin,
			body: map[string]any{"kind": "projet", "date": "2031-01-01", "post_id": own.post}, want: 422})
		var p problemDoc
		refused.json(t, &p)
		if len(p.Errors) == 0 || p.Errors[0].Field == "" || !strings.Contains(p.Detail+p.Errors[0].Message, "e") {
			t.Errorf("a refused record names no field: %s", refused.body)
		}
		got = a.do(call{route: "GET /api/v1/ctgs/{ctg}/records/{id}", path: recURL, token: admin, want: 200})
		var page listPage[apiRecord]
		a.do(call{route: "GET /api/v1/ctgs/{ctg}/records", path: ctg + "/records?limit=1&from=2024-01-01&to=2024-12-31", token: admin, want: 200}).json(t, &page)
		if len(page.Items) != 1 || page.NextCursor == nil {
			t.Fatalf("first page of 2024's records: %+v", page)
		}
		first := page.Items[0].ID
		a.do(call{route: "GET /api/v1/ctgs/{ctg}/records", path: ctg + "/records?limit=1&from=2024-01-01&to=2024-12-31&cursor=" + *page.NextCursor,
			token: admin, want: 200}).json(t, &page)
		if len(page.Items) != 1 || page.Items[0].ID == first {
			t.Errorf("the second page repeats the first: %+v", page)
		}
		a.do(call{route: "GET /api/v1/ctgs/{ctg}/records", path: ctg + "/records?kind=projet&axis=petite_enfance&post=" + strconv.FormatInt(own.post, 10),
			token: admin, want: 200})
		a.do(call{route: "GET /api/v1/records", path: "/api/v1/records?kind=support&limit=2", token: national, want: 200})
		rec["title"] = "Jardin partagé des familles"
		a.do(call{route: "PUT /api/v1/ctgs/{ctg}/records/{id}", path: recURL, token: admin, body: rec, want: 428, invalid: true})
		updated := a.do(call{route: "PUT /api/v1/ctgs/{ctg}/records/{id}", path: recURL, token: admin, body: rec, ifMatch: got.header.Get("ETag"), want: 200})
		a.do(call{route: "PUT /api/v1/ctgs/{ctg}/records/{id}", path: recURL, token: admin, body: rec, ifMatch: got.header.Get("ETag"), want: 412})
		a.do(call{route: "DELETE /api/v1/ctgs/{ctg}/records/{id}", path: recURL, token: admin, ifMatch: updated.header.Get("ETag"), want: 204})
		a.do(call{route: "GET /api/v1/ctgs/{ctg}/records/{id}", path: recURL + "?x=1", token: national, want: 404})

		// fiches actions and their progress
		act := map[string]any{"code": "B-2", "title": "Relais petite enfance", "axis": "petite_enfance", "priority": true,
			"start": "2024-01-01", "end": "2025-12-31", "partners": []map[string]any{{"partner_id": own.partner, "role": "pilote"}},
			"milestones": []map[string]any{{"year": 2024, "label": "Diagnostic"}}}
		created = a.do(call{route: "POST /api/v1/ctgs/{ctg}/actions", path: ctg + "/actions", token: admin, body: act, want: 201})
		actURL := created.header.Get("Location")
		a.do(call{route: "GET /api/v1/ctgs/{ctg}/actions", path: ctg + "/actions?priority=true", token: admin, want: 200})
		a.do(call{route: "POST /api/v1/ctgs/{ctg}/actions/{id}/updates", path: actURL + "/updates", token: admin,
			body: map[string]any{"post_id": own.post, "date": "2024-06-01", "status": "en_cours", "percent": 30}, want: 201})
		a.do(call{route: "GET /api/v1/ctgs/{ctg}/actions/{id}/updates", path: actURL + "/updates", token: admin, want: 200})
		got = a.do(call{route: "GET /api/v1/ctgs/{ctg}/actions/{id}", path: actURL, token: admin, want: 200})
		var fiche apiAction
		got.json(t, &fiche)
		if fiche.Status != "en_cours" || fiche.Progress != 30 {
			t.Errorf("the fiche does not mirror its update: %s %d", fiche.Status, fiche.Progress)
		}
		act["title"] = "Relais petite enfance intercommunal"
		updated = a.do(call{route: "PUT /api/v1/ctgs/{ctg}/actions/{id}", path: actURL, token: admin, body: act, ifMatch: got.header.Get("ETag"), want: 200})
		a.do(call{route: "DELETE /api/v1/ctgs/{ctg}/actions/{id}", path: actURL, token: admin, ifMatch: updated.header.Get("ETag"), want: 204})

		// partners
		created = a.do(call{route: "POST /api/v1/ctgs/{ctg}/partners", path: ctg + "/partners", token: admin,
			body: map[string]any{"name": "Association Les Petits Pas", "type": "association"}, want: 201})
		partURL := created.header.Get("Location")
		a.do(call{route: "GET /api/v1/ctgs/{ctg}/partners", path: ctg + "/partners?scope=caf&limit=1", token: admin, want: 200})
		got = a.do(call{route: "GET /api/v1/ctgs/{ctg}/partners/{id}", path: partURL, token: admin, want: 200})
		a.do(call{route: "PUT /api/v1/ctgs/{ctg}/partners/{id}", path: partURL, token: admin,
			body: map[string]any{"name": "Association Les Petits Pas du Diois", "type": "association"}, ifMatch: got.header.Get("ETag"), want: 200})

		// survey waves and evaluations: read only
		a.do(call{route: "GET /api/v1/ctgs/{ctg}/surveys", path: ctg + "/surveys", token: national, want: 200})
		a.do(call{route: "GET /api/v1/ctgs/{ctg}/surveys/{id}", path: ctg + "/surveys/" + strconv.FormatInt(wave.ID, 10), token: national, want: 200})
		a.do(call{route: "GET /api/v1/ctgs/{ctg}/evaluations", path: ctg + "/evaluations", token: national, want: 200})
		a.do(call{route: "GET /api/v1/ctgs/{ctg}/evaluations/{id}", path: ctg + "/evaluations/" + strconv.FormatInt(own.evaluation, 10), token: national, want: 200})

		// indicators of every scope, and what lies behind one figure
		ctgID, postID := strconv.FormatInt(own.ctg.ID, 10), strconv.FormatInt(own.post, 10)
		for _, q := range []struct {
			token, query string
		}{{admin, "scope=ctg&ctg=" + ctgID}, {admin, "scope=post&post=" + postID + "&year=2024"}, {admin, "scope=caf&caf=026&year=2024"},
			{national, "scope=all&from=2024-01-01&to=2024-12-31"}} {
			got := a.do(call{route: "GET /api/v1/indicators", path: "/api/v1/indicators?" + q.query, token: q.token, want: 200})
			// when the figures were counted (national ones may lag)
			if at, err := http.ParseTime(got.header.Get("Last-Modified")); err != nil || time.Since(at) > time.Hour {
				t.Errorf("indicators %s: Last-Modified %q", q.query, got.header.Get("Last-Modified"))
			}
		}
		var drill apiDrill
		a.do(call{route: "GET /api/v1/indicators/{code}/items", path: "/api/v1/indicators/S42/items?scope=all&year=2024", token: national, want: 200}).json(t, &drill)
		if drill.Of != "record" || drill.Count == 0 || len(drill.Items) == 0 {
			t.Errorf("S42's national drill-down for 2024: %+v", drill)
		}
		a.do(call{route: "GET /api/v1/indicators/{code}/items", path: "/api/v1/indicators/E32/items?scope=ctg&ctg=" + ctgID, token: admin, want: 200})
		a.do(call{route: "GET /api/v1/indicators/{code}/items", path: "/api/v1/indicators/S32a/items?scope=caf&caf=026&year=2024", token: admin, want: 200})

		// an address the API does not have answers a problem, not a page
		for _, m := range []string{"GET", "POST", "PUT", "DELETE"} {
			req, _ := http.NewRequest(m, a.URL+"/api/v1/nulle-part", nil)
			res, err := http.DefaultClient.Do(req)
			if err != nil {
				t.Fatal(err)
			}
			res.Body.Close()
			if res.StatusCode != 404 || res.Header.Get("Content-Type") != "application/problem+json" {
				t.Errorf("%s /api/v1/nulle-part: %d %s", m, res.StatusCode, res.Header.Get("Content-Type"))
			}
			a.called[m+" /api/"]++
		}

		var missed []string
		for _, p := range m.srv.apiPatterns {
			if a.called[p] == 0 {
				missed = append(missed, p)
			}
		}
		sort.Strings(missed)
		if len(missed) > 0 {
			t.Errorf("routes of the API the test never called: %s", strings.Join(missed, ", "))
		}
		ops := countOperations(t)
		t.Logf("%d requests validated against the OpenAPI document, covering %d routes (%d operations in the document)",
			a.validated, len(m.srv.apiPatterns)-4, ops)
		if ops != len(m.srv.apiPatterns)-4 {
			t.Errorf("the document has %d operations, the server %d routes", ops, len(m.srv.apiPatterns)-4)
		}
	})
}

func countOperations(t *testing.T) int {
	var d struct {
		Paths map[string]map[string]json.RawMessage
	}
	if err := json.Unmarshal(apiSpec, &d); err != nil {
		t.Fatal(err)
	}
	n := 0
	for _, ops := range d.Paths {
		n += len(ops)
	}
	return n
}

// TestAPITokens: a token reaches what its user reaches, no more; a
// read-only token writes nothing; a revoked token opens nothing; a session
// cookie opens no API route; another Caf's data is refused.
func TestAPITokens(t *testing.T) {
	storetest.ForEach(t, func(t *testing.T, db *store.DB) {
		m := newMatrix(t, db)
		a := newAPIClient(t, m)
		own, foreign := m.sites[own], m.sites[foreign]
		ownCTG := "/api/v1/ctgs/" + strconv.FormatInt(own.ctg.ID, 10)
		foreignCTG := "/api/v1/ctgs/" + strconv.FormatInt(foreign.ctg.ID, 10)
		rec := map[string]any{"kind": "projet", "date": "2024-05-02", "post_id": own.post, "title": "Jardin", "axis": "petite_enfance"}
		problemCode := func(ans answer, want string) {
			t.Helper()
			var p problemDoc
			ans.json(t, &p)
			if p.Code != want || p.Detail == "" || ans.header.Get("Content-Type") != "application/problem+json" {
				t.Errorf("want a problem %q in French, got %s", want, ans.body)
			}
		}

		// no token, a wrong one, a browser's session
		ans := a.do(call{route: "GET /api/v1/me", path: "/api/v1/me", want: 401, invalid: true})
		problemCode(ans, "unauthenticated")
		if ans.header.Get("WWW-Authenticate") == "" {
			t.Error("401 without WWW-Authenticate")
		}
		a.do(call{route: "GET /api/v1/me", path: "/api/v1/me", token: "cop_faux", want: 401})
		res, err := m.clients[cafAdmin].Get(m.URL + "/api/v1/me")
		if err != nil {
			t.Fatal(err)
		}
		res.Body.Close()
		if res.StatusCode != 401 {
			t.Errorf("a session cookie opened the API: %d", res.StatusCode)
		}

		// a read-only token reads, and writes nothing
		before := m.version()
		read := a.token(officer, store.TokenRead)
		a.do(call{route: "GET /api/v1/ctgs/{ctg}/records", path: ownCTG + "/records", token: read, want: 200})
		problemCode(a.do(call{route: "POST /api/v1/ctgs/{ctg}/records", path: ownCTG + "/records", token: read, body: rec, want: 403}), "forbidden")
		a.do(call{route: "DELETE /api/v1/ctgs/{ctg}/records/{id}", path: ownCTG + "/records/" + strconv.FormatInt(own.record, 10),
			token: read, ifMatch: "*", want: 403})
		if after := m.version(); after != before {
			t.Errorf("a read-only token changed the data (version %d → %d)", before, after)
		}

		// the same user's read-write token writes as the pages let them
		write := a.token(officer, store.TokenWrite)
		a.do(call{route: "POST /api/v1/ctgs/{ctg}/records", path: ownCTG + "/records", token: write, body: rec, want: 201})
		// the colleague may not change the officer's record, as on its page
		colleagueTok := a.token(colleague, store.TokenWrite)
		a.do(call{route: "DELETE /api/v1/ctgs/{ctg}/records/{id}", path: ownCTG + "/records/" + strconv.FormatInt(own.record, 10),
			token: colleagueTok, ifMatch: "*", want: 403})
		// a Copil member reads, and may not write even with a write token
		copil := a.token(copilMbr, store.TokenWrite)
		a.do(call{route: "GET /api/v1/ctgs/{ctg}", path: ownCTG, token: copil, want: 200})
		a.do(call{route: "POST /api/v1/ctgs/{ctg}/records", path: ownCTG + "/records", token: copil, body: rec, want: 403})

		// another Caf's data: refused as not found (ids cannot be probed),
		// absent from lists, its indicators forbidden
		admin := a.token(cafAdmin, store.TokenWrite)
		before = m.version()
		for _, c := range []call{
			{route: "GET /api/v1/ctgs/{ctg}", path: foreignCTG, want: 404},
			{route: "GET /api/v1/ctgs/{ctg}/records", path: foreignCTG + "/records", want: 404},
			{route: "GET /api/v1/ctgs/{ctg}/records/{id}", path: foreignCTG + "/records/" + strconv.FormatInt(foreign.record, 10), want: 404},
			{route: "POST /api/v1/ctgs/{ctg}/records", path: foreignCTG + "/records", body: rec, want: 404},
			{route: "DELETE /api/v1/ctgs/{ctg}/records/{id}", path: foreignCTG + "/records/" + strconv.FormatInt(foreign.record, 10), ifMatch: "*", want: 404},
			{route: "PUT /api/v1/ctgs/{ctg}/partners/{id}", path: foreignCTG + "/partners/" + strconv.FormatInt(foreign.partner, 10),
				body: map[string]any{"name": "X", "type": "association"}, ifMatch: "*", want: 404},
			// the Caf's own CTG cannot reach the other Caf's partner either
			{route: "GET /api/v1/ctgs/{ctg}/partners/{id}", path: ownCTG + "/partners/" + strconv.FormatInt(foreign.partner, 10), want: 404},
			{route: "GET /api/v1/indicators", path: "/api/v1/indicators?scope=ctg&ctg=" + strconv.FormatInt(foreign.ctg.ID, 10), want: 404},
			{route: "GET /api/v1/indicators", path: "/api/v1/indicators?scope=caf&caf=038&year=2024", want: 403},
			{route: "GET /api/v1/indicators", path: "/api/v1/indicators?scope=all&year=2024", want: 403},
		} {
			c.token = admin
			problemCode(a.do(c), map[int]string{404: "not_found", 403: "forbidden"}[c.want])
		}
		var page listPage[apiRecord]
		a.do(call{route: "GET /api/v1/records", path: "/api/v1/records?ctg=" + strconv.FormatInt(foreign.ctg.ID, 10), token: admin, want: 200}).json(t, &page)
		if len(page.Items) != 0 {
			t.Errorf("another Caf's records listed: %d", len(page.Items))
		}
		if after := m.version(); after != before {
			t.Errorf("requests about another Caf changed the data (version %d → %d)", before, after)
		}

		// the owner sees the last use; a revoked token opens nothing, at once
		tokens, err := db.APITokens(context.Background(), m.users[officer].ID)
		if err != nil {
			t.Fatal(err)
		}
		for _, tok := range tokens {
			if tok.LastUsed.IsZero() {
				t.Errorf("token %q used but its last use is not shown", tok.Name)
			}
			if strings.Contains(tok.Prefix, tok.Secret) && tok.Secret != "" {
				t.Error("a listed token carries its secret")
			}
		}
		err = db.Write(context.Background(), m.users[officer].ID, func(tx *store.Tx) error {
			for _, tok := range tokens {
				if tok.Scope == store.TokenWrite {
					return tx.RevokeAPIToken(tok.ID)
				}
			}
			return nil
		})
		if err != nil {
			t.Fatal(err)
		}
		problemCode(a.do(call{route: "GET /api/v1/me", path: "/api/v1/me", token: write, want: 401}), "unauthenticated")
		a.do(call{route: "GET /api/v1/me", path: "/api/v1/me", token: read, want: 200})
		// another user cannot revoke it: not found
		err = db.Write(context.Background(), m.users[colleague].ID, func(tx *store.Tx) error { return tx.RevokeAPIToken(tokens[0].ID) })
		if err == nil {
			t.Error("a user revoked another's token")
		}
	})
}

// TestAPITokenPage: the page makes a token shown once, lists it with its
// last use and revokes it, without JavaScript.
func TestAPITokenPage(t *testing.T) {
	storetest.ForEach(t, func(t *testing.T, db *store.DB) {
		m := newMatrix(t, db)
		c, csrf := m.clients[advisor], m.tokens[advisor]
		code, page, _ := post(t, c, m.URL+"/account/tokens", url.Values{"csrf": {csrf}, "name": {"Power BI"}, "scope": {"read"}})
		i := strings.Index(page, `value="cop_`)
		if code != 200 || i < 0 {
			t.Fatalf("token creation: %d, token shown: %v", code, i >= 0)
		}
		secret := page[i+len(`value="`):]
		secret = secret[:strings.Index(secret, `"`)]
		req, _ := http.NewRequest("GET", m.URL+"/api/v1/me", nil)
		req.Header.Set("Authorization", "Bearer "+secret)
		res, err := http.DefaultClient.Do(req)
		if err != nil {
			t.Fatal(err)
		}
		res.Body.Close()
		if res.StatusCode != 200 {
			t.Fatalf("the token made on the page: %d", res.StatusCode)
		}
		code, page, _ = get(t, c, m.URL+"/account/tokens")
		if code != 200 || strings.Contains(page, secret) || !strings.Contains(page, "Power BI") || strings.Contains(page, "jamais</span></td>\n        <td>") {
			t.Errorf("the list shows the secret again, or not the token: %d", code)
		}
		if code, _, _ = post(t, c, m.URL+"/account/tokens", url.Values{"csrf": {csrf}, "name": {""}, "scope": {"tout"}}); code != 422 {
			t.Errorf("a token without name nor scope: %d", code)
		}
		tokens, _ := db.APITokens(context.Background(), m.users[advisor].ID)
		code, _, h := post(t, c, m.URL+"/account/tokens/"+strconv.FormatInt(tokens[0].ID, 10)+"/revoke", url.Values{"csrf": {csrf}})
		if code != 303 || h.Get("Location") != "/account/tokens?ok=token_revoked" {
			t.Errorf("revocation: %d %s", code, h.Get("Location"))
		}
		res, err = http.DefaultClient.Do(req)
		if err != nil {
			t.Fatal(err)
		}
		res.Body.Close()
		if res.StatusCode != 401 {
			t.Errorf("a revoked token still opens the API: %d", res.StatusCode)
		}
	})
}
