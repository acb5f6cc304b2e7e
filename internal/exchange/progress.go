package exchange

import (
	"fmt"
	"io"
	"strconv"
	"strings"
)

// progress prints a line every ProgressEvery records, so that whoever runs
// a national import sees it move.
type progress struct {
	w    io.Writer
	verb string // "import", "export"
}

func newProgress(w io.Writer, verb string) *progress { return &progress{w: w, verb: verb} }

func (p *progress) tick(n int) {
	if p.w != nil && n%ProgressEvery == 0 {
		fmt.Fprintf(p.w, "%s : %s enregistrements…\n", p.verb, Thousands(n))
	}
}

func (p *progress) done(n int) {
	if p.w != nil && n >= ProgressEvery {
		fmt.Fprintf(p.w, "%s : %s enregistrements en tout.\n", p.verb, Thousands(n))
	}
}

// Thousands writes n the French way: 120 000.
func Thousands(n int) string {
	s := strconv.Itoa(n)
	neg := n < 0
	if neg {
		s = s[1:]
	}
	out := make([]byte, 0, len(s)+len(s)/3)
	for i := range len(s) {
		if i > 0 && (len(s)-i)%3 == 0 {
			out = append(out, ' ')
		}
		out = append(out, s[i])
	}
	if neg {
		return "-" + string(out)
	}
	return string(out)
}

// sectionNouns name each section's objects in French, singular and plural.
var sectionNouns = map[string][2]string{
	SecCafs:          {"Caf", "Caf"},
	SecNomenclatures: {"valeur de nomenclature propre", "valeurs de nomenclature propres"},
	SecPartners:      {"partenaire", "partenaires"},
	SecCTGs:          {"CTG", "CTG"},
	SecActions:       {"fiche action", "fiches actions"},
	SecRecords:       {"enregistrement", "enregistrements"},
	SecActionUpdates: {"point d'avancement", "points d'avancement"},
	SecSurveyWaves:   {"vague d'enquête", "vagues d'enquête"},
	SecEvaluations:   {"évaluation", "évaluations"},
}

// Summary says in French what a document held: "1 Caf, 3 CTG, 4 447
// enregistrements…", in the document's order.
func (c Counts) Summary() string {
	var parts []string
	for _, s := range Sections {
		n := c[s]
		noun := sectionNouns[s][0]
		if n > 1 {
			noun = sectionNouns[s][1]
		}
		parts = append(parts, Thousands(n)+" "+noun)
	}
	return strings.Join(parts, ", ")
}
