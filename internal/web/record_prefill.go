package web

import (
	"net/http"
	"net/url"
	"strconv"

	"copilote/internal/apperr"
	"copilote/internal/journal"
	"copilote/internal/msg"
)

// Faster capture (issue 11, item 7): a new record's form starts from what
// the user recorded last of the same kind, or from a record they chose to
// duplicate, so that the common case is a title typed and Enter. What it
// starts from is read from the database (the records themselves), so
// every instance of Copilote fills the form alike.

// prefillNote says what the form was filled from, above it.
type prefillNote struct {
	From      journal.Record
	Duplicate bool
	Blank     string // the same form, empty
}

// remembered are the fields a new record takes from the user's last one
// of its kind: what the meeting or exchange is, where and with whom.
// Titles, dates and comments are each record's own.
var remembered = []string{"nature", "audience", "instance_kind", "instance"}

// prefill fills v, the defaults of a new record of kind in e's CTG, from
// the user's last record of that kind (and nature, if the link names
// one; a meeting only by its nature), unless the link asks for an empty
// form (?vide=1).
func (s *Server) prefill(r *http.Request, e *ctgEnv, kind journal.Kind, v url.Values) (*prefillNote, error) {
	q := r.URL.Query()
	// a meeting is remembered by its type: a Copil is not held with the
	// people of a working group
	if q.Get("vide") != "" || (kind == journal.Reunion && q.Get("nature") == "") {
		return nil, nil
	}
	var posts []int64
	for post, ctgID := range e.User.Posts {
		if ctgID == e.CTG.ID {
			posts = append(posts, post)
		}
	}
	last, err := s.db.LastRecordBy(r.Context(), e.CTG.ID, kind, q.Get("nature"), e.User.User.ID, posts)
	if err != nil || last == nil {
		return nil, err
	}
	from := recordValues(last)
	for _, k := range remembered {
		if v.Get(k) == "" && from.Get(k) != "" {
			v.Set(k, from.Get(k))
		}
	}
	if e.InstanceName(last.InstanceID) == "" {
		v.Del("instance")
	}
	keep(v, from, e)
	blank := url.Values{"kind": {string(kind)}, "vide": {"1"}}
	if n := q.Get("nature"); n != "" {
		blank.Set("nature", n)
	}
	return &prefillNote{From: *last, Blank: ctgURL(e.CTG.ID) + "/records/new?" + blank.Encode()}, nil
}

// keep copies the roles of the posts still in the CTG and the partners
// still in the register.
func keep(v, from url.Values, e *ctgEnv) {
	for _, p := range e.Posts {
		k := "role_" + fmtID(p.ID)
		if rs := from[k]; len(rs) > 0 && len(v[k]) == 0 {
			v[k] = append([]string(nil), rs...)
		}
	}
	if len(v["partner_id"]) > 0 {
		return
	}
	for _, id := range from["partner_id"] {
		n, _ := strconv.ParseInt(id, 10, 64)
		if p, ok := e.Partners[n]; ok && p.MergedInto == 0 {
			v.Add("partner_id", id)
		}
	}
}

// duplicate is the form of a new record copied from record id of e's
// CTG: every field but the day, which is today (within the convention),
// and the author, when the user may not record as the original's.
func (s *Server) duplicate(r *http.Request, e *ctgEnv, id int64) (url.Values, *prefillNote, error) {
	rec, err := s.db.Record(r.Context(), e.CTG.ID, id)
	if err != nil {
		return nil, nil, err
	}
	if rec.DeletedAt != nil {
		return nil, nil, apperr.NotFoundf(msg.NotFoundRecord)
	}
	v := recordValues(rec)
	defaults := defaultValues(e, url.Values{})
	v.Set("date", defaults.Get("date"))
	if !e.User.CanRecordAs(rec.PostID, e.target()) {
		v.Set("post", defaults.Get("post"))
	}
	// the days a subject was taken into account or a partner linked are
	// the original's own; merged partners give way to who they became
	v.Del("taken_on")
	v.Del("linked_on")
	v.Del("partner_id")
	keep(v, recordValues(rec), e)
	return v, &prefillNote{From: *rec, Duplicate: true, Blank: ctgURL(e.CTG.ID) + "/records/new?kind=" + string(rec.Kind) + "&vide=1"}, nil
}

// Focus is the field a new record's form puts the cursor in: its title,
// the one thing left to type once the rest is filled in; none when the
// form comes back with errors (their summary leads to them).
func (v *recordView) Focus() string {
	if v.Record != nil || v.Invalid() || !v.Uses("title") {
		return ""
	}
	return "title"
}

// focuser is a form that puts the cursor in one of its fields.
type focuser interface{ Focus() string }

// Autofocus tells the input partial to put the cursor in this field.
func (a fieldArgs) Autofocus() bool {
	f, ok := a.Form.(focuser)
	return ok && f.Focus() == a.Name
}

// newRecordForm is the form of a new record: a copy of ?from=, or the
// kind of ?kind= filled with the link's values and the user's last record
// of the kind.
func (s *Server) newRecordForm(r *http.Request, e *ctgEnv) (*recordView, string, error) {
	q := r.URL.Query()
	kind := journal.Kind(q.Get("kind"))
	values := defaultValues(e, q)
	var note *prefillNote
	var err error
	if from := q.Get("from"); from != "" {
		id, perr := strconv.ParseInt(from, 10, 64)
		if perr != nil {
			return nil, "", apperr.NotFoundf(msg.NotFoundRecord)
		}
		if values, note, err = s.duplicate(r, e, id); err != nil {
			return nil, "", err
		}
		kind = note.From.Kind
	} else if note, err = s.prefill(r, e, kind, values); err != nil {
		return nil, "", err
	}
	v, err := s.recordView(r, kind, newForm(values))
	if err != nil {
		return nil, "", err
	}
	v.Prefill = note
	title := "Nouvel enregistrement : " + v.Spec.Label
	if note != nil && note.Duplicate {
		title = "Dupliquer : " + v.Spec.Label
	}
	return v, title, nil
}
