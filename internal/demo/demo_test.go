package demo_test

import (
	"context"
	"fmt"
	"os"
	"reflect"
	"slices"
	"sync"
	"testing"
	"time"

	"copilote/internal/actionplan"
	"copilote/internal/apperr"
	"copilote/internal/civil"
	"copilote/internal/ctg"
	"copilote/internal/demo"
	"copilote/internal/journal"
	"copilote/internal/nomenclature"
	"copilote/internal/partner"
	"copilote/internal/store"
	"copilote/internal/store/storetest"
)

var ctx = context.Background()

var lastDay = civil.MustParse("2026-11-20")

// raceVolume is the share of each post's own records loaded under the race
// detector, which slows the pure-Go SQLite tenfold.
const raceVolume = 0.2

// volume is the share of each post's own records the tests load.
func volume() float64 {
	if raceDetector {
		return raceVolume
	}
	return 1
}

// TestLoad loads the demo once per engine (loading is the slow part, so
// the loads run in parallel) and checks everything on that load, then
// compares loads: a second SQLite load and the PostgreSQL one must give the
// same records, ids included.
func TestLoad(t *testing.T) {
	defer demo.SetVolume(volume())()
	var mu sync.Mutex
	prints := map[string]fingerprint{}
	keep := func(name string, f fingerprint) {
		mu.Lock()
		defer mu.Unlock()
		prints[name] = f
	}
	t.Run("load", func(t *testing.T) {
		storetest.ForEach(t, func(t *testing.T, db *store.DB) {
			t.Parallel()
			keep(string(db.Engine), checkLoad(t, db))
		})
		t.Run("sqlite-again", func(t *testing.T) {
			if raceDetector && os.Getenv(storetest.PostgresEnv) != "" {
				t.Skip("under the race detector the PostgreSQL load is the second load")
			}
			t.Parallel()
			db := storetest.Open(t, store.SQLite)
			mustLoad(t, db)
			f := fingerprintOf(allRecords(t, db))
			f.Evaluations = frozenSnapshot(t, db)
			keep("sqlite-again", f)
		})
	})
	checkSame(t, prints)
}

// checkLoad runs every check on a fresh load and returns its fingerprint.
func checkLoad(t *testing.T, db *store.DB) fingerprint {
	logins := mustLoad(t, db)
	recs := allRecords(t, db)
	posts := checkStructure(t, db)
	checkPartners(t, db)
	checkActivity(t, recs, posts)
	checkPlans(t, db)
	checkSurveys(t, db)
	checkSurveysOnline(t, db)
	checkLogins(t, db, logins)
	checkSecondLoad(t, db, len(recs))
	f := fingerprintOf(recs)
	f.Evaluations = checkEvaluations(t, db) // evaluations_test.go
	return f
}

// checkSame: loads into fresh databases are identical, whatever the engine.
func checkSame(t *testing.T, prints map[string]fingerprint) {
	t.Helper()
	if len(prints) < 2 {
		t.Fatalf("only %d loads to compare", len(prints))
	}
	ref, ok := prints["sqlite"]
	if !ok {
		t.Fatal("the SQLite load failed")
	}
	for name, f := range prints {
		if !reflect.DeepEqual(ref, f) {
			t.Errorf("loads differ: sqlite\n%v\n%s\n%v", ref, name, f)
		}
	}
}

func mustLoad(t *testing.T, db *store.DB) []demo.Login {
	t.Helper()
	start := time.Now()
	logins, err := demo.Load(ctx, db)
	if err != nil {
		t.Fatalf("load: %v", err)
	}
	t.Logf("%s: Load took %s", db.Engine, time.Since(start).Round(time.Millisecond))
	return logins
}

func allRecords(t *testing.T, db *store.DB) []journal.Record {
	t.Helper()
	recs, _, err := db.Records(ctx, store.RecordFilter{Scope: store.Scope{All: true}})
	if err != nil {
		t.Fatal(err)
	}
	slices.SortFunc(recs, func(a, b journal.Record) int { return int(a.ID - b.ID) })
	return recs
}

// fingerprint sums up a load: how many records of each kind, and the
// first and last records with their ids, dates, titles and partners.
type fingerprint struct {
	Kinds       map[journal.Kind]int
	First, Last []string
	// Evaluations is the frozen evaluation's document, as stored
	Evaluations string
}

func fingerprintOf(recs []journal.Record) fingerprint {
	f := fingerprint{Kinds: map[journal.Kind]int{}}
	line := func(r journal.Record) string {
		return fmt.Sprintf("%d %s %s %q %v", r.ID, r.Date, r.Kind, r.Title, r.PartnerIDs)
	}
	for i, r := range recs {
		f.Kinds[r.Kind]++
		if i < 20 {
			f.First = append(f.First, line(r))
		}
		if i >= len(recs)-20 {
			f.Last = append(f.Last, line(r))
		}
	}
	return f
}

// checkStructure: one Caf, three CTGs on real EPCIs, six posts.
func checkStructure(t *testing.T, db *store.DB) []ctg.Post {
	t.Helper()
	cafs, err := db.Cafs(ctx)
	if err != nil || len(cafs) != 1 || cafs[0].Code != "999" {
		t.Fatalf("cafs = %+v, %v", cafs, err)
	}
	ctgs, err := db.CTGs(ctx, store.Scope{All: true})
	if err != nil || len(ctgs) != 3 {
		t.Fatalf("ctgs = %d, %v", len(ctgs), err)
	}
	communes := map[string]int{"242600534": 50, "200067767": 18, "200040459": 27}
	var posts []ctg.Post
	for _, c := range ctgs {
		full, err := db.CTG(ctx, c.ID)
		if err != nil || len(full.Communes) != communes[c.EPCISIREN] || full.Population == 0 ||
			len(full.Axes) < 4 || len(full.Axes) > 6 || len(full.Objectives) < 3 || len(full.Signatories) < 3 {
			t.Errorf("CTG %s: %d communes, %d axes, %d objectives, %v", c.Name, len(full.Communes), len(full.Axes),
				len(full.Objectives), err)
		}
		ps, err := db.Posts(ctx, c.ID)
		if err != nil {
			t.Fatal(err)
		}
		posts = append(posts, ps...)
	}
	checkPosts(t, posts)
	return posts
}

func checkPosts(t *testing.T, posts []ctg.Post) {
	t.Helper()
	chefs := 0
	for _, p := range posts {
		if p.ChefDeProjet {
			chefs++
			if !p.Delegates("1.1") || !p.Delegates("1.2") {
				t.Errorf("chef %s lacks 1.1 or 1.2: %v", p.Person, p.Functions)
			}
		}
		if p.UserID == 0 || p.AnnualCost != p.DefaultCost() {
			t.Errorf("post %s: user %d, cost %d", p.Person, p.UserID, p.AnnualCost)
		}
	}
	if len(posts) != 6 || chefs != 3 {
		t.Errorf("%d posts, %d chefs; want 6 and 3", len(posts), chefs)
	}
}

// checkPartners: about sixty partners, some with a SIRET, two
// near-duplicates for the merge feature.
func checkPartners(t *testing.T, db *store.DB) {
	t.Helper()
	cafs, _ := db.Cafs(ctx)
	rows, total, err := db.Partners(ctx, store.PartnerFilter{CafID: cafs[0].ID})
	if err != nil || total < 55 || total > 70 {
		t.Fatalf("%d partners, %v; want 55–70", total, err)
	}
	names := map[string]int{}
	sirets := 0
	for _, r := range rows {
		names[partner.NormalizeName(r.Name)]++
		if r.SIRET != "" {
			sirets++
			if !partner.ValidSIRET(r.SIRET) {
				t.Errorf("%s: invalid SIRET %s", r.Name, r.SIRET)
			}
		}
	}
	dups := 0
	for _, n := range names {
		dups += n - 1
	}
	if dups != 2 || sirets < 15 {
		t.Errorf("%d near-duplicates (want 2), %d SIRET", dups, sirets)
	}
	checkNewcomers(t, db, cafs[0].ID)
}

// checkNewcomers: every CTG meets new partners year after year (E31).
func checkNewcomers(t *testing.T, db *store.DB, cafID int64) {
	t.Helper()
	ctgs, _ := db.CTGs(ctx, store.Scope{All: true})
	for _, c := range ctgs {
		rows, _, err := db.Partners(ctx, store.PartnerFilter{CafID: cafID, CTGID: c.ID, ForCTG: c.ID})
		if err != nil {
			t.Fatal(err)
		}
		years := map[int]int{}
		for _, r := range rows {
			years[r.FirstInCTG.Year]++
		}
		if len(rows) < 20 || len(years) != 4 || years[0] != 0 {
			t.Errorf("CTG %s: %d partners, first involved by year %v", c.Name, len(rows), years)
		}
	}
}

// checkActivity: volumes per post and year, every kind in every CTG, every
// meeting kind, nothing after the demo's last day.
func checkActivity(t *testing.T, recs []journal.Record, posts []ctg.Post) {
	t.Helper()
	perPostYear := map[[2]int64]int{}
	kinds := map[int64]map[journal.Kind]bool{}
	meetings := map[string]bool{}
	for _, r := range recs {
		if r.Date.After(lastDay) || r.Date.Before(civil.MustParse("2023-01-01")) {
			t.Errorf("record %d dated %s", r.ID, r.Date)
		}
		perPostYear[[2]int64{r.PostID, int64(r.Date.Year)}]++
		if kinds[r.CTGID] == nil {
			kinds[r.CTGID] = map[journal.Kind]bool{}
		}
		kinds[r.CTGID][r.Kind] = true
		if r.Kind == journal.Reunion {
			meetings[r.Nature] = true
		}
	}
	checkVolumes(t, perPostYear, posts)
	checkDelegation(t, recs, posts)
	for id, ks := range kinds {
		for _, s := range journal.Specs {
			if !ks[s.Kind] {
				t.Errorf("CTG %d has no %s", id, s.Kind)
			}
		}
	}
	for _, v := range nomenclature.Default.Values(nomenclature.MeetingKind) {
		if !meetings[v.Code] {
			t.Errorf("no meeting of kind %s", v.Code)
		}
	}
	checkGovernance(t, recs)
	checkSubjects(t, recs)
}

// checkVolumes: a few hundred records per full-time post and year.
func checkVolumes(t *testing.T, perPostYear map[[2]int64]int, posts []ctg.Post) {
	t.Helper()
	for _, p := range posts {
		line := ""
		for y := 2023; y <= 2026; y++ {
			n := perPostYear[[2]int64{p.ID, int64(y)}]
			line += fmt.Sprintf(" %d: %d", y, n)
			if perETP := float64(n) / p.ETP.Float(); n == 0 || perETP < 180*volume() || perETP > 380 {
				t.Errorf("%s in %d: %d records for %s ETP", p.Person, y, n, p.ETP)
			}
		}
		t.Logf("%s (%s ETP) authored%s", p.Person, p.ETP, line)
	}
}

// checkDelegation: a post records mostly what its delegation covers.
func checkDelegation(t *testing.T, recs []journal.Record, posts []ctg.Post) {
	t.Helper()
	for _, p := range posts {
		in, all := 0, 0
		for _, r := range recs {
			fns := functionsOf(r)
			if r.PostID != p.ID || fns == nil {
				continue
			}
			all++
			if slices.ContainsFunc(fns, p.Delegates) {
				in++
			}
		}
		if share := float64(in) / float64(all); share < 0.8 {
			t.Errorf("%s: %.0f%% of records within the delegation %v", p.Person, 100*share, p.Functions)
		}
	}
}

// checkGovernance: three or four Copil a year per CTG, each decision taken
// at one of them.
func checkGovernance(t *testing.T, recs []journal.Record) {
	t.Helper()
	copils := map[[2]int64]int{}
	isCopil := map[int64]bool{}
	for _, r := range recs {
		if r.Kind == journal.Reunion && r.Nature == nomenclature.MeetingCopil {
			copils[[2]int64{r.CTGID, int64(r.Date.Year)}]++
			isCopil[r.ID] = true
		}
	}
	for k, n := range copils {
		if n < 3 || n > 4 {
			t.Errorf("CTG %d, %d: %d Copil", k[0], k[1], n)
		}
	}
	if len(copils) != 12 {
		t.Errorf("Copil in %d CTG-years, want 12", len(copils))
	}
	for _, r := range recs {
		if r.Kind == journal.Decision && !isCopil[r.MeetingID] {
			t.Errorf("decision %d not linked to a Copil", r.ID)
		}
		if r.Kind == journal.Reunion && r.Nature == nomenclature.MeetingAdmission && r.RequestsExamined == 0 {
			t.Errorf("commission %d without requests", r.ID)
		}
	}
}

// checkSubjects: every origin, and a good share of the subjects taken into
// account in the CTG.
func checkSubjects(t *testing.T, recs []journal.Record) {
	t.Helper()
	origins := map[string]bool{}
	subjects, taken := 0, 0
	for _, r := range recs {
		if r.Kind != journal.Sujet {
			continue
		}
		subjects++
		origins[r.Origin] = true
		if r.Status == nomenclature.SubjectTaken {
			taken++
			if r.TakenOn.IsZero() || r.TakenHow == "" || r.TakenOn.After(lastDay) {
				t.Errorf("subject %d taken on %s by %q", r.ID, r.TakenOn, r.TakenHow)
			}
		}
	}
	if len(origins) != len(nomenclature.Default.Values(nomenclature.SubjectOrigin)) || taken < 5 || 4*taken < subjects {
		t.Errorf("subject origins %v, %d of %d subjects taken into account", origins, taken, subjects)
	}
}

// checkPlans: 8–12 fiches per CTG with every field filled, 2–3 priority
// of which one at least late or blocked, alerts raised from updates.
func checkPlans(t *testing.T, db *store.DB) {
	t.Helper()
	acts, _, err := db.Actions(ctx, store.ActionFilter{Scope: store.Scope{All: true}})
	if err != nil {
		t.Fatal(err)
	}
	perCTG, prio, needAlert := map[int64]int{}, map[int64]int{}, map[int64]int{}
	alerts := 0
	for _, a := range acts {
		full := checkFiche(t, db, a)
		perCTG[a.CTGID]++
		if a.Priority {
			prio[a.CTGID]++
		}
		if full.NeedsAlert(civil.MustParse("2026-11-27")) {
			needAlert[a.CTGID]++
		}
		alerts += alertsRaised(t, db, a)
	}
	for id, n := range perCTG {
		if n < 8 || n > 12 || prio[id] < 2 || prio[id] > 4 || needAlert[id] == 0 {
			t.Errorf("CTG %d: %d fiches, %d priority, %d needing an alert", id, n, prio[id], needAlert[id])
		}
	}
	if alerts < 6 {
		t.Errorf("%d updates raised an alert, want at least 6", alerts)
	}
}

// checkFiche: every field of the fiche is filled.
func checkFiche(t *testing.T, db *store.DB, a actionplan.Action) *actionplan.Action {
	t.Helper()
	f, err := db.Action(ctx, a.CTGID, a.ID)
	if err != nil {
		t.Fatal(err)
	}
	texts := []string{f.Code, f.Title, f.Objective, f.Finding, f.PilotStructure, f.PilotPerson, f.TargetPublic, f.Steps, f.CafLever}
	if slices.Contains(texts, "") || f.Start.IsZero() || f.End.IsZero() || f.BudgetPlanned == 0 || f.BudgetActual == 0 ||
		len(f.Partners) < 2 || f.Partners[0].Role == "" || len(f.Communes) == 0 || len(f.Milestones) == 0 ||
		len(f.Cofunders) == 0 || len(f.Indicators) < 2 {
		t.Errorf("fiche %s has empty fields: %+v", f.Code, f)
	}
	return f
}

func alertsRaised(t *testing.T, db *store.DB, a actionplan.Action) int {
	t.Helper()
	ups, err := db.Updates(ctx, a.ID)
	if err != nil || len(ups) < 2 {
		t.Errorf("fiche %s: %d updates, %v", a.Code, len(ups), err)
	}
	n := 0
	for _, u := range ups {
		if u.AlertRecordID != 0 {
			n++
		}
	}
	return n
}

// checkSurveys: an initial and a final wave per CTG and audience, with
// responses, visibility improving on average.
func checkSurveys(t *testing.T, db *store.DB) {
	t.Helper()
	ctgs, _ := db.CTGs(ctx, store.Scope{All: true})
	gain, pairs := 0.0, 0
	for _, c := range ctgs {
		waves, err := db.Waves(ctx, c.ID)
		if err != nil {
			t.Fatal(err)
		}
		means := map[string]map[string]float64{}
		for _, w := range waves {
			if w.Responses < 15 || w.Responses > 40 {
				t.Errorf("wave %d: %d responses", w.ID, w.Responses)
			}
			if means[w.Audience] == nil {
				means[w.Audience] = map[string]float64{}
			}
			means[w.Audience][w.Kind] = w.Mean
		}
		for aud, m := range means {
			if len(m) < 2 {
				t.Errorf("CTG %d, %s: waves %v", c.ID, aud, m)
			}
			gain += m[nomenclature.WaveFinal] - m[nomenclature.WaveInitial]
			pairs++
		}
	}
	if pairs != 6 || gain/float64(pairs) <= 0.1 {
		t.Errorf("%d wave pairs, mean gain %.2f", pairs, gain/float64(max(pairs, 1)))
	}
}

func checkLogins(t *testing.T, db *store.DB, logins []demo.Login) {
	t.Helper()
	if len(logins) != 10 || logins[0].Role != "Administrateur(rice) Caf" || logins[9].Role != "Lecture nationale" {
		t.Errorf("logins = %+v", logins)
	}
	for _, l := range logins {
		if l.Note == "" || l.Name == "" {
			t.Errorf("login without name or note: %+v", l)
		}
		if _, err := db.Login(ctx, store.Credentials{Email: l.Email, Password: demo.Password}, time.Hour); err != nil {
			t.Errorf("login %s: %v", l.Email, err)
		}
	}
}

// checkSecondLoad: a database that holds data is refused, untouched.
func checkSecondLoad(t *testing.T, db *store.DB, records int) {
	t.Helper()
	users, _ := db.Users(ctx, 0)
	_, err := demo.Load(ctx, db)
	if apperr.CodeOf(err) != apperr.Conflict {
		t.Errorf("second load: %v, want a conflict", err)
	}
	_, total, _ := db.Records(ctx, store.RecordFilter{Scope: store.Scope{All: true}})
	again, _ := db.Users(ctx, 0)
	cafs, _ := db.Cafs(ctx)
	if total != records || len(again) != len(users) || len(cafs) != 1 {
		t.Errorf("second load wrote: %d records (was %d), %d users (was %d), %d Caf", total, records,
			len(again), len(users), len(cafs))
	}
}

// functionsOf is the functions a record serves, as the indicator catalogue
// counts it: its kind's, widened where an indicator of another function
// reads it (E21 watch subjects, E41 projects with inhabitants, S32b network
// supports, S21b watch meetings); nil for the officers' network, which
// every post attends whatever its delegation.
func functionsOf(r journal.Record) []string {
	s, _ := journal.SpecOf(r.Kind)
	fns := []string{s.Function}
	switch {
	case r.Kind == journal.Reunion:
		return meetingFunctions(r.Nature)
	case r.Kind == journal.Sujet && (r.Origin == nomenclature.OriginWatch || r.Origin == nomenclature.OriginDiagnostic):
		fns = append(fns, "2.1")
	case r.Kind == journal.Projet && (r.HabitantsConception || r.HabitantsEvaluation):
		fns = append(fns, "4.1")
	case r.Kind == journal.Support && r.Network:
		fns = append(fns, "3.2")
	}
	return fns
}

func meetingFunctions(nature string) []string {
	switch nature {
	case nomenclature.MeetingVeille, nomenclature.MeetingDiagnostic:
		return []string{"2.1"}
	case "reunion_publique":
		return []string{"4.1", "4.2"}
	case "groupe_travail":
		return []string{"1.1", "2.1"} // pilotage, and the groups' watch (E21)
	case "reseau_cooperateurs":
		return nil
	}
	return []string{"1.1"}
}
