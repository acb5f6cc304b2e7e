package web

import (
	"maps"
	"net/http"
	"net/url"
	"strconv"

	"copilote/internal/export"
	"copilote/internal/journal"
	"copilote/internal/nomenclature"
	"copilote/internal/store"
)

// allJournalView lists records across every CTG the user may see, filtered
// by CTG among the rest. Names are looked up for the records shown only, so
// the page stays light at national scale.
type allJournalView struct {
	*form
	CTGs     []store.CTGSummary
	Records  []journal.Record
	Total    int
	Page     int
	Pages    int
	Query    url.Values
	Base     string
	Specs    []journal.Spec
	posts    map[int64]string
	partners map[int64]string
	ctgNames map[int64]string
}

func (v *allJournalView) Choices(kind string) []nomenclature.Value {
	return nomenclature.Default.Values(nomenclature.Kind(kind))
}
func (v *allJournalView) Label(kind, code string) string {
	return nomenclature.Default.Label(nomenclature.Kind(kind), code)
}
func (v *allJournalView) PostName(id int64) string { return v.posts[id] }
func (v *allJournalView) CTGName(id int64) string  { return v.ctgNames[id] }
func (v *allJournalView) KindLabel(k journal.Kind) string {
	s, _ := journal.SpecOf(k)
	return s.Label
}
func (v *allJournalView) PartnerNames(ids []int64) string {
	s := ""
	for i, id := range ids {
		if i > 0 {
			s += ", "
		}
		s += v.partners[id]
	}
	return s
}
func (v *allJournalView) NatureLabel(r journal.Record) string {
	s, ok := journal.SpecOf(r.Kind)
	if !ok || r.Nature == "" {
		return ""
	}
	return v.Label(string(s.NatureKind), r.Nature)
}
func (v *allJournalView) NatureGroups() []natureGroup {
	var out []natureGroup
	for _, s := range journal.Specs {
		if s.NatureKind != "" {
			out = append(out, natureGroup{Label: s.Label, Values: v.Choices(string(s.NatureKind))})
		}
	}
	return out
}
func (v *allJournalView) PageURL(page int) string {
	return listURL(v.Base, v.Query, "page", strconv.Itoa(page))
}

// ExportURL downloads every record the filters select, whatever the page:
// the query is encoded once, not escaped again by the template.
func (v *allJournalView) ExportURL(format string) string {
	return listURL(v.Base, v.Query, "format", format)
}

func (s *Server) journalAll(w http.ResponseWriter, r *http.Request) error {
	p := principalOf(r)
	v := &allJournalView{form: newForm(r.URL.Query()), Base: "/journal", Specs: journal.Specs, Query: r.URL.Query(),
		ctgNames: map[int64]string{}}
	var err error
	if v.CTGs, err = s.db.CTGs(r.Context(), p.Scope()); err != nil {
		return err
	}
	for _, c := range v.CTGs {
		v.ctgNames[c.ID] = c.Name
	}
	f := store.RecordFilter{Scope: p.Scope(), CTGID: v.id("ctg"), Kind: journal.Kind(v.str("kind")), Nature: v.str("nature"),
		Axis: v.str("axis"), From: v.date("from"), To: v.date("to"), Q: v.str("q")}
	if format := v.str("format"); format == "csv" || format == "xlsx" {
		return s.exportAllJournal(w, r, v, f, format)
	}
	v.Page = pageNumber(v.form)
	f.Limit, f.Offset = pageSize, (v.Page-1)*pageSize
	if v.Records, v.Total, err = s.db.Records(r.Context(), f); err != nil {
		return err
	}
	if err := s.nameRecords(r, v); err != nil {
		return err
	}
	v.Pages = (v.Total + pageSize - 1) / pageSize
	s.render(w, r, http.StatusOK, "journal_all", "Journal de toutes mes CTG", v, crumb{"Accueil", "/"}, crumb{"Journal", ""})
	return nil
}

// nameRecords looks up the names of v.Records' posts and partners that v
// does not know yet: an export adds those of each batch, so that its
// names hold the posts and partners it met, not its rows.
func (s *Server) nameRecords(r *http.Request, v *allJournalView) error {
	if v.posts == nil {
		v.posts, v.partners = map[int64]string{}, map[int64]string{}
	}
	var posts, partners []int64
	for _, rec := range v.Records {
		posts = appendUnknown(posts, v.posts, rec.PostID)
		for _, p := range rec.PartnerIDs {
			partners = appendUnknown(partners, v.partners, p)
		}
	}
	names, err := s.db.PostNames(r.Context(), posts)
	if err != nil {
		return err
	}
	maps.Copy(v.posts, names)
	if names, err = s.db.PartnerNamesOf(r.Context(), partners); err != nil {
		return err
	}
	maps.Copy(v.partners, names)
	return nil
}

// appendUnknown appends id to ids unless names knows it; it marks it known
// (unnamed until looked up) so that it is asked once.
func appendUnknown(ids []int64, names map[int64]string, id int64) []int64 {
	if _, ok := names[id]; ok {
		return ids
	}
	names[id] = ""
	return append(ids, id)
}

var allJournalColumns = []string{"CTG", "Date", "Type", "Intitulé", "Nature", "Axe", "Auteur(e)", "Partenaires", "Identifiant"}

// exportAllJournal writes every record the filter selects across the
// user's CTGs, as the store streams them (see streamExport).
func (s *Server) exportAllJournal(w http.ResponseWriter, r *http.Request, v *allJournalView, f store.RecordFilter, format string) error {
	if err := s.checkXLSXRows(r.Context(), format, f); err != nil {
		return err
	}
	t := export.Table{Title: "Journal", Columns: allJournalColumns}
	return s.streamExport(w, r, format, "journal", t, func(row func(...any) error) error {
		return s.db.StreamRecords(r.Context(), f, func(recs []journal.Record) error {
			v.Records = recs
			if err := s.nameRecords(r, v); err != nil {
				return err
			}
			for _, rec := range recs {
				err := row(v.CTGName(rec.CTGID), rec.Date, v.KindLabel(rec.Kind), rec.Title, v.NatureLabel(rec),
					v.Label("axis", rec.Axis), v.PostName(rec.PostID), v.PartnerNames(rec.PartnerIDs), rec.ID)
				if err != nil {
					return err
				}
			}
			return nil
		})
	})
}
