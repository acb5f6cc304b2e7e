package web

import (
	"cmp"
	"html/template"
	"math"
	"net/url"
	"slices"
	"strconv"

	"golang.org/x/text/collate"
	"golang.org/x/text/language"

	"copilote/internal/chart"
	"copilote/internal/civil"
	"copilote/internal/framework"
	"copilote/internal/indicator"
)

// The overviews' small multiples, sorting and links (compare.go reads the
// figures).

// compareCard is one indicator at a glance: the total's value and status,
// how many lines are behind their target, and its small multiple with the
// values it draws.
type compareCard struct {
	Ind     framework.Indicator
	Total   compareCell
	Behind  int // lines behind their target
	Targets int // lines with a target
	Chart   template.HTML
	Dist    []compareDist // the distribution, as drawn (highest first)
	Trend   []yearValue
	URL     string // the page detailing this indicator
}

type compareDist struct {
	Name, Value, Status string
}

type yearValue struct {
	Year    int
	Value   string
	Partial bool // the current year, not over yet
}

// num writes a figure the French way, thousands grouped: "27 563", "0,41".
func num(v float64) string {
	if v == math.Trunc(v) && math.Abs(v) < 1e15 {
		return thousands(int64(v))
	}
	return chart.Num(v)
}

// signed writes a gap with its sign: "+3", "−2,5", "0".
func signed(v float64) string {
	switch {
	case v > 0:
		return "+" + num(v)
	case v < 0:
		return "−" + num(-v)
	}
	return "0"
}

// partialYear is the index in years of the year today falls in when it is
// not over: its figures are incomplete. -1 when none.
func partialYear(years []int, today civil.Date) int {
	if today == civil.YearEnd(today.Year) {
		return -1
	}
	return slices.Index(years, today.Year)
}

// cards draws each indicator's small multiple from the lines' values and
// the total's year by year.
func (v *compareView) cards(yearly []indicator.Result) {
	partial := partialYear(v.TrendYears, v.Today)
	labels := make([]string, len(v.TrendYears))
	for i, y := range v.TrendYears {
		labels[i] = strconv.Itoa(y)
	}
	of := "les " + v.Heading
	if v.Heading == "Caf" {
		of = "les Caf"
	}
	for _, ind := range v.Indicators {
		c := compareCard{Ind: ind, Total: v.Total.Cells[ind.Code], URL: v.IndicatorURL(ind.Code)}
		var pts []chart.Point
		for _, l := range v.Lines {
			cell, ok := l.Cells[ind.Code]
			if !ok || l.Out || !cell.Available {
				continue
			}
			pts = append(pts, chart.Point{Label: l.Name, Value: cell.Raw, Status: cell.Status})
			if cell.HasTarget {
				c.Targets++
			}
			if cell.Status == indicator.StatusBehind {
				c.Behind++
			}
		}
		slices.SortStableFunc(pts, func(a, b chart.Point) int { return cmp.Compare(b.Value, a.Value) })
		for _, p := range pts {
			c.Dist = append(c.Dist, compareDist{Name: p.Label, Value: num(p.Value), Status: p.Status})
		}
		trend := make([]float64, len(v.TrendYears))
		for i, res := range yearly {
			f, _ := res.Figure(ind.Code)
			trend[i] = math.NaN()
			yv := yearValue{Year: v.TrendYears[i], Value: "—", Partial: i == partial}
			if f.Value != nil {
				trend[i], yv.Value = *f.Value, num(*f.Value)
			}
			c.Trend = append(c.Trend, yv)
		}
		c.Chart = chart.SmallMultiple("sm-"+ind.Code, ind.Code+" – "+ind.ShortLabel+" : répartition entre "+of+
			" et évolution par année", pts, labels, trend, partial)
		v.Cards = append(v.Cards, c)
		if v.Detailed(ind.Code) {
			d := c
			d.Chart = chart.SmallMultiple("detail-"+ind.Code, ind.Code+" – "+ind.ShortLabel+" : répartition entre "+of+
				" et évolution par année", pts, labels, trend, partial)
			v.Detail = &d
		}
	}
}

// Sorting: each key has its natural direction (names A to Z, counts and
// values highest first, gaps most behind first); asking again for the
// key in use reverses it.
var sortDefaults = map[string]string{
	"name": "asc", "behind": "desc", "ontrack": "desc", "reached": "desc", "na": "desc", "none": "desc",
	"value": "desc", "target": "desc", "gap": "asc", "status": "asc",
}

// statusRank orders statuses from the most worrying.
var statusRank = map[string]int{indicator.StatusBehind: 0, indicator.StatusOnTrack: 1, indicator.StatusNA: 2,
	indicator.StatusReached: 3, indicator.StatusNone: 4}

// Sort is the key the lines are sorted by: ?sort= when the page knows it,
// else the lines' names.
func (v *compareView) Sort() string {
	k := v.str("sort")
	if _, ok := sortDefaults[k]; !ok || (v.Ind == nil && isCellKey(k)) {
		return "name"
	}
	return k
}

func isCellKey(k string) bool { return k == "value" || k == "target" || k == "gap" || k == "status" }

// Dir is the direction of the sort: ?dir= or the key's own.
func (v *compareView) Dir() string {
	if d := v.str("dir"); d == "asc" || d == "desc" {
		return d
	}
	return sortDefaults[v.Sort()]
}

func (v *compareView) sortLines() {
	key, desc := v.Sort(), v.Dir() == "desc"
	names := collate.New(language.French, collate.Loose)
	slices.SortStableFunc(v.Lines, func(a, b compareLine) int {
		if a.Out != b.Out { // CTGs the period misses last, whatever the order
			if a.Out {
				return 1
			}
			return -1
		}
		c := v.compareBy(key, a, b, desc)
		if desc {
			c = -c
		}
		if c == 0 || key == "name" {
			n := names.CompareString(a.Name, b.Name)
			if key == "name" && desc {
				n = -n
			}
			c = cmp.Or(c, n)
		}
		return c
	})
}

// compareBy compares two lines on key, in ascending order (desc only
// keeps missing values last once the order is reversed).
func (v *compareView) compareBy(key string, a, b compareLine, desc bool) int {
	ca, cb := v.Cell(a), v.Cell(b)
	switch key {
	case "behind":
		return cmp.Compare(a.Counts.Behind, b.Counts.Behind)
	case "ontrack":
		return cmp.Compare(a.Counts.OnTrack, b.Counts.OnTrack)
	case "reached":
		return cmp.Compare(a.Counts.Reached, b.Counts.Reached)
	case "na":
		return cmp.Compare(a.Counts.NA, b.Counts.NA)
	case "none":
		return cmp.Compare(a.Counts.None, b.Counts.None)
	case "value":
		return cmpMissing(ca.Available, cb.Available, ca.Raw, cb.Raw, desc)
	case "target":
		return cmpMissing(ca.HasTarget, cb.HasTarget, ca.target, cb.target, desc)
	case "gap":
		return cmpMissing(ca.Gap != "", cb.Gap != "", ca.gap, cb.gap, desc)
	case "status":
		return cmp.Compare(statusRank[ca.Status], statusRank[cb.Status])
	}
	return 0
}

// cmpMissing compares two values of which either may be missing, a
// missing one last whichever the direction.
func cmpMissing(hasA, hasB bool, a, b float64, desc bool) int {
	switch {
	case hasA && hasB:
		return cmp.Compare(a, b)
	case !hasA && !hasB:
		return 0
	case hasA != desc:
		return -1
	}
	return 1
}

// query is the page's address with the values it keeps, and more.
func (v *compareView) query(more ...string) string {
	q := url.Values{}
	for k, vs := range v.fixed {
		q[k] = vs
	}
	for i := 0; i+1 < len(more); i += 2 {
		if more[i+1] != "" {
			q.Set(more[i], more[i+1])
		}
	}
	if len(q) == 0 {
		return v.Action
	}
	return v.Action + "?" + q.Encode()
}

func (v *compareView) ind() string {
	if v.Ind == nil {
		return ""
	}
	return v.Ind.Code
}

// SortURL sorts the lines by key, reversing the order in use.
func (v *compareView) SortURL(key string) string {
	dir := sortDefaults[key]
	if key == v.Sort() {
		dir = map[string]string{"asc": "desc", "desc": "asc"}[v.Dir()]
	}
	return v.query("ind", v.ind(), "sort", key, "dir", dir) + "#lines"
}

// AriaSort says how the column of key sorts the table, for its header.
func (v *compareView) AriaSort(key string) template.HTMLAttr {
	if key != v.Sort() {
		return ""
	}
	return template.HTMLAttr(` aria-sort="` + map[string]string{"asc": "ascending", "desc": "descending"}[v.Dir()] + `"`)
}

// IndicatorURL details indicator code, keeping the period.
func (v *compareView) IndicatorURL(code string) string { return v.query("ind", code) + "#detail" }

// OverviewURL leaves the detail of an indicator.
func (v *compareView) OverviewURL() string { return v.query() }

// Partial is the current year while it is not over (0: none).
func (v *compareView) Partial() int {
	if i := partialYear(v.Years, v.Today); i >= 0 {
		return v.Years[i]
	}
	return 0
}

// SortHeader is the header cell of a sortable column: a link that sorts
// by key (again: the other way), the order in use said by aria-sort and an
// arrow.
func (v *compareView) SortHeader(key, label string, numeric bool) template.HTML {
	class := ""
	if numeric {
		class = ` class="num"`
	}
	arrow, hint := "", "trier"
	if key == v.Sort() {
		arrow = map[string]string{"asc": " ▲", "desc": " ▼"}[v.Dir()]
		hint = "trié, inverser l'ordre"
	}
	return template.HTML(`<th scope="col"` + class + string(v.AriaSort(key)) + `><a class="sort" href="` +
		template.HTMLEscapeString(v.SortURL(key)) + `">` + template.HTMLEscapeString(label) +
		`<span class="visually-hidden"> (` + hint + `)</span><span aria-hidden="true">` + arrow + `</span></a></th>`)
}
