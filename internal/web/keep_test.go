package web

import (
	"context"
	"html"
	"io"
	"log/slog"
	"net/http"
	"net/http/httptest"
	"net/url"
	"strings"
	"testing"

	"copilote/internal/config"
	"copilote/internal/store"
	"copilote/internal/store/storetest"
)

// An alert as typed: what must come back.
func typedAlert(postID string) url.Values {
	return url.Values{"kind": {"alerte"}, "date": {"2024-03-12"}, "post": {postID}, "title": {"Retard du RPE de Luc-en-Diois"},
		"nature": {"retard"}, "status": {"ouverte"}, "comment": {"Le bâtiment n'est pas prêt ;\nle Copil doit trancher."}}
}

func postWithReferer(t *testing.T, c *http.Client, u, referer string, form url.Values) (int, string) {
	t.Helper()
	req, _ := http.NewRequest(http.MethodPost, u, strings.NewReader(form.Encode()))
	req.Header.Set("Content-Type", "application/x-www-form-urlencoded")
	if referer != "" {
		req.Header.Set("Referer", referer)
	}
	res, err := c.Do(req)
	if err != nil {
		t.Fatal(err)
	}
	defer res.Body.Close()
	b, _ := io.ReadAll(res.Body)
	return res.StatusCode, string(b)
}

// hasTyped checks that body shows the alert as typed in its form.
func hasTyped(t *testing.T, what, body string) {
	t.Helper()
	for _, want := range []string{`value="Retard du RPE de Luc-en-Diois"`, `<option value="retard" selected>`,
		html.EscapeString("Le bâtiment n'est pas prêt ;\nle Copil doit trancher."), `value="2024-03-12"`} {
		if !strings.Contains(body, want) {
			t.Errorf("%s: the form lacks %s", what, want)
		}
	}
}

// A form posted with a stale token while the session is still valid comes
// back filled as typed, with a fresh token and a French message, from the
// page it was posted from or, without a Referer, from the form page its
// address implies; nothing is written (issue 11, item 4).
func TestStaleTokenShowsTheFormAgainAsTyped(t *testing.T) {
	storetest.ForEach(t, func(t *testing.T, db *store.DB) {
		s := newSite(t, db)
		c := login(t, s)
		base := s.URL + ctgURL(s.mine.ID)
		_, page, _ := get(t, c, base+"/records/new?kind=alerte")
		postID := regexp1(t, page, `<option value="(\d+)" selected>`)
		token := csrfRe.FindStringSubmatch(page)[1]
		form := typedAlert(postID)
		form.Set("csrf", "un-jeton-perime")
		for _, referer := range []string{base + "/records/new?kind=alerte", ""} {
			code, body := postWithReferer(t, c, base+"/records", referer, form)
			if code != http.StatusForbidden || !strings.Contains(body, "La page a expiré : votre saisie est reprise ci-dessous") {
				t.Fatalf("stale token (referer %q): %d %s", referer, code, snippet(body))
			}
			hasTyped(t, "stale token", body)
			if !strings.Contains(body, `name="csrf" value="`+token+`"`) || !strings.Contains(body, "Nouvel enregistrement : Alerte au Copil") {
				t.Errorf("stale token (referer %q): not the alert form with the session's token", referer)
			}
			if !strings.Contains(body, "<dt>Objet de l&#39;alerte</dt><dd class=\"prewrap\">Retard du RPE de Luc-en-Diois</dd>") {
				t.Errorf("stale token: the typed values are not listed with their labels")
			}
		}
		if _, n, _ := db.Records(context.Background(), store.RecordFilter{Scope: store.Scope{All: true}}); n != 0 {
			t.Errorf("a stale token wrote %d records", n)
		}
		// sent again from the page shown, with its token, it is saved
		form.Set("csrf", token)
		if code, _, _ := post(t, c, base+"/records", form); code != http.StatusSeeOther {
			t.Errorf("sent again: %d", code)
		}
	})
}

// A form posted once the session expired leads to the login page, which
// carries what was typed; signed in again, the user gets the form filled
// as typed and can send it (issue 11, item 4).
func TestExpiredSessionKeepsTheInputThroughSignIn(t *testing.T) {
	storetest.ForEach(t, func(t *testing.T, db *store.DB) {
		s := newSite(t, db)
		c := login(t, s)
		base := s.URL + ctgURL(s.mine.ID)
		_, page, _ := get(t, c, base+"/records/new?kind=alerte")
		postID := regexp1(t, page, `<option value="(\d+)" selected>`)
		form := typedAlert(postID)
		form.Set("csrf", csrfRe.FindStringSubmatch(page)[1])
		// the session ends elsewhere (expiry, sign-out in another tab)
		if err := db.Logout(context.Background(), sessionToken(t, c, s.URL)); err != nil {
			t.Fatal(err)
		}
		code, body := postWithReferer(t, c, base+"/records", base+"/records/new?kind=alerte", form)
		if code != http.StatusUnauthorized || !strings.Contains(body, "Votre session a expiré. Reconnectez-vous") {
			t.Fatalf("expired session: %d %s", code, snippet(body))
		}
		resume := html.UnescapeString(regexp1(t, body, `name="resume" value="([^"]*)"`))
		from := html.UnescapeString(regexp1(t, body, `name="resume_from" value="([^"]*)"`))
		if v, _ := url.ParseQuery(resume); v.Get("title") != "Retard du RPE de Luc-en-Diois" || v.Get("csrf") != "" {
			t.Errorf("the login form carries %q", resume)
		}
		code, body, _ = post(t, c, s.URL+"/login", url.Values{"email": {"agent@diois.fr"}, "password": {password},
			"resume": {resume}, "resume_from": {from}})
		if code != http.StatusOK || !strings.Contains(body, "Vous êtes reconnecté(e) : votre saisie est reprise") {
			t.Fatalf("signed in again: %d %s", code, snippet(body))
		}
		hasTyped(t, "after sign-in", body)
		form.Set("csrf", csrfRe.FindStringSubmatch(body)[1])
		if code, _, _ := post(t, c, base+"/records", form); code != http.StatusSeeOther {
			t.Errorf("sent after sign-in: %d", code)
		}
		if _, n, _ := db.Records(context.Background(), store.RecordFilter{Scope: store.Scope{All: true}}); n != 1 {
			t.Errorf("%d records, want the one sent after sign-in", n)
		}
	})
}

// sessionToken is the session cookie c holds for the site.
func sessionToken(t *testing.T, c *http.Client, site string) string {
	t.Helper()
	u, _ := url.Parse(site)
	for _, ck := range c.Jar.Cookies(u) {
		if ck.Name == sessionCookie {
			return ck.Value
		}
	}
	t.Fatal("no session cookie")
	return ""
}

// Without a Referer of this site (or one that is the posted address, a form
// shown again with its errors), the page to show again is the form page
// the posted address implies.
func TestFormPageOfAPost(t *testing.T) {
	srv, err := New(storetest.Open(t, store.SQLite), config.Default(), slog.New(slog.NewTextHandler(io.Discard, nil)))
	if err != nil {
		t.Fatal(err)
	}
	for post, want := range map[string]string{
		"/ctg/1/records?kind=alerte":    "/ctg/1/records/new?kind=alerte",
		"/ctg/1/records/5":              "/ctg/1/records/5/edit",
		"/ctg/1/records/5/delete":       "/ctg/1/records/5/delete",
		"/ctg/1/actions":                "/ctg/1/actions/new",
		"/ctg/1/actions/5":              "/ctg/1/actions/5/edit",
		"/ctg/1/actions/5/updates":      "/ctg/1/actions/5",
		"/ctg/1/instances":              "/ctg/1",
		"/ctg/1/edit":                   "/ctg/1/edit",
		"/ctg/1/posts/3":                "/ctg/1/posts/3",
		"/ctg":                          "/ctg/new",
		"/caf/surveys/questions":        "/caf/surveys",
		"/ctg/1/evaluations/2/validate": "/ctg/1/evaluations/2",
	} {
		path, query, _ := strings.Cut(post, "?")
		form, _ := url.ParseQuery(query)
		r := httptest.NewRequest(http.MethodPost, path, strings.NewReader(form.Encode()))
		r.Header.Set("Content-Type", "application/x-www-form-urlencoded")
		r.ParseForm()
		if got := srv.formPage(r); got != want {
			t.Errorf("form page of POST %s = %s, want %s", post, got, want)
		}
	}
}
