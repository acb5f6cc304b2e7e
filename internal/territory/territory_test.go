package territory

import (
	"slices"
	"strings"
	"testing"
)

// Figures below are those of @etalab/decoupage-administratif 6.0.0
// (millésime 2026); a data refresh may move them and then the test says so.

func TestCounts(t *testing.T) {
	if n := CountEPCI(); n < 1200 || n > 1300 {
		t.Errorf("CountEPCI() = %d, want 1200..1300", n)
	}
	if n := CountCommunes(); n < 34000 || n > 35500 {
		t.Errorf("CountCommunes() = %d, want 34000..35500", n)
	}
}

func TestEPCIBySIREN(t *testing.T) {
	tests := []struct {
		siren, name, kind string
		communes          int
	}{
		{"242600534", "CC du Diois", "CC", 50},
		{"200068781", "CA Valence Romans Agglo", "CA", 54},
		{"200046977", "Métropole de Lyon", "MET69", 58},
	}
	for _, tt := range tests {
		e, ok := EPCIBySIREN(tt.siren)
		if !ok {
			t.Errorf("EPCIBySIREN(%q) not found", tt.siren)
			continue
		}
		if e.Name != tt.name || e.Type != tt.kind || len(e.Communes) != tt.communes {
			t.Errorf("EPCIBySIREN(%q) = %q %s with %d communes, want %q %s with %d",
				tt.siren, e.Name, e.Type, len(e.Communes), tt.name, tt.kind, tt.communes)
		}
		if e.Population <= 0 {
			t.Errorf("%s: population %d, want > 0", tt.name, e.Population)
		}
	}
	if _, ok := EPCIBySIREN("000000000"); ok {
		t.Error("EPCIBySIREN(000000000) found an EPCI")
	}
}

// The population of every EPCI must be the sum of its members', and every
// member must be the commune CommuneByINSEE knows, so both views agree.
func TestEPCIPopulationIsSumOfCommunes(t *testing.T) {
	members := 0
	for _, e := range load().epcis {
		sum := 0
		for _, c := range e.Communes {
			sum += c.Population
			if got, ok := CommuneByINSEE(c.INSEE); !ok || got != c {
				t.Fatalf("%s: member %+v, CommuneByINSEE gives %+v, %v", e.Name, c, got, ok)
			}
		}
		if sum != e.Population {
			t.Errorf("%s (%s): population %d, sum of communes %d", e.Name, e.SIREN, e.Population, sum)
		}
		if !slices.IsSortedFunc(e.Communes, func(a, b Commune) int { return strings.Compare(a.INSEE, b.INSEE) }) {
			t.Errorf("%s: communes not sorted by INSEE code", e.Name)
		}
		members += len(e.Communes)
	}
	// Only a few islands and the overseas collectivities are outside any EPCI.
	if outside := CountCommunes() - members; outside < 0 || outside > 200 {
		t.Errorf("%d communes outside any EPCI, want 0..200", outside)
	}
}

func TestCommuneByINSEE(t *testing.T) {
	tests := []struct{ code, name, dept string }{
		{"26113", "Die", "26"},
		{"69123", "Lyon", "69"},
		{"75056", "Paris", "75"},
		{"2a004", "Ajaccio", "2A"},
	}
	for _, tt := range tests {
		c, ok := CommuneByINSEE(tt.code)
		if !ok || c.Name != tt.name || c.Department != tt.dept || c.Population <= 0 {
			t.Errorf("CommuneByINSEE(%q) = %+v, %v; want %s in %s with population > 0", tt.code, c, ok, tt.name, tt.dept)
		}
	}
	// Arrondissements municipaux are not communes actuelles.
	if c, ok := CommuneByINSEE("75101"); ok {
		t.Errorf("CommuneByINSEE(75101) = %+v, want not found", c)
	}
}

func TestSearchEPCI(t *testing.T) {
	for _, q := range []string{"diois", "DIOIS", " Diois ", "du diois", "242600534"} {
		got := SearchEPCI(q, 10)
		if !slices.ContainsFunc(got, func(e EPCI) bool { return e.SIREN == "242600534" }) {
			t.Errorf("SearchEPCI(%q) = %v, want CC du Diois among them", q, names(got))
		}
	}
	// Accents and hyphens in neither query nor name must matter.
	for _, q := range []string{"metropole de lyon", "MÉTROPOLE-DE-LYON"} {
		if got := SearchEPCI(q, 0); len(got) != 1 || got[0].SIREN != "200046977" {
			t.Errorf("SearchEPCI(%q) = %v, want only Métropole de Lyon", q, names(got))
		}
	}
	if got := SearchEPCI("drôme", 0); len(got) < 3 {
		t.Errorf("SearchEPCI(drôme) = %v, want several", names(got))
	}
	if got := SearchEPCI("CC", 5); len(got) != 5 {
		t.Errorf("SearchEPCI(CC, 5) returned %d results, want 5", len(got))
	}
	if got := SearchEPCI("  ", 0); got != nil {
		t.Errorf("SearchEPCI(blank) = %d results, want none", len(got))
	}
	if got := SearchEPCI("agglo", 0); !sortedByName(got) {
		t.Errorf("SearchEPCI(agglo) not sorted by name: %v", names(got))
	}
}

func TestEPCIsInDepartment(t *testing.T) {
	got := EPCIsInDepartment("26")
	// 16 in 2026, counting those that straddle the Ardèche, Vaucluse,
	// Hautes-Alpes and Alpes-de-Haute-Provence.
	if len(got) < 12 || len(got) > 22 {
		t.Errorf("EPCIsInDepartment(26) = %d EPCIs, want 12..22: %v", len(got), names(got))
	}
	if !sortedByName(got) {
		t.Errorf("EPCIsInDepartment(26) not sorted by name: %v", names(got))
	}
	for _, e := range got {
		if !slices.ContainsFunc(e.Communes, func(c Commune) bool { return c.Department == "26" }) {
			t.Errorf("%s has no commune in 26", e.Name)
		}
	}
	if !slices.ContainsFunc(got, func(e EPCI) bool { return e.SIREN == "242600534" }) {
		t.Error("EPCIsInDepartment(26) lacks CC du Diois")
	}
	if n := len(EPCIsInDepartment("2a")); n == 0 {
		t.Error("EPCIsInDepartment(2a) is empty")
	}
	if got := EPCIsInDepartment("00"); len(got) != 0 {
		t.Errorf("EPCIsInDepartment(00) = %v, want none", names(got))
	}
}

// Callers get copies: editing a result must not change the reference.
func TestResultsAreCopies(t *testing.T) {
	e, _ := EPCIBySIREN("242600534")
	e.Communes[0].Name = "changed"
	again, _ := EPCIBySIREN("242600534")
	if again.Communes[0].Name == "changed" {
		t.Error("editing a returned EPCI changed the shared reference")
	}
}

func TestFold(t *testing.T) {
	tests := map[string]string{
		"Saint-Étienne Métropole": "saint etienne metropole",
		"L'Haÿ-les-Roses":         "l hay les roses",
		"Cœur de Drôme":           "coeur de drome",
		"  CC  du   Diois ":       "cc du diois",
		"Sisteronais-Buëch":       "sisteronais buech",
	}
	for in, want := range tests {
		if got := fold(in); got != want {
			t.Errorf("fold(%q) = %q, want %q", in, got, want)
		}
	}
}

func sortedByName(es []EPCI) bool { return slices.IsSortedFunc(es, compareByName) }

func names(es []EPCI) []string {
	out := make([]string, len(es))
	for i, e := range es {
		out[i] = e.Name
	}
	return out
}

// The first load may come from several requests at once; run with -race.
func TestConcurrentFirstUse(t *testing.T) {
	done := make(chan int)
	for range 8 {
		go func() { done <- len(EPCIsInDepartment("26")) + CountCommunes() }()
	}
	first := <-done
	for range 7 {
		if n := <-done; n != first {
			t.Errorf("concurrent callers saw %d and %d", first, n)
		}
	}
}
