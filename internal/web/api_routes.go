package web

import (
	"fmt"
	"net/http"
	"strconv"
	"strings"

	"copilote/internal/account"
	"copilote/internal/actionplan"
	"copilote/internal/apperr"
	"copilote/internal/authz"
	"copilote/internal/civil"
	"copilote/internal/framework"
	"copilote/internal/indicator"
	"copilote/internal/journal"
	"copilote/internal/msg"
	"copilote/internal/partner"
	"copilote/internal/store"
)

// apiRoutes registers the API. Each route names the policy of the page it
// mirrors (server.go), so that a token reaches exactly what its user
// reaches in the browser.
func (s *Server) apiRoutes() {
	s.apiOpen("GET /api/v1/openapi.json", s.apiDocument)
	s.apiOpen("GET /api/v1/docs", s.apiDocs)
	s.api("GET /api/v1/me", signedIn, s.apiMe)
	s.api("GET /api/v1/ctgs", signedIn, s.apiCTGs)
	s.api("GET /api/v1/ctgs/{ctg}", onCTG(viewCTG), s.apiCTG)
	s.api("GET /api/v1/ctgs/{ctg}/posts", onCTG(viewCTG), s.apiPosts)
	s.api("POST /api/v1/ctgs/{ctg}/posts", onCTG(manageCTG), s.apiPostCreate)
	s.api("GET /api/v1/ctgs/{ctg}/posts/{id}", onCTG(viewCTG), s.apiPost)
	s.api("PUT /api/v1/ctgs/{ctg}/posts/{id}", onCTG(manageCTG), s.apiPostUpdate)
	s.api("GET /api/v1/records", signedIn, s.apiAllRecords)
	s.api("GET /api/v1/ctgs/{ctg}/records", onCTG(viewCTG), s.apiRecords)
	s.api("POST /api/v1/ctgs/{ctg}/records", onCTG(recordCTG), s.apiRecordCreate)
	s.api("GET /api/v1/ctgs/{ctg}/records/{id}", onCTG(viewCTG), s.apiRecord)
	s.api("PUT /api/v1/ctgs/{ctg}/records/{id}", onCTG(recordCTG), s.apiRecordUpdate)
	s.api("DELETE /api/v1/ctgs/{ctg}/records/{id}", onCTG(recordCTG), s.apiRecordDelete)
	s.api("GET /api/v1/ctgs/{ctg}/actions", onCTG(viewCTG), s.apiActions)
	s.api("POST /api/v1/ctgs/{ctg}/actions", onCTG(recordCTG), s.apiActionCreate)
	s.api("GET /api/v1/ctgs/{ctg}/actions/{id}", onCTG(viewCTG), s.apiAction)
	s.api("PUT /api/v1/ctgs/{ctg}/actions/{id}", onCTG(recordCTG), s.apiActionUpdate)
	// the pages delete no fiche; the API lets who manages the CTG do it,
	// as the store allows (an administrator restores it)
	s.api("DELETE /api/v1/ctgs/{ctg}/actions/{id}", onCTG(manageCTG), s.apiActionDelete)
	s.api("GET /api/v1/ctgs/{ctg}/actions/{id}/updates", onCTG(viewCTG), s.apiUpdates)
	s.api("POST /api/v1/ctgs/{ctg}/actions/{id}/updates", onCTG(recordCTG), s.apiUpdateCreate)
	s.api("GET /api/v1/ctgs/{ctg}/partners", onCTG(viewCTG), s.apiPartners)
	s.api("POST /api/v1/ctgs/{ctg}/partners", onCTG(recordCTG), s.apiPartnerCreate)
	s.api("GET /api/v1/ctgs/{ctg}/partners/{id}", onCTG(viewCTG), s.apiPartner)
	s.api("PUT /api/v1/ctgs/{ctg}/partners/{id}", onCTG(recordCTG), s.apiPartnerUpdate)
	s.api("GET /api/v1/ctgs/{ctg}/surveys", onCTG(viewCTG), s.apiWaves)
	s.api("GET /api/v1/ctgs/{ctg}/surveys/{id}", onCTG(viewCTG), s.apiWave)
	s.api("GET /api/v1/ctgs/{ctg}/evaluations", onCTG(viewCTG), s.apiEvaluations)
	s.api("GET /api/v1/ctgs/{ctg}/evaluations/{id}", onCTG(viewCTG), s.apiEvaluation)
	s.api("GET /api/v1/indicators", signedIn, s.apiIndicators)
	s.api("GET /api/v1/indicators/{code}/items", signedIn, s.apiIndicatorItems)
	// any other address under /api answers a problem, not a page
	for _, m := range []string{"GET", "POST", "PUT", "DELETE"} {
		s.apiOpen(m+" /api/", s.apiNotFound)
	}
}

type apiMe struct {
	ID    int64    `json:"id"`
	Name  string   `json:"name"`
	Email string   `json:"email"`
	Role  string   `json:"role"`
	CafID *int64   `json:"caf_id"`
	Token apiToken `json:"token"`
}

type apiToken struct {
	ID    int64  `json:"id"`
	Name  string `json:"name"`
	Scope string `json:"scope"`
}

func (s *Server) apiMe(w http.ResponseWriter, r *http.Request) error {
	u := principalOf(r).User
	t, _ := r.Context().Value(tokenKey).(store.APIToken)
	writeJSON(w, http.StatusOK, apiMe{ID: u.ID, Name: u.Name, Email: u.Email, Role: string(u.Role), CafID: idOut(u.CafID),
		Token: apiToken{ID: t.ID, Name: t.Name, Scope: string(t.Scope)}})
	return nil
}

// CTGs

func (s *Server) apiCTGs(w http.ResponseWriter, r *http.Request) error {
	pg, err := readPaging(r)
	if err != nil {
		return err
	}
	list, err := s.db.CTGs(r.Context(), principalOf(r).Scope())
	if err != nil {
		return err
	}
	items := make([]apiCTGSummary, len(list))
	for i, c := range list {
		items[i] = ctgSummaryOut(c)
	}
	return answerPage(w, items, pg)
}

func answerPage[T any](w http.ResponseWriter, items []T, pg paging) error {
	out, err := cutPage(items, pg)
	if err != nil {
		return err
	}
	writeJSON(w, http.StatusOK, out)
	return nil
}

func (s *Server) apiCTG(w http.ResponseWriter, r *http.Request) error {
	writeObject(w, http.StatusOK, ctgOut(ctgOf(r)))
	return nil
}

// Posts

func (s *Server) apiPosts(w http.ResponseWriter, r *http.Request) error {
	pg, err := readPaging(r)
	if err != nil {
		return err
	}
	posts, err := s.db.Posts(r.Context(), ctgOf(r).ID)
	if err != nil {
		return err
	}
	items := make([]apiPost, len(posts))
	for i, p := range posts {
		items[i] = postOut(p)
	}
	return answerPage(w, items, pg)
}

// ctgPost loads the post of the address, if it is the CTG's.
func (s *Server) ctgPost(r *http.Request) (apiPost, error) {
	p, err := s.db.Post(r.Context(), toID(r.PathValue("id")))
	if err != nil || p.CTGID != ctgOf(r).ID {
		return apiPost{}, notFoundPost()
	}
	return postOut(p), nil
}

func (s *Server) apiPost(w http.ResponseWriter, r *http.Request) error {
	p, err := s.ctgPost(r)
	if err != nil {
		return err
	}
	writeObject(w, http.StatusOK, p)
	return nil
}

var postFields = map[string]string{"user": "user_id"}

func (s *Server) apiPostCreate(w http.ResponseWriter, r *http.Request) error {
	return s.apiSavePost(w, r, 0)
}

func (s *Server) apiPostUpdate(w http.ResponseWriter, r *http.Request) error {
	return s.apiSavePost(w, r, toID(r.PathValue("id")))
}

func (s *Server) apiSavePost(w http.ResponseWriter, r *http.Request, id int64) error {
	var tag string
	if id != 0 {
		if _, err := s.ctgPost(r); err != nil {
			return err
		}
		var err error
		if tag, err = ifMatch(r); err != nil {
			return err
		}
	}
	var in apiPostInput
	if err := decodeBody(r, &in); err != nil {
		return err
	}
	e, err := s.env(r)
	if err != nil {
		return err
	}
	f := apperr.Fields{}
	p := in.post(f)
	p.ID, p.CTGID = id, e.CTG.ID
	if len(f) > 0 {
		return renameFields(fieldsOr(f, p.Validate(e.Nom, functionCodes())), postFields)
	}
	err = s.db.Write(r.Context(), e.User.User.ID, func(tx *store.Tx) error {
		if id != 0 {
			if err := s.expect(r, tx, "post", e.CTG.ID, id, tag, func() (any, error) { return s.ctgPost(r) }); err != nil {
				return err
			}
		}
		return tx.SavePost(&p, e.Nom)
	})
	if err != nil {
		return renameFields(err, postFields)
	}
	saved, err := s.db.Post(r.Context(), p.ID)
	if err != nil {
		return err
	}
	return answerSaved(w, id, apiPath("ctgs", e.CTG.ID, "posts", p.ID), postOut(saved))
}

// expect compares, within the write and with the object's row held, the
// version the client names with the one stored now.
func (s *Server) expect(r *http.Request, tx *store.Tx, entity string, owner, id int64, tag string, load func() (any, error)) error {
	if err := tx.LockRow(entity, owner, id); err != nil {
		return err
	}
	cur, err := load()
	if err != nil {
		return err
	}
	return matches(tag, cur)
}

// answerSaved answers a created object (201 and its address) or an
// updated one (200), with its new ETag.
func answerSaved(w http.ResponseWriter, id int64, location string, v any) error {
	if id == 0 {
		w.Header().Set("Location", location)
		writeObject(w, http.StatusCreated, v)
		return nil
	}
	writeObject(w, http.StatusOK, v)
	return nil
}

// renameFields gives a refusal's fields the names the API uses, where the
// forms' differ.
func renameFields(err error, names map[string]string) error {
	e := apperr.As(err)
	if e.Code != apperr.Invalid || len(e.Fields) == 0 {
		return err
	}
	out := apperr.Fields{}
	for k, v := range e.Fields {
		if n, ok := names[k]; ok {
			k = n
		}
		out[k] = v
	}
	return &apperr.Error{Code: e.Code, Key: e.Key, Args: e.Args, Fields: out, Err: e.Err}
}

// Records

var recordFields = map[string]string{"post": "post_id", "instance": "instance_id", "action": "action_id",
	"meeting": "meeting_id", "linked_instance": "linked_instance_id", "partners": "partner_ids"}

// apiRecords is the CTG's journal with the filters of its page
// (journalFilter): kind, nature, axis, post, partner, from, to, q, and
// deleted for an administrator.
func (s *Server) apiRecords(w http.ResponseWriter, r *http.Request) error {
	f := newForm(r.URL.Query())
	return s.apiRecordPage(w, r, f, journalFilter(f, &ctgEnv{CTG: ctgOf(r), User: principalOf(r)}))
}

// apiAllRecords is the journal of every CTG the user reaches, with the
// filters of /journal and the CTG's own (post, partner).
func (s *Server) apiAllRecords(w http.ResponseWriter, r *http.Request) error {
	f := newForm(r.URL.Query())
	filter := store.RecordFilter{Scope: principalOf(r).Scope(), CTGID: f.id("ctg"), PostID: f.id("post"),
		Kind: journal.Kind(f.str("kind")), Nature: f.str("nature"), Axis: f.str("axis"), PartnerID: f.id("partner"),
		From: f.date("from"), To: f.date("to"), Q: f.str("q")}
	return s.apiRecordPage(w, r, f, filter)
}

// apiRecordPage answers one page in journal order; the cursor is the
// place of the page's last record, so that records written meanwhile
// neither repeat nor go missing.
func (s *Server) apiRecordPage(w http.ResponseWriter, r *http.Request, f *form, filter store.RecordFilter) error {
	if err := formErr(f); err != nil {
		return err
	}
	pg, err := readPaging(r)
	if err != nil {
		return err
	}
	if pg.cursor != "" {
		if filter.After, err = recordCursor(pg.cursor); err != nil {
			return err
		}
	}
	filter.Limit = pg.limit + 1
	recs, err := s.db.RecordsPage(r.Context(), filter)
	if err != nil {
		return err
	}
	out := listPage[apiRecord]{Items: []apiRecord{}}
	for i, rec := range recs {
		if i == pg.limit {
			last := recs[i-1]
			out.NextCursor = encodeCursor(fmt.Sprintf("k:%s:%d", last.Date, last.ID))
			break
		}
		out.Items = append(out.Items, recordOut(rec))
	}
	writeJSON(w, http.StatusOK, out)
	return nil
}

func recordCursor(c string) (*store.RecordKey, error) {
	bad := apperr.Fields{"cursor": msg.Text(msg.APICursor)}.Err()
	parts := strings.Split(c, ":")
	if len(parts) != 3 || parts[0] != "k" {
		return nil, bad
	}
	day, err := civil.Parse(parts[1])
	id, err2 := strconv.ParseInt(parts[2], 10, 64)
	if err != nil || err2 != nil || !day.InRange() {
		return nil, bad
	}
	return &store.RecordKey{Day: day, ID: id}, nil
}

func (s *Server) apiRecord(w http.ResponseWriter, r *http.Request) error {
	rec, err := s.visibleRecord(r)
	if err != nil {
		return err
	}
	writeObject(w, http.StatusOK, recordOut(*rec))
	return nil
}

func (s *Server) apiRecordCreate(w http.ResponseWriter, r *http.Request) error {
	return s.apiSaveRecord(w, r, nil)
}

func (s *Server) apiRecordUpdate(w http.ResponseWriter, r *http.Request) error {
	old, err := s.ownRecord(r)
	if err != nil {
		return err
	}
	return s.apiSaveRecord(w, r, old)
}

// apiSaveRecord writes a record as the record form does (saveRecord):
// the author must be a post the user may record as, then writeRecord.
func (s *Server) apiSaveRecord(w http.ResponseWriter, r *http.Request, old *journal.Record) error {
	var tag string
	if old != nil {
		var err error
		if tag, err = ifMatch(r); err != nil {
			return err
		}
	}
	var in apiRecordInput
	if err := decodeBody(r, &in); err != nil {
		return err
	}
	e, err := s.env(r)
	if err != nil {
		return err
	}
	f := apperr.Fields{}
	rec := in.record(f, e.CTG.ID)
	if old != nil {
		if rec.Kind != old.Kind {
			f.Add("kind", msg.APIKindFixed)
		}
		rec.ID = old.ID
	}
	if !e.User.CanRecordAs(rec.PostID, e.target()) {
		f.Add("post_id", msg.PostNotInCTG)
	}
	if len(f) > 0 {
		return renameFields(fieldsOr(f, rec.Validate(e.journalContext())), recordFields)
	}
	err = s.db.Write(r.Context(), e.User.User.ID, func(tx *store.Tx) error {
		if old != nil {
			err := s.expect(r, tx, "record", e.CTG.ID, old.ID, tag, func() (any, error) {
				cur, err := s.visibleRecord(r)
				if err != nil {
					return nil, err
				}
				return recordOut(*cur), nil
			})
			if err != nil {
				return err
			}
		}
		return writeRecord(tx, e.Nom, &rec, nil, nil)
	})
	if err != nil {
		return renameFields(err, recordFields)
	}
	saved, err := s.db.Record(r.Context(), e.CTG.ID, rec.ID)
	if err != nil {
		return err
	}
	var id int64
	if old != nil {
		id = old.ID
	}
	return answerSaved(w, id, apiPath("ctgs", e.CTG.ID, "records", rec.ID), recordOut(*saved))
}

func (s *Server) apiRecordDelete(w http.ResponseWriter, r *http.Request) error {
	rec, err := s.ownRecord(r)
	if err != nil {
		return err
	}
	tag, err := ifMatch(r)
	if err != nil {
		return err
	}
	err = s.db.Write(r.Context(), principalOf(r).User.ID, func(tx *store.Tx) error {
		err := s.expect(r, tx, "record", rec.CTGID, rec.ID, tag, func() (any, error) {
			cur, err := s.ownRecord(r)
			if err != nil {
				return nil, err
			}
			return recordOut(*cur), nil
		})
		if err != nil {
			return err
		}
		return tx.DeleteRecord(rec.CTGID, rec.ID)
	})
	if err != nil {
		return err
	}
	w.WriteHeader(http.StatusNoContent)
	return nil
}

// Fiches actions and their progress

// apiActions is the plan with the filters of its page: axis, status,
// priority, q.
func (s *Server) apiActions(w http.ResponseWriter, r *http.Request) error {
	pg, err := readPaging(r)
	if err != nil {
		return err
	}
	off, err := pg.offset()
	if err != nil {
		return err
	}
	f := newForm(r.URL.Query())
	filter := store.ActionFilter{Scope: principalOf(r).Scope(), CTGID: ctgOf(r).ID, Axis: f.str("axis"),
		Status: f.str("status"), Priority: f.bool("priority"), Q: f.str("q"), Limit: pg.limit, Offset: off}
	list, total, err := s.db.Actions(r.Context(), filter)
	if err != nil {
		return err
	}
	out := listPage[apiAction]{Items: []apiAction{}}
	for _, a := range list {
		// lists carry the milestones only: each item as GET of one
		full, err := s.db.Action(r.Context(), a.CTGID, a.ID)
		if err != nil {
			return err
		}
		out.Items = append(out.Items, actionOut(*full))
	}
	if next := off + len(list); next < total {
		out.NextCursor = encodeCursor("o:" + strconv.Itoa(next))
	}
	writeJSON(w, http.StatusOK, out)
	return nil
}

func (s *Server) apiAction(w http.ResponseWriter, r *http.Request) error {
	a, err := s.actionLoad(r)
	if err != nil {
		return err
	}
	writeObject(w, http.StatusOK, actionOut(*a))
	return nil
}

func (s *Server) apiActionCreate(w http.ResponseWriter, r *http.Request) error {
	return s.apiSaveAction(w, r, nil)
}

func (s *Server) apiActionUpdate(w http.ResponseWriter, r *http.Request) error {
	old, err := s.actionLoad(r)
	if err != nil {
		return err
	}
	return s.apiSaveAction(w, r, old)
}

// apiSaveAction writes a fiche as its form does (saveAction): status and
// progress stay as the progress updates left them; the partners must be
// the Caf's, as the form's picker offers only those.
func (s *Server) apiSaveAction(w http.ResponseWriter, r *http.Request, old *actionplan.Action) error {
	var tag string
	if old != nil {
		var err error
		if tag, err = ifMatch(r); err != nil {
			return err
		}
	}
	var in apiActionInput
	if err := decodeBody(r, &in); err != nil {
		return err
	}
	e, err := s.env(r)
	if err != nil {
		return err
	}
	f := apperr.Fields{}
	a := in.action(f, e.CTG.ID)
	a.Status = actionplan.Planned
	if old != nil {
		a.ID, a.Status, a.Progress = old.ID, old.Status, old.Progress
	}
	for _, p := range a.Partners {
		if q, ok := e.Partners[p.PartnerID]; !ok || q.MergedInto != 0 {
			f.Add("partners", msg.APIPartnerNotInCaf)
		}
	}
	if len(f) > 0 {
		return fieldsOr(f, a.Validate(e.Nom))
	}
	err = s.db.Write(r.Context(), e.User.User.ID, func(tx *store.Tx) error {
		if old != nil {
			err := s.expect(r, tx, "action", e.CTG.ID, old.ID, tag, func() (any, error) {
				cur, err := s.actionLoad(r)
				if err != nil {
					return nil, err
				}
				return actionOut(*cur), nil
			})
			if err != nil {
				return err
			}
		}
		return tx.SaveAction(&a, e.Nom)
	})
	if err != nil {
		return err
	}
	saved, err := s.db.Action(r.Context(), e.CTG.ID, a.ID)
	if err != nil {
		return err
	}
	var id int64
	if old != nil {
		id = old.ID
	}
	return answerSaved(w, id, apiPath("ctgs", e.CTG.ID, "actions", a.ID), actionOut(*saved))
}

func (s *Server) apiActionDelete(w http.ResponseWriter, r *http.Request) error {
	a, err := s.actionLoad(r)
	if err != nil {
		return err
	}
	tag, err := ifMatch(r)
	if err != nil {
		return err
	}
	err = s.db.Write(r.Context(), principalOf(r).User.ID, func(tx *store.Tx) error {
		err := s.expect(r, tx, "action", a.CTGID, a.ID, tag, func() (any, error) {
			cur, err := s.actionLoad(r)
			if err != nil {
				return nil, err
			}
			return actionOut(*cur), nil
		})
		if err != nil {
			return err
		}
		return tx.DeleteAction(a.CTGID, a.ID)
	})
	if err != nil {
		return err
	}
	w.WriteHeader(http.StatusNoContent)
	return nil
}

func (s *Server) apiUpdates(w http.ResponseWriter, r *http.Request) error {
	pg, err := readPaging(r)
	if err != nil {
		return err
	}
	a, err := s.actionLoad(r)
	if err != nil {
		return err
	}
	ups, err := s.db.Updates(r.Context(), a.ID)
	if err != nil {
		return err
	}
	items := make([]apiUpdate, len(ups))
	for i, u := range ups {
		items[i] = updateOut(u)
	}
	return answerPage(w, items, pg)
}

// apiUpdateCreate appends a progress update as the fiche's page does
// (actionUpdate): by default as the user's own post in the CTG.
func (s *Server) apiUpdateCreate(w http.ResponseWriter, r *http.Request) error {
	a, err := s.actionLoad(r)
	if err != nil {
		return err
	}
	var in apiUpdateInput
	if err := decodeBody(r, &in); err != nil {
		return err
	}
	e, err := s.env(r)
	if err != nil {
		return err
	}
	f := apperr.Fields{}
	u := actionplan.Update{ActionID: a.ID, PostID: idIn(in.PostID), Date: apiDate(f, "date", in.Date), Status: in.Status,
		Percent: in.Percent, Difficulties: in.Difficulties}
	if u.PostID == 0 {
		u.PostID = e.ownPost()
	}
	if !e.User.CanRecordAs(u.PostID, e.target()) {
		f.Add("post_id", msg.PostNotInCTG)
	}
	if len(f) > 0 {
		return fieldsOr(f, u.Validate(e.Nom, e.CTG.Start, e.CTG.End))
	}
	err = s.db.Write(r.Context(), e.User.User.ID, func(tx *store.Tx) error { return tx.AddUpdate(e.CTG.ID, &u, e.Nom) })
	if err != nil {
		return err
	}
	w.Header().Set("Location", apiPath("ctgs", e.CTG.ID, "actions", a.ID, "updates"))
	writeJSON(w, http.StatusCreated, updateOut(u))
	return nil
}

// Partners: the Caf's register, reached from a CTG

func (s *Server) apiPartners(w http.ResponseWriter, r *http.Request) error {
	pg, err := readPaging(r)
	if err != nil {
		return err
	}
	off, err := pg.offset()
	if err != nil {
		return err
	}
	c := ctgOf(r)
	f := newForm(r.URL.Query())
	// as the register's page: the CTG's partners unless scope=caf
	filter := store.PartnerFilter{CafID: c.CafID, ForCTG: c.ID, Type: f.str("type"), Q: f.str("q"), Limit: pg.limit, Offset: off}
	if f.str("scope") != "caf" {
		filter.CTGID = c.ID
	}
	rows, total, err := s.db.Partners(r.Context(), filter)
	if err != nil {
		return err
	}
	out := listPage[apiPartnerRow]{Items: []apiPartnerRow{}}
	for _, p := range rows {
		out.Items = append(out.Items, apiPartnerRow{apiPartner: partnerOut(p.Partner), Records: p.Records,
			FirstInCTG: dateOut(p.FirstInCTG)})
	}
	if next := off + len(rows); next < total {
		out.NextCursor = encodeCursor("o:" + strconv.Itoa(next))
	}
	writeJSON(w, http.StatusOK, out)
	return nil
}

func partnerOut(p partner.Partner) apiPartner {
	return apiPartner{ID: p.ID, CafID: p.CafID, apiPartnerInput: apiPartnerInput{Name: p.Name, Type: p.Type, SIRET: p.SIRET}}
}

// cafPartner is a live partner of the CTG's Caf.
func (s *Server) cafPartner(r *http.Request) (apiPartner, error) {
	p, err := s.db.Partner(r.Context(), toID(r.PathValue("id")))
	if err != nil || p.CafID != ctgOf(r).CafID || p.MergedInto != 0 {
		return apiPartner{}, apperr.NotFoundf(msg.NotFoundPartner)
	}
	return partnerOut(p), nil
}

func (s *Server) apiPartner(w http.ResponseWriter, r *http.Request) error {
	p, err := s.cafPartner(r)
	if err != nil {
		return err
	}
	writeObject(w, http.StatusOK, p)
	return nil
}

func (s *Server) apiPartnerCreate(w http.ResponseWriter, r *http.Request) error {
	return s.apiSavePartner(w, r, 0)
}

func (s *Server) apiPartnerUpdate(w http.ResponseWriter, r *http.Request) error {
	return s.apiSavePartner(w, r, toID(r.PathValue("id")))
}

// apiSavePartner writes as the partner form does (partnerCreate): a
// duplicate is refused, and a partner other CTGs use and this one does
// not is theirs to change (editablePartner).
func (s *Server) apiSavePartner(w http.ResponseWriter, r *http.Request, id int64) error {
	v, err := s.partnerView(r, newForm(nil))
	if err != nil {
		return err
	}
	var tag string
	if id != 0 {
		if _, err := s.editablePartner(r, v, id); err != nil {
			return err
		}
		if tag, err = ifMatch(r); err != nil {
			return err
		}
	}
	var in apiPartnerInput
	if err := decodeBody(r, &in); err != nil {
		return err
	}
	p := partner.Partner{ID: id, CafID: v.CTG.CafID, Name: in.Name, Type: in.Type, SIRET: in.SIRET}
	if dup := v.sameAs(p); dup != nil {
		return apperr.Fields{"name": msg.Text(msg.APIPartnerDuplicate, dup.Name)}.Err()
	}
	err = s.db.Write(r.Context(), v.User.User.ID, func(tx *store.Tx) error {
		if id != 0 {
			if err := s.expect(r, tx, "partner", v.CTG.CafID, id, tag, func() (any, error) { return s.cafPartner(r) }); err != nil {
				return err
			}
		}
		return tx.SavePartner(&p, v.Nom)
	})
	if err != nil {
		return err
	}
	saved, err := s.db.Partner(r.Context(), p.ID)
	if err != nil {
		return err
	}
	return answerSaved(w, id, apiPath("ctgs", v.CTG.ID, "partners", p.ID), partnerOut(saved))
}

// Survey waves: their counts and means, never the answers

func (s *Server) apiWaves(w http.ResponseWriter, r *http.Request) error {
	pg, err := readPaging(r)
	if err != nil {
		return err
	}
	waves, err := s.db.Waves(r.Context(), ctgOf(r).ID)
	if err != nil {
		return err
	}
	items := make([]apiWave, len(waves))
	for i, wv := range waves {
		items[i] = waveOut(wv)
	}
	return answerPage(w, items, pg)
}

func (s *Server) apiWave(w http.ResponseWriter, r *http.Request) error {
	waves, err := s.db.Waves(r.Context(), ctgOf(r).ID)
	if err != nil {
		return err
	}
	for _, wv := range waves {
		if wv.ID == toID(r.PathValue("id")) {
			writeObject(w, http.StatusOK, waveOut(wv))
			return nil
		}
	}
	return apperr.NotFoundf(msg.NotFoundWave)
}

// Evaluations

func (s *Server) apiEvaluations(w http.ResponseWriter, r *http.Request) error {
	pg, err := readPaging(r)
	if err != nil {
		return err
	}
	list, err := s.db.EvaluationsOfCTG(r.Context(), ctgOf(r).ID)
	if err != nil {
		return err
	}
	items := make([]apiEvaluation, len(list))
	for i, e := range list {
		items[i] = evaluationOut(e)
	}
	return answerPage(w, items, pg)
}

func (s *Server) apiEvaluation(w http.ResponseWriter, r *http.Request) error {
	e, err := s.db.Evaluation(r.Context(), toID(r.PathValue("id")))
	if err != nil || e.CTGID != ctgOf(r).ID {
		return apperr.NotFoundf(msg.NotFoundEvaluation)
	}
	writeObject(w, http.StatusOK, evaluationOut(e))
	return nil
}

// Indicators of any scope and period, and what lies behind each figure

// apiScope reads ?scope= (post, ctg, caf, all) with its object and the
// period, and checks the user may read it as the pages decide: a post or
// a CTG its reader sees (as /ctg/{ctg}/indicators), a Caf its
// administrator or the national reading (as /caf/indicators), every CTG
// the national reading only (as /national/indicators).
func (s *Server) apiScope(r *http.Request, f *form) (indicator.Scope, indicator.Period, error) {
	p := principalOf(r)
	var sc indicator.Scope
	var per indicator.Period
	switch f.str("scope") {
	case indicator.ScopePost:
		post, err := s.db.Post(r.Context(), f.id("post"))
		if err != nil {
			return sc, per, notFoundPost()
		}
		ct, err := s.ctg(r.Context(), post.CTGID)
		if err != nil || !p.Can(authz.View, authz.Target{CTGID: ct.ID, CafID: ct.CafID}) {
			return sc, per, notFoundPost()
		}
		sc = indicator.Scope{Kind: indicator.ScopePost, PostID: post.ID}
		per, _, err = readPeriod(f, ct.Start, ct.End)
		return sc, per, err
	case indicator.ScopeCTG:
		ct, err := s.ctg(r.Context(), f.id("ctg"))
		if err != nil || !p.Can(authz.View, authz.Target{CTGID: ct.ID, CafID: ct.CafID}) {
			return sc, per, apperr.NotFoundf(msg.NotFoundCTG)
		}
		sc = indicator.Scope{Kind: indicator.ScopeCTG, CTGID: ct.ID}
		per, _, err = readPeriod(f, ct.Start, ct.End)
		return sc, per, err
	case indicator.ScopeCaf:
		caf, err := s.db.CafByCode(r.Context(), f.str("caf"))
		if err != nil {
			return sc, per, err
		}
		if p.User.Role != account.National && !p.CanAdminister(caf.ID) {
			return sc, per, apperr.New(apperr.Forbidden, msg.APIScopeForbidden)
		}
		sc = indicator.Scope{Kind: indicator.ScopeCaf, CafCode: caf.Code}
	case indicator.ScopeAll:
		if p.User.Role != account.National {
			return sc, per, apperr.New(apperr.Forbidden, msg.APIScopeForbidden)
		}
		sc = indicator.Scope{Kind: indicator.ScopeAll}
	default:
		return sc, per, apperr.Fields{"scope": msg.Text(msg.APIScope)}.Err()
	}
	// a Caf or every CTG: the period must be asked for, within the years
	// conventions can have
	outside := apperr.New(apperr.Invalid, msg.PeriodOutsideYears, civil.MinYear, civil.MaxYear)
	per, _, ok, err := askedPeriod(f, outside)
	if err == nil && !ok {
		err = apperr.Fields{"year": msg.Text(msg.Required)}.Err()
	}
	if err == nil {
		err = per.Validate()
	}
	return sc, per, err
}

func (s *Server) apiIndicators(w http.ResponseWriter, r *http.Request) error {
	f := newForm(r.URL.Query())
	sc, per, err := s.apiScope(r, f)
	if err != nil {
		return err
	}
	res, err := s.db.Indicators(r.Context(), sc, per)
	if err != nil {
		return err
	}
	// when the figures were counted: national ones may lag by a few
	// seconds (store.SetNationalLag)
	w.Header().Set("Last-Modified", res.ComputedAt.UTC().Format(http.TimeFormat))
	writeJSON(w, http.StatusOK, res)
	return nil
}

// apiDrill is one page of what lies behind a figure: records, partners,
// progress updates or survey waves (of), exactly those the figure counts.
type apiDrill struct {
	Code       string          `json:"code"`
	Scope      indicator.Scope `json:"scope"`
	From       string          `json:"from"`
	To         string          `json:"to"`
	Breakdown  string          `json:"breakdown"`
	Key        string          `json:"key"`
	Of         string          `json:"of"`
	Count      int             `json:"count"`
	Items      []any           `json:"items"`
	NextCursor *string         `json:"next_cursor"`
}

func (s *Server) apiIndicatorItems(w http.ResponseWriter, r *http.Request) error {
	ind, ok := framework.Load().Indicator(r.PathValue("code"))
	if !ok {
		return apperr.NotFoundf(msg.ErrNotFound)
	}
	f := newForm(r.URL.Query())
	sc, per, err := s.apiScope(r, f)
	if err != nil {
		return err
	}
	pg, err := readPaging(r)
	if err != nil {
		return err
	}
	off, err := pg.offset()
	if err != nil {
		return err
	}
	fig, err := s.db.Indicator(r.Context(), sc, per, ind.Code)
	if err != nil {
		return err
	}
	ids, err := s.db.IndicatorRecords(r.Context(), sc, per, ind.Code, f.str("breakdown"), f.str("key"))
	if err != nil {
		return err
	}
	out := apiDrill{Code: ind.Code, Scope: sc, From: per.From.String(), To: per.To.String(), Breakdown: f.str("breakdown"),
		Key: f.str("key"), Of: fig.IDsOf, Count: len(ids)}
	from := min(off, len(ids))
	page := ids[from:min(from+pg.limit, len(ids))]
	if from+len(page) < len(ids) {
		out.NextCursor = encodeCursor("o:" + strconv.Itoa(from+len(page)))
	}
	if out.Items, err = s.drillObjects(r, fig.IDsOf, page); err != nil {
		return err
	}
	writeJSON(w, http.StatusOK, out)
	return nil
}

// drillObjects loads the objects of one page of a drill-down, each as the
// API writes it elsewhere (a partner with its name and type).
func (s *Server) drillObjects(r *http.Request, of string, ids []int64) ([]any, error) {
	out := []any{}
	add := func(v any) { out = append(out, v) }
	switch of {
	case indicator.IDsRecords:
		recs, err := s.db.RecordsByIDs(r.Context(), ids)
		if err != nil {
			return nil, err
		}
		for _, rec := range recs {
			add(recordOut(rec))
		}
	case indicator.IDsPartners:
		for _, id := range ids {
			p, err := s.db.Partner(r.Context(), id)
			if err != nil {
				return nil, err
			}
			add(partnerOut(p))
		}
	case indicator.IDsUpdates:
		ups, err := s.db.UpdatesByIDs(r.Context(), ids)
		if err != nil {
			return nil, err
		}
		for _, u := range ups {
			add(updateOut(u.Update))
		}
	case indicator.IDsWaves:
		waves, err := s.db.WavesByIDs(r.Context(), ids)
		if err != nil {
			return nil, err
		}
		for _, wv := range waves {
			add(waveOut(wv))
		}
	}
	return out, nil
}
