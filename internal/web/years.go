package web

import (
	"net/http"
	"strconv"

	"copilote/internal/apperr"
	"copilote/internal/civil"
	"copilote/internal/msg"
	"copilote/internal/store"
)

// yearRow is one year of a CTG's convention as its page shows it: open,
// or closed since when and by whom.
type yearRow struct {
	Year   int
	Closed *store.ClosedYear
}

// conventionYears lists the convention's years with their state.
func (s *Server) conventionYears(r *http.Request, e *ctgEnv) ([]yearRow, error) {
	closed, err := s.db.ClosedYears(r.Context(), e.CTG.ID)
	if err != nil {
		return nil, err
	}
	var out []yearRow
	for _, y := range e.CTG.Years() {
		row := yearRow{Year: y}
		for i := range closed {
			if closed[i].Year == y {
				row.Closed = &closed[i]
			}
		}
		out = append(out, row)
	}
	return out, nil
}

// closedYears are the closed years of CTG ctgID, for what pages offer.
func (s *Server) closedYears(r *http.Request, ctgID int64) (map[int]bool, error) {
	ys, err := s.db.ClosedYears(r.Context(), ctgID)
	out := make(map[int]bool, len(ys))
	for _, y := range ys {
		out[y.Year] = true
	}
	return out, err
}

// YearClosed tells whether day d falls in a closed year of the CTG.
func (e *ctgEnv) YearClosed(d civil.Date) bool { return e.closed[d.Year] }

// ClosedNote says why a record of a closed year offers no change.
func (e *ctgEnv) ClosedNote(d civil.Date) string {
	if !e.YearClosed(d) {
		return ""
	}
	return msg.Text(msg.YearClosed, d.Year)
}

// yearClose closes a year of the CTG: a Caf administrator's act.
func (s *Server) yearClose(w http.ResponseWriter, r *http.Request) error {
	e, err := s.env(r)
	if err != nil {
		return err
	}
	year, err := pathYear(r)
	if err != nil {
		return err
	}
	if err := s.db.Write(r.Context(), e.User.User.ID, func(tx *store.Tx) error { return tx.CloseYear(e.CTG.ID, year) }); err != nil {
		return err
	}
	http.Redirect(w, r, withOK(ctgURL(e.CTG.ID)+"#annees", "saved"), http.StatusSeeOther)
	return nil
}

// yearReopen reopens a closed year, with the reason the audit keeps.
func (s *Server) yearReopen(w http.ResponseWriter, r *http.Request) error {
	e, err := s.env(r)
	if err != nil {
		return err
	}
	year, err := pathYear(r)
	if err != nil {
		return err
	}
	f := newForm(r.PostForm)
	if !f.Invalid() {
		err = s.db.Write(r.Context(), e.User.User.ID, func(tx *store.Tx) error { return tx.ReopenYear(e.CTG.ID, year, f.str("reason")) })
		if apperr.CodeOf(err) == apperr.Invalid {
			f.Errors.Add("reason", msg.ReopenReason)
		} else if err != nil {
			return err
		}
	}
	if f.Invalid() { // the CTG's page again, the reason as typed
		return s.renderCTG(w, r, http.StatusUnprocessableEntity, newForm(nil), newReopenForm(year, f))
	}
	http.Redirect(w, r, withOK(ctgURL(e.CTG.ID)+"#annees", "saved"), http.StatusSeeOther)
	return nil
}

// reopenForm is a year's reopen form come back with its error, which
// names the year's own field (reason-2024: the page has one per year).
type reopenForm struct {
	Year int
	*form
}

func newReopenForm(year int, f *form) *reopenForm {
	errs := apperr.Fields{}
	for _, m := range f.Errors {
		errs[reasonField(year)] = m
	}
	f.Errors = errs
	return &reopenForm{Year: year, form: f}
}

func reasonField(year int) string { return "reason-" + strconv.Itoa(year) }

// ReopenValue is the reason typed for year, if its form came back.
func (d *ctgData) ReopenValue(year int) string {
	if d.Reopen == nil || d.Reopen.Year != year {
		return ""
	}
	return d.Reopen.Value("reason")
}

// ReopenErr is the error on year's reason, if any.
func (d *ctgData) ReopenErr(year int) string {
	if d.Reopen == nil {
		return ""
	}
	return d.Reopen.Err(reasonField(year))
}

func pathYear(r *http.Request) (int, error) {
	y, err := strconv.Atoi(r.PathValue("year"))
	if err != nil {
		return 0, apperr.NotFoundf(msg.ErrNotFound)
	}
	return y, nil
}
