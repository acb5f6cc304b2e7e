package web

import (
	"bytes"
	"mime/multipart"
	"net/http"
	"net/url"
	"path/filepath"
	"strings"
	"testing"
	"time"

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
