package web

import (
	"net/http"
	"net/url"
	"strconv"

	"copilote/internal/chart"
	"copilote/internal/civil"
	"copilote/internal/framework"
	"copilote/internal/indicator"
	"copilote/internal/journal"
	"copilote/internal/store"
)

// drillView lists what lies behind one figure: records, partners, progress
// updates or survey waves, exactly those the engine counted.
type drillView struct {
	*ctgEnv
	Ind      framework.Indicator
	Value    string
	KeyLabel string
	Count    int
	IDsOf    string
	Records  []journal.Record
	Updates  []store.UpdateRow
	Partners []int64
	Waves    []store.WaveStats
	// Axes lists S12a's followed axes: its value counts axes, not updates.
	Axes   []axisCount
	Period indicator.Period
	Back   string
	Page   int
	Pages  int
	query  url.Values
}

func (v *drillView) KindLabel(k journal.Kind) string {
	s, _ := journal.SpecOf(k)
	return s.Label
}

func (v *drillView) PageURL(page int) string {
	q := url.Values{}
	for k, vs := range v.query {
		q[k] = vs
	}
	q.Set("page", strconv.Itoa(page))
	return "?" + q.Encode()
}

func (s *Server) drill(w http.ResponseWriter, r *http.Request) error {
	e, err := s.env(r)
	if err != nil {
		return err
	}
	f := newForm(r.URL.Query())
	ind, ok := framework.Load().Indicator(r.PathValue("code"))
	if !ok {
		return notFoundPage()
	}
	key := pageKey{page: "drill " + ind.Code, ctg: e.CTG.ID, query: r.URL.RawQuery, day: civil.Today()}
	kept, err := keepPage(s, r, key, func() (*drillView, error) {
		v := &drillView{ctgEnv: e, Ind: ind, query: r.URL.Query(), Page: pageNumber(f)}
		return v, s.drillData(r, v, f)
	})
	if err != nil {
		return err
	}
	v := *kept // the template only reads what is kept
	v.ctgEnv = e
	s.render(w, r, http.StatusOK, "drill", ind.Code+" – "+ind.ShortLabel, &v, crumb{"Accueil", "/"},
		crumb{e.CTG.Name, ctgURL(e.CTG.ID)}, crumb{"Indicateurs", v.Back}, crumb{ind.Code, ""})
	return nil
}

// drillData reads the figure and one page of what lies behind it.
func (s *Server) drillData(r *http.Request, v *drillView, f *form) error {
	e, ind := v.ctgEnv, v.Ind
	var err error
	if v.Period, _, err = readPeriod(f, e.CTG.Start, e.CTG.End); err != nil {
		return err
	}
	scope := indicator.Scope{Kind: indicator.ScopeCTG, CTGID: e.CTG.ID}
	back := url.Values{"from": {v.Period.From.String()}, "to": {v.Period.To.String()}}
	if post := f.id("post"); post != 0 {
		if _, ok := e.PostByID[post]; !ok {
			return notFoundPost()
		}
		scope = indicator.Scope{Kind: indicator.ScopePost, PostID: post}
		back.Set("post", strconv.FormatInt(post, 10))
	}
	v.Back = ctgURL(e.CTG.ID) + "/indicators?" + back.Encode()
	fig, err := s.db.Indicator(r.Context(), scope, v.Period, ind.Code)
	if err != nil {
		return err
	}
	key := f.str("key")
	ids, err := s.db.IndicatorRecords(r.Context(), scope, v.Period, ind.Code, f.str("breakdown"), key)
	if err != nil {
		return err
	}
	v.Value, v.Count, v.IDsOf = "non disponible", len(ids), fig.IDsOf
	if fig.Value != nil {
		v.Value = chart.Num(*fig.Value)
	}
	if key != "" {
		b, _ := indicator.MainBreakdown(ind.Code)
		v.KeyLabel = (&dashView{ctgEnv: e}).keyLabel(b.Kind, key)
		v.Value = chart.Num(fig.By[key])
	}
	return s.drillItems(r, v, ids)
}

// drillItems loads one page of the items behind the figure.
func (s *Server) drillItems(r *http.Request, v *drillView, ids []int64) error {
	v.Pages = (len(ids) + pageSize - 1) / pageSize
	from := min((v.Page-1)*pageSize, len(ids))
	page := ids[from:min(from+pageSize, len(ids))]
	var err error
	switch v.IDsOf {
	case indicator.IDsRecords:
		v.Records, err = s.db.RecordsByIDs(r.Context(), page)
	case indicator.IDsUpdates:
		if v.KeyLabel == "" {
			return s.drillAxes(r, v, ids)
		}
		v.Updates, err = s.db.UpdatesByIDs(r.Context(), page)
	case indicator.IDsPartners:
		v.Partners = page
	case indicator.IDsWaves:
		var all []store.WaveStats
		all, err = s.db.Waves(r.Context(), v.CTG.ID)
		for _, w := range all {
			for _, id := range page {
				if w.ID == id {
					v.Waves = append(v.Waves, w)
				}
			}
		}
	}
	return err
}

// dates used by the drill template
func (v *drillView) From() civil.Date { return v.Period.From }
func (v *drillView) To() civil.Date   { return v.Period.To }

type axisCount struct {
	Label   string
	Updates int
	URL     string
}

// drillAxes lists the axes whose programming was followed (S12a), each once
// per CTG with the number of its updates, so the list counts as the figure.
func (s *Server) drillAxes(r *http.Request, v *drillView, ids []int64) error {
	ups, err := s.db.UpdatesByIDs(r.Context(), ids)
	if err != nil {
		return err
	}
	idx := map[string]int{}
	for _, u := range ups {
		k := strconv.FormatInt(u.CTGID, 10) + "/" + u.Axis
		i, ok := idx[k]
		if !ok {
			q := url.Values{}
			for key, vs := range v.query {
				q[key] = vs
			}
			q.Set("key", u.Axis)
			i, idx[k] = len(v.Axes), len(v.Axes)
			v.Axes = append(v.Axes, axisCount{Label: v.Label("axis", u.Axis), URL: "?" + q.Encode()})
		}
		v.Axes[i].Updates++
	}
	v.Count, v.Pages = len(v.Axes), 1
	return nil
}
