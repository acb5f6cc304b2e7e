package synth

// Vocabulary of the generated texts: short, French, per axis where it
// helps a reader recognise what a record is about.

var topics = map[string][]string{
	"petite_enfance":      {"l'accueil du jeune enfant", "la crèche intercommunale", "le relais petite enfance", "les assistantes maternelles", "le taux de couverture en accueil", "la micro-crèche"},
	"enfance_jeunesse":    {"l'accueil de loisirs", "le plan mercredi", "les accueils jeunes", "les séjours d'été", "le projet éducatif de territoire", "l'espace jeunes"},
	"parentalite":         {"le lieu d'accueil enfants-parents", "les actions REAAP", "la médiation familiale", "le CLAS", "les cafés des parents", "le soutien à la parentalité"},
	"avs":                 {"le centre social", "l'espace de vie sociale", "l'agrément du centre social", "le projet social", "les bénévoles de l'EVS"},
	"logement":            {"la prévention des expulsions", "la décence des logements", "l'accès au logement des jeunes", "l'habitat indigne"},
	"acces_droits":        {"l'accès aux droits", "France services", "le non-recours", "les permanences Caf", "le rendez-vous des droits"},
	"inclusion_numerique": {"les conseillers numériques", "l'accompagnement aux démarches en ligne", "l'équipement numérique des familles", "les ateliers numériques"},
	"handicap":            {"l'inclusion des enfants en situation de handicap", "le pôle ressources handicap", "l'accueil en loisirs des enfants handicapés", "le répit des aidants"},
}

var meetingTitles = map[string]string{
	"copil":                "Comité de pilotage de la CTG",
	"cotech":               "Comité technique",
	"groupe_travail":       "Groupe de travail",
	"veille":               "Réunion de veille",
	"diagnostic":           "Atelier du diagnostic partagé",
	"reseau_cooperateurs":  "Réseau des coopérateurs",
	"cdsf":                 "Commission territoriale du CDSF",
	"reunion_publique":     "Réunion publique",
	"commission_admission": "Commission d'admission en crèche",
}

var kindTitles = map[string][]string{
	"decision":      {"Validation de l'action sur ", "Arbitrage budgétaire sur ", "Lancement de l'étude sur ", "Report de l'action sur "},
	"alerte":        {"Retard constaté sur ", "Blocage du financement de ", "Difficulté de partenariat sur ", "Non-réalisation prévue de "},
	"expertise":     {"Analyse juridique sur ", "Étude financière sur ", "Données statistiques sur ", "Appui technique sur "},
	"sujet":         {"Besoin émergent : ", "Manque de places pour ", "Difficultés signalées sur ", "Demande des familles sur "},
	"projet":        {"Projet : ", "Création de ", "Développement de ", "Expérimentation sur "},
	"relais":        {"Information des partenaires sur ", "Orientation vers la Caf pour ", "Remontée de besoins sur "},
	"appui":         {"Appui au montage de ", "Conseil sur le financement de ", "Aide méthodologique pour "},
	"ingenierie":    {"Outil d'évaluation pour ", "Trame de diagnostic sur ", "Ingénierie financière de ", "Animation d'atelier sur "},
	"support":       {"Plaquette sur ", "Guide pratique sur ", "Lettre d'information sur ", "Publication sur ", "Annuaire des acteurs de "},
	"initiative":    {"Initiative d'habitants : ", "Collectif de parents sur ", "Proposition d'habitants sur "},
	"explicitation": {"Présentation aux élus de ", "Présentation aux partenaires de "},
}

var comments = []string{
	"Compte rendu transmis aux participants.",
	"À reprendre lors du prochain comité technique.",
	"Suite à donner par la Caf.",
	"Échanges constructifs, calendrier à préciser.",
	"Point à inscrire à l'ordre du jour du Copil.",
	"Documents partagés sur l'espace collaboratif.",
}

var takenHows = []string{"Inscription dans une fiche action", "Ajout au plan d'actions par avenant", "Création d'un groupe de travail dédié", "Intégration au diagnostic actualisé"}

var firstNames = []string{"Camille", "Julie", "Thomas", "Sophie", "Nicolas", "Claire", "Mathieu", "Émilie", "Julien", "Laure", "Karim", "Nadia", "Pierre", "Aurélie", "Sébastien", "Inès", "Maxime", "Hélène", "Yannick", "Sarah"}

var lastNames = []string{"Martin", "Bernard", "Dubois", "Thomas", "Robert", "Richard", "Petit", "Durand", "Leroy", "Moreau", "Simon", "Laurent", "Lefebvre", "Michel", "Garcia", "David", "Bertrand", "Roux", "Vincent", "Fournier", "Morel", "Girard", "Andre", "Mercier", "Dupont", "Lambert", "Bonnet", "François", "Martinez", "Legrand"}

var associationWords = []string{"Familles rurales", "Les P'tits Loups", "Centre social", "Maison des jeunes et de la culture", "Foyer rural", "Espace de vie sociale", "Ludothèque", "Léo Lagrange", "Francas", "UDAF", "Les Pitchouns", "Relais des parents", "Compagnons bâtisseurs", "Secours populaire", "Maison de quartier"}

var operatorWords = []string{"People&Baby", "Crèches Babilou", "Les Petits Chaperons Rouges", "Éveil & Jeux SARL", "Micro-crèche Les Lutins", "Coopérative Enfance Plus"}

var actionTitles = map[string][]string{
	"petite_enfance":      {"Créer des places d'accueil du jeune enfant", "Structurer le relais petite enfance", "Développer l'accueil en horaires atypiques"},
	"enfance_jeunesse":    {"Harmoniser les accueils de loisirs", "Déployer le plan mercredi", "Ouvrir un espace jeunes"},
	"parentalite":         {"Créer un lieu d'accueil enfants-parents", "Coordonner les actions de soutien à la parentalité", "Développer le CLAS"},
	"avs":                 {"Accompagner l'agrément d'un espace de vie sociale", "Renouveler le projet social du centre social"},
	"logement":            {"Prévenir les expulsions locatives", "Lutter contre l'habitat indécent"},
	"acces_droits":        {"Réduire le non-recours aux droits", "Mailler le territoire de points d'accès aux droits"},
	"inclusion_numerique": {"Accompagner les familles aux démarches en ligne", "Former les aidants numériques"},
	"handicap":            {"Favoriser l'inclusion des enfants handicapés en accueil collectif", "Créer une offre de répit pour les aidants"},
}
