package report

import (
	"context"
	"maps"
	"slices"
	"strconv"
	"strings"

	"copilote/internal/chart"
	"copilote/internal/civil"
	"copilote/internal/ctg"
	"copilote/internal/document"
	"copilote/internal/evaluation"
	"copilote/internal/framework"
	"copilote/internal/indicator"
	"copilote/internal/msg"
	"copilote/internal/nomenclature"
	"copilote/internal/store"
	"copilote/internal/survey"
)

// The views above the post: a CTG's evaluation, and the summaries of a
// Caf's and of every Caf's evaluations. The CTG's names its posts (its
// readers see them every day); the Caf and national summaries count, and
// name no person: their rows are CTGs or Cafs.

// Kinds of the documents above the post.
const (
	KindCTGEvaluation   = "evaluation_ctg"
	KindCafSummary      = "synthese_evaluations_caf"
	KindNationalSummary = "synthese_evaluations_nationale"
)

// CTGEvaluation is the evaluation of a CTG over period p: its posts'
// evaluations and their statuses, its development objectives and figures
// against targets (efficacité), its means and the cost of its cooperation
// per ETP (efficience), and its visibility surveys.
func CTGEvaluation(ctx context.Context, db *store.DB, ctgID int64, p indicator.Period, today civil.Date) (document.Document, error) {
	ctx = store.AtDataVersion(ctx)
	c, err := db.CTG(ctx, ctgID)
	if err != nil {
		return document.Document{}, err
	}
	posts, err := db.Posts(ctx, ctgID)
	if err != nil {
		return document.Document{}, err
	}
	evals, err := db.EvaluationsOfCTG(ctx, ctgID)
	if err != nil {
		return document.Document{}, err
	}
	n, err := db.Nomenclature(ctx, c.CafID)
	if err != nil {
		return document.Document{}, err
	}
	targets, err := db.Targets(ctx, ctgID)
	if err != nil {
		return document.Document{}, err
	}
	res, err := db.Indicators(ctx, indicator.Scope{Kind: indicator.ScopeCTG, CTGID: ctgID}, p)
	if err != nil {
		return document.Document{}, err
	}
	return CTGEvaluationDocument(*c, posts, evals, res, targets, n, p, today), nil
}

// CTGEvaluationDocument writes a CTG's evaluation from what it reads.
func CTGEvaluationDocument(c ctg.CTG, posts []ctg.Post, evals []evaluation.Evaluation, res indicator.Result,
	targets indicator.Targets, n *nomenclature.Set, p indicator.Period, today civil.Date) document.Document {
	period := "du " + p.From.French() + " au " + p.To.French()
	var etp ctg.ETP
	for _, x := range posts {
		etp += x.ETP
	}
	d := document.Document{Kind: KindCTGEvaluation, Title: "Évaluation de la CTG – " + c.Name, Subtitle: period,
		Meta: []document.Field{{Label: "CTG", Value: c.Name}, {Label: "Convention", Value: "du " + c.Start.French() + " au " + c.End.French()},
			{Label: "Période", Value: period}, {Label: "Postes", Value: itoa(len(posts)) + " (" + etp.String() + " ETP)"}}}
	d.Sections = append(d.Sections,
		document.Section{ID: "criteres", Title: "Critères de l'évaluation", Blocks: []document.Block{{Text: msg.Text(msg.SummaryCTGCriteria)}}},
		postsEvaluationsSection(c, posts, evals, n),
		efficacySection(c, res, targets, n, p, today),
		efficiencySection(posts, p),
		surveyBlocks("visibilite", "Visibilité auprès des partenaires et des habitants", res, targets, p, today, n))
	return d
}

func postsEvaluationsSection(c ctg.CTG, posts []ctg.Post, evals []evaluation.Evaluation, n *nomenclature.Set) document.Section {
	t := &document.Table{Caption: "Évaluations des postes et leur statut",
		Head:    []string{"Poste", "Période évaluée", "Statut", "Atteint", "Partiellement atteint", "Non atteint"},
		Numeric: []bool{false, false, false, true, true, true}}
	for _, p := range posts {
		var mine []evaluation.Evaluation
		for _, e := range evals {
			if e.PostID == p.ID {
				mine = append(mine, e)
			}
		}
		if len(mine) == 0 {
			t.Rows = append(t.Rows, []document.Cell{{Text: p.Label()}, {Text: "aucune évaluation"}, {Text: "—"}, {Text: "—"}, {Text: "—"}, {Text: "—"}})
		}
		for _, e := range mine {
			levels := map[string]int{}
			for _, a := range e.Appraisals {
				levels[a.Final()]++
			}
			link := "/ctg/" + strconv.FormatInt(c.ID, 10) + "/evaluations/" + strconv.FormatInt(e.ID, 10)
			t.Rows = append(t.Rows, []document.Cell{{Text: p.Label()}, {Text: e.Describe(), Link: link}, {Text: e.Status.Label()},
				{Text: itoa(levels["atteint"])}, {Text: itoa(levels["partiel"])}, {Text: itoa(levels["non_atteint"])}})
		}
	}
	return document.Section{ID: "postes", Title: "Évaluation des postes", Blocks: []document.Block{{Table: t}}}
}

// efficacySection: the development objectives, and every figure of the
// CTG over the period against its targets.
func efficacySection(c ctg.CTG, res indicator.Result, targets indicator.Targets, n *nomenclature.Set,
	p indicator.Period, today civil.Date) document.Section {
	s := objectivesSection(c)
	s.ID, s.Title = "efficacite", "Efficacité : objectifs de développement et indicateurs"
	fw := framework.Load()
	var figs []document.Figure
	for _, f := range res.Indicators {
		ind, ok := fw.Indicator(f.Code)
		if !ok || ind.Unit == "score" {
			continue // the surveys have their own section
		}
		fig := Figure(ind, f, targets, p, today, keyLabel(n), func(code string) string {
			return "/ctg/" + strconv.FormatInt(c.ID, 10) + "/indicators/" + code + "?from=" + p.From.String() + "&to=" + p.To.String()
		})
		fig.Period = totalLabel
		figs = append(figs, fig)
	}
	s.Blocks = append(s.Blocks, document.Block{Figures: figs})
	return s
}

// efficiencySection: the posts' time and cost over the period.
func efficiencySection(posts []ctg.Post, p indicator.Period) document.Section {
	t := &document.Table{Caption: "Moyens de la coopération sur la période",
		Head:     []string{"Poste", "ETP", "Coût annuel", "Coût sur la période", "Part de la Caf"},
		Numeric:  []bool{false, true, true, true, true},
		Personal: []bool{false, false, true, true, true}}
	var total, caf int64
	var etpYears float64
	for _, x := range posts {
		c := evaluation.PostCost(x, p.From, p.To)
		total, caf, etpYears = total+c.Amount, caf+c.CafShare, etpYears+c.ETPYears
		t.Rows = append(t.Rows, []document.Cell{{Text: x.Person}, {Text: x.ETP.String()}, {Text: euros(x.AnnualCost)},
			{Text: euros(c.Amount)}, {Text: euros(c.CafShare)}})
	}
	return document.Section{ID: "efficience", Title: "Efficience : moyens et coût de la coopération", Blocks: []document.Block{
		{Table: t}, {Fields: costFields(total, caf, etpYears)}, {Text: msg.Text(msg.SummaryCostRule)}}}
}

func costFields(total, caf int64, etpYears float64) []document.Field {
	return []document.Field{
		{Label: "ETP sur la période (en années)", Value: decimal(etpYears)},
		{Label: "Coût de la coopération sur la période", Value: euros(total)},
		{Label: "Part de la Caf", Value: euros(caf) + " (" + itoa(int(evaluation.Share(caf, total))) + " %)"},
		{Label: "Coût par ETP et par an", Value: euros(evaluation.PerETP(total, etpYears))},
	}
}

func decimal(x float64) string { return chart.Num(float64(int64(x*100+0.5)) / 100) }

// Scope of a summary: one Caf, or every Caf (national, aggregated).
type SummaryScope struct {
	Caf      ctg.Caf // zero for the national summary
	National bool
}

// EvaluationSummary is the summary of the evaluations of a Caf, or of
// every Caf, over period p: how many posts are evaluated, the appraisals
// per function, the cost per ETP, E32 and E42 across the CTGs. It names
// no person; the national one has a row per Caf.
func EvaluationSummary(ctx context.Context, db *store.DB, sc SummaryScope, p indicator.Period) (document.Document, error) {
	ctx = store.AtDataVersion(ctx)
	scope := indicator.Scope{Kind: indicator.ScopeAll}
	dbScope := store.Scope{All: true}
	if !sc.National {
		scope = indicator.Scope{Kind: indicator.ScopeCaf, CafCode: sc.Caf.Code}
		dbScope = store.Scope{CafID: sc.Caf.ID}
	}
	facts, err := db.EvaluationFacts(ctx, scope, p)
	if err != nil {
		return document.Document{}, err
	}
	ctgs, err := db.CTGs(ctx, dbScope)
	if err != nil {
		return document.Document{}, err
	}
	var cafs []ctg.Caf
	if sc.National {
		if cafs, err = db.Cafs(ctx); err != nil {
			return document.Document{}, err
		}
	}
	n := nomenclature.Default
	if !sc.National {
		if n, err = db.Nomenclature(ctx, sc.Caf.ID); err != nil {
			return document.Document{}, err
		}
	}
	return SummaryDocument(sc, facts, ctgs, cafs, n, p), nil
}

// group is a row of a summary: a CTG (Caf summary) or a Caf (national).
type group struct {
	name                  string
	ctgs                  map[int64]bool
	posts                 int
	etp                   ctg.ETP
	evaluated             map[int64]bool // posts with a validated evaluation
	cost, caf             int64
	etpYears              float64
	surveys               map[string][]float64 // code → CTG differences
	draft, submitted, ret int
}

func newGroup(name string) *group {
	return &group{name: name, ctgs: map[int64]bool{}, evaluated: map[int64]bool{}, surveys: map[string][]float64{}}
}

// SummaryDocument writes a Caf or national summary from its facts.
func SummaryDocument(sc SummaryScope, f store.EvaluationFacts, ctgs []store.CTGSummary, cafs []ctg.Caf,
	n *nomenclature.Set, p indicator.Period) document.Document {
	groups, order, all := summaryGroups(sc, f, ctgs, cafs)
	period := "du " + p.From.French() + " au " + p.To.French()
	d := document.Document{Kind: KindCafSummary, Title: "Synthèse des évaluations – " + sc.Caf.Name, Subtitle: period}
	if sc.National {
		d.Kind, d.Title = KindNationalSummary, "Synthèse nationale des évaluations"
		d.Notices = []string{msg.Text(msg.SummaryAggregated)}
	}
	d.Meta = []document.Field{{Label: "Période", Value: period}, {Label: "CTG", Value: itoa(len(ctgs))},
		{Label: "Postes présents sur la période", Value: itoa(all.posts) + " (" + all.etp.String() + " ETP)"}}
	if sc.National {
		d.Meta = append([]document.Field{{Label: "Caf", Value: itoa(len(cafs))}}, d.Meta...)
	}
	d.Sections = append(d.Sections, evaluatedSection(sc, groups, order, all), appraisalsSection(f, n),
		document.Section{ID: "cout", Title: "Coût de la coopération", Blocks: []document.Block{
			{Fields: costFields(all.cost, all.caf, all.etpYears)}, {Text: msg.Text(msg.SummaryCostRule)}}},
		surveysAcross(f, p, n))
	return d
}

// summaryGroups sums the facts per row (CTG or Caf) and in all.
func summaryGroups(sc SummaryScope, f store.EvaluationFacts, ctgs []store.CTGSummary, cafs []ctg.Caf) (map[int64]*group, []int64, *group) {
	groups := map[int64]*group{}
	var order []int64
	key := func(ctgID, cafID int64) int64 {
		if sc.National {
			return cafID
		}
		return ctgID
	}
	if sc.National {
		for _, c := range cafs {
			groups[c.ID], order = newGroup(c.Name), append(order, c.ID)
		}
	} else {
		for _, c := range ctgs {
			groups[c.ID], order = newGroup(c.Name), append(order, c.ID)
		}
	}
	all := newGroup("")
	at := func(ctgID, cafID int64) []*group {
		g := groups[key(ctgID, cafID)]
		if g == nil {
			return []*group{all}
		}
		g.ctgs[ctgID] = true
		return []*group{g, all}
	}
	for _, x := range f.Posts {
		c := evaluation.PostCost(x.Post(), f.Period.From, f.Period.To)
		for _, g := range at(x.CTGID, x.CafID) {
			g.posts, g.etp = g.posts+1, g.etp+x.ETP
			g.cost, g.caf, g.etpYears = g.cost+c.Amount, g.caf+c.CafShare, g.etpYears+c.ETPYears
		}
	}
	for _, e := range f.Evaluations {
		for _, g := range at(e.CTGID, e.CafID) {
			switch e.Status {
			case evaluation.Validated:
				g.evaluated[e.PostID] = true
			case evaluation.Draft:
				g.draft++
			case evaluation.Submitted:
				g.submitted++
			case evaluation.Returned:
				g.ret++
			}
		}
	}
	cafOf := map[int64]int64{}
	for _, c := range ctgs {
		cafOf[c.ID] = c.CafID
	}
	for code, diffs := range ctgDifferences(f) {
		for ctgID, v := range diffs {
			for _, g := range at(ctgID, cafOf[ctgID]) {
				g.surveys[code] = append(g.surveys[code], v)
			}
		}
	}
	return groups, order, all
}

func evaluatedSection(sc SummaryScope, groups map[int64]*group, order []int64, all *group) document.Section {
	head := "CTG"
	if sc.National {
		head = "Caf"
	}
	t := &document.Table{Caption: "Postes évalués (évaluation validée), en cours d'évaluation, coût par ETP et E32, E42 moyens, par " + head,
		Head:    []string{head, "Postes", "ETP", "Évalués", "En cours", "Coût par ETP et par an", "E32", "E42"},
		Numeric: []bool{false, true, true, true, true, true, true, true}}
	for _, id := range order {
		g := groups[id]
		if sc.National && g.posts == 0 && len(g.evaluated) == 0 {
			continue // a Caf without any post in the period
		}
		t.Rows = append(t.Rows, []document.Cell{{Text: g.name}, {Text: itoa(g.posts)}, {Text: g.etp.String()},
			{Text: itoa(len(g.evaluated))}, {Text: itoa(g.draft + g.submitted + g.ret)},
			{Text: euros(evaluation.PerETP(g.cost, g.etpYears))}, {Text: meanOf(g.surveys[indicator.E32])}, {Text: meanOf(g.surveys[indicator.E42])}})
	}
	fields := []document.Field{
		{Label: "Postes présents sur la période", Value: itoa(all.posts)},
		{Label: "Postes dont une évaluation est validée", Value: itoa(len(all.evaluated)) + " (" + itoa(int(evaluation.Share(int64(len(all.evaluated)), int64(all.posts)))) + " %)"},
		{Label: "Évaluations en brouillon", Value: itoa(all.draft)},
		{Label: "Évaluations soumises au conseiller", Value: itoa(all.submitted)},
		{Label: "Évaluations renvoyées au coopérateur", Value: itoa(all.ret)},
	}
	return document.Section{ID: "postes", Title: "Postes évalués", Blocks: []document.Block{{Fields: fields}, {Table: t}}}
}

// appraisalsSection counts the final levels of validated evaluations per
// function.
func appraisalsSection(f store.EvaluationFacts, n *nomenclature.Set) document.Section {
	levels := n.Values(nomenclature.Appraisal)
	counts := map[string]map[string]int{}
	for _, a := range f.Appraisals {
		if counts[a.Function] == nil {
			counts[a.Function] = map[string]int{}
		}
		counts[a.Function][a.Level] += a.N
	}
	head := []string{"Fonction"}
	numeric := []bool{false}
	for _, l := range levels {
		head, numeric = append(head, l.Label), append(numeric, true)
	}
	t := &document.Table{Caption: "Appréciations finales par fonction (évaluations validées)", Head: append(head, "Total"),
		Numeric: append(numeric, true)}
	ch := &document.Chart{Kind: "columns", Title: "Appréciations par fonction"}
	series := make([]document.Series, len(levels))
	for i, l := range levels {
		series[i].Name = l.Label
	}
	for _, fn := range framework.Load().Functions() {
		row := []document.Cell{{Text: fn.Code + " " + fn.Title}}
		total := 0
		for i, l := range levels {
			k := counts[fn.Code][l.Code]
			total += k
			row = append(row, document.Cell{Text: itoa(k)})
			series[i].Values = append(series[i].Values, float64(k))
		}
		t.Rows = append(t.Rows, append(row, document.Cell{Text: itoa(total)}))
		ch.Labels = append(ch.Labels, fn.Code)
	}
	ch.Series = series
	s := document.Section{ID: "appreciations", Title: "Appréciations par fonction"}
	if len(f.Appraisals) == 0 {
		s.Blocks = []document.Block{{Text: msg.Text(msg.SummaryNoEvaluation)}, {Table: t}}
		return s
	}
	s.Blocks = []document.Block{{Table: t}, {Chart: ch}}
	return s
}

// ctgDifferences gives, per survey code, each CTG's finale − initiale
// over the period (rule 5), for the CTGs that have both.
func ctgDifferences(f store.EvaluationFacts) map[string]map[int64]float64 {
	out := map[string]map[int64]float64{}
	for code, audience := range map[string]string{indicator.E32: survey.Partners, indicator.E42: survey.Residents} {
		byCTG := map[int64][]indicator.WaveStat{}
		for _, w := range f.Waves[audience] {
			byCTG[w.CTGID] = append(byCTG[w.CTGID], w)
		}
		out[code] = map[int64]float64{}
		for id, ws := range byCTG {
			if fig := indicator.Survey(code, ws, false); fig.Value != nil {
				out[code][id] = *fig.Value
			}
		}
	}
	return out
}

// surveysAcross gives E32 and E42 over the scope (the mean of the CTGs'
// differences, as the dashboards compute it) and how they spread across
// the CTGs.
func surveysAcross(f store.EvaluationFacts, p indicator.Period, n *nomenclature.Set) document.Section {
	res := indicator.Result{Indicators: []indicator.Figure{
		indicator.Survey(indicator.E32, f.Waves[survey.Partners], true),
		indicator.Survey(indicator.E42, f.Waves[survey.Residents], true)}}
	s := surveyBlocks("enquetes", "Visibilité (E32 et E42) dans les CTG", res, nil, p, civil.Date{}, n)
	t := &document.Table{Caption: "E32 et E42 d'une CTG à l'autre",
		Head:    []string{"Indicateur", "CTG avec les deux vagues", "en progrès", "stables ou en recul", "plus faible", "plus forte"},
		Numeric: []bool{false, true, true, true, true, true}}
	diffs := ctgDifferences(f)
	for _, code := range []string{indicator.E32, indicator.E42} {
		vs := slices.Sorted(maps.Values(diffs[code]))
		up := 0
		for _, v := range vs {
			if v > 0 {
				up++
			}
		}
		low, high := "—", "—"
		if len(vs) > 0 {
			low, high = signed(vs[0]), signed(vs[len(vs)-1])
		}
		t.Rows = append(t.Rows, []document.Cell{{Text: code}, {Text: itoa(len(vs))}, {Text: itoa(up)}, {Text: itoa(len(vs) - up)},
			{Text: low}, {Text: high}})
	}
	s.Blocks = append(s.Blocks, document.Block{Table: t}, document.Block{Text: msg.Text(msg.SummarySurveyRule)})
	return s
}

func meanOf(vs []float64) string {
	if len(vs) == 0 {
		return "—"
	}
	sum := 0.0
	for _, v := range vs {
		sum += v
	}
	return signed(sum / float64(len(vs)))
}

// signed writes a survey difference with its sign: "+0,42".
func signed(v float64) string {
	s := strings.ReplaceAll(strconv.FormatFloat(v, 'f', 2, 64), ".", ",")
	if v > 0 {
		s = "+" + s
	}
	return s
}
