package quality

import (
	"strings"
	"testing"

	"copilote/internal/civil"
)

func TestCheck(t *testing.T) {
	today := civil.MustParse("2026-11-27")
	f := Facts{CTGID: 3, CTGName: "CTG du Diois", Start: civil.MustParse("2023-01-01"), End: civil.MustParse("2026-12-31"),
		LastCopil: civil.MustParse("2025-12-10"), LastUpdate: civil.MustParse("2026-05-26"), HasActions: true,
		PostsLastAt: []PostActivity{{1, "Élodie", civil.MustParse("2026-11-20")}, {2, "Thomas", civil.MustParse("2026-08-26")}, {3, "Nina", civil.Date{}}}}
	got := Check(f, today)
	var msgs []string
	for _, w := range got {
		msgs = append(msgs, w.Message)
	}
	want := []string{
		"CTG du Diois : aucun Copil n'est enregistré en 2026.",
		"CTG du Diois : le plan d'actions n'a pas été mis à jour depuis six mois (dernier le 26/05/2026).",
		"CTG du Diois : aucun enregistrement de Thomas depuis trois mois (dernier le 26/08/2026).",
		"CTG du Diois : aucun enregistrement de Nina depuis trois mois (jamais).",
	}
	if strings.Join(msgs, "\n") != strings.Join(want, "\n") {
		t.Errorf("warnings =\n%s\nwant\n%s", strings.Join(msgs, "\n"), strings.Join(want, "\n"))
	}
	f.LastCopil, f.LastUpdate = civil.MustParse("2026-03-01"), civil.MustParse("2026-06-01")
	f.PostsLastAt = f.PostsLastAt[:1]
	if w := Check(f, today); len(w) != 0 {
		t.Errorf("a CTG in order raised %v", w)
	}
	if w := Check(f, civil.MustParse("2027-02-01")); w != nil {
		t.Errorf("an ended convention raised %v", w)
	}
}
