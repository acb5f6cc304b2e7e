package exchange_test

import (
	"bytes"
	"testing"
	"time"

	"copilote/internal/civil"
	"copilote/internal/exchange"
	"copilote/internal/nomenclature"
)

// memDoc is a document in memory: a Source to export from and a Sink to
// import into, so that the format is tested without a database.
type memDoc struct {
	cafs          []exchange.Caf
	nomenclatures []exchange.Nomenclature
	partners      []exchange.Partner
	ctgs          []exchange.CTG
	actions       []exchange.Action
	records       []exchange.Record
	updates       []exchange.ActionUpdate
	waves         []exchange.SurveyWave
	evaluations   []exchange.Evaluation
}

func each[T any](vs []T, emit func(*T) error) error {
	for i := range vs {
		if err := emit(&vs[i]); err != nil {
			return err
		}
	}
	return nil
}

func (d *memDoc) Cafs(f func(*exchange.Caf) error) error { return each(d.cafs, f) }
func (d *memDoc) Nomenclatures(f func(*exchange.Nomenclature) error) error {
	return each(d.nomenclatures, f)
}
func (d *memDoc) Partners(f func(*exchange.Partner) error) error           { return each(d.partners, f) }
func (d *memDoc) CTGs(f func(*exchange.CTG) error) error                   { return each(d.ctgs, f) }
func (d *memDoc) Actions(f func(*exchange.Action) error) error             { return each(d.actions, f) }
func (d *memDoc) Records(f func(*exchange.Record) error) error             { return each(d.records, f) }
func (d *memDoc) ActionUpdates(f func(*exchange.ActionUpdate) error) error { return each(d.updates, f) }
func (d *memDoc) SurveyWaves(f func(*exchange.SurveyWave) error) error     { return each(d.waves, f) }
func (d *memDoc) Evaluations(f func(*exchange.Evaluation) error) error     { return each(d.evaluations, f) }

func (d *memDoc) Caf(v *exchange.Caf) error { d.cafs = append(d.cafs, *v); return nil }
func (d *memDoc) Nomenclature(v *exchange.Nomenclature) error {
	d.nomenclatures = append(d.nomenclatures, *v)
	return nil
}
func (d *memDoc) Partner(v *exchange.Partner) error { d.partners = append(d.partners, *v); return nil }
func (d *memDoc) MergePartner(id, into int64) error {
	for i := range d.partners {
		if d.partners[i].ID == id {
			d.partners[i].MergedInto = into
		}
	}
	return nil
}
func (d *memDoc) CTG(v *exchange.CTG) error       { d.ctgs = append(d.ctgs, *v); return nil }
func (d *memDoc) Action(v *exchange.Action) error { d.actions = append(d.actions, *v); return nil }
func (d *memDoc) Record(v *exchange.Record) error { d.records = append(d.records, *v); return nil }
func (d *memDoc) LinkMeeting(id, meeting int64) error {
	for i := range d.records {
		if d.records[i].ID == id {
			d.records[i].MeetingID = meeting
		}
	}
	return nil
}
func (d *memDoc) ActionUpdate(v *exchange.ActionUpdate) error {
	d.updates = append(d.updates, *v)
	return nil
}
func (d *memDoc) SurveyWave(v *exchange.SurveyWave) error { d.waves = append(d.waves, *v); return nil }
func (d *memDoc) Evaluation(v *exchange.Evaluation) error {
	d.evaluations = append(d.evaluations, *v)
	return nil
}

func day(s string) exchange.Date { return exchange.Date(civil.MustParse(s)) }

func at(s string) exchange.Time {
	t, err := time.Parse(time.RFC3339Nano, s)
	if err != nil {
		panic(err)
	}
	return exchange.TimeOf(t)
}

// fixture sets every field of the format at least once: a merged partner
// (merged into a later one), a Caf's own axis, a deleted fiche and a
// deleted record, a decision pointing to a later meeting, a subject with
// its history, a support with its file, an alert raised from an update, a
// survey wave with answers and an evaluation.
func fixture() *memDoc {
	created, updated := at("2024-01-15T09:00:00Z"), at("2024-02-01T10:30:00.123456Z")
	d := &memDoc{}
	d.cafs = []exchange.Caf{{ID: 7, Code: "026", Name: "Caf de la Drôme", Department: "26"}}
	d.nomenclatures = []exchange.Nomenclature{
		{CafID: 7, Kind: "axis", Code: "mobilite", Label: "Mobilité", Position: 9, Active: true},
		{CafID: 7, Kind: "relais_nature", Code: "ancienne", Label: "Ancienne nature", Position: 6, Active: false},
	}
	d.partners = []exchange.Partner{
		{ID: 3, CafID: 7, Name: "Centre social Le Lien (doublon)", Type: "association", MergedInto: 5, CreatedAt: created},
		{ID: 5, CafID: 7, Name: "Centre social Le Lien", Type: "association", SIRET: "44298459300016", CreatedAt: created},
		{ID: 6, CafID: 7, Name: "Mairie de Die", Type: "commune", CreatedAt: created},
	}
	d.ctgs = []exchange.CTG{fixtureCTG(created, updated)}
	d.actions = fixtureActions(created, updated)
	d.records = fixtureRecords(created, updated)
	d.updates = []exchange.ActionUpdate{
		{ID: 1, ActionID: 20, PostID: 11, Date: day("2024-05-01"), Status: "en_cours", Percent: 40, CreatedAt: created},
		{ID: 2, ActionID: 20, PostID: 12, Date: day("2024-09-01"), Status: "bloquee", Percent: 40,
			Difficulties: "Pas de local", AlertRecordID: 105, CreatedAt: updated},
	}
	d.waves = []exchange.SurveyWave{{ID: 4, CTGID: 2, Audience: "partenaires", Kind: "initiale", Date: day("2024-03-01"),
		Closes: day("2024-04-01"), Token: "abcdefgh",
		Responses: []exchange.Response{
			{SubmittedAt: created, Scores: map[string]int{"missions_caf": 4, "moyens": 2}, Comment: "Merci"},
			{SubmittedAt: updated, Scores: map[string]int{"information": 5}},
		}}}
	d.evaluations = []exchange.Evaluation{{ID: 1, PostID: 11, From: day("2023-01-01"), To: day("2026-12-31"),
		Status: "validee", Snapshot: `{"indicators":[]}`, ValidatedAt: updated, CreatedAt: created, UpdatedAt: updated,
		Appraisals: []exchange.Appraisal{{Function: "1.1", Level: "atteint", Comment: "Copil bien tenu"},
			{Function: "2.1", Level: "partiel"}}}}
	return d
}

func fixtureCTG(created, updated exchange.Time) exchange.CTG {
	return exchange.CTG{ID: 2, CafID: 7, Name: "CTG du Diois", EPCISIREN: "242600534", Population: 12226,
		Start: day("2023-01-01"), End: day("2026-12-31"), CreatedAt: created, UpdatedAt: updated,
		Communes:    []exchange.Commune{{INSEE: "26113", Name: "Die", Population: 4500}, {INSEE: "26114", Name: "Divajeu", Population: 500}},
		Signatories: []exchange.Signatory{{Organisation: "Caf de la Drôme"}, {Organisation: "CC du Diois", RepresentedBy: "Le président"}},
		Axes:        []string{"petite_enfance", "mobilite"},
		Objectives:  []exchange.Objective{{ID: 1, Kind: "nouveau_service", Label: "Un RPE itinérant", Target: 1, Achieved: 1}},
		Instances: []exchange.Instance{{ID: 8, Kind: "copil", Name: "Copil de la CTG"},
			{ID: 9, Kind: "groupe_travail", Name: "Groupe petite enfance", Axis: "petite_enfance"}},
		Posts: []exchange.Post{
			{ID: 11, Person: "Claire Chef", Employer: "CC du Diois", ETP: 100, Start: day("2023-01-01"), ChefDeProjet: true,
				AnnualCost: 48000, CafCofunding: 24000, Functions: []string{"1.1", "1.2", "2.1"}, Axes: []string{"petite_enfance"}},
			{ID: 12, Person: "Paul Part", Employer: "Commune de Die", ETP: 50, Start: day("2023-01-01"), End: day("2025-06-30"),
				AnnualCost: 24000, Functions: []string{"3.1", "4.2"}},
		},
		Targets: []exchange.Target{{Indicator: "E32", Year: 0, Value: 2.5}, {Indicator: "E32", Year: 2026, Value: 3.25},
			{Indicator: "S11a", Year: 2024, Value: 6}},
		OpenData: []exchange.OpenData{
			{Level: "commune", Code: "26113", Measure: "NB_Enfants", Year: 2023, Value: ptr(842.0), Raw: "842",
				Source: "foyers_communes.csv", ImportedAt: at("2024-03-01T10:00:00Z")},
			{Level: "epci", Code: "242600534", Measure: "NB_Enfants", Year: 2023, Value: ptr(2034.0), Raw: "2 034",
				Source: "foyers_epci.csv", ImportedAt: at("2024-03-01T10:00:00Z")},
			{Level: "epci", Code: "242600534", Measure: "Part_Pop_Couverte", Year: 2023, Raw: "s",
				Source: "foyers_epci.csv", ImportedAt: at("2024-03-01T10:00:00Z")}}}
}

func ptr[T any](v T) *T { return &v }

func fixtureActions(created, updated exchange.Time) []exchange.Action {
	return []exchange.Action{
		{ID: 20, CTGID: 2, Code: "PE-1", Title: "Ouvrir un RPE itinérant", Axis: "petite_enfance", Objective: "Couvrir le territoire",
			Finding: "Aucun RPE au sud", PilotStructure: "CC du Diois", PilotPerson: "Claire Chef", TargetPublic: "Assistantes maternelles",
			Steps: "Étude, recrutement", Start: day("2023-03-01"), End: day("2025-12-31"), BudgetPlanned: 60000, BudgetActual: 45000,
			CafLever: "Bonus territoire", Priority: true, Status: "bloquee", Progress: 40, CreatedAt: created, UpdatedAt: updated,
			Partners:   []exchange.ActionPartner{{PartnerID: 5, Role: "porteur"}, {PartnerID: 6}},
			Communes:   []string{"26113"},
			Milestones: []exchange.Milestone{{Year: 2024, Label: "Recrutement"}, {Year: 2025, Label: "Ouverture"}},
			Cofunders:  []exchange.Cofunder{{Name: "Département", Amount: 10000}},
			Indicators: []exchange.ActionIndicator{{Label: "Familles touchées", Baseline: 0, Target: 120.5, Achieved: 80}}},
		{ID: 21, CTGID: 2, Code: "PE-1", Title: "Ancienne fiche", Axis: "mobilite", Status: "abandonnee",
			CreatedAt: created, UpdatedAt: updated, DeletedAt: updated},
	}
}

func fixtureRecords(created, updated exchange.Time) []exchange.Record {
	stamp := func(r exchange.Record) exchange.Record {
		r.CTGID, r.CreatedAt, r.UpdatedAt = 2, created, updated
		return r
	}
	return []exchange.Record{
		stamp(exchange.Record{ID: 100, PostID: 11, Kind: "decision", Date: day("2024-03-10"), Title: "Lancer le RPE",
			MeetingID: 103, Axis: "petite_enfance", Facilitated: true}),
		stamp(exchange.Record{ID: 101, PostID: 11, Kind: "sujet", Date: day("2024-01-20"), Title: "Mobilité des jeunes",
			Axis: "mobilite", Status: "prise_en_compte", Origin: "veille_groupes", TakenOn: day("2024-06-01"), TakenHow: "Fiche MOB-1",
			SubjectHistory: []exchange.SubjectStatus{{Status: "identifiee", Date: day("2024-01-20"), PostID: 11},
				{Status: "prise_en_compte", Date: day("2024-06-01"), How: "Fiche MOB-1", PostID: 12}}}),
		stamp(exchange.Record{ID: 102, PostID: 12, Kind: "support", Date: day("2024-04-02"), Title: "Plaquette RPE",
			Nature: "plaquette", Audience: "habitants", Innovative: true, Network: true, Comment: "Tirée à 500 exemplaires",
			Attachment: &exchange.Attachment{Name: "plaquette.pdf", ContentType: "application/pdf", Size: 5, Data: []byte("%PDF-")}}),
		stamp(exchange.Record{ID: 103, PostID: 11, Kind: "reunion", Date: day("2024-03-10"), Title: "Copil de mars",
			Nature: "copil", InstanceID: 8, PartnerIDs: []int64{5, 6},
			Roles: []exchange.Role{{PostID: 11, Role: "animation"}, {PostID: 12, Role: "participation"}}}),
		stamp(exchange.Record{ID: 104, PostID: 12, Kind: "relais", Date: day("2024-05-05"), Nature: "ancienne",
			PartnerIDs: []int64{6}, DeletedAt: updated}),
		stamp(exchange.Record{ID: 105, PostID: 12, Kind: "alerte", Date: day("2024-09-02"), Title: "RPE bloqué",
			Nature: "blocage", Status: "ouverte", MeetingID: 103, ActionID: 20}),
		stamp(exchange.Record{ID: 106, PostID: 11, Kind: "reunion", Date: day("2024-10-01"), Title: "Commission d'admission",
			Nature: "commission_admission", RequestsExamined: 12, PlacesAllocated: 8,
			Roles: []exchange.Role{{PostID: 11, Role: "preparation"}}}),
		stamp(exchange.Record{ID: 107, PostID: 11, Kind: "projet", Date: day("2024-02-01"), Title: "Jardin partagé",
			Axis: "petite_enfance", Facilitated: true, HabitantsConception: true, HabitantsEvaluation: true}),
		stamp(exchange.Record{ID: 108, PostID: 12, Kind: "initiative", Date: day("2024-02-01"), Title: "Café des parents",
			LinkedOn: day("2024-03-01"), LinkedInstanceID: 9}),
		stamp(exchange.Record{ID: 109, PostID: 11, Kind: "expertise", Date: day("2024-02-01"), Title: "Étude juridique",
			Nature: "juridique", InstanceKind: "copil", InstanceID: 8}),
		stamp(exchange.Record{ID: 110, PostID: 11, Kind: "explicitation", Date: day("2024-02-01"), Nature: "sppe", Audience: "elus"}),
	}
}

// national is what every deployment seeds.
var national = exchange.ImportOptions{National: nomenclature.National}

func mustExport(t testing.TB, src exchange.Source) []byte {
	t.Helper()
	var b bytes.Buffer
	if _, err := exchange.Export(src, &b, exchange.ExportOptions{}); err != nil {
		t.Fatalf("export: %v", err)
	}
	return b.Bytes()
}
