package exchange_test

import (
	"bytes"
	"encoding/json"
	"errors"
	"fmt"
	"strings"
	"testing"

	"copilote/internal/exchange"
)

// The format alone, without a database: what is exported reads back into
// the same objects, which export to the same bytes.
func TestRoundTripInMemory(t *testing.T) {
	doc1 := mustExport(t, fixture())
	got := &memDoc{}
	counts, err := exchange.Import(bytes.NewReader(doc1), got, national)
	if err != nil {
		t.Fatalf("import: %v", err)
	}
	if counts[exchange.SecRecords] != 11 || counts[exchange.SecPartners] != 3 {
		t.Errorf("counts = %v", counts)
	}
	if doc2 := mustExport(t, got); !bytes.Equal(doc1, doc2) {
		t.Errorf("export → import → export differs:\n%s", firstDiff(doc1, doc2))
	}
	if got.partners[0].MergedInto != 5 || got.records[0].MeetingID != 103 {
		t.Errorf("references further down the file were not linked: merged_into %d, meeting_id %d",
			got.partners[0].MergedInto, got.records[0].MeetingID)
	}
}

// The layout is part of the format: header on the first line, then one
// object per line, so that a line number points at one object.
func TestLayout(t *testing.T) {
	lines := strings.Split(string(mustExport(t, fixture())), "\n")
	want := `{"format":"copilote-exchange","version":1,"framework":"` + exchange.FrameworkVersion() + `",`
	if lines[0] != want {
		t.Errorf("first line = %s, want %s", lines[0], want)
	}
	if lines[1] != `"cafs":[` || !strings.HasPrefix(lines[2], `{"id":7,"code":"026"`) {
		t.Errorf("sections do not open on their own line: %q %q", lines[1], lines[2])
	}
	for i, l := range lines {
		if strings.Contains(l, `"kind":"decision"`) && !strings.HasSuffix(l, "},") {
			t.Errorf("line %d holds more than one record: %s", i+1, l)
		}
	}
}

func TestProgress(t *testing.T) {
	d := fixture()
	base := d.records[len(d.records)-1]
	for i := range 2*exchange.ProgressEvery - len(d.records) {
		r := base
		r.ID = 1000 + int64(i)
		d.records = append(d.records, r)
	}
	var progress bytes.Buffer
	opt := national
	opt.Progress = &progress
	if _, err := exchange.Import(bytes.NewReader(mustExport(t, d)), &memDoc{}, opt); err != nil {
		t.Fatal(err)
	}
	want := "import : 10 000 enregistrements…\nimport : 20 000 enregistrements…\nimport : 20 000 enregistrements en tout.\n"
	if progress.String() != want {
		t.Errorf("progress = %q, want %q", progress.String(), want)
	}
}

// brokenCase damages the fixture's document; the import must stop on the
// damaged object and say, in French, which line, object and field.
type brokenCase struct {
	name    string
	damage  func(doc string) string
	mark    string // text on the line the error must name ("" = no line check)
	path    string // "records[4]"
	field   string // a field at fault ("" when the fault is the document's)
	message string // part of the French message
}

func replace(old, new string) func(string) string {
	return func(doc string) string {
		if !strings.Contains(doc, old) {
			panic("fixture lacks " + old)
		}
		return strings.Replace(doc, old, new, 1)
	}
}

var brokenCases = []brokenCase{
	{"unknown post", replace(`"post_id":12,"kind":"support"`, `"post_id":99,"kind":"support"`),
		`"post_id":99`, "records[2]", "post_id", "poste 99 inconnu"},
	{"bad date", replace(`"date":"2024-04-02"`, `"date":"2024-13-45"`),
		`"2024-13-45"`, "records[2]", "date", "date invalide"},
	{"French date", replace(`"date":"2024-04-02"`, `"date":"02/04/2024"`),
		`"02/04/2024"`, "records[2]", "date", "AAAA-MM-JJ"},
	{"date outside the CTG", replace(`"date":"2024-04-02"`, `"date":"2019-04-02"`),
		`"2019-04-02"`, "records[2]", "date", "période de la convention"},
	{"unknown partner", replace(`"partner_ids":[6]`, `"partner_ids":[66]`),
		`[66]`, "records[4]", "partner_ids", "partenaire 66 inconnu"},
	{"merged partner", replace(`"partner_ids":[6]`, `"partner_ids":[3]`),
		`"partner_ids":[3]`, "records[4]", "partner_ids", "fusionné"},
	{"unknown meeting further down", replace(`"meeting_id":103,"axis"`, `"meeting_id":999,"axis"`),
		`"meeting_id":999`, "records[0]", "meeting_id", "enregistrement 999 inconnu"},
	{"meeting that is not one", replace(`"meeting_id":103,"axis"`, `"meeting_id":107,"axis"`),
		`"meeting_id":107`, "records[0]", "meeting_id", "n'est pas une réunion"},
	{"instance of nowhere", replace(`"instance_id":8,"nature":"juridique"`, `"instance_id":77,"nature":"juridique"`),
		`"instance_id":77,"nature":"juridique"`, "records[9]", "instance_id", "instance 77 inconnue"},
	{"unknown ctg", replace(`"id":4,"ctg_id":2`, `"id":4,"ctg_id":3`),
		`"id":4,"ctg_id":3`, "survey_waves[0]", "ctg_id", "CTG 3 inconnue"},
	{"nomenclature value", replace(`"nature":"plaquette"`, `"nature":"affiche"`),
		`"affiche"`, "records[2]", "nature", "Choisissez une valeur de la liste"},
	{"wrong type", replace(`"etp":50`, `"etp":"50"`),
		`"etp":"50"`, "ctgs[0]", "posts.etp", "attendu un nombre entier"},
	{"unknown field", replace(`"title":"Plaquette RPE"`, `"titre":"Plaquette RPE"`),
		`"titre"`, "records[2]", "titre", "champ inconnu"},
	{"ids going down", replace(`{"id":101,`, `{"id":99,`),
		`{"id":99,`, "records[1]", "id", "vont croissant"},
	{"file size", replace(`"size":5`, `"size":6`),
		`"size":6`, "records[2]", "attachment.size", "taille annoncée"},
	{"score out of range", replace(`"moyens":2`, `"moyens":7`),
		`"moyens":7`, "survey_waves[0]", "responses[0].scores.moyens", "entre 1 et 5"},
	{"unknown alert record", replace(`"alert_record_id":105`, `"alert_record_id":555`),
		`555`, "action_updates[1]", "alert_record_id", "enregistrement 555 inconnu"},
	{"post delegated nothing", replace(`"functions":["3.1","4.2"]`, `"functions":[]`),
		`"functions":[]`, "ctgs[0]", "posts[1].functions", "Déléguez au moins une fonction"},
	{"merged into nobody", replace(`"merged_into":5`, `"merged_into":50`),
		`"merged_into":50`, "partners[0]", "merged_into", "partenaire 50 inconnu"},
	{"two live fiches with one code", replace(`"title":"Ancienne fiche","axis":"mobilite","status":"abandonnee","created_at":"2024-01-15T09:00:00Z","updated_at":"2024-02-01T10:30:00.123456Z","deleted_at":"2024-02-01T10:30:00.123456Z"`,
		`"title":"Ancienne fiche","axis":"mobilite","status":"abandonnee","created_at":"2024-01-15T09:00:00Z","updated_at":"2024-02-01T10:30:00.123456Z"`),
		`"Ancienne fiche"`, "actions[1]", "code", "porte le code"},
	{"truncated", func(doc string) string { return doc[:strings.Index(doc, `{"id":106`)+30] },
		`{"id":106`, "records[6]", "", "tronqué"},
	{"not JSON", replace(`"title":"Plaquette RPE",`, `"title":"Plaquette RPE",,`),
		`"Plaquette RPE",,`, "records[2]", "", "JSON valide"},
	{"other format", replace(`"format":"copilote-exchange"`, `"format":"autre"`),
		`"format":"autre"`, "", "", "n'est pas un document d'échange Copilote"},
	{"other framework", replace(`"framework":"`, `"framework":"v0-`),
		`"framework":"v0-`, "", "", "référentiel"},
	{"sections out of order", func(doc string) string {
		i := strings.Index(doc, "\n\"nomenclatures\":[")
		j := strings.Index(doc, "\n\"partners\":[")
		k := strings.Index(doc, "\n\"ctgs\":[")
		return doc[:i] + doc[j:k] + doc[i:j] + doc[k:]
	}, `"nomenclatures":[`, "", "", "hors de sa place"},
	{"trailing data", func(doc string) string { return doc + "{}" }, "", "", "", "après la fin du document"},
}

func TestBrokenFiles(t *testing.T) {
	doc := string(mustExport(t, fixture()))
	for _, c := range brokenCases {
		t.Run(c.name, func(t *testing.T) {
			bad := c.damage(doc)
			_, err := exchange.Import(strings.NewReader(bad), &memDoc{}, national)
			var e *exchange.Error
			if !errors.As(err, &e) {
				t.Fatalf("err = %v (%T), want an *exchange.Error", err, err)
			}
			checkError(t, e, c, bad)
		})
	}
}

func checkError(t *testing.T, e *exchange.Error, c brokenCase, doc string) {
	t.Helper()
	msg := e.Error()
	if !strings.Contains(msg, c.message) {
		t.Errorf("message %q lacks %q", msg, c.message)
	}
	if e.Path != c.path {
		t.Errorf("path = %q, want %q (%s)", e.Path, c.path, msg)
	}
	if c.field != "" && e.Field(c.field) == "" {
		t.Errorf("field %q not named: %s", c.field, msg)
	}
	if c.mark != "" {
		if want := lineOf(doc, c.mark); e.Line != want {
			t.Errorf("line = %d, want %d (%s)", e.Line, want, msg)
		}
	}
	if !strings.HasPrefix(msg, "ligne ") {
		t.Errorf("message does not start with its line: %s", msg)
	}
}

// lineOf is the 1-based line of the first occurrence of mark.
func lineOf(doc, mark string) int {
	return strings.Count(doc[:strings.Index(doc, mark)], "\n") + 1
}

// A hand-formatted document (objects over several lines) is read the same,
// and an error names the line where the faulty object starts.
func TestIndentedDocument(t *testing.T) {
	var pretty bytes.Buffer
	if err := json.Indent(&pretty, mustExport(t, fixture()), "", "  "); err != nil {
		t.Fatal(err)
	}
	if _, err := exchange.Import(bytes.NewReader(pretty.Bytes()), &memDoc{}, national); err != nil {
		t.Fatalf("indented document refused: %v", err)
	}
	bad := strings.Replace(pretty.String(), `"post_id": 12,`+"\n"+`      "kind": "support"`,
		`"post_id": 99,`+"\n"+`      "kind": "support"`, 1)
	_, err := exchange.Import(strings.NewReader(bad), &memDoc{}, national)
	var e *exchange.Error
	if !errors.As(err, &e) {
		t.Fatalf("err = %v", err)
	}
	start := lineOf(bad, `"id": 102`) - 1 // the "{" above the id
	if e.Line != start || e.Path != "records[2]" {
		t.Errorf("error at line %d, %s; want line %d, records[2]: %v", e.Line, e.Path, start, e)
	}
}

func TestThousands(t *testing.T) {
	for n, want := range map[int]string{0: "0", 999: "999", 1000: "1 000", 120000: "120 000", 10000000: "10 000 000", -4500: "-4 500"} {
		if got := exchange.Thousands(n); got != want {
			t.Errorf("Thousands(%d) = %q, want %q", n, got, want)
		}
	}
}

// firstDiff shows where two documents part.
func firstDiff(a, b []byte) string {
	la, lb := strings.Split(string(a), "\n"), strings.Split(string(b), "\n")
	for i := range min(len(la), len(lb)) {
		if la[i] != lb[i] {
			return fmt.Sprintf("line %d:\n- %s\n+ %s", i+1, la[i], lb[i])
		}
	}
	return fmt.Sprintf("%d lines against %d", len(la), len(lb))
}

// failingSink refuses the third record, as a database would on a fault the
// checks cannot see.
type failingSink struct {
	memDoc
	n int
}

func (s *failingSink) Record(r *exchange.Record) error {
	if s.n++; s.n == 3 {
		return errors.New("disk full")
	}
	return s.memDoc.Record(r)
}

func TestSinkFailureStopsTheImport(t *testing.T) {
	d := fixture()
	for i := range 5000 { // more than the reader queues ahead
		r := d.records[len(d.records)-1]
		r.ID = 1000 + int64(i)
		d.records = append(d.records, r)
	}
	_, err := exchange.Import(bytes.NewReader(mustExport(t, d)), &failingSink{}, national)
	var e *exchange.Error
	if !errors.As(err, &e) || e.Path != "records[2]" || e.ID != 102 || !strings.Contains(e.Error(), "disk full") {
		t.Fatalf("err = %v", err)
	}
}
