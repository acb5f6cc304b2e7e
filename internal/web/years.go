package web

import (
	"net/http"
	"strconv"

	"copilote/internal/apperr"
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
	if f.Invalid() {
		return apperr.New(apperr.Invalid, msg.InvalidText)
	}
	err = s.db.Write(r.Context(), e.User.User.ID, func(tx *store.Tx) error { return tx.ReopenYear(e.CTG.ID, year, f.str("reason")) })
	if apperr.CodeOf(err) == apperr.Invalid {
		return apperr.New(apperr.Invalid, msg.ReopenReason)
	}
	if err != nil {
		return err
	}
	http.Redirect(w, r, withOK(ctgURL(e.CTG.ID)+"#annees", "saved"), http.StatusSeeOther)
	return nil
}

func pathYear(r *http.Request) (int, error) {
	y, err := strconv.Atoi(r.PathValue("year"))
	if err != nil {
		return 0, apperr.NotFoundf(msg.ErrNotFound)
	}
	return y, nil
}
