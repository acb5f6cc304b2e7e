// Package partner models the organisations a CTG works with. Partners belong
// to a Caf and are shared by its CTGs; a partner is new to a CTG from the
// date of its first involvement in it.
package partner

import (
	"regexp"
	"strings"
	"unicode"

	"golang.org/x/text/runes"
	"golang.org/x/text/transform"
	"golang.org/x/text/unicode/norm"

	"copilote/internal/apperr"
	"copilote/internal/msg"
	"copilote/internal/nomenclature"
)

type Partner struct {
	ID         int64  `json:"id"`
	CafID      int64  `json:"caf_id"`
	Name       string `json:"name"`
	Type       string `json:"type"`
	SIRET      string `json:"siret,omitempty"`
	MergedInto int64  `json:"merged_into,omitempty"`
}

var siretRe = regexp.MustCompile(`^\d{14}$`)

func (p *Partner) Validate(n *nomenclature.Set) error {
	f := apperr.Fields{}
	p.Name = strings.Join(strings.Fields(p.Name), " ")
	p.SIRET = strings.ReplaceAll(p.SIRET, " ", "")
	f.Required("name", p.Name)
	if len(p.Name) > 200 {
		f.Add("name", msg.TooLong, 200)
	}
	if !n.Has(nomenclature.PartnerType, p.Type) {
		f.Add("type", msg.InvalidChoice)
	}
	if p.SIRET != "" && !ValidSIRET(p.SIRET) {
		f.Add("siret", msg.InvalidSIRET)
	}
	return f.Err()
}

// ValidSIRET checks the 14 digits and the Luhn key. La Poste's
// establishments (SIREN 356000000) use another key, accepted here too.
func ValidSIRET(s string) bool {
	if !siretRe.MatchString(s) {
		return false
	}
	if strings.HasPrefix(s, "356000000") {
		sum := 0
		for _, c := range s {
			sum += int(c - '0')
		}
		return sum%5 == 0
	}
	sum := 0
	for i := range 14 {
		d := int(s[13-i] - '0')
		if i%2 == 1 {
			d *= 2
			if d > 9 {
				d -= 9
			}
		}
		sum += d
	}
	return sum%10 == 0
}

// NormalizeName folds case, accents, punctuation and legal-form noise so
// that "Centre social Le Lien" and "CENTRE SOCIAL LE LIEN (association)"
// are seen as likely duplicates.
func NormalizeName(s string) string {
	t := transform.Chain(norm.NFD, runes.Remove(runes.In(unicode.Mn)), norm.NFC)
	s, _, _ = transform.String(t, strings.ToLower(s))
	var b strings.Builder
	for _, w := range strings.FieldsFunc(s, func(r rune) bool { return !unicode.IsLetter(r) && !unicode.IsDigit(r) }) {
		if noise[w] {
			continue
		}
		if b.Len() > 0 {
			b.WriteByte(' ')
		}
		b.WriteString(w)
	}
	return b.String()
}

var noise = map[string]bool{"association": true, "asso": true, "de": true, "du": true, "des": true,
	"la": true, "le": true, "les": true, "l": true, "d": true, "et": true, "sas": true, "sarl": true}
