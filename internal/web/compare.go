package web

import (
	"net/http"
	"net/url"
	"strconv"

	"copilote/internal/account"
	"copilote/internal/apperr"
	"copilote/internal/chart"
	"copilote/internal/civil"
	"copilote/internal/framework"
	"copilote/internal/indicator"
	"copilote/internal/msg"
	"copilote/internal/store"
)

// compareView is a table of figures: one row per CTG of a Caf (the Caf's
// dashboard) or per Caf (the national one), and a total row.
type compareView struct {
	*form
	Heading    string
	Indicators []framework.Indicator
	Rows       []compareRow
	Total      compareRow
	Years      []int
	Period     indicator.Period
	Label      string
	Action     string
}

type compareRow struct {
	Name   string
	URL    string
	Values []compareCell
}

type compareCell struct {
	Value string
	URL   string
}

func (v *compareView) IsYear(y int) bool { return v.int("year") == y }

func cells(res indicator.Result, inds []framework.Indicator, link func(code string) string) []compareCell {
	out := make([]compareCell, len(inds))
	for i, ind := range inds {
		f, _ := res.Figure(ind.Code)
		out[i] = compareCell{Value: "—"}
		if f.Value != nil {
			out[i].Value = chart.Num(*f.Value)
		}
		if link != nil {
			out[i].URL = link(ind.Code)
		}
	}
	return out
}

// cafDashboard compares the CTGs of the administrator's Caf (a national
// reader chooses the Caf with ?caf=).
func (s *Server) cafDashboard(w http.ResponseWriter, r *http.Request) error {
	p := principalOf(r)
	f := newForm(r.URL.Query())
	caf, err := s.db.Caf(r.Context(), p.User.CafID)
	if p.User.Role == account.National {
		caf, err = s.db.CafByCode(r.Context(), f.str("caf"))
	} else if !p.CanAdminister(p.User.CafID) {
		return apperr.New(apperr.Forbidden, msg.ErrForbidden)
	}
	if err != nil {
		return err
	}
	ctgs, err := s.db.CTGs(r.Context(), store.Scope{CafID: caf.ID})
	if err != nil {
		return err
	}
	v := &compareView{form: f, Heading: "CTG", Indicators: framework.Load().Indicators(), Action: "/caf/indicators"}
	if v.Period, v.Label, v.Years, err = comparePeriod(f, ctgs); err != nil {
		return err
	}
	for _, c := range ctgs {
		res, err := s.db.Indicators(r.Context(), indicator.Scope{Kind: indicator.ScopeCTG, CTGID: c.ID}, v.Period)
		if err != nil {
			return err
		}
		v.Rows = append(v.Rows, ctgRow(c, v, res))
	}
	res, err := s.db.Indicators(r.Context(), indicator.Scope{Kind: indicator.ScopeCaf, CafCode: caf.Code}, v.Period)
	if err != nil {
		return err
	}
	v.Total = compareRow{Name: caf.Name, Values: cells(res, v.Indicators, nil)}
	s.render(w, r, http.StatusOK, "compare", "Indicateurs des CTG – "+caf.Name, v, crumb{"Accueil", "/"}, crumb{"Indicateurs de la Caf", ""})
	return nil
}

// ctgRow links a CTG's figures to its pages over the part of the period
// its convention's years cover, the only periods they accept; a CTG the
// period misses is not linked.
func ctgRow(c store.CTGSummary, v *compareView, res indicator.Result) compareRow {
	row := compareRow{Name: c.Name, Values: cells(res, v.Indicators, nil)}
	bounds := yearsOf(c.Start, c.End)
	p := indicator.Period{From: civil.Later(v.Period.From, bounds.From), To: civil.Earlier(v.Period.To, bounds.To)}
	if p.To.Before(p.From) {
		return row
	}
	q := url.Values{"from": {p.From.String()}, "to": {p.To.String()}}.Encode()
	row.URL = ctgURL(c.ID) + "/indicators?" + q
	row.Values = cells(res, v.Indicators, func(code string) string { return ctgURL(c.ID) + "/indicators/" + code + "?" + q })
	return row
}

// nationalDashboard compares the Cafs; only national readers see it.
func (s *Server) nationalDashboard(w http.ResponseWriter, r *http.Request) error {
	if principalOf(r).User.Role != account.National {
		return apperr.New(apperr.Forbidden, msg.ErrForbidden)
	}
	f := newForm(r.URL.Query())
	ctgs, err := s.db.CTGs(r.Context(), store.Scope{All: true})
	if err != nil {
		return err
	}
	cafs, err := s.db.Cafs(r.Context())
	if err != nil {
		return err
	}
	v := &compareView{form: f, Heading: "Caf", Indicators: framework.Load().Indicators(), Action: "/national/indicators"}
	if v.Period, v.Label, v.Years, err = comparePeriod(f, ctgs); err != nil {
		return err
	}
	for _, c := range cafs {
		res, err := s.db.Indicators(r.Context(), indicator.Scope{Kind: indicator.ScopeCaf, CafCode: c.Code}, v.Period)
		if err != nil {
			return err
		}
		v.Rows = append(v.Rows, compareRow{Name: c.Name, URL: "/caf/indicators?caf=" + url.QueryEscape(c.Code), Values: cells(res, v.Indicators, nil)})
	}
	res, err := s.db.Indicators(r.Context(), indicator.Scope{Kind: indicator.ScopeAll}, v.Period)
	if err != nil {
		return err
	}
	v.Total = compareRow{Name: "France", Values: cells(res, v.Indicators, nil)}
	s.render(w, r, http.StatusOK, "compare", "Indicateurs nationaux", v, crumb{"Accueil", "/"}, crumb{"Indicateurs nationaux", ""})
	return nil
}

// comparePeriod defaults to the span of the CTGs' conventions; ?year= picks
// one of their calendar years.
func comparePeriod(f *form, ctgs []store.CTGSummary) (indicator.Period, string, []int, error) {
	var from, to civil.Date
	for _, c := range ctgs {
		if from.IsZero() || c.Start.Before(from) {
			from = c.Start
		}
		if c.End.After(to) {
			to = c.End
		}
	}
	var years []int
	for y := from.Year; y <= to.Year && y > 0; y++ {
		years = append(years, y)
	}
	first, last := civil.MinYear, civil.MaxYear
	if len(years) > 0 {
		first, last = years[0], years[len(years)-1]
	}
	if f.str("year") == "" {
		return indicator.Period{From: from, To: to}, "toutes les conventions", years, nil
	}
	y, err := strconv.Atoi(f.str("year"))
	if err != nil {
		return indicator.Period{}, "", years, apperr.New(apperr.Invalid, msg.InvalidNumber)
	}
	if y < first || y > last {
		return indicator.Period{}, "", years, apperr.New(apperr.Invalid, msg.PeriodOutsideYears, first, last)
	}
	return indicator.Period{From: civil.YearStart(y), To: civil.YearEnd(y)}, "année " + strconv.Itoa(y), years, nil
}
