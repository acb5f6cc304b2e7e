package web

import (
	"archive/zip"
	"bufio"
	"bytes"
	"context"
	"errors"
	"html"
	"io"
	"log/slog"
	"net/http"
	"net/http/httptest"
	"net/url"
	"path/filepath"
	"strconv"
	"strings"
	"sync"
	"testing"
	"time"

	"github.com/xuri/excelize/v2"

	"copilote/internal/account"
	"copilote/internal/config"
	"copilote/internal/export"
	"copilote/internal/store"
	"copilote/internal/store/storetest"
)

// bigJournalRecords crosses each engine's limit of variables in one
// statement, 32 766 on SQLite and 65 535 on PostgreSQL, at which exports
// answered 500 (partners were read with one variable per record).
func bigJournalRecords(e store.Engine) int {
	if e == store.Postgres {
		return 66_000
	}
	return 33_000
}

// bigJournalSite serves a database holding one CTG with n records, signed
// in as the Caf's administrator.
func bigJournalSite(t *testing.T, db *store.DB, n int) (storetest.BigJournal, string, *http.Client) {
	t.Helper()
	j := storetest.LoadBigJournal(t, db, n)
	err := db.Write(context.Background(), 0, func(tx *store.Tx) error {
		u := account.User{Email: "admin@caf.fr", Name: "Adèle Admin", Role: account.Admin, CafID: j.CafID}
		return tx.CreateUser(&u, password)
	})
	if err != nil {
		t.Fatal(err)
	}
	srv, err := New(db, config.Default(), slog.New(slog.NewTextHandler(io.Discard, nil)))
	if err != nil {
		t.Fatal(err)
	}
	ts := httptest.NewServer(srv.Handler())
	t.Cleanup(ts.Close)
	c := client(t)
	if code, _, _ := post(t, c, ts.URL+"/login", url.Values{"email": {"admin@caf.fr"}, "password": {password}}); code != http.StatusSeeOther {
		t.Fatalf("admin login: %d", code)
	}
	return j, ts.URL, c
}

// wantRow is what the export shows of record i: its title, formula
// neutralised in CSV, and its partners' names.
func wantRow(j storetest.BigJournal, i int) (title, partners string) {
	var names []string
	for k, id := range j.Partners {
		for _, p := range j.PartnersOf(i) {
			if p == id {
				names = append(names, j.PartnerNames[k])
			}
		}
	}
	return j.Title(i), strings.Join(names, ", ")
}

// Both journals export every record the filter selects, however many: the
// CTG's journal and the journal of all the user's CTGs, as CSV and XLSX.
func TestJournalExportsBeyondSQLVariableLimit(t *testing.T) {
	storetest.ForEach(t, func(t *testing.T, db *store.DB) {
		j, base, c := bigJournalSite(t, db, bigJournalRecords(db.Engine))
		ctgJournal := base + "/ctg/" + itoa(j.CTGID) + "/journal"
		t.Run("ctg csv", func(t *testing.T) {
			checkCSV(t, c, ctgJournal+"?format=csv", j, 11, 7)
		})
		t.Run("all xlsx", func(t *testing.T) {
			tmp := t.TempDir()
			t.Setenv("TMPDIR", tmp) // where excelize puts a sheet beyond 16 MB
			checkXLSX(t, c, base+"/journal?format=xlsx", j, 3, 8, 7)
			// the handler removes it once the file is sent, a moment after
			// the client has read the last byte
			for wait := 0; ; wait++ {
				left, _ := filepath.Glob(filepath.Join(tmp, "excelize-*"))
				if len(left) == 0 {
					break
				}
				if wait == 50 {
					t.Fatalf("temporary files left: %v", left)
				}
				time.Sleep(100 * time.Millisecond)
			}
		})
	})
}

// checkCSV reads the export line by line: one header, then every record
// newest first (by day, then id), with its title and partners.
func checkCSV(t *testing.T, c *http.Client, u string, j storetest.BigJournal, idCol, partnerCol int) {
	t.Helper()
	res, err := c.Get(u)
	if err != nil {
		t.Fatal(err)
	}
	defer res.Body.Close()
	if res.StatusCode != http.StatusOK || res.Header.Get("Content-Type") != "text/csv; charset=utf-8" {
		b, _ := io.ReadAll(res.Body)
		t.Fatalf("GET %s: %d %s", u, res.StatusCode, snippet(string(b)))
	}
	sc := bufio.NewScanner(res.Body)
	sc.Buffer(make([]byte, 64*1024), 1<<20)
	rows, seen, checked, prev := 0, map[int]bool{}, 0, 0
	for sc.Scan() {
		line := strings.TrimSuffix(sc.Text(), "\r")
		if rows == 0 {
			if !strings.HasPrefix(line, "\ufeff") {
				t.Errorf("no BOM: %q", line)
			}
			rows++
			continue
		}
		rows++
		cells := strings.Split(line, ";")
		id, err := strconv.Atoi(cells[idCol])
		if err != nil || id < 1 || id > j.N || seen[id] {
			t.Fatalf("row %d: id %q (seen %v)", rows, cells[idCol], seen[id])
		}
		seen[id] = true
		if prev != 0 && !newer(j, prev, id) {
			t.Fatalf("record %d comes after %d: the journal lists the newest first", id, prev)
		}
		prev = id
		if id%10 == 0 || id%7 == 0 && checked < 200 {
			checked++
			title, partners := wantRow(j, id)
			if strings.HasPrefix(title, "=") {
				title = "'" + title
			}
			if !strings.Contains(line, ";"+title+";") || cells[partnerCol] != partners {
				t.Errorf("record %d: %q, want title %q and partners %q", id, line, title, partners)
			}
		}
	}
	if err := sc.Err(); err != nil {
		t.Fatal(err)
	}
	if rows != j.N+1 {
		t.Errorf("%s: %d lines, want %d records and the header", u, rows, j.N)
	}
}

// newer tells whether record a comes before b in the journal: later day
// first, then higher id.
func newer(j storetest.BigJournal, a, b int) bool {
	c := j.Day(a).Compare(j.Day(b))
	return c > 0 || c == 0 && a > b
}

// checkXLSX reads the workbook's sheet with a light parser (excelize's
// reader takes seconds for 33 000 rows under the race detector): as many
// rows as records, no formula, and the first thousand records with their
// titles and partners (checkCSV checks every record and their order).
func checkXLSX(t *testing.T, c *http.Client, u string, j storetest.BigJournal, titleCol, idCol, partnerCol int) {
	t.Helper()
	res, err := c.Get(u)
	if err != nil {
		t.Fatal(err)
	}
	body, err := io.ReadAll(res.Body)
	res.Body.Close()
	if err != nil || res.StatusCode != http.StatusOK {
		t.Fatalf("GET %s: %d %v %s", u, res.StatusCode, err, snippet(string(body)))
	}
	// excelize opens it (into a temporary file, the sheet being large)
	xf, err := excelize.OpenReader(bytes.NewReader(body))
	if err != nil {
		t.Fatalf("excelize cannot open the file: %v", err)
	}
	xf.Close()
	zr, err := zip.NewReader(bytes.NewReader(body), int64(len(body)))
	if err != nil {
		t.Fatal(err)
	}
	f, err := zr.Open("xl/worksheets/sheet1.xml")
	if err != nil {
		t.Fatal(err)
	}
	sheet, err := io.ReadAll(f)
	if err != nil {
		t.Fatal(err)
	}
	if bytes.Contains(sheet, []byte("<f>")) || bytes.Contains(sheet, []byte("<f ")) {
		t.Error("the sheet holds a formula")
	}
	if n := bytes.Count(sheet, []byte("<row ")); n != j.N+1 {
		t.Fatalf("%s: %d rows, want %d records and the header", u, n, j.N)
	}
	rows := bytes.SplitN(sheet, []byte("<row "), 1002)[1:1001]
	if h := sheetCells(rows[0]); h[0] != "Date" && h[0] != "CTG" {
		t.Errorf("header = %v", h)
	}
	withPartners := 0
	for _, row := range rows[1:] {
		cells := sheetCells(row)
		id, err := strconv.Atoi(cells[idCol])
		if err != nil || id < 1 || id > j.N {
			t.Fatalf("row %v: bad id", cells)
		}
		title, partners := wantRow(j, id)
		if cells[titleCol] != title || cells[partnerCol] != partners {
			t.Fatalf("record %d: %v, want %q and %q", id, cells, title, partners)
		}
		if partners != "" {
			withPartners++
		}
	}
	if withPartners == 0 {
		t.Error("no partners among the first thousand records")
	}
}

// sheetCells returns the values of a sheet row's cells (<c r="B2" …>),
// by column: inline strings and numbers as written.
func sheetCells(row []byte) []string {
	var out []string
	for _, c := range bytes.Split(row, []byte("<c r=\""))[1:] {
		col := 0
		for _, b := range c {
			if b < 'A' || b > 'Z' {
				break
			}
			col = col*26 + int(b-'A'+1)
		}
		for len(out) < col {
			out = append(out, "")
		}
		out[col-1] = html.UnescapeString(between(c, "<t>", "</t>") + between(c, "<v>", "</v>"))
	}
	return out
}

func between(b []byte, open, close string) string {
	i := bytes.Index(b, []byte(open))
	if i < 0 {
		return ""
	}
	b = b[i+len(open):]
	return string(b[:bytes.Index(b, []byte(close))])
}

// The journal of every CTG exports the same records with their CTG, author
// and partners named; an XLSX export beyond a sheet's rows is refused
// before anything is read, pointing to CSV.
func TestJournalOfAllCTGsExportsAndXLSXLimit(t *testing.T) {
	db := storetest.Open(t, store.SQLite)
	s := newSite(t, db)
	seedJournal(t, db, s)
	admin := adminClient(t, db, s)
	code, csv, h := get(t, admin, s.URL+"/journal?format=csv&kind=relais")
	if code != 200 || !strings.Contains(h.Get("Content-Disposition"), `filename="journal-`) ||
		!strings.HasPrefix(csv, "\ufeffCTG;Date;Type;Intitulé;Nature;Axe;Auteur(e);Partenaires;Identifiant\r\n") ||
		!strings.Contains(csv, "CTG du Diois;10/03/2024;Relais Caf – partenaires;Relais CLAS;Information;") ||
		!strings.Contains(csv, ";Agnès Agent;Centre social Le Lien;") || strings.Count(csv, "\r\n") != 2 {
		t.Errorf("journal of every CTG as CSV: %d %q", code, csv)
	}

	defer func(limit int) { xlsxRowLimit = limit }(xlsxRowLimit)
	xlsxRowLimit = 3
	for _, u := range []string{"/journal?format=xlsx", "/ctg/" + itoa(s.mine.ID) + "/journal?format=xlsx"} {
		code, body, h := get(t, admin, s.URL+u)
		if code != http.StatusUnprocessableEntity || h.Get("Content-Disposition") != "" ||
			!strings.Contains(body, "ne peut pas dépasser 3 lignes, et cet export en compte 4") {
			t.Errorf("%s beyond the limit: %d %s", u, code, snippet(body))
		}
	}
	if code, _, _ := get(t, admin, s.URL+"/journal?format=xlsx&kind=alerte"); code != 200 {
		t.Errorf("xlsx within the limit: %d", code)
	}
}

// syncBuffer is a log written by the server's goroutines.
type syncBuffer struct {
	mu sync.Mutex
	b  bytes.Buffer
}

func (b *syncBuffer) Write(p []byte) (int, error) {
	b.mu.Lock()
	defer b.mu.Unlock()
	return b.b.Write(p)
}

func (b *syncBuffer) String() string {
	b.mu.Lock()
	defer b.mu.Unlock()
	return b.b.String()
}

// A failure before the first byte is an error page without the file's
// headers; after it, the status is gone: the failure is logged and the
// connection cut, so that the download fails rather than ending as a
// complete file.
func TestStreamedExportFailures(t *testing.T) {
	db := storetest.Open(t, store.SQLite)
	var logs syncBuffer
	srv, err := New(db, config.Default(), slog.New(slog.NewTextHandler(&logs, nil)))
	if err != nil {
		t.Fatal(err)
	}
	broken := errors.New("base injoignable")
	for _, format := range []string{"csv", "xlsx"} {
		srv.handle("GET /test/"+format+"/{rows}", public, func(w http.ResponseWriter, r *http.Request) error {
			n, _ := strconv.Atoi(r.PathValue("rows"))
			return srv.streamExport(w, r, format, "essai", export.Table{Title: "Essai", Columns: []string{"N", "Texte"}},
				func(row func(...any) error) error {
					for i := range n {
						if err := row(i, "une ligne de texte pour remplir le tampon"); err != nil {
							return err
						}
					}
					return broken
				})
		})
	}
	ts := httptest.NewServer(srv.Handler())
	defer ts.Close()
	for _, path := range []string{"/test/csv/10", "/test/xlsx/10", "/test/xlsx/5000"} {
		code, body, h := get(t, client(t), ts.URL+path)
		if code != http.StatusInternalServerError || h.Get("Content-Disposition") != "" || !strings.Contains(body, "erreur inattendue") {
			t.Errorf("%s: %d %q %s", path, code, h.Get("Content-Disposition"), snippet(body))
		}
	}
	res, err := client(t).Get(ts.URL + "/test/csv/5000")
	if err != nil {
		t.Fatal(err)
	}
	body, err := io.ReadAll(res.Body)
	res.Body.Close()
	if res.StatusCode != http.StatusOK || !strings.Contains(res.Header.Get("Content-Disposition"), "essai-") || err == nil {
		t.Errorf("failure after the first bytes: %d, %d bytes read, error %v", res.StatusCode, len(body), err)
	}
	if bytes.Contains(body, []byte("<html")) {
		t.Error("an error page was appended to the file")
	}
	if !strings.Contains(logs.String(), "export failed after its first bytes") || !strings.Contains(logs.String(), "base injoignable") {
		t.Errorf("failure not logged: %s", logs.String())
	}
}
