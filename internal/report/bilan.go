package report

import (
	"fmt"
	"math"
	"strconv"

	"copilote/internal/actionplan"
	"copilote/internal/chart"
	"copilote/internal/civil"
	"copilote/internal/ctg"
	"copilote/internal/document"
	"copilote/internal/framework"
	"copilote/internal/indicator"
	"copilote/internal/journal"
	"copilote/internal/nomenclature"
)

// The bilan annuel of a post or of a CTG: the year's figures against the
// CTG's targets (a post's delegated figures only), their trend against
// the year before, the year's records by kind, the progress of the fiches
// actions and the surveys of the year.

// FicheUpdate is a dated progress update of a fiche action.
type FicheUpdate struct {
	ActionID int64
	PostID   int64
	Date     civil.Date
	Status   string
	Percent  int
}

// Wave is a survey wave with its answers.
type Wave struct {
	Audience, Kind string
	Date, Closes   civil.Date
	Responses      int
	Mean           float64
}

// Links open, on the site, what a report counts; a nil function gives no
// link.
type Links struct {
	Figure func(code string, p indicator.Period) string
	Kind   func(kind journal.Kind, p indicator.Period) string
	Action func(id int64) string
	Record func(id int64) string
}

// AnnualInput is what a bilan annuel reads.
type AnnualInput struct {
	CTG   ctg.CTG
	Post  *ctg.Post // nil: the CTG's bilan
	Posts []ctg.Post
	Year  int
	Today civil.Date
	// Current and Previous are the figures of the year and of the year
	// before; HasPrevious is false when that year is outside the
	// convention.
	Current, Previous indicator.Result
	HasPrevious       bool
	Targets           indicator.Targets // the CTG's; nil for a post
	Kinds, PrevKinds  map[journal.Kind]int
	Actions           []actionplan.Action
	Updates           []FicheUpdate // every update up to the end of the year, oldest first
	Waves             []Wave        // the CTG's waves dated in the year
	Nom               *nomenclature.Set
	Links             Links
}

// Annual builds the bilan annuel.
func Annual(fw *framework.Framework, in AnnualInput) document.Document {
	year := strconv.Itoa(in.Year)
	p := indicator.Period{From: civil.YearStart(in.Year), To: civil.YearEnd(in.Year)}
	d := document.Document{Kind: "bilan_annuel", Title: "Bilan annuel " + year + " – " + in.CTG.Name,
		Meta: []document.Field{{Label: "CTG", Value: in.CTG.Name}, {Label: "Année", Value: "du " + p.From.French() + " au " + p.To.French()},
			{Label: "Convention", Value: "du " + in.CTG.Start.French() + " au " + in.CTG.End.French()}}}
	if in.Post != nil {
		d.Title = "Bilan annuel " + year + " – " + in.Post.Person
		d.Subtitle = in.CTG.Name
		d.Meta = append(d.Meta, document.Field{Label: "Poste", Value: in.Post.Label()},
			document.Field{Label: "Fonctions déléguées", Value: joinFrench(in.Post.Functions)})
		d.Notices = append(d.Notices, "Seuls figurent les indicateurs des fonctions déléguées au poste. "+
			"Les cibles sont fixées pour la CTG entière : elles figurent au bilan annuel de la CTG.")
	} else {
		d.Meta = append(d.Meta, document.Field{Label: "Postes", Value: postsLine(in.Posts)})
	}
	if p.Contains(in.Today) {
		d.Notices = append(d.Notices, "L'année "+year+" est en cours : chiffres arrêtés au "+in.Today.French()+".")
	}
	states := ficheStates(in)
	d.Sections = append(d.Sections,
		annualSummary(in, states),
		annualFigures(fw, in, p),
		annualTrends(fw, in),
		annualRecords(in, p),
		annualFiches(in, states),
		annualSurveys(in))
	return d
}

func postsLine(posts []ctg.Post) string {
	var etp ctg.ETP
	for _, p := range posts {
		etp += p.ETP
	}
	return fmt.Sprintf("%d poste%s, %s ETP", len(posts), plural(len(posts)), etp)
}

func plural(n int) string {
	if n > 1 {
		return "s"
	}
	return ""
}

// annualSummary says the year in a few figures.
func annualSummary(in AnnualInput, states []ficheState) document.Section {
	total, prev := 0, 0
	for _, n := range in.Kinds {
		total += n
	}
	for _, n := range in.PrevKinds {
		prev += n
	}
	records := thousandsInt(total)
	if in.HasPrevious {
		records += " (" + thousandsInt(prev) + " l'année précédente)"
	}
	f := []document.Field{{Label: "Enregistrements", Value: records}}
	if in.Post == nil {
		reached, targeted := 0, 0
		p := indicator.Period{From: civil.YearStart(in.Year), To: civil.YearEnd(in.Year)}
		for _, fig := range in.Current.Indicators {
			ind, _ := framework.Load().Indicator(fig.Code)
			t, has := in.Targets.For(fig.Code, p, ind.Unit == "score")
			if has {
				targeted++
				if indicator.Status(fig.Value, t, true, p, in.Today) == indicator.StatusReached {
					reached++
				}
			}
		}
		f = append(f, document.Field{Label: "Cibles atteintes", Value: fmt.Sprintf("%d indicateur%s sur %d ayant une cible", reached, plural(reached), targeted)})
	}
	done, blocked := 0, 0
	for _, s := range states {
		switch s.status {
		case actionplan.Done:
			done++
		case actionplan.Blocked:
			blocked++
		}
	}
	f = append(f, document.Field{Label: "Fiches actions suivies", Value: fmt.Sprintf("%d, dont %d réalisée%s et %d bloquée%s au 31/12",
		len(states), done, plural(done), blocked, plural(blocked))},
		document.Field{Label: "Vagues d'enquête", Value: strconv.Itoa(len(in.Waves))})
	return document.Section{ID: "synthese", Title: "L'année en bref", Blocks: []document.Block{{Fields: f}}}
}

// annualFigures lists the year's figures under their objectives.
func annualFigures(fw *framework.Framework, in AnnualInput, p indicator.Period) document.Section {
	s := document.Section{ID: "indicateurs", Title: "Indicateurs de l'année " + strconv.Itoa(in.Year),
		Blocks: []document.Block{{Text: "Chaque valeur compte les enregistrements de l'année selon les règles du référentiel ; " +
			"le statut compare la valeur à la cible de l'année fixée pour la CTG."}}}
	s.Sections = objectiveFigures(fw, in.Current, in.Targets, p, in.Today, in.Nom, in.Links, strconv.Itoa(in.Year))
	return s
}

// objectiveFigures are the figures of res grouped by objective, as
// subsections of figures; objectives without figure are left out.
func objectiveFigures(fw *framework.Framework, res indicator.Result, targets indicator.Targets, p indicator.Period,
	today civil.Date, n *nomenclature.Set, links Links, period string) []document.Section {
	var out []document.Section
	for _, o := range fw.Table.Objectives {
		var figs []document.Figure
		for _, ind := range fw.Indicators() {
			fn, _ := fw.Function(ind.Function)
			fig, ok := res.Figure(ind.Code)
			if !ok || fn.Objective != o.Number {
				continue
			}
			var link func(string) string
			if links.Figure != nil {
				link = func(code string) string { return links.Figure(code, p) }
			}
			f := Figure(ind, fig, targets, p, today, func(code, key string) string { return breakdownLabel(n, code, key) }, link)
			f.Period = period
			figs = append(figs, f)
		}
		if len(figs) > 0 {
			out = append(out, document.Section{ID: "objectif-" + strconv.Itoa(o.Number), Title: "Objectif " + strconv.Itoa(o.Number) + " – " + o.Title,
				Blocks: []document.Block{{Figures: figs}}})
		}
	}
	return out
}

// breakdownLabel names a key of code's main breakdown in French.
func breakdownLabel(n *nomenclature.Set, code, key string) string {
	b, ok := indicator.MainBreakdown(code)
	if !ok || b.Kind == "" {
		return key
	}
	return natureLabel(n, b.Kind, key)
}

// annualTrends compares each figure with the year before.
func annualTrends(fw *framework.Framework, in AnnualInput) document.Section {
	prevYear, year := strconv.Itoa(in.Year-1), strconv.Itoa(in.Year)
	s := document.Section{ID: "tendances", Title: "Évolution par rapport à " + prevYear}
	if !in.HasPrevious {
		s.Blocks = []document.Block{{Text: prevYear + " précède la convention : il n'y a pas d'année à comparer."}}
	}
	t := &document.Table{Caption: "Valeur de chaque indicateur en " + prevYear + " et en " + year,
		Head: []string{"Code", "Indicateur", prevYear, year, "Évolution"}, Numeric: []bool{false, false, true, true, true}}
	for _, f := range in.Current.Indicators {
		ind, _ := fw.Indicator(f.Code)
		before, had := in.Previous.Figure(f.Code)
		row := []document.Cell{{Text: f.Code}, {Text: ind.ShortLabel}, {Text: "—"}, {Text: value(f.Value)}, {Text: "—"}}
		if in.HasPrevious && had {
			row[2].Text = value(before.Value)
			row[4].Text = change(before.Value, f.Value)
		}
		t.Rows = append(t.Rows, row)
	}
	s.Blocks = append(s.Blocks, document.Block{Table: t})
	return s
}

func value(v *float64) string {
	if v == nil {
		return "non disponible"
	}
	return chart.Num(*v)
}

// change is the difference between two figures, signed: "+3", "−2", "=".
func change(before, after *float64) string {
	if before == nil || after == nil {
		return "—"
	}
	d := *after - *before
	switch {
	case math.Abs(d) < 1e-9:
		return "="
	case d > 0:
		return "+" + chart.Num(d)
	}
	return "−" + chart.Num(-d)
}

// annualRecords counts the year's records by kind, against the year
// before, with a chart.
func annualRecords(in AnnualInput, p indicator.Period) document.Section {
	prevYear, year := strconv.Itoa(in.Year-1), strconv.Itoa(in.Year)
	t := &document.Table{Caption: "Enregistrements de " + year + " par type", Head: []string{"Type", prevYear, year, "Évolution"},
		Numeric: []bool{false, true, true, true}}
	c := &document.Chart{Kind: "bars", Title: "Enregistrements de " + year + " par type", Series: []document.Series{{Name: year}}}
	for _, spec := range journal.Specs {
		n, before := in.Kinds[spec.Kind], in.PrevKinds[spec.Kind]
		if n == 0 && before == 0 {
			continue
		}
		cell := document.Cell{Text: strconv.Itoa(n)}
		if in.Links.Kind != nil && n > 0 {
			cell.Link = in.Links.Kind(spec.Kind, p)
		}
		row := []document.Cell{{Text: spec.Plural}, {Text: "—"}, cell, {Text: "—"}}
		if in.HasPrevious {
			b, a := float64(before), float64(n)
			row[1].Text, row[3].Text = strconv.Itoa(before), change(&b, &a)
		}
		t.Rows = append(t.Rows, row)
		c.Labels = append(c.Labels, spec.Plural)
		c.Series[0].Values = append(c.Series[0].Values, float64(n))
	}
	s := document.Section{ID: "activite", Title: "Activité de l'année par type d'enregistrement"}
	if len(t.Rows) == 0 {
		s.Blocks = []document.Block{{Text: "Aucun enregistrement en " + year + "."}}
		return s
	}
	s.Blocks = []document.Block{{Table: t}, {Chart: c}}
	return s
}

// ficheState is a fiche action at the end of the year and at its start.
type ficheState struct {
	action            actionplan.Action
	status            string
	percent, start    int
	last              civil.Date
	updatesInYear     int
	updatedByPostInYr bool
}

// ficheStates reads each fiche's state on 31 December and on 1 January
// from its history; a post's bilan keeps the fiches it updated in the
// year.
func ficheStates(in AnnualInput) []ficheState {
	from := civil.YearStart(in.Year)
	byID := map[int64]*ficheState{}
	var order []*ficheState
	for _, a := range in.Actions {
		s := &ficheState{action: a, status: actionplan.Planned}
		byID[a.ID] = s
		order = append(order, s)
	}
	for _, u := range in.Updates {
		s, ok := byID[u.ActionID]
		if !ok {
			continue
		}
		s.status, s.percent, s.last = u.Status, u.Percent, u.Date
		if u.Date.Before(from) {
			s.start = u.Percent
			continue
		}
		s.updatesInYear++
		if in.Post != nil && u.PostID == in.Post.ID {
			s.updatedByPostInYr = true
		}
	}
	var out []ficheState
	for _, s := range order {
		if in.Post == nil || s.updatedByPostInYr {
			out = append(out, *s)
		}
	}
	return out
}

// annualFiches shows each fiche's progress over the year, and the mean
// progress by axis.
func annualFiches(in AnnualInput, states []ficheState) document.Section {
	year := strconv.Itoa(in.Year)
	s := document.Section{ID: "fiches", Title: "Avancement des fiches actions en " + year}
	if len(states) == 0 {
		what := "La CTG n'a pas de fiche action."
		if in.Post != nil {
			what = "Le poste n'a fait le point d'aucune fiche action en " + year + "."
		}
		s.Blocks = []document.Block{{Text: what}}
		return s
	}
	if in.Post != nil {
		s.Blocks = append(s.Blocks, document.Block{Text: "Les fiches dont le poste a fait le point en " + year + "."})
	}
	t := &document.Table{Caption: "Fiches actions au 31/12/" + year, Head: []string{"Code", "Fiche action", "Axe", "Statut",
		"Avancement", "Évolution", "Points dans l'année", "Dernier point"}, Numeric: []bool{false, false, false, false, true, true, true, false}}
	sums, counts := map[string]int{}, map[string]int{}
	var axes []string
	for _, st := range states {
		a := st.action
		title := a.Title
		if a.Priority {
			title += " (prioritaire)"
		}
		code := document.Cell{Text: a.Code}
		if in.Links.Action != nil {
			code.Link = in.Links.Action(a.ID)
		}
		last := "aucun"
		if !st.last.IsZero() {
			last = st.last.French()
		}
		start, end := float64(st.start), float64(st.percent)
		t.Rows = append(t.Rows, []document.Cell{code, {Text: title}, {Text: in.Nom.Label(nomenclature.Axis, a.Axis)},
			{Text: in.Nom.Label(nomenclature.ActionStatus, st.status)}, {Text: strconv.Itoa(st.percent) + " %"},
			{Text: change(&start, &end)}, {Text: strconv.Itoa(st.updatesInYear)}, {Text: last}})
		if counts[a.Axis] == 0 {
			axes = append(axes, a.Axis)
		}
		sums[a.Axis] += st.percent
		counts[a.Axis]++
	}
	c := &document.Chart{Kind: "bars", Title: "Avancement moyen des fiches par axe au 31/12/" + year, Unit: " %",
		Series: []document.Series{{Name: "Avancement moyen"}}}
	for _, axis := range axes {
		c.Labels = append(c.Labels, in.Nom.Label(nomenclature.Axis, axis))
		c.Series[0].Values = append(c.Series[0].Values, math.Round(float64(sums[axis])/float64(counts[axis])))
	}
	s.Blocks = append(s.Blocks, document.Block{Table: t}, document.Block{Chart: c})
	return s
}

// annualSurveys lists the CTG's survey waves of the year.
func annualSurveys(in AnnualInput) document.Section {
	year := strconv.Itoa(in.Year)
	s := document.Section{ID: "enquetes", Title: "Enquêtes de visibilité en " + year}
	if len(in.Waves) == 0 {
		s.Blocks = []document.Block{{Text: "Aucune vague d'enquête en " + year + "."}}
		return s
	}
	if in.Post != nil {
		s.Blocks = append(s.Blocks, document.Block{Text: "Les enquêtes sont celles de la CTG."})
	}
	t := &document.Table{Caption: "Vagues d'enquête de " + year, Head: []string{"Public", "Vague", "Ouverture", "Clôture", "Réponses", "Score moyen (1 à 5)"},
		Numeric: []bool{false, false, false, false, true, true}}
	for _, w := range in.Waves {
		closes := "—"
		if !w.Closes.IsZero() {
			closes = w.Closes.French()
		}
		mean := "—"
		if w.Responses > 0 {
			mean = chart.Num(math.Round(w.Mean*100) / 100)
		}
		t.Rows = append(t.Rows, []document.Cell{{Text: audienceLabel(w.Audience)},
			{Text: in.Nom.Label(nomenclature.SurveyWaveKind, w.Kind)}, {Text: w.Date.French()}, {Text: closes},
			{Text: strconv.Itoa(w.Responses)}, {Text: mean}})
	}
	s.Blocks = append(s.Blocks, document.Block{Table: t})
	return s
}

// thousandsInt groups digits the French way, as euros does.
func thousandsInt(n int) string {
	s := euros(int64(n))
	return s[:len(s)-len(" €")]
}

// audienceLabel names who a questionnaire asks.
func audienceLabel(a string) string {
	switch a {
	case nomenclature.AudiencePartenaires:
		return "Partenaires"
	case nomenclature.AudienceHabitants:
		return "Habitants"
	}
	return a
}
