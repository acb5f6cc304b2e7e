package report

import (
	"context"
	"encoding/json"
	"net/url"
	"strconv"
	"strings"
	"time"
	"unicode/utf8"

	"copilote/internal/apperr"
	"copilote/internal/civil"
	"copilote/internal/ctg"
	"copilote/internal/document"
	"copilote/internal/evaluation"
	"copilote/internal/framework"
	"copilote/internal/indicator"
	"copilote/internal/msg"
	"copilote/internal/nomenclature"
	"copilote/internal/store"
)

// KindPostEvaluation is the Kind of a post's evaluation document.
const KindPostEvaluation = "evaluation_poste"

// PostEvaluation builds the evaluation document of evaluation id with
// today's figures: what a draft shows, and what validation freezes. The
// page and the PDF of an evaluation show ShownEvaluation, which is this
// document for an evaluation not validated, and the frozen one otherwise.
func PostEvaluation(ctx context.Context, db *store.DB, id int64, today civil.Date) (document.Document, error) {
	d, err := GatherPostEvaluation(ctx, db, id, today)
	if err != nil {
		return document.Document{}, err
	}
	return PostEvaluationDocument(d), nil
}

// Shown is an evaluation as its page and its PDF show it.
type Shown struct {
	Evaluation evaluation.Evaluation
	// Doc is the frozen document of a validated evaluation, with its
	// notices and a section listing what differs today; otherwise today's.
	Doc document.Document
	// Differences between the frozen figures and today's.
	Differences []evaluation.Difference
	// Version is the data version today's figures were read at: a
	// validation freezes them only if no data moved since.
	Version int64
}

// ShownEvaluation is what the page and the PDF of evaluation id show. A
// validated evaluation renders its snapshot, never recomputed (rule 7):
// today's document is built beside it only to list what differs.
func ShownEvaluation(ctx context.Context, db *store.DB, id int64, today civil.Date) (Shown, error) {
	d, err := GatherPostEvaluation(ctx, db, id, today)
	if err != nil {
		return Shown{}, err
	}
	now := PostEvaluationDocument(d)
	s := Shown{Evaluation: d.Evaluation, Doc: now, Version: d.Version}
	e := d.Evaluation
	if !e.Frozen() {
		s.Doc.Notices = append(s.Doc.Notices, msg.Text(msg.EvaluationLive, e.Status.Label()))
		return s, nil
	}
	var frozen document.Document
	if err := json.Unmarshal([]byte(e.Snapshot), &frozen); err != nil {
		return Shown{}, apperr.Wrap(err, "evaluation snapshot")
	}
	s.Differences = evaluation.Compare(frozen, now)
	frozen.Notices = append(frozen.Notices, msg.Text(msg.EvaluationFrozen, frenchTime(e.ValidatedAt), e.ValidatedByName))
	if len(s.Differences) == 0 {
		frozen.Notices = append(frozen.Notices, msg.Text(msg.EvaluationSame))
	} else {
		frozen.Notices = append(frozen.Notices, msg.Text(msg.EvaluationDiffers, len(s.Differences)))
		frozen.Sections = append(frozen.Sections, differencesSection(s.Differences))
	}
	s.Doc = frozen
	return s, nil
}

// Snapshot is a document as validation stores it.
func Snapshot(d document.Document) (string, error) {
	b, err := json.Marshal(d)
	return string(b), apperr.Wrap(err, "snapshot")
}

// SectionDifferences is the id of the section that lists what differs.
const SectionDifferences = "ecarts"

func differencesSection(ds []evaluation.Difference) document.Section {
	t := &document.Table{Caption: "Écarts entre les chiffres figés et ceux d'aujourd'hui",
		Head: []string{"Section", "Chiffre", "Figé à la validation", "Aujourd'hui"}, Numeric: []bool{false, false, true, true}}
	for _, d := range ds {
		t.Rows = append(t.Rows, []document.Cell{{Text: d.Section}, {Text: d.Item}, {Text: d.Frozen}, {Text: d.Today}})
	}
	return document.Section{ID: SectionDifferences, Title: "Écarts avec les chiffres d'aujourd'hui",
		Blocks: []document.Block{{Text: msg.Text(msg.EvaluationDiffIntro)}, {Table: t}}}
}

// PostEvaluationData is what a post's evaluation shows, read from the
// store at one data version.
type PostEvaluationData struct {
	Evaluation evaluation.Evaluation
	CTG        ctg.CTG
	Post       ctg.Post
	Nom        *nomenclature.Set
	Targets    indicator.Targets
	// Years are the post's figures per calendar year of the period (the
	// first and last clipped to it), Total over the whole period.
	Years []Slice
	Total indicator.Result
	// CTG holds the CTG's figures over the period: its surveys (E32, E42)
	// are the CTG's, whatever the post's delegation.
	CTGResult indicator.Result
	Today     civil.Date
	Version   int64
}

// Slice is the figures of one part of a period.
type Slice struct {
	Label  string
	Period indicator.Period
	Result indicator.Result
}

// GatherPostEvaluation reads everything evaluation id shows. The post's
// figures are its own (store's post scope: what it authored, the
// meetings where it had a role) and cover its delegation only (rule 2).
func GatherPostEvaluation(ctx context.Context, db *store.DB, id int64, today civil.Date) (PostEvaluationData, error) {
	ctx = store.AtDataVersion(ctx)
	d := PostEvaluationData{Today: today}
	var err error
	if d.Version, err = db.DataVersion(ctx); err != nil {
		return d, err
	}
	if d.Evaluation, err = db.Evaluation(ctx, id); err != nil {
		return d, err
	}
	if d.Post, err = db.Post(ctx, d.Evaluation.PostID); err != nil {
		return d, err
	}
	c, err := db.CTG(ctx, d.Post.CTGID)
	if err != nil {
		return d, err
	}
	d.CTG = *c
	if d.Nom, err = db.Nomenclature(ctx, c.CafID); err != nil {
		return d, err
	}
	if d.Targets, err = db.Targets(ctx, c.ID); err != nil {
		return d, err
	}
	period := indicator.Period{From: d.Evaluation.From, To: d.Evaluation.To}
	scope := indicator.Scope{Kind: indicator.ScopePost, PostID: d.Post.ID}
	for _, s := range yearSlices(period) {
		if s.Result, err = db.Indicators(ctx, scope, s.Period); err != nil {
			return d, err
		}
		d.Years = append(d.Years, s)
	}
	if d.Total, err = db.Indicators(ctx, scope, period); err != nil {
		return d, err
	}
	d.CTGResult, err = db.Indicators(ctx, indicator.Scope{Kind: indicator.ScopeCTG, CTGID: c.ID}, period)
	return d, err
}

// yearSlices cuts a period at the new years.
func yearSlices(p indicator.Period) []Slice {
	var out []Slice
	for y := p.From.Year; y <= p.To.Year; y++ {
		s := indicator.Period{From: civil.Later(p.From, civil.YearStart(y)), To: civil.Earlier(p.To, civil.YearEnd(y))}
		label := strconv.Itoa(y)
		if s.From != civil.YearStart(y) || s.To != civil.YearEnd(y) {
			label += ", du " + s.From.French() + " au " + s.To.French()
		}
		out = append(out, Slice{Label: label, Period: s})
	}
	return out
}

// totalLabel is the Period of the figures over the whole evaluated period.
const totalLabel = "toute la période"

// PostEvaluationDocument writes the evaluation of a post: its frame, each
// delegated function (figures year by year and in total, activities and
// attendus of Tableau 1, appraisals), the CTG's development objectives
// and surveys, the post's cost and the qualitative review.
func PostEvaluationDocument(d PostEvaluationData) document.Document {
	e, p, c := d.Evaluation, d.Post, d.CTG
	doc := document.Document{Kind: KindPostEvaluation, Title: "Évaluation du poste " + of(p.Person),
		Subtitle: c.Name + ", " + e.Describe(),
		Meta: append(postFields(c, p, false), document.Field{Label: "Période évaluée", Value: e.Describe()},
			document.Field{Label: "Fonctions déléguées", Value: strings.Join(p.Functions, ", ")})}
	doc.Sections = append(doc.Sections, frameSection(d), functionsSection(d),
		objectivesSection(c), surveySection(d), costSection(d), reviewSection(e))
	return doc
}

func frameSection(d PostEvaluationData) document.Section {
	fw := framework.Load()
	var fns []string
	for _, code := range d.Post.Functions {
		if fn, ok := fw.Function(code); ok {
			fns = append(fns, fn.Code+" "+fn.Title)
		}
	}
	s := document.Section{ID: "cadre", Title: "Cadre de l'évaluation", Blocks: []document.Block{
		{Text: msg.Text(msg.EvaluationScope)}, {List: fns}}}
	if len(d.Post.Axes) > 0 {
		var axes []string
		for _, a := range d.Post.Axes {
			axes = append(axes, d.Nom.Label(nomenclature.Axis, a))
		}
		s.Blocks = append(s.Blocks, document.Block{Fields: []document.Field{{Label: "Axes délégués", Value: joinFrench(axes)}}})
	}
	s.Blocks = append(s.Blocks, document.Block{Text: msg.Text(msg.EvaluationTargets)}, document.Block{Table: appraisalTable(d)})
	return s
}

// appraisalTable sums up the appraisals, one row per delegated function.
func appraisalTable(d PostEvaluationData) *document.Table {
	t := &document.Table{Caption: "Appréciations par fonction déléguée",
		Head: []string{"Fonction", "Appréciation du/de la chargé(e) de coopération", "Appréciation du conseiller territorial"}}
	for _, fn := range d.Post.Functions {
		a := d.Evaluation.Appraisal(fn)
		review := "—" // no level of their own: the advisor does not disagree
		if a.ReviewLevel != "" {
			review = d.Nom.Label(nomenclature.Appraisal, a.ReviewLevel)
		}
		t.Rows = append(t.Rows, []document.Cell{{Text: fn}, {Text: levelLabel(d.Nom, a.Level)}, {Text: review}})
	}
	return t
}

func levelLabel(n *nomenclature.Set, level string) string {
	if level == "" {
		return "non renseignée"
	}
	return n.Label(nomenclature.Appraisal, level)
}

// functionsSection has one part per delegated function.
func functionsSection(d PostEvaluationData) document.Section {
	s := document.Section{ID: "fonctions", Title: "Fonctions déléguées : indicateurs et appréciations"}
	fw := framework.Load()
	for _, code := range d.Post.Functions {
		ref, ok := evaluation.ReferenceOf(fw, code)
		if !ok {
			continue
		}
		s.Sections = append(s.Sections, functionPart(d, ref))
	}
	return s
}

func functionPart(d PostEvaluationData, ref evaluation.Reference) document.Section {
	fn := ref.Function
	s := document.Section{ID: "fonction-" + fn.Code, Title: fn.Code + " " + fn.Title}
	var actions []string
	for _, a := range fn.Actions {
		actions = append(actions, a.Code+" "+a.Title)
	}
	s.Blocks = append(s.Blocks, document.Block{Text: "Actions :"}, document.Block{List: actions})
	if figs := functionFigures(d, fn.Code); len(figs) > 0 {
		s.Blocks = append(s.Blocks, document.Block{Figures: figs})
	}
	if ch := yearChart(d, fn); ch != nil {
		s.Blocks = append(s.Blocks, document.Block{Chart: ch})
	}
	s.Blocks = append(s.Blocks, document.Block{Text: "Activités du référentiel d'emploi :"})
	for _, g := range ref.Activities {
		if len(g.Items) == 0 {
			s.Blocks = append(s.Blocks, document.Block{List: []string{g.Heading}})
			continue
		}
		s.Blocks = append(s.Blocks, document.Block{Text: g.Heading + " :"}, document.Block{List: g.Items})
	}
	s.Blocks = append(s.Blocks, document.Block{Text: "Attendus :"}, document.Block{List: ref.Expected},
		document.Block{Text: msg.Text(msg.EvaluationAppraisalRef)}, document.Block{Fields: appraisalFields(d, fn.Code)})
	return s
}

func appraisalFields(d PostEvaluationData, fn string) []document.Field {
	a := d.Evaluation.Appraisal(fn)
	review := "—"
	if a.ReviewLevel != "" {
		review = d.Nom.Label(nomenclature.Appraisal, a.ReviewLevel) + " (diffère de celle du/de la chargé(e) de coopération)"
	}
	return []document.Field{
		{Label: "Appréciation du/de la chargé(e) de coopération", Value: levelLabel(d.Nom, a.Level)},
		{Label: "Commentaire du/de la chargé(e) de coopération", Value: orNone(a.Comment)},
		{Label: "Appréciation du conseiller territorial", Value: review},
		{Label: "Commentaire du conseiller territorial", Value: orNone(a.ReviewComment)},
	}
}

func orNone(s string) string {
	if strings.TrimSpace(s) == "" {
		return "—"
	}
	return s
}

// functionFigures: each indicator of the function that the post shows
// (its catalogue: S11a for a chef de projet only), year by year then over
// the whole period, against the CTG's targets.
func functionFigures(d PostEvaluationData, fn string) []document.Figure {
	var out []document.Figure
	label := keyLabel(d.Nom)
	for _, ind := range framework.Load().IndicatorsOf(d.Post.Functions, d.Post.ChefDeProjet) {
		if ind.Function != fn {
			continue
		}
		// a survey figure needs both waves in its period: a year never
		// has them, the whole period may
		for _, s := range d.Years {
			if f, ok := s.Result.Figure(ind.Code); ok && ind.Unit != "score" {
				fig := Figure(ind, f, d.Targets, s.Period, d.Today, label, d.drill(s.Period))
				fig.Period = s.Label
				out = append(out, fig)
			}
		}
		if f, ok := d.Total.Figure(ind.Code); ok {
			period := indicator.Period{From: d.Evaluation.From, To: d.Evaluation.To}
			fig := Figure(ind, f, d.Targets, period, d.Today, label, d.drill(period))
			fig.Period = totalLabel
			out = append(out, fig)
		}
	}
	return out
}

// drill links a post's figure to the records behind it.
func (d PostEvaluationData) drill(p indicator.Period) func(code string) string {
	return func(code string) string {
		q := url.Values{"post": {strconv.FormatInt(d.Post.ID, 10)}, "from": {p.From.String()}, "to": {p.To.String()}}
		return "/ctg/" + strconv.FormatInt(d.CTG.ID, 10) + "/indicators/" + code + "?" + q.Encode()
	}
}

// keyLabel names a breakdown key with the Caf's lists.
func keyLabel(n *nomenclature.Set) func(code, key string) string {
	return func(code, key string) string {
		if key == indicator.KeyUnset {
			return "non renseigné"
		}
		if b, ok := indicator.MainBreakdown(code); ok && b.Kind != "" {
			return n.Label(b.Kind, key)
		}
		return key
	}
}

// yearChart shows a function's counts (not the survey scores) year by
// year; nil with a single year.
func yearChart(d PostEvaluationData, fn framework.Function) *document.Chart {
	if len(d.Years) < 2 {
		return nil
	}
	ch := &document.Chart{Kind: "columns", Title: "Fonction " + fn.Code + " : indicateurs année par année"}
	for _, s := range d.Years {
		ch.Labels = append(ch.Labels, strconv.Itoa(s.Period.From.Year))
	}
	for _, ind := range framework.Load().IndicatorsOf(d.Post.Functions, d.Post.ChefDeProjet) {
		if ind.Unit == "score" || ind.Function != fn.Code {
			continue
		}
		series := document.Series{Name: ind.Code + " " + ind.ShortLabel}
		for _, s := range d.Years {
			f, _ := s.Result.Figure(ind.Code)
			series.Values = append(series.Values, f.Number())
		}
		ch.Series = append(ch.Series, series)
	}
	if len(ch.Series) == 0 {
		return nil
	}
	return ch
}

// objectivesSection lists the CTG's development objectives.
func objectivesSection(c ctg.CTG) document.Section {
	s := document.Section{ID: "objectifs", Title: "Objectifs de développement de la CTG"}
	if len(c.Objectives) == 0 {
		s.Blocks = []document.Block{{Text: msg.Text(msg.EvaluationNoObjective)}}
		return s
	}
	s.Blocks = []document.Block{{Table: objectivesTable(c)}}
	return s
}

func objectivesTable(c ctg.CTG) *document.Table {
	t := &document.Table{Caption: "Objectifs de développement : cible et réalisé",
		Head: []string{"Objectif", "Type", "Cible", "Réalisé", "Taux de réalisation"}, Numeric: []bool{false, false, true, true, true}}
	for _, o := range c.Objectives {
		rate := "—"
		if o.Target > 0 {
			rate = itoa(int(evaluation.Share(int64(o.Achieved), int64(o.Target)))) + " %"
		}
		t.Rows = append(t.Rows, []document.Cell{{Text: o.Label}, {Text: nomenclature.Default.Label(nomenclature.ObjectiveKind, o.Kind)},
			{Text: itoa(o.Target)}, {Text: itoa(o.Achieved)}, {Text: rate}})
	}
	return t
}

// surveySection gives E32 and E42 of the CTG over the period, with each
// wave's mean and responses.
func surveySection(d PostEvaluationData) document.Section {
	return surveyBlocks("enquetes", "Visibilité auprès des partenaires et des habitants (enquêtes de la CTG)",
		d.CTGResult, d.Targets, indicator.Period{From: d.Evaluation.From, To: d.Evaluation.To}, d.Today, d.Nom)
}

func surveyBlocks(id, title string, res indicator.Result, targets indicator.Targets, p indicator.Period, today civil.Date,
	n *nomenclature.Set) document.Section {
	s := document.Section{ID: id, Title: title}
	fw := framework.Load()
	var figs []document.Figure
	t := &document.Table{Caption: "Vagues d'enquête de la période", Head: []string{"Vague", "Réponses", "Moyenne (sur 5)"},
		Numeric: []bool{false, true, true}}
	na := false
	for _, code := range []string{indicator.E32, indicator.E42} {
		f, ok := res.Figure(code)
		if !ok {
			continue
		}
		ind, _ := fw.Indicator(code)
		fig := Figure(ind, f, targets, p, today, func(string, string) string { return "" }, nil)
		fig.Period, fig.Detail = totalLabel, ""
		if f.CTGs > 1 {
			fig.Detail = itoa(f.CTGs) + " CTG"
		}
		figs = append(figs, fig)
		na = na || f.Value == nil
		for _, w := range f.Waves {
			t.Rows = append(t.Rows, []document.Cell{{Text: waveLabel(code, w, n)}, {Text: itoa(w.Responses)}, {Text: mean(w.Mean)}})
		}
	}
	s.Blocks = append(s.Blocks, document.Block{Figures: figs})
	if na {
		s.Blocks = append(s.Blocks, document.Block{Text: msg.Text(msg.EvaluationSurveyNA)})
	}
	if len(t.Rows) == 0 {
		s.Blocks = append(s.Blocks, document.Block{Text: msg.Text(msg.EvaluationNoWave)})
	} else {
		s.Blocks = append(s.Blocks, document.Block{Table: t})
	}
	return s
}

func waveLabel(code string, w indicator.WaveFigure, n *nomenclature.Set) string {
	who := "Partenaires"
	if code == indicator.E42 {
		who = "Habitants"
	}
	s := who + ", vague " + strings.ToLower(n.Label(nomenclature.SurveyWaveKind, w.Kind))
	if !w.Date.IsZero() {
		s += " du " + w.Date.French()
	}
	if w.CTGs > 1 {
		s += " (" + itoa(w.CTGs) + " CTG)"
	}
	return s
}

func mean(m *float64) string {
	if m == nil {
		return "—"
	}
	return strings.ReplaceAll(strconv.FormatFloat(*m, 'f', 2, 64), ".", ",")
}

// costSection: the post's cost over the period and the Caf's share.
func costSection(d PostEvaluationData) document.Section {
	c := evaluation.PostCost(d.Post, d.Evaluation.From, d.Evaluation.To)
	return document.Section{ID: "cout", Title: "Coût du poste sur la période", Blocks: []document.Block{
		// a named post's cost: the national reader does not need it
		{Fields: []document.Field{
			{Label: "Temps de travail", Value: c.ETP.String() + " ETP"},
			{Label: "Coût annuel du poste", Value: euros(c.AnnualCost), Personal: true},
			{Label: "Cofinancement annuel de la Caf", Value: euros(c.AnnualCofunding), Personal: true},
			{Label: "Jours du poste dans la période", Value: thousandsInt(c.Days) + " sur " + thousandsInt(c.PeriodDays)},
			{Label: "Coût sur la période", Value: euros(c.Amount), Personal: true},
			{Label: "Part de la Caf sur la période", Value: euros(c.CafShare) + " (" + itoa(int(evaluation.Share(c.CafShare, c.Amount))) + " %)", Personal: true},
			{Label: "Coût par ETP et par an", Value: euros(evaluation.PerETP(c.Amount, c.ETPYears)), Personal: true},
		}},
		{Text: msg.Text(msg.EvaluationCostRule)},
	}}
}

// reviewSection: the officer's free sections and the advisor's opinion.
func reviewSection(e evaluation.Evaluation) document.Section {
	part := func(id, title, text string) document.Section {
		s := document.Section{ID: id, Title: title}
		for _, p := range evaluation.Paragraphs(text) {
			s.Blocks = append(s.Blocks, document.Block{Text: p})
		}
		if len(s.Blocks) == 0 {
			s.Blocks = []document.Block{{Text: msg.Text(msg.EvaluationNoText)}}
		}
		return s
	}
	return document.Section{ID: "bilan", Title: "Bilan qualitatif", Sections: []document.Section{
		part("forces", "Points forts", e.Strengths),
		part("difficultes", "Difficultés rencontrées", e.Difficulties),
		part("recommandations", "Recommandations pour la prochaine convention", e.Recommendations),
		part("avis", "Avis du conseiller territorial", e.Review),
	}}
}

// frenchTime writes an instant as French readers expect, in Paris time:
// "20/11/2026 à 18 h 30".
func frenchTime(t time.Time) string {
	return t.In(paris).Format("02/01/2006 à 15 h 04")
}

var paris = func() *time.Location {
	if l, err := time.LoadLocation("Europe/Paris"); err == nil {
		return l
	}
	return time.UTC
}()

// of elides as French does: "d'Élodie Charvet", "de Thomas Reynaud".
func of(name string) string {
	if r, _ := utf8.DecodeRuneInString(name); strings.ContainsRune("AEIOUYÉÈÊÂÎÔaeiouyéèêâîô", r) {
		return "d'" + name
	}
	return "de " + name
}
