package synth

import (
	"bytes"
	"context"
	"errors"
	"reflect"
	"strings"
	"testing"

	"copilote/internal/exchange"
	"copilote/internal/journal"
	"copilote/internal/partner"
	"copilote/internal/store"
	"copilote/internal/store/storetest"
)

// testScale is the scale of the main test (about 10 000 records); the
// determinism runs use a tenth of it, the race detector slowing SQLite
// several times over.
const (
	testScale  = 0.001
	smallScale = 0.0001
)

func generate(t *testing.T, db *store.DB, scale float64, seed uint64) Stats {
	t.Helper()
	var progress bytes.Buffer
	s, err := Run(context.Background(), db, Options{Scale: scale, Seed: seed, Years: 5, Progress: &progress,
		ProgressEvery: 5000, CommitEvery: 3000})
	if err != nil {
		t.Fatalf("synth: %v", err)
	}
	if !strings.Contains(progress.String(), "synth : ") || !strings.Contains(progress.String(), "/s") {
		t.Errorf("progress lines missing: %q", progress.String())
	}
	return s
}

// TestSynth runs the small scale on each engine: counts, what the tables
// hold, validity, determinism and refusal of a non-empty database.
func TestSynth(t *testing.T) {
	storetest.ForEach(t, func(t *testing.T, db *store.DB) {
		ctx := context.Background()
		s := generate(t, db, testScale, 1)
		checkRanges(t, s)
		checkTables(t, db, s)
		checkRecords(t, db, s)
		checkUpdates(t, db)

		one, again, other := storetest.Open(t, db.Engine), storetest.Open(t, db.Engine), storetest.Open(t, db.Engine)
		s1, s2 := generate(t, one, smallScale, 1), generate(t, again, smallScale, 1)
		if !sameCounts(s1, s2) {
			t.Errorf("same seed, different counts:\n%+v\n%+v", s1, s2)
		}
		if a, b := firstRecords(t, one), firstRecords(t, again); len(a) != 50 || !reflect.DeepEqual(a, b) {
			t.Errorf("same seed, different first records:\n%v\n%v", a, b)
		}
		generate(t, other, smallScale, 2)
		if a, b := firstRecords(t, one), firstRecords(t, other); reflect.DeepEqual(a, b) {
			t.Error("seeds 1 and 2 gave the same first records")
		}

		if _, err := Run(ctx, db, Options{Scale: testScale, Seed: 1, Years: 5}); !errors.Is(err, store.ErrBulkNotEmpty) {
			t.Errorf("second load into the same database: err = %v, want ErrBulkNotEmpty", err)
		}
	})
}

func checkRanges(t *testing.T, s Stats) {
	t.Helper()
	in := func(name string, v, lo, hi int64) {
		if v < lo || v > hi {
			t.Errorf("%s = %d, want %d…%d", name, v, lo, hi)
		}
	}
	in("cafs", s.Cafs, 40, 60)
	in("ctgs", s.CTGs, s.Cafs, s.Cafs)
	in("posts", s.Posts, 3*s.CTGs, 6*s.CTGs)
	in("partners", s.Partners, 12*s.Cafs, 15*s.Cafs)
	in("records", s.Records, 8000, 12000)
	in("deleted", s.Deleted, s.Records/300, s.Records/40)
	in("actions", s.Actions, 8*s.CTGs, 12*s.CTGs)
	in("updates", s.Updates, 2*s.Actions, 20*s.Actions)
	in("waves", s.Waves, 2*s.CTGs, 4*s.CTGs)
	in("responses", s.Responses, responsesPerWave*s.Waves, responsesPerWave*s.Waves)
}

// checkTables compares the tables with the counts the generator reports.
func checkTables(t *testing.T, db *store.DB, s Stats) {
	t.Helper()
	got, err := db.TableCounts(context.Background(), "caf", "ctg", "post", "partner", "record", "action",
		"action_update", "survey_wave", "survey_response", "meeting_role", "record_partner", "subject_status")
	if err != nil {
		t.Fatal(err)
	}
	want := map[string]int64{"caf": s.Cafs, "ctg": s.CTGs, "post": s.Posts, "partner": s.Partners, "record": s.Records,
		"action": s.Actions, "action_update": s.Updates, "survey_wave": s.Waves, "survey_response": s.Responses}
	for table, n := range want {
		if got[table] != n {
			t.Errorf("%s holds %d rows, the generator reports %d", table, got[table], n)
		}
	}
	for _, table := range []string{"meeting_role", "record_partner", "subject_status"} {
		if got[table] == 0 {
			t.Errorf("%s is empty", table)
		}
	}
}

// checkRecords validates a sample of records against their CTG, as a form
// would, and checks that Validate had nothing to clear (no stray field).
func checkRecords(t *testing.T, db *store.DB, s Stats) {
	t.Helper()
	ctx := context.Background()
	var ids []int64
	for id := int64(1); id <= s.Records; id += 17 {
		ids = append(ids, id)
	}
	rs, err := db.RecordsByIDs(ctx, ids)
	if err != nil {
		t.Fatal(err)
	}
	if len(rs) < len(ids)*9/10 {
		t.Fatalf("read %d of %d sampled records", len(rs), len(ids))
	}
	kinds := map[journal.Kind]int{}
	contexts := map[int64]journal.Context{}
	for _, r := range rs {
		jc, ok := contexts[r.CTGID]
		if !ok {
			jc = journalContext(t, db, r.CTGID)
			contexts[r.CTGID] = jc
		}
		before := r
		if err := r.Validate(jc); err != nil {
			t.Errorf("record %d (%s): %v", r.ID, r.Kind, err)
		}
		if !reflect.DeepEqual(before, r) {
			t.Errorf("record %d (%s) holds fields its kind does not use:\n%+v\n%+v", r.ID, r.Kind, before, r)
		}
		kinds[r.Kind]++
	}
	if len(kinds) != len(journal.Specs) {
		t.Errorf("sample covers %d kinds of %d: %v", len(kinds), len(journal.Specs), kinds)
	}
}

func journalContext(t *testing.T, db *store.DB, ctgID int64) journal.Context {
	t.Helper()
	ctx := context.Background()
	c, err := db.CTG(ctx, ctgID)
	if err != nil {
		t.Fatal(err)
	}
	posts, err := db.Posts(ctx, ctgID)
	if err != nil {
		t.Fatal(err)
	}
	n, err := db.Nomenclature(ctx, c.CafID)
	if err != nil {
		t.Fatal(err)
	}
	jc := journal.Context{Nomenclature: n, Start: c.Start, End: c.End, Posts: map[int64]bool{}}
	for _, p := range posts {
		jc.Posts[p.ID] = true
	}
	return jc
}

// checkUpdates validates the progress updates of the first CTG's fiches
// (ids are given CTG after CTG, so fiches 1 to 8 are the first CTG's).
func checkUpdates(t *testing.T, db *store.DB) {
	t.Helper()
	ctx := context.Background()
	jc := journalContext(t, db, 1)
	seen := 0
	for id := int64(1); id <= 8; id++ {
		a, err := db.Action(ctx, 1, id)
		if err != nil {
			t.Fatalf("fiche %d of CTG 1: %v", id, err)
		}
		if err := a.Validate(jc.Nomenclature); err != nil {
			t.Errorf("fiche %d: %v", id, err)
		}
		us, err := db.Updates(ctx, id)
		if err != nil {
			t.Fatal(err)
		}
		for _, u := range us {
			seen++
			if err := u.Validate(jc.Nomenclature, jc.Start, jc.End); err != nil {
				t.Errorf("update %d of fiche %d: %v", u.ID, id, err)
			}
		}
	}
	if seen == 0 {
		t.Error("no progress update on the first fiches")
	}
}

// TestExchangeRoundTrip exports a generated database and imports it into
// an empty one: the import checks every row with the domain's rules.
// Under the race detector it runs on a tenth of the data: it checks data,
// not concurrency, and the full size takes a minute there.
func TestExchangeRoundTrip(t *testing.T) {
	scale := testScale
	if raceDetector {
		scale /= 10
	}
	db := storetest.Open(t, store.SQLite)
	generate(t, db, scale, 3)
	var doc bytes.Buffer
	ctx := context.Background()
	if _, err := db.Export(ctx, &doc, exchange.ExportOptions{}); err != nil {
		t.Fatal(err)
	}
	if _, err := storetest.Open(t, store.SQLite).Import(ctx, bytes.NewReader(doc.Bytes()), nil); err != nil {
		t.Fatalf("import of the generated data: %v", err)
	}
}

func TestSIRET(t *testing.T) {
	r := newRand(1, 1)
	for range 200 {
		if s := randomSIRET(r); !partner.ValidSIRET(s) {
			t.Fatalf("invalid SIRET %s", s)
		}
	}
}

func TestThousands(t *testing.T) {
	for n, want := range map[int64]string{0: "0", 999: "999", 1000: "1 000", 1200000: "1 200 000", -4500: "-4 500"} {
		if got := Thousands(n); got != want {
			t.Errorf("Thousands(%d) = %q, want %q", n, got, want)
		}
	}
}

type firstRecord struct {
	Kind, Title, Day string
}

func firstRecords(t *testing.T, db *store.DB) []firstRecord {
	t.Helper()
	ids := make([]int64, 50)
	for i := range ids {
		ids[i] = int64(i + 1)
	}
	rs, err := db.RecordsByIDs(context.Background(), ids)
	if err != nil {
		t.Fatal(err)
	}
	out := make([]firstRecord, len(rs))
	for i, r := range rs {
		out[i] = firstRecord{string(r.Kind), r.Title, r.Date.String()}
	}
	return out
}

func sameCounts(a, b Stats) bool {
	a.Elapsed, b.Elapsed = 0, 0
	return a == b
}
