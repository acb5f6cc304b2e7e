package web

import (
	"context"
	"errors"
	"net/http"
	"net/url"
	"strconv"
	"sync"
	"time"

	"copilote/internal/account"
	"copilote/internal/apperr"
	"copilote/internal/civil"
	"copilote/internal/framework"
	"copilote/internal/indicator"
	"copilote/internal/msg"
	"copilote/internal/store"
)

// compareView is the overview of a Caf (one line per CTG, the Caf's
// dashboard) or of the nation (one line per Caf): over the period, each
// line's status against its targets on the catalogue's indicators, a
// small multiple per indicator (its distribution across the lines and its
// trend by year) and, for the indicator chosen (?ind=), every line's
// value, target and status, each value opening onto what makes it.
// Lines sort on the server (?sort=, ?dir=), without script.
type compareView struct {
	*form
	Heading    string // what a line is: "CTG" or "Caf"
	Action     string // the page's address
	Indicators []framework.Indicator
	Period     indicator.Period
	Label      string
	Years      []int
	TrendYears []int // the years begun, drawn in the trends
	Today      civil.Date
	Lines      []compareLine
	Total      compareLine
	// TotalAge says when the national total was counted: it may lag
	// behind the Cafs' lines by a few seconds (store.SetNationalLag).
	TotalAge string
	Cards    []compareCard
	// Ind is the indicator detailed (nil: none), Detail its card.
	Ind    *framework.Indicator
	Detail *compareCard
	// fixed are the query values every link of the page keeps (caf, year).
	fixed url.Values
}

// compareLine is a CTG or a Caf, or the total of the page.
type compareLine struct {
	Name string
	URL  string // the line's own overview: a CTG's dashboard, a Caf's page
	// Out: the period misses the CTG's convention, which has no figure.
	Out    bool
	Cells  map[string]compareCell
	Counts statusCounts
}

// compareCell is one indicator of one line.
type compareCell struct {
	Value     string
	Raw       float64
	Available bool
	Target    string
	HasTarget bool
	Gap       string
	gap       float64
	target    float64
	Status    string
	URL       string // what makes the value: records, or the line's detail
}

// statusCounts counts a line's indicators by status against their target.
type statusCounts struct{ Reached, OnTrack, Behind, NA, None int }

func (c *statusCounts) add(status string) {
	switch status {
	case indicator.StatusReached:
		c.Reached++
	case indicator.StatusOnTrack:
		c.OnTrack++
	case indicator.StatusBehind:
		c.Behind++
	case indicator.StatusNA:
		c.NA++
	default:
		c.None++
	}
}

func (v *compareView) IsYear(y int) bool { return v.int("year") == y }

// lineTargets is a line's target of an indicator over the line's period.
type lineTargets func(ind framework.Indicator) (float64, bool)

func ctgTargets(t indicator.Targets, p indicator.Period) lineTargets {
	return func(ind framework.Indicator) (float64, bool) { return t.For(ind.Code, p, ind.Unit == "score") }
}

// pooledTargets is the target of several lines together, when each of
// them has one: the sum of theirs, or their mean for survey scores, whose
// pooled figure is the mean of the CTGs' (rule 5).
func pooledTargets(parts []lineTargets) lineTargets {
	return func(ind framework.Indicator) (float64, bool) {
		sum := 0.0
		for _, p := range parts {
			t, ok := p(ind)
			if !ok {
				return 0, false
			}
			sum += t
		}
		if len(parts) == 0 {
			return 0, false
		}
		if ind.Unit == "score" {
			sum /= float64(len(parts))
		}
		return sum, true
	}
}

// line makes a line's cells from its figures over p, its targets and
// where each value leads.
func (v *compareView) line(name, lineURL string, res indicator.Result, p indicator.Period, targets lineTargets,
	link func(code string) string) compareLine {
	l := compareLine{Name: name, URL: lineURL, Cells: map[string]compareCell{}}
	for _, ind := range v.Indicators {
		f, _ := res.Figure(ind.Code)
		c := compareCell{Value: "—"}
		if f.Value != nil {
			c.Raw, c.Available, c.Value = *f.Value, true, num(*f.Value)
		}
		target, has := targets(ind)
		if has {
			c.HasTarget, c.Target, c.target = true, num(target), target
			if c.Available {
				c.gap = c.Raw - target
				c.Gap = signed(c.gap)
			}
		}
		c.Status = indicator.Status(f.Value, target, has, p, v.Today)
		if link != nil {
			c.URL = link(ind.Code)
		}
		l.Cells[ind.Code] = c
		l.Counts.add(c.Status)
	}
	return l
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
	ctx := r.Context()
	ctgs, err := s.db.CTGs(ctx, store.Scope{CafID: caf.ID})
	if err != nil {
		return err
	}
	v, err := newCompareView(f, "CTG", "/caf/indicators", ctgs)
	if err != nil {
		return err
	}
	if p.User.Role == account.National {
		v.fixed.Set("caf", caf.Code)
	}
	targets, err := s.db.TargetsOf(ctx, store.Scope{CafID: caf.ID})
	if err != nil {
		return err
	}
	var parts []lineTargets
	for _, c := range ctgs {
		l, t, err := s.ctgLine(ctx, v, c, targets[c.ID])
		if err != nil {
			return err
		}
		v.Lines = append(v.Lines, l)
		if !l.Out {
			parts = append(parts, t)
		}
	}
	scope := indicator.Scope{Kind: indicator.ScopeCaf, CafCode: caf.Code}
	res, err := s.db.Indicators(ctx, scope, v.Period)
	if err != nil {
		return err
	}
	v.Total = v.line(caf.Name, "", res, v.Period, pooledTargets(parts), nil)
	if err := s.finishCompare(ctx, v, scope); err != nil {
		return err
	}
	s.render(w, r, http.StatusOK, "compare", "Indicateurs des CTG – "+caf.Name, v, crumb{"Accueil", "/"}, crumb{"Indicateurs de la Caf", ""})
	return nil
}

// ctgLine is a CTG's line over the part of the period its convention's
// years cover, the only periods its pages accept, each value linked to
// its records there; a CTG the period misses has no figure.
func (s *Server) ctgLine(ctx context.Context, v *compareView, c store.CTGSummary, t indicator.Targets) (compareLine, lineTargets, error) {
	bounds := yearsOf(c.Start, c.End)
	p := indicator.Period{From: civil.Later(v.Period.From, bounds.From), To: civil.Earlier(v.Period.To, bounds.To)}
	if p.To.Before(p.From) {
		return compareLine{Name: c.Name, Out: true, Cells: map[string]compareCell{}}, nil, nil
	}
	res, err := s.db.Indicators(ctx, indicator.Scope{Kind: indicator.ScopeCTG, CTGID: c.ID}, p)
	if err != nil {
		return compareLine{}, nil, err
	}
	q := url.Values{"from": {p.From.String()}, "to": {p.To.String()}}.Encode()
	targets := ctgTargets(t, p)
	l := v.line(c.Name, ctgURL(c.ID)+"/indicators?"+q, res, p, targets,
		func(code string) string { return ctgURL(c.ID) + "/indicators/" + code + "?" + q })
	return l, targets, nil
}

// nationalDashboard compares the Cafs; only national readers see it.
func (s *Server) nationalDashboard(w http.ResponseWriter, r *http.Request) error {
	if principalOf(r).User.Role != account.National {
		return apperr.New(apperr.Forbidden, msg.ErrForbidden)
	}
	ctx := r.Context()
	f := newForm(r.URL.Query())
	ctgs, err := s.db.CTGs(ctx, store.Scope{All: true})
	if err != nil {
		return err
	}
	cafs, err := s.db.Cafs(ctx)
	if err != nil {
		return err
	}
	v, err := newCompareView(f, "Caf", "/national/indicators", ctgs)
	if err != nil {
		return err
	}
	targets, err := s.db.TargetsOf(ctx, store.Scope{All: true})
	if err != nil {
		return err
	}
	byCaf := map[int64][]lineTargets{}
	for _, c := range ctgs {
		bounds := yearsOf(c.Start, c.End)
		p := indicator.Period{From: civil.Later(v.Period.From, bounds.From), To: civil.Earlier(v.Period.To, bounds.To)}
		if !p.To.Before(p.From) {
			byCaf[c.CafID] = append(byCaf[c.CafID], ctgTargets(targets[c.ID], p))
		}
	}
	results := make([]indicator.Result, len(cafs))
	err = figuresAtOnce(len(cafs), func(i int) (err error) {
		results[i], err = s.db.Indicators(ctx, indicator.Scope{Kind: indicator.ScopeCaf, CafCode: cafs[i].Code}, v.Period)
		return err
	})
	if err != nil {
		return err
	}
	var parts []lineTargets
	for i, c := range cafs {
		res := results[i]
		t := pooledTargets(byCaf[c.ID])
		q := url.Values{"caf": {c.Code}}
		if y := v.str("year"); y != "" {
			q.Set("year", y)
		}
		v.Lines = append(v.Lines, v.line(c.Name, "/caf/indicators?"+q.Encode(), res, v.Period, t, func(code string) string {
			q := url.Values{"caf": {c.Code}, "ind": {code}}
			if y := v.str("year"); y != "" {
				q.Set("year", y)
			}
			return "/caf/indicators?" + q.Encode() + "#detail"
		}))
		if len(byCaf[c.ID]) > 0 {
			parts = append(parts, t)
		}
	}
	scope := indicator.Scope{Kind: indicator.ScopeAll}
	res, err := s.db.Indicators(ctx, scope, v.Period)
	if err != nil {
		return err
	}
	v.Total = v.line("France", "", res, v.Period, pooledTargets(parts), nil)
	v.TotalAge = msg.NationalAge(res.ComputedAt.In(paris), time.Since(res.ComputedAt), s.db.NationalLag())
	if err := s.finishCompare(ctx, v, scope); err != nil {
		return err
	}
	s.render(w, r, http.StatusOK, "compare", "Indicateurs nationaux", v, crumb{"Accueil", "/"}, crumb{"Indicateurs nationaux", ""})
	return nil
}

func newCompareView(f *form, heading, action string, ctgs []store.CTGSummary) (*compareView, error) {
	v := &compareView{form: f, Heading: heading, Action: action, Indicators: framework.Load().Indicators(),
		Today: civil.Today(), fixed: url.Values{}}
	var err error
	if v.Period, v.Label, v.Years, err = comparePeriod(f, ctgs); err != nil {
		return nil, err
	}
	if y := f.str("year"); y != "" {
		v.fixed.Set("year", y)
	}
	if code := f.str("ind"); code != "" {
		ind, ok := framework.Load().Indicator(code)
		if !ok {
			return nil, apperr.New(apperr.Invalid, msg.InvalidChoice)
		}
		v.Ind = &ind
	}
	return v, nil
}

// finishCompare reads the total's figures year by year for the trends
// (the years begun: a year to come has no figure yet), draws the small
// multiples and sorts the lines.
func (s *Server) finishCompare(ctx context.Context, v *compareView, scope indicator.Scope) error {
	for _, y := range v.Years {
		if y <= v.Today.Year {
			v.TrendYears = append(v.TrendYears, y)
		}
	}
	yearly := make([]indicator.Result, len(v.TrendYears))
	err := figuresAtOnce(len(yearly), func(i int) (err error) {
		y := v.TrendYears[i]
		yearly[i], err = s.db.Indicators(ctx, scope, indicator.Period{From: civil.YearStart(y), To: civil.YearEnd(y)})
		return err
	})
	if err != nil {
		return err
	}
	v.cards(yearly)
	v.sortLines()
	return nil
}

// comparePeriod defaults to the calendar years of the CTGs' conventions;
// ?year= picks one of them.
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
	if len(ctgs) == 0 { // a Caf without CTG yet: this year, empty
		from, to = civil.YearStart(civil.Today().Year), civil.YearEnd(civil.Today().Year)
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
		// whole years, as a CTG's line reads them (ctgLine): they hold the
		// same records, since every record lies within its convention,
		// and whole years read tallies only
		return indicator.Period{From: civil.YearStart(from.Year), To: civil.YearEnd(to.Year)}, "toutes les conventions", years, nil
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

// Detailed tells whether the page details indicator code.
func (v *compareView) Detailed(code string) bool { return v.Ind != nil && v.Ind.Code == code }

// Cell is line l's cell of the detailed indicator.
func (v *compareView) Cell(l compareLine) compareCell {
	if v.Ind == nil {
		return compareCell{}
	}
	return l.Cells[v.Ind.Code]
}

// figureReaders is how many figure reads one overview runs at once: its
// lines and years are independent, and two keep a second core busy
// without taking the read pool from other requests.
const figureReaders = 2

// figuresAtOnce runs read(0) … read(n-1), figureReaders at a time, and
// returns the first error.
func figuresAtOnce(n int, read func(i int) error) error {
	errs := make([]error, n)
	next := make(chan int)
	var wg sync.WaitGroup
	for range min(figureReaders, n) {
		wg.Add(1)
		go func() {
			defer wg.Done()
			for i := range next {
				errs[i] = read(i)
			}
		}()
	}
	for i := range n {
		next <- i
	}
	close(next)
	wg.Wait()
	return errors.Join(errs...)
}
