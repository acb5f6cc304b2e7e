package web

import (
	"fmt"
	"net/http"
	"net/url"
	"slices"
	"sort"
	"strconv"
	"strings"

	"copilote/internal/apperr"
	"copilote/internal/export"
	"copilote/internal/journal"
	"copilote/internal/msg"
	"copilote/internal/partner"
	"copilote/internal/store"
)

// Partners belong to the Caf and are shared by its CTGs; the register is
// reached from a CTG, which decides who may see it.
type partnerView struct {
	*ctgEnv
	*form
	Rows       []store.PartnerRow
	Total      int
	Page       int
	Pages      int
	Query      url.Values
	Base       string
	Partner    *partner.Partner
	Records    []journal.Record
	Duplicates [][]partner.Partner
	// Proposals are the Caf's open merge proposals (partner_merge.go).
	Proposals []store.MergeProposal
	// Editable: the partner may be changed through this CTG (editablePartner).
	Editable bool
}

func (v *partnerView) PageURL(page int) string {
	q := url.Values{}
	for k, vs := range v.Query {
		q[k] = vs
	}
	q.Set("page", strconv.Itoa(page))
	return v.Base + "?" + q.Encode()
}

func (s *Server) partnerView(r *http.Request, f *form) (*partnerView, error) {
	e, err := s.env(r)
	if err != nil {
		return nil, err
	}
	return &partnerView{ctgEnv: e, form: f, Base: ctgURL(e.CTG.ID) + "/partners"}, nil
}

func (s *Server) partnerList(w http.ResponseWriter, r *http.Request) error {
	q := r.URL.Query()
	if _, set := q["scope"]; !set {
		q.Set("scope", "ctg")
	}
	v, err := s.partnerView(r, newForm(q))
	if err != nil {
		return err
	}
	filter := store.PartnerFilter{CafID: v.CTG.CafID, ForCTG: v.CTG.ID, Type: v.str("type"), Q: v.str("q")}
	if v.str("scope") == "ctg" {
		filter.CTGID = v.CTG.ID
	}
	if format := v.str("format"); format == "csv" || format == "xlsx" {
		v.Rows, _, err = s.db.Partners(r.Context(), filter)
		if err != nil {
			return err
		}
		return writeExport(w, format, fmt.Sprintf("partenaires-ctg%d", v.CTG.ID), v.exportTable())
	}
	v.Page = pageNumber(v.form)
	filter.Limit, filter.Offset = pageSize, (v.Page-1)*pageSize
	if v.Rows, v.Total, err = s.db.Partners(r.Context(), filter); err != nil {
		return err
	}
	v.Pages, v.Query = (v.Total+pageSize-1)/pageSize, q
	v.Duplicates = duplicates(v.PartnerList())
	if v.Proposals, err = s.db.MergeProposals(r.Context(), v.CTG.CafID); err != nil {
		return err
	}
	s.render(w, r, http.StatusOK, "partners", "Partenaires – "+v.CTG.Name, v,
		crumb{"Accueil", "/"}, crumb{v.CTG.Name, ctgURL(v.CTG.ID)}, crumb{"Partenaires", ""})
	return nil
}

func (v *partnerView) exportTable() export.Table {
	t := export.Table{Title: "Partenaires", Columns: []string{"Nom", "Type", "SIRET", "Enregistrements liés",
		"Première implication dans la CTG", "Identifiant"}}
	for _, p := range v.Rows {
		t.Rows = append(t.Rows, []any{p.Name, v.Label("partner_type", p.Type), p.SIRET, p.Records, p.FirstInCTG, p.ID})
	}
	return t
}

// duplicates groups partners sharing a SIRET or a folded name, the two
// signs of a partner entered twice.
func duplicates(list []partner.Partner) [][]partner.Partner {
	groups := map[string][]partner.Partner{}
	for _, p := range list {
		groups["n:"+partner.NormalizeName(p.Name)] = append(groups["n:"+partner.NormalizeName(p.Name)], p)
		if p.SIRET != "" {
			groups["s:"+p.SIRET] = append(groups["s:"+p.SIRET], p)
		}
	}
	seen := map[string]bool{}
	var out [][]partner.Partner
	for _, g := range groups {
		if len(g) < 2 {
			continue
		}
		key := ""
		for _, p := range g {
			key += strconv.FormatInt(p.ID, 10) + ","
		}
		if !seen[key] {
			seen[key] = true
			out = append(out, g)
		}
	}
	sort.Slice(out, func(i, j int) bool { return out[i][0].Name < out[j][0].Name })
	return out
}

func (s *Server) partnerNew(w http.ResponseWriter, r *http.Request) error {
	v, err := s.partnerView(r, newForm(url.Values{"name": {r.URL.Query().Get("name")}}))
	if err != nil {
		return err
	}
	s.renderPartnerForm(w, r, http.StatusOK, v)
	return nil
}

func (s *Server) renderPartnerForm(w http.ResponseWriter, r *http.Request, status int, v *partnerView) {
	title := "Nouveau partenaire"
	if v.Partner != nil {
		title = "Modifier : " + v.Partner.Name
	}
	s.render(w, r, status, "partner_form", title, v, crumb{"Accueil", "/"},
		crumb{v.CTG.Name, ctgURL(v.CTG.ID)}, crumb{"Partenaires", v.Base}, crumb{title, ""})
}

// Action is where the partner form posts.
func (v *partnerView) Action() string {
	if v.Partner != nil {
		return v.Base + "/" + strconv.FormatInt(v.Partner.ID, 10)
	}
	return v.Base
}

func (s *Server) partnerEdit(w http.ResponseWriter, r *http.Request) error {
	v, err := s.partnerView(r, nil)
	if err != nil {
		return err
	}
	p, err := s.editablePartner(r, v, toID(r.PathValue("id")))
	if err != nil {
		return err
	}
	v.Partner, v.form = &p, newForm(url.Values{"name": {p.Name}, "type": {p.Type}, "siret": {p.SIRET}})
	s.renderPartnerForm(w, r, http.StatusOK, v)
	return nil
}

func (s *Server) partnerCreate(w http.ResponseWriter, r *http.Request) error {
	v, err := s.partnerView(r, newForm(r.PostForm))
	if err != nil {
		return err
	}
	p := partner.Partner{CafID: v.CTG.CafID, Name: v.str("name"), Type: v.str("type"), SIRET: v.str("siret")}
	if id := toID(r.PathValue("id")); id != 0 {
		old, err := s.editablePartner(r, v, id)
		if err != nil {
			return err
		}
		p.ID, v.Partner = id, &old
	}
	if dup := v.sameAs(p); dup != nil {
		v.Errors["name"] = "Ce partenaire existe déjà dans le registre : " + dup.Name + "."
	}
	if !v.Invalid() {
		err = v.merge(s.db.Write(r.Context(), v.User.User.ID, func(tx *store.Tx) error { return tx.SavePartner(&p, v.Nom) }))
		if err != nil {
			return err
		}
	}
	if v.Invalid() {
		s.renderPartnerForm(w, r, http.StatusUnprocessableEntity, v)
		return nil
	}
	http.Redirect(w, r, withOK(v.Base+"/"+strconv.FormatInt(p.ID, 10), "saved"), http.StatusSeeOther)
	return nil
}

// editablePartner is partner id of the Caf if it may be changed through
// this CTG: partners are shared by the Caf's CTGs, but one that other
// CTGs use and this one does not is theirs to rename. A partner no CTG
// uses yet, just created, stays open to all. Otherwise it answers the 404
// of an unknown partner.
func (s *Server) editablePartner(r *http.Request, v *partnerView, id int64) (partner.Partner, error) {
	p, ok := v.Partners[id]
	if !ok || p.MergedInto != 0 {
		return p, apperr.NotFoundf(msg.NotFoundPartner)
	}
	inCTG, err := s.partnerInCTG(r, v, id)
	if err == nil && !inCTG {
		err = apperr.NotFoundf(msg.NotFoundPartner)
	}
	return p, err
}

// partnerInCTG tells whether the CTG of the page uses the partner, or no
// CTG does.
func (s *Server) partnerInCTG(r *http.Request, v *partnerView, id int64) (bool, error) {
	ctgs, err := s.db.PartnerCTGs(r.Context(), id)
	return len(ctgs) == 0 || slices.Contains(ctgs, v.CTG.ID), err
}

// sameAs finds a partner the new one duplicates, to stop it at the door.
func (v *partnerView) sameAs(p partner.Partner) *partner.Partner {
	name := partner.NormalizeName(p.Name)
	for _, q := range v.PartnerList() {
		if q.ID == p.ID {
			continue
		}
		if (p.SIRET != "" && q.SIRET == p.SIRET) || (name != "" && partner.NormalizeName(q.Name) == name) {
			return &q
		}
	}
	return nil
}

func (s *Server) partnerShow(w http.ResponseWriter, r *http.Request) error {
	v, err := s.partnerView(r, newForm(nil))
	if err != nil {
		return err
	}
	id, _ := strconv.ParseInt(r.PathValue("id"), 10, 64)
	p, ok := v.Partners[id]
	if !ok {
		return apperr.NotFoundf(msg.NotFoundPartner)
	}
	v.Partner = &p
	if v.Editable, err = s.partnerInCTG(r, v, p.ID); err != nil {
		return err
	}
	v.Records, v.Total, err = s.db.Records(r.Context(), store.RecordFilter{Scope: v.User.Scope(), CTGID: v.CTG.ID, PartnerID: p.ID})
	if err != nil {
		return err
	}
	s.render(w, r, http.StatusOK, "partner", p.Name, v, crumb{"Accueil", "/"},
		crumb{v.CTG.Name, ctgURL(v.CTG.ID)}, crumb{"Partenaires", v.Base}, crumb{p.Name, ""})
	return nil
}

// FirstRecord is the partner's first involvement in the CTG (records are
// newest first).
func (v *partnerView) FirstRecord() *journal.Record {
	if len(v.Records) == 0 {
		return nil
	}
	return &v.Records[len(v.Records)-1]
}

// mergeChoice reads the pair a merge form names and the partner it keeps:
// two live partners of the Caf.
func (v *partnerView) mergeChoice() (keep, dup int64, err error) {
	keep = v.id("keep")
	if a, b, ok := strings.Cut(v.str("pair"), ","); ok {
		// the duplicate is whichever of the pair was not kept
		dup = toID(a)
		if dup == keep {
			dup = toID(b)
		}
	}
	k, ok1 := v.Partners[keep]
	d, ok2 := v.Partners[dup]
	if !ok1 || !ok2 || keep == dup || k.MergedInto != 0 || d.MergedInto != 0 {
		return 0, 0, apperr.New(apperr.Invalid, msg.InvalidChoice)
	}
	return keep, dup, nil
}

// partnerMerge keeps one partner and moves every link of the other onto it;
// it settles the proposals that named the merged partner.
func (s *Server) partnerMerge(w http.ResponseWriter, r *http.Request) error {
	v, err := s.partnerView(r, newForm(r.PostForm))
	if err != nil {
		return err
	}
	keep, dup, err := v.mergeChoice()
	if err != nil {
		return err
	}
	if err := s.db.Write(r.Context(), v.User.User.ID, func(tx *store.Tx) error { return tx.MergePartner(keep, dup) }); err != nil {
		return err
	}
	http.Redirect(w, r, withOK(v.Base+"/"+strconv.FormatInt(keep, 10), "merged"), http.StatusSeeOther)
	return nil
}
