package pdf

import (
	"bytes"
	"context"
	"errors"
	"fmt"
	"os"
	"path/filepath"
	"regexp"
	"runtime"
	"strings"
	"testing"
	"time"

	"copilote/internal/document"
	"copilote/internal/pdf/pdftext"
)

// The PDF holds the document's French text, accents included, and its
// figures with their values.
func TestWritePrintsTheDocument(t *testing.T) {
	d := document.Document{Kind: "fiche_poste", Title: "Fiche de poste – Élodie Charvet",
		Meta: []document.Field{{Label: "Employeur", Value: "Communauté de communes du Diois"}},
		Sections: []document.Section{{ID: "missions", Title: "Définition de l'emploi", Blocks: []document.Block{
			{Text: "Développer la coopération entre acteurs « petite enfance » ; coût indicatif 48 000 € par ETP, œuvre commune."},
			{Figures: []document.Figure{{Code: "S11b", Label: "Expertises mobilisées", Value: "7", Target: "8", Status: "en_cours"}}},
		}}}}
	text := pdftext.Text(t, write(t, d))
	for _, want := range []string{"Fiche de poste – Élodie Charvet", "Communauté de communes du Diois",
		"« petite enfance »", "48 000 € par ETP, œuvre commune", "S11b Expertises mobilisées 7 8 en bonne voie", "page 1 / 1"} {
		if !strings.Contains(text, want) {
			t.Errorf("PDF text lacks %q:\n%s", want, text)
		}
	}
	if strings.Contains(text, "Sommaire") {
		t.Error("a document of one section has no table of contents")
	}
}

// A document of several sections opens on a table of contents whose page
// numbers are the pages its sections start on, and every page says
// "page X / Y".
func TestContentsGivesTheSectionsPages(t *testing.T) {
	d := sample(12)
	b := write(t, d)
	pages := pdftext.Pages(t, b)
	if len(pages) < 8 {
		t.Fatalf("sample is %d pages, want a long one", len(pages))
	}
	start := map[string]int{} // section title → first page showing it as a heading
	for i, pg := range pages {
		if !strings.Contains(pg, fmt.Sprintf("page %d / %d", i+1, len(pages))) {
			t.Errorf("page %d lacks its number: %q", i+1, tail(pg))
		}
		for _, s := range d.Outline() { // contents lines end with their page
			if _, seen := start[s.Title]; !seen && regexp.MustCompile(`(?m)^\s*`+regexp.QuoteMeta(s.Title)+`\s*$`).MatchString(pg) {
				start[s.Title] = i + 1
			}
		}
	}
	contents := pdftext.Pages(t, b)[0]
	for _, s := range d.Outline() {
		m := regexp.MustCompile(`(?m)^\s*` + regexp.QuoteMeta(s.Title) + `[ .]*(\d+)\s*$`).FindStringSubmatch(contents)
		if m == nil {
			t.Errorf("contents lack %q", s.Title)
			continue
		}
		if m[1] != fmt.Sprint(start[s.Title]) {
			t.Errorf("contents give %q page %s; it starts on page %d", s.Title, m[1], start[s.Title])
		}
	}
}

// A long table goes on over pages with its header drawn again on each,
// its numbers right-aligned; no page ends on a heading.
func TestTablesBreakCleanly(t *testing.T) {
	rows := make([][]document.Cell, 120)
	for i := range rows {
		rows[i] = []document.Cell{{Text: fmt.Sprintf("Réunion n° %d du groupe de travail « parentalité » à Die", i+1)}, {Text: fmt.Sprint(i * 7)}}
	}
	d := document.Document{Kind: "test", Title: "Tableau long", Sections: []document.Section{
		{ID: "a", Title: "Réunions", Blocks: []document.Block{{Table: &document.Table{Caption: "Toutes les réunions",
			Head: []string{"Réunion", "Participants"}, Numeric: []bool{false, true}, Rows: rows}}}}}}
	b := write(t, d)
	keep(t, "table", b)
	pages := pdftext.Pages(t, b)
	if len(pages) < 3 {
		t.Fatalf("%d pages", len(pages))
	}
	for i, pg := range pages {
		if !regexp.MustCompile(`(?m)^\s*Réunion\s+Participants\s*$`).MatchString(pg) {
			t.Errorf("page %d has no table header", i+1)
		}
		// numbers end at the right margin: the widest line ends with one
		for _, l := range strings.Split(pg, "\n") {
			if strings.Contains(l, "Réunion n° 100 ") && !regexp.MustCompile(`\s693$`).MatchString(l) {
				t.Errorf("row 100 does not end on its number: %q", l)
			}
		}
	}
}

// A heading is never the last line of a page: a section whose heading
// would land at the foot of a page starts on the next.
func TestHeadingsKeepTheirContent(t *testing.T) {
	for filler := 40; filler <= 52; filler++ {
		items := make([]string, filler)
		for i := range items {
			items[i] = fmt.Sprintf("Point %d de l'ordre du jour", i+1)
		}
		d := document.Document{Kind: "test", Title: "Coupures", Sections: []document.Section{
			{ID: "a", Title: "Ordre du jour", Blocks: []document.Block{{List: items}}},
			{ID: "b", Title: "Chiffres depuis le dernier Copil", Blocks: []document.Block{{Table: &document.Table{
				Caption: "Indicateurs", Head: []string{"Code", "Valeur"}, Rows: [][]document.Cell{{{Text: "S11b"}, {Text: "7"}}}}}}},
		}}
		for i, pg := range pdftext.Pages(t, write(t, d)) {
			lines := contentLines(pg)
			if len(lines) > 0 && strings.Contains(lines[len(lines)-1], "Chiffres depuis le dernier Copil") {
				t.Errorf("filler %d: page %d ends on a heading", filler, i+1)
			}
		}
	}
}

// Charts print their values: bars at their end, columns in a table.
func TestChartsPrintTheirValues(t *testing.T) {
	d := document.Document{Kind: "test", Title: "Graphiques", Sections: []document.Section{{ID: "c", Title: "Tendances", Blocks: []document.Block{
		{Chart: &document.Chart{Kind: "bars", Title: "Avancement par axe", Unit: " %", Labels: []string{"Petite enfance", "Parentalité"},
			Series: []document.Series{{Name: "Avancement", Values: []float64{45, 80}}}}},
		{Chart: &document.Chart{Kind: "columns", Title: "Alertes par année", Labels: []string{"2023", "2024", "2025"},
			Series: []document.Series{{Name: "S12b – Alertes", Values: []float64{3, 5.5, 2}}, {Name: "E11 – Décisions", Values: []float64{1, 0, 4}}}}},
	}}}}
	text := pdftext.Text(t, write(t, d))
	for _, want := range []string{"Petite enfance 45 %", "Parentalité 80 %", "Alertes par année : valeurs",
		"2023 2024 2025", "S12b – Alertes 3 5,50 2", "E11 – Décisions 1 0 4"} {
		if !strings.Contains(text, want) {
			t.Errorf("PDF lacks %q:\n%s", want, text)
		}
	}
}

// A request that goes away stops the printing.
func TestWriteStopsWithItsContext(t *testing.T) {
	ctx, cancel := context.WithCancel(context.Background())
	cancel()
	var b bytes.Buffer
	if err := WriteContext(ctx, &b, sample(5)); !errors.Is(err, context.Canceled) || b.Len() != 0 {
		t.Errorf("err %v, %d bytes written", err, b.Len())
	}
}

// A hundred-page document: how long it takes and how much memory it
// holds; COPILOTE_PDF_OUT=dir keeps it for a look.
func TestLongDocument(t *testing.T) {
	if testing.Short() {
		t.Skip("long document")
	}
	d := sample(90)
	runtime.GC()
	var before, after runtime.MemStats
	runtime.ReadMemStats(&before)
	peak := watchHeap()
	start := time.Now()
	var b bytes.Buffer
	if err := Write(&b, d); err != nil {
		t.Fatal(err)
	}
	took := time.Since(start)
	runtime.ReadMemStats(&after)
	n := pageCount(b.Bytes())
	t.Logf("%d pages, %d KB, %v, %d MB allocated, heap peak %d MB", n, b.Len()>>10, took.Round(time.Millisecond),
		(after.TotalAlloc-before.TotalAlloc)>>20, peak()>>20)
	if n < 100 {
		t.Errorf("%d pages, want at least 100", n)
	}
	if took > 20*time.Second {
		t.Errorf("%v for %d pages", took, n)
	}
	keep(t, "long", b.Bytes())
}

// The sample documents, kept for a look with COPILOTE_PDF_OUT=dir.
func TestSamplePDF(t *testing.T) {
	keep(t, "sample", write(t, sample(3)))
}

func write(t *testing.T, d document.Document) []byte {
	t.Helper()
	var b bytes.Buffer
	if err := Write(&b, d); err != nil {
		t.Fatal(err)
	}
	return b.Bytes()
}

func keep(t *testing.T, name string, b []byte) {
	if dir := os.Getenv("COPILOTE_PDF_OUT"); dir != "" {
		if err := os.WriteFile(filepath.Join(dir, name+".pdf"), b, 0o644); err != nil {
			t.Fatal(err)
		}
	}
}

var pagesRe = regexp.MustCompile(`/Type /Pages\s*/Kids \[[^\]]*\]\s*/Count (\d+)`)

func pageCount(b []byte) int {
	var n int
	if m := pagesRe.FindSubmatch(b); m != nil {
		fmt.Sscan(string(m[1]), &n)
	}
	return n
}

// watchHeap samples the heap until its result is called, which returns
// the highest value seen.
func watchHeap() func() uint64 {
	stop, done := make(chan struct{}), make(chan uint64)
	go func() {
		var peak uint64
		var m runtime.MemStats
		tick := time.NewTicker(5 * time.Millisecond)
		defer tick.Stop()
		for {
			runtime.ReadMemStats(&m)
			peak = max(peak, m.HeapAlloc)
			select {
			case <-stop:
				done <- peak
				return
			case <-tick.C:
			}
		}
	}()
	return func() uint64 { close(stop); return <-done }
}

// contentLines are a page's lines but its running head and footer.
func contentLines(page string) []string {
	var out []string
	for _, l := range strings.Split(page, "\n") {
		if strings.TrimSpace(l) == "" || strings.Contains(l, "page ") && strings.Contains(l, "Copilote –") {
			continue
		}
		out = append(out, l)
	}
	if len(out) > 0 {
		out = out[1:] // the running head
	}
	return out
}

func tail(s string) string {
	if len(s) > 200 {
		return s[len(s)-200:]
	}
	return s
}

// sample is a rich document of n sections: texts, lists, fields, figures,
// tables and both kinds of chart, with French text throughout.
func sample(n int) document.Document {
	d := document.Document{Kind: "bilan_annuel", Title: "Bilan annuel 2025 – CTG du Diois",
		Subtitle: "Communauté de communes du Diois, convention 2023 – 2026",
		Meta: []document.Field{{Label: "CTG", Value: "CTG du Diois"}, {Label: "Période", Value: "du 01/01/2025 au 31/12/2025"},
			{Label: "Postes", Value: "Élodie Charvet (0,8 ETP), Mathis Rolland (1 ETP)"}},
		Notices: []string{"Les cibles sont celles de la CTG ; les chiffres se calculent à partir des enregistrements du journal, chacun ouvre sur sa liste dans Copilote."}}
	for i := range n {
		s := document.Section{ID: fmt.Sprintf("s%d", i), Title: fmt.Sprintf("%d. Fonction %d.%d – animation des travaux « enfance-jeunesse »", i+1, i%4+1, i%2+1)}
		s.Blocks = append(s.Blocks,
			document.Block{Text: "Le coopérateur prépare et anime les réunions de l'instance de pilotage, relève les décisions et exerce une fonction d'alerte ; il mobilise l'expertise des partenaires (Caf, MSA, Département) lorsque c'est nécessaire à la prise de décision."},
			document.Block{List: []string{"Préparer l'ordre du jour avec les élus", "Relever et diffuser les décisions sous huit jours", "Suivre les décisions jusqu'à leur réalisation, et alerter le Copil en cas de retard ou de blocage des actions prioritaires de la convention"}},
			document.Block{Figures: []document.Figure{
				{Code: "S11b", Label: "Expertises mobilisées dans le Copil ou les groupes de travail", Period: "2025", Value: fmt.Sprint(7 + i), Target: "8", Baseline: "2", Status: "en_cours", Detail: "juridique 3, financière 4"},
				{Code: "E11", Label: "Décisions facilitées", Period: "2025", Value: "12", Target: "10", Status: "atteint", Detail: "petite enfance 5, parentalité 4, enfance-jeunesse 3"},
				{Code: "E32", Label: "Meilleure visibilité exprimée par les partenaires", Period: "2025", Value: "non disponible", Status: "non_disponible"},
			}},
			document.Block{Table: &document.Table{Caption: "Fiches actions prioritaires", Head: []string{"Code", "Fiche action", "Statut", "Avancement", "Budget"},
				Numeric: []bool{false, false, false, true, true}, Rows: [][]document.Cell{
					{{Text: "PE-1"}, {Text: "Ouvrir un relais petite enfance itinérant sur les communes du haut Diois"}, {Text: "en cours"}, {Text: "45 %"}, {Text: "48\u00a0000 €"}},
					{{Text: "EJ-2"}, {Text: "Accueil de loisirs du mercredi à Luc-en-Diois"}, {Text: "bloquée"}, {Text: "10 %"}, {Text: "12\u00a0500 €"}},
					{{Text: "PA-3"}, {Text: "Café des parents"}, {Text: "réalisée"}, {Text: "100 %"}, {Text: "3\u00a0000 €"}},
				}}},
			document.Block{Chart: &document.Chart{Kind: "columns", Title: "Évolution annuelle", Labels: []string{"2023", "2024", "2025", "2026"},
				Series: []document.Series{{Name: "S12b – Alertes", Values: []float64{3, 5, 2, 4}}, {Name: "E11 – Décisions facilitées", Values: []float64{4, 7, 12, 6}}, {Name: "E22 – Projets facilités", Values: []float64{1, 3, 2.5, 5}}}}},
			document.Block{Chart: &document.Chart{Kind: "bars", Title: "Avancement moyen des fiches par axe", Unit: " %",
				Labels: []string{"Petite enfance", "Enfance-jeunesse", "Parentalité", "Animation de la vie sociale"},
				Series: []document.Series{{Name: "Avancement", Values: []float64{45, 30, 80, 12}}}}},
		)
		if i%3 == 0 {
			s.Sections = append(s.Sections, document.Section{ID: fmt.Sprintf("s%d-a", i), Title: "Appréciation", Blocks: []document.Block{
				{Fields: []document.Field{{Label: "Appréciation", Value: "partiellement atteint"}, {Label: "Commentaire", Value: "Les décisions sont relevées mais leur suivi reste irrégulier ; œuvre à poursuivre."}}}}})
		}
		d.Sections = append(d.Sections, s)
	}
	return d
}
