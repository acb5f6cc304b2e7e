package web

import (
	"bytes"
	"context"
	"mime/multipart"
	"net/http"
	"net/http/httptest"
	"net/url"
	"path/filepath"
	"regexp"
	"strings"
	"sync"
	"testing"
	"time"

	"copilote/internal/actionplan"
	"copilote/internal/civil"
	"copilote/internal/config"
	"copilote/internal/journal"
	"copilote/internal/nomenclature"
	"copilote/internal/store"
	"copilote/internal/store/storetest"
)

// The regression tests of the security probe of the demo (issue 9).

// postMultipart sends fields and a file named name with size bytes.
func postMultipart(t *testing.T, c *http.Client, u string, fields map[string]string, name string, size int) int {
	t.Helper()
	var b bytes.Buffer
	mw := multipart.NewWriter(&b)
	for k, v := range fields {
		mw.WriteField(k, v)
	}
	fw, _ := mw.CreateFormFile("file", name)
	fw.Write(bytes.Repeat([]byte("a"), size))
	mw.Close()
	res, err := c.Post(u, mw.FormDataContentType(), &b)
	if err != nil {
		t.Fatal(err)
	}
	res.Body.Close()
	return res.StatusCode
}

// leftUploads lists the multipart temporary files in dir, waiting a little
// for the request's end to remove them.
func leftUploads(dir string) []string {
	var left []string
	for range 20 {
		left, _ = filepath.Glob(filepath.Join(dir, "multipart-*"))
		if len(left) == 0 {
			return nil
		}
		time.Sleep(50 * time.Millisecond)
	}
	return left
}

// Defect 3: a file over the in-memory part of a multipart form goes to a
// temporary file, which must go when the request ends, whatever its
// outcome; before, every such POST left 2 MiB on disk, even unauthenticated.
func TestMultipartTempFilesRemoved(t *testing.T) {
	tmp := t.TempDir()
	t.Setenv("TMPDIR", tmp) // os.TempDir, where multipart writes, follows it
	s := newSite(t, storetest.Open(t, store.SQLite))
	const big = 2 << 20
	if code := postMultipart(t, client(t), s.URL+"/login", map[string]string{"email": "agent@diois.fr", "password": "faux"},
		"big.txt", big); code != http.StatusUnauthorized {
		t.Errorf("anonymous upload to /login: %d, want 401", code)
	}
	if left := leftUploads(tmp); len(left) > 0 {
		t.Errorf("anonymous POST /login left %d temporary files: %v", len(left), left)
	}
	c := login(t, s)
	base := s.URL + "/ctg/" + itoa(s.mine.ID)
	_, form, _ := get(t, c, base+"/records/new?kind=support")
	token := regexp1(t, form, `name="csrf" value="([^"]+)"`)
	postID := regexp1(t, form, `<option value="(\d+)" selected>`)
	for _, tc := range []struct {
		what   string
		fields map[string]string
		status int
	}{
		{"no CSRF token", map[string]string{"kind": "support"}, http.StatusForbidden},
		{"invalid form", map[string]string{"csrf": token, "kind": "support"}, http.StatusUnprocessableEntity},
		{"saved", map[string]string{"csrf": token, "kind": "support", "date": "2024-06-01", "post": postID, "title": "Plaquette RPE",
			"nature": "plaquette", "audience": "habitants"}, http.StatusSeeOther},
	} {
		if code := postMultipart(t, c, base+"/records", tc.fields, "plaquette.txt", big); code != tc.status {
			t.Errorf("%s: %d, want %d", tc.what, code, tc.status)
		}
		if left := leftUploads(tmp); len(left) > 0 {
			t.Errorf("%s: %d temporary files left: %v", tc.what, len(left), left)
		}
	}
}

// Defect 6: after sign-in, only a path of this site may be followed.
// Browsers drop tabs and newlines from URLs, so "/\t/evil.example" was
// "//evil.example": another host.
func TestSafeNext(t *testing.T) {
	tab, _ := url.QueryUnescape("/%09/evil.example")
	for next, want := range map[string]string{
		tab:                          "/",
		"/\t/evil.example":           "/",
		"/\n/evil":                   "/",
		"/\r/evil":                   "/",
		"/\x7f/evil":                 "/",
		"/\u0085/evil":               "/",
		"/\\evil":                    "/",
		"/a\\b":                      "/",
		"//evil":                     "/",
		"https://evil":               "/",
		"javascript:alert(1)":        "/",
		"evil.example":               "/",
		"":                           "/",
		"/ctg/1?year=2024":           "/ctg/1?year=2024",
		"/ctg/1/journal?q=a%2Fb&p=2": "/ctg/1/journal?q=a%2Fb&p=2",
		"/":                          "/",
	} {
		if got := safeNext(next); got != want {
			t.Errorf("safeNext(%q) = %q, want %q", next, got, want)
		}
	}
}

func TestLoginDoesNotRedirectThroughControlCharacters(t *testing.T) {
	s := newSite(t, storetest.Open(t, store.SQLite))
	_, body, _ := get(t, client(t), s.URL+"/login?next=/%09/evil.example")
	if strings.Contains(body, "evil") {
		t.Errorf("login form keeps the foreign next: %s", snippet(body))
	}
	// the transport itself, since the client refuses to parse such a Location
	form := url.Values{"email": {"agent@diois.fr"}, "password": {password}, "next": {"/\t/evil.example"}}
	req, _ := http.NewRequest("POST", s.URL+"/login", strings.NewReader(form.Encode()))
	req.Header.Set("Content-Type", "application/x-www-form-urlencoded")
	res, err := http.DefaultTransport.RoundTrip(req)
	if err != nil {
		t.Fatal(err)
	}
	res.Body.Close()
	if res.StatusCode != http.StatusSeeOther || res.Header.Get("Location") != "/" {
		t.Errorf("sign-in with next=/\\t/evil.example: %d → %q, want /", res.StatusCode, res.Header.Get("Location"))
	}
}

// advancingClock fixes the store's clock at the real time and returns what
// moves it on; set before any request, it is then read under its lock.
func advancingClock(db *store.DB) func(time.Duration) {
	var mu sync.Mutex
	now := time.Now()
	db.SetClock(func() time.Time {
		mu.Lock()
		defer mu.Unlock()
		return now
	})
	return func(d time.Duration) {
		mu.Lock()
		now = now.Add(d)
		mu.Unlock()
	}
}

func signIn(t *testing.T, s *site, email, pw string) (int, string) {
	t.Helper()
	code, body, _ := post(t, client(t), s.URL+"/login", url.Values{"email": {email}, "password": {pw}, "next": {"/"}})
	return code, body
}

// Defect 5: an account that failed five times in a row is refused for a
// delay, before any password is hashed, even with the right password; the
// delay doubles with each further failure, and a success ends the run.
func TestLoginLimitPerAccount(t *testing.T) {
	storetest.ForEach(t, func(t *testing.T, db *store.DB) {
		s := newSite(t, db)
		advance := advancingClock(db)
		for i := range 5 {
			// the account as typed, whatever its case
			if code, _ := signIn(t, s, []string{"agent@diois.fr", "Agent@Diois.fr "}[i%2], "faux"); code != http.StatusUnauthorized {
				t.Fatalf("failure %d: %d, want 401", i+1, code)
			}
		}
		code, body := signIn(t, s, "agent@diois.fr", password)
		if code != http.StatusTooManyRequests || !strings.Contains(body, "Trop de tentatives de connexion. Réessayez dans une minute.") ||
			!strings.Contains(body, `value="agent@diois.fr"`) {
			t.Fatalf("6th attempt, right password: %d %s", code, snippet(body))
		}
		advance(61 * time.Second)
		if code, _ := signIn(t, s, "agent@diois.fr", "faux"); code != http.StatusUnauthorized {
			t.Fatalf("failure after the delay: %d, want 401", code)
		}
		// the 6th failure doubles the delay
		if code, body := signIn(t, s, "agent@diois.fr", password); code != http.StatusTooManyRequests ||
			!strings.Contains(body, "Réessayez dans 2 minutes.") {
			t.Fatalf("after a 6th failure: %d %s", code, snippet(body))
		}
		advance(2*time.Minute + time.Second)
		if code, _ := signIn(t, s, "agent@diois.fr", password); code != http.StatusSeeOther {
			t.Fatalf("right password after the delay: %d, want 303", code)
		}
		// the success ended the run: one more failure is not refused
		if code, _ := signIn(t, s, "agent@diois.fr", "faux"); code != http.StatusUnauthorized {
			t.Errorf("failure after a success: %d, want 401", code)
		}
		if code, _ := signIn(t, s, "agent@diois.fr", password); code != http.StatusSeeOther {
			t.Errorf("success after one failure: %d, want 303", code)
		}
		// a run ends after a quiet quarter of an hour
		for range 4 {
			signIn(t, s, "agent@diois.fr", "faux")
		}
		advance(16 * time.Minute)
		if code, _ := signIn(t, s, "agent@diois.fr", "faux"); code != http.StatusUnauthorized {
			t.Errorf("a failure after a quiet quarter of an hour: %d, want 401", code)
		}
		if code, _ := signIn(t, s, "agent@diois.fr", password); code != http.StatusSeeOther {
			t.Errorf("success: %d, want 303", code)
		}
	})
}

// Defect 5: one address trying many accounts is refused after twenty
// failures, whichever account it tries next.
func TestLoginLimitPerAddress(t *testing.T) {
	storetest.ForEach(t, func(t *testing.T, db *store.DB) {
		s := newSite(t, db)
		advancingClock(db)
		for i := range 20 {
			if code, _ := signIn(t, s, "agent"+itoa(int64(i))+"@diois.fr", "faux"); code != http.StatusUnauthorized {
				t.Fatalf("failure %d: %d, want 401", i+1, code)
			}
		}
		if code, body := signIn(t, s, "agent@diois.fr", password); code != http.StatusTooManyRequests ||
			!strings.Contains(body, "Trop de tentatives de connexion.") {
			t.Errorf("21st attempt from the address, another account: %d %s", code, snippet(body))
		}
	})
}

// Defect 5: every failed sign-in is in the audit log, with the email tried
// and the address, never the password.
func TestLoginFailuresAudited(t *testing.T) {
	storetest.ForEach(t, func(t *testing.T, db *store.DB) {
		s := newSite(t, db)
		signIn(t, s, "Agent@diois.fr", "mot de passe faux")
		signIn(t, s, "inconnu@diois.fr", "autre mot de passe faux")
		u, err := db.UserByEmail(context.Background(), "agent@diois.fr")
		if err != nil {
			t.Fatal(err)
		}
		for _, tc := range []struct {
			id    int64
			email string
		}{{u.ID, "agent@diois.fr"}, {0, "inconnu@diois.fr"}} {
			audit, err := db.AuditOf(context.Background(), "user", tc.id)
			var failed []store.AuditEntry
			for _, a := range audit {
				if a.Action == "login_failed" {
					failed = append(failed, a)
				}
			}
			if err != nil || len(failed) != 1 {
				t.Fatalf("audit of user %d: %+v, %v; want one failure", tc.id, audit, err)
			}
			a := failed[0]
			if !strings.Contains(a.Detail, tc.email) || !strings.Contains(a.Detail, "127.0.0.1") ||
				strings.Contains(a.Detail, "faux") || a.UserID != 0 {
				t.Errorf("audit of a failure for %s: %+v", tc.email, a)
			}
		}
	})
}

// Defect 5: a sandboxed frame posts with Origin: null; the login form must
// refuse it (login CSRF), and still accept its own pages and no Origin.
func TestLoginRefusesNullOrigin(t *testing.T) {
	s := newSite(t, storetest.Open(t, store.SQLite))
	for _, tc := range []struct {
		origin string
		status int
	}{{"null", http.StatusForbidden}, {"", http.StatusSeeOther}, {s.URL, http.StatusSeeOther}} {
		form := url.Values{"email": {"agent@diois.fr"}, "password": {password}, "next": {"/"}}
		req, _ := http.NewRequest("POST", s.URL+"/login", strings.NewReader(form.Encode()))
		req.Header.Set("Content-Type", "application/x-www-form-urlencoded")
		if tc.origin != "" {
			req.Header.Set("Origin", tc.origin)
		}
		res, err := client(t).Do(req)
		if err != nil {
			t.Fatal(err)
		}
		res.Body.Close()
		if res.StatusCode != tc.status {
			t.Errorf("sign-in with Origin %q: %d, want %d", tc.origin, res.StatusCode, tc.status)
		}
	}
}

// Defect 5: passwords are checked a few at a time per process; a sign-in
// that gets no slot in time is told the service is busy, without hashing,
// and one refused for its failures does not wait for a slot at all.
func TestLoginHashingBounded(t *testing.T) {
	storetest.ForEach(t, func(t *testing.T, db *store.DB) {
		var srv *Server
		s := newSiteWith(t, db, config.Default(), func(x *Server) {
			srv, x.hashSlots, x.hashWait = x, make(chan struct{}, 1), 300*time.Millisecond
		})
		advancingClock(db)
		srv.hashSlots <- struct{}{} // another sign-in is hashing
		start := time.Now()
		code, body := signIn(t, s, "agent@diois.fr", password)
		if code != http.StatusServiceUnavailable || !strings.Contains(body, "Le service est très sollicité") {
			t.Errorf("sign-in with no slot free: %d %s", code, snippet(body))
		}
		if d := time.Since(start); d < 300*time.Millisecond {
			t.Errorf("gave up after %s, before the wait", d)
		}
		u, _ := db.UserByEmail(context.Background(), "agent@diois.fr")
		if audit, _ := db.AuditOf(context.Background(), "user", u.ID); len(audit) != 1 || audit[0].Action != "create" {
			t.Errorf("a busy refusal checked the password: audit %+v", audit)
		}
		done := make(chan int)
		go func() {
			res, err := client(t).PostForm(s.URL+"/login", url.Values{"email": {"agent@diois.fr"}, "password": {password}})
			if err != nil {
				done <- 0
				return
			}
			res.Body.Close()
			done <- res.StatusCode
		}()
		time.Sleep(100 * time.Millisecond)
		<-srv.hashSlots // the other sign-in ends
		if code := <-done; code != http.StatusSeeOther {
			t.Errorf("sign-in once a slot frees: %d, want 303", code)
		}
		for range 5 {
			signIn(t, s, "agent@diois.fr", "faux")
		}
		srv.hashSlots <- struct{}{}
		start = time.Now()
		if code, _ := signIn(t, s, "agent@diois.fr", password); code != http.StatusTooManyRequests {
			t.Errorf("refused account with no slot free: %d, want 429", code)
		}
		if d := time.Since(start); d >= 300*time.Millisecond {
			t.Errorf("a refused account waited %s for a slot", d)
		}
		<-srv.hashSlots
	})
}

// nonFinite are the spellings of NaN and infinities strconv.ParseFloat
// accepts; "1e999" overflows to +Inf.
var nonFinite = []string{"NaN", "nan", "inf", "+Inf", "-Infinity", "1e999"}

// Defect 8a: NaN and infinities in targets, fiche indicators and ETP are
// not numbers to the user: the form says so on the field and stores
// nothing (targets answered 500).
func TestNonFiniteNumbersRefused(t *testing.T) {
	storetest.ForEach(t, func(t *testing.T, db *store.DB) {
		s := newSite(t, db)
		admin := adminClient(t, db, s)
		base := s.URL + "/ctg/" + itoa(s.mine.ID)
		token := csrfOf(t, admin, base+"/targets")
		for _, v := range nonFinite {
			code, body, _ := post(t, admin, base+"/targets", url.Values{"csrf": {token}, "t_S12b_2024": {v}, "t_S31_2024": {"1"}})
			if code != http.StatusUnprocessableEntity || !strings.Contains(body, `href="#f-t_S12b_2024">S12b, cible 2024 : saisissez un nombre.`) ||
				!regexp.MustCompile(`name="t_S12b_2024" value="[^"]*"[^>]*aria-invalid="true"`).MatchString(body) {
				t.Errorf("target %q: %d %s", v, code, snippet(body))
			}
			code, body, _ = post(t, admin, base+"/actions", url.Values{"csrf": {token}, "code": {"PE-1"}, "title": {"Créer un RPE"},
				"axis": {"petite_enfance"}, "indicator_label_1": {"Familles accueillies"}, "indicator_target_1": {v}})
			if code != http.StatusUnprocessableEntity || !strings.Contains(body, `href="#indicator_target_1">Cible de l&#39;indicateur 1 : saisissez un nombre.`) {
				t.Errorf("fiche indicator %q: %d %s", v, code, snippet(body))
			}
			code, body, _ = post(t, admin, base+"/posts", url.Values{"csrf": {token}, "person": {"X"}, "employer": {"Y"}, "etp": {v},
				"start": {"2025-01-01"}, "function": {"2.1"}})
			if code != http.StatusUnprocessableEntity || !strings.Contains(body, `href="#f-etp">ETP : saisissez un nombre.`) {
				t.Errorf("ETP %q: %d %s", v, code, snippet(body))
			}
		}
		ts, _ := db.Targets(context.Background(), s.mine.ID)
		actions, _, _ := db.Actions(context.Background(), store.ActionFilter{Scope: store.Scope{All: true}, CTGID: s.mine.ID})
		posts, _ := db.Posts(context.Background(), s.mine.ID)
		if len(ts) != 0 || len(actions) != 0 || len(posts) != 1 {
			t.Errorf("stored: targets %v, %d fiches, %d posts", ts, len(actions), len(posts))
		}
	})
}

// Defect 8b: a NUL byte or invalid UTF-8 in posted text was stored by
// SQLite and broke a later import into PostgreSQL (which answered 500
// itself). Every form refuses it on its field and stores nothing.
func TestInvalidTextRefused(t *testing.T) {
	storetest.ForEach(t, func(t *testing.T, db *store.DB) {
		s := newSite(t, db)
		c := login(t, s)
		base := s.URL + "/ctg/" + itoa(s.mine.ID)
		_, form, _ := get(t, c, base+"/records/new?kind=support")
		token := regexp1(t, form, `name="csrf" value="([^"]+)"`)
		postID := regexp1(t, form, `<option value="(\d+)" selected>`)
		const bad = "Ce texte contient des caractères non valides."
		for _, text := range []string{"Plaquette\x00RPE", "Plaquette \xff RPE", "\xc3("} {
			code, body, _ := post(t, c, base+"/records", url.Values{"csrf": {token}, "kind": {"support"}, "date": {"2024-06-01"},
				"post": {postID}, "title": {text}, "nature": {"plaquette"}, "audience": {"habitants"}})
			if code != http.StatusUnprocessableEntity || !strings.Contains(body, `id="e-title">`+bad) {
				t.Errorf("record titled %q: %d %s", text, code, snippet(body))
			}
			code, body, _ = post(t, c, base+"/partners", url.Values{"csrf": {token}, "name": {text}, "type": {"association"}})
			if code != http.StatusUnprocessableEntity || !strings.Contains(body, `id="e-name">`+bad) {
				t.Errorf("partner named %q: %d %s", text, code, snippet(body))
			}
			code, body, _ = post(t, c, base+"/actions", url.Values{"csrf": {token}, "code": {"PE-1"}, "title": {"Créer un RPE"},
				"axis": {"petite_enfance"}, "objective": {text}})
			if code != http.StatusUnprocessableEntity || !strings.Contains(body, `href="#f-objective">Objectif : `+lowerFirst(bad)) {
				t.Errorf("fiche with objective %q: %d %s", text, code, snippet(body))
			}
		}
		code := postMultipart(t, c, base+"/records", map[string]string{"csrf": token, "kind": "support", "date": "2024-06-01",
			"post": postID, "title": "Plaquette", "nature": "plaquette", "audience": "habitants"}, "plaquette\xff.txt", 10)
		if code != http.StatusUnprocessableEntity {
			t.Errorf("file named in invalid UTF-8: %d", code)
		}
		admin := adminClient(t, db, s)
		token = csrfOf(t, admin, s.URL+"/caf/nomenclatures")
		before, _ := db.Nomenclature(context.Background(), s.mine.CafID)
		code, body, _ := post(t, admin, s.URL+"/caf/nomenclatures", url.Values{"csrf": {token}, "kind": {"expertise_nature"},
			"label": {"Médiation\x00familiale"}})
		if code != http.StatusUnprocessableEntity || !strings.Contains(body, bad) {
			t.Errorf("nomenclature value with a NUL byte: %d %s", code, snippet(body))
		}
		if after, _ := db.Nomenclature(context.Background(), s.mine.CafID); len(after.Values("expertise_nature")) != len(before.Values("expertise_nature")) {
			t.Errorf("nomenclature value stored")
		}
		code, body, _ = post(t, admin, base+"/instances", url.Values{"csrf": {token}, "name": {"Copil \xff"}, "kind": {"copil"}})
		if code != http.StatusUnprocessableEntity || !strings.Contains(body, bad) {
			t.Errorf("instance named in invalid UTF-8: %d %s", code, snippet(body))
		}
		code, body, _ = post(t, admin, base+"/edit", url.Values{"csrf": {token}, "name": {"CTG\x00"}, "start": {"2023-01-01"}, "end": {"2026-12-31"}})
		if code != http.StatusUnprocessableEntity || !strings.Contains(body, bad) {
			t.Errorf("CTG renamed with a NUL byte: %d %s", code, snippet(body))
		}
		if is, _ := db.Instances(context.Background(), s.mine.ID); len(is) != 0 {
			t.Errorf("instance stored: %+v", is)
		}
		if c, _ := db.CTG(context.Background(), s.mine.ID); c.Name != s.mine.Name {
			t.Errorf("CTG renamed %q", c.Name)
		}
		_, n, _ := db.Records(context.Background(), store.RecordFilter{Scope: store.Scope{All: true}})
		partners, _, _ := db.Partners(context.Background(), store.PartnerFilter{CafID: s.mine.CafID})
		actions, _, _ := db.Actions(context.Background(), store.ActionFilter{Scope: store.Scope{All: true}, CTGID: s.mine.ID})
		if n != 0 || len(partners) != 0 || len(actions) != 0 {
			t.Errorf("stored: %d records, %d partners, %d fiches", n, len(partners), len(actions))
		}
	})
}

// Defect 8c: a deleted record and its file are for those who may restore
// it, the Caf's administrators; anyone else gets the 404 of a record that
// does not exist.
func TestDeletedRecordHidden(t *testing.T) {
	storetest.ForEach(t, func(t *testing.T, db *store.DB) {
		s := newSite(t, db)
		posts, _ := db.Posts(context.Background(), s.mine.ID)
		rec := journal.Record{Kind: journal.Support, CTGID: s.mine.ID, PostID: posts[0].ID, Date: civil.MustParse("2024-06-01"),
			Title: "Plaquette confidentielle", Nature: "plaquette", Audience: "habitants"}
		err := db.Write(context.Background(), 0, func(tx *store.Tx) error {
			if err := tx.SaveRecord(&rec, nomenclature.Default); err != nil {
				return err
			}
			return tx.SaveAttachment(s.mine.ID, &journal.Attachment{RecordID: rec.ID, Name: "plaquette.txt",
				ContentType: "text/plain; charset=utf-8", Size: 6, Data: []byte("secret")})
		})
		if err == nil {
			err = db.Write(context.Background(), 0, func(tx *store.Tx) error { return tx.DeleteRecord(s.mine.ID, rec.ID) })
		}
		if err != nil {
			t.Fatal(err)
		}
		page := s.URL + "/ctg/" + itoa(s.mine.ID) + "/records/" + itoa(rec.ID)
		officer := login(t, s)
		_, unknown, _ := get(t, officer, s.URL+"/ctg/"+itoa(s.mine.ID)+"/records/999999")
		unknown = unknown[strings.Index(unknown, "<main"):]
		for _, u := range []string{page, page + "/file"} {
			code, body, _ := get(t, officer, u)
			if code != http.StatusNotFound || strings.Contains(body, "confidentielle") || strings.Contains(body, "secret") ||
				!strings.Contains(body, unknown) {
				t.Errorf("officer, deleted record %s: %d %s", u, code, snippet(body))
			}
		}
		admin := adminClient(t, db, s)
		if code, body, _ := get(t, admin, page); code != http.StatusOK || !strings.Contains(body, "Plaquette confidentielle") {
			t.Errorf("administrator, deleted record: %d", code)
		}
		if code, body, _ := get(t, admin, page+"/file"); code != http.StatusOK || body != "secret" {
			t.Errorf("administrator, deleted record's file: %d %q", code, body)
		}
	})
}

// Defect 8d: partners belong to the Caf, but one that only another CTG
// uses is that CTG's to rename; through this CTG it does not exist.
func TestPartnerEditedOnlyThroughItsCTGs(t *testing.T) {
	storetest.ForEach(t, func(t *testing.T, db *store.DB) {
		s := newSite(t, db)
		theirs := addPartner(t, db, s.mine.CafID, "Crèche du Royans")
		shared := addPartner(t, db, s.mine.CafID, "Mairie de Die")
		posts, _ := db.Posts(context.Background(), s.mine.ID)
		err := db.Write(context.Background(), 0, func(tx *store.Tx) error {
			for _, c := range []int64{s.other.ID, s.mine.ID} {
				a := actionplan.Action{CTGID: c, Code: "PE-1", Title: "Créer un RPE", Axis: "petite_enfance",
					Partners: []actionplan.Partner{{PartnerID: theirs.ID}}}
				if c == s.mine.ID {
					a.Partners = []actionplan.Partner{{PartnerID: shared.ID}}
				}
				if err := tx.SaveAction(&a, nomenclature.Default); err != nil {
					return err
				}
			}
			r := journal.Record{Kind: journal.Relais, CTGID: s.mine.ID, PostID: posts[0].ID, Date: civil.MustParse("2024-03-01"),
				Title: "Relais", Nature: "information", PartnerIDs: []int64{shared.ID}}
			return tx.SaveRecord(&r, nomenclature.Default)
		})
		if err != nil {
			t.Fatal(err)
		}
		c := login(t, s)
		base := s.URL + "/ctg/" + itoa(s.mine.ID) + "/partners/"
		token := csrfOf(t, c, base+"new")
		if code, body, _ := get(t, c, base+itoa(theirs.ID)+"/edit"); code != http.StatusNotFound || strings.Contains(body, "Crèche du Royans") {
			t.Errorf("edit form of another CTG's partner: %d", code)
		}
		if code, _, _ := post(t, c, base+itoa(theirs.ID), url.Values{"csrf": {token}, "name": {"Renommé"}, "type": {"association"}}); code != http.StatusNotFound {
			t.Errorf("renaming another CTG's partner: %d, want 404", code)
		}
		if p, _ := db.Partner(context.Background(), theirs.ID); p.Name != "Crèche du Royans" {
			t.Errorf("another CTG's partner renamed %q", p.Name)
		}
		if _, body, _ := get(t, c, base+itoa(theirs.ID)); strings.Contains(body, "/edit") {
			t.Errorf("another CTG's partner offers its edit form")
		}
		if code, _, _ := get(t, c, base+itoa(shared.ID)+"/edit"); code != http.StatusOK {
			t.Errorf("edit form of a partner of the CTG: %d", code)
		}
		if code, _, _ := post(t, c, base+itoa(shared.ID), url.Values{"csrf": {token}, "name": {"Commune de Die"}, "type": {"commune"}}); code != http.StatusSeeOther {
			t.Errorf("renaming a partner of the CTG: %d, want 303", code)
		}
	})
}

// Defect 8e: no shared or browser cache may keep what a signed-in user
// saw: every response to a request with a live session, exports included,
// says no-store; checksummed assets keep their year-long cache.
func TestSignedInResponsesNotStored(t *testing.T) {
	storetest.ForEach(t, func(t *testing.T, db *store.DB) {
		s := newSite(t, db)
		c := client(t)
		_, _, h := post(t, c, s.URL+"/login", url.Values{"email": {"agent@diois.fr"}, "password": {password}, "next": {"/"}})
		if h.Get("Cache-Control") != "no-store" {
			t.Errorf("sign-in answer: Cache-Control %q", h.Get("Cache-Control"))
		}
		ctg := "/ctg/" + itoa(s.mine.ID)
		for _, path := range []string{"/", ctg, ctg + "/journal", ctg + "/journal?format=csv", ctg + "/journal?format=xlsx",
			ctg + "/partners?format=csv", ctg + "/actions?format=xlsx", ctg + "/indicators", "/ctg/999999", "/nulle-part"} {
			if _, _, h := get(t, c, s.URL+path); h.Get("Cache-Control") != "no-store" {
				t.Errorf("GET %s signed in: Cache-Control %q, want no-store", path, h.Get("Cache-Control"))
			}
		}
		_, body, _ := get(t, c, s.URL+"/")
		css := regexp1(t, body, `href="(/static/[0-9a-f]{12}/app\.css)"`)
		if _, _, h := get(t, c, s.URL+css); !strings.Contains(h.Get("Cache-Control"), "immutable") {
			t.Errorf("asset signed in: Cache-Control %q", h.Get("Cache-Control"))
		}
	})
}

// Defect 8f: behind HTTPS (secure cookies), browsers are told to use
// nothing else for two years; without it, no such header.
func TestHSTSWithSecureCookies(t *testing.T) {
	db := storetest.Open(t, store.SQLite)
	cfg := config.Default()
	cfg.SecureCookies = true
	s := newSiteWith(t, db, cfg, nil)
	_, body, _ := get(t, client(t), s.URL+"/login")
	css := regexp1(t, body, `href="(/static/[0-9a-f]{12}/app\.css)"`)
	for _, path := range []string{"/login", "/", "/healthz", "/nulle-part", css} {
		if _, _, h := get(t, client(t), s.URL+path); h.Get("Strict-Transport-Security") != "max-age=63072000; includeSubDomains" {
			t.Errorf("GET %s: Strict-Transport-Security %q", path, h.Get("Strict-Transport-Security"))
		}
	}
	plain := newSite(t, storetest.Open(t, store.SQLite))
	if _, _, h := get(t, client(t), plain.URL+"/login"); h.Get("Strict-Transport-Security") != "" {
		t.Errorf("HSTS without secure cookies: %q", h.Get("Strict-Transport-Security"))
	}
}

// Defect 5, behind a reverse proxy: sign-ins count against the client's
// address the proxy forwards only when the proxy is named in the
// configuration; otherwise against the peer, whatever the header says.
func TestClientAddress(t *testing.T) {
	var trusted config.Prefixes
	if err := trusted.Set("10.0.0.1,192.168.0.0/16"); err != nil {
		t.Fatal(err)
	}
	for _, tc := range []struct {
		remote, forwarded string
		trusted           config.Prefixes
		want              string
	}{
		{"203.0.113.7:5000", "", nil, "203.0.113.7"},
		{"203.0.113.7:5000", "198.51.100.1", nil, "203.0.113.7"},
		{"10.0.0.1:5000", "198.51.100.1", nil, "10.0.0.1"},
		{"10.0.0.1:5000", "198.51.100.1", trusted, "198.51.100.1"},
		{"10.0.0.1:5000", "1.2.3.4, 198.51.100.1", trusted, "198.51.100.1"},     // the client wrote 1.2.3.4
		{"10.0.0.1:5000", "198.51.100.1, 192.168.1.1", trusted, "198.51.100.1"}, // two proxies
		{"10.0.0.1:5000", "nonsense", trusted, "10.0.0.1"},
		{"10.0.0.1:5000", "", trusted, "10.0.0.1"},
		{"203.0.113.7:5000", "198.51.100.1", trusted, "203.0.113.7"},
		{"[2001:db8:1:2:3:4:5:6]:5000", "", nil, "2001:db8:1:2::/64"},
		{"[::ffff:203.0.113.7]:5000", "", nil, "203.0.113.7"},
	} {
		r := httptest.NewRequest("POST", "/login", nil)
		r.RemoteAddr = tc.remote
		if tc.forwarded != "" {
			r.Header.Set("X-Forwarded-For", tc.forwarded)
		}
		if got := clientAddress(r, tc.trusted); got != tc.want {
			t.Errorf("clientAddress(%s, X-Forwarded-For %q, trusting %v) = %s, want %s", tc.remote, tc.forwarded, tc.trusted, got, tc.want)
		}
	}
}

// Behind a trusted proxy, the clients it forwards are counted apart.
func TestLoginLimitBehindTrustedProxy(t *testing.T) {
	cfg := config.Default()
	if err := cfg.TrustedProxies.Set("127.0.0.1"); err != nil {
		t.Fatal(err)
	}
	s := newSiteWith(t, storetest.Open(t, store.SQLite), cfg, nil)
	from := func(client, email, pw string) int {
		form := url.Values{"email": {email}, "password": {pw}, "next": {"/"}}
		req, _ := http.NewRequest("POST", s.URL+"/login", strings.NewReader(form.Encode()))
		req.Header.Set("Content-Type", "application/x-www-form-urlencoded")
		req.Header.Set("X-Forwarded-For", client)
		res, err := http.DefaultTransport.RoundTrip(req)
		if err != nil {
			t.Fatal(err)
		}
		res.Body.Close()
		return res.StatusCode
	}
	for i := range 20 {
		from("198.51.100.1", "x"+itoa(int64(i))+"@diois.fr", "faux")
	}
	if code := from("198.51.100.1", "agent@diois.fr", password); code != http.StatusTooManyRequests {
		t.Errorf("the client that failed 20 times: %d, want 429", code)
	}
	if code := from("198.51.100.2", "agent@diois.fr", password); code != http.StatusSeeOther {
		t.Errorf("another client of the proxy: %d, want 303", code)
	}
}

// A filter in the address with invalid UTF-8 or a NUL byte is dropped
// with its field's message, and the list still shows: PostgreSQL refused
// such text with a 500.
func TestInvalidTextInFiltersIgnored(t *testing.T) {
	storetest.ForEach(t, func(t *testing.T, db *store.DB) {
		s := newSite(t, db)
		seedJournal(t, db, s)
		officer := login(t, s)
		for _, path := range []string{ctgURL(s.mine.ID) + "/journal?q=%ff", ctgURL(s.mine.ID) + "/journal?q=a%00b&kind=%ff",
			"/journal?q=%ff%fe", ctgURL(s.mine.ID) + "/partners?q=%ff"} {
			code, body, _ := get(t, officer, s.URL+path)
			if code != 200 || !strings.Contains(body, "caractères non valides") {
				t.Errorf("%s: %d %s", path, code, snippet(pageMain(body)))
			}
		}
	})
}

// What a user types is text, never markup: a title made of a script tag
// comes back escaped on the record's page, in the journal and on the
// home page, and the pages run no inline script (the CSP forbids it).
func TestTypedTextIsEscaped(t *testing.T) {
	s := newSite(t, storetest.Open(t, store.SQLite))
	c := login(t, s)
	base := s.URL + "/ctg/" + itoa(s.mine.ID)
	_, form, _ := get(t, c, base+"/records/new?kind=alerte")
	const evil = `<script>alert("x")</script><img src=x onerror=alert(1)>`
	code, _, h := post(t, c, base+"/records", url.Values{"csrf": {csrfRe.FindStringSubmatch(form)[1]}, "kind": {"alerte"},
		"date": {"2024-06-01"}, "post": {regexp1(t, form, `<option value="(\d+)" selected>`)}, "title": {evil},
		"nature": {"retard"}, "status": {"ouverte"}})
	if code != http.StatusSeeOther {
		t.Fatalf("alert not saved: %d", code)
	}
	loc := h.Get("Location")
	for _, u := range []string{s.URL + strings.SplitN(loc, "?", 2)[0], base + "/journal", s.URL + "/"} {
		code, page, h := get(t, c, u)
		if code != 200 || strings.Contains(page, evil) || strings.Contains(page, "<script>alert") || strings.Contains(page, "<img src=x") ||
			!strings.Contains(page, "&lt;script&gt;alert(&#34;x&#34;)&lt;/script&gt;") {
			t.Errorf("%s: %d, the title is not escaped: %s", u, code, snippet(pageMain(page)))
		}
		if csp := h.Get("Content-Security-Policy"); !strings.Contains(csp, "default-src 'self'") || strings.Contains(csp, "unsafe-inline") {
			t.Errorf("%s: CSP %q", u, csp)
		}
	}
}
