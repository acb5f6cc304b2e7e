// Package crash proves that a write Copilote acknowledged survives the
// server being killed (issue 14, item 1): writers post records, fiches
// actions and partners through the HTTP interface, with their sessions and
// CSRF tokens, while the real binary is killed with SIGKILL at random
// moments and restarted. Afterwards every write answered with success is
// in the database, SQLite's integrity check passes, the tallies equal a
// recount and the audit chain verifies, on both engines.
//
// The README's test command runs a short form (3 kills, 16 writers); the
// full one is
//
//	scripts/with-postgres.sh go test -count=1 -timeout 30m ./internal/crash/ -kills 20 -writers 64 -v
package crash

import (
	"context"
	"database/sql"
	"flag"
	"fmt"
	"io"
	"math/rand/v2"
	"net"
	"net/http"
	"net/http/cookiejar"
	"net/url"
	"os"
	"os/exec"
	"path/filepath"
	"regexp"
	"runtime"
	"strings"
	"sync"
	"sync/atomic"
	"syscall"
	"testing"
	"time"

	"copilote/internal/account"
	"copilote/internal/civil"
	"copilote/internal/ctg"
	"copilote/internal/journal"
	"copilote/internal/nomenclature"
	"copilote/internal/store"
	"copilote/internal/store/storetest"
)

var (
	kills   = flag.Int("kills", 3, "SIGKILLs of the server per engine")
	writers = flag.Int("writers", 16, "concurrent writers")
)

const password = "mot de passe du test de panne"

func TestAcknowledgedWritesSurviveKills(t *testing.T) {
	if testing.Short() {
		t.Skip("builds and kills the real server")
	}
	bin := build(t)
	for _, e := range storetest.Engines {
		t.Run(string(e), func(t *testing.T) { crashRun(t, bin, storetest.DSN(t, e)) })
	}
}

func build(t *testing.T) string {
	_, file, _, _ := runtime.Caller(0)
	root := filepath.Join(filepath.Dir(file), "..", "..")
	bin := filepath.Join(t.TempDir(), "copilote")
	cmd := exec.Command("go", "build", "-o", bin, "./cmd/copilote")
	cmd.Dir, cmd.Env = root, append(os.Environ(), "CGO_ENABLED=0")
	if out, err := cmd.CombinedOutput(); err != nil {
		t.Fatalf("build: %v %s", err, out)
	}
	return bin
}

// site is what the writers need: the CTGs, and per CTG an officer with a
// post.
type site struct {
	ctgs   []int64
	posts  map[int64]int64
	emails map[int64]string
}

// prepare fills the database: one Caf, eight CTGs, an officer and a post
// in each.
func prepare(t *testing.T, dsn string) site {
	ctx := context.Background()
	db, err := store.Open(ctx, dsn)
	if err != nil {
		t.Fatal(err)
	}
	defer db.Close()
	if err := db.Migrate(ctx); err != nil {
		t.Fatal(err)
	}
	s := site{posts: map[int64]int64{}, emails: map[int64]string{}}
	err = db.Write(ctx, 0, func(tx *store.Tx) error {
		caf := ctg.Caf{Code: "026", Name: "Caf de la Drôme", Department: "26"}
		if err := tx.CreateCaf(&caf); err != nil {
			return err
		}
		for i := range 8 {
			c := ctg.CTG{CafID: caf.ID, Name: fmt.Sprintf("CTG n°%d", i+1), Start: civil.MustParse("2023-01-01"), End: civil.MustParse("2026-12-31")}
			if err := tx.CreateCTG(&c, nomenclature.Default); err != nil {
				return err
			}
			u := account.User{Email: fmt.Sprintf("agent%d@caf26.fr", i+1), Name: fmt.Sprintf("Agent %d", i+1), Role: account.Officer, CafID: caf.ID}
			if err := tx.CreateUser(&u, password); err != nil {
				return err
			}
			p := ctg.Post{CTGID: c.ID, UserID: u.ID, Person: u.Name, Employer: "Caf", ETP: 100, Start: c.Start, ChefDeProjet: true,
				Functions: []string{"1.1"}}
			if err := tx.SavePost(&p, nomenclature.Default); err != nil {
				return err
			}
			s.ctgs = append(s.ctgs, c.ID)
			s.posts[c.ID], s.emails[c.ID] = p.ID, u.Email
		}
		return nil
	})
	if err != nil {
		t.Fatal(err)
	}
	return s
}

// server runs the binary and kills it.
type server struct {
	t    *testing.T
	bin  string
	dsn  string
	addr string
	log  *os.File
	cmd  *exec.Cmd
}

// newServer picks a free local port and a log file of its own, and
// starts the binary on dsn.
func newServer(t *testing.T, bin, dsn string) *server {
	t.Helper()
	ln, err := net.Listen("tcp", "127.0.0.1:0")
	if err != nil {
		t.Fatal(err)
	}
	addr := ln.Addr().String()
	ln.Close()
	logf, err := os.CreateTemp(t.TempDir(), "server-*.log")
	if err != nil {
		t.Fatal(err)
	}
	t.Cleanup(func() { logf.Close() })
	s := &server{t: t, bin: bin, dsn: dsn, addr: addr, log: logf}
	s.start()
	return s
}

func (s *server) start() {
	s.t.Helper()
	s.cmd = exec.Command(s.bin, "serve", "--addr", s.addr, "--db", s.dsn)
	s.cmd.Stdout, s.cmd.Stderr = s.log, s.log
	if err := s.cmd.Start(); err != nil {
		s.t.Fatal(err)
	}
	deadline := time.Now().Add(time.Minute)
	for time.Now().Before(deadline) {
		if res, err := http.Get("http://" + s.addr + "/readyz"); err == nil {
			res.Body.Close()
			if res.StatusCode == 200 {
				return
			}
		}
		time.Sleep(50 * time.Millisecond)
	}
	s.t.Fatalf("the server did not come back: see %s", s.log.Name())
}

func (s *server) kill() {
	s.cmd.Process.Signal(syscall.SIGKILL)
	s.cmd.Wait()
}

// ack is one write the server answered with success.
type ack struct{ kind, key string }

var csrfRe = regexp.MustCompile(`name="csrf" value="([^"]+)"`)

func crashRun(t *testing.T, bin, dsn string) {
	st := prepare(t, dsn)
	srv := newServer(t, bin, dsn)
	base := "http://" + srv.addr

	// one session per CTG's officer, shared by that CTG's writers: sessions
	// live in the database and outlive every kill
	type session struct {
		c    *http.Client
		csrf string
	}
	sessions := map[int64]session{}
	for _, id := range st.ctgs {
		jar, _ := cookiejar.New(nil)
		c := &http.Client{Jar: jar, Timeout: 30 * time.Second,
			CheckRedirect: func(*http.Request, []*http.Request) error { return http.ErrUseLastResponse }}
		res, err := c.PostForm(base+"/login", url.Values{"email": {st.emails[id]}, "password": {password}})
		if err != nil || res.StatusCode != http.StatusSeeOther {
			t.Fatalf("login: %v %v", err, res)
		}
		res.Body.Close()
		res, err = c.Get(base + "/account")
		if err != nil {
			t.Fatal(err)
		}
		page, _ := io.ReadAll(res.Body)
		res.Body.Close()
		m := csrfRe.FindSubmatch(page)
		if m == nil {
			t.Fatal("no CSRF token")
		}
		sessions[id] = session{c, string(m[1])}
	}

	var mu sync.Mutex
	var acked []ack
	var sent, failed, refused, errors5xx atomic.Int64
	stop := make(chan struct{})
	var wg sync.WaitGroup
	for w := range *writers {
		wg.Add(1)
		go func() {
			defer wg.Done()
			id := st.ctgs[w%len(st.ctgs)]
			se := sessions[id]
			ctgURL := fmt.Sprintf("%s/ctg/%d", base, id)
			for i := 0; ; i++ {
				select {
				case <-stop:
					return
				default:
				}
				key := fmt.Sprintf("w%d n%d", w, i)
				var a ack
				var form url.Values
				var target string
				switch i % 4 {
				case 0, 1:
					a = ack{"record", "Alerte " + key}
					target, form = ctgURL+"/records", url.Values{"kind": {"alerte"}, "date": {"2024-06-01"},
						"post": {fmt.Sprint(st.posts[id])}, "title": {a.key}, "nature": {"retard"}, "status": {"ouverte"}}
				case 2:
					a = ack{"action", fmt.Sprintf("PE-%d-%d", w, i)}
					target, form = ctgURL+"/actions", url.Values{"code": {a.key}, "title": {"Fiche " + key}, "axis": {"petite_enfance"}}
				case 3:
					a = ack{"partner", fmt.Sprintf("Partenaire %s %s", strings.Repeat("x", w%5+1), key)}
					target, form = ctgURL+"/partners", url.Values{"name": {a.key}, "type": {"association"}}
				}
				form.Set("csrf", se.csrf)
				sent.Add(1)
				res, err := se.c.PostForm(target, form)
				if err != nil {
					failed.Add(1) // the server was down: not acknowledged
					time.Sleep(20 * time.Millisecond)
					continue
				}
				io.Copy(io.Discard, res.Body)
				res.Body.Close()
				switch {
				case res.StatusCode == http.StatusSeeOther:
					mu.Lock()
					acked = append(acked, a)
					mu.Unlock()
				case res.StatusCode < 500:
					refused.Add(1)
					if refused.Load() <= 3 {
						t.Logf("%s refused: %d", a.key, res.StatusCode)
					}
				default:
					errors5xx.Add(1)
				}
			}
		}()
	}
	for k := range *kills {
		time.Sleep(time.Duration(300+rand.IntN(1500)) * time.Millisecond)
		mu.Lock()
		n := len(acked)
		mu.Unlock()
		srv.kill()
		t.Logf("kill %d after %d acknowledged writes", k+1, n)
		time.Sleep(time.Duration(rand.IntN(300)) * time.Millisecond)
		srv.start()
	}
	time.Sleep(500 * time.Millisecond)
	close(stop)
	wg.Wait()
	srv.kill() // the last one too: nothing is shut down cleanly
	t.Logf("%d writes sent, %d acknowledged, %d cut by a kill (no answer), %d answered 5xx, %d refused as invalid",
		sent.Load(), len(acked), failed.Load(), errors5xx.Load(), refused.Load())
	if len(acked) < *kills*10 {
		t.Fatalf("only %d writes acknowledged: the test proves nothing", len(acked))
	}
	check(t, dsn, acked)
}

// check opens the database as the server left it.
func check(t *testing.T, dsn string, acked []ack) {
	ctx := context.Background()
	db, err := store.Open(ctx, dsn)
	if err != nil {
		t.Fatal(err)
	}
	defer db.Close()
	if db.Engine == store.SQLite {
		if got := integrity(t, dsn); got != "ok" {
			t.Errorf("integrity_check: %s", got)
		}
	}
	have := map[ack]bool{}
	recs, _, err := db.Records(ctx, store.RecordFilter{Scope: store.Scope{All: true}, Kind: journal.Alerte, Limit: 1 << 20})
	if err != nil {
		t.Fatal(err)
	}
	for _, r := range recs {
		have[ack{"record", r.Title}] = true
	}
	ctgs, err := db.CTGs(ctx, store.Scope{All: true})
	if err != nil {
		t.Fatal(err)
	}
	for _, c := range ctgs {
		acts, _, err := db.Actions(ctx, store.ActionFilter{Scope: store.Scope{All: true}, CTGID: c.ID, Limit: 1 << 20})
		if err != nil {
			t.Fatal(err)
		}
		for _, a := range acts {
			have[ack{"action", a.Code}] = true
		}
	}
	parts, _, err := db.Partners(ctx, store.PartnerFilter{CafID: ctgs[0].CafID, Limit: 1 << 20})
	if err != nil {
		t.Fatal(err)
	}
	for _, p := range parts {
		have[ack{"partner", p.Name}] = true
	}
	lost := 0
	for _, a := range acked {
		if !have[a] {
			if lost++; lost <= 5 {
				t.Errorf("acknowledged %s %q is lost", a.kind, a.key)
			}
		}
	}
	t.Logf("%d acknowledged writes checked: %d lost", len(acked), lost)
	audit, err := db.VerifyAudit(ctx)
	if err != nil || len(audit.Problems) > 0 {
		t.Errorf("audit chain: %+v %v", audit, err)
	}
	before := storetest.NationalFigures(t, db)
	if err := db.RecountTallies(ctx); err != nil {
		t.Fatal(err)
	}
	fresh, err := store.Open(ctx, dsn)
	if err != nil {
		t.Fatal(err)
	}
	defer fresh.Close()
	if after := storetest.NationalFigures(t, fresh); after != before {
		t.Errorf("tallies differ from a recount:\n%s\n%s", before, after)
	}
}

// integrity is SQLite's own check of the file, on a connection of its own
// (the store opened it first, which replays the WAL a kill left).
func integrity(t *testing.T, path string) string {
	conn, err := sql.Open("sqlite", "file:"+path)
	if err != nil {
		t.Fatal(err)
	}
	defer conn.Close()
	var got string
	if err := conn.QueryRow(`PRAGMA integrity_check`).Scan(&got); err != nil {
		t.Fatal(err)
	}
	return got
}
