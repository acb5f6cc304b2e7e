package partner

import (
	"strings"
	"testing"

	"copilote/internal/nomenclature"
)

func TestValidSIRET(t *testing.T) {
	for s, want := range map[string]bool{
		"73282932000074": true,  // a real, published SIRET
		"73282932000075": false, // wrong key
		"7328293200007":  false,
		"35600000000010": true, // La Poste rule
		"abcdefghijklmn": false,
	} {
		if got := ValidSIRET(s); got != want {
			t.Errorf("ValidSIRET(%s) = %v, want %v", s, got, want)
		}
	}
}

func TestNormalizeNameFindsDuplicates(t *testing.T) {
	a := NormalizeName("Centre social « Le Lien »")
	b := NormalizeName("CENTRE SOCIAL LE LIEN (Association)")
	if a != b || a != "centre social lien" {
		t.Errorf("%q vs %q", a, b)
	}
	if NormalizeName("Crèche Éveil") != "creche eveil" {
		t.Errorf("accents not folded: %q", NormalizeName("Crèche Éveil"))
	}
}

func TestValidateGivesFrenchFieldMessages(t *testing.T) {
	p := Partner{Name: "  ", Type: "inconnu", SIRET: "123"}
	err := p.Validate(nomenclature.Default)
	if err == nil {
		t.Fatal("invalid partner accepted")
	}
	e := err.Error()
	for _, want := range []string{"name: Ce champ est obligatoire.", "type: Choisissez une valeur", "siret: Le SIRET compte 14 chiffres"} {
		if !strings.Contains(e, want) {
			t.Errorf("error %q lacks %q", e, want)
		}
	}
	ok := Partner{Name: "Mairie de Die", Type: "commune", SIRET: "732 829 320 00074"}
	if err := ok.Validate(nomenclature.Default); err != nil {
		t.Errorf("valid partner rejected: %v", err)
	}
	if ok.SIRET != "73282932000074" {
		t.Errorf("SIRET not cleaned: %q", ok.SIRET)
	}
}
