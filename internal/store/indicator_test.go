package store_test

import (
	"database/sql"
	"encoding/json"
	"fmt"
	"maps"
	"math"
	"math/rand/v2"
	"slices"
	"sort"
	"strings"
	"testing"

	"copilote/internal/actionplan"
	"copilote/internal/apperr"
	"copilote/internal/civil"
	"copilote/internal/ctg"
	"copilote/internal/framework"
	"copilote/internal/indicator"
	"copilote/internal/journal"
	"copilote/internal/nomenclature"
	"copilote/internal/partner"
	"copilote/internal/store"
	"copilote/internal/store/storetest"
	"copilote/internal/survey"
)

// openIndicatorDB returns the store and a plain connection to the same
// database: the tests read raw rows back through it.
func openIndicatorDB(t *testing.T, e store.Engine) (*store.DB, *sql.DB) {
	t.Helper()
	dsn := storetest.DSN(t, e)
	db, err := store.Open(ctx, dsn)
	if err != nil {
		t.Fatalf("open %s: %v", e, err)
	}
	t.Cleanup(func() { db.Close() })
	if err := db.Migrate(ctx); err != nil {
		t.Fatal(err)
	}
	driver := "sqlite"
	if e == store.Postgres {
		driver = "pgx"
	}
	raw, err := sql.Open(driver, dsn)
	if err != nil {
		t.Fatal(err)
	}
	t.Cleanup(func() { raw.Close() })
	return db, raw
}

func forEachEngine(t *testing.T, fn func(t *testing.T, e store.Engine)) {
	for _, e := range storetest.Engines {
		t.Run(string(e), func(t *testing.T) { fn(t, e) })
	}
}

func day(s string) civil.Date { return civil.MustParse(s) }

// indBuilder writes a dataset in one transaction and keeps the first
// error, so that building code reads as a list of facts.
type indBuilder struct {
	tx  *store.Tx
	err error
}

func (b *indBuilder) do(f func() error) {
	if b.err == nil {
		b.err = f()
	}
}

func (b *indBuilder) caf(code string) ctg.Caf {
	c := ctg.Caf{Code: code, Name: "Caf " + code, Department: code}
	b.do(func() error { return b.tx.CreateCaf(&c) })
	return c
}

func (b *indBuilder) convention(cafID int64, name string) ctg.CTG {
	return b.conventionOver(cafID, name, indicator.Period{From: day("2023-01-01"), To: day("2026-12-31")})
}

func (b *indBuilder) conventionOver(cafID int64, name string, p indicator.Period) ctg.CTG {
	c := ctg.CTG{CafID: cafID, Name: name, Start: p.From, End: p.To,
		Axes: []string{"petite_enfance", "parentalite"}}
	b.do(func() error { return b.tx.CreateCTG(&c, nomenclature.Default) })
	return c
}

func (b *indBuilder) post(c ctg.CTG, person string, chef bool, functions ...string) ctg.Post {
	p := ctg.Post{CTGID: c.ID, Person: person, Employer: "Employeur", ETP: 100, Start: c.Start,
		ChefDeProjet: chef, Functions: functions}
	b.do(func() error { return b.tx.SavePost(&p, nomenclature.Default) })
	return p
}

func (b *indBuilder) partner(cafID int64, name, typ string) int64 {
	p := partner.Partner{CafID: cafID, Name: name, Type: typ}
	b.do(func() error { return b.tx.SavePartner(&p, nomenclature.Default) })
	return p.ID
}

func (b *indBuilder) record(r journal.Record) int64 {
	b.do(func() error { return b.tx.SaveRecord(&r, nomenclature.Default) })
	return r.ID
}

func (b *indBuilder) deleted(r journal.Record) int64 {
	id := b.record(r)
	b.do(func() error { return b.tx.DeleteRecord(r.CTGID, id) })
	return id
}

func (b *indBuilder) action(ctgID int64, code, axis string) int64 {
	a := actionplan.Action{CTGID: ctgID, Code: code, Title: "Fiche " + code, Axis: axis}
	b.do(func() error { return b.tx.SaveAction(&a, nomenclature.Default) })
	return a.ID
}

func (b *indBuilder) update(ctgID, actionID, postID int64, d civil.Date) int64 {
	u := actionplan.Update{ActionID: actionID, PostID: postID, Date: d, Status: "en_cours", Percent: 10}
	b.do(func() error { return b.tx.AddUpdate(ctgID, &u, nomenclature.Default) })
	return u.ID
}

func (b *indBuilder) wave(ctgID int64, audience, kind string, d civil.Date, responses ...map[string]int) int64 {
	w := survey.Wave{CTGID: ctgID, Audience: audience, Kind: kind, Date: d}
	b.do(func() error { return b.tx.CreateWave(&w, nomenclature.Default) })
	for _, scores := range responses {
		r := survey.Response{Scores: scores}
		b.do(func() error { return b.tx.AddResponse(w, &r) })
	}
	return w.ID
}

// rec is a record of the post's CTG with the fields every kind accepts.
func rec(p ctg.Post, kind journal.Kind, d string) journal.Record {
	return journal.Record{CTGID: p.CTGID, PostID: p.ID, Kind: kind, Date: day(d), Title: string(kind) + " " + d}
}

func meet(p ctg.Post, nature, d string, roles ...journal.Role) journal.Record {
	r := rec(p, journal.Reunion, d)
	r.Nature, r.Roles = nature, roles
	return r
}

func role(p ctg.Post, r string) journal.Role { return journal.Role{PostID: p.ID, Role: r} }

// deleteAction deletes a fiche through the store, as the plan's page does.
func deleteAction(t *testing.T, db *store.DB, raw *sql.DB, id int64) {
	t.Helper()
	var ctgID int64
	if err := raw.QueryRowContext(ctx, `SELECT ctg_id FROM action WHERE id = $1`, id).Scan(&ctgID); err != nil {
		t.Fatal(err)
	}
	if err := db.Write(ctx, 0, func(tx *store.Tx) error { return tx.DeleteAction(ctgID, id) }); err != nil {
		t.Fatal(err)
	}
}

// indSet is the hand-built dataset: one Caf, CTG A with a chef de projet
// (1.1, 1.2, 2.1), a second post (3.1 … 4.2) and a non-chef post holding
// 1.1; CTG B with one post; partners shared between the CTGs.
type indSet struct {
	caf                  ctg.Caf
	a, b                 ctg.CTG
	chef, other, adj, pb ctg.Post
	p1, p2, p3, p4       int64
	deleted              []int64
}

func buildIndSet(t *testing.T, db *store.DB, raw *sql.DB) indSet {
	t.Helper()
	var s indSet
	var goneAction int64
	err := db.Write(ctx, 0, func(tx *store.Tx) error {
		b := &indBuilder{tx: tx}
		s.caf = b.caf("026")
		s.a, s.b = b.convention(s.caf.ID, "CTG A"), b.convention(s.caf.ID, "CTG B")
		s.chef = b.post(s.a, "Claire Chef", true, "1.1", "1.2", "2.1")
		s.other = b.post(s.a, "Paul Part", false, "3.1", "3.2", "4.1", "4.2")
		s.adj = b.post(s.a, "Ada Adjointe", false, "1.1")
		s.pb = b.post(s.b, "Bruno Berger", true, "1.1", "1.2", "2.1", "2.2", "3.1", "3.2", "4.1", "4.2")
		s.p1 = b.partner(s.caf.ID, "Centre social", "association")
		s.p2 = b.partner(s.caf.ID, "Mairie", "commune")
		s.p3 = b.partner(s.caf.ID, "Ludothèque", "association")
		s.p4 = b.partner(s.caf.ID, "Communauté de communes", "epci")
		s.journalA(b)
		goneAction = s.actionsA(b)
		s.journalB(b)
		s.surveys(b)
		return b.err
	})
	if err != nil {
		t.Fatalf("dataset: %v", err)
	}
	deleteAction(t, db, raw, goneAction)
	return s
}

// journalA writes CTG A's records; the comments give what each must count
// for in 2024.
func (s *indSet) journalA(b *indBuilder) {
	chef, other := s.chef, s.other
	m1 := meet(chef, "copil", "2024-03-05", role(chef, "animation"), role(chef, "releve_decisions"), role(other, "preparation"))
	m1.PartnerIDs = []int64{s.p1}
	b.record(m1) // S11a once at CTG scope, with two posts' roles
	b.record(meet(other, "copil", "2024-06-01", role(other, "participation"), role(chef, "participation")))
	m3 := meet(chef, "copil", "2023-11-01", role(chef, "animation")) // before the period
	m3.PartnerIDs = []int64{s.p1}                                    // P1 is not new in 2024
	b.record(m3)
	m4 := meet(chef, "copil", "2024-09-01", role(chef, "alerte"))
	m4.PartnerIDs = []int64{s.p4} // P4's only link is deleted
	s.deleted = append(s.deleted, b.deleted(m4))

	expertise := func(p ctg.Post, d, nature, where string) journal.Record {
		r := rec(p, journal.Expertise, d)
		r.Nature, r.InstanceKind = nature, where
		return r
	}
	b.record(expertise(chef, "2024-02-01", "juridique", "copil"))
	b.record(expertise(chef, "2024-04-01", "financiere", "groupe_travail"))
	b.record(expertise(other, "2024-05-01", "juridique", "copil"))
	s.deleted = append(s.deleted, b.deleted(expertise(chef, "2024-05-02", "juridique", "copil")))

	decision := func(p ctg.Post, d, axis string, facilitated bool) journal.Record {
		r := rec(p, journal.Decision, d)
		r.Axis, r.Facilitated = axis, facilitated
		return r
	}
	b.record(decision(chef, "2024-03-05", "parentalite", true))
	b.record(decision(chef, "2024-03-05", "petite_enfance", false))
	b.record(decision(other, "2024-07-01", "", true)) // no axis: KeyUnset

	alert := func(p ctg.Post, d, nature string) journal.Record {
		r := rec(p, journal.Alerte, d)
		r.Nature, r.Status = nature, "ouverte"
		return r
	}
	b.record(alert(chef, "2024-03-06", "retard"))
	b.record(alert(other, "2024-08-01", "blocage"))
	b.record(alert(chef, "2025-02-01", "retard"))

	s.subjectsA(b)
	s.partnersA(b)
	s.othersA(b)
}

func subject(p ctg.Post, d, origin, axis, taken string) journal.Record {
	r := rec(p, journal.Sujet, d)
	r.Origin, r.Axis, r.Status = origin, axis, nomenclature.SubjectIdentified
	if taken != "" {
		r.Status, r.TakenOn = nomenclature.SubjectTaken, day(taken)
	}
	return r
}

func (s *indSet) subjectsA(b *indBuilder) {
	chef, other := s.chef, s.other
	b.record(subject(chef, "2023-12-01", "alerte_copil", "petite_enfance", "2024-04-01")) // E12: taken in 2024
	b.record(subject(chef, "2024-02-01", "suivi_plan_actions", "", ""))                   // never taken
	b.record(subject(chef, "2024-10-01", "alerte_copil", "", "2025-01-10"))               // taken after
	b.record(subject(other, "2024-03-01", "veille_groupes", "avs", "2024-05-05"))         // E21
	b.record(subject(chef, "2024-01-15", "diagnostic_partage", "", "2024-02-02"))         // E21, no axis
	s.deleted = append(s.deleted, b.deleted(subject(chef, "2024-02-01", "suivi_plan_actions", "logement", "2024-03-01")))
}

func (s *indSet) partnersA(b *indBuilder) {
	chef, other := s.chef, s.other
	dg1 := meet(other, "diagnostic", "2024-02-10", role(other, "animation"), role(chef, "participation"))
	dg1.PartnerIDs = []int64{s.p1, s.p2} // P2 new in A, to the other post
	b.record(dg1)
	dg2 := meet(other, "diagnostic", "2024-03-10", role(other, "animation"))
	dg2.PartnerIDs = []int64{s.p3} // P3 new in A: its earlier link is deleted
	b.record(dg2)
	early := rec(other, journal.Relais, "2023-05-01")
	early.Nature, early.PartnerIDs = "information", []int64{s.p3}
	s.deleted = append(s.deleted, b.deleted(early))
	b.record(meet(chef, "veille", "2024-04-04", role(chef, "animation"), role(other, "co_animation")))
	b.record(meet(other, "veille", "2024-05-04", role(other, "preparation"), role(chef, "participation")))
	r1 := rec(other, journal.Relais, "2024-07-01")
	r1.Nature, r1.PartnerIDs = "information", []int64{s.p2}
	b.record(r1)
	ap1 := rec(other, journal.Appui, "2024-07-02")
	ap1.Nature, ap1.PartnerIDs = "montage_projet", []int64{s.p1, s.p3}
	b.record(ap1)
	ap2 := rec(chef, journal.Appui, "2024-07-03")
	ap2.Nature, ap2.PartnerIDs = "methodologie", []int64{s.p1}
	b.record(ap2)
}

func (s *indSet) othersA(b *indBuilder) {
	chef, other := s.chef, s.other
	explain := func(p ctg.Post, d, dispositif, audience string) journal.Record {
		r := rec(p, journal.Explicitation, d)
		r.Nature, r.Audience = dispositif, audience
		return r
	}
	b.record(explain(chef, "2024-06-01", "sppe", "elus"))
	b.record(explain(other, "2024-06-02", "psu", "partenaires"))
	project := func(p ctg.Post, axis string, facilitated, conception, evaluation bool) journal.Record {
		r := rec(p, journal.Projet, "2024-06-10")
		r.Axis, r.Facilitated, r.HabitantsConception, r.HabitantsEvaluation = axis, facilitated, conception, evaluation
		return r
	}
	b.record(project(chef, "petite_enfance", true, true, true))
	b.record(project(other, "parentalite", false, true, false))
	b.record(project(other, "avs", true, false, true))
	b.record(project(other, "avs", false, true, true))
	support := func(p ctg.Post, d, kind, audience string, network bool) journal.Record {
		r := rec(p, journal.Support, d)
		r.Nature, r.Audience, r.Network = kind, audience, network
		return r
	}
	b.record(support(other, "2024-08-01", "guide", "habitants", true))
	b.record(support(other, "2024-08-02", "plaquette", "partenaires", false))
	s.deleted = append(s.deleted, b.deleted(support(chef, "2024-08-03", "video", "habitants", true)))
	i1 := rec(other, journal.Ingenierie, "2024-09-01")
	i1.Nature = "diagnostic"
	b.record(i1)
}

// actionsA returns the id of a fiche to delete once written.
func (s *indSet) actionsA(b *indBuilder) int64 {
	a1 := b.action(s.a.ID, "1.1", "petite_enfance")
	b.update(s.a.ID, a1, s.chef.ID, day("2024-02-01"))
	b.update(s.a.ID, a1, s.chef.ID, day("2024-05-01"))
	b.update(s.a.ID, a1, s.other.ID, day("2024-07-01"))
	a2 := b.action(s.a.ID, "1.2", "parentalite")
	b.update(s.a.ID, a2, s.other.ID, day("2023-06-01"))
	a3 := b.action(s.a.ID, "1.3", "logement")
	b.update(s.a.ID, a3, s.chef.ID, day("2024-03-01"))
	return a3
}

func (s *indSet) journalB(b *indBuilder) {
	pb := s.pb
	mb := meet(pb, "copil", "2024-04-01", role(pb, "animation"))
	mb.PartnerIDs = []int64{s.p2} // P2 new to B too: once at Caf scope
	b.record(mb)
	dg := meet(pb, "diagnostic", "2024-04-02", role(pb, "animation"))
	dg.PartnerIDs = []int64{s.p2}
	b.record(dg)
	ap := rec(pb, journal.Appui, "2024-05-01")
	ap.Nature, ap.PartnerIDs = "montage_projet", []int64{s.p1, s.p2}
	b.record(ap)
	a := b.action(s.b.ID, "1.1", "petite_enfance")
	b.update(s.b.ID, a, pb.ID, day("2024-03-01"))
}

func (s *indSet) surveys(b *indBuilder) {
	p, h := survey.Partners, survey.Residents
	b.wave(s.a.ID, p, "initiale", day("2024-01-15"), map[string]int{"missions_caf": 2, "moyens": 3}, map[string]int{"missions_caf": 3})
	b.wave(s.a.ID, p, "finale", day("2024-11-15"), map[string]int{"missions_caf": 4, "moyens": 4}, map[string]int{"missions_caf": 5})
	b.wave(s.b.ID, p, "initiale", day("2024-01-20"), map[string]int{"missions_caf": 5})
	b.wave(s.b.ID, p, "finale", day("2025-06-01"), map[string]int{"missions_caf": 5}) // after the period
	b.wave(s.a.ID, h, "initiale", day("2024-02-01"), map[string]int{"services": 3})
	b.wave(s.a.ID, h, "finale", day("2024-12-01"), map[string]int{"services": 4})
	b.wave(s.b.ID, h, "initiale", day("2024-02-01"), map[string]int{"services": 1})
	b.wave(s.b.ID, h, "finale", day("2024-10-01"), map[string]int{"services": 4})
}

// fig is an expected figure.
type fig struct {
	value *float64
	by    map[string]float64
	other map[string]map[string]float64
	ctgs  int
}

// n is a count with its main breakdown given as key, count, key, count…
func n(v float64, by ...any) fig {
	f := fig{value: &v, by: pairs(by)}
	return f
}

func (f fig) with(name string, kv ...any) fig {
	if f.other == nil {
		f.other = map[string]map[string]float64{}
	}
	f.other[name] = pairs(kv)
	return f
}

func score(v float64, ctgs int) fig { return fig{value: &v, ctgs: ctgs} }

func pairs(kv []any) map[string]float64 {
	m := map[string]float64{}
	for i := 0; i < len(kv); i += 2 {
		m[kv[i].(string)] = float64(kv[i+1].(int))
	}
	return m
}

const unset = indicator.KeyUnset

// wantA is CTG A's figures for 2024.
func wantA() map[string]fig {
	return map[string]fig{
		"S11a": n(1, "animation", 1, "releve_decisions", 1, "preparation", 1),
		"S11b": n(3, "juridique", 2, "financiere", 1).with("instance_kind", "copil", 2, "groupe_travail", 1),
		"E11":  n(2, "parentalite", 1, unset, 1),
		"S12a": n(1, "petite_enfance", 3),
		"S12b": n(2, "retard", 1, "blocage", 1),
		"E12":  n(1, "petite_enfance", 1),
		"S21a": n(3, "association", 2, "commune", 1),
		"S21b": n(2),
		"E21":  n(2, "avs", 1, unset, 1),
		"S22":  n(2, "sppe", 1, "psu", 1).with("audience", "elus", 1, "partenaires", 1),
		"E22":  n(2, "petite_enfance", 1, "avs", 1),
		"S31":  n(1, "information", 1),
		"E31":  n(2, "commune", 1, "association", 1),
		"S32a": n(2, "association", 2),
		"S32b": n(1, "guide", 1),
		"E32":  score(1.67, 1),
		"S41":  n(1, "diagnostic", 1),
		"E41":  n(2, "petite_enfance", 1, "avs", 1).with("either_one", "conception_only", 1, "evaluation_only", 1),
		"S42":  n(1, "guide", 1),
		"E42":  score(1, 1),
	}
}

func wantCaf() map[string]fig {
	w := wantA()
	w["S11a"] = n(2, "animation", 2, "releve_decisions", 1, "preparation", 1)
	w["S12a"] = n(2, "petite_enfance", 4)
	w["S21a"] = n(3, "association", 2, "commune", 1) // P2 in both CTGs, once
	w["E31"] = n(3, "association", 2, "commune", 1)  // P2 new to both CTGs, once
	w["S32a"] = n(3, "association", 2, "commune", 1)
	w["E42"] = score(2, 2) // mean of A's 1 and B's 3
	return w
}

func wantChef() map[string]fig {
	return map[string]fig{
		"S11a": n(1, "animation", 1, "releve_decisions", 1),
		"S11b": n(2, "juridique", 1, "financiere", 1).with("instance_kind", "copil", 1, "groupe_travail", 1),
		"E11":  n(1, "parentalite", 1),
		"S12a": n(1, "petite_enfance", 2),
		"S12b": n(1, "retard", 1),
		"E12":  n(1, "petite_enfance", 1),
		"S21a": n(2, "association", 1, "commune", 1), // the diagnostic where it participated
		"S21b": n(1),
		"E21":  n(1, unset, 1),
	}
}

func wantOther() map[string]fig {
	return map[string]fig{
		"S31":  n(1, "information", 1),
		"E31":  n(2, "commune", 1, "association", 1),
		"S32a": n(2, "association", 2),
		"S32b": n(1, "guide", 1),
		"E32":  score(1.67, 1),
		"S41":  n(1, "diagnostic", 1),
		"E41":  n(1, "avs", 1).with("either_one", "conception_only", 1, "evaluation_only", 1),
		"S42":  n(1, "guide", 1),
		"E42":  score(1, 1),
	}
}

var year2024 = indicator.Period{From: day("2024-01-01"), To: day("2024-12-31")}

func TestIndicatorFigures(t *testing.T) {
	forEachEngine(t, func(t *testing.T, e store.Engine) {
		db, raw := openIndicatorDB(t, e)
		s := buildIndSet(t, db, raw)
		cases := []struct {
			name  string
			scope indicator.Scope
			want  map[string]fig
		}{
			{"chef", indicator.Scope{Kind: indicator.ScopePost, PostID: s.chef.ID}, wantChef()},
			{"other", indicator.Scope{Kind: indicator.ScopePost, PostID: s.other.ID}, wantOther()},
			{"adjointe", indicator.Scope{Kind: indicator.ScopePost, PostID: s.adj.ID},
				map[string]fig{"S11b": n(0), "E11": n(0)}}, // 1.1 without S11a: not chef de projet
			{"ctg A", indicator.Scope{Kind: indicator.ScopeCTG, CTGID: s.a.ID}, wantA()},
			{"caf", indicator.Scope{Kind: indicator.ScopeCaf, CafCode: "026"}, wantCaf()},
			{"all", indicator.Scope{Kind: indicator.ScopeAll}, wantCaf()},
		}
		for _, c := range cases {
			res, err := db.Indicators(ctx, c.scope, year2024)
			if err != nil {
				t.Fatalf("%s: %v", c.name, err)
			}
			checkCatalogueOrder(t, c.name, res, c.want)
			for _, f := range res.Indicators {
				checkFig(t, c.name, f, c.want[f.Code])
				checkDrill(t, db, c.scope, f, s.deleted)
			}
		}
		checkSurveyWaves(t, db, s)
		checkIndicatorJSON(t, db, s)
		if _, err := db.Indicator(ctx, cases[2].scope, year2024, "S11a"); apperr.CodeOf(err) != apperr.NotFound {
			t.Errorf("S11a of a non-chef post: err = %v, want not found", err)
		}
	})
}

// checkCatalogueOrder checks a scope lists exactly the expected codes, in
// catalogue order.
func checkCatalogueOrder(t *testing.T, name string, res indicator.Result, want map[string]fig) {
	t.Helper()
	var got, exp []string
	for _, f := range res.Indicators {
		got = append(got, f.Code)
	}
	for _, in := range framework.Load().Indicators() {
		if _, ok := want[in.Code]; ok {
			exp = append(exp, in.Code)
		}
	}
	if !slices.Equal(got, exp) {
		t.Errorf("%s lists %v, want %v", name, got, exp)
	}
}

func checkFig(t *testing.T, scope string, got indicator.Figure, want fig) {
	t.Helper()
	if (got.Value == nil) != (want.value == nil) || (got.Value != nil && *got.Value != *want.value) {
		t.Errorf("%s %s value = %v, want %v", scope, got.Code, show(got.Value), show(want.value))
	}
	if !sameCounts(got.By, want.by) {
		t.Errorf("%s %s by = %v, want %v", scope, got.Code, got.By, want.by)
	}
	for _, name := range unionKeys(got.Other, want.other) {
		if !sameCounts(got.Other[name], want.other[name]) {
			t.Errorf("%s %s %s = %v, want %v", scope, got.Code, name, got.Other[name], want.other[name])
		}
	}
	if got.CTGs != want.ctgs {
		t.Errorf("%s %s covers %d CTGs, want %d", scope, got.Code, got.CTGs, want.ctgs)
	}
}

// checkDrill checks the drill-down gives as many ids as the figure counts,
// overall and per key, and never a deleted record.
func checkDrill(t *testing.T, db *store.DB, scope indicator.Scope, f indicator.Figure, deleted []int64) {
	t.Helper()
	one, err := db.Indicator(ctx, scope, year2024, f.Code)
	if err != nil {
		t.Fatalf("%s: %v", f.Code, err)
	}
	if f.IDsOf == indicator.IDsRecords || f.IDsOf == indicator.IDsPartners {
		if float64(len(one.RecordIDs)) != f.Number() {
			t.Errorf("%v %s: %d ids behind %v", scope, f.Code, len(one.RecordIDs), f.Number())
		}
	}
	for _, id := range one.RecordIDs {
		if f.IDsOf == indicator.IDsRecords && slices.Contains(deleted, id) {
			t.Errorf("%s lists deleted record %d", f.Code, id)
		}
	}
	check := func(breakdown string, counts map[string]float64) {
		for key, want := range counts {
			ids, err := db.IndicatorRecords(ctx, scope, year2024, f.Code, breakdown, key)
			if err != nil || float64(len(ids)) != want {
				t.Errorf("%v %s %s=%s: %d ids (%v), want %v", scope, f.Code, breakdown, key, len(ids), err, want)
			}
		}
	}
	check("", f.By)
	for name, m := range f.Other {
		check(name, m)
	}
}

func checkSurveyWaves(t *testing.T, db *store.DB, s indSet) {
	t.Helper()
	b, err := db.Indicator(ctx, indicator.Scope{Kind: indicator.ScopeCTG, CTGID: s.b.ID}, year2024, "E32")
	if err != nil {
		t.Fatal(err)
	}
	if b.Value != nil || len(b.Waves) != 1 || b.Waves[0].Kind != "initiale" || *b.Waves[0].Mean != 5 ||
		b.Waves[0].Responses != 1 || len(b.RecordIDs) != 1 {
		t.Errorf("CTG B's E32 with its finale wave after the period = %+v, want null with the initial wave", b)
	}
	caf, _ := db.Indicator(ctx, indicator.Scope{Kind: indicator.ScopeCaf, CafCode: "026"}, year2024, "E32")
	if len(caf.Waves) != 2 || *caf.Waves[0].Mean != 3.25 || caf.Waves[0].Responses != 3 || caf.Waves[0].CTGs != 2 ||
		caf.Waves[0].Distribution[3] != 2 || *caf.Waves[1].Mean != 4.33 || caf.Waves[1].CTGs != 1 {
		t.Errorf("Caf E32 pooled waves = %+v", caf.Waves)
	}
}

func checkIndicatorJSON(t *testing.T, db *store.DB, s indSet) {
	t.Helper()
	res, err := db.Indicators(ctx, indicator.Scope{Kind: indicator.ScopeCTG, CTGID: s.b.ID}, year2024)
	if err != nil {
		t.Fatal(err)
	}
	b, _ := json.Marshal(res)
	js := string(b)
	for _, want := range []string{
		fmt.Sprintf(`{"scope":{"kind":"ctg","ctg_id":%d},"from":"2024-01-01","to":"2024-12-31","indicators":[`, s.b.ID),
		`{"code":"S11a","value":1,"by":{"animation":1}}`,
		`{"code":"E32","value":null,"waves":[{"kind":"initiale","date":"2024-01-20","mean":5,"responses":1,`,
		`{"code":"E42","value":3,"waves":[`,
	} {
		if !strings.Contains(js, want) {
			t.Errorf("JSON lacks %s:\n%s", want, js)
		}
	}
	if strings.Contains(js, "RecordIDs") || strings.Contains(js, "IDsOf") {
		t.Errorf("drill-down ids leaked into the JSON: %s", js)
	}
}

func show(v *float64) string {
	if v == nil {
		return "null"
	}
	return fmt.Sprint(*v)
}

// sameCounts treats a missing map as empty and ignores zero counts.
func sameCounts(a, b map[string]float64) bool {
	for k, v := range a {
		if v != 0 && b[k] != v {
			return false
		}
	}
	for k, v := range b {
		if v != 0 && a[k] != v {
			return false
		}
	}
	return true
}

func unionKeys[V any](a, b map[string]V) []string {
	m := map[string]bool{}
	for k := range a {
		m[k] = true
	}
	for k := range b {
		m[k] = true
	}
	return slices.Sorted(maps.Keys(m))
}

// ---------------------------------------------------------------------------
// Property test: the engine against a plain recount in Go.

// TestIndicatorsMatchRecount builds random datasets and compares every
// figure at every scope with a recount written apart from the engine, over
// the raw rows read back by plain SELECTs.
func TestIndicatorsMatchRecount(t *testing.T) {
	forEachEngine(t, func(t *testing.T, e store.Engine) {
		seeds := 30
		if e == store.Postgres {
			seeds = 10
		}
		if testing.Short() {
			seeds = 3
		}
		seen, ran := map[string]bool{}, 0 // codes met with a non-zero value
		for seed := range seeds {
			t.Run(fmt.Sprint("seed", seed), func(t *testing.T) {
				db, raw := openIndicatorDB(t, e)
				ran++
				rng := rand.New(rand.NewPCG(uint64(seed), 2024))
				randomDataset(t, db, raw, rng)
				d := readRaw(t, raw)
				p := randomPeriod(rng)
				for _, sc := range d.scopes() {
					compareScope(t, db, d, sc, p, rng, seen)
					if conv, ok := d.convention(sc); ok {
						compareScope(t, db, d, sc, conv, rng, seen)
					}
				}
			})
		}
		// a rule whose figure is always zero here would be compared vacuously
		for _, in := range framework.Load().Indicators() {
			if ran >= 10 && !seen[in.Code] {
				t.Errorf("%s was never non-zero: the random datasets do not exercise it", in.Code)
			}
		}
	})
}

var (
	rndAxes     = []string{"petite_enfance", "parentalite", "avs"}
	rndOptAxes  = []string{"petite_enfance", "parentalite", "avs", ""}
	rndPTypes   = []string{"association", "commune", "epci"}
	rndRoles    = []string{"preparation", "animation", "co_animation", "releve_decisions", "alerte", "participation"}
	rndMeetings = []string{"copil", "veille", "diagnostic", "cotech"}
	rndOrigins  = []string{"alerte_copil", "suivi_plan_actions", "veille_groupes", "diagnostic_partage", "autre"}
	rndKinds    = []journal.Kind{journal.Reunion, journal.Decision, journal.Alerte, journal.Expertise, journal.Sujet,
		journal.Explicitation, journal.Projet, journal.Relais, journal.Appui, journal.Ingenierie, journal.Support,
		journal.Initiative}
	rndFunctions = []string{"1.1", "1.2", "2.1", "2.2", "3.1", "3.2", "4.1", "4.2"}
	rndWaveKinds = []string{"initiale", "intermediaire", "finale"}
)

func pick[T any](r *rand.Rand, xs []T) T { return xs[r.IntN(len(xs))] }

// randomDay draws from 64 days spread over the convention, so that records
// share days (E31's tie-break) and periods start or end on them (bounds
// are inclusive).
func randomDay(r *rand.Rand) civil.Date { return day("2023-01-01").AddDays(23 * r.IntN(64)) }

func randomPeriod(r *rand.Rand) indicator.Period {
	from := randomDay(r)
	switch r.IntN(5) {
	case 0:
		return indicator.Period{From: day("2023-01-01"), To: day("2026-12-31")}
	case 4:
		// decades, read as one range of years and edge months
		return indicator.Period{From: day("2000-01-01").AddDays(r.IntN(60)), To: day("2099-12-31").AddDays(-r.IntN(60))}
	case 1:
		return indicator.Period{From: from.AddDays(r.IntN(23)), To: from.AddDays(23 + r.IntN(900))}
	}
	return indicator.Period{From: from, To: from.AddDays(23 * r.IntN(40))}
}

// randomConvention holds every day randomDay draws, and mostly starts and
// ends within a month: the convention bucket then sums months, years and
// edge days (the last day drawn, 2026-12-20, is in the end edge unless
// the convention ends on 2026-12-31 or later).
func randomConvention(r *rand.Rand) indicator.Period {
	return indicator.Period{From: day("2023-01-01").AddDays(-r.IntN(40)), To: day("2026-12-20").AddDays(r.IntN(40))}
}

// randomDataset writes two Cafs (two CTGs, then one), each CTG with two or
// three posts, ~40 records of every kind, fiches with updates and survey
// waves; then deletes about one fiche in four.
func randomDataset(t *testing.T, db *store.DB, raw *sql.DB, r *rand.Rand) {
	t.Helper()
	var actions []int64
	err := db.Write(ctx, 0, func(tx *store.Tx) error {
		b := &indBuilder{tx: tx}
		for ci, nCTG := range []int{2, 1} {
			caf := b.caf(fmt.Sprintf("%03d", 10+ci))
			var partners []int64
			for i := range 4 + r.IntN(3) {
				partners = append(partners, b.partner(caf.ID, fmt.Sprintf("Partenaire %d-%d", ci, i), pick(r, rndPTypes)))
			}
			for k := range nCTG {
				c := b.conventionOver(caf.ID, fmt.Sprintf("CTG %d-%d", ci, k), randomConvention(r))
				posts := randomPosts(b, r, c)
				for range 30 + r.IntN(20) {
					randomRecord(b, r, c, posts, partners)
				}
				actions = append(actions, randomActions(b, r, c, posts)...)
				randomWaves(b, r, c)
			}
		}
		return b.err
	})
	if err != nil {
		t.Fatalf("random dataset: %v", err)
	}
	for _, id := range actions {
		if r.IntN(4) == 0 {
			deleteAction(t, db, raw, id)
		}
	}
}

func randomPosts(b *indBuilder, r *rand.Rand, c ctg.CTG) []ctg.Post {
	var posts []ctg.Post
	for i := range 2 + r.IntN(2) {
		var fns []string
		for _, f := range rndFunctions {
			if r.IntN(2) == 0 {
				fns = append(fns, f)
			}
		}
		if len(fns) == 0 {
			fns = []string{pick(r, rndFunctions)}
		}
		posts = append(posts, b.post(c, fmt.Sprintf("Personne %d", i), i == 0 && r.IntN(4) > 0, fns...))
	}
	return posts
}

func randomRecord(b *indBuilder, r *rand.Rand, c ctg.CTG, posts []ctg.Post, partners []int64) {
	rc := rec(pick(r, posts), pick(r, rndKinds), "2023-01-01")
	rc.Date = randomDay(r)
	coin := func() bool { return r.IntN(2) == 0 }
	switch rc.Kind {
	case journal.Reunion:
		rc.Nature = pick(r, rndMeetings)
		for range 1 + r.IntN(3) {
			rc.Roles = append(rc.Roles, role(pick(r, posts), pick(r, rndRoles)))
		}
	case journal.Decision:
		rc.Facilitated, rc.Axis = coin(), pick(r, rndOptAxes)
	case journal.Alerte:
		rc.Nature, rc.Status = pick(r, []string{"blocage", "retard", "autre"}), "ouverte"
	case journal.Expertise:
		rc.Nature, rc.InstanceKind = pick(r, []string{"juridique", "financiere", "technique"}), pick(r, []string{"copil", "cotech"})
	case journal.Sujet:
		rc = subject(posts[r.IntN(len(posts))], rc.Date.String(), pick(r, rndOrigins), pick(r, rndOptAxes), "")
		if coin() {
			rc.Status, rc.TakenOn = nomenclature.SubjectTaken, rc.Date.AddDays(r.IntN(400))
		}
	case journal.Explicitation:
		rc.Nature, rc.Audience = pick(r, []string{"sppe", "psu", "clas"}), pick(r, []string{"elus", "partenaires"})
	case journal.Projet:
		rc.Axis, rc.Facilitated, rc.HabitantsConception, rc.HabitantsEvaluation = pick(r, rndAxes), coin(), coin(), coin()
	case journal.Relais:
		rc.Nature = pick(r, []string{"information", "orientation", "autre"})
	case journal.Appui:
		rc.Nature = pick(r, []string{"montage_projet", "methodologie", "autre"})
	case journal.Ingenierie:
		rc.Nature = pick(r, []string{"diagnostic", "evaluation", "autre"})
	case journal.Support:
		rc.Nature, rc.Network = pick(r, []string{"guide", "plaquette", "video"}), coin()
		rc.Audience = pick(r, []string{"habitants", "partenaires", "elus", "cooperateurs"})
	}
	for range r.IntN(3) {
		rc.PartnerIDs = append(rc.PartnerIDs, pick(r, partners))
	}
	if rc.Kind == journal.Relais || rc.Kind == journal.Appui {
		rc.PartnerIDs = append(rc.PartnerIDs, pick(r, partners))
	}
	if r.IntN(10) == 0 {
		b.deleted(rc)
	} else {
		b.record(rc)
	}
}

func randomActions(b *indBuilder, r *rand.Rand, c ctg.CTG, posts []ctg.Post) []int64 {
	var ids []int64
	for i := range 3 {
		a := b.action(c.ID, fmt.Sprint("F", i), pick(r, rndAxes))
		for range r.IntN(5) {
			b.update(c.ID, a, pick(r, posts).ID, randomDay(r))
		}
		ids = append(ids, a)
	}
	return ids
}

func randomWaves(b *indBuilder, r *rand.Rand, c ctg.CTG) {
	for _, aud := range []string{survey.Partners, survey.Residents} {
		items := survey.Items[aud]
		for range 1 + r.IntN(5) {
			var responses []map[string]int
			for range r.IntN(4) {
				scores := map[string]int{}
				for range 1 + r.IntN(2) {
					scores[pick(r, items).Code] = 1 + r.IntN(5)
				}
				responses = append(responses, scores)
			}
			b.wave(c.ID, aud, pick(r, rndWaveKinds), randomDay(r), responses...)
		}
	}
}

// The raw rows, as plain SELECTs read them.
type (
	rawRecord struct {
		id, ctg, post                                      int64
		kind, axis, nature, audience, instanceKind         string
		status, origin                                     string
		day, takenOn                                       civil.Date
		facilitated, network, conception, evaluation, gone bool
	}
	rawRole struct {
		post int64
		role string
	}
	rawAction struct {
		ctg  int64
		axis string
		gone bool
	}
	rawUpdate struct {
		id, action, post int64
		day              civil.Date
	}
	rawWave struct {
		id, ctg        int64
		audience, kind string
		day            civil.Date
		responses      int
		scores         []int
	}
	rawPost struct {
		ctg       int64
		chef      bool
		functions []string
	}
	rawData struct {
		cafs        map[int64]string // id → code
		ctgCaf      map[int64]int64
		conventions map[int64]indicator.Period
		posts       map[int64]rawPost
		records     []rawRecord
		partners    map[int64][]int64 // record → partners
		roles       map[int64][]rawRole
		partnerType map[int64]string
		actions     map[int64]rawAction
		updates     []rawUpdate
		waves       []rawWave
	}
)

func readRaw(t *testing.T, db *sql.DB) *rawData {
	t.Helper()
	d := &rawData{cafs: map[int64]string{}, ctgCaf: map[int64]int64{}, conventions: map[int64]indicator.Period{},
		posts:    map[int64]rawPost{},
		partners: map[int64][]int64{}, roles: map[int64][]rawRole{}, partnerType: map[int64]string{},
		actions: map[int64]rawAction{}}
	rows := func(q string, scan func(*sql.Rows) error) {
		rs, err := db.QueryContext(ctx, q)
		if err != nil {
			t.Fatalf("%s: %v", q, err)
		}
		defer rs.Close()
		for rs.Next() {
			if err := scan(rs); err != nil {
				t.Fatalf("%s: %v", q, err)
			}
		}
	}
	rows(`SELECT id, code FROM caf`, func(r *sql.Rows) error {
		var id int64
		var code string
		err := r.Scan(&id, &code)
		d.cafs[id] = code
		return err
	})
	rows(`SELECT id, caf_id, start_date, end_date FROM ctg`, func(r *sql.Rows) error {
		var id, caf int64
		var p indicator.Period
		err := r.Scan(&id, &caf, &p.From, &p.To)
		d.ctgCaf[id], d.conventions[id] = caf, p
		return err
	})
	rows(`SELECT id, ctg_id, chef_de_projet FROM post`, func(r *sql.Rows) error {
		var id int64
		var p rawPost
		err := r.Scan(&id, &p.ctg, &p.chef)
		d.posts[id] = p
		return err
	})
	rows(`SELECT post_id, function FROM post_function`, func(r *sql.Rows) error {
		var id int64
		var f string
		err := r.Scan(&id, &f)
		p := d.posts[id]
		p.functions = append(p.functions, f)
		d.posts[id] = p
		return err
	})
	readRawJournal(d, rows)
	readRawPlans(d, rows)
	return d
}

func readRawJournal(d *rawData, rows func(string, func(*sql.Rows) error)) {
	rows(`SELECT id, ctg_id, post_id, kind, day, axis, nature, audience, instance_kind, status, origin, taken_on,
		facilitated, network, habitants_conception, habitants_evaluation, deleted_at IS NOT NULL FROM record ORDER BY id`,
		func(r *sql.Rows) error {
			var x rawRecord
			err := r.Scan(&x.id, &x.ctg, &x.post, &x.kind, &x.day, &x.axis, &x.nature, &x.audience, &x.instanceKind,
				&x.status, &x.origin, &x.takenOn, &x.facilitated, &x.network, &x.conception, &x.evaluation, &x.gone)
			d.records = append(d.records, x)
			return err
		})
	rows(`SELECT record_id, partner_id FROM record_partner`, func(r *sql.Rows) error {
		var rec, p int64
		err := r.Scan(&rec, &p)
		d.partners[rec] = append(d.partners[rec], p)
		return err
	})
	rows(`SELECT record_id, post_id, role FROM meeting_role`, func(r *sql.Rows) error {
		var rec int64
		var x rawRole
		err := r.Scan(&rec, &x.post, &x.role)
		d.roles[rec] = append(d.roles[rec], x)
		return err
	})
	rows(`SELECT id, type FROM partner`, func(r *sql.Rows) error {
		var id int64
		var typ string
		err := r.Scan(&id, &typ)
		d.partnerType[id] = typ
		return err
	})
}

func readRawPlans(d *rawData, rows func(string, func(*sql.Rows) error)) {
	rows(`SELECT id, ctg_id, axis, deleted_at IS NOT NULL FROM action`, func(r *sql.Rows) error {
		var id int64
		var a rawAction
		err := r.Scan(&id, &a.ctg, &a.axis, &a.gone)
		d.actions[id] = a
		return err
	})
	rows(`SELECT id, action_id, post_id, day FROM action_update ORDER BY id`, func(r *sql.Rows) error {
		var u rawUpdate
		err := r.Scan(&u.id, &u.action, &u.post, &u.day)
		d.updates = append(d.updates, u)
		return err
	})
	at := map[int64]int{}
	rows(`SELECT id, ctg_id, audience, kind, day FROM survey_wave ORDER BY id`, func(r *sql.Rows) error {
		var w rawWave
		err := r.Scan(&w.id, &w.ctg, &w.audience, &w.kind, &w.day)
		at[w.id] = len(d.waves)
		d.waves = append(d.waves, w)
		return err
	})
	rows(`SELECT wave_id FROM survey_response`, func(r *sql.Rows) error {
		var id int64
		err := r.Scan(&id)
		d.waves[at[id]].responses++
		return err
	})
	rows(`SELECT r.wave_id, a.score FROM survey_answer a JOIN survey_response r ON r.id = a.response_id`,
		func(r *sql.Rows) error {
			var id int64
			var s int
			err := r.Scan(&id, &s)
			d.waves[at[id]].scores = append(d.waves[at[id]].scores, s)
			return err
		})
}

// rawScope is a scope as the recount sees it: a set of CTGs, and the post
// at post scope.
type rawScope struct {
	scope  indicator.Scope
	ctgs   map[int64]bool
	post   int64
	pooled bool
}

// convention is the period of the CTG of a post or CTG scope, which the
// tallies keep in a bucket of its own.
func (d *rawData) convention(sc rawScope) (indicator.Period, bool) {
	if sc.pooled {
		return indicator.Period{}, false
	}
	for id := range sc.ctgs {
		return d.conventions[id], true
	}
	return indicator.Period{}, false
}

func (d *rawData) scopes() []rawScope {
	var out []rawScope
	all := map[int64]bool{}
	for id := range d.ctgCaf {
		all[id] = true
		out = append(out, rawScope{scope: indicator.Scope{Kind: "ctg", CTGID: id}, ctgs: map[int64]bool{id: true}})
	}
	for id, p := range d.posts {
		out = append(out, rawScope{scope: indicator.Scope{Kind: "post", PostID: id}, ctgs: map[int64]bool{p.ctg: true}, post: id})
	}
	for caf, code := range d.cafs {
		set := map[int64]bool{}
		for c, f := range d.ctgCaf {
			if f == caf {
				set[c] = true
			}
		}
		out = append(out, rawScope{scope: indicator.Scope{Kind: "caf", CafCode: code}, ctgs: set, pooled: true})
	}
	out = append(out, rawScope{scope: indicator.Scope{Kind: "all"}, ctgs: all, pooled: true})
	sort.Slice(out, func(i, j int) bool { return fmt.Sprint(out[i].scope) < fmt.Sprint(out[j].scope) })
	return out
}

// codes lists what a scope must show: at post scope, the indicators of the
// post's functions, S11a for a chef de projet only.
func (d *rawData) codes(sc rawScope) []string {
	var out []string
	for _, in := range framework.Load().Indicators() {
		if sc.post != 0 {
			p := d.posts[sc.post]
			if !slices.Contains(p.functions, in.Function) || (in.Code == "S11a" && !p.chef) {
				continue
			}
		}
		out = append(out, in.Code)
	}
	return out
}

// tally is a recounted figure.
type tally struct {
	value *float64
	by    map[string]float64
	other map[string]map[string]float64
	ids   map[int64]bool
	ctgs  int
	waves []indicator.WaveFigure
}

func newTally() *tally { return &tally{by: map[string]float64{}, ids: map[int64]bool{}} }

func (f *tally) count() *tally {
	v := float64(len(f.ids))
	f.value = &v
	return f
}

func (f *tally) otherAdd(name, key string) {
	if f.other == nil {
		f.other = map[string]map[string]float64{}
	}
	if f.other[name] == nil {
		f.other[name] = map[string]float64{}
	}
	f.other[name][keyOf(key)]++
}

func keyOf(k string) string {
	if k == "" {
		return indicator.KeyUnset
	}
	return k
}

func within(d civil.Date, p indicator.Period) bool {
	s := d.String()
	return s != "" && s >= p.From.String() && s <= p.To.String()
}

// live is a record that counts in the scope, whatever its date.
func (sc rawScope) live(r rawRecord) bool { return !r.gone && sc.ctgs[r.ctg] }

func (d *rawData) hasRole(rec, post int64) bool {
	for _, ro := range d.roles[rec] {
		if ro.post == post {
			return true
		}
	}
	return false
}

func (d *rawData) recount(code string, sc rawScope, p indicator.Period) *tally {
	is := func(field func(rawRecord) string, v string) func(rawRecord) bool {
		return func(r rawRecord) bool { return field(r) == v }
	}
	nature := func(r rawRecord) string { return r.nature }
	axis := func(r rawRecord) string { return r.axis }
	switch code {
	case "S11a":
		return d.meetingRoles(sc, p, "copil", func(role string) bool { return role != "participation" }, true)
	case "S11b":
		return d.plain(sc, p, "expertise", nil, nature, "instance_kind", func(r rawRecord) string { return r.instanceKind })
	case "E11":
		return d.plain(sc, p, "decision", func(r rawRecord) bool { return r.facilitated }, axis, "", nil)
	case "S12a":
		return d.axes(sc, p)
	case "S12b":
		return d.plain(sc, p, "alerte", nil, nature, "", nil)
	case "E12":
		return d.subjects(sc, p, "alerte_copil", "suivi_plan_actions")
	case "S21a":
		return d.partnersOf(sc, p, is(nature, "diagnostic"), "reunion", true)
	case "S21b":
		organised := func(role string) bool { return role == "preparation" || role == "animation" || role == "co_animation" }
		return d.meetingRoles(sc, p, "veille", organised, false)
	case "E21":
		return d.subjects(sc, p, "veille_groupes", "diagnostic_partage")
	case "S22":
		return d.plain(sc, p, "explicitation", nil, nature, "audience", func(r rawRecord) string { return r.audience })
	case "E22":
		return d.plain(sc, p, "projet", func(r rawRecord) bool { return r.facilitated }, axis, "", nil)
	case "S31":
		return d.plain(sc, p, "relais", nil, nature, "", nil)
	case "E31":
		return d.newPartners(sc, p)
	case "S32a":
		return d.partnersOf(sc, p, nil, "appui", false)
	case "S32b":
		return d.plain(sc, p, "support", func(r rawRecord) bool { return r.network }, nature, "", nil)
	case "E32":
		return d.survey(sc, p, "partenaires")
	case "S41":
		return d.plain(sc, p, "ingenierie", nil, nature, "", nil)
	case "E41":
		return d.habitants(sc, p)
	case "S42":
		return d.plain(sc, p, "support", is(func(r rawRecord) string { return r.audience }, "habitants"), nature, "", nil)
	case "E42":
		return d.survey(sc, p, "habitants")
	}
	panic("no recount for " + code)
}

// plain counts the live records of a kind dated in the period, the post's
// own at post scope.
func (d *rawData) plain(sc rawScope, p indicator.Period, kind string, keep func(rawRecord) bool,
	key func(rawRecord) string, otherName string, other func(rawRecord) string) *tally {
	f := newTally()
	for _, r := range d.records {
		if !sc.live(r) || r.kind != kind || !within(r.day, p) || (sc.post != 0 && r.post != sc.post) {
			continue
		}
		if keep != nil && !keep(r) {
			continue
		}
		f.ids[r.id] = true
		f.by[keyOf(key(r))]++
		if other != nil {
			f.otherAdd(otherName, other(r))
		}
	}
	return f.count()
}

func (d *rawData) habitants(sc rawScope, p indicator.Period) *tally {
	both := func(r rawRecord) bool { return r.conception && r.evaluation }
	f := d.plain(sc, p, "projet", both, func(r rawRecord) string { return r.axis }, "", nil)
	one := d.plain(sc, p, "projet", func(r rawRecord) bool { return r.conception != r.evaluation },
		func(r rawRecord) string { return r.axis }, "either_one", func(r rawRecord) string {
			if r.conception {
				return "conception_only"
			}
			return "evaluation_only"
		})
	f.other = map[string]map[string]float64{"either_one": one.other["either_one"]}
	return f
}

func (d *rawData) meetingRoles(sc rawScope, p indicator.Period, nature string, ok func(string) bool, withBy bool) *tally {
	f := newTally()
	for _, r := range d.records {
		if !sc.live(r) || r.kind != "reunion" || r.nature != nature || !within(r.day, p) {
			continue
		}
		roles := map[string]bool{}
		for _, ro := range d.roles[r.id] {
			if (sc.post == 0 || ro.post == sc.post) && ok(ro.role) {
				roles[ro.role] = true
			}
		}
		if len(roles) == 0 {
			continue
		}
		f.ids[r.id] = true
		for ro := range roles {
			if withBy {
				f.by[ro]++
			}
		}
	}
	return f.count()
}

func (d *rawData) subjects(sc rawScope, p indicator.Period, origins ...string) *tally {
	f := newTally()
	for _, r := range d.records {
		if !sc.live(r) || r.kind != "sujet" || !slices.Contains(origins, r.origin) || r.status != "prise_en_compte" ||
			!within(r.takenOn, p) || (sc.post != 0 && r.post != sc.post) {
			continue
		}
		f.ids[r.id] = true
		f.by[keyOf(r.axis)]++
	}
	return f.count()
}

// partnersOf counts the distinct partners of the live records of a kind in
// the period; at post scope the post's records, or for meetings (attended)
// those it wrote or had a role in.
func (d *rawData) partnersOf(sc rawScope, p indicator.Period, keep func(rawRecord) bool, kind string, attended bool) *tally {
	f := newTally()
	for _, r := range d.records {
		if !sc.live(r) || r.kind != kind || !within(r.day, p) || (keep != nil && !keep(r)) {
			continue
		}
		if sc.post != 0 && r.post != sc.post && !(attended && d.hasRole(r.id, sc.post)) {
			continue
		}
		for _, pa := range d.partners[r.id] {
			f.ids[pa] = true
		}
	}
	for pa := range f.ids {
		f.by[d.partnerType[pa]]++
	}
	return f.count()
}

// newPartners finds each partner's first live record in each CTG (earliest
// day, then lowest id) and keeps it when it falls in the period (and, at
// post scope, is the post's: written by it, or a meeting where it had a
// role, rule 2).
func (d *rawData) newPartners(sc rawScope, p indicator.Period) *tally {
	first := map[[2]int64]rawRecord{}
	for _, r := range d.records {
		if r.gone {
			continue
		}
		for _, pa := range d.partners[r.id] {
			k := [2]int64{r.ctg, pa}
			cur, seen := first[k]
			if !seen || r.day.Before(cur.day) || (r.day == cur.day && r.id < cur.id) {
				first[k] = r
			}
		}
	}
	f := newTally()
	for k, r := range first {
		if sc.ctgs[r.ctg] && within(r.day, p) && (sc.post == 0 || r.post == sc.post || d.hasRole(r.id, sc.post)) {
			f.ids[k[1]] = true
		}
	}
	for pa := range f.ids {
		f.by[d.partnerType[pa]]++
	}
	return f.count()
}

func (d *rawData) axes(sc rawScope, p indicator.Period) *tally {
	f := newTally()
	pairs := map[string]bool{}
	for _, u := range d.updates {
		a := d.actions[u.action]
		if a.gone || !sc.ctgs[a.ctg] || !within(u.day, p) || (sc.post != 0 && u.post != sc.post) {
			continue
		}
		pairs[fmt.Sprint(a.ctg, "/", a.axis)] = true
		f.ids[u.id] = true
		f.by[a.axis]++
	}
	v := float64(len(pairs))
	f.value = &v
	return f
}

func round(x float64) float64 { return math.Round(x*100) / 100 }

func avg(scores []int) (float64, bool) {
	if len(scores) == 0 {
		return 0, false
	}
	s := 0
	for _, x := range scores {
		s += x
	}
	return float64(s) / float64(len(scores)), true
}

// survey recounts rule 5: per CTG, latest finale minus earliest initiale
// among the waves dated in the period; the mean of those differences.
func (d *rawData) survey(sc rawScope, p indicator.Period, audience string) *tally {
	f := newTally()
	var ws []rawWave
	for _, w := range d.waves {
		if w.audience == audience && sc.ctgs[w.ctg] && within(w.day, p) {
			ws = append(ws, w)
			f.ids[w.id] = true
		}
	}
	var diffs []float64
	for _, c := range slices.Sorted(maps.Keys(sc.ctgs)) {
		var ini, fin *rawWave
		for i := range ws {
			w := &ws[i]
			if w.ctg != c {
				continue
			}
			if w.kind == "initiale" && (ini == nil || w.day.Before(ini.day) || (w.day == ini.day && w.id < ini.id)) {
				ini = w
			}
			if w.kind == "finale" && (fin == nil || fin.day.Before(w.day) || (w.day == fin.day && w.id > fin.id)) {
				fin = w
			}
		}
		if ini == nil || fin == nil {
			continue
		}
		a, ok1 := avg(ini.scores)
		b, ok2 := avg(fin.scores)
		if ok1 && ok2 {
			diffs = append(diffs, b-a)
		}
	}
	if len(diffs) > 0 {
		s := 0.0
		for _, x := range diffs {
			s += x
		}
		v := round(s / float64(len(diffs)))
		f.value, f.ctgs = &v, len(diffs)
	}
	f.waves = recountWaves(ws, sc.pooled)
	return f
}

func recountWaves(ws []rawWave, pooled bool) []indicator.WaveFigure {
	mk := func(kind string, scores []int, responses, ctgs int) indicator.WaveFigure {
		w := indicator.WaveFigure{Kind: kind, Responses: responses, CTGs: ctgs, Distribution: map[int]int{1: 0, 2: 0, 3: 0, 4: 0, 5: 0}}
		for _, sc := range scores {
			w.Distribution[sc]++
		}
		if m, ok := avg(scores); ok {
			m = round(m)
			w.Mean = &m
		}
		return w
	}
	var out []indicator.WaveFigure
	if !pooled {
		sort.Slice(ws, func(i, j int) bool {
			if ws[i].day != ws[j].day {
				return ws[i].day.Before(ws[j].day)
			}
			return ws[i].id < ws[j].id
		})
		for _, w := range ws {
			f := mk(w.kind, w.scores, w.responses, 1)
			f.Date = w.day
			out = append(out, f)
		}
		return out
	}
	for _, kind := range rndWaveKinds {
		var scores []int
		responses, ctgs := 0, map[int64]bool{}
		for _, w := range ws {
			if w.kind == kind {
				scores = append(scores, w.scores...)
				responses += w.responses
				ctgs[w.ctg] = true
			}
		}
		if len(ctgs) > 0 {
			out = append(out, mk(kind, scores, responses, len(ctgs)))
		}
	}
	return out
}

func compareScope(t *testing.T, db *store.DB, d *rawData, sc rawScope, p indicator.Period, r *rand.Rand, seen map[string]bool) {
	t.Helper()
	res, err := db.Indicators(ctx, sc.scope, p)
	if err != nil {
		t.Fatalf("%+v: %v", sc.scope, err)
	}
	var got []string
	for _, f := range res.Indicators {
		got = append(got, f.Code)
	}
	if want := d.codes(sc); !slices.Equal(got, want) {
		t.Errorf("%+v lists %v, want %v", sc.scope, got, want)
	}
	for _, f := range res.Indicators {
		want := d.recount(f.Code, sc, p)
		seen[f.Code] = seen[f.Code] || f.Number() != 0 || (f.IDsOf == indicator.IDsWaves && f.Value != nil)
		label := fmt.Sprintf("%+v %s..%s %s", sc.scope, p.From, p.To, f.Code)
		compareTally(t, label, f, want)
		compareDrill(t, db, label, sc, p, f, want, r)
	}
}

func compareTally(t *testing.T, label string, got indicator.Figure, want *tally) {
	t.Helper()
	if (got.Value == nil) != (want.value == nil) || (got.Value != nil && math.Abs(*got.Value-*want.value) > 1e-9) {
		t.Errorf("%s value = %s, recount %s", label, show(got.Value), show(want.value))
	}
	if !sameCounts(got.By, want.by) {
		t.Errorf("%s by = %v, recount %v", label, got.By, want.by)
	}
	for _, name := range unionKeys(got.Other, want.other) {
		if !sameCounts(got.Other[name], want.other[name]) {
			t.Errorf("%s %s = %v, recount %v", label, name, got.Other[name], want.other[name])
		}
	}
	if got.CTGs != want.ctgs {
		t.Errorf("%s CTGs = %d, recount %d", label, got.CTGs, want.ctgs)
	}
	if len(got.Waves) != len(want.waves) {
		t.Errorf("%s %d waves, recount %d", label, len(got.Waves), len(want.waves))
		return
	}
	for i, w := range got.Waves {
		x := want.waves[i]
		if w.Kind != x.Kind || w.Date != x.Date || w.Responses != x.Responses || w.CTGs != x.CTGs ||
			show(w.Mean) != show(x.Mean) || !maps.Equal(w.Distribution, x.Distribution) {
			t.Errorf("%s wave %d = %+v (mean %s), recount %+v (mean %s)", label, i, w, show(w.Mean), x, show(x.Mean))
		}
	}
}

// compareDrill checks the ids behind the figure are the recount's, and
// those of one random key of each breakdown as many as the key counts.
func compareDrill(t *testing.T, db *store.DB, label string, sc rawScope, p indicator.Period, f indicator.Figure, want *tally, r *rand.Rand) {
	t.Helper()
	one, err := db.Indicator(ctx, sc.scope, p, f.Code)
	if err != nil {
		t.Fatalf("%s: %v", label, err)
	}
	if exp := slices.Sorted(maps.Keys(want.ids)); !slices.Equal(one.RecordIDs, exp) && len(exp)+len(one.RecordIDs) > 0 {
		t.Errorf("%s drill-down = %v, recount %v", label, one.RecordIDs, exp)
	}
	check := func(breakdown string, counts map[string]float64) {
		if len(counts) == 0 {
			return
		}
		key := pick(r, slices.Sorted(maps.Keys(counts)))
		ids, err := db.IndicatorRecords(ctx, sc.scope, p, f.Code, breakdown, key)
		if err != nil || float64(len(ids)) != counts[key] {
			t.Errorf("%s drill-down %s=%s: %d ids (%v), want %v", label, breakdown, key, len(ids), err, counts[key])
		}
	}
	check("", want.by)
	for _, name := range slices.Sorted(maps.Keys(want.other)) {
		check(name, want.other[name])
	}
}
