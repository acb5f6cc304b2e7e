package report

import (
	"reflect"
	"testing"

	"copilote/internal/actionplan"
	"copilote/internal/civil"
)

// A priority fiche goes in the pack when blocked, past its end, or without
// a progress update for three months; done, abandoned and ordinary
// fiches never do.
func TestLateFiches(t *testing.T) {
	today := civil.MustParse("2026-06-15")
	d := civil.MustParse
	actions := []actionplan.Action{
		{ID: 1, Code: "BLOQ", Priority: true, Status: actionplan.Blocked},
		{ID: 2, Code: "ECHUE", Priority: true, Status: actionplan.Ongoing, End: d("2026-05-31")},
		{ID: 3, Code: "MUETTE", Priority: true, Status: actionplan.Ongoing},
		{ID: 4, Code: "JAMAIS", Priority: true, Status: actionplan.Planned},
		{ID: 5, Code: "AJOUR", Priority: true, Status: actionplan.Ongoing, End: d("2026-12-31")},
		{ID: 6, Code: "FINIE", Priority: true, Status: actionplan.Done, End: d("2025-01-01")},
		{ID: 7, Code: "ORDINAIRE", Status: actionplan.Blocked},
		{ID: 8, Code: "RECENTE", Priority: true, Status: actionplan.Planned, Start: d("2026-05-01")},
	}
	last := map[int64]civil.Date{1: d("2026-06-01"), 2: d("2026-06-01"), 3: d("2026-03-14"), 5: d("2026-03-15")}
	got := map[string][]string{}
	for _, l := range LateFiches(actions, last, today) {
		got[l.Action.Code] = l.Reasons
	}
	want := map[string][]string{
		"BLOQ":   {"bloquée"},
		"ECHUE":  {"échéance du 31/05/2026 dépassée"},
		"MUETTE": {"pas de point d'avancement depuis le 14/03/2026"},
		"JAMAIS": {"aucun point d'avancement"},
	}
	if !reflect.DeepEqual(got, want) {
		t.Errorf("late fiches %v, want %v", got, want)
	}
}

func TestAgendaItems(t *testing.T) {
	got := AgendaItems("1. Accueil\r\n- Bilan 2025\n\n  • Fiches en retard  \n* Questions diverses")
	want := []string{"1. Accueil", "Bilan 2025", "Fiches en retard", "Questions diverses"}
	if !reflect.DeepEqual(got, want) {
		t.Errorf("%q", got)
	}
}
