package crash

import (
	"context"
	"fmt"
	"io"
	"log"
	"net/http"
	"net/http/cookiejar"
	"net/http/httptest"
	"net/http/httputil"
	"net/url"
	"strings"
	"sync"
	"sync/atomic"
	"testing"
	"time"

	"copilote/internal/store"
	"copilote/internal/store/storetest"
)

// Two instances of Copilote over one PostgreSQL, behind a reverse proxy
// the test starts (issue 14, item 3): a user signed in through one is
// served by the other, a write through one is seen at once through the
// other, and killing one under writers loses no acknowledged write. The
// proxy sends a request to the instance its X-Instance header names, and
// otherwise to each in turn.
func TestTwoInstancesBehindAProxy(t *testing.T) {
	if testing.Short() {
		t.Skip("builds and runs the real server twice")
	}
	dsn := storetest.DSN(t, store.Postgres)
	bin := build(t)
	st := prepare(t, dsn)
	var instances [2]*server
	var backends [2]*url.URL
	for i := range instances {
		instances[i] = newServer(t, bin, dsn)
		defer instances[i].kill()
		backends[i], _ = url.Parse("http://" + instances[i].addr)
	}
	var turn atomic.Int64
	proxy := &httputil.ReverseProxy{Rewrite: func(r *httputil.ProxyRequest) {
		i := int(turn.Add(1) % 2)
		switch r.In.Header.Get("X-Instance") {
		case "a":
			i = 0
		case "b":
			i = 1
		}
		r.SetURL(backends[i])
		r.Out.Host = r.In.Host // the site's address, as behind a real proxy
	}, ErrorLog: log.New(io.Discard, "", 0)} // a killed instance's 502s are expected
	front := httptest.NewServer(proxy)
	defer front.Close()

	jar, _ := cookiejar.New(nil)
	c := &http.Client{Jar: jar, CheckRedirect: func(*http.Request, []*http.Request) error { return http.ErrUseLastResponse }}
	do := func(instance, method, path string, form url.Values) (int, string) {
		t.Helper()
		var body io.Reader
		if form != nil {
			body = strings.NewReader(form.Encode())
		}
		req, _ := http.NewRequest(method, front.URL+path, body)
		req.Header.Set("X-Instance", instance)
		if form != nil {
			req.Header.Set("Content-Type", "application/x-www-form-urlencoded")
			req.Header.Set("Origin", front.URL)
		}
		res, err := c.Do(req)
		if err != nil {
			t.Fatal(err)
		}
		b, _ := io.ReadAll(res.Body)
		res.Body.Close()
		return res.StatusCode, string(b)
	}
	ctgID := st.ctgs[0]
	if code, _ := do("a", "POST", "/login", url.Values{"email": {st.emails[ctgID]}, "password": {password}}); code != http.StatusSeeOther {
		t.Fatalf("sign-in through instance a: %d", code)
	}
	code, page := do("b", "GET", "/", nil)
	if code != 200 || !strings.Contains(page, "Agent 1") {
		t.Fatalf("instance b does not know the session made on a: %d", code)
	}
	t.Log("signed in through instance a, served by instance b")
	token := csrfRe.FindStringSubmatch(page)[1]
	journal := fmt.Sprintf("/ctg/%d/journal", ctgID)
	do("b", "GET", journal, nil) // b keeps this page's figures
	title := "Alerte écrite via instance a"
	code, _ = do("a", "POST", fmt.Sprintf("/ctg/%d/records", ctgID), url.Values{"csrf": {token}, "kind": {"alerte"}, "date": {"2024-06-01"},
		"post": {fmt.Sprint(st.posts[ctgID])}, "title": {title}, "nature": {"retard"}, "status": {"ouverte"}})
	if code != http.StatusSeeOther {
		t.Fatalf("write through a: %d", code)
	}
	if _, page := do("b", "GET", journal, nil); !strings.Contains(page, title) {
		_, onA := do("a", "GET", journal, nil)
		t.Errorf("instance b's journal lacks the alert written through a (a's has it: %v)", strings.Contains(onA, title))
	} else {
		t.Log("a write through instance a is in instance b's next page")
	}

	// writers through the proxy, in turn; instance a is killed under them
	var mu sync.Mutex
	var acked []ack
	var cut atomic.Int64
	stop := make(chan struct{})
	var wg sync.WaitGroup
	for w := range 8 {
		wg.Add(1)
		go func() {
			defer wg.Done()
			for i := 0; ; i++ {
				select {
				case <-stop:
					return
				default:
				}
				a := ack{"record", fmt.Sprintf("Alerte deux instances w%d n%d", w, i)}
				req, _ := http.NewRequest("POST", front.URL+fmt.Sprintf("/ctg/%d/records", ctgID), strings.NewReader(url.Values{
					"csrf": {token}, "kind": {"alerte"}, "date": {"2024-06-02"}, "post": {fmt.Sprint(st.posts[ctgID])},
					"title": {a.key}, "nature": {"retard"}, "status": {"ouverte"}}.Encode()))
				req.Header.Set("Content-Type", "application/x-www-form-urlencoded")
				req.Header.Set("Origin", front.URL)
				res, err := c.Do(req)
				if err != nil {
					cut.Add(1)
					continue
				}
				io.Copy(io.Discard, res.Body)
				res.Body.Close()
				if res.StatusCode == http.StatusSeeOther {
					mu.Lock()
					acked = append(acked, a)
					mu.Unlock()
				} else {
					cut.Add(1) // 502 from the proxy once a is gone
				}
			}
		}()
	}
	time.Sleep(time.Second)
	instances[0].kill()
	time.Sleep(time.Second)
	close(stop)
	wg.Wait()
	t.Logf("instance a killed under 8 writers: %d writes acknowledged, %d not (cut or answered 502)", len(acked), cut.Load())
	if len(acked) < 10 {
		t.Fatalf("only %d writes acknowledged", len(acked))
	}
	db, err := store.Open(context.Background(), dsn)
	if err != nil {
		t.Fatal(err)
	}
	defer db.Close()
	recs, _, err := db.Records(context.Background(), store.RecordFilter{Scope: store.Scope{All: true}, Limit: 1 << 20})
	if err != nil {
		t.Fatal(err)
	}
	have := map[string]bool{}
	for _, r := range recs {
		have[r.Title] = true
	}
	lost := 0
	for _, a := range acked {
		if !have[a.key] {
			lost++
		}
	}
	if lost > 0 {
		t.Errorf("%d of %d acknowledged writes lost", lost, len(acked))
	}
	t.Logf("%d acknowledged writes checked: %d lost", len(acked), lost)
}
