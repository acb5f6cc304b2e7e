package web

import (
	"bufio"
	"context"
	"database/sql"
	"encoding/json"
	"io"
	"log/slog"
	"net"
	"net/http"
	"net/http/httptest"
	"net/url"
	"os"
	"strings"
	"sync"
	"testing"

	"copilote/internal/config"
	"copilote/internal/store"
	"copilote/internal/store/storetest"
)

// An operator's view (issue 14, item 5): /readyz, a request id in the
// answer and in every log line of the request (JSON on request), and
// Prometheus metrics by route and status, of the pools and of the writes.
func TestOperatorSeesRequestsAndMetrics(t *testing.T) {
	storetest.ForEach(t, func(t *testing.T, db *store.DB) {
		var logs syncBuffer
		var metrics *Metrics
		s := newSiteWith(t, db, config.Default(), func(srv *Server) {
			srv.log = slog.New(requestIDHandler{slog.NewJSONHandler(&logs, &slog.HandlerOptions{Level: slog.LevelDebug})})
			metrics = NewMetrics(srv)
		})
		if code, body, _ := get(t, client(t), s.URL+"/readyz"); code != 200 || body != "prêt\n" {
			t.Errorf("readyz: %d %q", code, body)
		}
		c := login(t, s)
		code, _, h := get(t, c, s.URL+"/ctg/"+itoa(s.mine.ID))
		id := h.Get("X-Request-Id")
		if code != 200 || len(id) != 16 {
			t.Fatalf("CTG page: %d, request id %q", code, id)
		}
		// a proxy's id is kept, a strange one replaced
		req, _ := http.NewRequest("GET", s.URL+"/healthz", nil)
		req.Header.Set("X-Request-Id", "lb-0123456789abcdef")
		res, err := http.DefaultClient.Do(req)
		if err != nil {
			t.Fatal(err)
		}
		res.Body.Close()
		if got := res.Header.Get("X-Request-Id"); got != "lb-0123456789abcdef" {
			t.Errorf("the proxy's request id became %q", got)
		}
		found := false
		sc := bufio.NewScanner(strings.NewReader(logs.String()))
		for sc.Scan() {
			var line map[string]any
			if err := json.Unmarshal(sc.Bytes(), &line); err != nil {
				t.Fatalf("log line is not JSON: %s", sc.Text())
			}
			if line["msg"] == "request" && line["path"] == "/ctg/"+itoa(s.mine.ID) {
				found = line["request_id"] == id
			}
		}
		if !found {
			t.Errorf("no log line of the CTG page with its request id %s:\n%s", id, logs.String())
		}

		rec := httptest.NewRecorder()
		metrics.Handler().ServeHTTP(rec, httptest.NewRequest("GET", "/metrics", nil))
		body := rec.Body.String()
		for _, want := range []string{
			`copilote_http_requests_total{method="GET",route="GET /ctg/{ctg}",status="200"} 1`,
			`copilote_http_requests_total{method="POST",route="POST /login",status="303"} 1`,
			`copilote_http_request_duration_seconds_count{route="GET /ctg/{ctg}"} 1`,
			`copilote_db_write_duration_seconds_count{outcome="committed"}`,
			`go_sql_max_open_connections{db_name=`,
			`copilote_data_version `,
		} {
			if !strings.Contains(body, want) {
				t.Errorf("metrics lack %s", want)
			}
		}
		if code, _, _ := get(t, client(t), s.URL+"/metrics"); code != 404 {
			t.Errorf("the public address serves /metrics: %d", code)
		}
		// the profiles an operator reads with go tool pprof, on the
		// metrics address only
		rec = httptest.NewRecorder()
		metrics.Handler().ServeHTTP(rec, httptest.NewRequest("GET", "/debug/pprof/heap?debug=1", nil))
		if rec.Code != 200 || !strings.Contains(rec.Body.String(), "heap profile") {
			t.Errorf("metrics address, heap profile: %d %.80s", rec.Code, rec.Body.String())
		}
		if code, _, _ := get(t, client(t), s.URL+"/debug/pprof/heap?debug=1"); code != 404 {
			t.Errorf("the public address serves profiles: %d", code)
		}
	})
}

// PostgreSQL goes away under a signed-in user and comes back: meanwhile
// pages answer 503 with a French page and a reference, /healthz and
// /readyz say so; then the same Copilote serves again without a restart.
func TestDatabaseRestartAnswers503ThenRecovers(t *testing.T) {
	admin := os.Getenv(storetest.PostgresEnv)
	if admin == "" {
		storetest.DSN(t, store.Postgres) // skips, or fails in CI
	}
	dsn := storetest.DSN(t, store.Postgres)
	u, _ := url.Parse(dsn)
	p := startTCPProxy(t, u.Host)
	u.Host = p.addr
	db, err := store.Open(context.Background(), u.String())
	if err != nil {
		t.Fatal(err)
	}
	t.Cleanup(func() { db.Close() })
	if err := db.Migrate(context.Background()); err != nil {
		t.Fatal(err)
	}
	var logs syncBuffer
	s := newSiteWith(t, db, config.Default(), func(srv *Server) {
		srv.log = slog.New(requestIDHandler{slog.NewTextHandler(&logs, nil)})
	})
	defer func() {
		if t.Failed() {
			t.Log(logs.String())
		}
	}()
	c := login(t, s)
	journal := s.URL + "/ctg/" + itoa(s.mine.ID) + "/journal"
	if code, _, _ := get(t, c, journal); code != 200 {
		t.Fatalf("journal before: %d", code)
	}
	p.cut()
	code, page, h := get(t, c, journal)
	if code != http.StatusServiceUnavailable || !strings.Contains(page, "La base de données ne répond pas pour le moment") ||
		!strings.Contains(page, `id="request-id">`+h.Get("X-Request-Id")) || h.Get("Retry-After") == "" {
		t.Errorf("journal while the database is away: %d %s", code, snippet(pageMain(page)))
	}
	for _, path := range []string{"/healthz", "/readyz"} {
		if code, _, _ := get(t, client(t), s.URL+path); code != http.StatusServiceUnavailable {
			t.Errorf("%s while the database is away: %d", path, code)
		}
	}
	p.restore(t)
	if code, page, _ := get(t, c, journal); code != 200 || !strings.Contains(page, "Journal") {
		t.Errorf("journal once the database is back: %d %s", code, snippet(pageMain(page)))
	}
	if code, _, _ := get(t, client(t), s.URL+"/readyz"); code != 200 {
		t.Errorf("readyz once the database is back: %d", code)
	}
}

// SQLite busy beyond its timeout is the database being unavailable, not
// a bug: the user gets the 503 page, never the driver's message.
func TestSQLiteBusyIsUnavailable(t *testing.T) {
	path := storetest.DSN(t, store.SQLite)
	a, err := sql.Open("sqlite", "file:"+path+"?_pragma=journal_mode(WAL)")
	if err != nil {
		t.Fatal(err)
	}
	defer a.Close()
	b, err := sql.Open("sqlite", "file:"+path+"?_pragma=busy_timeout(0)")
	if err != nil {
		t.Fatal(err)
	}
	defer b.Close()
	ctx := context.Background()
	ca, _ := a.Conn(ctx)
	defer ca.Close()
	if _, err := ca.ExecContext(ctx, `CREATE TABLE t (x INTEGER)`); err != nil {
		t.Fatal(err)
	}
	if _, err := ca.ExecContext(ctx, `BEGIN IMMEDIATE`); err != nil {
		t.Fatal(err)
	}
	defer ca.ExecContext(ctx, `ROLLBACK`)
	_, err = b.ExecContext(ctx, `INSERT INTO t VALUES (1)`)
	if err == nil || !store.Unavailable(err) {
		t.Errorf("a write meeting a held lock: %v, unavailable %v", err, store.Unavailable(err))
	}
}

// tcpProxy forwards to a server until cut, then refuses connections until
// restored on the same address.
type tcpProxy struct {
	addr, target string
	mu           sync.Mutex
	ln           net.Listener
	conns        []net.Conn
}

func startTCPProxy(t *testing.T, target string) *tcpProxy {
	ln, err := net.Listen("tcp", "127.0.0.1:0")
	if err != nil {
		t.Fatal(err)
	}
	p := &tcpProxy{addr: ln.Addr().String(), target: target}
	p.serve(ln)
	t.Cleanup(p.cut)
	return p
}

func (p *tcpProxy) serve(ln net.Listener) {
	p.mu.Lock()
	p.ln = ln
	p.mu.Unlock()
	go func() {
		for {
			in, err := ln.Accept()
			if err != nil {
				return
			}
			out, err := net.Dial("tcp", p.target)
			if err != nil {
				in.Close()
				continue
			}
			p.mu.Lock()
			p.conns = append(p.conns, in, out)
			p.mu.Unlock()
			go func() { io.Copy(out, in); out.Close() }()
			go func() { io.Copy(in, out); in.Close() }()
		}
	}()
}

// cut closes the listener and every connection, as a server going down.
func (p *tcpProxy) cut() {
	p.mu.Lock()
	defer p.mu.Unlock()
	if p.ln != nil {
		p.ln.Close()
		p.ln = nil
	}
	for _, c := range p.conns {
		c.Close()
	}
	p.conns = nil
}

func (p *tcpProxy) restore(t *testing.T) {
	ln, err := net.Listen("tcp", p.addr)
	if err != nil {
		t.Fatal(err)
	}
	p.serve(ln)
}
