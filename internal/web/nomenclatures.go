package web

import (
	"net/http"

	"copilote/internal/apperr"
	"copilote/internal/msg"
	"copilote/internal/nomenclature"
	"copilote/internal/store"
)

// nomenclatureView lists every list a Caf uses, national values first; an
// administrator adds the Caf's own values, never free text in records.
type nomenclatureView struct {
	*form
	Kinds []kindList
}

type kindList struct {
	Kind   nomenclature.Kind
	Label  string
	Values []nomenclature.Value
}

func (s *Server) nomenclatures(w http.ResponseWriter, r *http.Request) error {
	return s.renderNomenclatures(w, r, http.StatusOK, newForm(nil))
}

func (s *Server) renderNomenclatures(w http.ResponseWriter, r *http.Request, status int, f *form) error {
	caf, err := s.adminCaf(r)
	if err != nil {
		return err
	}
	set, err := s.db.Nomenclature(r.Context(), caf.ID)
	if err != nil {
		return err
	}
	v := &nomenclatureView{form: f}
	for _, k := range nomenclature.Kinds {
		v.Kinds = append(v.Kinds, kindList{Kind: k, Label: nomenclature.KindLabels[k], Values: set.Values(k)})
	}
	s.render(w, r, status, "nomenclatures", "Listes de valeurs – "+caf.Name, v, crumb{"Accueil", "/"}, crumb{"Listes de valeurs", ""})
	return nil
}

func (s *Server) nomenclatureAdd(w http.ResponseWriter, r *http.Request) error {
	caf, err := s.adminCaf(r)
	if err != nil {
		return err
	}
	f := newForm(r.PostForm)
	kind := nomenclature.Kind(f.str("kind"))
	if _, ok := nomenclature.KindLabels[kind]; !ok {
		return apperr.New(apperr.Invalid, msg.InvalidChoice)
	}
	if f.Invalid() {
		err = f.Errors.Err()
	} else {
		err = s.db.Write(r.Context(), principalOf(r).User.ID, func(tx *store.Tx) error {
			_, err := tx.AddNomenclature(caf.ID, kind, f.str("label"))
			return err
		})
	}
	if apperr.CodeOf(err) == apperr.Conflict {
		f.Errors["label_"+string(kind)] = "Cette valeur existe déjà dans la liste."
	} else if err = f.merge(err); err != nil {
		return err
	}
	if e, ok := f.Errors["label"]; ok { // on the field of that list's form
		f.Errors["label_"+string(kind)] = e
		delete(f.Errors, "label")
	}
	if f.Invalid() {
		return s.renderNomenclatures(w, r, http.StatusUnprocessableEntity, f)
	}
	http.Redirect(w, r, withOK("/caf/nomenclatures#"+string(kind), "saved"), http.StatusSeeOther)
	return nil
}
