package journal

import "copilote/internal/nomenclature"

// Field names a kind-specific input; forms, validation and exports read the
// same Spec so that a kind shows exactly the fields it needs.
type Field string

const (
	FTitle        Field = "title"
	FNature       Field = "nature"
	FAudience     Field = "audience"
	FInstanceKind Field = "instance_kind"
	FAxis         Field = "axis"
	FInstance     Field = "instance"
	FAction       Field = "action"
	FMeeting      Field = "meeting"
	FPartners     Field = "partners"
	FRoles        Field = "roles"
	FFacilitated  Field = "facilitated"
	FInnovative   Field = "innovative"
	FNetwork      Field = "network"
	FHabitants    Field = "habitants"
	FStatus       Field = "status"
	FOrigin       Field = "origin"
	FTaken        Field = "taken"
	FAdmission    Field = "admission"
	FLinked       Field = "linked"
	FFile         Field = "file"
)

// Spec describes one kind of record.
type Spec struct {
	Kind     Kind
	Label    string // French, singular
	Plural   string
	Function string // the framework function it mainly serves
	// NatureKind is the nomenclature of Record.Nature, "" if unused.
	NatureKind   nomenclature.Kind
	NatureLabel  string
	AudienceKind nomenclature.Kind
	StatusKind   nomenclature.Kind
	Fields       []Field
	// Required lists the fields a user must fill besides date and author.
	Required []Field
}

func (s Spec) Uses(f Field) bool  { return has(s.Fields, f) }
func (s Spec) Needs(f Field) bool { return has(s.Required, f) }
func has(fs []Field, f Field) bool {
	for _, x := range fs {
		if x == f {
			return true
		}
	}
	return false
}

// Specs lists the kinds in the order of the framework's functions.
var Specs = []Spec{
	{Kind: Reunion, Label: "Réunion", Plural: "Réunions", Function: "1.1",
		NatureKind: nomenclature.MeetingKind, NatureLabel: "Type de réunion",
		Fields:   []Field{FTitle, FNature, FInstance, FAxis, FRoles, FPartners, FAdmission, FAction},
		Required: []Field{FTitle, FNature, FRoles}},
	{Kind: Decision, Label: "Décision du Copil", Plural: "Décisions du Copil", Function: "1.1",
		Fields:   []Field{FTitle, FAxis, FFacilitated, FMeeting, FAction, FPartners},
		Required: []Field{FTitle}},
	{Kind: Alerte, Label: "Alerte au Copil", Plural: "Alertes au Copil", Function: "1.2",
		NatureKind: nomenclature.AlertNature, NatureLabel: "Nature de l'alerte", StatusKind: nomenclature.AlertStatus,
		Fields:   []Field{FTitle, FNature, FStatus, FAxis, FAction, FMeeting},
		Required: []Field{FTitle, FNature, FStatus}},
	{Kind: Expertise, Label: "Expertise mobilisée", Plural: "Expertises mobilisées", Function: "1.1",
		NatureKind: nomenclature.ExpertiseNature, NatureLabel: "Nature de l'expertise",
		Fields:   []Field{FTitle, FNature, FInstanceKind, FInstance, FAxis, FPartners},
		Required: []Field{FTitle, FNature, FInstanceKind}},
	{Kind: Sujet, Label: "Sujet ou problématique", Plural: "Sujets et problématiques", Function: "1.2",
		StatusKind: nomenclature.SubjectStatus,
		Fields:     []Field{FTitle, FOrigin, FStatus, FTaken, FAxis, FAction},
		Required:   []Field{FTitle, FOrigin, FStatus}},
	{Kind: Explicitation, Label: "Explicitation d'un enjeu ou dispositif", Plural: "Explicitations", Function: "2.2",
		NatureKind: nomenclature.Dispositif, NatureLabel: "Enjeu ou dispositif", AudienceKind: nomenclature.Audience,
		Fields:   []Field{FTitle, FNature, FAudience, FAxis, FPartners},
		Required: []Field{FNature, FAudience}},
	{Kind: Projet, Label: "Projet", Plural: "Projets", Function: "2.2",
		Fields:   []Field{FTitle, FAxis, FFacilitated, FHabitants, FPartners, FAction},
		Required: []Field{FTitle, FAxis}},
	{Kind: Relais, Label: "Relais Caf – partenaires", Plural: "Relais Caf – partenaires", Function: "3.1",
		NatureKind: nomenclature.RelaisNature, NatureLabel: "Nature du relais",
		Fields:   []Field{FTitle, FNature, FAxis, FPartners},
		Required: []Field{FNature, FPartners}},
	{Kind: Appui, Label: "Appui-conseil à un partenaire", Plural: "Appuis-conseils", Function: "3.2",
		NatureKind: nomenclature.AppuiNature, NatureLabel: "Nature de l'appui",
		Fields:   []Field{FTitle, FNature, FAxis, FPartners},
		Required: []Field{FNature, FPartners}},
	{Kind: Ingenierie, Label: "Ingénierie mise à disposition", Plural: "Ingénieries", Function: "4.1",
		NatureKind: nomenclature.IngenierieNat, NatureLabel: "Nature de l'ingénierie",
		Fields:   []Field{FTitle, FNature, FAxis, FPartners},
		Required: []Field{FTitle, FNature}},
	{Kind: Support, Label: "Support", Plural: "Supports", Function: "4.2",
		NatureKind: nomenclature.SupportKind, NatureLabel: "Type de support", AudienceKind: nomenclature.SupportAudience,
		Fields:   []Field{FTitle, FNature, FAudience, FInnovative, FNetwork, FAxis, FFile},
		Required: []Field{FTitle, FNature, FAudience}},
	{Kind: Initiative, Label: "Initiative citoyenne", Plural: "Initiatives citoyennes", Function: "4.1",
		Fields:   []Field{FTitle, FAxis, FLinked, FPartners},
		Required: []Field{FTitle}},
}

// SpecOf returns the spec of k.
func SpecOf(k Kind) (Spec, bool) {
	for _, s := range Specs {
		if s.Kind == k {
			return s, true
		}
	}
	return Spec{}, false
}
