package report

import (
	"strings"

	"copilote/internal/ctg"
	"copilote/internal/document"
	"copilote/internal/framework"
	"copilote/internal/nomenclature"
)

// JobDescription is the fiche de poste of a post, ready for a recruitment:
// the whole of Tableau 1 of the seed (définition, contexte, activités,
// attendus, savoirs, autonomie, relations et situation fonctionnelles,
// cadre d'emploi, coût indicatif) with what this post is, and the
// functions and axes delegated to it, on which alone it is evaluated, with
// the indicators that will measure them. For a recruitment (vacant), the
// holder's name is left out.
func JobDescription(fw *framework.Framework, c ctg.CTG, p ctg.Post, n *nomenclature.Set, vacant bool) document.Document {
	j := fw.Job
	title := strings.Replace(strings.TrimPrefix(j.Title, "Référentiel d'emploi – "), " Ctg", " CTG", 1)
	d := document.Document{Kind: "fiche_poste", Title: "Fiche de poste – " + title, Subtitle: p.Person + ", " + c.Name,
		Meta: postFields(c, p, vacant)}
	if vacant {
		d.Subtitle = "Poste à pourvoir – " + c.Name
	}
	d.Sections = append(d.Sections,
		document.Section{ID: "definition", Title: "Définition de l'emploi", Blocks: []document.Block{{Text: j.Definition}}},
		document.Section{ID: "contexte", Title: "Contexte", Blocks: listBlock(j.Context)},
		delegation(fw, p, n))
	activities, outcomes := activitySections(fw, p)
	d.Sections = append(d.Sections, activities, outcomes, knowledge(j),
		document.Section{ID: "autonomie", Title: "Autonomie et responsabilités", Blocks: listBlock(j.AutonomyResponsibilities)},
		document.Section{ID: "relations", Title: "Relations fonctionnelles", Blocks: listBlock(j.FunctionalRelations)},
		document.Section{ID: "situation", Title: "Situation fonctionnelle", Blocks: listBlock(j.FunctionalSituation)},
		document.Section{ID: "cadre", Title: "Cadre d'emploi et qualification", Blocks: append(
			[]document.Block{{Fields: []document.Field{{Label: "Qualification", Value: j.Qualification}}}}, listBlock(j.EmploymentFrameworks)...)},
		cost(j, p))
	return d
}

// postFields say what the post is: its holder (unless vacant), employer,
// CTG, territory, time and cost.
func postFields(c ctg.CTG, p ctg.Post, vacant bool) []document.Field {
	var f []document.Field
	if !vacant {
		f = append(f, document.Field{Label: "Titulaire", Value: p.Person})
	}
	f = append(f, document.Field{Label: "Employeur", Value: p.Employer}, document.Field{Label: "CTG", Value: c.Name})
	if c.Population > 0 || len(c.Communes) > 0 {
		f = append(f, document.Field{Label: "Territoire", Value: territory(c)})
	}
	f = append(f, document.Field{Label: "Temps de travail", Value: p.ETP.String() + " ETP"})
	if p.ChefDeProjet {
		f = append(f, document.Field{Label: "Rôle", Value: "Chef(fe) de projet CTG"})
	}
	since := "depuis le " + p.Start.French()
	if !p.End.IsZero() {
		since = "du " + p.Start.French() + " au " + p.End.French()
	}
	if vacant {
		since = "convention du " + c.Start.French() + " au " + c.End.French()
	}
	return append(f, document.Field{Label: "Période", Value: since},
		document.Field{Label: "Coût annuel", Value: euros(p.AnnualCost), Personal: !vacant})
}

func territory(c ctg.CTG) string {
	var parts []string
	if n := len(c.Communes); n > 0 {
		s := itoa(n) + " commune"
		if n > 1 {
			s += "s"
		}
		parts = append(parts, s)
	}
	if c.Population > 0 {
		parts = append(parts, thousandsInt(c.Population)+" habitants")
	}
	return strings.Join(parts, ", ")
}

// delegation lists the functions of Tableau 2 entrusted to the post, each
// with its two actions and the indicators that will measure it, and its
// axes.
func delegation(fw *framework.Framework, p ctg.Post, n *nomenclature.Set) document.Section {
	s := document.Section{ID: "delegation", Title: "Fonctions et thématiques déléguées",
		Blocks: []document.Block{{Text: "Le poste est évalué au terme de la convention sur ces seules fonctions et thématiques, " +
			"d'après les indicateurs de suivi et d'évaluation du référentiel."}}}
	if len(p.Axes) > 0 {
		var axes []string
		for _, a := range p.Axes {
			axes = append(axes, n.Label(nomenclature.Axis, a))
		}
		s.Blocks = append(s.Blocks, document.Block{Fields: []document.Field{{Label: "Axes", Value: joinFrench(axes)}}})
	}
	for _, code := range p.Functions {
		fn, ok := fw.Function(code)
		if !ok {
			continue
		}
		var actions, measures []string
		for _, a := range fn.Actions {
			actions = append(actions, a.Code+" "+a.Title)
		}
		for _, ind := range fw.IndicatorsOf([]string{code}, p.ChefDeProjet) {
			kind := "suivi"
			if ind.Type != "suivi" {
				kind = "évaluation"
			}
			measures = append(measures, ind.Code+" ("+kind+") "+ind.Label)
		}
		s.Sections = append(s.Sections, document.Section{ID: "fonction-" + fn.Code, Title: fn.Code + " " + fn.Title,
			Blocks: []document.Block{{Text: "Actions :"}, {List: actions}, {Text: "Indicateurs :"}, {List: measures}}})
	}
	return s
}

// activitySections split Tableau 1's activities: the groups named after
// an objective of Tableau 2 are its attendus, by objective (marked when
// the post holds one of its functions); the others are the activities.
func activitySections(fw *framework.Framework, p ctg.Post) (activities, outcomes document.Section) {
	activities = document.Section{ID: "activites", Title: "Activités"}
	outcomes = document.Section{ID: "attendus", Title: "Attendus, par objectif du référentiel",
		Blocks: []document.Block{{Text: "Ce que l'on attend du poste pour chacun des quatre objectifs du référentiel ; " +
			"l'évaluation de fin de convention les apprécie pour les objectifs délégués."}}}
	for i, g := range fw.Job.Activities {
		if o, ok := objectiveOf(fw, g.Heading); ok {
			title := g.Heading
			if delegatesObjective(fw, p, o.Number) {
				title += " (objectif délégué au poste)"
			}
			outcomes.Sections = append(outcomes.Sections, document.Section{ID: "attendus-" + itoa(o.Number), Title: title,
				Blocks: append(listBlock(g.Items), listBlock(g.ExpectedOutcomes)...)})
			continue
		}
		if len(g.Items) == 0 && len(g.ExpectedOutcomes) == 0 { // an activity told in its heading alone
			activities.Blocks = append(activities.Blocks, document.Block{List: []string{g.Heading}})
			continue
		}
		s := document.Section{ID: "activite-" + itoa(i+1), Title: g.Heading, Blocks: listBlock(g.Items)}
		if len(g.ExpectedOutcomes) > 0 {
			s.Blocks = append(s.Blocks, document.Block{Text: "Attendus :"}, document.Block{List: g.ExpectedOutcomes})
		}
		activities.Sections = append(activities.Sections, s)
	}
	return activities, outcomes
}

// objectiveOf finds the objective of Tableau 2 an activity heading names:
// the same words, or the objective's at its end ("Impulser et mettre en
// œuvre les politiques …" for "Mettre en œuvre les politiques …").
func objectiveOf(fw *framework.Framework, heading string) (framework.Objective, bool) {
	h := strings.ToLower(heading)
	for _, o := range fw.Table.Objectives {
		if strings.HasSuffix(h, strings.ToLower(o.Title)) {
			return o, true
		}
	}
	return framework.Objective{}, false
}

func delegatesObjective(fw *framework.Framework, p ctg.Post, objective int) bool {
	for _, code := range p.Functions {
		if fn, ok := fw.Function(code); ok && fn.Objective == objective {
			return true
		}
	}
	return false
}

func knowledge(j framework.Job) document.Section {
	s := document.Section{ID: "savoirs", Title: "Savoirs"}
	for i, g := range j.Knowledge {
		s.Sections = append(s.Sections, document.Section{ID: "savoir-" + itoa(i+1), Title: g.Heading, Blocks: listBlock(g.Items)})
	}
	return s
}

// cost is the référentiel's indicative cost per ETP and the post's own.
func cost(j framework.Job, p ctg.Post) document.Section {
	f := []document.Field{{Label: "Coût indicatif", Value: euros(int64(j.CostPerFTE)) + " par ETP (référentiel d'emploi)"},
		{Label: "Coût annuel du poste", Value: euros(p.AnnualCost) + " pour " + p.ETP.String() + " ETP", Personal: true}}
	if p.CafCofunding > 0 {
		f = append(f, document.Field{Label: "Cofinancement Caf", Value: euros(p.CafCofunding) + " par an", Personal: true})
	}
	return document.Section{ID: "cout", Title: "Coût indicatif", Blocks: []document.Block{{Fields: f}}}
}

func listBlock(items []string) []document.Block {
	if len(items) == 0 {
		return nil
	}
	return []document.Block{{List: items}}
}
