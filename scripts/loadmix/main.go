// Command loadmix measures Copilote with readers and writers at once
// (issue 14, item 2; docs/performance.md). On a database holding data
// (copilote synth), it adds a national reader and one Caf advisor per
// writer, serves the database with the binary given, and runs three
// phases of the same length:
//
//  1. the template alone: readers ask /bench/dashboard, the last dashboard
//     rendered again without database or session: the ceiling;
//  2. readers alone: each asks, at random, a dashboard, a journal page or
//     a drill-down of S12b of one of many CTGs;
//  3. the same readers while writers record alerts at a steady rate, each
//     in a CTG of its own that no reader asks for; after each saved alert
//     the writer opens its CTG's dashboard, which must count it.
//
// It prints each phase's throughput and latencies, the readers' ratio to
// the template, the writes' latencies, the 5xx answers, how many
// dashboards counted the alert just saved, and the server's peak memory.
//
//	go run ./scripts/loadmix -db DSN -bin ./copilote [-readers 64] [-writers 16] [-rate 0.5] [-seconds 30]
package main

import (
	"context"
	"errors"
	"flag"
	"fmt"
	"io"
	"maps"
	"math/rand/v2"
	"net"
	"net/http"
	"net/http/cookiejar"
	"net/url"
	"os"
	"os/exec"
	"regexp"
	"slices"
	"strconv"
	"strings"
	"sync"
	"sync/atomic"
	"time"

	"copilote/internal/account"
	"copilote/internal/civil"
	"copilote/internal/store"
)

const password = "mesure-de-charge-2026"

func main() {
	dsn := flag.String("db", "", "base à mesurer (fichier SQLite ou URL postgres://), remplie par copilote synth")
	bin := flag.String("bin", "", "binaire copilote à servir")
	readers := flag.Int("readers", 64, "lecteurs simultanés")
	writers := flag.Int("writers", 16, "écrivains, chacun dans une CTG à lui")
	rate := flag.Float64("rate", 0.5, "alertes par seconde et par écrivain")
	seconds := flag.Int("seconds", 30, "durée de chaque phase")
	ctgs := flag.Int("ctgs", 200, "CTG que les lecteurs parcourent")
	flag.Parse()
	if *dsn == "" || *bin == "" {
		flag.Usage()
		os.Exit(2)
	}
	if err := run(*dsn, *bin, *readers, *writers, *rate, time.Duration(*seconds)*time.Second, *ctgs); err != nil {
		fmt.Fprintln(os.Stderr, "loadmix:", err)
		os.Exit(1)
	}
}

func run(dsn, bin string, nReaders, nWriters int, rate float64, phase time.Duration, nCTGs int) error {
	ctx := context.Background()
	readCTGs, writeCTGs, national, err := setUp(ctx, dsn, nWriters, nCTGs)
	if err != nil {
		return err
	}
	base, srv, err := serve(bin, dsn)
	if err != nil {
		return err
	}
	defer srv.Process.Kill()
	pid := srv.Process.Pid

	reader, err := signIn(base, national)
	if err != nil {
		return err
	}
	for i := range writeCTGs {
		w := &writeCTGs[i]
		c, err := signIn(base, w.email)
		if err != nil {
			return err
		}
		w.client = c
		if w.csrf, w.post, err = recordForm(c, base, w.id); err != nil {
			return err
		}
	}
	urls := make([]string, 0, 3*len(readCTGs))
	for _, id := range readCTGs {
		p := base + "/ctg/" + strconv.FormatInt(id, 10)
		urls = append(urls, p+"/indicators", p+"/journal", p+"/indicators/S12b")
	}
	// every page once, so that the phases measure pages kept or not as
	// they would be after a while, not the first visits
	start := time.Now()
	for _, u := range urls {
		if code, _, err := get(reader, u); err != nil || code != 200 {
			return fmt.Errorf("warm-up %s: %d %v", u, code, err)
		}
	}
	fmt.Printf("warm-up: %d pages of %d CTGs in %.1f s; %d writers in %d other CTGs; server memory %s\n",
		len(urls), len(readCTGs), time.Since(start).Seconds(), len(writeCTGs), len(writeCTGs), memory(pid))

	// the server's resident memory, sampled through the phases: its peak
	// since start (VmHWM) also counts the sign-ins above, 64 MiB of argon2
	// each
	var phasePeak atomic.Int64
	sampling := make(chan struct{})
	go func() {
		for {
			select {
			case <-sampling:
				return
			case <-time.After(50 * time.Millisecond):
				if kb := statusKB(pid, "VmRSS"); kb > phasePeak.Load() {
					phasePeak.Store(kb)
				}
			}
		}
	}()
	bench := []string{base + "/bench/dashboard"}
	t0 := readPhase(reader, bench, nReaders, phase, nil)
	t0.print("template alone (/bench/dashboard)")
	t1 := readPhase(reader, urls, nReaders, phase, nil)
	t1.print("readers alone (dashboards, journals, drill-downs)")
	var ws writeStats
	t2 := readPhase(reader, urls, nReaders, phase, func(stop <-chan struct{}, wg *sync.WaitGroup) {
		for i := range writeCTGs {
			wg.Add(1)
			go func(w *writer) {
				defer wg.Done()
				w.run(base, rate, stop, &ws)
			}(&writeCTGs[i])
		}
	})
	t2.print(fmt.Sprintf("readers with %d writers", len(writeCTGs)))
	ws.print(phase)
	fmt.Printf("ratio readers alone / template: %.2f; readers with writers / template: %.2f (goal >= 0.8)\n",
		t1.rate()/t0.rate(), t2.rate()/t0.rate())
	close(sampling)
	fmt.Printf("5xx answers: %d; server memory now %s; largest resident memory sampled during the phases: %d MB (goal <= 300 MB)\n",
		t0.fivexx+t1.fivexx+t2.fivexx+int(ws.fivexx.Load()), memory(pid), phasePeak.Load()/1024)
	return nil
}

// setUp picks the CTGs and adds the accounts.
func setUp(ctx context.Context, dsn string, nWriters, nCTGs int) (read []int64, write []writer, national string, err error) {
	db, err := store.Open(ctx, dsn)
	if err != nil {
		return nil, nil, "", err
	}
	defer db.Close()
	if err := db.Migrate(ctx); err != nil {
		return nil, nil, "", err
	}
	all, err := db.CTGs(ctx, store.Scope{All: true})
	if err != nil {
		return nil, nil, "", err
	}
	slices.SortFunc(all, func(a, b store.CTGSummary) int { return int(a.ID - b.ID) })
	if len(all) < nWriters+1 {
		return nil, nil, "", fmt.Errorf("%d CTGs: too few for %d writers and readers", len(all), nWriters)
	}
	// writers in CTGs spread over the Cafs, readers in the others
	step := len(all) / nWriters
	taken := map[int64]bool{}
	stamp := time.Now().Unix()
	national = fmt.Sprintf("lecteur-%d@bench.copilote.fr", stamp)
	err = db.Write(ctx, 0, func(tx *store.Tx) error {
		u := account.User{Email: national, Name: "Mesure de charge (lecture)", Role: account.National}
		if err := tx.CreateUser(&u, password); err != nil {
			return err
		}
		for i := range nWriters {
			c := all[i*step]
			taken[c.ID] = true
			u := account.User{Email: fmt.Sprintf("ecrivain-%d-%d@bench.copilote.fr", i, stamp),
				Name: fmt.Sprintf("Mesure de charge (écriture %d)", i), Role: account.Advisor, CafID: c.CafID}
			if err := tx.CreateUser(&u, password); err != nil {
				return err
			}
			if err := tx.GrantCTG(u.ID, c.ID); err != nil {
				return err
			}
			write = append(write, writer{id: c.ID, start: c.Start, end: c.End, email: u.Email})
		}
		return nil
	})
	if err != nil {
		return nil, nil, "", err
	}
	for _, c := range all {
		if !taken[c.ID] && len(read) < nCTGs {
			read = append(read, c.ID)
		}
	}
	return read, write, national, nil
}

func serve(bin, dsn string) (string, *exec.Cmd, error) {
	ln, err := net.Listen("tcp", "127.0.0.1:0")
	if err != nil {
		return "", nil, err
	}
	addr := ln.Addr().String()
	ln.Close()
	cmd := exec.Command(bin, "serve", "--db", dsn, "--addr", addr, "--bench-page")
	cmd.Env = append(os.Environ(), "COPILOTE_LOG_LEVEL=error")
	cmd.Stdout, cmd.Stderr = io.Discard, os.Stderr
	if err := cmd.Start(); err != nil {
		return "", nil, err
	}
	base := "http://" + addr
	for range 300 {
		if r, err := http.Get(base + "/healthz"); err == nil {
			r.Body.Close()
			return base, cmd, nil
		}
		time.Sleep(100 * time.Millisecond)
	}
	cmd.Process.Kill()
	return "", nil, errors.New("the server did not answer /healthz in 30 s")
}

var transport = &http.Transport{MaxIdleConns: 512, MaxIdleConnsPerHost: 512, IdleConnTimeout: time.Minute}

func signIn(base, email string) (*http.Client, error) {
	jar, _ := cookiejar.New(nil)
	c := &http.Client{Jar: jar, Transport: transport, Timeout: 60 * time.Second,
		CheckRedirect: func(*http.Request, []*http.Request) error { return http.ErrUseLastResponse }}
	r, err := c.PostForm(base+"/login", url.Values{"email": {email}, "password": {password}})
	if err != nil {
		return nil, err
	}
	r.Body.Close()
	if r.StatusCode != http.StatusSeeOther {
		return nil, fmt.Errorf("sign-in of %s: %d", email, r.StatusCode)
	}
	return c, nil
}

var (
	reCSRF    = regexp.MustCompile(`name="csrf" value="([^"]+)"`)
	rePost    = regexp.MustCompile(`(?s)<select[^>]*name="post"[^>]*>(.*?)</select>`)
	reOption  = regexp.MustCompile(`<option value="(\d+)"`)
	reAlerts  = regexp.MustCompile(`aria-label="S12b : ([^,]*), voir le détail"`)
	notDigits = regexp.MustCompile(`\D`)
)

func recordForm(c *http.Client, base string, ctg int64) (csrf, post string, err error) {
	code, body, err := get(c, fmt.Sprintf("%s/ctg/%d/records/new?kind=alerte", base, ctg))
	if err != nil || code != 200 {
		return "", "", fmt.Errorf("alert form of CTG %d: %d %v", ctg, code, err)
	}
	m, s := reCSRF.FindStringSubmatch(body), rePost.FindStringSubmatch(body)
	if m == nil || s == nil {
		return "", "", fmt.Errorf("alert form of CTG %d: no CSRF token or no post", ctg)
	}
	o := reOption.FindStringSubmatch(s[1])
	if o == nil {
		return "", "", fmt.Errorf("alert form of CTG %d offers no post", ctg)
	}
	return m[1], o[1], nil
}

func get(c *http.Client, u string) (int, string, error) {
	r, err := c.Get(u)
	if err != nil {
		return 0, "", err
	}
	defer r.Body.Close()
	b, err := io.ReadAll(r.Body)
	return r.StatusCode, string(b), err
}

// phaseStats are one phase's readers.
type phaseStats struct {
	requests, fivexx, failed int
	elapsed                  time.Duration
	lat                      []time.Duration
	byKind                   map[string][]time.Duration // by the page's last path element
}

func (p phaseStats) rate() float64 { return float64(p.requests) / p.elapsed.Seconds() }

func (p phaseStats) print(name string) {
	fmt.Printf("%-50s %7d requests %8.1f req/s  p50 %6.1f ms  p99 %7.1f ms  5xx %d  failed %d\n", name, p.requests, p.rate(),
		ms(percentile(p.lat, 0.50)), ms(percentile(p.lat, 0.99)), p.fivexx, p.failed)
	if len(p.byKind) > 1 {
		kinds := slices.Sorted(maps.Keys(p.byKind))
		for _, k := range kinds {
			l := p.byKind[k]
			slices.Sort(l)
			fmt.Printf("  %-48s %7d requests                p50 %6.1f ms  p99 %7.1f ms\n", k, len(l), ms(percentile(l, 0.50)), ms(percentile(l, 0.99)))
		}
	}
}

// readPhase runs readers on urls for d, with what also starts beside them.
func readPhase(c *http.Client, urls []string, n int, d time.Duration, also func(<-chan struct{}, *sync.WaitGroup)) phaseStats {
	var (
		mu  sync.Mutex
		out phaseStats
		wg  sync.WaitGroup
	)
	stop := make(chan struct{})
	if also != nil {
		also(stop, &wg)
	}
	start := time.Now()
	deadline := start.Add(d)
	var readers sync.WaitGroup
	for range n {
		readers.Add(1)
		go func() {
			defer readers.Done()
			var lat []time.Duration
			kinds := map[string][]time.Duration{}
			var fivexx, failed int
			for time.Now().Before(deadline) {
				t := time.Now()
				u := urls[rand.IntN(len(urls))]
				code, _, err := get(c, u)
				lat = append(lat, time.Since(t))
				kind := u[strings.LastIndex(u, "/")+1:]
				kinds[kind] = append(kinds[kind], time.Since(t))
				switch {
				case err != nil:
					failed++
				case code >= 500:
					fivexx++
				case code != 200:
					failed++
				}
			}
			mu.Lock()
			if out.byKind == nil {
				out.byKind = map[string][]time.Duration{}
			}
			for k, l := range kinds {
				out.byKind[k] = append(out.byKind[k], l...)
			}
			out.lat = append(out.lat, lat...)
			out.fivexx += fivexx
			out.failed += failed
			mu.Unlock()
		}()
	}
	readers.Wait()
	out.elapsed = time.Since(start)
	close(stop)
	wg.Wait()
	out.requests = len(out.lat)
	slices.Sort(out.lat)
	return out
}

type writer struct {
	id         int64
	start, end civil.Date
	email      string
	client     *http.Client
	csrf, post string
}

type writeStats struct {
	mu                  sync.Mutex
	lat                 []time.Duration
	saved, fresh, stale int
	fivexx              atomic.Int64
	firstStale          string
}

// run records an alert every 1/rate seconds until stop, and after each
// checks that the CTG's dashboard counts it.
func (w *writer) run(base string, rate float64, stop <-chan struct{}, ws *writeStats) {
	dash := fmt.Sprintf("%s/ctg/%d/indicators", base, w.id)
	before, err := w.alerts(dash)
	if err != nil {
		fmt.Fprintln(os.Stderr, "loadmix:", err)
		return
	}
	day := civil.Today()
	if day.Before(w.start) || w.end.Before(day) {
		day = w.start.AddDays(10)
	}
	tick := time.NewTicker(time.Duration(float64(time.Second) / rate))
	defer tick.Stop()
	for n := 0; ; n++ {
		select {
		case <-stop:
			return
		case <-tick.C:
		}
		form := url.Values{"csrf": {w.csrf}, "kind": {"alerte"}, "date": {day.String()}, "post": {w.post},
			"title": {fmt.Sprintf("Mesure de charge : alerte %d", n)}, "nature": {"retard"}, "status": {"ouverte"}}
		t := time.Now()
		r, err := w.client.PostForm(fmt.Sprintf("%s/ctg/%d/records", base, w.id), form)
		took := time.Since(t)
		if err != nil {
			continue
		}
		io.Copy(io.Discard, r.Body)
		r.Body.Close()
		if r.StatusCode >= 500 {
			ws.fivexx.Add(1)
		}
		ws.mu.Lock()
		ws.lat = append(ws.lat, took)
		ws.mu.Unlock()
		if r.StatusCode != http.StatusSeeOther {
			continue
		}
		after, err := w.alerts(dash)
		ws.mu.Lock()
		ws.saved++
		if err == nil && after == before+1 {
			ws.fresh++
		} else {
			ws.stale++
			if ws.firstStale == "" {
				ws.firstStale = fmt.Sprintf("CTG %d: S12b %d before the alert, %d after (%v)", w.id, before, after, err)
			}
		}
		ws.mu.Unlock()
		before = after
	}
}

// alerts reads S12b off the CTG's dashboard.
func (w *writer) alerts(dash string) (int, error) {
	code, body, err := get(w.client, dash)
	if err != nil || code != 200 {
		return 0, fmt.Errorf("dashboard %s: %d %v", dash, code, err)
	}
	m := reAlerts.FindStringSubmatch(body)
	if m == nil {
		return 0, fmt.Errorf("dashboard %s shows no S12b", dash)
	}
	return strconv.Atoi(notDigits.ReplaceAllString(m[1], ""))
}

func (ws *writeStats) print(d time.Duration) {
	slices.Sort(ws.lat)
	fmt.Printf("%-50s %7d writes   %8.1f w/s    p50 %6.1f ms  p99 %7.1f ms  5xx %d  (goal p99 <= 250 ms)\n", "writes (an alert, 303 = saved)",
		len(ws.lat), float64(len(ws.lat))/d.Seconds(), ms(percentile(ws.lat, 0.50)), ms(percentile(ws.lat, 0.99)), ws.fivexx.Load())
	fmt.Printf("alerts saved: %d; the writer's next dashboard counted it: %d; did not: %d %s\n", ws.saved, ws.fresh, ws.stale, ws.firstStale)
}

func percentile(sorted []time.Duration, q float64) time.Duration {
	if len(sorted) == 0 {
		return 0
	}
	return sorted[min(len(sorted)-1, int(q*float64(len(sorted))))]
}

func ms(d time.Duration) float64 { return float64(d) / float64(time.Millisecond) }

// memory is the server's resident memory now and at its peak.
func memory(pid int) string {
	return fmt.Sprintf("%d MB (peak %d MB)", statusKB(pid, "VmRSS")/1024, statusKB(pid, "VmHWM")/1024)
}

// statusKB reads one of the server's memory figures (VmRSS, VmHWM), in kB.
func statusKB(pid int, field string) int64 {
	b, err := os.ReadFile(fmt.Sprintf("/proc/%d/status", pid))
	if err != nil {
		return 0
	}
	for _, l := range strings.Split(string(b), "\n") {
		if f := strings.Fields(l); len(f) >= 2 && f[0] == field+":" {
			n, _ := strconv.ParseInt(f[1], 10, 64)
			return n
		}
	}
	return 0
}
