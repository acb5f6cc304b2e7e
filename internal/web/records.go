package web

import (
	"net/http"
	"net/url"
	"strconv"

	"copilote/internal/actionplan"
	"copilote/internal/apperr"
	"copilote/internal/journal"
	"copilote/internal/msg"
	"copilote/internal/nomenclature"
	"copilote/internal/store"
)

// recordView serves the record form and the record page.
type recordView struct {
	*ctgEnv
	*form
	Spec      journal.Spec
	Specs     []journal.Spec
	Record    *journal.Record
	Action    string // where the form posts
	Meetings  []journal.Record
	Actions   []actionplan.Action
	Children  []journal.Record // a meeting's decisions and alerts
	History   []store.AuditEntry
	Subject   []journal.SubjectStatus
	File      *journal.Attachment
	DecRows   []int
	AlertRows []int
	// Meeting and Fiche are what the record is linked to, named by the
	// page's links (links.go).
	Meeting *journal.Record
	Fiche   *actionplan.Action
	Prefill *prefillNote // what a new record's form was filled from (record_prefill.go)
}

func (v *recordView) Uses(field string) bool  { return v.Spec.Uses(journal.Field(field)) }
func (v *recordView) Needs(field string) bool { return v.Spec.Needs(journal.Field(field)) }

// IsMeeting offers the decision and alert rows.
func (v *recordView) IsMeeting() bool { return v.Spec.Kind == journal.Reunion }

func (s *Server) recordView(r *http.Request, kind journal.Kind, f *form) (*recordView, error) {
	e, err := s.env(r)
	if err != nil {
		return nil, err
	}
	spec, ok := journal.SpecOf(kind)
	if !ok {
		return nil, apperr.NotFoundf(msg.ErrNotFound)
	}
	v := &recordView{ctgEnv: e, form: f, Spec: spec, Specs: journal.Specs}
	for i := 1; i <= decisionRows; i++ {
		v.DecRows = append(v.DecRows, i)
	}
	for i := 1; i <= alertRows; i++ {
		v.AlertRows = append(v.AlertRows, i)
	}
	if spec.Uses(journal.FMeeting) {
		v.Meetings, _, err = s.db.Records(r.Context(), store.RecordFilter{Scope: store.Scope{All: true}, CTGID: e.CTG.ID,
			Kind: journal.Reunion, Nature: nomenclature.MeetingCopil, Limit: 50})
		if err != nil {
			return nil, err
		}
	}
	if spec.Uses(journal.FAction) {
		v.Actions, _, err = s.db.Actions(r.Context(), store.ActionFilter{Scope: store.Scope{All: true}, CTGID: e.CTG.ID})
	}
	return v, err
}

func (s *Server) recordNew(w http.ResponseWriter, r *http.Request) error {
	kind := journal.Kind(r.URL.Query().Get("kind"))
	c := ctgOf(r)
	if kind == "" && r.URL.Query().Get("from") == "" {
		e, err := s.env(r)
		if err != nil {
			return err
		}
		s.render(w, r, http.StatusOK, "record_kinds", "Nouvel enregistrement", map[string]any{"Env": e, "Specs": journal.Specs},
			crumb{"Accueil", "/"}, crumb{c.Name, ctgURL(c.ID)}, crumb{"Nouvel enregistrement", ""})
		return nil
	}
	e, err := s.env(r)
	if err != nil {
		return err
	}
	v, title, err := s.newRecordForm(r, e) // record_prefill.go
	if err != nil {
		return err
	}
	v.Action = ctgURL(c.ID) + "/records"
	s.renderRecordForm(w, r, http.StatusOK, v, title)
	return nil
}

func (s *Server) renderRecordForm(w http.ResponseWriter, r *http.Request, status int, v *recordView, title string) {
	c := v.CTG
	s.render(w, r, status, "record_form", title, v,
		crumb{"Accueil", "/"}, crumb{c.Name, ctgURL(c.ID)}, crumb{"Journal", ctgURL(c.ID) + "/journal"}, crumb{title, ""})
}

// recordCreate writes the record, a meeting's decisions and alerts, and a
// support's file in one transaction: all of it or nothing.
func (s *Server) recordCreate(w http.ResponseWriter, r *http.Request) error {
	return s.saveRecord(w, r, nil)
}

func (s *Server) recordUpdate(w http.ResponseWriter, r *http.Request) error {
	old, err := s.ownRecord(r)
	if err != nil {
		return err
	}
	return s.saveRecord(w, r, old)
}

func (s *Server) saveRecord(w http.ResponseWriter, r *http.Request, old *journal.Record) error {
	file, fileErr := s.readUpload(r)
	f := newForm(r.PostForm)
	kind := journal.Kind(f.str("kind"))
	if old != nil {
		kind = old.Kind
	}
	v, err := s.recordView(r, kind, f)
	if err != nil {
		return err
	}
	rec := readRecord(f, v.ctgEnv, kind)
	if old != nil {
		rec.ID = old.ID
	}
	if fileErr != "" {
		f.Errors["file"] = fileErr
	}
	if !v.User.CanRecordAs(rec.PostID, v.target()) {
		f.Errors.Add("post", msg.PostNotInCTG)
	}
	var children []journal.Record
	if kind == journal.Reunion && old == nil {
		children = meetingChildren(f, &rec)
	}
	if f.Invalid() {
		f.merge(rec.Validate(v.journalContext())) // show every problem at once
	} else {
		err = s.db.Write(r.Context(), v.User.User.ID, func(tx *store.Tx) error {
			return writeRecord(tx, v.Nom, &rec, children, file)
		})
		if err = f.merge(err); err != nil {
			return err
		}
	}
	if f.Invalid() {
		v.Action = r.URL.Path
		v.Record = old
		title := "Nouvel enregistrement : " + v.Spec.Label
		if old != nil {
			title = "Modifier : " + v.Spec.Label
		}
		s.renderRecordForm(w, r, http.StatusUnprocessableEntity, v, title)
		return nil
	}
	target := recordURL(rec.CTGID, rec.ID)
	if back := safeNext(f.str("return")); back != "/" {
		target = back
	}
	http.Redirect(w, r, withOK(target, "saved"), http.StatusSeeOther)
	return nil
}

func writeRecord(tx *store.Tx, n *nomenclature.Set, rec *journal.Record, children []journal.Record, file *journal.Attachment) error {
	if err := tx.SaveRecord(rec, n); err != nil {
		return err
	}
	for i := range children {
		children[i].MeetingID = rec.ID
		if err := tx.SaveRecord(&children[i], n); err != nil {
			return prefixFields(err, "decisions")
		}
	}
	if file != nil {
		file.RecordID = rec.ID
		return tx.SaveAttachment(rec.CTGID, file)
	}
	return nil
}

// prefixFields moves a child's field errors onto one field of the parent
// form, so the user sees which part of the page is at fault.
func prefixFields(err error, field string) error {
	e := apperr.As(err)
	if e.Code != apperr.Invalid {
		return err
	}
	msgs := ""
	for _, m := range e.Fields {
		if msgs != "" {
			msgs += " "
		}
		msgs += m
	}
	return apperr.Fields{field: "Décision ou alerte : " + msgs}.Err()
}

// ownRecord loads the record of the URL and checks the user may change it.
func (s *Server) ownRecord(r *http.Request) (*journal.Record, error) {
	c := ctgOf(r)
	id, _ := strconv.ParseInt(r.PathValue("id"), 10, 64)
	rec, err := s.db.Record(r.Context(), c.ID, id)
	if err != nil {
		return nil, err
	}
	if rec.DeletedAt != nil {
		return nil, apperr.NotFoundf(msg.NotFoundRecord)
	}
	e := &ctgEnv{CTG: c, User: principalOf(r)}
	if e.closed, err = s.closedYears(r, c.ID); err != nil {
		return nil, err
	}
	if e.YearClosed(rec.Date) {
		return nil, apperr.New(apperr.Conflict, msg.YearClosed, rec.Date.Year)
	}
	if !e.CanChangeRecord(rec) {
		return nil, apperr.New(apperr.Forbidden, msg.NotYourRecord)
	}
	return rec, nil
}

func (s *Server) recordEdit(w http.ResponseWriter, r *http.Request) error {
	rec, err := s.ownRecord(r)
	if err != nil {
		return err
	}
	v, err := s.recordView(r, rec.Kind, newForm(recordValues(rec)))
	if err != nil {
		return err
	}
	v.Record, v.Action = rec, recordURL(rec.CTGID, rec.ID)
	s.renderRecordForm(w, r, http.StatusOK, v, "Modifier : "+v.Spec.Label)
	return nil
}

func ctgURL(id int64) string         { return "/ctg/" + strconv.FormatInt(id, 10) }
func recordURL(ctg, id int64) string { return ctgURL(ctg) + "/records/" + strconv.FormatInt(id, 10) }

func withOK(target, key string) string {
	u, err := url.Parse(target)
	if err != nil {
		return target
	}
	q := u.Query()
	q.Set("ok", key)
	u.RawQuery = q.Encode()
	return u.String()
}
