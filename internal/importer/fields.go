// Package importer turns a spreadsheet's rows into the domain's values:
// activity records, partners and fiches actions, exactly as the forms make
// them. It knows the fields of each kind of import, guesses which column
// holds which field, matches values to the nomenclatures and says what is
// wrong by line and column, in French. The store writes what it built,
// through the forms' own functions. No SQL, no HTTP.
package importer

import "copilote/internal/nomenclature"

// Kind is what a file holds.
type Kind string

const (
	Records  Kind = "records"
	Partners Kind = "partners"
	Actions  Kind = "actions"
)

// Kinds in the order the upload form offers them.
var Kinds = []Kind{Records, Partners, Actions}

// Label names a kind in French.
func (k Kind) Label() string {
	switch k {
	case Records:
		return "Enregistrements d'activité (journal)"
	case Partners:
		return "Partenaires"
	case Actions:
		return "Fiches actions"
	}
	return string(k)
}

// Valid tells whether k is a known kind.
func (k Kind) Valid() bool { return k == Records || k == Partners || k == Actions }

// KindList is the pseudo-list of record kinds, matched like a nomenclature.
const KindList nomenclature.Kind = "record_kind"

// Field is one thing a column can hold.
type Field struct {
	Key      string
	Label    string
	Required bool
	// List is the nomenclature its values come from; for a record's
	// nature, audience and status it depends on the line's kind (ByKind).
	List   nomenclature.Kind
	ByKind bool
	Multi  bool   // several values in one cell, separated by ;
	Type   string // "date", "number", "money", "bool" or "" (text)
	Hint   string
	// Synonyms are headers people write for it, folded.
	Synonyms []string
}

var recordFields = []Field{
	{Key: "kind", Label: "Type", List: KindList, Hint: "Réunion, Décision du Copil, Alerte au Copil, Projet…",
		Synonyms: []string{"type", "type d enregistrement", "type d activite", "activite"}},
	{Key: "date", Label: "Date", Required: true, Type: "date", Hint: "JJ/MM/AAAA",
		Synonyms: []string{"date", "jour", "le", "date de l activite", "date de la reunion"}},
	{Key: "post", Label: "Poste", Hint: "nom du/de la chargé(e) de coopération ; votre poste si vide",
		Synonyms: []string{"poste", "charge de cooperation", "chargee de cooperation", "cooperateur", "cooperatrice", "auteur", "agent"}},
	{Key: "title", Label: "Intitulé", Synonyms: []string{"intitule", "titre", "libelle", "objet"}},
	{Key: "comment", Label: "Commentaire", Synonyms: []string{"commentaire", "commentaires", "remarques", "notes", "observations", "compte rendu"}},
	{Key: "nature", Label: "Nature", List: "nature", ByKind: true, Hint: "type de réunion, nature de l'alerte, du relais…",
		Synonyms: []string{"nature", "type de reunion", "categorie"}},
	{Key: "audience", Label: "Public", List: "audience", ByKind: true, Synonyms: []string{"public", "destinataires", "audience"}},
	{Key: "status", Label: "Statut", List: "status", ByKind: true, Synonyms: []string{"statut", "etat"}},
	{Key: "axis", Label: "Axe", List: nomenclature.Axis, Synonyms: []string{"axe", "axe thematique", "thematique", "axe de la ctg"}},
	{Key: "origin", Label: "Origine du sujet", List: nomenclature.SubjectOrigin, Synonyms: []string{"origine", "origine du sujet"}},
	{Key: "instance_kind", Label: "Instance de l'expertise", List: nomenclature.InstanceKind,
		Synonyms: []string{"instance de l expertise", "type d instance"}},
	{Key: "roles", Label: "Rôle en réunion", List: nomenclature.MeetingRole, Multi: true, Hint: "plusieurs séparés par ;",
		Synonyms: []string{"role", "roles", "role en reunion", "role du cooperateur"}},
	{Key: "partners", Label: "Partenaires", Multi: true, Hint: "noms ou SIRET séparés par ;",
		Synonyms: []string{"partenaire", "partenaires", "structures", "partenaires presents"}},
	{Key: "action", Label: "Fiche action (code)", Synonyms: []string{"fiche action", "fiche", "code fiche", "code de la fiche action"}},
	{Key: "facilitated", Label: "Facilité(e) par le coopérateur", Type: "bool", Synonyms: []string{"facilite", "facilitee", "facilitation"}},
	{Key: "innovative", Label: "Innovant", Type: "bool", Synonyms: []string{"innovant", "innovante"}},
	{Key: "network", Label: "Réseau des coopérateurs", Type: "bool", Synonyms: []string{"reseau", "reseau des cooperateurs"}},
	{Key: "hab_conception", Label: "Habitants à la conception", Type: "bool", Synonyms: []string{"habitants conception", "habitants a la conception"}},
	{Key: "hab_evaluation", Label: "Habitants à l'évaluation", Type: "bool", Synonyms: []string{"habitants evaluation", "habitants a l evaluation"}},
	{Key: "taken_on", Label: "Pris en compte le", Type: "date", Synonyms: []string{"pris en compte le", "date de prise en compte"}},
	{Key: "taken_how", Label: "Comment il a été pris en compte", Synonyms: []string{"comment", "prise en compte"}},
}

var partnerFields = []Field{
	{Key: "name", Label: "Nom", Required: true, Synonyms: []string{"nom", "raison sociale", "structure", "partenaire", "nom du partenaire", "denomination"}},
	{Key: "type", Label: "Type", Required: true, List: nomenclature.PartnerType,
		Synonyms: []string{"type", "type de partenaire", "categorie", "nature"}},
	{Key: "siret", Label: "SIRET", Synonyms: []string{"siret", "n siret", "numero siret"}},
}

var actionFields = []Field{
	{Key: "code", Label: "Code", Required: true, Synonyms: []string{"code", "n", "numero", "n fiche", "reference"}},
	{Key: "title", Label: "Intitulé", Required: true, Synonyms: []string{"intitule", "titre", "action", "libelle", "intitule de l action"}},
	{Key: "axis", Label: "Axe", Required: true, List: nomenclature.Axis, Synonyms: []string{"axe", "axe thematique", "thematique"}},
	{Key: "objective", Label: "Objectif", Synonyms: []string{"objectif", "objectifs"}},
	{Key: "finding", Label: "Constat du diagnostic", Synonyms: []string{"constat", "constat du diagnostic", "besoin"}},
	{Key: "pilot_structure", Label: "Structure pilote", Synonyms: []string{"structure pilote", "pilote", "porteur"}},
	{Key: "pilot_person", Label: "Pilote (personne)", Synonyms: []string{"referent", "pilote personne", "personne pilote"}},
	{Key: "target_public", Label: "Public visé", Synonyms: []string{"public", "public vise", "public cible"}},
	{Key: "steps", Label: "Étapes", Synonyms: []string{"etapes", "modalites", "mise en oeuvre"}},
	{Key: "start", Label: "Début", Type: "date", Synonyms: []string{"debut", "date de debut"}},
	{Key: "end", Label: "Fin", Type: "date", Synonyms: []string{"fin", "date de fin", "echeance"}},
	{Key: "budget_planned", Label: "Budget prévu (€)", Type: "money", Synonyms: []string{"budget", "budget prevu", "budget previsionnel", "cout", "cout prevu"}},
	{Key: "budget_actual", Label: "Budget réalisé (€)", Type: "money", Synonyms: []string{"budget realise", "cout reel", "realise"}},
	{Key: "caf_lever", Label: "Levier Caf", Synonyms: []string{"levier caf", "levier"}},
	{Key: "priority", Label: "Prioritaire", Type: "bool", Synonyms: []string{"prioritaire", "priorite"}},
	{Key: "status", Label: "Statut", List: nomenclature.ActionStatus, Synonyms: []string{"statut", "etat", "avancement"}},
	{Key: "partners", Label: "Partenaires", Multi: true, Hint: "noms ou SIRET séparés par ;", Synonyms: []string{"partenaires", "partenaire", "partenaires associes"}},
}

// Fields lists the fields of a kind, in the template's column order.
func Fields(k Kind) []Field {
	switch k {
	case Records:
		return recordFields
	case Partners:
		return partnerFields
	case Actions:
		return actionFields
	}
	return nil
}

// FieldOf returns the field of kind k named key.
func FieldOf(k Kind, key string) (Field, bool) {
	for _, f := range Fields(k) {
		if f.Key == key {
			return f, true
		}
	}
	return Field{}, false
}
