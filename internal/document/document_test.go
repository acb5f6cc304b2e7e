package document

import (
	"encoding/json"
	"reflect"
	"testing"
)

// A validated evaluation keeps its document as JSON: what is read back
// must be what was kept, figures and charts included.
func TestDocumentRoundTripsThroughJSON(t *testing.T) {
	d := Document{Kind: "evaluation_poste", Title: "Évaluation du poste", Meta: []Field{{Label: "Période", Value: "2023 – 2026"}},
		Notices: []string{"Figée le 02/12/2026 par Julien Marcellin."},
		Sections: []Section{{ID: "fonction-1.1", Title: "1.1 Pilotage", Blocks: []Block{
			{Figures: []Figure{{Code: "S11b", Label: "Expertises mobilisées", Value: "7", Target: "8", Status: "en_cours"}}},
			{Chart: &Chart{Kind: "columns", Title: "Par année", Labels: []string{"2023", "2024"}, Series: []Series{{"S11b", []float64{3, 4}}}}},
		}, Sections: []Section{{ID: "appreciation-1.1", Title: "Appréciation", Blocks: []Block{{Text: "Atteint."}}}}}}}
	b, err := json.Marshal(d)
	if err != nil {
		t.Fatal(err)
	}
	var back Document
	if err := json.Unmarshal(b, &back); err != nil {
		t.Fatal(err)
	}
	if !reflect.DeepEqual(d, back) {
		t.Errorf("round trip changed the document:\n%+v\n%+v", d, back)
	}
	if got := back.Outline(); len(got) != 2 || got[1].Depth != 1 || got[1].ID != "appreciation-1.1" {
		t.Errorf("outline %+v", got)
	}
	if got := back.AllFigures(); len(got) != 1 || got[0].Code != "S11b" {
		t.Errorf("figures %+v", got)
	}
}

// Redact leaves out what is marked personal, fields and table columns,
// and the blocks that held nothing else; the document itself is kept.
func TestRedact(t *testing.T) {
	d := Document{Meta: []Field{{"Titulaire", "Élodie Charvet", false}, {"Coût annuel", "48 000 €", true}},
		Sections: []Section{{ID: "cout", Title: "Coût", Blocks: []Block{
			{Fields: []Field{{"Coût sur la période", "96 000 €", true}}},
			{Table: &Table{Head: []string{"Poste", "ETP", "Coût"}, Numeric: []bool{false, true, true}, Personal: []bool{false, false, true},
				Rows: [][]Cell{{{Text: "Élodie Charvet"}, {Text: "1"}, {Text: "48 000 €"}}}}},
			{Text: "Le coût suit le référentiel."}}}}}
	r := d.Redact()
	if len(r.Meta) != 1 || r.Meta[0].Label != "Titulaire" {
		t.Errorf("meta %+v", r.Meta)
	}
	b := r.Sections[0].Blocks
	if len(b) != 2 || b[0].Table == nil || len(b[0].Table.Head) != 2 || len(b[0].Table.Rows[0]) != 2 || b[1].Text == "" {
		t.Errorf("blocks %+v", b)
	}
	if len(d.Meta) != 2 || len(d.Sections[0].Blocks) != 3 || len(d.Sections[0].Blocks[1].Table.Head) != 3 {
		t.Errorf("the document itself changed: %+v", d)
	}
}
