package web

import (
	"html/template"
	"net/http"
	"net/url"
	"sort"
	"strconv"

	"copilote/internal/actionplan"
	"copilote/internal/authz"
	"copilote/internal/chart"
	"copilote/internal/civil"
	"copilote/internal/framework"
	"copilote/internal/indicator"
	"copilote/internal/journal"
	"copilote/internal/nomenclature"
	"copilote/internal/quality"
	"copilote/internal/store"
)

// dashView is a CTG's dashboard, or one of its posts': the catalogue's
// figures by objective and function, trends per year, open alerts and the
// action plan's progress by axis.
type dashView struct {
	*ctgEnv
	*form
	Scope       indicator.Scope
	Period      indicator.Period
	PeriodLabel string
	Post        int64
	Years       []int
	Objectives  []objectiveBlock
	Trend       []trendRow
	TrendChart  template.HTML
	OpenAlerts  []journal.Record
	Progress    []axisProgress
	ProgressSVG template.HTML
	Warnings    []quality.Warning
	Summary     dashSummary
	targets     indicator.Targets
	query       url.Values
}

type objectiveBlock struct {
	Number    int
	Title     string
	Functions []functionBlock
}

type functionBlock struct {
	Code, Title string
	Figures     []figureRow
}

// figureRow is one indicator as the dashboard shows it.
type figureRow struct {
	Ind      framework.Indicator
	Fig      indicator.Figure
	Value    string
	Target   string
	Baseline string
	Status   string
	Parts    []part
	DrillURL string
}

type part struct {
	Label    string
	Value    string
	DrillURL string
}

type trendRow struct {
	Code, Label string
	Values      []string
	raw         []float64
	avail       []bool
}

type axisProgress struct {
	Axis                          string
	Count, Done, Ongoing, Blocked int
	Mean                          int
}

func (s *Server) dashboard(w http.ResponseWriter, r *http.Request) error {
	// What the database gives for a CTG, a query and a day (a figure's
	// status depends on the day) is the same for every user allowed to see
	// the CTG; a post's dashboard is its CTG's data too (pages.go).
	key := pageKey{page: "dashboard", ctg: ctgOf(r).ID, query: r.URL.RawQuery, day: civil.Today()}
	kept, err := keepPage(s, r, key, func() (*dashView, error) { return s.dashboardView(r) })
	if err != nil {
		return err
	}
	v := kept.forUser(principalOf(r))
	title := "Indicateurs – " + v.CTG.Name
	if v.Post != 0 {
		title = "Indicateurs de " + v.PostName(v.Post) + " – " + v.CTG.Name
	}
	s.render(w, r, http.StatusOK, "dashboard", title, v, crumb{"Accueil", "/"}, crumb{v.CTG.Name, ctgURL(v.CTG.ID)}, crumb{"Indicateurs", ""})
	return nil
}

// forUser is a shallow copy of a kept view for another request's user;
// the data it shares is only read by the template.
func (v *dashView) forUser(user *authz.Principal) *dashView {
	env := *v.ctgEnv
	env.User = user
	c := *v
	c.ctgEnv = &env
	return &c
}

// dashboardView reads everything the dashboard shows.
func (s *Server) dashboardView(r *http.Request) (*dashView, error) {
	e, err := s.env(r)
	if err != nil {
		return nil, err
	}
	v := &dashView{ctgEnv: e, form: newForm(r.URL.Query()), Years: e.CTG.Years(), query: r.URL.Query()}
	if v.Period, v.PeriodLabel, err = readPeriod(v.form, e.CTG.Start, e.CTG.End); err != nil {
		return nil, err
	}
	v.Scope = indicator.Scope{Kind: indicator.ScopeCTG, CTGID: e.CTG.ID}
	if v.Post = v.id("post"); v.Post != 0 {
		if _, ok := e.PostByID[v.Post]; !ok {
			return nil, notFoundPost()
		}
		v.Scope = indicator.Scope{Kind: indicator.ScopePost, PostID: v.Post}
	}
	res, err := s.db.Indicators(r.Context(), v.Scope, v.Period)
	if err != nil {
		return nil, err
	}
	if v.Post == 0 {
		if v.targets, err = s.db.Targets(r.Context(), e.CTG.ID); err != nil {
			return nil, err
		}
	}
	v.Objectives = v.blocks(res)
	if err := s.trends(r, v, res); err != nil {
		return nil, err
	}
	v.summarize(civil.Today())
	return v, s.steering(r, v)
}

// blocks arranges the figures under their objectives and functions.
func (v *dashView) blocks(res indicator.Result) []objectiveBlock {
	fw := framework.Load()
	var out []objectiveBlock
	for _, o := range fw.Table.Objectives {
		ob := objectiveBlock{Number: o.Number, Title: o.Title}
		for _, fn := range fw.Functions() {
			if fn.Objective != o.Number {
				continue
			}
			fb := functionBlock{Code: fn.Code, Title: fn.Title}
			for _, ind := range fw.Indicators() {
				if fig, ok := res.Figure(ind.Code); ok && ind.Function == fn.Code {
					fb.Figures = append(fb.Figures, v.row(ind, fig))
				}
			}
			if len(fb.Figures) > 0 {
				ob.Functions = append(ob.Functions, fb)
			}
		}
		if len(ob.Functions) > 0 {
			out = append(out, ob)
		}
	}
	return out
}

func (v *dashView) row(ind framework.Indicator, fig indicator.Figure) figureRow {
	r := figureRow{Ind: ind, Fig: fig, Value: "non disponible", DrillURL: v.drillURL(ind.Code, "", "")}
	if fig.Value != nil {
		r.Value = chart.Num(*fig.Value)
	}
	target, has := v.targets.For(ind.Code, v.Period, ind.Unit == "score")
	if has {
		r.Target = chart.Num(target)
	}
	if b, ok := v.targets.Baseline(ind.Code); ok {
		r.Baseline = chart.Num(b)
	}
	r.Status = indicator.Status(fig.Value, target, has, v.Period, civil.Today())
	b, ok := indicator.MainBreakdown(ind.Code)
	if !ok {
		return r
	}
	keys := make([]string, 0, len(fig.By))
	for k := range fig.By {
		keys = append(keys, k)
	}
	sort.Slice(keys, func(i, j int) bool {
		return fig.By[keys[i]] > fig.By[keys[j]] || (fig.By[keys[i]] == fig.By[keys[j]] && keys[i] < keys[j])
	})
	for _, k := range keys {
		r.Parts = append(r.Parts, part{Label: v.keyLabel(b.Kind, k), Value: chart.Num(fig.By[k]), DrillURL: v.drillURL(ind.Code, "", k)})
	}
	return r
}

func (v *dashView) keyLabel(kind nomenclature.Kind, key string) string {
	if key == indicator.KeyUnset {
		return "non renseigné"
	}
	if kind == "" {
		return key
	}
	return v.Nom.Label(kind, key)
}

// drillURL opens the records behind a figure, filtered exactly as the
// figure was computed.
func (v *dashView) drillURL(code, breakdown, key string) string {
	q := url.Values{"from": {v.Period.From.String()}, "to": {v.Period.To.String()}}
	if v.Post != 0 {
		q.Set("post", strconv.FormatInt(v.Post, 10))
	}
	if breakdown != "" {
		q.Set("breakdown", breakdown)
	}
	if key != "" {
		q.Set("key", key)
	}
	return ctgURL(v.CTG.ID) + "/indicators/" + code + "?" + q.Encode()
}

// PeriodURL switches the period, keeping the scope.
func (v *dashView) PeriodURL(year int) string {
	q := url.Values{}
	if v.Post != 0 {
		q.Set("post", strconv.FormatInt(v.Post, 10))
	}
	if year != 0 {
		q.Set("year", strconv.Itoa(year))
	}
	return ctgURL(v.CTG.ID) + "/indicators?" + q.Encode()
}

func (v *dashView) IsYear(y int) bool { return v.int("year") == y }

// trends computes each figure per year of the convention.
func (s *Server) trends(r *http.Request, v *dashView, res indicator.Result) error {
	rows := make([]trendRow, len(res.Indicators))
	fw := framework.Load()
	for i, f := range res.Indicators {
		ind, _ := fw.Indicator(f.Code)
		rows[i] = trendRow{Code: f.Code, Label: ind.ShortLabel}
	}
	for _, y := range v.Years {
		yr, err := s.db.Indicators(r.Context(), v.Scope, indicator.Period{From: civil.YearStart(y), To: civil.YearEnd(y)})
		if err != nil {
			return err
		}
		for i := range rows {
			f, _ := yr.Figure(rows[i].Code)
			val := "—"
			if f.Value != nil {
				val = chart.Num(*f.Value)
			}
			rows[i].Values = append(rows[i].Values, val)
			rows[i].raw = append(rows[i].raw, f.Number())
			rows[i].avail = append(rows[i].avail, f.Value != nil)
		}
	}
	v.Trend = rows
	labels := make([]string, len(v.Years))
	for i, y := range v.Years {
		labels[i] = strconv.Itoa(y)
	}
	var series []chart.Series
	for _, row := range rows {
		if row.Code == indicator.S12b || row.Code == indicator.E11 || row.Code == indicator.E22 {
			series = append(series, chart.Series{Name: row.Code + " – " + row.Label, Values: row.raw})
		}
	}
	v.TrendChart = chart.ColumnsPartial("trend", "Évolution annuelle des alertes, décisions facilitées et projets facilités", labels, series,
		partialYear(v.Years, civil.Today()))
	return nil
}

// steering gathers what the Copil looks at besides the figures.
func (s *Server) steering(r *http.Request, v *dashView) error {
	alerts, _, err := s.db.Records(r.Context(), store.RecordFilter{Scope: v.User.Scope(), CTGID: v.CTG.ID, Kind: journal.Alerte, Limit: 200})
	if err != nil {
		return err
	}
	for _, a := range alerts {
		if a.Status == "ouverte" {
			v.OpenAlerts = append(v.OpenAlerts, a)
		}
	}
	actions, _, err := s.db.Actions(r.Context(), store.ActionFilter{Scope: v.User.Scope(), CTGID: v.CTG.ID})
	if err != nil {
		return err
	}
	v.Progress = progressByAxis(actions, v.ctgEnv)
	bars := make([]chart.Bar, len(v.Progress))
	for i, p := range v.Progress {
		bars[i] = chart.Bar{Label: p.Axis, Value: float64(p.Mean)}
	}
	v.ProgressSVG = chart.HBars("progress", "Avancement moyen des fiches actions par axe (%)", bars, " %")
	v.Warnings, err = s.warnings(r, store.Scope{CTGIDs: []int64{v.CTG.ID}})
	return err
}

func progressByAxis(actions []actionplan.Action, e *ctgEnv) []axisProgress {
	byAxis := map[string]*axisProgress{}
	var order []string
	for _, a := range actions {
		p, ok := byAxis[a.Axis]
		if !ok {
			p = &axisProgress{Axis: e.Label("axis", a.Axis)}
			byAxis[a.Axis] = p
			order = append(order, a.Axis)
		}
		p.Count++
		p.Mean += a.Progress
		switch a.Status {
		case actionplan.Done:
			p.Done++
		case actionplan.Blocked:
			p.Blocked++
		case actionplan.Ongoing:
			p.Ongoing++
		}
	}
	out := make([]axisProgress, len(order))
	for i, k := range order {
		p := byAxis[k]
		p.Mean /= p.Count
		out[i] = *p
	}
	return out
}
