package web

import (
	"context"
	"io"
	"log/slog"
	"net/http"
	"net/http/cookiejar"
	"net/http/httptest"
	"net/url"
	"regexp"
	"strings"
	"testing"

	"copilote/internal/account"
	"copilote/internal/civil"
	"copilote/internal/config"
	"copilote/internal/ctg"
	"copilote/internal/nomenclature"
	"copilote/internal/store"
	"copilote/internal/store/storetest"
)

const password = "mot de passe de test"

// site is a running server on a fresh database with two CTGs of one Caf
// and an officer who belongs to the first only.
type site struct {
	*httptest.Server
	mine, other ctg.CTG
}

func newSite(t testing.TB, db *store.DB) *site {
	t.Helper()
	return newSiteWith(t, db, config.Default(), nil)
}

// newSiteWith serves with cfg, and lets tune change the server before it
// serves its first request.
func newSiteWith(t testing.TB, db *store.DB, cfg config.Config, tune func(*Server)) *site {
	t.Helper()
	s := &site{}
	err := db.Write(context.Background(), 0, func(tx *store.Tx) error {
		caf := ctg.Caf{Code: "026", Name: "Caf de la Drôme"}
		if err := tx.CreateCaf(&caf); err != nil {
			return err
		}
		for i, name := range []string{"CTG du Diois", "CTG du Royans-Vercors"} {
			c := ctg.CTG{CafID: caf.ID, Name: name, Population: 12226, Start: civil.MustParse("2023-01-01"), End: civil.MustParse("2026-12-31")}
			if err := tx.CreateCTG(&c, nomenclature.Default); err != nil {
				return err
			}
			if i == 0 {
				s.mine = c
			} else {
				s.other = c
			}
		}
		u := account.User{Email: "agent@diois.fr", Name: "Agnès Agent", Role: account.Officer, CafID: caf.ID}
		if err := tx.CreateUser(&u, password); err != nil {
			return err
		}
		p := ctg.Post{CTGID: s.mine.ID, UserID: u.ID, Person: "Agnès Agent", Employer: "CC du Diois", ETP: 80,
			Start: s.mine.Start, ChefDeProjet: true, Functions: []string{"1.1", "1.2"}}
		return tx.SavePost(&p, nomenclature.Default)
	})
	if err != nil {
		t.Fatal(err)
	}
	srv, err := New(db, cfg, slog.New(slog.NewTextHandler(io.Discard, nil)))
	if err != nil {
		t.Fatal(err)
	}
	if tune != nil {
		tune(srv)
	}
	s.Server = httptest.NewServer(srv.Handler())
	t.Cleanup(s.Close)
	return s
}

// client is a browser without redirects followed, so tests see them.
func client(t *testing.T) *http.Client {
	jar, _ := cookiejar.New(nil)
	return &http.Client{Jar: jar, CheckRedirect: func(*http.Request, []*http.Request) error { return http.ErrUseLastResponse }}
}

func get(t *testing.T, c *http.Client, u string) (int, string, http.Header) {
	t.Helper()
	res, err := c.Get(u)
	if err != nil {
		t.Fatal(err)
	}
	defer res.Body.Close()
	b, _ := io.ReadAll(res.Body)
	return res.StatusCode, string(b), res.Header
}

func post(t *testing.T, c *http.Client, u string, form url.Values) (int, string, http.Header) {
	t.Helper()
	res, err := c.PostForm(u, form)
	if err != nil {
		t.Fatal(err)
	}
	defer res.Body.Close()
	b, _ := io.ReadAll(res.Body)
	return res.StatusCode, string(b), res.Header
}

func login(t *testing.T, s *site) *http.Client {
	t.Helper()
	c := client(t)
	code, _, h := post(t, c, s.URL+"/login", url.Values{"email": {"agent@diois.fr"}, "password": {password}, "next": {"/"}})
	if code != http.StatusSeeOther || h.Get("Location") != "/" {
		t.Fatalf("login: %d → %s", code, h.Get("Location"))
	}
	return c
}

var csrfRe = regexp.MustCompile(`name="csrf" value="([^"]+)"`)

func TestAnonymousPages(t *testing.T) {
	storetest.ForEach(t, func(t *testing.T, db *store.DB) {
		s := newSite(t, db)
		c := client(t)
		cases := []struct {
			path     string
			status   int
			contains string
			location string
		}{
			{"/healthz", 200, "ok", ""},
			{"/", 303, "", "/login?next=%2F"},
			{"/ctg/1", 303, "", "/login?next=%2Fctg%2F1"},
			{"/login", 200, `<label for="email">Adresse électronique</label>`, ""},
			{"/nulle-part", 404, "Cette page n&#39;existe pas ou n&#39;existe plus.", ""},
		}
		for _, tc := range cases {
			code, body, h := get(t, c, s.URL+tc.path)
			if code != tc.status || !strings.Contains(body, tc.contains) || h.Get("Location") != tc.location {
				t.Errorf("GET %s = %d %q (location %q); want %d with %q", tc.path, code, snippet(body), h.Get("Location"), tc.status, tc.contains)
			}
			if h.Get("Content-Security-Policy") == "" {
				t.Errorf("GET %s has no CSP", tc.path)
			}
		}
	})
}

func TestLoginShowsOnlyOwnCTGs(t *testing.T) {
	storetest.ForEach(t, func(t *testing.T, db *store.DB) {
		s := newSite(t, db)
		code, body, _ := post(t, client(t), s.URL+"/login", url.Values{"email": {"agent@diois.fr"}, "password": {"faux"}})
		if code != http.StatusUnauthorized || !strings.Contains(body, "Adresse électronique ou mot de passe incorrect.") ||
			!strings.Contains(body, `value="agent@diois.fr"`) {
			t.Errorf("bad login: %d %s", code, snippet(body))
		}
		c := login(t, s)
		code, body, _ = get(t, c, s.URL+"/")
		if code != 200 || !strings.Contains(body, "CTG du Diois") || strings.Contains(body, "Royans") {
			t.Errorf("home: %d, should list the Diois CTG only: %s", code, snippet(body))
		}
		code, body, _ = get(t, c, s.URL+"/ctg/"+itoa(s.mine.ID))
		if code != 200 || !strings.Contains(body, "Agnès Agent") || !strings.Contains(body, "0,8") {
			t.Errorf("own CTG page: %d %s", code, snippet(body))
		}
		if code, _, _ = get(t, c, s.URL+"/ctg/"+itoa(s.other.ID)); code != 404 {
			t.Errorf("another CTG answered %d, want 404", code)
		}
	})
}

func TestLogoutNeedsCSRF(t *testing.T) {
	storetest.ForEach(t, func(t *testing.T, db *store.DB) {
		s := newSite(t, db)
		c := login(t, s)
		if code, body, _ := post(t, c, s.URL+"/logout", nil); code != 403 || !strings.Contains(body, "La page a expiré") {
			t.Errorf("logout without token: %d", code)
		}
		_, home, _ := get(t, c, s.URL+"/")
		m := csrfRe.FindStringSubmatch(home)
		if m == nil {
			t.Fatal("no CSRF token on the page")
		}
		if code, _, h := post(t, c, s.URL+"/logout", url.Values{"csrf": {m[1]}}); code != 303 || h.Get("Location") != "/login" {
			t.Errorf("logout: %d %s", code, h.Get("Location"))
		}
		if code, _, _ := get(t, c, s.URL+"/"); code != 303 {
			t.Errorf("still signed in after logout: %d", code)
		}
	})
}

func TestLoginRejectsForeignOriginAndOpenRedirect(t *testing.T) {
	s := newSite(t, storetest.Open(t, store.SQLite))
	req, _ := http.NewRequest("POST", s.URL+"/login", strings.NewReader("email=agent%40diois.fr&password=x"))
	req.Header.Set("Content-Type", "application/x-www-form-urlencoded")
	req.Header.Set("Origin", "https://evil.example")
	res, err := client(t).Do(req)
	if err != nil {
		t.Fatal(err)
	}
	res.Body.Close()
	if res.StatusCode != 403 {
		t.Errorf("cross-site login answered %d", res.StatusCode)
	}
	code, _, h := post(t, client(t), s.URL+"/login", url.Values{"email": {"agent@diois.fr"}, "password": {password}, "next": {"//evil.example"}})
	if code != 303 || h.Get("Location") != "/" {
		t.Errorf("open redirect: %d → %s", code, h.Get("Location"))
	}
}

func TestAssetsAreChecksummed(t *testing.T) {
	s := newSite(t, storetest.Open(t, store.SQLite))
	_, body, _ := get(t, client(t), s.URL+"/login")
	m := regexp.MustCompile(`href="(/static/[0-9a-f]{12}/app\.css)"`).FindStringSubmatch(body)
	if m == nil {
		t.Fatalf("no checksummed stylesheet link in %s", snippet(body))
	}
	code, css, h := get(t, client(t), s.URL+m[1])
	if code != 200 || !strings.Contains(h.Get("Cache-Control"), "immutable") || !strings.Contains(css, "@media print") {
		t.Errorf("stylesheet: %d %q", code, h.Get("Cache-Control"))
	}
}

func TestThousands(t *testing.T) {
	for n, want := range map[int64]string{0: "0", 999: "999", 48000: "48\u202f000", -1234567: "-1\u202f234\u202f567"} {
		if got := thousands(n); got != want {
			t.Errorf("thousands(%d) = %q, want %q", n, got, want)
		}
	}
}

func itoa(n int64) string { return strings.TrimSpace(strings.Replace(thousands(n), "\u202f", "", -1)) }

func snippet(s string) string {
	if len(s) > 300 {
		return s[:300] + "…"
	}
	return s
}

func regexp1(t *testing.T, s, re string) string {
	t.Helper()
	m := regexp.MustCompile(re).FindStringSubmatch(s)
	if m == nil {
		t.Fatalf("%s not found in %s", re, snippet(s))
	}
	return m[1]
}
