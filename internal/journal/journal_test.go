package journal

import (
	"strings"
	"testing"

	"copilote/internal/civil"
	"copilote/internal/nomenclature"
)

var ctx = Context{
	Nomenclature: nomenclature.Default,
	Start:        civil.MustParse("2023-01-01"),
	End:          civil.MustParse("2026-12-31"),
	Posts:        map[int64]bool{1: true, 2: true},
}

func TestEveryKindHasASpec(t *testing.T) {
	if len(Specs) != 12 {
		t.Fatalf("%d kinds, want 12", len(Specs))
	}
	for _, s := range Specs {
		for _, r := range s.Required {
			if !s.Uses(r) {
				t.Errorf("%s requires %s but does not use it", s.Kind, r)
			}
		}
	}
}

func TestValidateMeeting(t *testing.T) {
	r := Record{Kind: Reunion, PostID: 1, Date: civil.MustParse("2024-03-05"), Title: "Copil n°3",
		Nature: nomenclature.MeetingCopil, Roles: []Role{{1, "animation"}, {2, "participation"}},
		Facilitated: true, RequestsExamined: 4}
	if err := r.Validate(ctx); err != nil {
		t.Fatalf("valid meeting rejected: %v", err)
	}
	if r.Facilitated || r.RequestsExamined != 0 {
		t.Errorf("fields unused by a Copil meeting were kept: %+v", r)
	}
}

func TestValidateRejectsWithFrenchMessages(t *testing.T) {
	cases := []struct {
		r    Record
		want []string
	}{
		{Record{Kind: Reunion, PostID: 1, Date: civil.MustParse("2024-03-05"), Nature: "copil"},
			[]string{"title: Ce champ est obligatoire.", "roles: Indiquez au moins un rôle"}},
		{Record{Kind: Alerte, PostID: 3, Date: civil.MustParse("2030-01-01"), Title: "x", Nature: "bidon", Status: "ouverte"},
			[]string{"date: La date doit se situer dans la période de la convention (01/01/2023 – 31/12/2026).",
				"post: Ce poste n'appartient pas à cette CTG.", "nature: Choisissez une valeur de la liste."}},
		{Record{Kind: Sujet, PostID: 1, Date: civil.MustParse("2024-03-05"), Title: "x", Origin: "alerte_copil", Status: "prise_en_compte"},
			[]string{"taken_on: Ce champ est obligatoire."}},
		{Record{Kind: Appui, PostID: 1, Date: civil.MustParse("2024-03-05"), Nature: "methodologie"},
			[]string{"partners: Ce champ est obligatoire."}},
		{Record{Kind: "autre"}, []string{"kind: Choisissez"}},
	}
	for _, c := range cases {
		err := c.r.Validate(ctx)
		if err == nil {
			t.Errorf("%s accepted: %+v", c.r.Kind, c.r)
			continue
		}
		for _, w := range c.want {
			if !strings.Contains(err.Error(), w) {
				t.Errorf("%s: error %q lacks %q", c.r.Kind, err, w)
			}
		}
	}
}

func TestSubjectTakenKeepsDate(t *testing.T) {
	r := Record{Kind: Sujet, PostID: 1, Date: civil.MustParse("2024-03-05"), Title: "Accueil des enfants handicapés",
		Origin: "alerte_copil", Status: "prise_en_compte", TakenOn: civil.MustParse("2024-06-01"), TakenHow: "Fiche action 2.3"}
	if err := r.Validate(ctx); err != nil {
		t.Fatal(err)
	}
	if r.TakenOn.String() != "2024-06-01" {
		t.Errorf("taken_on lost: %v", r.TakenOn)
	}
}
