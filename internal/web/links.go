package web

import (
	"html"
	"html/template"
	"net/http"
	"strconv"
	"strings"

	"copilote/internal/actionplan"
	"copilote/internal/apperr"
	"copilote/internal/journal"
	"copilote/internal/partner"
	"copilote/internal/store"
)

// Links between things (issue 11, item 5): a fiche action's page lists
// what is linked to it, pickers and filters show the CTG's partners first,
// and every link names what it opens.

// loadCTGPartners notes which partners the CTG involves.
func (s *Server) loadCTGPartners(r *http.Request, e *ctgEnv) error {
	ids, err := s.db.PartnersOfCTG(r.Context(), e.CTG.ID)
	e.inCTG = make(map[int64]bool, len(ids))
	for _, id := range ids {
		e.inCTG[id] = true
	}
	return err
}

// partnerGroup is a part of a partner picker: the CTG's, then the Caf's.
type partnerGroup struct {
	Label    string
	Partners []partner.Partner
}

// PartnerGroups splits PartnerList for a <select> with <optgroup>s.
func (e *ctgEnv) PartnerGroups() []partnerGroup {
	mine := partnerGroup{Label: "Partenaires de la CTG"}
	rest := partnerGroup{Label: "Autres partenaires de la Caf"}
	for _, p := range e.PartnerList() {
		if e.inCTG[p.ID] {
			mine.Partners = append(mine.Partners, p)
		} else {
			rest.Partners = append(rest.Partners, p)
		}
	}
	var out []partnerGroup
	for _, g := range []partnerGroup{mine, rest} {
		if len(g.Partners) > 0 {
			out = append(out, g)
		}
	}
	return out
}

// PartnerOptions is the <option>s of PartnerGroups in their <optgroup>s,
// the one whose id is selected marked. Written by the template, the Caf's
// few hundred partners were most of a journal page's rendering, and the
// journal half of a loaded server's time (CPU profile of the 10 M mixed
// load): they are written here from escaped text, once per version of the
// CTG when none is selected.
func (e *ctgEnv) PartnerOptions(selected string) template.HTML {
	if selected == "" && e.partnerOptions != "" {
		return e.partnerOptions
	}
	return e.writePartnerOptions(selected)
}

func (e *ctgEnv) writePartnerOptions(selected string) template.HTML {
	var b strings.Builder
	for _, g := range e.PartnerGroups() {
		b.WriteString(`<optgroup label="` + html.EscapeString(g.Label) + `">`)
		for _, p := range g.Partners {
			id := strconv.FormatInt(p.ID, 10)
			b.WriteString(`<option value="` + id + `"`)
			if id == selected {
				b.WriteString(` selected`)
			}
			b.WriteString(`>` + html.EscapeString(p.Name) + `</option>`)
		}
		b.WriteString(`</optgroup>`)
	}
	return template.HTML(b.String()) // every text in it is escaped above
}

// KindLabel names a record's kind.
func (e *ctgEnv) KindLabel(k journal.Kind) string {
	if s, ok := journal.SpecOf(k); ok {
		return s.Label
	}
	return string(k)
}

// RecordName is what a link to a record says: its kind and title.
func (e *ctgEnv) RecordName(r journal.Record) string {
	name := e.KindLabel(r.Kind)
	if r.Title != "" {
		name += " : " + r.Title
	}
	return name
}

// StatusLabel names a record's status (an alert's, a subject's), if any.
func (e *ctgEnv) StatusLabel(r journal.Record) string {
	s, ok := journal.SpecOf(r.Kind)
	if !ok || s.StatusKind == "" || r.Status == "" {
		return ""
	}
	return e.Label(string(s.StatusKind), r.Status)
}

// FicheName is what a link to a fiche action says: "Fiche PE-1 : Ouvrir
// une micro-crèche à Menglon".
func FicheName(a actionplan.Action) string { return "Fiche " + a.Code + " : " + a.Title }

// linkedKinds are the groups of records a fiche's page lists, in order;
// the last gathers the other kinds.
var linkedKinds = []struct {
	Kind  journal.Kind
	Label string
}{{journal.Alerte, "Alertes au Copil"}, {journal.Decision, "Décisions du Copil"}, {journal.Reunion, "Réunions"}, {"", "Autres enregistrements"}}

// linkedGroup is one group of the records linked to a fiche.
type linkedGroup struct {
	ID, Label string
	Kind      journal.Kind // what the "add" link creates; "" for the others
	Records   []journal.Record
}

// LinkedGroups lists the records linked to the fiche, by kind.
func (v *actionView) LinkedGroups() []linkedGroup {
	out := make([]linkedGroup, len(linkedKinds))
	for i, k := range linkedKinds {
		out[i] = linkedGroup{ID: "linked-" + strconv.Itoa(i), Label: k.Label, Kind: k.Kind}
	}
	for _, r := range v.Linked {
		i := len(linkedKinds) - 1
		for j, k := range linkedKinds[:i] {
			if r.Kind == k.Kind {
				i = j
			}
		}
		out[i].Records = append(out[i].Records, r)
	}
	return out
}

// LinkableKinds are the kinds of record a fiche's page offers to create
// already linked to it.
func (v *actionView) LinkableKinds() []journal.Spec {
	var out []journal.Spec
	for _, s := range journal.Specs {
		if s.Uses(journal.FAction) {
			out = append(out, s)
		}
	}
	return out
}

// AlertName names the alert a progress update raised.
func (v *actionView) AlertName(id int64) string {
	for _, r := range v.Linked {
		if r.ID == id {
			return v.RecordName(r)
		}
	}
	return "Alerte portée au Copil"
}

// loadLinked reads the records linked to the fiche.
func (s *Server) loadLinked(r *http.Request, v *actionView) error {
	var err error
	v.Linked, _, err = s.db.Records(r.Context(), store.RecordFilter{Scope: v.User.Scope(), CTGID: v.CTG.ID, ActionID: v.Action.ID})
	return err
}

// ActionName names fiche id of the CTG, for the journal's filter.
func (v *journalView) ActionName(id int64) string {
	for _, a := range v.Actions {
		if a.ID == id {
			return FicheName(a)
		}
	}
	return ""
}

// loadRecordLinks reads the meeting and the fiche a record is linked to.
func (s *Server) loadRecordLinks(r *http.Request, v *recordView) error {
	rec := v.Record
	if rec.MeetingID != 0 {
		m, err := s.db.Record(r.Context(), rec.CTGID, rec.MeetingID)
		if err != nil && apperr.CodeOf(err) != apperr.NotFound {
			return err
		}
		v.Meeting = m
	}
	if rec.ActionID != 0 {
		a, err := s.db.Action(r.Context(), rec.CTGID, rec.ActionID)
		if err != nil && apperr.CodeOf(err) != apperr.NotFound {
			return err
		}
		v.Fiche = a
	}
	return nil
}

// MeetingName is what the link to the record's meeting says.
func (v *recordView) MeetingName() string {
	m := v.Meeting
	return v.KindLabel(m.Kind) + " du " + m.Date.French() + " : " + m.Title
}

// FicheName is what the link to the record's fiche says.
func (v *recordView) FicheName() string { return FicheName(*v.Fiche) }
