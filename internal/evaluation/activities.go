package evaluation

import (
	"slices"

	"copilote/internal/framework"
)

// How Tableau 1 reads function by function.
//
// Tableau 1 (the job reference) does not key its activities by the
// functions of Tableau 2, on which a post is delegated and evaluated. Read
// in the seed, it lists six groups of activities (diagnostics, assistance
// to the elected, the priority objectives of the CTG, partnerships and
// networks, relations with the population, evaluation), then four groups
// whose headings repeat the four objectives of Tableau 2 (« Impulser et
// mettre en œuvre les politiques… », « Mettre en adéquation l'offre
// d'accueil aux besoins des familles », « Animer la mise en réseau des
// acteurs », « Organiser et animer la relation avec la population »): what
// the job is expected to achieve for each objective. The seed marks one
// line « Attendus » (the lasting participation of the inhabitants), which
// the last of these four groups repeats. Tableau 2's introduction says the
// evaluation "prend en compte les attendus et des activités figurant dans
// le référentiel d'emploi".
//
// So, explicitly: each function is shown the activity groups that serve
// it (a group may serve several functions), and as its attendus the items
// of its objective's group that concern it (each item to one function of
// that objective), with the ExpectedOutcomes of its activity groups.
// TestEveryFunctionHasItsActivities checks that every heading and item
// named here exists in the framework, that every function gets activities
// and attendus, and that nothing of Tableau 1 is left out.

// Headings of Tableau 1's activity groups, as framework.json spells them.
const (
	hDiagnostics  = "Conduite des diagnostics territoriaux ou thématiques, notamment « inclusion », en matière d'accès des enfants issus de familles défavorisées (ainsi que de ceux porteurs de handicap) et d'offres disponibles pour ces enfants"
	hAssistance   = "Assistance et conseil auprès des élus et des comités de pilotage"
	hPriorities   = "Accompagnement de la réalisation des objectifs prioritaires du projet de territoire inscrit dans la Ctg en lien avec le déploiement du SPPE"
	hPartnerships = "Développement et animation de la contractualisation, des partenariats et des réseaux professionnels"
	hPopulation   = "Organisation et animation de la relation avec la population"
	hEvaluation   = "Contribution à l'évaluation des politiques et des actions mises en œuvre"
	// the four groups of attendus, one per objective of Tableau 2
	hObjective1 = "Impulser et mettre en œuvre les politiques « petite-enfance, enfance-jeunesse et éducation, parentalité, logement et accès aux droits »"
	hObjective2 = "Mettre en adéquation l'offre d'accueil aux besoins des familles"
	hObjective3 = "Animer la mise en réseau des acteurs"
	hObjective4 = "Organiser et animer la relation avec la population"
)

// objectiveGroups names the group of attendus of each objective.
var objectiveGroups = map[int]string{1: hObjective1, 2: hObjective2, 3: hObjective3, 4: hObjective4}

// activityGroups: the activity groups each function draws on.
var activityGroups = map[string][]string{
	"1.1": {hAssistance},
	"1.2": {hPriorities, hEvaluation, hDiagnostics},
	"2.1": {hDiagnostics, hEvaluation},
	"2.2": {hPartnerships, hPriorities},
	"3.1": {hPartnerships},
	"3.2": {hPartnerships},
	"4.1": {hPopulation},
	"4.2": {hPopulation},
}

// expected: the items of each objective's group of attendus, by function.
var expected = map[string][]string{
	"1.1": {
		"Assurer un conseil auprès des élus et des comités de pilotage",
		"Traduire les orientations politiques en plans d'actions",
		"Repérer les marges de manœuvre et saisir les opportunités",
	},
	"1.2": {
		"Élaborer l'évaluation des engagements contractuels liés à la mise en place du projet de territoire",
		"Accompagner l'élaboration du schéma de développement territorial (Ctg)",
		"Mettre en œuvre les outils de suivi, d'observation et d'évaluation des dispositifs",
	},
	"2.1": {
		"Participer au diagnostic socio-économique du territoire",
		"Évaluer les demandes et les attentes des familles et les qualifier en besoins",
	},
	"2.2": {
		"Animer et suivre les commissions d'admission",
	},
	"3.1": {
		"Identifier et mobiliser les partenaires stratégiques",
	},
	"3.2": {
		"Être en lien permanent avec les collaborateurs et les chargés de développement territorial",
		"Développer des actions transversales en interne avec les différents services de la collectivité et en externe avec les acteurs du secteur de l'enfance, de l'éducation, de la jeunesse, de la parentalité, de la vie sociale",
	},
	"4.1": {
		"Favoriser l'expression et la mobilisation des habitants",
		"Développer et animer des dispositifs de concertation et de participation avec le public",
		"Réguler les relations entre institutions, acteurs et population",
		"Pérenniser et valoriser la participation des habitants à la mise en œuvre des politiques de développement",
	},
	"4.2": {
		"Concevoir et développer des supports d'information",
	},
}

// Reference is what Tableau 1 says of one function: the activity groups
// it draws on and the attendus it is appraised against.
type Reference struct {
	Function   framework.Function
	Activities []framework.ActivityGroup
	Expected   []string
}

// ReferenceOf reads Tableau 1 for function code; ok is false for a code
// the framework does not know.
func ReferenceOf(fw *framework.Framework, code string) (Reference, bool) {
	fn, ok := fw.Function(code)
	if !ok {
		return Reference{}, false
	}
	r := Reference{Function: fn}
	for _, h := range activityGroups[code] {
		if g, ok := group(fw, h); ok {
			r.Activities = append(r.Activities, g)
			r.Expected = appendNew(r.Expected, g.ExpectedOutcomes...)
		}
	}
	if g, ok := group(fw, objectiveGroups[fn.Objective]); ok {
		for _, item := range g.Items {
			if slices.Contains(expected[code], item) {
				r.Expected = appendNew(r.Expected, item)
			}
		}
	}
	return r, true
}

// group finds an activity group by its heading.
func group(fw *framework.Framework, heading string) (framework.ActivityGroup, bool) {
	i := slices.IndexFunc(fw.Job.Activities, func(g framework.ActivityGroup) bool { return g.Heading == heading })
	if i < 0 {
		return framework.ActivityGroup{}, false
	}
	return fw.Job.Activities[i], true
}

func appendNew(list []string, items ...string) []string {
	for _, it := range items {
		if !slices.Contains(list, it) {
			list = append(list, it)
		}
	}
	return list
}
