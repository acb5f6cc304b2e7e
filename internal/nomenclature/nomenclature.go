// Package nomenclature lists every "nature" and "type" of the domain. Values
// are codes, never free text, so that breakdowns compare between territories;
// the national values below are seeded in every database and a Caf may add
// its own (store.AddNomenclature).
package nomenclature

// Kind names one list.
type Kind string

const (
	Axis            Kind = "axis"
	PartnerType     Kind = "partner_type"
	InstanceKind    Kind = "instance_kind"
	MeetingKind     Kind = "meeting_kind"
	MeetingRole     Kind = "meeting_role"
	AlertNature     Kind = "alert_nature"
	AlertStatus     Kind = "alert_status"
	ExpertiseNature Kind = "expertise_nature"
	SubjectOrigin   Kind = "subject_origin"
	SubjectStatus   Kind = "subject_status"
	Dispositif      Kind = "dispositif"
	Audience        Kind = "explicitation_audience"
	RelaisNature    Kind = "relais_nature"
	AppuiNature     Kind = "appui_nature"
	IngenierieNat   Kind = "ingenierie_nature"
	SupportKind     Kind = "support_kind"
	SupportAudience Kind = "support_audience"
	ActionStatus    Kind = "action_status"
	ObjectiveKind   Kind = "dev_objective_kind"
	SurveyWaveKind  Kind = "survey_wave_kind"
	Appraisal       Kind = "appraisal"
)

// Value is one entry of a list.
type Value struct {
	Kind  Kind   `json:"kind"`
	Code  string `json:"code"`
	Label string `json:"label"`
}

// KindLabels names each list for the administration pages.
var KindLabels = map[Kind]string{
	Axis:            "Axes thématiques",
	PartnerType:     "Types de partenaires",
	InstanceKind:    "Types d'instances",
	MeetingKind:     "Types de réunions",
	MeetingRole:     "Rôles en réunion",
	AlertNature:     "Natures d'alertes",
	AlertStatus:     "Statuts d'alertes",
	ExpertiseNature: "Natures d'expertises",
	SubjectOrigin:   "Origines des sujets",
	SubjectStatus:   "Statuts des sujets",
	Dispositif:      "Enjeux et dispositifs",
	Audience:        "Publics des explicitations",
	RelaisNature:    "Natures de relais",
	AppuiNature:     "Natures d'appui-conseil",
	IngenierieNat:   "Natures d'ingénierie",
	SupportKind:     "Types de supports",
	SupportAudience: "Publics des supports",
	ActionStatus:    "Statuts des fiches actions",
	ObjectiveKind:   "Types d'objectifs de développement",
	SurveyWaveKind:  "Vagues d'enquête",
	Appraisal:       "Appréciations",
}

// Codes used by the counting rules: the indicator engine relies on them, so
// a Caf can add values beside them but never rename them.
const (
	MeetingCopil      = "copil"
	MeetingVeille     = "veille"
	MeetingDiagnostic = "diagnostic"
	MeetingAdmission  = "commission_admission"

	RoleParticipation = "participation"

	SubjectIdentified = "identifiee"
	SubjectTaken      = "prise_en_compte"

	OriginAlert      = "alerte_copil"
	OriginActionPlan = "suivi_plan_actions"
	OriginWatch      = "veille_groupes"
	OriginDiagnostic = "diagnostic_partage"

	AudienceHabitants   = "habitants"
	AudiencePartenaires = "partenaires"
	AudienceElus        = "elus"

	WaveInitial      = "initiale"
	WaveIntermediate = "intermediaire"
	WaveFinal        = "finale"
)

// National is the seeded list, in display order.
var National = build(map[Kind][][2]string{
	Axis: {
		{"petite_enfance", "Petite enfance"},
		{"enfance_jeunesse", "Enfance-jeunesse"},
		{"parentalite", "Parentalité"},
		{"avs", "Animation de la vie sociale"},
		{"logement", "Logement"},
		{"acces_droits", "Accès aux droits"},
		{"inclusion_numerique", "Inclusion numérique"},
		{"handicap", "Handicap"},
	},
	PartnerType: {
		{"etat", "Institution de l'État"},
		{"education_nationale", "Éducation nationale"},
		{"departement_pmi", "Département / PMI"},
		{"commune", "Commune"},
		{"epci", "EPCI"},
		{"caf_msa", "Caf / MSA"},
		{"association", "Association"},
		{"gestionnaire", "Gestionnaire d'équipement"},
		{"operateur_prive", "Opérateur privé"},
		{"collectif_habitants", "Collectif d'habitants"},
		{"autre", "Autre"},
	},
	InstanceKind: {
		{"copil", "Comité de pilotage (Copil)"},
		{"cotech", "Comité technique"},
		{"groupe_travail", "Groupe de travail"},
		{"reseau_cooperateurs", "Réseau des coopérateurs"},
		{"cdsf", "Instance du CDSF"},
	},
	MeetingKind: {
		{MeetingCopil, "Copil"},
		{"cotech", "Comité technique"},
		{"groupe_travail", "Groupe de travail"},
		{MeetingVeille, "Réunion de veille"},
		{MeetingDiagnostic, "Diagnostic partagé"},
		{"reseau_cooperateurs", "Réseau des coopérateurs"},
		{"cdsf", "Instance du CDSF"},
		{"reunion_publique", "Réunion publique"},
		{MeetingAdmission, "Commission d'admission"},
	},
	MeetingRole: {
		{"preparation", "Préparation"},
		{"animation", "Animation"},
		{"co_animation", "Co-animation"},
		{"releve_decisions", "Relevé de décisions"},
		{"alerte", "Fonction d'alerte"},
		{RoleParticipation, "Participation"},
	},
	AlertNature: {
		{"blocage", "Blocage"},
		{"non_realisation", "Non-réalisation"},
		{"retard", "Retard"},
		{"financement", "Financement"},
		{"partenariat", "Partenariat"},
		{"autre", "Autre"},
	},
	AlertStatus: {
		{"ouverte", "Ouverte"},
		{"traitee", "Traitée"},
		{"close", "Close sans suite"},
	},
	ExpertiseNature: {
		{"juridique", "Juridique"},
		{"financiere", "Financière"},
		{"statistique", "Statistique / observation"},
		{"technique", "Technique"},
		{"pedagogique", "Pédagogique"},
		{"sociale", "Sociale"},
		{"autre", "Autre"},
	},
	SubjectOrigin: {
		{OriginAlert, "Alerte au Copil"},
		{OriginActionPlan, "Suivi du plan d'actions"},
		{OriginWatch, "Veille des groupes de travail"},
		{OriginDiagnostic, "Diagnostic partagé"},
		{"autre", "Autre"},
	},
	SubjectStatus: {
		{SubjectIdentified, "Identifiée"},
		{SubjectTaken, "Prise en compte dans la CTG"},
	},
	Dispositif: {
		{"sppe", "Service public de la petite enfance"},
		{"psu", "Prestation de service unique (PSU)"},
		{"bonus_territoire", "Bonus territoire CTG"},
		{"plan_mercredi", "Plan mercredi"},
		{"reaap", "REAAP / soutien à la parentalité"},
		{"clas", "CLAS"},
		{"ps_jeunes", "Prestation de service jeunes"},
		{"agrement_avs", "Agrément centre social / EVS"},
		{"fonds_publics_territoires", "Fonds publics et territoires"},
		{"prevention_expulsions", "Prévention des expulsions"},
		{"france_services", "France services"},
		{"autre", "Autre"},
	},
	Audience: {
		{AudienceElus, "Élus"},
		{AudiencePartenaires, "Partenaires"},
	},
	RelaisNature: {
		{"information", "Information"},
		{"orientation", "Orientation vers un interlocuteur"},
		{"financement", "Montage financier"},
		{"remontee_besoins", "Remontée de besoins"},
		{"autre", "Autre"},
	},
	AppuiNature: {
		{"montage_projet", "Montage de projet"},
		{"demande_financement", "Demande de financement"},
		{"methodologie", "Méthodologie"},
		{"reglementation", "Réglementation"},
		{"autre", "Autre"},
	},
	IngenierieNat: {
		{"diagnostic", "Appui au diagnostic"},
		{"evaluation", "Appui à l'évaluation"},
		{"animation", "Outils d'animation"},
		{"juridique", "Ingénierie juridique"},
		{"financiere", "Ingénierie financière"},
		{"autre", "Autre"},
	},
	SupportKind: {
		{"plaquette", "Plaquette / dépliant"},
		{"guide", "Guide"},
		{"site_web", "Site ou page web"},
		{"reseaux_sociaux", "Publication sur les réseaux sociaux"},
		{"lettre", "Lettre d'information"},
		{"tableau_bord", "Tableau de bord"},
		{"annuaire", "Annuaire des acteurs ressources"},
		{"video", "Vidéo"},
		{"autre", "Autre"},
	},
	SupportAudience: {
		{AudienceHabitants, "Habitants"},
		{AudiencePartenaires, "Partenaires"},
		{AudienceElus, "Élus"},
		{"cooperateurs", "Coopérateurs"},
	},
	ActionStatus: {
		{"prevue", "Prévue"},
		{"en_cours", "En cours"},
		{"realisee", "Réalisée"},
		{"bloquee", "Bloquée"},
		{"abandonnee", "Abandonnée"},
	},
	ObjectiveKind: {
		{"nouveau_service", "Nouveau service"},
		{"nouveau_partenariat", "Nouveau partenariat"},
		{"nouvelle_competence", "Nouvelle compétence intercommunale"},
	},
	SurveyWaveKind: {
		{WaveInitial, "Initiale"},
		{WaveIntermediate, "Intermédiaire"},
		{WaveFinal, "Finale"},
	},
	Appraisal: {
		{"atteint", "Atteint"},
		{"partiel", "Partiellement atteint"},
		{"non_atteint", "Non atteint"},
	},
})

// Kinds lists the kinds in a stable order.
var Kinds = []Kind{Axis, PartnerType, InstanceKind, MeetingKind, MeetingRole, AlertNature,
	AlertStatus, ExpertiseNature, SubjectOrigin, SubjectStatus, Dispositif, Audience,
	RelaisNature, AppuiNature, IngenierieNat, SupportKind, SupportAudience, ActionStatus,
	ObjectiveKind, SurveyWaveKind, Appraisal}

func build(m map[Kind][][2]string) []Value {
	var out []Value
	for _, k := range Kinds {
		for _, p := range m[k] {
			out = append(out, Value{Kind: k, Code: p[0], Label: p[1]})
		}
	}
	return out
}

// Set is a lookup over the values a Caf sees: the national list and its own.
type Set struct {
	byKind map[Kind][]Value
	label  map[Kind]map[string]string
}

func NewSet(values []Value) *Set {
	s := &Set{byKind: map[Kind][]Value{}, label: map[Kind]map[string]string{}}
	for _, v := range values {
		s.byKind[v.Kind] = append(s.byKind[v.Kind], v)
		if s.label[v.Kind] == nil {
			s.label[v.Kind] = map[string]string{}
		}
		s.label[v.Kind][v.Code] = v.Label
	}
	return s
}

// Default is the national list alone.
var Default = NewSet(National)

func (s *Set) Values(k Kind) []Value { return s.byKind[k] }

func (s *Set) Has(k Kind, code string) bool {
	_, ok := s.label[k][code]
	return ok
}

// Label falls back to the code so that a value removed from a list still
// shows something meaningful in old records.
func (s *Set) Label(k Kind, code string) string {
	if l, ok := s.label[k][code]; ok {
		return l
	}
	return code
}
