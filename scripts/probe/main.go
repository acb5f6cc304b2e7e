// Command probe retries, against a running Copilote (the demo), each defect
// that issue 9 lists, and prints what the server answers now: status codes,
// counts, durations and bytes, a line or a few per check, for the issue's
// closing note. It is a report, not a test: it asserts nothing and exits 0
// whatever the answers, unless the server cannot be reached.
//
//	go run ./scripts/probe -base http://127.0.0.1:8080 [-pid PID] [-writers 32] [-seconds 20]
//
// It signs in with the demo accounts and writes into the demo (alerts, a
// support with a file, which it then deletes as the administrator; posts
// when the server accepts what it should refuse), so point it at a demo,
// never at real data. Of the multipart-* files it counts, it removes the
// ones its own uploads left, once counted. The login check runs last: once
// the server limits attempts, it may lock thomas.reynaud and this address
// for a while.
package main

import (
	"archive/zip"
	"bytes"
	"context"
	"encoding/csv"
	"errors"
	"flag"
	"fmt"
	"html"
	"io"
	"mime/multipart"
	"net/http"
	"net/http/cookiejar"
	"net/url"
	"os"
	"path/filepath"
	"regexp"
	"sort"
	"strconv"
	"strings"
	"sync"
	"time"
)

// The demo's accounts, by the role the checks use them for.
var accounts = map[string]string{
	"admin":    "catherine.brunel@demo.copilote.fr",
	"advisor":  "julien.marcellin@demo.copilote.fr",
	"elodie":   "elodie.charvet@demo.copilote.fr",
	"thomas":   "thomas.reynaud@demo.copilote.fr",
	"copil":    "bernard.arnoux@demo.copilote.fr",
	"national": "claire.dumontel@demo.copilote.fr",
}

// alertDate lies within the demo CTG 1's convention (2023–2026).
const alertDate = "2025-06-15"

type options struct {
	base         string
	password     string
	pid          int
	writers      int
	seconds      int
	tmp          string
	skipHugeYear bool
	nonOfficer   int64
}

type probe struct {
	options
	transport *http.Transport
	sessions  map[string]*session
}

func main() {
	var o options
	flag.StringVar(&o.base, "base", "http://127.0.0.1:8080", "address of the running Copilote")
	flag.StringVar(&o.password, "password", "copilote-demo-2026", "password of the demo accounts")
	flag.IntVar(&o.pid, "pid", 0, "server's process id, to read its memory (VmRSS, VmHWM) from /proc")
	flag.IntVar(&o.writers, "writers", 32, "concurrent writers of check 2")
	flag.IntVar(&o.seconds, "seconds", 20, "duration of check 2, in seconds")
	flag.StringVar(&o.tmp, "tmp", os.TempDir(), "the server's temporary folder, where multipart-* files land (check 3)")
	flag.BoolVar(&o.skipHugeYear, "skip-huge-year", false, "skip year=2147483647 in check 1 (it exhausts the memory of a server without the fix)")
	flag.Int64Var(&o.nonOfficer, "non-officer", 0, "id of an account that is not an officer, for check 4 (copilote user list shows them); 0 skips that case")
	flag.Parse()
	o.base = strings.TrimRight(o.base, "/")

	p := &probe{options: o, sessions: map[string]*session{},
		transport: &http.Transport{MaxIdleConns: 256, MaxIdleConnsPerHost: 256, IdleConnTimeout: 30 * time.Second}}
	a := p.anonymous(10 * time.Second).get("/healthz")
	if a.Err != nil || a.Status != http.StatusOK {
		fmt.Fprintf(os.Stderr, "probe: %s/healthz does not answer: %s\n", o.base, a)
		os.Exit(1)
	}
	fmt.Printf("Copilote probe of issue 9 against %s, %s (healthz %s)\n", o.base, time.Now().Format(time.RFC3339), a)
	if o.pid != 0 {
		fmt.Printf("server process %d: %s\n", o.pid, p.memory())
	}

	p.checkPeriods()
	p.checkConcurrentWriters()
	p.checkMultipartTempFiles()
	p.checkPostHolder()
	p.checkOpenRedirect()
	p.checkExports()
	p.checkLow()
	section("9–10. E31 at post scope, authorization matrix")
	say("see tests TestNewPartnersOfAPostFollowMeetingRoles and TestAuthorizationMatrix")
	p.checkLogin() // last: it may lock an account and this address
}

// ---------------------------------------------------------------------------
// HTTP: sessions, answers, forms

// session is one browser: its cookies and, once signed in, its CSRF token.
// It is safe for concurrent use. Requests go to the transport directly:
// no redirect is followed, and a Location header comes back as sent, even
// one that net/url cannot parse.
type session struct {
	p       *probe
	jar     http.CookieJar
	timeout time.Duration
	csrf    string
}

// answer is what the server answered to one request.
type answer struct {
	Status int
	Header http.Header
	Body   []byte
	Took   time.Duration
	Err    error
}

func (a answer) String() string {
	if a.Err != nil {
		return fmt.Sprintf("no answer after %s (%v)", took(a.Took), a.Err)
	}
	return fmt.Sprintf("%d in %s", a.Status, took(a.Took))
}

// said is the answer with the page's message, if it has one.
func (a answer) said() string {
	if m := message(a); m != "" {
		return a.String() + " " + quote(m)
	}
	return a.String()
}

// location is the Location header, "" when there is none.
func (a answer) location() string {
	if a.Header == nil {
		return ""
	}
	return a.Header.Get("Location")
}

func (p *probe) anonymous(timeout time.Duration) *session {
	jar, _ := cookiejar.New(nil)
	return &session{p: p, jar: jar, timeout: timeout}
}

// withTimeout is the same browser with another timeout.
func (s *session) withTimeout(d time.Duration) *session {
	t := *s
	t.timeout = d
	return &t
}

// as signs in the demo account of a role once; later calls reuse the session.
func (p *probe) as(role string) (*session, error) {
	if s, ok := p.sessions[role]; ok {
		return s, nil
	}
	s := p.anonymous(60 * time.Second)
	a := s.post("/login", url.Values{"email": {accounts[role]}, "password": {p.password}, "next": {"/"}})
	if a.Err != nil || a.Status != http.StatusSeeOther {
		return nil, fmt.Errorf("cannot sign in as %s (%s): %s", role, accounts[role], a.said())
	}
	home := s.get("/")
	if s.csrf = hiddenValue(string(home.Body), "csrf"); s.csrf == "" {
		return nil, fmt.Errorf("signed in as %s but / (%s) shows no CSRF token", role, home)
	}
	p.sessions[role] = s
	return s, nil
}

// asOrSay signs in, or prints why it cannot and returns nil.
func (p *probe) asOrSay(role string) *session {
	s, err := p.as(role)
	if err != nil {
		say("skipped: %v", err)
		return nil
	}
	return s
}

func (s *session) do(method, path string, body io.Reader, contentType string, header http.Header) answer {
	ctx, cancel := context.WithTimeout(context.Background(), s.timeout)
	defer cancel()
	req, err := http.NewRequestWithContext(ctx, method, s.p.base+path, body)
	if err != nil {
		return answer{Err: err}
	}
	if contentType != "" {
		req.Header.Set("Content-Type", contentType)
	}
	for k, vs := range header {
		req.Header[k] = vs
	}
	for _, c := range s.jar.Cookies(req.URL) {
		req.AddCookie(c)
	}
	start := time.Now()
	resp, err := s.p.transport.RoundTrip(req)
	if err != nil {
		return answer{Took: time.Since(start), Err: err}
	}
	defer resp.Body.Close()
	s.jar.SetCookies(req.URL, resp.Cookies())
	b, err := io.ReadAll(resp.Body)
	return answer{Status: resp.StatusCode, Header: resp.Header, Body: b, Took: time.Since(start), Err: err}
}

func (s *session) get(path string) answer { return s.do(http.MethodGet, path, nil, "", nil) }

// post sends a form, with the session's CSRF token unless the form has one.
func (s *session) post(path string, v url.Values) answer {
	return s.postWith(path, v, nil)
}

func (s *session) postWith(path string, v url.Values, header http.Header) answer {
	v = s.withCSRF(v)
	return s.do(http.MethodPost, path, strings.NewReader(v.Encode()), "application/x-www-form-urlencoded", header)
}

// postFile sends a multipart form with one file in the field "file".
func (s *session) postFile(path string, v url.Values, name string, data []byte) answer {
	var buf bytes.Buffer
	w := multipart.NewWriter(&buf)
	for k, vs := range s.withCSRF(v) {
		for _, x := range vs {
			w.WriteField(k, x)
		}
	}
	f, err := w.CreateFormFile("file", name)
	if err != nil {
		return answer{Err: err}
	}
	f.Write(data)
	w.Close()
	return s.do(http.MethodPost, path, &buf, w.FormDataContentType(), nil)
}

func (s *session) withCSRF(v url.Values) url.Values {
	if s.csrf == "" || v.Get("csrf") != "" {
		return v
	}
	c := url.Values{}
	for k, vs := range v {
		c[k] = vs
	}
	c.Set("csrf", s.csrf)
	return c
}

// form reads the form of a page that posts to action: its values as a
// browser would submit them untouched.
func (s *session) form(page, action string) (url.Values, string, answer) {
	a := s.get(page)
	f := formHTML(string(a.Body), action)
	return formValues(f), f, a
}

var (
	reForm     = regexp.MustCompile(`(?is)<form\b([^>]*)>(.*?)</form>`)
	reInput    = regexp.MustCompile(`(?is)<input\b([^>]*)>`)
	reSelect   = regexp.MustCompile(`(?is)<select\b([^>]*)>(.*?)</select>`)
	reOption   = regexp.MustCompile(`(?is)<option\b([^>]*)>`)
	reTextarea = regexp.MustCompile(`(?is)<textarea\b([^>]*)>(.*?)</textarea>`)
	reAttr     = regexp.MustCompile(`([a-zA-Z_:][-a-zA-Z0-9_:.]*)(?:\s*=\s*"([^"]*)")?`)
	reTag      = regexp.MustCompile(`(?s)<[^>]*>`)
	reSpace    = regexp.MustCompile(`\s+`)
	reLead     = regexp.MustCompile(`(?is)<p class="lead">(.*?)</p>`)
	reH1       = regexp.MustCompile(`(?is)<h1[^>]*>(.*?)</h1>`)
	reLoginErr = regexp.MustCompile(`(?is)id="login-error">(.*?)</div>`)
	reFieldErr = regexp.MustCompile(`(?is)<p class="field-error" id="e-([^"]*)">(.*?)</p>`)
	reSummary  = regexp.MustCompile(`(?is)<div class="error-summary"[^>]*>(.*?)</div>`)
)

func attrs(tag string) map[string]string {
	m := map[string]string{}
	for _, a := range reAttr.FindAllStringSubmatch(tag, -1) {
		m[strings.ToLower(a[1])] = html.UnescapeString(a[2])
	}
	return m
}

// formHTML is the inside of the first form posting to action.
func formHTML(page, action string) string {
	for _, m := range reForm.FindAllStringSubmatch(page, -1) {
		if attrs(m[1])["action"] == action {
			return m[2]
		}
	}
	return ""
}

// formValues is what a browser submits from a form left as it is.
func formValues(f string) url.Values {
	v := url.Values{}
	for _, m := range reInput.FindAllStringSubmatch(f, -1) {
		a := attrs(m[1])
		name, typ := a["name"], strings.ToLower(a["type"])
		if _, checked := a["checked"]; name == "" || typ == "file" || typ == "submit" || typ == "button" ||
			((typ == "checkbox" || typ == "radio") && !checked) {
			continue
		}
		if (typ == "checkbox" || typ == "radio") && a["value"] == "" {
			a["value"] = "on"
		}
		v.Add(name, a["value"])
	}
	for _, m := range reSelect.FindAllStringSubmatch(f, -1) {
		name := attrs(m[1])["name"]
		opts := reOption.FindAllStringSubmatch(m[2], -1)
		if name == "" || len(opts) == 0 {
			continue
		}
		chosen := attrs(opts[0][1])["value"]
		for _, o := range opts {
			if a := attrs(o[1]); hasKey(a, "selected") {
				chosen = a["value"]
			}
		}
		v.Set(name, chosen)
	}
	for _, m := range reTextarea.FindAllStringSubmatch(f, -1) {
		if name := attrs(m[1])["name"]; name != "" {
			v.Set(name, html.UnescapeString(m[2]))
		}
	}
	return v
}

// choices lists the non-empty values a field offers: a select's options,
// or the values of the checkboxes or radios of that name.
func choices(f, name string) []string {
	var out []string
	for _, m := range reSelect.FindAllStringSubmatch(f, -1) {
		if attrs(m[1])["name"] == name {
			for _, o := range reOption.FindAllStringSubmatch(m[2], -1) {
				if v := attrs(o[1])["value"]; v != "" {
					out = append(out, v)
				}
			}
		}
	}
	for _, m := range reInput.FindAllStringSubmatch(f, -1) {
		if a := attrs(m[1]); a["name"] == name && a["value"] != "" {
			out = append(out, a["value"])
		}
	}
	return out
}

func hiddenValue(page, name string) string {
	for _, m := range reInput.FindAllStringSubmatch(page, -1) {
		if a := attrs(m[1]); a["name"] == name {
			return a["value"]
		}
	}
	return ""
}

func hasKey(m map[string]string, k string) bool { _, ok := m[k]; return ok }

func textOf(fragment string) string {
	return strings.TrimSpace(reSpace.ReplaceAllString(html.UnescapeString(reTag.ReplaceAllString(fragment, " ")), " "))
}

// message is what a page tells the user: the login error, the fields'
// messages, the error summary, an error page's lead, else the title.
func message(a answer) string {
	b := string(a.Body)
	if m := reLoginErr.FindStringSubmatch(b); m != nil {
		return textOf(m[1])
	}
	var fields []string
	for _, m := range reFieldErr.FindAllStringSubmatch(b, -1) {
		fields = append(fields, m[1]+": "+textOf(m[2]))
	}
	if len(fields) > 0 {
		return strings.Join(fields, " | ")
	}
	if m := reSummary.FindStringSubmatch(b); m != nil {
		return textOf(m[1])
	}
	if m := reLead.FindStringSubmatch(b); m != nil && a.Status >= 400 {
		return textOf(m[1])
	}
	if m := reH1.FindStringSubmatch(b); m != nil {
		return textOf(m[1])
	}
	if a.Status >= 400 {
		return textOf(b)
	}
	return ""
}

// ---------------------------------------------------------------------------
// Printing

func section(title string) { fmt.Printf("\n== %s\n", title) }

func say(format string, args ...any) { fmt.Printf("  "+format+"\n", args...) }

// quote shows a message in French quotes, cut to a readable length.
func quote(s string) string {
	if s == "" {
		return ""
	}
	if r := []rune(s); len(r) > 180 {
		s = string(r[:180]) + "…"
	}
	return "« " + s + " »"
}

func took(d time.Duration) string {
	if d < 10*time.Second {
		return fmt.Sprintf("%d ms", d.Milliseconds())
	}
	return fmt.Sprintf("%.1f s", d.Seconds())
}

func size(n int64) string {
	switch {
	case n >= 1<<20:
		return fmt.Sprintf("%d bytes (%.1f MiB)", n, float64(n)/(1<<20))
	case n >= 1<<10:
		return fmt.Sprintf("%d bytes (%.1f KiB)", n, float64(n)/(1<<10))
	}
	return fmt.Sprintf("%d bytes", n)
}

// header shows a response header, or "absent".
func header(a answer, name string) string {
	if a.Header == nil || a.Header.Get(name) == "" {
		return "absent"
	}
	return fmt.Sprintf("%q", a.Header.Get(name))
}

// memory reads the server's resident memory and its peak from /proc.
func (p *probe) memory() string {
	rss, hwm := p.memoryKB()
	if rss < 0 {
		return "memory unreadable"
	}
	return fmt.Sprintf("VmRSS %d MiB, VmHWM %d MiB", rss>>10, hwm>>10)
}

func (p *probe) memoryKB() (rss, hwm int64) {
	b, err := os.ReadFile(fmt.Sprintf("/proc/%d/status", p.pid))
	if err != nil {
		return -1, -1
	}
	for _, l := range strings.Split(string(b), "\n") {
		k, v, ok := strings.Cut(l, ":")
		if !ok {
			continue
		}
		n, _ := strconv.ParseInt(strings.TrimSuffix(strings.TrimSpace(v), " kB"), 10, 64)
		switch k {
		case "VmRSS":
			rss = n
		case "VmHWM":
			hwm = n
		}
	}
	return rss, hwm
}

func percentile(sorted []time.Duration, q float64) time.Duration {
	if len(sorted) == 0 {
		return 0
	}
	return sorted[int(q*float64(len(sorted)-1))]
}

// statuses shows a count per status, "303×12, 500×3".
func statuses(m map[int]int) string {
	var codes []int
	for c := range m {
		codes = append(codes, c)
	}
	sort.Ints(codes)
	var parts []string
	for _, c := range codes {
		name := strconv.Itoa(c)
		if c == 0 {
			name = "no answer"
		}
		parts = append(parts, fmt.Sprintf("%s×%d", name, m[c]))
	}
	return strings.Join(parts, ", ")
}

// ---------------------------------------------------------------------------
// The checks, numbered as the defects

// 1. A period the data cannot hold must be refused at once, with a French
// message, not computed.
func (p *probe) checkPeriods() {
	section("1. Periods out of bounds (client timeout 30 s)")
	cases := []struct{ role, path string }{
		{"copil", "/ctg/1/indicators?year=2147483647"},
		{"copil", "/ctg/1/indicators?year=9999"},
		{"copil", "/ctg/1/indicators/S12b?from=1000-01-01&to=9999-12-31"},
		{"admin", "/caf/indicators?year=9999"},
		{"national", "/national/indicators?year=9999"},
	}
	for _, c := range cases {
		if p.skipHugeYear && strings.Contains(c.path, "2147483647") {
			say("%-8s GET %s: skipped (-skip-huge-year)", c.role, c.path)
			continue
		}
		s, err := p.as(c.role)
		if err != nil {
			say("%-8s GET %s: skipped: %v", c.role, c.path, err)
			continue
		}
		a := s.withTimeout(30 * time.Second).get(c.path)
		line := fmt.Sprintf("%-8s GET %s: %s", c.role, c.path, a.said())
		if p.pid != 0 {
			line += "; server " + p.memory()
		}
		say("%s", line)
	}
}

// 2. Concurrent writers of one CTG must all be saved.
func (p *probe) checkConcurrentWriters() {
	section(fmt.Sprintf("2. %d concurrent writers of alerts on CTG 1 for %d s (advisor, one session)", p.writers, p.seconds))
	s := p.asOrSay("advisor")
	if s == nil {
		return
	}
	_, f, page := s.form("/ctg/1/records/new?kind=alerte", "/ctg/1/records")
	posts := choices(f, "post")
	if len(posts) == 0 {
		say("skipped: the alert form offers no post (%s)", page)
		return
	}
	var (
		mu       sync.Mutex
		byStatus = map[int]int{}
		lat      []time.Duration
		firstErr string
		wg       sync.WaitGroup
	)
	start := time.Now()
	deadline := start.Add(time.Duration(p.seconds) * time.Second)
	for w := 0; w < p.writers; w++ {
		wg.Add(1)
		go func(w int) {
			defer wg.Done()
			for n := 0; time.Now().Before(deadline); n++ {
				a := s.post("/ctg/1/records", url.Values{"kind": {"alerte"}, "date": {alertDate},
					"title": {fmt.Sprintf("Sonde issue 9 : écrivain %d, alerte %d", w, n)}, "nature": {"retard"},
					"status": {"ouverte"}, "post": {posts[0]}})
				mu.Lock()
				byStatus[a.Status]++
				lat = append(lat, a.Took)
				if firstErr == "" && (a.Err != nil || a.Status >= 500) {
					firstErr = a.said()
				}
				mu.Unlock()
			}
		}(w)
	}
	wg.Wait()
	elapsed := time.Since(start)
	sort.Slice(lat, func(i, j int) bool { return lat[i] < lat[j] })
	fivexx := 0
	for c, n := range byStatus {
		if c >= 500 {
			fivexx += n
		}
	}
	say("writes attempted: %d in %s (%.1f/s; none starts after %d s); by status: %s (303 = saved)", len(lat), took(elapsed),
		float64(len(lat))/elapsed.Seconds(), p.seconds, statuses(byStatus))
	say("5xx: %d; saved: %d; latency p50 %s, p99 %s, max %s", fivexx, byStatus[http.StatusSeeOther],
		took(percentile(lat, 0.50)), took(percentile(lat, 0.99)), took(percentile(lat, 1)))
	if firstErr != "" {
		say("first failure: %s", firstErr)
	}
}

// 3. A multipart body's temporary file must not outlive its request.
func (p *probe) checkMultipartTempFiles() {
	section("3. Multipart temporary files in " + p.tmp)
	data := bytes.Repeat([]byte(fileMark), (2<<20)/len(fileMark))
	before, err := multipartFiles(p.tmp)
	if err != nil {
		say("skipped: %v", err)
		return
	}
	say("multipart-* files before: %d", len(before))
	anon := p.anonymous(60 * time.Second)
	a := anon.postFile("/login", url.Values{"email": {"sonde-3@invalid.example"}, "password": {"pas le bon"}}, "sonde.txt", data)
	p.reportNewFiles(fmt.Sprintf("POST /login, anonymous, %s file: %s", size(int64(len(data))), a), before)
	s := p.asOrSay("advisor")
	if s == nil {
		return
	}
	before, _ = multipartFiles(p.tmp)
	a = s.postFile("/ctg/1/records", url.Values{"kind": {"alerte"}}, "sonde.txt", data)
	p.reportNewFiles(fmt.Sprintf("POST /ctg/1/records, advisor with CSRF, an alert left empty (nothing saved), %s file: %s",
		size(int64(len(data))), a), before)
}

// fileMark begins the probe's uploads, so that it removes its own
// leftovers only.
const fileMark = "sonde issue 9, fichier de 2 Mio\n"

func isOurs(name string) bool {
	f, err := os.Open(name)
	if err != nil {
		return false
	}
	defer f.Close()
	b := make([]byte, len(fileMark))
	_, err = io.ReadFull(f, b)
	return err == nil && string(b) == fileMark
}

func multipartFiles(dir string) (map[string]int64, error) {
	names, err := filepath.Glob(filepath.Join(dir, "multipart-*"))
	if err != nil {
		return nil, err
	}
	files := map[string]int64{}
	for _, n := range names {
		if fi, err := os.Stat(n); err == nil {
			files[n] = fi.Size()
		}
	}
	return files, nil
}

// reportNewFiles counts the multipart files that appeared since before,
// once the server has had time to remove its own.
func (p *probe) reportNewFiles(what string, before map[string]int64) {
	time.Sleep(500 * time.Millisecond)
	after, _ := multipartFiles(p.tmp)
	n, total, removed := 0, int64(0), 0
	for name, sz := range after {
		if _, old := before[name]; !old {
			n++
			total += sz
			if isOurs(name) && os.Remove(name) == nil {
				removed++
			}
		}
	}
	say("%s", what)
	say("  multipart-* files left behind: %d (%s), of which the probe's own, now removed: %d "+
		"(the folder held %d, other processes' included, before that removal)", n, size(total), removed, len(after))
}

// 4. Only officers of the CTG's Caf may hold a post.
func (p *probe) checkPostHolder() {
	section("4. Post holder (advisor, POST /ctg/2/posts)")
	s := p.asOrSay("advisor")
	if s == nil {
		return
	}
	v, f, page := s.form("/ctg/2/posts/new", "/ctg/2/posts")
	if f == "" {
		say("skipped: GET /ctg/2/posts/new shows no form (%s)", page)
		return
	}
	functions := choices(f, "function")
	say("GET /ctg/2/posts/new: %s; %d officers offered for the account, %d functions", page, len(choices(f, "user")), len(functions))
	v.Set("person", "Sonde issue 9")
	v.Set("employer", "Sonde")
	v.Set("etp", "1")
	if len(functions) > 0 {
		v.Set("function", functions[0])
	}
	try := func(label, user string) {
		v.Set("user", user)
		a := s.post("/ctg/2/posts", v)
		line := fmt.Sprintf("user=%s (%s): %s", user, label, a.said())
		if a.Status == http.StatusSeeOther {
			line += "; saved, a post now ties that account to CTG 2 (" + a.location() + ")"
		}
		say("%s", line)
	}
	try("unknown id", "999999")
	if p.nonOfficer == 0 {
		say("non-officer account: skipped, no page shows a non-officer's id (give one with -non-officer ID; `copilote user list` lists them)")
		return
	}
	try("not an officer, from -non-officer", strconv.FormatInt(p.nonOfficer, 10))
}

// 6. The page after login must be a path of this site.
func (p *probe) checkOpenRedirect() {
	section("6. Open redirect after login")
	s := p.anonymous(60 * time.Second)
	page := s.get("/login?next=/%09/evil.example")
	next := hiddenValue(string(page.Body), "next")
	say("GET /login?next=/%%09/evil.example: %s; hidden next = %q", page, next)
	a := s.post("/login", url.Values{"email": {accounts["elodie"]}, "password": {p.password}, "next": {next}})
	loc := a.location()
	line := fmt.Sprintf("POST /login (elodie) with that next: %s, Location %q", a, loc)
	// A browser drops tabs and newlines from a URL before resolving it.
	cleaned := strings.NewReplacer("\t", "", "\n", "", "\r", "").Replace(loc)
	if base, err := url.Parse(p.base); err == nil && loc != "" {
		if u, err := base.Parse(cleaned); err == nil {
			line += fmt.Sprintf(", which a browser opens on host %q", u.Host)
		}
	}
	say("%s", line)
}

// 7. Exports of every size must work, with memory bounded.
func (p *probe) checkExports() {
	section("7. Exports (admin)")
	s := p.asOrSay("admin")
	if s == nil {
		return
	}
	s = s.withTimeout(10 * time.Minute)
	for _, path := range []string{"/journal?format=csv", "/journal?format=xlsx", "/ctg/1/journal?format=csv"} {
		a := s.get(path)
		say("GET %s: %s, %s, %s data rows, Cache-Control %s%s", path, a, size(int64(len(a.Body))), dataRows(path, a),
			header(a, "Cache-Control"), errorText(a))
	}
}

func errorText(a answer) string {
	if a.Status >= 400 {
		return " " + quote(message(a))
	}
	return ""
}

// dataRows counts an export's rows without its header line.
func dataRows(path string, a answer) string {
	if a.Status != http.StatusOK {
		return "no"
	}
	if strings.HasSuffix(path, "xlsx") {
		z, err := zip.NewReader(bytes.NewReader(a.Body), int64(len(a.Body)))
		if err != nil {
			return "unreadable (" + err.Error() + ")"
		}
		for _, f := range z.File {
			if strings.HasPrefix(f.Name, "xl/worksheets/sheet") {
				r, err := f.Open()
				if err != nil {
					return "unreadable"
				}
				b, _ := io.ReadAll(r)
				r.Close()
				return strconv.Itoa(bytes.Count(b, []byte("<row ")) - 1)
			}
		}
		return "unreadable (no sheet)"
	}
	r := csv.NewReader(bytes.NewReader(a.Body))
	r.Comma, r.LazyQuotes, r.FieldsPerRecord = ';', true, -1
	n := 0
	for {
		_, err := r.Read()
		if errors.Is(err, io.EOF) {
			break
		}
		if err != nil {
			return fmt.Sprintf("%d then unreadable (%v)", n-1, err)
		}
		n++
	}
	return strconv.Itoa(n - 1)
}

// 8. The low ones.
func (p *probe) checkLow() {
	section("8. Low")
	p.checkHugePages()
	p.checkTargetsNotNumbers()
	p.checkBadText()
	p.checkDeletedRecord()
	p.checkForeignPartner()
	p.checkHeaders()
}

func (p *probe) checkHugePages() {
	say("(a) huge page numbers, as elodie")
	s := p.asOrSay("elodie")
	if s == nil {
		return
	}
	for _, path := range []string{"/ctg/1/indicators/S12b?page=9223372036854775807", "/ctg/1/journal?page=9223372036854775807"} {
		a := s.get(path)
		say("  GET %s: %s%s", path, a, errorText(a))
	}
}

// reYearCell names a target of one year, not a baseline (t_S12b_0).
var reYearCell = regexp.MustCompile(`^t_.+_\d{4}$`)

func (p *probe) checkTargetsNotNumbers() {
	say("(b) NaN and Inf as a target, advisor, POST /ctg/1/targets")
	s := p.asOrSay("advisor")
	if s == nil {
		return
	}
	v, _, page := s.form("/ctg/1/targets", "/ctg/1/targets")
	var field string
	for name := range v {
		if reYearCell.MatchString(name) && (field == "" || name < field) {
			field = name
		}
	}
	if field == "" {
		say("  skipped: GET /ctg/1/targets shows no yearly target field (%s)", page)
		return
	}
	for _, bad := range []string{"NaN", "Inf"} {
		w := url.Values{}
		for k, vs := range v {
			w[k] = vs
		}
		w.Set(field, bad)
		a := s.post("/ctg/1/targets", w)
		line := fmt.Sprintf("  %s=%s: %s", field, bad, a.said())
		if a.Status == http.StatusSeeOther {
			line += fmt.Sprintf("; saved, so the targets as they were are posted again: %s", s.post("/ctg/1/targets", v))
		}
		say("%s", line)
	}
}

func (p *probe) checkBadText() {
	say("(c) text that PostgreSQL cannot store, in an alert's title, as elodie")
	s := p.asOrSay("elodie")
	if s == nil {
		return
	}
	_, f, page := s.form("/ctg/1/records/new?kind=alerte", "/ctg/1/records")
	posts := choices(f, "post")
	if len(posts) == 0 {
		say("  skipped: the alert form offers no post (%s)", page)
		return
	}
	for _, c := range []struct{ label, title string }{
		{"a NUL byte", "Sonde issue 9 \x00 octet nul"},
		{"invalid UTF-8", "Sonde issue 9 \xff octet invalide"},
	} {
		a := s.post("/ctg/1/records", url.Values{"kind": {"alerte"}, "date": {alertDate}, "title": {c.title},
			"nature": {"retard"}, "status": {"ouverte"}, "post": {posts[0]}})
		line := fmt.Sprintf("  title with %s: %s", c.label, a.said())
		if a.Status == http.StatusSeeOther {
			line += "; saved as " + a.location()
		}
		say("%s", line)
	}
}

var reRecordURL = regexp.MustCompile(`^/ctg/1/records/(\d+)`)

// checkDeletedRecord writes a support with a file as elodie (the demo's
// records carry no file, so a bin record's /file would answer 404 in any
// case), deletes it as the administrator, then reads it back.
func (p *probe) checkDeletedRecord() {
	say("(d) a deleted record's page and file")
	elodie, admin := p.asOrSay("elodie"), p.asOrSay("admin")
	if elodie == nil || admin == nil {
		return
	}
	v, f, page := elodie.form("/ctg/1/records/new?kind=support", "/ctg/1/records")
	if f == "" {
		say("  skipped: GET /ctg/1/records/new?kind=support shows no form (%s)", page)
		return
	}
	v.Set("date", alertDate)
	v.Set("title", "Sonde issue 9 : support supprimé")
	for _, name := range []string{"nature", "audience"} {
		if c := choices(f, name); len(c) > 0 {
			v.Set(name, c[0])
		}
	}
	a := elodie.postFile("/ctg/1/records", v, "sonde.txt", []byte("Fichier de la sonde de l'issue 9.\n"))
	m := reRecordURL.FindStringSubmatch(a.location())
	if m == nil {
		say("  skipped: elodie's support with a file was not saved: %s", a.said())
		return
	}
	rec := "/ctg/1/records/" + m[1]
	say("  elodie wrote %s with a file: %s; GET %s/file before deletion: %s", rec, a, rec, elodie.get(rec+"/file"))
	say("  admin POST %s/delete: %s", rec, admin.post(rec+"/delete", url.Values{}))
	for _, role := range []string{"elodie", "copil", "admin"} {
		s := p.asOrSay(role)
		if s == nil {
			continue
		}
		page, file := s.get(rec), s.get(rec+"/file")
		say("  as %-6s GET %s: %s; GET %s/file: %s", role, rec, page, rec, file)
	}
}

// checkForeignPartner finds a partner that CTG 2 uses and CTG 1 does not,
// then asks for it, and saves it unchanged, from CTG 1 as its officer.
func (p *probe) checkForeignPartner() {
	say("(e) a partner only CTG 2 uses, from CTG 1 as elodie")
	admin, elodie := p.asOrSay("admin"), p.asOrSay("elodie")
	if admin == nil || elodie == nil {
		return
	}
	ours, theirs := set(partnerIDs(admin, 1)), partnerIDs(admin, 2)
	var id string
	for _, x := range theirs {
		if !ours[x] {
			id = x
			break
		}
	}
	if id == "" {
		say("  skipped: every partner of CTG 2 (%d) is also one of CTG 1's (%d)", len(theirs), len(ours))
		return
	}
	base := "/ctg/1/partners/" + id
	v, _, page := admin.form("/ctg/2/partners/"+id+"/edit", "/ctg/2/partners/"+id)
	say("  partner %s (%q), used by CTG 2 only; as admin GET /ctg/2/partners/%s/edit: %s", id, v.Get("name"), id, page)
	say("  GET %s: %s", base, elodie.get(base))
	say("  GET %s/edit: %s", base, elodie.get(base+"/edit"))
	delete(v, "csrf")
	a := elodie.post(base, v)
	say("  POST %s (name, type and SIRET unchanged): %s", base, a.said())
}

// partnerIDs lists the partners of a CTG from its CSV export (last column).
func partnerIDs(s *session, ctg int) []string {
	a := s.get(fmt.Sprintf("/ctg/%d/partners?format=csv", ctg))
	r := csv.NewReader(bytes.NewReader(a.Body))
	r.Comma, r.LazyQuotes, r.FieldsPerRecord = ';', true, -1
	rows, _ := r.ReadAll()
	var ids []string
	for i, row := range rows {
		if i > 0 && len(row) > 0 {
			ids = append(ids, row[len(row)-1])
		}
	}
	return ids
}

func (p *probe) checkHeaders() {
	say("(f) headers")
	s := p.asOrSay("elodie")
	if s == nil {
		return
	}
	home, export := s.get("/"), s.get("/ctg/1/journal?format=csv")
	login := p.anonymous(10 * time.Second).get("/login")
	say("  GET / signed in: %s, Cache-Control %s, Strict-Transport-Security %s", home, header(home, "Cache-Control"),
		header(home, "Strict-Transport-Security"))
	say("  GET /ctg/1/journal?format=csv: %s, Cache-Control %s", export, header(export, "Cache-Control"))
	say("  GET /login anonymous: Strict-Transport-Security %s (expected only with --secure-cookies)",
		header(login, "Strict-Transport-Security"))
}

func set(ids []string) map[string]bool {
	m := map[string]bool{}
	for _, id := range ids {
		m[id] = true
	}
	return m
}

// 5. Login: limits per account and per address, bounded hashing, and no
// login from a sandboxed frame. (c) runs first, so that a lockout by (a) or
// (b) does not hide its answer.
func (p *probe) checkLogin() {
	section("5. Login (last: it may lock thomas.reynaud and this address)")
	a := p.anonymous(60*time.Second).postWith("/login",
		url.Values{"email": {accounts["elodie"]}, "password": {p.password}, "next": {"/"}}, http.Header{"Origin": {"null"}})
	say("(c) POST /login, Origin: null, elodie's right password: %s (303 = signed in)", a.said())

	say("(a) thomas.reynaud: 7 wrong passwords, then the right one")
	s := p.anonymous(5 * time.Minute)
	for i := 1; i <= 8; i++ {
		password, label := fmt.Sprintf("mauvais-%d", i), fmt.Sprintf("wrong %d", i)
		if i == 8 {
			password, label = p.password, "right"
		}
		a := s.post("/login", url.Values{"email": {accounts["thomas"]}, "password": {password}, "next": {"/"}})
		say("  %-7s: %s", label, a.said())
	}

	say("(b) 24 concurrent wrong logins on distinct unknown addresses")
	before := ""
	if p.pid != 0 {
		before = p.memory()
	}
	var (
		mu       sync.Mutex
		byStatus = map[int]int{}
		lat      []time.Duration
		msgs     = map[string]int{}
		wg       sync.WaitGroup
	)
	start := time.Now()
	for i := 0; i < 24; i++ {
		wg.Add(1)
		go func(i int) {
			defer wg.Done()
			a := p.anonymous(5*time.Minute).post("/login", url.Values{"next": {"/"}, "password": {"mauvais"},
				"email": {fmt.Sprintf("sonde-5b-%d-%d@invalid.example", i, start.UnixNano())}})
			mu.Lock()
			byStatus[a.Status]++
			lat = append(lat, a.Took)
			msgs[message(a)]++
			mu.Unlock()
		}(i)
	}
	wg.Wait()
	sort.Slice(lat, func(i, j int) bool { return lat[i] < lat[j] })
	say("  statuses: %s in %s; latency p50 %s, max %s", statuses(byStatus), took(time.Since(start)),
		took(percentile(lat, 0.5)), took(percentile(lat, 1)))
	for m, n := range msgs {
		say("  %d× %s", n, quote(m))
	}
	if p.pid != 0 {
		say("  server memory before: %s; after: %s", before, p.memory())
	} else {
		say("  server memory: not read (give -pid)")
	}
}
