package report_test

import (
	"slices"
	"testing"

	"copilote/internal/chart"
	"copilote/internal/civil"
	"copilote/internal/ctg"
	"copilote/internal/document"
	"copilote/internal/indicator"
	"copilote/internal/nomenclature"
	"copilote/internal/report"
	"copilote/internal/store"
	"copilote/internal/store/storetest"
	"copilote/internal/survey"
)

// The summaries compute E32 from the CTGs' waves themselves: their figure
// must be the dashboards' (store's Caf and national scopes), and their
// spread across CTGs the CTGs' own differences.
func TestSummarySurveysMatchTheIndicators(t *testing.T) {
	storetest.ForEach(t, func(t *testing.T, db *store.DB) {
		f := mustFixture(t, db)
		n := nomenclature.Default
		// the fixture's CTG gains 2 (2 → 4), a second CTG loses 1 (3 → 2);
		// the inhabitants answered an initial wave only
		var second ctg.CTG
		err := db.Write(ctx, 0, func(tx *store.Tx) error {
			second = ctg.CTG{CafID: f.ctg.CafID, Name: "CTG du Royans", Start: f.ctg.Start, End: f.ctg.End}
			if err := tx.CreateCTG(&second, n); err != nil {
				return err
			}
			for _, w := range []struct {
				ctg            int64
				audience, kind string
				day            string
				score          int
			}{
				{f.ctg.ID, survey.Partners, nomenclature.WaveInitial, "2023-03-06", 2},
				{f.ctg.ID, survey.Partners, nomenclature.WaveFinal, "2026-09-21", 4},
				{second.ID, survey.Partners, nomenclature.WaveInitial, "2023-03-06", 3},
				{second.ID, survey.Partners, nomenclature.WaveFinal, "2026-09-21", 2},
				{f.ctg.ID, survey.Residents, nomenclature.WaveInitial, "2023-03-06", 3},
			} {
				wave := survey.Wave{CTGID: w.ctg, Audience: w.audience, Kind: w.kind, Date: civil.MustParse(w.day),
					Closes: civil.MustParse(w.day).AddDays(20)}
				if err := tx.CreateWave(&wave, n); err != nil {
					return err
				}
				scores := map[string]int{}
				for _, it := range survey.Items[w.audience] {
					scores[it.Code] = w.score
				}
				for range 3 {
					if err := tx.AddResponse(wave, &survey.Response{Scores: scores}); err != nil {
						return err
					}
				}
			}
			return nil
		})
		if err != nil {
			t.Fatal(err)
		}
		p := indicator.Period{From: f.ctg.Start, To: f.ctg.End}
		caf, _ := db.CafByCode(ctx, "026")
		for name, sc := range map[string]report.SummaryScope{"caf": {Caf: caf}, "national": {National: true}} {
			doc, err := report.EvaluationSummary(ctx, db, sc, p)
			if err != nil {
				t.Fatal(err)
			}
			scope := indicator.Scope{Kind: indicator.ScopeAll}
			if !sc.National {
				scope = indicator.Scope{Kind: indicator.ScopeCaf, CafCode: "026"}
			}
			res, err := db.Indicators(ctx, scope, p)
			if err != nil {
				t.Fatal(err)
			}
			want, _ := res.Figure(indicator.E32)
			var got []string
			for _, fig := range doc.AllFigures() {
				got = append(got, fig.Code+"="+fig.Value)
			}
			if !slices.Equal(got, []string{"E32=" + chart.Num(*want.Value), "E42=non disponible"}) || *want.Value != 0.5 {
				t.Errorf("%s: figures %v, the dashboards' E32 %v", name, got, *want.Value)
			}
			if row := tableRow(doc, "E32 et E42 d'une CTG à l'autre", "E32"); !slices.Equal(row, []string{"E32", "2", "1", "1", "-1,00", "+2,00"}) {
				t.Errorf("%s: spread of E32 %v", name, row)
			}
		}
	})
}

func tableRow(d document.Document, caption, key string) []string {
	for _, s := range d.Sections {
		for _, b := range s.Blocks {
			if b.Table == nil || b.Table.Caption != caption {
				continue
			}
			for _, r := range b.Table.Rows {
				if r[0].Text == key {
					var out []string
					for _, c := range r {
						out = append(out, c.Text)
					}
					return out
				}
			}
		}
	}
	return nil
}
