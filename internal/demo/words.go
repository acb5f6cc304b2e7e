package demo

// Phrase lists: titles and comments are assembled from them so that four
// years of records read like a real journal without a single real person.

// topics are the subjects an officer works on, by axis; they end up in
// titles ("Réunion de veille – accueil du jeune enfant").
var topics = map[string][]string{
	"petite_enfance": {"accueil du jeune enfant", "places en crèche", "relais petite enfance",
		"assistantes maternelles", "accueil en horaires atypiques", "projet de micro-crèche",
		"accueil d'urgence des tout-petits", "passerelle crèche-école"},
	"enfance_jeunesse": {"accueil de loisirs du mercredi", "séjours d'été", "espace jeunes",
		"projet éducatif de territoire", "mobilité des adolescents", "conseil municipal des jeunes",
		"animation jeunesse itinérante", "accueil périscolaire"},
	"parentalite": {"lieu d'accueil enfants-parents", "cafés des parents", "accompagnement à la scolarité",
		"médiation familiale", "ateliers parents-enfants", "réseau parentalité", "soutien aux familles monoparentales"},
	"avs": {"projet social du centre social", "espace de vie sociale", "bénévolat associatif",
		"animations de proximité", "agrément EVS", "participation des habitants", "fête de quartier"},
	"logement": {"logement des saisonniers", "prévention des expulsions", "habitat indigne",
		"logement des jeunes actifs", "précarité énergétique", "accès au logement des familles"},
	"acces_droits": {"accès aux droits", "France services", "non-recours aux prestations",
		"permanences Caf", "mobilité vers les services publics", "accueil des primo-demandeurs"},
	"inclusion_numerique": {"démarches en ligne", "conseillers numériques", "équipement numérique des familles",
		"ateliers numériques", "usages des écrans en famille"},
	"handicap": {"inclusion des enfants en situation de handicap", "pôle ressources handicap",
		"accueil en ALSH des enfants à besoins particuliers", "soutien aux aidants familiaux", "répit des parents"},
}

// issues are the new needs a subject record names.
var issues = map[string][]string{
	"petite_enfance": {"manque de places d'accueil en horaires décalés", "départ à la retraite de plusieurs assistantes maternelles",
		"liste d'attente en hausse au multi-accueil", "besoin d'accueil pour les parents en formation",
		"accueil des enfants de familles saisonnières", "difficultés de recrutement d'auxiliaires de puériculture"},
	"enfance_jeunesse": {"adolescents sans solution l'été", "fermeture de l'accueil de loisirs le mercredi matin",
		"difficulté de recrutement d'animateurs", "jeunes isolés dans les hameaux",
		"décrochage scolaire repéré au collège", "manque de transport vers les activités sportives"},
	"parentalite": {"isolement des familles monoparentales", "hausse des conflits familiaux signalés par les écoles",
		"parents éloignés des lieux ressources", "demande d'accompagnement autour des écrans",
		"pères peu présents dans les actions parentalité", "besoin de soutien après une séparation"},
	"avs": {"essoufflement des bénévoles", "absence de lieu d'animation dans les villages",
		"baisse de fréquentation des animations collectives", "besoin de coordination entre associations",
		"isolement des personnes âgées et des jeunes retraités", "demande d'un lieu de rencontre pour les nouveaux arrivants"},
	"logement": {"familles saisonnières sans logement stable", "augmentation des impayés de loyer",
		"logements énergivores occupés par des familles", "jeunes actifs sans solution de logement"},
	"acces_droits": {"non-recours à la prime d'activité", "éloignement des points d'accueil",
		"délais de traitement ressentis par les familles", "méconnaissance des aides aux vacances"},
	"inclusion_numerique": {"familles sans équipement pour les démarches", "zones blanches sur le plateau",
		"parents démunis face à l'espace numérique de travail"},
	"handicap": {"refus d'accueil d'enfants à besoins particuliers", "épuisement des parents aidants",
		"manque de formation des équipes d'animation au handicap", "délais d'attente pour un diagnostic",
		"fratries d'enfants handicapés peu accompagnées"},
}

// projects are the projects an officer helps along, by axis.
var projects = map[string][]string{
	"petite_enfance": {"Ouverture d'une micro-crèche", "Création d'un RPE itinérant", "Accueil en horaires élargis au multi-accueil",
		"Crèche à vocation d'insertion professionnelle", "Jardin d'éveil"},
	"enfance_jeunesse": {"Espace jeunes intercommunal", "Mini-séjours d'été mutualisés", "Navette jeunesse vers les activités",
		"Projet éducatif de territoire", "Chantiers jeunes"},
	"parentalite": {"LAEP itinérant", "Café des parents", "Semaine de la parentalité", "Groupe de parole de parents d'ados",
		"Ateliers de médiation familiale"},
	"avs": {"Préfiguration d'un espace de vie sociale", "Renouvellement du projet social", "Tiers-lieu associatif",
		"Fête intergénérationnelle", "Formation des bénévoles"},
	"logement": {"Plateforme logement saisonniers", "Diagnostic précarité énergétique", "Mise en place d'une commission de prévention des expulsions",
		"Colocation solidaire pour jeunes actifs"},
	"acces_droits": {"Rendez-vous des droits itinérants", "Permanences Caf en France services", "Bus des services publics",
		"Guichet unique des familles"},
	"inclusion_numerique": {"Ateliers numériques parents-enfants", "Point numérique Caf", "Prêt de tablettes aux familles"},
	"handicap":            {"Accueil inclusif en ALSH", "Formation des équipes au handicap", "Temps de répit pour les parents aidants"},
}

var initiatives = []string{"repair café", "boîte à livres", "troc de vêtements d'enfants", "jardin partagé",
	"groupe de parole de parents", "pédibus vers l'école", "ludothèque de rue", "atelier cuisine du monde",
	"sorties familles autofinancées", "covoiturage des parents", "bourse aux jouets", "veillée contes"}

var copilThemes = []string{"programmation annuelle", "suivi du plan d'actions", "bilan de l'année écoulée",
	"point d'étape sur les fiches prioritaires", "arbitrages financiers", "présentation des indicateurs"}

var cotechThemes = []string{"suivi des fiches actions", "préparation des arbitrages", "état des financements",
	"mise à jour du tableau de bord", "point sur les alertes en cours"}

var networkThemes = []string{"échange de pratiques sur l'évaluation", "outils de suivi des indicateurs",
	"journée départementale des coopérateurs", "animation de la participation des habitants",
	"présentation du schéma départemental des services aux familles", "formation à l'animation de groupes",
	"partage des supports d'information"}

var cdsfThemes = []string{"séance plénière", "commission petite enfance", "commission parentalité",
	"comité des financeurs", "commission jeunesse", "suivi du schéma départemental"}

var decisionVerbs = []string{"Validation de la démarche :", "Accord de principe :", "Lancement d'une étude :",
	"Inscription au plan d'actions :", "Engagement financier :", "Report à l'exercice suivant :",
	"Création d'un groupe projet :", "Élargissement du partenariat :"}

var alertTitles = map[string][]string{
	"blocage":         {"Blocage du projet « %s »", "Projet « %s » à l'arrêt"},
	"non_realisation": {"Action non réalisée : %s", "Abandon envisagé : %s"},
	"retard":          {"Retard sur %s", "Calendrier dépassé : %s"},
	"financement":     {"Financement non bouclé : %s", "Plan de financement fragile : %s"},
	"partenariat":     {"Désengagement d'un partenaire : %s", "Tensions partenariales sur %s"},
	"autre":           {"Point de vigilance : %s", "Difficulté signalée : %s"},
}

var expertiseTitles = map[string][]string{
	"juridique":   {"Analyse juridique : %s", "Éclairage sur le cadre réglementaire – %s"},
	"financiere":  {"Montage financier : %s", "Simulation des financements – %s"},
	"statistique": {"Données d'observation : %s", "Portrait statistique – %s"},
	"technique":   {"Appui technique : %s", "Étude de faisabilité – %s"},
	"pedagogique": {"Apport pédagogique : %s", "Intervention d'un professionnel – %s"},
	"sociale":     {"Regard des travailleurs sociaux : %s", "Expertise sociale – %s"},
	"autre":       {"Témoignage d'un territoire voisin : %s", "Retour d'expérience – %s"},
}

var relaisTitles = map[string][]string{
	"information":      {"Information sur l'appel à projets – %s", "Diffusion des aides Caf – %s"},
	"orientation":      {"Mise en relation avec le conseiller Caf – %s", "Orientation vers le bon interlocuteur – %s"},
	"financement":      {"Relais d'une demande de financement – %s", "Transmission du dossier de subvention – %s"},
	"remontee_besoins": {"Remontée de besoins à la Caf – %s", "Signalement d'un besoin – %s"},
	"autre":            {"Relais divers – %s", "Échange Caf-partenaire – %s"},
}

var appuiTitles = map[string][]string{
	"montage_projet":      {"Appui au montage du projet – %s", "Accompagnement de l'écriture du projet – %s"},
	"demande_financement": {"Aide au dossier de financement – %s", "Relecture de la demande de subvention – %s"},
	"methodologie":        {"Conseil méthodologique – %s", "Appui à la construction d'un questionnaire – %s"},
	"reglementation":      {"Conseil réglementaire – %s", "Point sur le cadre réglementaire – %s"},
	"autre":               {"Conseil ponctuel – %s", "Échange de pratiques – %s"},
}

var ingenierieTitles = map[string][]string{
	"diagnostic": {"Mise à disposition d'une trame de diagnostic – %s", "Cartographie de l'offre – %s"},
	"evaluation": {"Grille d'évaluation partagée – %s", "Outil de suivi des indicateurs – %s"},
	"animation":  {"Kit d'animation de réunion – %s", "Outils participatifs prêtés – %s"},
	"juridique":  {"Modèle de convention de partenariat – %s", "Trame de statuts associatifs – %s"},
	"financiere": {"Tableau de budget prévisionnel – %s", "Simulateur de prestations – %s"},
	"autre":      {"Annuaire partagé des acteurs – %s", "Planning commun des actions – %s"},
}

var supportTitles = map[string][]string{
	"plaquette":       {"Plaquette « %s »", "Dépliant familles : %s"},
	"guide":           {"Guide pratique : %s", "Guide des acteurs – %s"},
	"site_web":        {"Page web de la CTG : %s", "Rubrique en ligne – %s"},
	"reseaux_sociaux": {"Publication sur les réseaux sociaux : %s", "Série de posts – %s"},
	"lettre":          {"Lettre d'information de la CTG – %s", "Newsletter des partenaires : %s"},
	"tableau_bord":    {"Tableau de bord : %s", "Indicateurs partagés – %s"},
	"annuaire":        {"Annuaire des acteurs ressources – %s", "Carnet d'adresses – %s"},
	"video":           {"Vidéo de présentation : %s", "Capsule vidéo – %s"},
	"autre":           {"Affiche : %s", "Exposition itinérante – %s"},
}

var (
	electedTitles = []string{"Présentation aux élus de %s : %s", "Point en conseil municipal de %s : %s",
		"Explication aux élus de %s – %s"}
	partnerTitles = []string{"Présentation aux partenaires : %s (%s)", "Temps d'information des partenaires – %s, %s",
		"Explication du dispositif aux acteurs de terrain : %s, %s"}
)

// dispositifAxis places each dispositif on the axis it mainly serves.
var dispositifAxis = map[string]string{
	"sppe": "petite_enfance", "psu": "petite_enfance", "plan_mercredi": "enfance_jeunesse",
	"reaap": "parentalite", "clas": "parentalite", "ps_jeunes": "enfance_jeunesse", "agrement_avs": "avs",
	"prevention_expulsions": "logement", "france_services": "acces_droits", "fonds_publics_territoires": "handicap",
}

var takenHows = []string{"Intégré à la fiche action %s", "Nouvelle étape ajoutée à la fiche %s",
	"Inscrit à l'ordre du jour du Copil et rattaché à la fiche %s", "Pris en charge par le groupe de travail, fiche %s",
	"Validé en Copil : avenant au plan d'actions (fiche %s)"}

// A record's comment is an opening sentence (for a meeting, or for any other
// record), sometimes followed by a next step.
var noteOpen = []string{"Signalé par un partenaire de terrain.", "Demande formulée par la mairie.",
	"Besoin repéré lors d'une permanence.", "Échange téléphonique puis envoi de documents.",
	"Dossier transmis par courriel au partenaire.", "Rencontre sur site avec l'équipe.",
	"Suite à la sollicitation du partenaire.", "Plusieurs familles ont fait la même remarque.",
	"Sujet suivi depuis plusieurs mois.", "Travail mené avec le conseiller territorial Caf."}

var commentOpen = []string{"Échanges constructifs avec les participants.", "Bonne mobilisation des partenaires.",
	"Rencontre à la demande de la commune.", "Sujet déjà évoqué lors de la réunion précédente.",
	"Participation plus faible qu'attendu.", "Réunion organisée en visioconférence.",
	"Les élus présents ont soutenu la démarche.", "Premiers contacts très positifs.",
	"Le partenaire a exprimé des attentes précises.", "Temps d'échange en présence du conseiller territorial Caf.",
	"Plusieurs familles ont témoigné de leurs difficultés.", "Le sujet dépasse le périmètre d'une seule commune."}

var commentNext = []string{"Compte rendu diffusé aux participants.", "Prochaine étape : rencontre avec les élus concernés.",
	"À présenter au prochain comité technique.", "Relance prévue dans un mois.",
	"Données complémentaires demandées à la Caf.", "Point d'étape prévu au prochain Copil.",
	"Proposition de calendrier envoyée aux partenaires.", "Une note de synthèse sera rédigée.",
	"Suivi assuré dans le groupe de travail.", "Documents partagés sur l'espace collaboratif."}

var difficulties = []string{"Le recrutement du personnel qualifié n'aboutit pas.",
	"Le plan de financement n'est pas bouclé : un cofinanceur s'est retiré.",
	"Le local pressenti ne répond pas aux normes d'accueil.",
	"Le portage politique s'est affaibli après le changement d'équipe municipale.",
	"Les partenaires ne s'accordent pas sur le pilotage.",
	"Le calendrier des travaux a glissé de plusieurs mois."}

var surveyComments = map[string][]string{
	"partenaires": {"Les rencontres de la CTG nous aident à savoir vers qui nous tourner.",
		"Encore difficile de savoir qui finance quoi.", "La coordinatrice est très disponible.",
		"Nous manquons d'information sur les appels à projets.", "Les comptes rendus sont utiles.",
		"Le rôle de chaque institution reste flou."},
	"habitants": {"Je ne savais pas qu'il existait un lieu pour les parents.",
		"Les informations arrivent par l'école, c'est pratique.", "Difficile de savoir à qui s'adresser.",
		"La page de la communauté de communes est claire.", "J'aimerais être davantage consulté.",
		"Les permanences sont trop loin de chez moi."},
}

var frenchMonths = []string{"janvier", "février", "mars", "avril", "mai", "juin", "juillet", "août",
	"septembre", "octobre", "novembre", "décembre"}
