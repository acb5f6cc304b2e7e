package evaluation

import (
	"slices"
	"testing"

	"copilote/internal/apperr"
	"copilote/internal/civil"
	"copilote/internal/ctg"
	"copilote/internal/document"
	"copilote/internal/framework"
	"copilote/internal/nomenclature"
)

var day = civil.MustParse

// Every function of Tableau 2 gets activities and attendus from Tableau 1;
// every heading and item the mapping names exists in the framework; every
// activity group and every attendu of Tableau 1 reaches some function.
func TestEveryFunctionHasItsActivities(t *testing.T) {
	fw := framework.Load()
	usedGroups, usedItems := map[string]bool{}, map[string]int{}
	for _, fn := range fw.Functions() {
		r, ok := ReferenceOf(fw, fn.Code)
		if !ok || len(r.Activities) == 0 || len(r.Expected) == 0 {
			t.Errorf("function %s: %d activity groups, %d attendus", fn.Code, len(r.Activities), len(r.Expected))
		}
		for _, h := range activityGroups[fn.Code] {
			if _, ok := group(fw, h); !ok {
				t.Errorf("function %s: no activity group %q in the framework", fn.Code, h)
			}
			usedGroups[h] = true
		}
		g, ok := group(fw, objectiveGroups[fn.Objective])
		if !ok {
			t.Fatalf("objective %d: no group of attendus %q", fn.Objective, objectiveGroups[fn.Objective])
		}
		for _, item := range expected[fn.Code] {
			if !slices.Contains(g.Items, item) {
				t.Errorf("function %s: attendu %q is not in its objective's group", fn.Code, item)
			}
			if !slices.Contains(r.Expected, item) {
				t.Errorf("function %s: attendu %q not read", fn.Code, item)
			}
			usedItems[item]++
		}
	}
	if len(activityGroups) != len(fw.Functions()) || len(expected) != len(fw.Functions()) {
		t.Errorf("mapping names %d and %d functions, the framework %d", len(activityGroups), len(expected), len(fw.Functions()))
	}
	for _, g := range fw.Job.Activities {
		isObjective := slices.Contains([]string{hObjective1, hObjective2, hObjective3, hObjective4}, g.Heading)
		if !isObjective && !usedGroups[g.Heading] {
			t.Errorf("activity group %q serves no function", g.Heading)
		}
		if isObjective {
			for _, item := range g.Items {
				if usedItems[item] != 1 {
					t.Errorf("attendu %q of %q goes to %d functions, want 1", item, g.Heading, usedItems[item])
				}
			}
		}
		for _, o := range g.ExpectedOutcomes {
			found := false
			for _, fn := range fw.Functions() {
				r, _ := ReferenceOf(fw, fn.Code)
				found = found || slices.Contains(r.Expected, o)
			}
			if !found {
				t.Errorf("the seed's attendu %q reaches no function", o)
			}
		}
	}
	// the reading of the seed in two examples
	r, _ := ReferenceOf(fw, "1.1")
	if r.Activities[0].Heading != hAssistance || r.Expected[0] != "Assurer un conseil auprès des élus et des comités de pilotage" {
		t.Errorf("1.1 reads %q, %q", r.Activities[0].Heading, r.Expected)
	}
	r, _ = ReferenceOf(fw, "4.1")
	if n := len(r.Expected); n != 4 || !slices.Contains(r.Expected, "Pérenniser et valoriser la participation des habitants à la mise en œuvre des politiques de développement") {
		t.Errorf("4.1: %d attendus %q", n, r.Expected)
	}
	if _, ok := ReferenceOf(fw, "9.9"); ok {
		t.Error("an unknown function has a reference")
	}
}

func TestPostCostProrated(t *testing.T) {
	full := ctg.Post{ETP: 100, AnnualCost: 48000, CafCofunding: 24000, Start: day("2023-01-01"), End: day("2026-12-31")}
	half := ctg.Post{ETP: 50, AnnualCost: 24000, CafCofunding: 6000, Start: day("2024-07-01")} // no end
	cases := []struct {
		name         string
		p            ctg.Post
		from, to     string
		days         int
		amount, caf  int64
		years, etpYr float64
	}{
		{"whole convention", full, "2023-01-01", "2026-12-31", 1461, 192000, 96000, 4, 4},
		{"one year", full, "2024-01-01", "2024-12-31", 366, 48000, 24000, 1, 1},
		// 2024 is a leap year: 1 July to 31 December is 184 days of 366
		{"post starts mid-period", half, "2024-01-01", "2024-12-31", 184, 12066, 3016, 184.0 / 366, 0.5 * 184 / 366},
		{"period longer than the post", full, "2022-01-01", "2026-12-31", 1461, 192000, 96000, 4, 4},
		// no end: runs to the period's end; 184 days of 2024 (366) and
		// 181 of 2025 (365) make a little less than a year
		{"no end", half, "2024-07-01", "2025-06-30", 365, 23967, 5992, 184.0/366 + 181.0/365, 0.5 * (184.0/366 + 181.0/365)},
		{"period before the post", half, "2023-01-01", "2023-12-31", 0, 0, 0, 0, 0},
		// 45 days of 2023 (365) and 45 of 2024 (366)
		{"across a new year", full, "2023-11-17", "2024-02-14", 90, 11819, 5910, 45.0/365 + 45.0/366, 45.0/365 + 45.0/366},
	}
	for _, c := range cases {
		got := PostCost(c.p, day(c.from), day(c.to))
		if got.Days != c.days || got.Amount != c.amount || got.CafShare != c.caf ||
			!near(got.Years, c.years) || !near(got.ETPYears, c.etpYr) {
			t.Errorf("%s: %+v; want %d days, %d €, Caf %d €, %.4f years, %.4f ETP-years", c.name, got, c.days, c.amount, c.caf, c.years, c.etpYr)
		}
	}
	if got := PerETP(96000, 2); got != 48000 {
		t.Errorf("PerETP = %d", got)
	}
	if got := Share(6000, 24000); got != 25 {
		t.Errorf("Share = %d", got)
	}
}

func near(a, b float64) bool { return a-b < 1e-9 && b-a < 1e-9 }

func TestWorkflow(t *testing.T) {
	p := ctg.Post{ID: 1, Functions: []string{"1.1", "2.1"}}
	n := nomenclature.Default
	e := &Evaluation{Status: Draft}
	// rule 2: a function not delegated is not appraised
	err := e.SetOfficerPart(p, n, Evaluation{Appraisals: []Appraisal{{Function: "3.1", Level: "atteint"}}})
	if apperr.CodeOf(err) != apperr.Invalid {
		t.Errorf("appraising 3.1: %v", err)
	}
	if err := e.SetOfficerPart(p, n, Evaluation{Appraisals: []Appraisal{{Function: "1.1", Level: "très bien"}}}); apperr.CodeOf(err) != apperr.Invalid {
		t.Errorf("unknown level: %v", err)
	}
	if err := e.SetOfficerPart(p, n, Evaluation{Strengths: " Réseau solide \r\n", Appraisals: []Appraisal{{Function: "1.1", Level: "atteint", Comment: "Copil tenus"}}}); err != nil {
		t.Fatal(err)
	}
	if e.Strengths != "Réseau solide" {
		t.Errorf("strengths %q", e.Strengths)
	}
	err = e.CheckSubmit(p)
	if ae := apperr.As(err); ae.Code != apperr.Invalid || ae.Fields["level_2.1"] == "" {
		t.Errorf("submit without 2.1: %v", err)
	}
	e.SetOfficerPart(p, n, Evaluation{Appraisals: []Appraisal{{Function: "2.1", Level: "partiel"}}})
	if err := e.CheckSubmit(p); err != nil {
		t.Fatalf("submit: %v", err)
	}
	e.Status = Submitted
	if e.OfficerCanEdit() || !e.AdvisorCanReview() {
		t.Error("a submitted evaluation is the advisor's")
	}
	if err := e.CheckReturn(); apperr.CodeOf(err) != apperr.Invalid {
		t.Errorf("return without a word: %v", err)
	}
	if err := e.SetReview(p, n, Evaluation{Review: "À compléter", Appraisals: []Appraisal{{Function: "2.1", ReviewLevel: "non_atteint", ReviewComment: "Pas de diagnostic"}}}); err != nil {
		t.Fatal(err)
	}
	if err := e.CheckReturn(); err != nil {
		t.Errorf("return: %v", err)
	}
	a := e.Appraisal("2.1")
	if a.Level != "partiel" || a.Final() != "non_atteint" || e.Appraisal("1.1").Final() != "atteint" {
		t.Errorf("appraisals %+v", e.Appraisals)
	}
	if err := e.CheckReopen("erreur"); apperr.CodeOf(err) != apperr.Conflict {
		t.Errorf("reopening a submitted evaluation: %v", err)
	}
	e.Status = Validated
	if err := e.Move(Returned); apperr.CodeOf(err) != apperr.Conflict {
		t.Errorf("returning a validated evaluation: %v", err)
	}
	if err := e.CheckReopen("  "); apperr.CodeOf(err) != apperr.Invalid {
		t.Errorf("reopening without a reason: %v", err)
	}
	if err := e.CheckReopen("Coût du poste corrigé"); err != nil {
		t.Errorf("reopen: %v", err)
	}
}

func TestValidatePeriod(t *testing.T) {
	c := ctg.CTG{Start: day("2023-01-01"), End: day("2026-12-31")}
	p := ctg.Post{Start: day("2024-07-01"), End: day("2025-06-30")}
	cases := map[string]struct {
		from, to string
		ok       bool
	}{
		"convention":       {"2023-01-01", "2026-12-31", true},
		"within the years": {"2024-01-01", "2024-12-31", true},
		"reversed":         {"2024-12-31", "2024-01-01", false},
		"outside years":    {"2022-01-01", "2024-12-31", false},
		"before the post":  {"2023-01-01", "2024-06-30", false},
	}
	for name, tc := range cases {
		err := ValidatePeriod(day(tc.from), day(tc.to), c, p)
		if (err == nil) != tc.ok {
			t.Errorf("%s: %v", name, err)
		}
	}
	if err := ValidatePeriod(civil.Date{}, day("2024-01-01"), c, p); apperr.CodeOf(err) != apperr.Invalid {
		t.Errorf("no start: %v", err)
	}
}

func TestCompare(t *testing.T) {
	doc := func(v2024, target, cost, achieved string, extra bool) document.Document {
		figs := []document.Figure{{Code: "S11b", Label: "Expertises", Period: "2024", Value: v2024, Target: target, Status: "atteint"},
			{Code: "S11b", Label: "Expertises", Period: "toute la période", Value: "9"}}
		if extra {
			figs = append(figs, document.Figure{Code: "E11", Label: "Décisions", Period: "2024", Value: "2"})
		}
		return document.Document{Sections: []document.Section{
			{ID: "f", Title: "Fonctions", Sections: []document.Section{{ID: "f11", Title: "1.1", Blocks: []document.Block{
				{Text: "texte " + v2024}, {Figures: figs}}}}},
			{ID: "o", Title: "Objectifs", Blocks: []document.Block{{Table: &document.Table{Caption: "Objectifs", Head: []string{"Objectif", "Cible", "Réalisé"},
				Rows: [][]document.Cell{{{Text: "RPE"}, {Text: "1"}, {Text: achieved}}}}}}},
			{ID: "c", Title: "Coût", Blocks: []document.Block{{Fields: []document.Field{{Label: "Coût sur la période", Value: cost}}}}},
		}}
	}
	frozen := doc("4", "3", "48 000 €", "1", false)
	if d := Compare(frozen, frozen); len(d) != 0 {
		t.Errorf("a document differs from itself: %+v", d)
	}
	// statuses and prose do not count
	same := doc("4", "3", "48 000 €", "1", false)
	same.Sections[0].Sections[0].Blocks[1].Figures[0].Status = "en_retard"
	if d := Compare(frozen, same); len(d) != 0 {
		t.Errorf("a status change is a difference: %+v", d)
	}
	got := Compare(frozen, doc("5", "", "36 000 €", "0", true))
	want := []Difference{
		{Section: "Fonctions › 1.1", Item: "S11b Expertises (2024)", Frozen: "4", Today: "5"},
		{Section: "Fonctions › 1.1", Item: "S11b Expertises (2024), cible", Frozen: "3", Today: "—"},
		{Section: "Objectifs", Item: "Objectifs : RPE, Réalisé", Frozen: "1", Today: "0"},
		{Section: "Coût", Item: "Coût sur la période", Frozen: "48 000 €", Today: "36 000 €"},
		{Section: "Fonctions › 1.1", Item: "E11 Décisions (2024)", Frozen: "—", Today: "2"},
		{Section: "Fonctions › 1.1", Item: "E11 Décisions (2024), cible", Frozen: "—", Today: "—"},
	}
	// a figure present on one side only: its target and baseline are
	// absent on both, which is no difference
	want = slices.DeleteFunc(want, func(d Difference) bool { return d.Frozen == d.Today })
	if !slices.Equal(got, want) {
		t.Errorf("Compare =\n%+v\nwant\n%+v", got, want)
	}
}
