package report_test

import (
	"context"
	"slices"
	"strings"
	"testing"

	"copilote/internal/civil"
	"copilote/internal/ctg"
	"copilote/internal/document"
	"copilote/internal/evaluation"
	"copilote/internal/journal"
	"copilote/internal/nomenclature"
	"copilote/internal/report"
	"copilote/internal/store"
	"copilote/internal/store/storetest"
)

var ctx = context.Background()

// fixture: a CTG with a chef de projet (1.1) and a post delegated 2.1 and
// 4.2 from 1 July 2024, each with records in and out of its delegation.
type fixture struct {
	ctg        ctg.CTG
	chef, part ctg.Post
}

func mustFixture(t *testing.T, db *store.DB) fixture {
	t.Helper()
	n := nomenclature.Default
	var f fixture
	err := db.Write(ctx, 0, func(tx *store.Tx) error {
		caf := ctg.Caf{Code: "026", Name: "Caf de la Drôme"}
		if err := tx.CreateCaf(&caf); err != nil {
			return err
		}
		f.ctg = ctg.CTG{CafID: caf.ID, Name: "CTG du Diois", Start: civil.MustParse("2023-01-01"), End: civil.MustParse("2026-12-31"),
			Axes: []string{"petite_enfance"}}
		if err := tx.CreateCTG(&f.ctg, n); err != nil {
			return err
		}
		f.chef = ctg.Post{CTGID: f.ctg.ID, Person: "Claire Chef", Employer: "CC", ETP: 100, Start: f.ctg.Start,
			ChefDeProjet: true, Functions: []string{"1.1"}}
		f.part = ctg.Post{CTGID: f.ctg.ID, Person: "Paul Part", Employer: "Commune", ETP: 100, Start: civil.MustParse("2024-07-01"),
			Functions: []string{"2.1", "4.2"}, AnnualCost: 48000, CafCofunding: 12000}
		for _, p := range []*ctg.Post{&f.chef, &f.part} {
			if err := tx.SavePost(p, n); err != nil {
				return err
			}
		}
		day := civil.MustParse("2025-03-03")
		recs := []journal.Record{
			// the part-timer's: two supports for inhabitants (S42, 4.2),
			// a relay (S31, 3.1: not delegated), an expertise (S11b, 1.1:
			// not delegated)
			{PostID: f.part.ID, Kind: journal.Support, Title: "Guide", Nature: "guide", Audience: "habitants"},
			{PostID: f.part.ID, Kind: journal.Support, Title: "Plaquette", Nature: "plaquette", Audience: "habitants"},
			{PostID: f.part.ID, Kind: journal.Expertise, Title: "Juriste", Nature: "juridique", InstanceKind: "copil"},
			// the chef's: a support (S42 of the CTG, not the part-timer's)
			{PostID: f.chef.ID, Kind: journal.Support, Title: "Lettre", Nature: "lettre", Audience: "habitants"},
			// a Copil where both had a role: S11a is the chef's only
			{PostID: f.chef.ID, Kind: journal.Reunion, Title: "Copil", Nature: "copil",
				Roles: []journal.Role{{PostID: f.chef.ID, Role: "animation"}, {PostID: f.part.ID, Role: "preparation"}}},
		}
		for i := range recs {
			recs[i].CTGID, recs[i].Date = f.ctg.ID, day
			if err := tx.SaveRecord(&recs[i], n); err != nil {
				return err
			}
		}
		return nil
	})
	if err != nil {
		t.Fatal(err)
	}
	return f
}

func open(t *testing.T, db *store.DB, f fixture, p ctg.Post, from, to string) int64 {
	t.Helper()
	e := evaluation.Evaluation{From: civil.MustParse(from), To: civil.MustParse(to)}
	if err := db.Write(ctx, 0, func(tx *store.Tx) error { return tx.CreateEvaluation(&e, f.ctg, p) }); err != nil {
		t.Fatal(err)
	}
	return e.ID
}

func codes(d document.Document) []string {
	var out []string
	for _, f := range d.AllFigures() {
		if !slices.Contains(out, f.Code) {
			out = append(out, f.Code)
		}
	}
	return out
}

func sectionIDs(s document.Section) []string {
	var out []string
	for _, sub := range s.Sections {
		out = append(out, sub.ID)
	}
	return out
}

func section(d document.Document, id string) document.Section {
	for _, s := range d.Sections {
		if s.ID == id {
			return s
		}
	}
	return document.Section{}
}

func field(s document.Section, label string) string {
	for _, b := range s.Blocks {
		for _, f := range b.Fields {
			if f.Label == label {
				return f.Value
			}
		}
	}
	return ""
}

// Rule 2: a post's evaluation holds the indicators and functions of its
// delegation only, S11a only for a chef de projet, and its own records
// only; the CTG's surveys (E32, E42) are the CTG's. The cost is prorated
// to the post's days within the period.
func TestPostEvaluationWithinDelegation(t *testing.T) {
	storetest.ForEach(t, func(t *testing.T, db *store.DB) {
		f := mustFixture(t, db)
		today := civil.MustParse("2026-11-27")
		doc, err := report.PostEvaluation(ctx, db, open(t, db, f, f.part, "2024-01-01", "2025-12-31"), today)
		if err != nil {
			t.Fatal(err)
		}
		// the functions section: 2.1 and 4.2, nothing else
		if got := sectionIDs(section(doc, "fonctions")); !slices.Equal(got, []string{"fonction-2.1", "fonction-4.2"}) {
			t.Errorf("function parts %v", got)
		}
		// 2.1: S21a S21b E21; 4.2: S42 E42; the surveys section: E32, E42 of the CTG
		if got := codes(doc); !slices.Equal(got, []string{"S21a", "S21b", "E21", "S42", "E42", "E32"}) {
			t.Errorf("indicators %v, want the delegation's (and the CTG's surveys)", got)
		}
		var s42 []string
		for _, fig := range doc.AllFigures() {
			if fig.Code == "S42" {
				s42 = append(s42, fig.Period+"="+fig.Value)
			}
		}
		if !slices.Equal(s42, []string{"2024=0", "2025=2", "toute la période=2"}) {
			t.Errorf("S42 of the post: %v, want its own two supports of 2025", s42)
		}
		// the activities and attendus of Tableau 1 for 4.2
		part := section(doc, "fonctions").Sections[1]
		var text []string
		for _, b := range part.Blocks {
			text = append(append(text, b.List...), b.Text)
		}
		if !slices.Contains(text, "Concevoir et développer des supports d'information") ||
			!slices.Contains(text, "Organisation et animation de la relation avec la population :") ||
			!slices.Contains(text, "Construire et mettre en œuvre une stratégie de communication interne et externe") {
			t.Errorf("4.2 lacks its activities or attendus: %q", text)
		}
		// cost: from 1 July 2024, 184 days of 366 in 2024 and all of
		// 2025: 48 000 × (184/366 + 1) = 72 131 €; the Caf's 12 000 a year
		// gives 18 033 €
		cost := section(doc, "cout")
		if got := field(cost, "Coût sur la période"); got != "72\u00a0131 €" {
			t.Errorf("cost %q", got)
		}
		if got := field(cost, "Part de la Caf sur la période"); got != "18\u00a0033 € (25 %)" {
			t.Errorf("Caf share %q", got)
		}
		if got := field(cost, "Jours du poste dans la période"); got != "549 sur 731" {
			t.Errorf("days %q", got)
		}

		chef, err := report.PostEvaluation(ctx, db, open(t, db, f, f.chef, "2023-01-01", "2026-12-31"), today)
		if err != nil {
			t.Fatal(err)
		}
		if got := codes(chef); !slices.Equal(got, []string{"S11a", "S11b", "E11", "E32", "E42"}) {
			t.Errorf("the chef de projet's indicators %v", got)
		}
		for _, fig := range chef.AllFigures() {
			// the part-timer's expertise is not the chef's
			if fig.Code == "S11b" && fig.Value != "0" || fig.Code == "S11a" && fig.Period == "toute la période" && fig.Value != "1" {
				t.Errorf("%s (%s) = %s", fig.Code, fig.Period, fig.Value)
			}
		}
		if strings.Contains(chef.Title, "Paul Part") || !strings.HasPrefix(doc.Title, "Évaluation du poste de Paul Part") {
			t.Errorf("titles %q, %q", chef.Title, doc.Title)
		}
	})
}
