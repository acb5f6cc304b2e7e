package web

import (
	"copilote/internal/civil"
	"fmt"
	"net/http"
	"net/url"
	"strconv"
	"strings"

	"copilote/internal/actionplan"
	"copilote/internal/export"
	"copilote/internal/journal"
	"copilote/internal/store"
)

const pageSize = 50

// journalView is the journal list: filters as typed, one page of records,
// and what the filter selects in all.
type journalView struct {
	*ctgEnv
	*form
	Records []journal.Record
	Total   int
	Page    int
	Pages   int
	Specs   []journal.Spec
	Query   url.Values
	Base    string
	// Actions are the CTG's fiches, for the filter by fiche.
	Actions []actionplan.Action
}

// journalFilter reads the filter form; an unreadable date is reported on
// its field and ignored, so the list still shows.
func journalFilter(f *form, e *ctgEnv) store.RecordFilter {
	return store.RecordFilter{Scope: e.User.Scope(), CTGID: e.CTG.ID, PostID: f.id("post"),
		Kind: journal.Kind(f.str("kind")), Nature: f.str("nature"), Axis: f.str("axis"), PartnerID: f.id("partner"),
		From: f.date("from"), To: f.date("to"), Q: f.str("q"), Deleted: f.bool("deleted") && e.CanAdmin(),
		ActionID: f.id("action")}
}

func (s *Server) journalList(w http.ResponseWriter, r *http.Request) error {
	e, err := s.env(r)
	if err != nil {
		return err
	}
	f := newForm(r.URL.Query())
	filter := journalFilter(f, e)
	if format := f.str("format"); format == "csv" || format == "xlsx" {
		return s.exportJournal(w, r, e, filter, format)
	}
	key := pageKey{page: "journal", ctg: e.CTG.ID, query: r.URL.RawQuery, day: civil.Today(), more: filter.Deleted}
	kept, err := keepPage(s, r, key, func() (*journalView, error) {
		v := &journalView{form: f, Specs: journal.Specs, Base: ctgURL(e.CTG.ID) + "/journal"}
		var err error
		if v.Actions, _, err = s.db.Actions(r.Context(), store.ActionFilter{Scope: store.Scope{All: true}, CTGID: e.CTG.ID}); err != nil {
			return nil, err
		}
		v.Page = pageNumber(f)
		filter.Limit, filter.Offset = pageSize, (v.Page-1)*pageSize
		if v.Records, v.Total, err = s.db.Records(r.Context(), filter); err != nil {
			return nil, err
		}
		v.Pages = (v.Total + pageSize - 1) / pageSize
		v.Query = r.URL.Query()
		return v, nil
	})
	if err != nil {
		return err
	}
	v := *kept // the template only reads what is kept
	v.ctgEnv = e
	title := "Journal d'activité"
	if spec, ok := journal.SpecOf(filter.Kind); ok {
		title = spec.Plural
	}
	if name := v.ActionName(filter.ActionID); name != "" {
		title += " – " + name
	}
	s.render(w, r, http.StatusOK, "journal", title+" – "+e.CTG.Name, &v,
		crumb{"Accueil", "/"}, crumb{e.CTG.Name, ctgURL(e.CTG.ID)}, crumb{title, ""})
	return nil
}

// PageURL keeps the filters when moving between pages.
func (v *journalView) PageURL(page int) string {
	return listURL(v.Base, v.Query, "page", strconv.Itoa(page))
}

// ExportURL downloads every record the filters select, whatever the page.
func (v *journalView) ExportURL(format string) string {
	return listURL(v.Base, v.Query, "format", format)
}

// listURL is base with the filters of query, the page, export format and
// flash message dropped, and key set to value: the links of a list's
// pages and exports, which must neither stack pages nor repeat a message.
func listURL(base string, query url.Values, key, value string) string {
	q := url.Values{}
	for k, vs := range query {
		if k != "page" && k != "format" && k != "ok" {
			q[k] = append([]string(nil), vs...)
		}
	}
	if key != "page" || value != "1" {
		q.Set(key, value)
	}
	if len(q) == 0 {
		return base
	}
	return base + "?" + q.Encode()
}

func (v *journalView) KindLabel(k journal.Kind) string {
	if s, ok := journal.SpecOf(k); ok {
		return s.Label
	}
	return string(k)
}

// NatureLabel names a record's nature with its kind's list.
func (v *journalView) NatureLabel(r journal.Record) string {
	s, ok := journal.SpecOf(r.Kind)
	if !ok || r.Nature == "" {
		return ""
	}
	return v.Label(string(s.NatureKind), r.Nature)
}

// NatureGroups lists every kind's natures for the filter.
func (v *journalView) NatureGroups() []natureGroup {
	var out []natureGroup
	for _, s := range journal.Specs {
		if s.NatureKind != "" {
			out = append(out, natureGroup{Label: s.Label, Values: v.Choices(string(s.NatureKind))})
		}
	}
	return out
}

type natureGroup struct {
	Label  string
	Values any
}

func (v *journalView) PartnerNames(ids []int64) string {
	names := make([]string, len(ids))
	for i, id := range ids {
		names[i] = v.PartnerName(id)
	}
	return strings.Join(names, ", ")
}

// exportJournal writes every record the filter selects, not one page, as
// the store streams them (see streamExport).
func (s *Server) exportJournal(w http.ResponseWriter, r *http.Request, e *ctgEnv, f store.RecordFilter, format string) error {
	if err := s.checkXLSXRows(r.Context(), format, f); err != nil {
		return err
	}
	v := &journalView{ctgEnv: e}
	actions, _, err := s.db.Actions(r.Context(), store.ActionFilter{Scope: store.Scope{All: true}, CTGID: e.CTG.ID})
	if err != nil {
		return err
	}
	fiche := map[int64]string{}
	for _, a := range actions {
		fiche[a.ID] = a.Code + " – " + a.Title
	}
	t := export.Table{Title: "Journal " + e.CTG.Name,
		Columns: []string{"Date", "Type", "Intitulé", "Nature", "Public", "Axe", "Auteur(e)", "Partenaires", "Statut",
			"Facilité", "Commentaire", "Identifiant", "Fiche action"}}
	return s.streamExport(w, r, format, fmt.Sprintf("journal-ctg%d", e.CTG.ID), t, func(row func(...any) error) error {
		return s.db.StreamRecords(r.Context(), f, func(recs []journal.Record) error {
			for _, rec := range recs {
				spec, _ := journal.SpecOf(rec.Kind)
				err := row(rec.Date, spec.Label, rec.Title, v.NatureLabel(rec),
					e.Label(string(spec.AudienceKind), rec.Audience), e.Label("axis", rec.Axis), e.PostName(rec.PostID),
					v.PartnerNames(rec.PartnerIDs), e.Label(string(spec.StatusKind), rec.Status),
					yesNo(spec.Uses(journal.FFacilitated), rec.Facilitated), rec.Comment, rec.ID, fiche[rec.ActionID])
				if err != nil {
					return err
				}
			}
			return nil
		})
	})
}

func yesNo(applies, v bool) string {
	if !applies {
		return ""
	}
	if v {
		return "oui"
	}
	return "non"
}
