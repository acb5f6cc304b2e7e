package report

import (
	"copilote/internal/ctg"
	"copilote/internal/document"
	"copilote/internal/framework"
	"copilote/internal/nomenclature"
)

// JobDescription is the fiche de poste of a post, ready for a recruitment:
// Tableau 1 of the seed (the job reference) with what this post is, and
// the functions and axes delegated to it, on which alone it is evaluated.
func JobDescription(fw *framework.Framework, c ctg.CTG, p ctg.Post, n *nomenclature.Set) document.Document {
	j := fw.Job
	d := document.Document{Kind: "fiche_poste", Title: "Fiche de poste – " + j.Title,
		Subtitle: p.Person + ", " + c.Name,
		Meta:     postFields(c, p)}
	d.Sections = append(d.Sections,
		document.Section{ID: "definition", Title: "Définition de l'emploi", Blocks: []document.Block{{Text: j.Definition}}},
		document.Section{ID: "contexte", Title: "Contexte", Blocks: listBlock(j.Context)},
		delegation(fw, p, n))
	activities := document.Section{ID: "activites", Title: "Activités"}
	for i, g := range j.Activities {
		s := document.Section{ID: "activite-" + itoa(i+1), Title: g.Heading, Blocks: listBlock(g.Items)}
		if len(g.ExpectedOutcomes) > 0 {
			s.Blocks = append(s.Blocks, document.Block{Text: "Attendus :"}, document.Block{List: g.ExpectedOutcomes})
		}
		activities.Sections = append(activities.Sections, s)
	}
	knowledge := document.Section{ID: "savoirs", Title: "Savoirs"}
	for i, g := range j.Knowledge {
		knowledge.Sections = append(knowledge.Sections, document.Section{ID: "savoir-" + itoa(i+1), Title: g.Heading, Blocks: listBlock(g.Items)})
	}
	d.Sections = append(d.Sections, activities, knowledge,
		document.Section{ID: "autonomie", Title: "Autonomie et responsabilités", Blocks: listBlock(j.AutonomyResponsibilities)},
		document.Section{ID: "relations", Title: "Relations fonctionnelles", Blocks: listBlock(j.FunctionalRelations)},
		document.Section{ID: "situation", Title: "Situation fonctionnelle", Blocks: listBlock(j.FunctionalSituation)},
		document.Section{ID: "cadre", Title: "Cadre d'emploi", Blocks: append(textBlock(j.Qualification), listBlock(j.EmploymentFrameworks)...)})
	return d
}

// postFields say what the post is: its holder, employer, CTG, time and cost.
func postFields(c ctg.CTG, p ctg.Post) []document.Field {
	f := []document.Field{{Label: "Titulaire", Value: p.Person}, {Label: "Employeur", Value: p.Employer},
		{Label: "CTG", Value: c.Name}, {Label: "Temps de travail", Value: p.ETP.String() + " ETP"}}
	if p.ChefDeProjet {
		f = append(f, document.Field{Label: "Rôle", Value: "Chef(fe) de projet CTG"})
	}
	since := "depuis le " + p.Start.French()
	if !p.End.IsZero() {
		since = "du " + p.Start.French() + " au " + p.End.French()
	}
	return append(f, document.Field{Label: "Période", Value: since},
		document.Field{Label: "Coût annuel", Value: euros(p.AnnualCost)})
}

// delegation lists the functions of Tableau 2 entrusted to the post, each
// with its two actions, and its axes.
func delegation(fw *framework.Framework, p ctg.Post, n *nomenclature.Set) document.Section {
	s := document.Section{ID: "delegation", Title: "Fonctions et thématiques déléguées",
		Blocks: []document.Block{{Text: "Le poste est évalué au terme de la convention sur ces seules fonctions et thématiques."}}}
	for _, code := range p.Functions {
		fn, ok := fw.Function(code)
		if !ok {
			continue
		}
		var actions []string
		for _, a := range fn.Actions {
			actions = append(actions, a.Code+" "+a.Title)
		}
		s.Sections = append(s.Sections, document.Section{ID: "fonction-" + fn.Code, Title: fn.Code + " " + fn.Title,
			Blocks: []document.Block{{List: actions}}})
	}
	if len(p.Axes) > 0 {
		var axes []string
		for _, a := range p.Axes {
			axes = append(axes, n.Label(nomenclature.Axis, a))
		}
		s.Blocks = append(s.Blocks, document.Block{Fields: []document.Field{{Label: "Axes", Value: joinFrench(axes)}}})
	}
	return s
}

func listBlock(items []string) []document.Block {
	if len(items) == 0 {
		return nil
	}
	return []document.Block{{List: items}}
}

func textBlock(s string) []document.Block {
	if s == "" {
		return nil
	}
	return []document.Block{{Text: s}}
}
