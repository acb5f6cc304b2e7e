package web

import (
	"encoding/json"
	"maps"
	"net/http"
	"net/url"
	"slices"
	"strconv"
	"strings"

	"copilote/internal/account"
	"copilote/internal/apperr"
	"copilote/internal/export"
	"copilote/internal/msg"
	"copilote/internal/store"
)

// auditView is the audit log of a Caf as its administrators browse it.
type auditView struct {
	*form
	Entries []store.AuditEntry
	Total   int
	Page    int
	Pages   int
	CTGs    []store.CTGSummary
	Users   []account.User
	Check   *store.AuditCheck
	query   url.Values
	ctgName map[int64]string
}

// auditActionsShown are the actions the filter offers, in French.
var auditActionsShown = []string{store.ActCreate, store.ActUpdate, store.ActDelete, store.ActRestore, store.ActMerge,
	store.ActLogin, store.ActLoginFailed, store.ActCloseYear, store.ActReopenYear, store.ActSubmit, store.ActReturn,
	store.ActValidate, store.ActReopen, store.ActPurge, store.ActImport, store.ActUndoImport, store.ActErase}

func (v *auditView) Actions() []string { return auditActionsShown }

func (v *auditView) CTGName(id int64) string { return v.ctgName[id] }

func (v *auditView) PageURL(page int) string {
	q := url.Values{}
	for k, vs := range v.query {
		if k != "format" && k != "verify" {
			q[k] = vs
		}
	}
	q.Set("page", strconv.Itoa(page))
	return "/caf/audit?" + q.Encode()
}

// VerifyURL asks the page again with the chain checked.
func (v *auditView) VerifyURL() string {
	q := url.Values{}
	for k, vs := range v.query {
		if k != "format" {
			q[k] = vs
		}
	}
	q.Set("verify", "1")
	return "/caf/audit?" + q.Encode()
}

func (v *auditView) ExportURL(format string) string {
	q := url.Values{}
	for k, vs := range v.query {
		if k != "page" && k != "verify" {
			q[k] = vs
		}
	}
	q.Set("format", format)
	return "/caf/audit?" + q.Encode()
}

// auditLog lets a Caf administrator browse, filter, export and check the
// audit log of the Caf (issue 12, item 2).
func (s *Server) auditLog(w http.ResponseWriter, r *http.Request) error {
	p := principalOf(r)
	if !p.CanAdministerCaf() {
		return apperr.New(apperr.Forbidden, msg.ErrForbidden)
	}
	v := &auditView{form: newForm(r.URL.Query()), query: r.URL.Query(), ctgName: map[int64]string{}}
	f := store.AuditFilter{CafID: p.User.CafID, CTGID: v.id("ctg"), UserID: v.id("user"), Action: v.str("action"),
		Entity: v.str("entity"), From: v.date("from"), To: v.date("to")}
	var err error
	if v.CTGs, err = s.db.CTGs(r.Context(), store.Scope{CafID: p.User.CafID}); err != nil {
		return err
	}
	for _, c := range v.CTGs {
		v.ctgName[c.ID] = c.Name
	}
	if format := v.str("format"); format == "csv" || format == "xlsx" {
		return s.exportAudit(w, r, v, f, format)
	}
	if v.Users, err = s.db.Users(r.Context(), p.User.CafID); err != nil {
		return err
	}
	v.Page = pageNumber(v.form)
	f.Limit, f.Offset = pageSize, (v.Page-1)*pageSize
	if v.Entries, v.Total, err = s.db.AuditEntries(r.Context(), f); err != nil {
		return err
	}
	v.Pages = (v.Total + pageSize - 1) / pageSize
	if v.bool("verify") {
		c, err := s.db.VerifyAudit(r.Context())
		if err != nil {
			return err
		}
		v.Check = &c
	}
	s.render(w, r, http.StatusOK, "audit", "Journal d'audit", v, crumb{"Accueil", "/"}, crumb{"Journal d'audit", ""})
	return nil
}

func (s *Server) exportAudit(w http.ResponseWriter, r *http.Request, v *auditView, f store.AuditFilter, format string) error {
	head := export.Table{Title: "Journal d'audit", Columns: []string{"N° dans la chaîne", "Date et heure", "Compte", "Action",
		"Objet", "Identifiant", "CTG", "Détail"}}
	return s.streamExport(w, r, format, "journal-audit", head, func(emit func(cells ...any) error) error {
		return s.db.StreamAudit(r.Context(), f, func(batch []store.AuditEntry) error {
			for _, e := range batch {
				if err := emit(e.Seq, datetime(e.At), e.UserName, auditAction(e.Action), e.Entity, e.EntityID,
					v.ctgName[e.CTGID], e.Detail); err != nil {
					return err
				}
			}
			return nil
		})
	})
}

// auditDetail writes an entry's detail (JSON) as a reader scans it:
// "title : Retard RPE · nature : retard", empty values left out.
func auditDetail(detail string) string {
	var m map[string]any
	if json.Unmarshal([]byte(detail), &m) != nil {
		return detail
	}
	keys := slices.Sorted(maps.Keys(m))
	var parts []string
	for _, k := range keys {
		switch v := m[k].(type) {
		case nil:
		case string:
			if v != "" {
				parts = append(parts, k+" : "+v)
			}
		default:
			b, _ := json.Marshal(v)
			if s := string(b); s != "false" && s != "0" && s != "[]" && s != "{}" {
				parts = append(parts, k+" : "+s)
			}
		}
	}
	return strings.Join(parts, " · ")
}
