package report

import (
	"strings"
	"testing"

	"copilote/internal/civil"
	"copilote/internal/ctg"
	"copilote/internal/document"
	"copilote/internal/framework"
	"copilote/internal/nomenclature"
)

// Every line of Tableau 1 is in the fiche de poste (définition, contexte,
// activités with their attendus, savoirs, autonomie, relations and
// situation fonctionnelles, cadre d'emploi, coût indicatif), with the
// post's delegation and the indicators that will measure it; the
// recruitment version names no holder.
func TestJobDescriptionHoldsAllOfTableau1(t *testing.T) {
	fw := framework.Load()
	c := ctg.CTG{Name: "CTG du Diois", Population: 12226, Start: civil.MustParse("2023-01-01"), End: civil.MustParse("2026-12-31"),
		Communes: []ctg.Commune{{INSEE: "26113", Name: "Die"}}}
	p := ctg.Post{Person: "Élodie Charvet", Employer: "CC du Diois", ETP: 80, Start: c.Start, ChefDeProjet: true,
		Functions: []string{"1.1", "3.2"}, Axes: []string{"parentalite"}, AnnualCost: 38400, CafCofunding: 19200}
	d := JobDescription(fw, c, p, nomenclature.Default, false)
	text := words(d)
	j := fw.Job
	wants := []string{j.Definition, j.Qualification, "48\u00a0000 € par ETP", "38\u00a0400 € pour 0,8 ETP", "19\u00a0200 € par an",
		"Élodie Charvet", "Parentalité", "1 commune, 12\u00a0226 habitants", "S11a (suivi)", "E11 (évaluation)", "E32 (évaluation)"}
	wants = append(append(append(append(append(wants, j.Context...), j.AutonomyResponsibilities...), j.FunctionalRelations...),
		j.FunctionalSituation...), j.EmploymentFrameworks...)
	for _, g := range j.Activities {
		wants = append(append(append(wants, g.Heading), g.Items...), g.ExpectedOutcomes...)
	}
	for _, g := range j.Knowledge {
		wants = append(append(wants, g.Heading), g.Items...)
	}
	for _, w := range wants {
		if !strings.Contains(text, w) {
			t.Errorf("the fiche de poste lacks %q", w)
		}
	}
	for _, not := range []string{"S21a", "2.1 Animation"} {
		if strings.Contains(text, not) {
			t.Errorf("the fiche names %q, outside the delegation", not)
		}
	}
	if !strings.Contains(text, "Mettre en adéquation l'offre d'accueil aux besoins des familles\n") ||
		!strings.Contains(text, "Animer la mise en réseau des acteurs (objectif délégué au poste)") {
		t.Errorf("attendus by objective are not marked by delegation")
	}
	vacant := words(JobDescription(fw, c, p, nomenclature.Default, true))
	if strings.Contains(vacant, "Élodie Charvet") || !strings.Contains(vacant, "Poste à pourvoir") {
		t.Errorf("the recruitment version names the holder")
	}
}

// words is every text of d, one a line.
func words(d document.Document) string {
	var b strings.Builder
	add := func(s string) { b.WriteString(s + "\n") }
	add(d.Title)
	add(d.Subtitle)
	for _, f := range d.Meta {
		add(f.Label + " " + f.Value)
	}
	var walk func([]document.Section)
	walk = func(ss []document.Section) {
		for _, s := range ss {
			add(s.Title)
			for _, bl := range s.Blocks {
				add(bl.Text)
				for _, l := range bl.List {
					add(l)
				}
				for _, f := range bl.Fields {
					add(f.Label + " " + f.Value)
				}
				if bl.Table != nil {
					for _, r := range bl.Table.Rows {
						for _, c := range r {
							add(c.Text)
						}
					}
				}
			}
			walk(s.Sections)
		}
	}
	walk(d.Sections)
	return b.String()
}
