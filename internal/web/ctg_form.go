package web

import (
	"net/http"
	"net/url"
	"slices"
	"strconv"

	"copilote/internal/apperr"
	"copilote/internal/authz"
	"copilote/internal/ctg"
	"copilote/internal/msg"
	"copilote/internal/nomenclature"
	"copilote/internal/store"
	"copilote/internal/territory"
)

// ctgFormView serves the creation and settings of a CTG.
type ctgFormView struct {
	*form
	Nom    *nomenclature.Set
	CTG    *ctg.CTG
	EPCIs  []territory.EPCI
	Target string
	Rows   map[string][]int
}

func (v *ctgFormView) Choices(kind string) []nomenclature.Value {
	return v.Nom.Values(nomenclature.Kind(kind))
}
func (v *ctgFormView) Row(key string, n int) string { return v.Value(key + strconv.Itoa(n)) }

func (v *ctgFormView) withRows() *ctgFormView {
	v.Rows = map[string][]int{}
	for _, k := range []string{"signatory_", "objective_label_"} {
		rows := make([]int, rowCount(v.Values, k)+extraRows)
		for i := range rows {
			rows[i] = i + 1
		}
		v.Rows[k] = rows
	}
	return v
}

func ctgValues(c *ctg.CTG) url.Values {
	v := url.Values{"name": {c.Name}, "epci": {c.EPCISIREN}, "start": {c.Start.String()}, "end": {c.End.String()}, "axis": c.Axes}
	for i, s := range c.Signatories {
		v.Set("signatory_"+strconv.Itoa(i+1), s.Organisation)
		v.Set("represented_"+strconv.Itoa(i+1), s.RepresentedBy)
	}
	for i, o := range c.Objectives {
		n := strconv.Itoa(i + 1)
		v.Set("objective_kind_"+n, o.Kind)
		v.Set("objective_label_"+n, o.Label)
		v.Set("objective_target_"+n, strconv.Itoa(o.Target))
		v.Set("objective_achieved_"+n, strconv.Itoa(o.Achieved))
	}
	return v
}

// readCTG reads the form; the EPCI may be typed by SIREN or by name, and
// its communes and population are filled in from the reference.
func readCTG(f *form) ctg.CTG {
	c := ctg.CTG{Name: f.str("name"), Start: f.date("start"), End: f.date("end"), Axes: f.Values["axis"]}
	if q := f.str("epci"); q != "" {
		found := territory.SearchEPCI(q, 2)
		if len(found) != 1 {
			f.Errors["epci"] = "EPCI introuvable ou ambigu : saisissez son SIREN ou son nom exact."
		} else {
			communes := make([]ctg.Commune, len(found[0].Communes))
			for i, m := range found[0].Communes {
				communes[i] = ctg.Commune{INSEE: m.INSEE, Name: m.Name, Population: m.Population}
			}
			c.SetTerritory(found[0].SIREN, communes)
		}
	}
	for i := 1; i <= rowCount(f.Values, "signatory_"); i++ {
		n := strconv.Itoa(i)
		if s := f.str("signatory_" + n); s != "" {
			c.Signatories = append(c.Signatories, ctg.Signatory{Organisation: s, RepresentedBy: f.str("represented_" + n)})
		}
	}
	for i := 1; i <= rowCount(f.Values, "objective_label_"); i++ {
		n := strconv.Itoa(i)
		if l := f.str("objective_label_" + n); l != "" {
			c.Objectives = append(c.Objectives, ctg.DevObjective{Kind: f.str("objective_kind_" + n), Label: l,
				Target: f.int("objective_target_" + n), Achieved: f.int("objective_achieved_" + n)})
		}
	}
	return c
}

// adminCaf is the Caf the signed-in administrator runs, the only one where
// they may create a CTG.
func (s *Server) adminCaf(r *http.Request) (ctg.Caf, error) {
	p := principalOf(r)
	if p == nil || !p.CanAdminister(p.User.CafID) {
		return ctg.Caf{}, apperr.New(apperr.Forbidden, msg.ErrForbidden)
	}
	return s.db.Caf(r.Context(), p.User.CafID)
}

func (s *Server) ctgFormView(r *http.Request, cafID int64, f *form) (*ctgFormView, error) {
	caf, err := s.db.Caf(r.Context(), cafID)
	if err != nil {
		return nil, err
	}
	n, err := s.db.Nomenclature(r.Context(), cafID)
	if err != nil {
		return nil, err
	}
	return &ctgFormView{form: f, Nom: n, EPCIs: territory.EPCIsInDepartment(caf.Department)}, nil
}

func (s *Server) ctgNew(w http.ResponseWriter, r *http.Request) error {
	caf, err := s.adminCaf(r)
	if err != nil {
		return err
	}
	v, err := s.ctgFormView(r, caf.ID, newForm(url.Values{}))
	if err != nil {
		return err
	}
	v.Target = "/ctg"
	s.render(w, r, http.StatusOK, "ctg_form", "Nouvelle CTG", v.withRows(), crumb{"Accueil", "/"}, crumb{"Nouvelle CTG", ""})
	return nil
}

func (s *Server) ctgCreate(w http.ResponseWriter, r *http.Request) error {
	caf, err := s.adminCaf(r)
	if err != nil {
		return err
	}
	return s.saveCTG(w, r, caf.ID, nil)
}

func (s *Server) ctgEdit(w http.ResponseWriter, r *http.Request) error {
	c := ctgOf(r)
	v, err := s.ctgFormView(r, c.CafID, newForm(ctgValues(c)))
	if err != nil {
		return err
	}
	v.CTG, v.Target = c, ctgURL(c.ID)+"/edit"
	s.render(w, r, http.StatusOK, "ctg_form", "Paramètres de la CTG", v.withRows(), crumb{"Accueil", "/"},
		crumb{c.Name, ctgURL(c.ID)}, crumb{"Paramètres", ""})
	return nil
}

func (s *Server) ctgUpdate(w http.ResponseWriter, r *http.Request) error {
	c := ctgOf(r)
	return s.saveCTG(w, r, c.CafID, c)
}

func (s *Server) saveCTG(w http.ResponseWriter, r *http.Request, cafID int64, old *ctg.CTG) error {
	v, err := s.ctgFormView(r, cafID, newForm(r.PostForm))
	if err != nil {
		return err
	}
	c := readCTG(v.form)
	c.CafID = cafID
	if old != nil {
		c.ID = old.ID
		if c.EPCISIREN == old.EPCISIREN {
			// keep the figures known at signature; old is shared with other
			// requests (kept per data version), so its list is copied
			c.Communes, c.Population = slices.Clone(old.Communes), old.Population
		}
	}
	if v.Invalid() {
		v.merge(c.Validate(v.Nom))
	} else {
		err = v.merge(s.db.Write(r.Context(), principalOf(r).User.ID, func(tx *store.Tx) error {
			if old == nil {
				return tx.CreateCTG(&c, v.Nom)
			}
			return tx.UpdateCTG(&c, v.Nom)
		}))
		if err != nil {
			return err
		}
	}
	if v.Invalid() {
		v.CTG, v.Target = old, r.URL.Path
		s.render(w, r, http.StatusUnprocessableEntity, "ctg_form", "Paramètres de la CTG", v.withRows(), crumb{"Accueil", "/"})
		return nil
	}
	http.Redirect(w, r, withOK(ctgURL(c.ID), "saved"), http.StatusSeeOther)
	return nil
}

// canCreateCTG shows the "new CTG" link on the home page.
func canCreateCTG(p *authz.Principal) bool { return p != nil && p.CanAdminister(p.User.CafID) }
