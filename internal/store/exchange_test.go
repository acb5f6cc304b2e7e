package store_test

import (
	"bytes"
	"database/sql"
	"encoding/base64"
	"encoding/json"
	"errors"
	"fmt"
	"io"
	"slices"
	"strings"
	"sync"
	"testing"
	"time"

	"copilote/internal/demo"
	"copilote/internal/exchange"
	"copilote/internal/journal"
	"copilote/internal/nomenclature"
	"copilote/internal/partner"
	"copilote/internal/store"
	"copilote/internal/store/storetest"
)

// rawDB is a fresh database with a plain connection beside the store, to
// count rows and to write what no store function writes yet (an
// evaluation, a deleted fiche, an inactive value).
type rawDB struct {
	*store.DB
	raw *sql.DB
}

func mustRawDB(t *testing.T, e store.Engine) rawDB {
	t.Helper()
	dsn := storetest.DSN(t, e)
	db, err := store.Open(ctx, dsn)
	if err != nil {
		t.Fatal(err)
	}
	t.Cleanup(func() { db.Close() })
	if err := db.Migrate(ctx); err != nil {
		t.Fatal(err)
	}
	driver := map[store.Engine]string{store.SQLite: "sqlite", store.Postgres: "pgx"}[e]
	raw, err := sql.Open(driver, dsn)
	if err != nil {
		t.Fatal(err)
	}
	t.Cleanup(func() { raw.Close() })
	return rawDB{db, raw}
}

func (d rawDB) exec(t *testing.T, query string, args ...any) {
	t.Helper()
	if _, err := d.raw.ExecContext(ctx, query, args...); err != nil {
		t.Fatalf("%s: %v", query, err)
	}
}

func (d rawDB) int(t *testing.T, query string, args ...any) int64 {
	t.Helper()
	var n int64
	if err := d.raw.QueryRowContext(ctx, query, args...).Scan(&n); err != nil {
		t.Fatalf("%s: %v", query, err)
	}
	return n
}

// dataTables are the tables an import writes (nomenclature: a Caf's own
// values only), and the audit.
var dataTables = []string{"caf", "partner", "ctg", "ctg_commune", "ctg_signatory", "ctg_axis", "dev_objective",
	"instance", "post", "post_function", "post_axis", "action", "action_partner", "action_commune", "action_milestone",
	"action_cofunder", "action_indicator", "record", "record_partner", "meeting_role", "subject_status", "attachment",
	"action_update", "survey_wave", "survey_response", "survey_answer", "evaluation", "evaluation_appraisal", "audit",
	"survey_question", "survey_extra_answer"}

func (d rawDB) rowCounts(t *testing.T) map[string]int64 {
	t.Helper()
	out := map[string]int64{"own nomenclature": d.int(t, `SELECT COUNT(*) FROM nomenclature WHERE caf_id IS NOT NULL`)}
	for _, table := range dataTables {
		out[table] = d.int(t, `SELECT COUNT(*) FROM `+table)
	}
	return out
}

// mustDemo loads the demo and adds what it lacks but the format carries: a
// Caf's own value (inactive, still used), a deleted record, a partner
// merged into a later one, a decision pointing to a later meeting, a file,
// a deleted fiche and a validated evaluation.
func mustDemo(t *testing.T, e store.Engine) rawDB {
	t.Helper()
	d := mustRawDB(t, e)
	if _, err := demo.Load(ctx, d.DB); err != nil {
		t.Fatalf("demo: %v", err)
	}
	cafs, _ := d.Cafs(ctx)
	caf := cafs[0].ID
	relais, gone := d.int(t, `SELECT MIN(id) FROM record WHERE kind = 'relais'`), d.int(t, `SELECT MAX(id) FROM record WHERE kind = 'relais'`)
	support := d.int(t, `SELECT MIN(id) FROM record WHERE kind = 'support'`)
	goneCTG := d.int(t, `SELECT ctg_id FROM record WHERE id = $1`, gone)
	supportCTG := d.int(t, `SELECT ctg_id FROM record WHERE id = $1`, support)
	var code string
	err := d.Write(ctx, 0, func(tx *store.Tx) error {
		var err error
		if code, err = tx.AddNomenclature(caf, nomenclature.RelaisNature, "Relais mobilité"); err != nil {
			return err
		}
		if err := tx.DeleteRecord(goneCTG, gone); err != nil {
			return err
		}
		dup := partner.Partner{CafID: caf, Name: "Partenaire repris", Type: "association"}
		if err := tx.SavePartner(&dup, nomenclature.Default); err != nil {
			return err
		}
		if err := tx.MergePartner(dup.ID, 1); err != nil { // partner 1 now points further down
			return err
		}
		return tx.SaveAttachment(supportCTG, &journal.Attachment{
			RecordID: support, Name: "plaquette.pdf", ContentType: "application/pdf", Size: 9, Data: []byte("%PDF-1.7\n")})
	})
	if err != nil {
		t.Fatalf("enrich: %v", err)
	}
	d.exec(t, `UPDATE record SET nature = $1 WHERE id = $2`, code, relais) // the Caf's own value, in use
	d.enrichRaw(t)
	return d
}

func (d rawDB) enrichRaw(t *testing.T) {
	now := time.Date(2026, 11, 21, 8, 0, 0, 123456000, time.UTC)
	d.exec(t, `UPDATE nomenclature SET active = FALSE WHERE caf_id IS NOT NULL`)
	d.exec(t, `UPDATE action SET deleted_at = $1 WHERE id = (SELECT MAX(id) FROM action)`, now)
	var decision, meeting int64
	err := d.raw.QueryRowContext(ctx, `SELECT d.id, MIN(m.id) FROM record d JOIN record m ON m.ctg_id = d.ctg_id
		AND m.kind = 'reunion' AND m.id > d.id WHERE d.kind = 'decision' GROUP BY d.id ORDER BY d.id LIMIT 1`).Scan(&decision, &meeting)
	if err != nil {
		t.Fatal(err)
	}
	d.exec(t, `UPDATE record SET meeting_id = $1 WHERE id = $2`, meeting, decision)
	post := d.int(t, `SELECT MIN(id) FROM post`)
	// beside the demo's own evaluations (demo/evaluations.go), one over a
	// period of its own
	eval := d.int(t, `SELECT COALESCE(MAX(id), 0) + 1 FROM evaluation`)
	d.exec(t, `INSERT INTO evaluation (id, post_id, from_date, to_date, status, snapshot, validated_at, created_at, updated_at)
		VALUES ($3, $1, '2023-01-01', '2023-12-31', 'validee', '{"S11a":3}', $2, $2, $2)`, post, now, eval)
	d.exec(t, `INSERT INTO evaluation_appraisal (evaluation_id, function, level, comment) VALUES ($1, '1.1', 'atteint', 'Copil tenu')`, eval)
}

// demoDoc is the enriched demo of one engine, exported once per test
// binary: loading the demo is the slow part (a minute on PostgreSQL under
// the race detector), importing its document is not.
type demoDoc struct {
	doc        []byte // the whole database
	ctgID      int64  // the last CTG, exported alone in ctgDoc
	ctgDoc     []byte
	records    int64
	gone       int64 // the deleted record, and its CTG
	goneCTG    int64
	maxPartner int64
}

var (
	demoMu   sync.Mutex
	demoDocs = map[store.Engine]*demoDoc{}
)

func mustDemoDoc(t *testing.T, e store.Engine) *demoDoc {
	t.Helper()
	demoMu.Lock()
	defer demoMu.Unlock()
	if d, ok := demoDocs[e]; ok {
		return d
	}
	a := mustDemo(t, e)
	d := &demoDoc{doc: mustExportDoc(t, a.DB, 0), ctgID: a.int(t, `SELECT MAX(id) FROM ctg`),
		records: a.int(t, `SELECT COUNT(*) FROM record`), gone: a.int(t, `SELECT id FROM record WHERE deleted_at IS NOT NULL`),
		maxPartner: a.int(t, `SELECT MAX(id) FROM partner`)}
	d.goneCTG = a.int(t, `SELECT ctg_id FROM record WHERE id = $1`, d.gone)
	d.ctgDoc = mustExportDoc(t, a.DB, d.ctgID)
	demoDocs[e] = d
	return d
}

func mustExportDoc(t *testing.T, db *store.DB, ctgID int64) []byte {
	t.Helper()
	var b bytes.Buffer
	if _, err := db.Export(ctx, &b, exchange.ExportOptions{CTGID: ctgID}); err != nil {
		t.Fatalf("export: %v", err)
	}
	return b.Bytes()
}

func mustImportDoc(t *testing.T, db *store.DB, doc []byte) exchange.Counts {
	t.Helper()
	c, err := db.Import(ctx, bytes.NewReader(doc), nil)
	if err != nil {
		t.Fatalf("import: %v", err)
	}
	return c
}

func sameDoc(t *testing.T, what string, want, got []byte) {
	t.Helper()
	if bytes.Equal(want, got) {
		return
	}
	wl, gl := strings.Split(string(want), "\n"), strings.Split(string(got), "\n")
	for i := range min(len(wl), len(gl)) {
		if wl[i] != gl[i] {
			t.Fatalf("%s: documents differ at line %d:\n- %.400s\n+ %.400s", what, i+1, wl[i], gl[i])
		}
	}
	t.Fatalf("%s: %d lines against %d", what, len(wl), len(gl))
}

// The interface's promise: export, import into an empty database, export
// again gives the same document, byte for byte, on both engines.
func TestExchangeRoundTrip(t *testing.T) {
	storetest.ForEach(t, func(t *testing.T, b *store.DB) {
		a := mustDemoDoc(t, b.Engine)
		doc1 := a.doc
		for _, want := range []string{`"deleted_at"`, `"merged_into":`, `"active":false`,
			`"data":"` + base64.StdEncoding.EncodeToString([]byte("%PDF-1.7\n")), `"appraisals":[{"function":"1.1"`, `"open_data":[{"level":"commune","code":"26001"`} {
			if !bytes.Contains(doc1, []byte(want)) {
				t.Errorf("the demo's document lacks %s", want)
			}
		}
		counts := mustImportDoc(t, b, doc1)
		sameDoc(t, "export → import → export", doc1, mustExportDoc(t, b, 0))
		if counts[exchange.SecRecords] != int(a.records) {
			t.Errorf("counts %v", counts)
		}
		checkImportAudit(t, b)
		t.Run("second import changes nothing", func(t *testing.T) {
			_, err := b.Import(ctx, bytes.NewReader(doc1), nil)
			if !errors.Is(err, exchange.ErrNotEmpty) || !strings.Contains(err.Error(), "pas vide") {
				t.Fatalf("second import: %v", err)
			}
			sameDoc(t, "after a second import", doc1, mustExportDoc(t, b, 0))
			checkImportAudit(t, b)
		})
		t.Run("life goes on", func(t *testing.T) { checkAfterImport(t, a, b) })
	})
}

// checkImportAudit: the import wrote one audit row, with its counts.
func checkImportAudit(t *testing.T, db *store.DB) {
	t.Helper()
	rows, err := db.AuditOf(ctx, "exchange", 0)
	if err != nil {
		t.Fatal(err)
	}
	if len(rows) != 1 || rows[0].Action != store.ActImport || !strings.Contains(rows[0].Detail, `"records":`) {
		t.Errorf("audit of the import: %+v", rows)
	}
}

// checkAfterImport: new rows take ids past the imported ones (PostgreSQL's
// sequences were moved), and a deleted record stays deleted, restorable.
func checkAfterImport(t *testing.T, a *demoDoc, b *store.DB) {
	gone, ctgID := a.gone, a.goneCTG
	r, err := b.Record(ctx, ctgID, gone)
	if err != nil || r.DeletedAt == nil {
		t.Fatalf("deleted record %d: %v, %+v", gone, err, r)
	}
	p := partner.Partner{CafID: 1, Name: "Nouveau partenaire", Type: "commune"}
	err = b.Write(ctx, 0, func(tx *store.Tx) error {
		if err := tx.RestoreRecord(ctgID, gone); err != nil {
			return err
		}
		return tx.SavePartner(&p, nomenclature.Default)
	})
	if err != nil {
		t.Fatalf("after the import: %v", err)
	}
	if want := a.maxPartner + 1; p.ID != want {
		t.Errorf("new partner id %d, want %d", p.ID, want)
	}
}

// brokenImports damage the demo's document; each import must fail on the
// named object and field, and leave the database as empty as it was.
var brokenImports = []struct {
	name, old, new, path, field string
}{
	{"unknown post", `"post_id":1,"kind":"reunion"`, `"post_id":999,"kind":"reunion"`, "records[", "post_id"},
	{"bad date", `"date":"2023-`, `"date":"2023-02-30`, "records[", "date"},
	{"unknown partner", `"partner_ids":[`, `"partner_ids":[99999,`, "records[", "partner_ids"},
	{"truncated", "", "", "records[", ""},
}

func TestExchangeBrokenFiles(t *testing.T) {
	storetest.ForEach(t, func(t *testing.T, a *store.DB) {
		doc := string(mustDemoDoc(t, a.Engine).doc)
		for _, c := range brokenImports {
			t.Run(c.name, func(t *testing.T) {
				bad := strings.Replace(doc, c.old, c.new, 1)
				if c.old == "" {
					bad = doc[:len(doc)*2/3]
				} else if bad == doc {
					t.Fatalf("the demo's document lacks %s", c.old)
				}
				d := mustRawDB(t, a.Engine)
				before := d.rowCounts(t)
				_, err := d.Import(ctx, strings.NewReader(bad), nil)
				var e *exchange.Error
				if !errors.As(err, &e) || !strings.HasPrefix(e.Path, c.path) || (c.field != "" && e.Field(c.field) == "") || e.Line == 0 {
					t.Fatalf("import of a broken file: %v", err)
				}
				if after := d.rowCounts(t); fmt.Sprint(after) != fmt.Sprint(before) {
					t.Errorf("a failed import changed the database:\nbefore %v\nafter  %v", before, after)
				}
			})
		}
	})
}

// One CTG travels alone: with its Caf, the Caf's own values and partners.
func TestExchangeOneCTG(t *testing.T) {
	storetest.ForEach(t, func(t *testing.T, b *store.DB) {
		a := mustDemoDoc(t, b.Engine)
		ctgID, doc := a.ctgID, a.ctgDoc
		if !bytes.HasPrefix(doc, []byte(`{"format":"copilote-exchange","version":1,"framework":"`)) ||
			!bytes.Contains(doc[:200], []byte(fmt.Sprintf(`"ctg_id":%d,`, ctgID))) {
			t.Fatalf("header: %.200s", doc)
		}
		counts := mustImportDoc(t, b, doc)
		if counts[exchange.SecCTGs] != 1 || counts[exchange.SecRecords] == 0 {
			t.Errorf("counts %v", counts)
		}
		sameDoc(t, "one CTG, exported again", doc, mustExportDoc(t, b, ctgID))
		whole := bytes.Replace(doc, []byte(fmt.Sprintf(`,"ctg_id":%d`, ctgID)), nil, 1)
		sameDoc(t, "the whole of the imported database", whole, mustExportDoc(t, b, 0))
	})
}

// A SQLite export imported into PostgreSQL exports the same, and back.
func TestExchangeAcrossEngines(t *testing.T) {
	pg := mustRawDB(t, store.Postgres) // skipped without a PostgreSQL server
	doc := mustDemoDoc(t, store.SQLite).doc
	mustImportDoc(t, pg.DB, doc)
	fromPG := mustExportDoc(t, pg.DB, 0)
	sameDoc(t, "SQLite → PostgreSQL", doc, fromPG)
	back := mustRawDB(t, store.SQLite)
	mustImportDoc(t, back.DB, fromPG)
	sameDoc(t, "PostgreSQL → SQLite", doc, mustExportDoc(t, back.DB, 0))
}

// notCarried are the columns the format leaves out, on purpose
// (docs/exchange.md): accounts and what names them, the audit, and ids
// nothing refers to, which the import numbers anew; the tallies, which the
// import counts again from the records.
var notCarried = map[string][]string{
	"app_user": {"*"}, "user_session": {"*"}, "user_ctg": {"*"}, "audit": {"*"}, "schema_migration": {"*"},
	"nomenclature": {"id"}, "ctg_signatory": {"id"}, "post": {"user_id"}, "action_milestone": {"id"},
	"action_cofunder": {"id"}, "action_indicator": {"id"}, "record": {"created_by", "updated_by", "deleted_by"},
	"subject_status": {"id"}, "attachment": {"id"}, "action_update": {"created_by"}, "survey_response": {"id"},
	"evaluation": {"validated_by"}, "tally": {"*"}, "tally_partner": {"*"}, "partner_first": {"*"},
	"data_version": {"*"}, "wave_score": {"*"}, "partner_mask": {"*"}, "login_attempt": {"*"},
	"survey_throttle": {"*"}, // a link's answers counted per window, for a few minutes
	// merge proposals name their accounts (migration 0016)
	"partner_merge_proposal": {"*"},
	"audit_head":             {"*"}, // the audit chain: an import starts its own
	"sso_login":              {"*"}, // sign-ins waiting for the identity provider, ten minutes at most
	"period_lock":            {"*"}, // closed years: not carried yet (the import reopens every year)
	// accounts' one-time links and the forgotten-password counts: accounts
	// are not carried
	"account_token": {"*"}, "reset_throttle": {"*"},
	// the API's personal access tokens: secrets, and accounts are not carried
	"api_token": {"*"},
	// imports from spreadsheets (issue 13): a draft's file and mapping,
	// what a Caf chose for its next files, and what an import created,
	// which it may undo for a day: working state, not data; the rows an
	// import created are carried like any typed one
	"import_batch": {"*"}, "import_item": {"*"}, "import_memory": {"*"},
	// when each scope last changed, for the instances' caches: an import
	// moves every scope on
	"scope_version": {"*"},
}

// A migration that adds a table or a column must say how the format
// carries it: this lists every column the export does not read.
func TestExchangeCoversEveryColumn(t *testing.T) {
	d := mustRawDB(t, store.SQLite)
	rows, err := d.raw.QueryContext(ctx, `SELECT m.name, p.name FROM sqlite_master m, pragma_table_info(m.name) p
		WHERE m.type = 'table' AND m.name NOT LIKE 'sqlite_%' ORDER BY m.name, p.cid`)
	if err != nil {
		t.Fatal(err)
	}
	defer rows.Close()
	exported := readColumns(t)
	for rows.Next() {
		var table, col string
		if err := rows.Scan(&table, &col); err != nil {
			t.Fatal(err)
		}
		skip := notCarried[table]
		if slices.Contains(skip, "*") || slices.Contains(skip, col) || exported[table+"."+col] {
			continue
		}
		t.Errorf("column %s.%s is neither exported nor listed as not carried: add it to the exchange format "+
			"(internal/exchange, store/exchange.go, docs/exchange.schema.json) or to notCarried", table, col)
	}
}

// readColumns lists the columns the export reads, from the import's table
// list, which writes the same ones.
func readColumns(t *testing.T) map[string]bool {
	out := map[string]bool{}
	for table, cols := range store.ImportColumns() {
		for _, c := range cols {
			out[table+"."+c] = true
		}
	}
	if len(out) == 0 {
		t.Fatal("no column known")
	}
	return out
}

// BenchmarkExchange measures import and export on the demo's records
// repeated with shifted ids (about 200 000 records and 440 000 partner,
// role and history rows), on both engines:
//
//	scripts/with-postgres.sh go test ./internal/store/ -run '^$' -bench Exchange -benchtime 1x
func BenchmarkExchange(b *testing.B) {
	for _, e := range storetest.Engines {
		b.Run(string(e), func(b *testing.B) {
			src := storetest.Open(b, e)
			if _, err := demo.Load(ctx, src); err != nil {
				b.Fatal(err)
			}
			var doc bytes.Buffer
			if _, err := src.Export(ctx, &doc, exchange.ExportOptions{}); err != nil {
				b.Fatal(err)
			}
			big, records := repeatRecords(b, doc.Bytes(), 45)
			b.Run("import", func(b *testing.B) { benchImport(b, e, big, records) })
			b.Run("export", func(b *testing.B) { benchExport(b, e, big, records) })
		})
	}
}

func benchImport(b *testing.B, e store.Engine, doc []byte, records int) {
	for range b.N {
		b.StopTimer()
		db := storetest.Open(b, e)
		b.StartTimer()
		if _, err := db.Import(ctx, bytes.NewReader(doc), nil); err != nil {
			b.Fatal(err)
		}
	}
	b.ReportMetric(float64(records*b.N)/b.Elapsed().Seconds(), "records/s")
}

func benchExport(b *testing.B, e store.Engine, doc []byte, records int) {
	b.StopTimer()
	db := storetest.Open(b, e)
	if _, err := db.Import(ctx, bytes.NewReader(doc), nil); err != nil {
		b.Fatal(err)
	}
	b.StartTimer()
	for range b.N {
		if _, err := db.Export(ctx, io.Discard, exchange.ExportOptions{}); err != nil {
			b.Fatal(err)
		}
	}
	b.ReportMetric(float64(records*b.N)/b.Elapsed().Seconds(), "records/s")
}

// repeatRecords repeats the records section k times, ids (and the meetings
// they point to) shifted past the previous copy.
func repeatRecords(b *testing.B, doc []byte, k int) ([]byte, int) {
	lines := strings.Split(string(doc), "\n")
	start := slices.Index(lines, `"records":[`) + 1
	end := start + slices.IndexFunc(lines[start:], func(l string) bool { return strings.HasPrefix(l, "]") })
	var last exchange.Record
	if err := json.Unmarshal([]byte(strings.TrimSuffix(lines[end-1], ",")), &last); err != nil {
		b.Fatal(err)
	}
	var out []string
	for c := range int64(k) {
		for _, l := range lines[start:end] {
			var r exchange.Record
			if err := json.Unmarshal([]byte(strings.TrimSuffix(l, ",")), &r); err != nil {
				b.Fatal(err)
			}
			r.ID += c * last.ID
			if r.MeetingID != 0 {
				r.MeetingID += c * last.ID
			}
			j, _ := json.Marshal(&r)
			out = append(out, string(j))
		}
	}
	body := strings.Join(lines[:start], "\n") + "\n" + strings.Join(out, ",\n") + "\n" + strings.Join(lines[end:], "\n")
	return []byte(body), len(out)
}

// TestImportKeepsIndexes: PostgreSQL's import drops the indexes of the
// tables it fills and builds them at its end; a successful import, and a
// failed one, leave every index of the schema as it was.
func TestImportKeepsIndexes(t *testing.T) {
	storetest.ForEach(t, func(t *testing.T, a *store.DB) {
		doc := mustDemoDoc(t, a.Engine).doc
		d := mustRawDB(t, a.Engine)
		indexes := func() []string { return schemaIndexes(t, d.raw, a.Engine) }
		before := indexes()
		if len(before) < 20 {
			t.Fatalf("only %d indexes read", len(before))
		}
		if _, err := d.Import(ctx, bytes.NewReader(doc[:len(doc)/2]), nil); err == nil {
			t.Fatal("a truncated file was imported")
		}
		if after := indexes(); !slices.Equal(before, after) {
			t.Errorf("indexes after a failed import:\nbefore %q\nafter  %q", before, after)
		}
		if _, err := d.Import(ctx, bytes.NewReader(doc), nil); err != nil {
			t.Fatal(err)
		}
		if after := indexes(); !slices.Equal(before, after) {
			t.Errorf("indexes after an import:\nbefore %q\nafter  %q", before, after)
		}
	})
}
