package web

import (
	"bytes"
	"fmt"
	"io"
	"mime"
	"net/http"
	"path/filepath"
	"strconv"
	"strings"

	"copilote/internal/apperr"
	"copilote/internal/authz"
	"copilote/internal/journal"
	"copilote/internal/msg"
	"copilote/internal/store"
)

// visibleRecord loads the record of the URL for reading. A deleted one is
// for those who may restore it only; to anyone else it answers the 404 of
// a record that does not exist, so the bin cannot be read by its ids.
func (s *Server) visibleRecord(r *http.Request) (*journal.Record, error) {
	c := ctgOf(r)
	id, _ := strconv.ParseInt(r.PathValue("id"), 10, 64)
	rec, err := s.db.Record(r.Context(), c.ID, id)
	if err != nil {
		return nil, err
	}
	if rec.DeletedAt != nil && !principalOf(r).Can(authz.Administer, authz.Target{CTGID: c.ID, CafID: c.CafID}) {
		return nil, apperr.NotFoundf(msg.NotFoundRecord)
	}
	return rec, nil
}

func (s *Server) recordShow(w http.ResponseWriter, r *http.Request) error {
	c := ctgOf(r)
	rec, err := s.visibleRecord(r)
	if err != nil {
		return err
	}
	v, err := s.recordView(r, rec.Kind, newForm(recordValues(rec)))
	if err != nil {
		return err
	}
	v.Record = rec
	if err := s.loadRecordExtras(r, v); err != nil {
		return err
	}
	title := v.Spec.Label
	if rec.Title != "" {
		title += " : " + rec.Title
	}
	s.render(w, r, http.StatusOK, "record", title, v,
		crumb{"Accueil", "/"}, crumb{c.Name, ctgURL(c.ID)}, crumb{"Journal", ctgURL(c.ID) + "/journal"}, crumb{v.Spec.Label, ""})
	return nil
}

func (s *Server) loadRecordExtras(r *http.Request, v *recordView) error {
	ctx, rec := r.Context(), v.Record
	var err error
	if rec.Kind == journal.Reunion {
		v.Children, _, err = s.db.Records(ctx, store.RecordFilter{Scope: store.Scope{All: true}, CTGID: rec.CTGID, MeetingID: rec.ID})
		if err != nil {
			return err
		}
	}
	if rec.Kind == journal.Sujet {
		if v.Subject, err = s.db.SubjectHistory(ctx, rec.ID); err != nil {
			return err
		}
	}
	if rec.Kind == journal.Support {
		v.File, err = s.db.AttachmentOf(ctx, rec.ID, false)
		if apperr.CodeOf(err) == apperr.NotFound {
			v.File, err = nil, nil
		}
		if err != nil {
			return err
		}
	}
	if err := s.loadRecordLinks(r, v); err != nil {
		return err
	}
	v.History, err = s.db.AuditOf(ctx, "record", rec.ID)
	return err
}

func (s *Server) recordDeleteForm(w http.ResponseWriter, r *http.Request) error {
	rec, err := s.ownRecord(r)
	if err != nil {
		return err
	}
	v, err := s.recordView(r, rec.Kind, newForm(nil))
	if err != nil {
		return err
	}
	v.Record = rec
	c := v.CTG
	s.render(w, r, http.StatusOK, "record_delete", "Supprimer cet enregistrement ?", v,
		crumb{"Accueil", "/"}, crumb{c.Name, ctgURL(c.ID)}, crumb{"Journal", ctgURL(c.ID) + "/journal"}, crumb{"Suppression", ""})
	return nil
}

func (s *Server) recordDelete(w http.ResponseWriter, r *http.Request) error {
	rec, err := s.ownRecord(r)
	if err != nil {
		return err
	}
	err = s.db.Write(r.Context(), principalOf(r).User.ID, func(tx *store.Tx) error { return tx.DeleteRecord(rec.CTGID, rec.ID) })
	if err != nil {
		return err
	}
	http.Redirect(w, r, withOK(ctgURL(rec.CTGID)+"/journal", "deleted"), http.StatusSeeOther)
	return nil
}

// recordRestore brings a deleted record back; only administrators may.
func (s *Server) recordRestore(w http.ResponseWriter, r *http.Request) error {
	c := ctgOf(r)
	rec, err := s.visibleRecord(r)
	if err != nil {
		return err
	}
	e := &ctgEnv{CTG: c, User: principalOf(r)}
	if e.closed, err = s.closedYears(r, c.ID); err != nil {
		return err
	}
	if rec.DeletedAt != nil && e.YearClosed(rec.Date) {
		return apperr.New(apperr.Conflict, msg.YearClosed, rec.Date.Year)
	}
	if !e.CanRestoreRecord(rec) {
		return apperr.NotFoundf(msg.NotFoundRecord) // nothing in the bin by that id
	}
	err = s.db.Write(r.Context(), principalOf(r).User.ID, func(tx *store.Tx) error { return tx.RestoreRecord(c.ID, rec.ID) })
	if err != nil {
		return err
	}
	http.Redirect(w, r, withOK(recordURL(c.ID, rec.ID), "restored"), http.StatusSeeOther)
	return nil
}

func (s *Server) recordFile(w http.ResponseWriter, r *http.Request) error {
	rec, err := s.visibleRecord(r)
	if err != nil {
		return err
	}
	a, err := s.db.AttachmentOf(r.Context(), rec.ID, true)
	if err != nil {
		return err
	}
	w.Header().Set("Content-Type", a.ContentType)
	w.Header().Set("Content-Disposition", mime.FormatMediaType("attachment", map[string]string{"filename": a.Name}))
	w.Header().Set("X-Content-Type-Options", "nosniff")
	_, err = w.Write(a.Data)
	return err
}

// allowedFiles maps accepted extensions to the type served back.
var allowedFiles = map[string]string{
	".pdf": "application/pdf", ".png": "image/png", ".jpg": "image/jpeg", ".jpeg": "image/jpeg",
	".txt": "text/plain; charset=utf-8", ".csv": "text/csv; charset=utf-8",
	".docx": "application/vnd.openxmlformats-officedocument.wordprocessingml.document",
	".xlsx": "application/vnd.openxmlformats-officedocument.spreadsheetml.sheet",
	".pptx": "application/vnd.openxmlformats-officedocument.presentationml.presentation",
	".odt":  "application/vnd.oasis.opendocument.text",
	".ods":  "application/vnd.oasis.opendocument.spreadsheet",
	".odp":  "application/vnd.oasis.opendocument.presentation",
}

// sniffOK checks the bytes agree with the extension, so a renamed
// executable is not stored as a PDF.
func sniffOK(ext string, b []byte) bool {
	got := http.DetectContentType(b)
	switch ext {
	case ".pdf":
		return got == "application/pdf"
	case ".png", ".jpg", ".jpeg":
		return strings.HasPrefix(got, "image/")
	case ".txt", ".csv":
		return strings.HasPrefix(got, "text/plain")
	}
	return bytes.HasPrefix(b, []byte("PK\x03\x04")) // office formats are zip files
}

// readUpload returns the attached file, if any, or a French message for
// its field; the body was already read within the limit by parseBody.
func (s *Server) readUpload(r *http.Request) (*journal.Attachment, string) {
	if r.MultipartForm == nil {
		return nil, ""
	}
	fh, hdr, err := r.FormFile("file")
	if err != nil {
		return nil, ""
	}
	defer fh.Close()
	if !validText(hdr.Filename) {
		return nil, msg.Text(msg.InvalidText)
	}
	if hdr.Size > s.cfg.MaxUpload {
		return nil, msg.Text(msg.FileTooLarge, fmt.Sprintf("%d Mo", s.cfg.MaxUpload>>20))
	}
	data, err := io.ReadAll(fh)
	ext := strings.ToLower(filepath.Ext(hdr.Filename))
	ctype, ok := allowedFiles[ext]
	if err != nil || !ok || !sniffOK(ext, data) {
		return nil, msg.Text(msg.FileType)
	}
	return &journal.Attachment{Name: filepath.Base(hdr.Filename), ContentType: ctype, Size: int64(len(data)), Data: data}, ""
}
