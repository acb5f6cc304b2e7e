package web

import (
	"net/http"
	"net/url"
	"strconv"

	"copilote/internal/framework"
	"copilote/internal/indicator"
	"copilote/internal/store"
)

type targetView struct {
	*ctgEnv
	*form
	Indicators []framework.Indicator
	Years      []int
}

// Cell is the name of one input: t_S12b_2024, t_S12b_0 for the baseline.
func (v *targetView) Cell(code string, year int) string {
	return "t_" + code + "_" + strconv.Itoa(year)
}

func (s *Server) targetsForm(w http.ResponseWriter, r *http.Request) error {
	e, err := s.env(r)
	if err != nil {
		return err
	}
	ts, err := s.db.Targets(r.Context(), e.CTG.ID)
	if err != nil {
		return err
	}
	v := &targetView{ctgEnv: e, form: newForm(url.Values{}), Indicators: framework.Load().Indicators(), Years: e.CTG.Years()}
	for code, years := range ts {
		for y, val := range years {
			v.Values.Set(v.Cell(code, y), fmtFloat(val))
		}
	}
	s.renderTargets(w, r, http.StatusOK, v)
	return nil
}

func (s *Server) renderTargets(w http.ResponseWriter, r *http.Request, status int, v *targetView) {
	s.render(w, r, status, "targets", "Valeurs de référence et cibles – "+v.CTG.Name, v, crumb{"Accueil", "/"},
		crumb{v.CTG.Name, ctgURL(v.CTG.ID)}, crumb{"Indicateurs", ctgURL(v.CTG.ID) + "/indicators"}, crumb{"Cibles", ""})
}

func (s *Server) targetsSave(w http.ResponseWriter, r *http.Request) error {
	e, err := s.env(r)
	if err != nil {
		return err
	}
	v := &targetView{ctgEnv: e, form: newForm(r.PostForm), Indicators: framework.Load().Indicators(), Years: e.CTG.Years()}
	var targets []indicator.Target
	for _, ind := range v.Indicators {
		for _, y := range append([]int{0}, v.Years...) {
			name := v.Cell(ind.Code, y)
			if v.str(name) == "" {
				continue
			}
			targets = append(targets, indicator.Target{Indicator: ind.Code, Year: y, Value: v.float(name)})
		}
	}
	if !v.Invalid() {
		err = v.merge(s.db.Write(r.Context(), e.User.User.ID, func(tx *store.Tx) error { return tx.SaveTargets(e.CTG.ID, targets) }))
		if err != nil {
			return err
		}
	}
	if v.Invalid() {
		s.renderTargets(w, r, http.StatusUnprocessableEntity, v)
		return nil
	}
	http.Redirect(w, r, withOK(ctgURL(e.CTG.ID)+"/indicators", "saved"), http.StatusSeeOther)
	return nil
}
