package demo

import "copilote/internal/ctg"

// profile is what differs between the three demo conventions; everything
// else is generated from it.
type profile struct {
	key        string // short name used in notes and partner lists
	siren      string
	name       string
	epciName   string
	axes       []string
	signatures []ctg.Signatory
	objectives []ctg.DevObjective
	groups     []group
	posts      []postProfile
	fiches     int
}

type group struct {
	name, axis string
}

// postProfile describes an officer's post and the person holding it.
type postProfile struct {
	first, last string
	employer    string
	etp         ctg.ETP
	chef        bool
	she         bool // for the French agreement of the job title
	functions   []string
	axes        []string // nil: every axis of the CTG
	cofunding   int64
}

var common = []ctg.Signatory{
	{Organisation: "Caf de la Drôme-Vercors (démonstration)", RepresentedBy: "La présidente du conseil d'administration"},
	{Organisation: "Département de la Drôme", RepresentedBy: "Le vice-président chargé des solidarités"},
	{Organisation: "MSA Ardèche Drôme Loire", RepresentedBy: "Le directeur général"},
}

func signatories(epci string, extra ...ctg.Signatory) []ctg.Signatory {
	out := append([]ctg.Signatory{}, common[0])
	out = append(out, ctg.Signatory{Organisation: epci, RepresentedBy: "Le président"})
	out = append(out, common[1:]...)
	return append(out, extra...)
}

var profiles = []profile{
	{
		key: "Diois", siren: "242600534", name: "CTG du Diois 2023-2026", epciName: "CC du Diois",
		axes: []string{"petite_enfance", "enfance_jeunesse", "parentalite", "avs", "acces_droits", "inclusion_numerique"},
		signatures: signatories("CC du Diois",
			ctg.Signatory{Organisation: "Commune de Die", RepresentedBy: "La maire"}),
		objectives: []ctg.DevObjective{
			{Kind: "nouveau_service", Label: "Relais petite enfance itinérant couvrant le Haut-Diois", Target: 1, Achieved: 1},
			{Kind: "nouveau_service", Label: "Lieu d'accueil enfants-parents itinérant", Target: 1, Achieved: 1},
			{Kind: "nouveau_partenariat", Label: "Convention avec les associations de transport solidaire", Target: 3, Achieved: 2},
			{Kind: "nouvelle_competence", Label: "Compétence enfance-jeunesse exercée par l'intercommunalité", Target: 1, Achieved: 0},
		},
		groups: []group{
			{"Groupe de travail « Accueil du jeune enfant »", "petite_enfance"},
			{"Groupe de travail « Jeunesse et mobilité »", "enfance_jeunesse"},
			{"Groupe de travail « Parents en Diois »", "parentalite"},
			{"Groupe de travail « Vivre ensemble dans les villages »", "avs"},
		},
		posts: []postProfile{
			{first: "Élodie", she: true, last: "Charvet", employer: "CC du Diois", etp: 100, chef: true,
				functions: []string{"1.1", "1.2", "2.1", "3.2", "4.1", "4.2"}, cofunding: 24000},
			{first: "Thomas", last: "Reynaud", employer: "Commune de Die", etp: 50,
				functions: []string{"2.1", "2.2", "3.1"}, axes: []string{"enfance_jeunesse", "parentalite", "avs"}},
		},
		fiches: 11,
	},
	{
		key: "Royans-Vercors", siren: "200067767", name: "CTG du Royans-Vercors 2023-2026", epciName: "CC du Royans-Vercors",
		axes: []string{"petite_enfance", "enfance_jeunesse", "parentalite", "avs", "logement"},
		signatures: signatories("CC du Royans-Vercors",
			ctg.Signatory{Organisation: "Commune de Saint-Jean-en-Royans", RepresentedBy: "Le maire"}),
		objectives: []ctg.DevObjective{
			{Kind: "nouveau_service", Label: "Accueil de loisirs ouvert pendant les vacances d'hiver sur le plateau", Target: 1, Achieved: 1},
			{Kind: "nouveau_partenariat", Label: "Partenariat avec les employeurs de saisonniers", Target: 2, Achieved: 1},
			{Kind: "nouvelle_competence", Label: "Coordination petite enfance portée par la communauté de communes", Target: 1, Achieved: 1},
		},
		groups: []group{
			{"Groupe de travail « Petite enfance en montagne »", "petite_enfance"},
			{"Groupe de travail « Jeunes du Royans-Vercors »", "enfance_jeunesse"},
			{"Groupe de travail « Logement des saisonniers »", "logement"},
		},
		posts: []postProfile{
			{first: "Marion", she: true, last: "Rochas", employer: "CC du Royans-Vercors", etp: 80, chef: true,
				functions: []string{"1.1", "1.2", "2.1", "2.2", "3.1"}, cofunding: 19200},
			{first: "Yanis", last: "Bouchard", employer: "Commune de Saint-Jean-en-Royans", etp: 40,
				functions: []string{"3.2", "4.1", "4.2"}, axes: []string{"parentalite", "avs"}, cofunding: 6000},
		},
		fiches: 9,
	},
	{
		key: "Montélimar", siren: "200040459", name: "CTG de Montélimar Agglomération 2023-2026", epciName: "Montélimar Agglomération",
		axes: []string{"petite_enfance", "enfance_jeunesse", "parentalite", "avs", "acces_droits", "handicap"},
		signatures: signatories("Montélimar Agglomération",
			ctg.Signatory{Organisation: "Commune de Montélimar", RepresentedBy: "Le maire"},
			ctg.Signatory{Organisation: "Préfecture de la Drôme", RepresentedBy: "Le préfet"}),
		objectives: []ctg.DevObjective{
			{Kind: "nouveau_service", Label: "Crèche à vocation d'insertion professionnelle", Target: 1, Achieved: 1},
			{Kind: "nouveau_service", Label: "Pôle ressources handicap pour les accueils de loisirs", Target: 1, Achieved: 1},
			{Kind: "nouveau_service", Label: "Espaces de vie sociale dans les communes périurbaines", Target: 2, Achieved: 1},
			{Kind: "nouveau_partenariat", Label: "Charte parentalité signée avec les établissements scolaires", Target: 6, Achieved: 4},
			{Kind: "nouvelle_competence", Label: "Compétence petite enfance transférée à l'agglomération", Target: 1, Achieved: 0},
		},
		groups: []group{
			{"Commission petite enfance", "petite_enfance"},
			{"Groupe de travail « Parentalité et réussite éducative »", "parentalite"},
			{"Groupe de travail « Accès aux droits »", "acces_droits"},
			{"Groupe de travail « Handicap et inclusion »", "handicap"},
		},
		posts: []postProfile{
			{first: "Sandrine", she: true, last: "Obert", employer: "Montélimar Agglomération", etp: 100, chef: true,
				functions: []string{"1.1", "1.2", "2.2", "3.1", "3.2"}, cofunding: 24000},
			{first: "Léa", she: true, last: "Vernet", employer: "Commune de Montélimar", etp: 60,
				functions: []string{"2.1", "4.1", "4.2"}, axes: []string{"avs", "acces_droits", "handicap"}, cofunding: 14400},
		},
		fiches: 12,
	},
}
