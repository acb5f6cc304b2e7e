package web

import (
	"encoding/json"
	"errors"
	"io"
	"net/http"
	"path/filepath"
	"strconv"
	"strings"
	"time"

	"copilote/internal/apperr"
	"copilote/internal/authz"
	"copilote/internal/importer"
	"copilote/internal/msg"
	"copilote/internal/nomenclature"
	"copilote/internal/sheet"
	"copilote/internal/store"
)

// Imports from spreadsheets (issue 13, item 2): upload a file, map its
// columns and values, read the dry run's problems by line and column,
// commit all or nothing, undo for a day. Who: whoever records on the CTG
// (officers, advisors, administrators); records are written only as the
// posts the user may record as, partners go to the Caf's register as the
// partner form puts them. A draft and its undo belong to its author and to
// those who manage the CTG.

// importsView serves the list of imports and the upload form.
type importsView struct {
	*ctgEnv
	Kinds   []importer.Kind
	Batches []store.ImportBatch
	Error   string
	Kind    string
	Now     time.Time
}

func (s *Server) importList(w http.ResponseWriter, r *http.Request) error {
	return s.renderImports(w, r, http.StatusOK, "", "")
}

func (s *Server) renderImports(w http.ResponseWriter, r *http.Request, status int, problem, kind string) error {
	e, err := s.env(r)
	if err != nil {
		return err
	}
	v := &importsView{ctgEnv: e, Kinds: importer.Kinds, Error: problem, Kind: kind, Now: time.Now()}
	if v.Batches, err = s.db.ImportBatches(r.Context(), e.CTG.ID, 50); err != nil {
		return err
	}
	c := e.CTG
	s.render(w, r, status, "imports", "Importer depuis un tableur", v,
		crumb{"Accueil", "/"}, crumb{c.Name, ctgURL(c.ID)}, crumb{"Imports", ""})
	return nil
}

// CanUndo tells whether the user may undo b now.
func (v *importsView) CanUndo(b store.ImportBatch) bool {
	return b.Undoable(v.Now) && (b.CreatedBy == v.User.User.ID || v.CanManage())
}

// MayOpen tells whether the user may open the draft b.
func (v *importsView) MayOpen(b store.ImportBatch) bool {
	return b.Status == store.ImportDraft && (b.CreatedBy == v.User.User.ID || v.CanManage())
}

// KindLabel names a kind of import.
func (v *importsView) KindLabel(k string) string { return importer.Kind(k).Label() }

// importUpload reads the file, keeps it as a draft with the columns
// guessed, and opens the mapping.
func (s *Server) importUpload(w http.ResponseWriter, r *http.Request) error {
	c := ctgOf(r)
	kind := importer.Kind(r.PostFormValue("kind"))
	if !kind.Valid() {
		return s.renderImports(w, r, http.StatusUnprocessableEntity, msg.Text(msg.ImportKind), "")
	}
	name, data, problem := s.readSheetUpload(r)
	if problem != "" {
		return s.renderImports(w, r, http.StatusUnprocessableEntity, problem, string(kind))
	}
	t, err := sheet.Read(name, data)
	if err != nil {
		if e := apperr.As(err); e.Code == apperr.Invalid {
			return s.renderImports(w, r, http.StatusUnprocessableEntity, e.Message(), string(kind))
		}
		return err
	}
	mem, err := s.db.ImportMemory(r.Context(), c.CafID)
	if err != nil {
		return err
	}
	m := importer.Guess(kind, t.Header, mem)
	tb, _ := json.Marshal(t)
	mb, _ := json.Marshal(m)
	b := &store.ImportBatch{CafID: c.CafID, CTGID: c.ID, Kind: string(kind), FileName: name, Sheet: tb, Mapping: string(mb),
		Lines: len(t.Rows)}
	if err := s.db.Write(r.Context(), principalOf(r).User.ID, func(tx *store.Tx) error { return tx.CreateImport(b) }); err != nil {
		return err
	}
	http.Redirect(w, r, importURL(c.ID, b.ID), http.StatusSeeOther)
	return nil
}

// readSheetUpload returns the uploaded file, or a French message; the
// body was read within the upload limit by parseBody, and its temporary
// files are removed by handle.
func (s *Server) readSheetUpload(r *http.Request) (string, []byte, string) {
	if r.MultipartForm == nil {
		return "", nil, msg.Text(msg.ImportNoFile)
	}
	fh, hdr, err := r.FormFile("file")
	if err != nil {
		return "", nil, msg.Text(msg.ImportNoFile)
	}
	defer fh.Close()
	if hdr.Size > s.cfg.MaxUpload {
		return "", nil, msg.Text(msg.FileTooLarge, strconv.FormatInt(s.cfg.MaxUpload>>20, 10)+" Mo")
	}
	name := filepath.Base(strings.ReplaceAll(hdr.Filename, `\`, "/"))
	if !validText(name) || len(name) > 200 {
		name = "fichier"
	}
	data, err := io.ReadAll(fh)
	if err != nil || len(data) == 0 {
		return "", nil, msg.Text(msg.ImportNoFile)
	}
	return name, data, ""
}

func importURL(ctgID, id int64) string {
	return ctgURL(ctgID) + "/imports/" + strconv.FormatInt(id, 10)
}

// importView serves one draft: its columns, its values, its dry run.
type importView struct {
	*ctgEnv
	Batch   *store.ImportBatch
	Kind    importer.Kind
	Table   *sheet.Table
	Mapping importer.Mapping
	Fields  []importer.Field
	Needs   []importer.ValueNeed
	Report  *importReport
	Twice   []string
	Failed  string // the commit's refusal, when it came back
	Columns []importColumn
}

type importColumn struct {
	Index    int
	Name     string // A, B…
	Header   string
	Examples string
	Field    string
}

// ownImport loads the import of the URL: the author's, or any for those
// who manage the CTG.
func (s *Server) ownImport(r *http.Request) (*store.ImportBatch, error) {
	c := ctgOf(r)
	id, _ := strconv.ParseInt(r.PathValue("id"), 10, 64)
	b, err := s.db.ImportBatch(r.Context(), c.ID, id)
	if err != nil {
		return nil, err
	}
	p := principalOf(r)
	if b.CreatedBy != p.User.ID && !p.Can(authz.Manage, authz.Target{CTGID: c.ID, CafID: c.CafID}) {
		return nil, apperr.New(apperr.Forbidden, msg.ErrForbidden)
	}
	return b, nil
}

// draft loads a draft with its table and mapping.
func (s *Server) draft(r *http.Request) (*importView, error) {
	b, err := s.ownImport(r)
	if err != nil {
		return nil, err
	}
	if b.Status != store.ImportDraft || b.Sheet == nil {
		return nil, apperr.New(apperr.Conflict, msg.ImportNotDraft)
	}
	e, err := s.env(r)
	if err != nil {
		return nil, err
	}
	v := &importView{ctgEnv: e, Batch: b, Kind: importer.Kind(b.Kind), Table: &sheet.Table{}}
	if err := json.Unmarshal(b.Sheet, v.Table); err != nil {
		return nil, apperr.Wrap(err, "import sheet")
	}
	if err := json.Unmarshal([]byte(b.Mapping), &v.Mapping); err != nil {
		return nil, apperr.Wrap(err, "import mapping")
	}
	// a mapping always has one entry per column
	cols := make([]string, len(v.Table.Header))
	copy(cols, v.Mapping.Columns)
	v.Mapping.Columns = cols
	v.Fields = importer.Fields(v.Kind)
	return v, nil
}

func (v *importView) fill() {
	v.Needs = importer.Needs(v.Kind, v.Table, v.Mapping, v.Nom)
	v.Twice = v.Mapping.Twice()
	for i, h := range v.Table.Header {
		var ex []string
		for _, r := range v.Table.Rows {
			if c := r.Cell(i); c != "" && len(ex) < 3 {
				if len(c) > 40 {
					c = c[:40] + "…"
				}
				ex = append(ex, c)
			}
		}
		v.Columns = append(v.Columns, importColumn{Index: i, Name: sheet.ColumnName(i), Header: h,
			Examples: strings.Join(ex, " · "), Field: v.Mapping.Columns[i]})
	}
}

// env is what conversion needs of the CTG and the user.
func (s *Server) importEnv(r *http.Request, v *importView) (importer.Env, error) {
	e := v.ctgEnv
	env := importer.Env{Nom: e.Nom, CTGID: e.CTG.ID, CafID: e.CTG.CafID, Posts: e.Posts, Actions: map[string]int64{},
		MayRecordAs: func(id int64) bool { return e.User.CanRecordAs(id, e.target()) }}
	for id, c := range e.User.Posts {
		if c == e.CTG.ID {
			env.OwnPost = id
		}
	}
	actions, _, err := s.db.Actions(r.Context(), store.ActionFilter{Scope: store.Scope{All: true}, CTGID: e.CTG.ID})
	for _, a := range actions {
		env.Actions[sheet.Fold(a.Code)] = a.ID
	}
	return env, err
}

// dryRun tries every line in a transaction rolled back at its end.
func (s *Server) dryRun(r *http.Request, v *importView, commit bool) error {
	env, err := s.importEnv(r, v)
	if err != nil {
		return err
	}
	if len(v.Twice) > 0 {
		return nil
	}
	err = s.db.Write(r.Context(), v.User.User.ID, func(tx *store.Tx) error {
		var err error
		v.Report, err = runImport(tx, v.Batch, v.Table, v.Mapping, env, v.ctgEnv, commit)
		return err
	})
	if errors.Is(err, errDryRun) {
		return nil
	}
	return err
}

func (s *Server) importShow(w http.ResponseWriter, r *http.Request) error {
	v, err := s.draft(r)
	if err != nil {
		return err
	}
	v.fill()
	if err := s.dryRun(r, v, false); err != nil {
		return err
	}
	s.renderImport(w, r, http.StatusOK, v)
	return nil
}

func (s *Server) renderImport(w http.ResponseWriter, r *http.Request, status int, v *importView) {
	c := v.CTG
	s.render(w, r, status, "import", "Import : "+v.Batch.FileName, v,
		crumb{"Accueil", "/"}, crumb{c.Name, ctgURL(c.ID)}, crumb{"Imports", ctgURL(c.ID) + "/imports"}, crumb{v.Batch.FileName, ""})
}

// importMapping keeps the columns and values chosen, teaches them to the
// Caf's next files, and comes back to the page with its new dry run.
func (s *Server) importMapping(w http.ResponseWriter, r *http.Request) error {
	v, err := s.draft(r)
	if err != nil {
		return err
	}
	f := newForm(r.PostForm)
	mem := map[string]map[string]string{}
	colScope := importer.ColumnScope(v.Kind)
	mem[colScope] = map[string]string{}
	for i, h := range v.Table.Header {
		key := f.str("col_" + strconv.Itoa(i))
		if _, ok := importer.FieldOf(v.Kind, key); !ok {
			key = ""
		}
		v.Mapping.Columns[i] = key
		mem[colScope][sheet.Fold(h)] = key
	}
	if v.Kind == importer.Records {
		v.Mapping.DefaultKind = ""
		if k := f.str("default_kind"); optionOf(importer.KindList, k, v.Nom) {
			v.Mapping.DefaultKind = k
		}
	}
	if v.Mapping.Values == nil {
		v.Mapping.Values = map[string]map[string]string{}
	}
	for name, vals := range f.Values {
		list, folded, ok := strings.Cut(strings.TrimPrefix(name, "val|"), "|")
		if !ok || !strings.HasPrefix(name, "val|") || len(vals) == 0 || !validText(folded) {
			continue
		}
		code := strings.TrimSpace(vals[0])
		if code != "" && !optionOf(nomenclature.Kind(list), code, v.Nom) {
			continue
		}
		if v.Mapping.Values[list] == nil {
			v.Mapping.Values[list] = map[string]string{}
		}
		v.Mapping.Values[list][folded] = code
		scope := importer.ValueScope(nomenclature.Kind(list))
		if mem[scope] == nil {
			mem[scope] = map[string]string{}
		}
		if code != "" {
			mem[scope][folded] = code
		}
	}
	mb, _ := json.Marshal(v.Mapping)
	err = s.db.Write(r.Context(), v.User.User.ID, func(tx *store.Tx) error {
		return tx.SaveImportMapping(v.Batch, string(mb), mem)
	})
	if err != nil {
		return err
	}
	http.Redirect(w, r, importURL(v.CTG.ID, v.Batch.ID)+"#verification", http.StatusSeeOther)
	return nil
}

func optionOf(list nomenclature.Kind, code string, n *nomenclature.Set) bool {
	for _, o := range importer.Options(list, n) {
		if o.Code == code {
			return true
		}
	}
	return false
}

// importCommit writes every line in one transaction, or nothing: a line
// at fault sends the page back with the problems, the database unchanged.
func (s *Server) importCommit(w http.ResponseWriter, r *http.Request) error {
	v, err := s.draft(r)
	if err != nil {
		return err
	}
	v.fill()
	if err := s.dryRun(r, v, true); err != nil {
		return err
	}
	if v.Report == nil || len(v.Report.Problems) > 0 || len(v.Twice) > 0 {
		bad := 0
		if v.Report != nil {
			bad = v.Report.BadLines
		}
		v.Failed = msg.Text(msg.ImportHasErrors, bad)
		s.renderImport(w, r, http.StatusUnprocessableEntity, v)
		return nil
	}
	http.Redirect(w, r, ctgURL(v.CTG.ID)+"/imports?ok=imported", http.StatusSeeOther)
	return nil
}

func (s *Server) importAbandon(w http.ResponseWriter, r *http.Request) error {
	b, err := s.ownImport(r)
	if err != nil {
		return err
	}
	if err := s.db.Write(r.Context(), principalOf(r).User.ID, func(tx *store.Tx) error { return tx.AbandonImport(b) }); err != nil {
		return err
	}
	http.Redirect(w, r, ctgURL(b.CTGID)+"/imports?ok=abandoned", http.StatusSeeOther)
	return nil
}

// importUndo takes back a committed import within a day, whole or not at
// all; what stands in the way is said on the list of imports.
func (s *Server) importUndo(w http.ResponseWriter, r *http.Request) error {
	b, err := s.ownImport(r)
	if err != nil {
		return err
	}
	err = s.db.Write(r.Context(), principalOf(r).User.ID, func(tx *store.Tx) error { return tx.UndoImport(b) })
	if e := apperr.As(err); err != nil && e.Code == apperr.Conflict {
		return s.renderImports(w, r, http.StatusConflict, e.Message(), "")
	}
	if err != nil {
		return err
	}
	http.Redirect(w, r, ctgURL(b.CTGID)+"/imports?ok=undone", http.StatusSeeOther)
	return nil
}

// importFlashes confirm the import pages' steps.
var importFlashes = map[string]string{
	"imported":  "Import effectué : toutes les lignes ont été enregistrées. Vous pouvez l'annuler pendant 24 heures.",
	"undone":    "Import annulé : ce qu'il avait créé est retiré (les enregistrements et fiches vont à la corbeille).",
	"abandoned": "Import abandonné : le fichier envoyé est effacé, rien n'a été importé.",
}

// Template helpers of the import page.
func (v *importView) ListLabel(l nomenclature.Kind) string { return importer.ListLabel(l) }
func (v *importView) Options(l nomenclature.Kind) []importer.Option {
	return importer.Options(l, v.Nom)
}
func (v *importView) KindOptions() []importer.Option {
	return importer.Options(importer.KindList, v.Nom)
}
