package web

import (
	"net/http"
	"net/url"
	"slices"
	"strconv"

	"copilote/internal/apperr"
	"copilote/internal/civil"
	"copilote/internal/ctg"
	"copilote/internal/framework"
	"copilote/internal/indicator"
	"copilote/internal/journal"
	"copilote/internal/msg"
	"copilote/internal/report"
	"copilote/internal/store"
)

// reportForm is the choice above a report built for a year or a post:
// the CTG (for its menu), its years and posts, and what was chosen.
type reportForm struct {
	*ctgEnv
	Action string
	Years  []int
	Year   int
	Post   int64
}

// reportScope reads ?post= (0: the whole CTG) and ?year= (default: this
// year while the convention runs, else its last year); a post of another
// CTG is not found, a year outside the convention refused.
func reportScope(e *ctgEnv, f *form) (post *ctg.Post, year int, err error) {
	if id := f.id("post"); id != 0 {
		p, ok := e.PostByID[id]
		if !ok {
			return nil, 0, notFoundPost()
		}
		post = &p
	}
	years := e.CTG.Years()
	if len(years) == 0 {
		return post, 0, apperr.NotFoundf(msg.ErrNotFound)
	}
	year = civil.Today().Year
	if s := f.str("year"); s != "" {
		if year, err = strconv.Atoi(s); err != nil {
			return post, 0, apperr.New(apperr.Invalid, msg.InvalidNumber)
		}
		if !slices.Contains(years, year) {
			return post, 0, apperr.New(apperr.Invalid, msg.PeriodOutsideCTG, e.CTG.Start.French(), e.CTG.End.French())
		}
	}
	return post, min(max(year, years[0]), years[len(years)-1]), nil
}

// annualReport shows the bilan annuel of the CTG or, with ?post=, of one
// of its posts, for ?year=: page, PDF and workbook.
func (s *Server) annualReport(w http.ResponseWriter, r *http.Request) error {
	e, err := s.env(r)
	if err != nil {
		return err
	}
	post, year, err := reportScope(e, newForm(r.URL.Query()))
	if err != nil {
		return err
	}
	in, err := s.annualInput(r, e, post, year)
	if err != nil {
		return err
	}
	doc := report.Annual(framework.Load(), in)
	form := &reportForm{ctgEnv: e, Action: ctgURL(e.CTG.ID) + "/bilan", Years: e.CTG.Years(), Year: year}
	if post != nil {
		form.Post = post.ID
	}
	return s.answerDocument(w, r, docAnswer{doc: doc, page: "bilan", formats: documentFormats(doc), form: form},
		crumb{"Accueil", "/"}, crumb{e.CTG.Name, ctgURL(e.CTG.ID)}, crumb{"Bilan annuel " + strconv.Itoa(year), ""})
}

// annualInput reads what the bilan shows: the figures of the year and of
// the year before, the records by kind, the fiches' history and the
// surveys of the year.
func (s *Server) annualInput(r *http.Request, e *ctgEnv, post *ctg.Post, year int) (report.AnnualInput, error) {
	ctx := r.Context()
	in := report.AnnualInput{CTG: *e.CTG, Post: post, Posts: e.Posts, Year: year, Today: civil.Today(), Nom: e.Nom,
		HasPrevious: year > e.CTG.Start.Year}
	scope := indicator.Scope{Kind: indicator.ScopeCTG, CTGID: e.CTG.ID}
	records := store.RecordFilter{Scope: e.User.Scope(), CTGID: e.CTG.ID}
	if post != nil {
		scope = indicator.Scope{Kind: indicator.ScopePost, PostID: post.ID}
		records.PostID = post.ID
		in.Links = reportLinks(e.CTG.ID, post.ID)
	} else {
		in.Links = reportLinks(e.CTG.ID, 0)
	}
	var err error
	if in.Current, in.Kinds, err = s.yearFigures(r, scope, records, year); err != nil {
		return in, err
	}
	if in.HasPrevious {
		if in.Previous, in.PrevKinds, err = s.yearFigures(r, scope, records, year-1); err != nil {
			return in, err
		}
	}
	if post == nil {
		if in.Targets, err = s.db.Targets(ctx, e.CTG.ID); err != nil {
			return in, err
		}
	}
	if in.Actions, _, err = s.db.Actions(ctx, store.ActionFilter{Scope: e.User.Scope(), CTGID: e.CTG.ID}); err != nil {
		return in, err
	}
	updates, err := s.db.ActionUpdates(ctx, e.CTG.ID, civil.YearEnd(year))
	if err != nil {
		return in, err
	}
	for _, u := range updates {
		in.Updates = append(in.Updates, report.FicheUpdate{ActionID: u.ActionID, PostID: u.PostID, Date: u.Date, Status: u.Status, Percent: u.Percent})
	}
	waves, err := s.db.Waves(ctx, e.CTG.ID)
	for _, w := range waves {
		if w.Date.Year == year {
			in.Waves = append(in.Waves, report.Wave{Audience: w.Audience, Kind: w.Kind, Date: w.Date, Closes: w.Closes,
				Responses: w.Responses, Mean: w.Mean})
		}
	}
	return in, err
}

// yearFigures are a scope's figures and records by kind over one year.
func (s *Server) yearFigures(r *http.Request, scope indicator.Scope, records store.RecordFilter, year int) (
	indicator.Result, map[journal.Kind]int, error) {
	p := indicator.Period{From: civil.YearStart(year), To: civil.YearEnd(year)}
	res, err := s.db.Indicators(r.Context(), scope, p)
	if err != nil {
		return res, nil, err
	}
	records.From, records.To = p.From, p.To
	kinds, err := s.db.RecordKinds(r.Context(), records)
	return res, kinds, err
}

// BilanURL is the bilan annuel of what the dashboard shows: its post, the
// year it shows (this year when it shows the whole convention).
func (v *dashView) BilanURL() string {
	q := url.Values{}
	if v.Post != 0 {
		q.Set("post", strconv.FormatInt(v.Post, 10))
	}
	if y := v.Period.From.Year; y == v.Period.To.Year {
		q.Set("year", strconv.Itoa(y))
	}
	return ctgURL(v.CTG.ID) + "/bilan?" + q.Encode()
}

// BilanYear is the year BilanURL opens.
func (v *dashView) BilanYear() int {
	if y := v.Period.From.Year; y == v.Period.To.Year {
		return y
	}
	years := v.CTG.Years()
	return min(max(civil.Today().Year, years[0]), years[len(years)-1])
}

// MatrixURL is the matrice de suivi of what the dashboard shows.
func (v *dashView) MatrixURL() string {
	if v.Post != 0 {
		return ctgURL(v.CTG.ID) + "/matrice?post=" + strconv.FormatInt(v.Post, 10)
	}
	return ctgURL(v.CTG.ID) + "/matrice"
}
