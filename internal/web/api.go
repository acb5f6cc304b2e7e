package web

import (
	"context"
	"crypto/sha256"
	"encoding/base64"
	"encoding/hex"
	"encoding/json"
	"errors"
	"fmt"
	"io"
	"mime"
	"net/http"
	"slices"
	"strconv"
	"strings"

	"copilote/internal/apperr"
	"copilote/internal/civil"
	"copilote/internal/msg"
	"copilote/internal/store"
)

// The REST JSON API under /api/v1 (issue 13, item 1). It is the pages'
// code path with another way in and another way out: the same policies
// (onCTG, signedIn) decide access, the same store functions read and
// write, with the same validation and audit. What differs is here:
//
//   - a request is authenticated by a personal access token
//     ("Authorization: Bearer cop_…", tokens.go), never by the session
//     cookie, so that no other site can make a browser write through the
//     API and no CSRF token is needed; a read-only token may only GET;
//   - errors are RFC 9457 problem details in French, with the fields at
//     fault;
//   - lists are paged by an opaque cursor;
//   - a single object carries an ETag, and every change of one (PUT,
//     DELETE) must name it in If-Match: 428 without it, 412 when another
//     writer moved it on, so that two clients never overwrite each other
//     silently.
//
// Every route is documented in api_openapi.json, served at
// /api/v1/openapi.json and read at /api/v1/docs; TestAPIConformance calls
// each one and validates requests and answers against the document.

const apiBase = "/api/v1"

// Paging bounds: a page holds 50 items unless ?limit= asks for 1 to 500.
const (
	apiDefaultLimit = 50
	apiMaxLimit     = 500
	// apiMaxBody bounds a JSON body: a fiche action with all its lists
	// stays far below.
	apiMaxBody = 1 << 20
)

const tokenKey ctxKey = 100

// api registers a route of the API: authenticated by a token, then the
// policy, then the handler; errors answer as problem details.
func (s *Server) api(pattern string, p policy, h handlerFunc) {
	s.apiRoute(pattern, func(w http.ResponseWriter, r *http.Request) error {
		r, err := s.tokenAuth(r)
		if err == nil {
			r, err = p(s, r)
		}
		if err == nil {
			err = h(w, r)
		}
		return err
	})
}

// apiOpen registers a route anyone may read: the document and its page.
func (s *Server) apiOpen(pattern string, h handlerFunc) { s.apiRoute(pattern, h) }

func (s *Server) apiRoute(pattern string, h handlerFunc) {
	s.apiPatterns = append(s.apiPatterns, pattern)
	s.mux.HandleFunc(pattern, func(w http.ResponseWriter, r *http.Request) {
		w.Header().Set("Cache-Control", "no-store")
		r, release, err := s.admitRead(r)
		if err != nil {
			s.problem(w, r, err)
			return
		}
		defer release()
		// one data version for the whole request (package versioned)
		r = r.WithContext(store.AtDataVersion(r.Context()))
		if err := h(w, r); err != nil {
			s.problem(w, r, err)
		}
	})
}

// tokenAuth reads the bearer token, loads its user's principal and puts
// both in the request. Cookies are not read: a browser's session opens no
// API route.
func (s *Server) tokenAuth(r *http.Request) (*http.Request, error) {
	scheme, secret, ok := strings.Cut(strings.TrimSpace(r.Header.Get("Authorization")), " ")
	if !ok || !strings.EqualFold(scheme, "Bearer") || strings.TrimSpace(secret) == "" {
		return r, apperr.New(apperr.Unauthenticated, msg.APITokenMissing)
	}
	t, err := s.db.APITokenBySecret(r.Context(), strings.TrimSpace(secret))
	if err != nil {
		return r, err
	}
	p, err := s.principal(r.Context(), t.UserID)
	if err != nil {
		return r, err
	}
	if !p.User.Active {
		return r, apperr.New(apperr.Unauthenticated, msg.APITokenInvalid)
	}
	if !t.CanWrite() && r.Method != http.MethodGet && r.Method != http.MethodHead {
		return r, apperr.New(apperr.Forbidden, msg.APITokenReadOnly)
	}
	if err := s.db.TouchAPIToken(r.Context(), t); err != nil {
		// the last use is shown to the owner; failing to write it
		// refuses nobody
		s.log.Warn("token last use not written", "token", t.ID, "err", err)
	}
	ctx := context.WithValue(r.Context(), principalKey, p)
	return r.WithContext(context.WithValue(ctx, tokenKey, t)), nil
}

// problemDoc is an RFC 9457 problem: French title and detail, the status,
// the address asked, a stable code and, for a refused body or query, one
// message per field at fault.
type problemDoc struct {
	Type     string         `json:"type"`
	Title    string         `json:"title"`
	Status   int            `json:"status"`
	Detail   string         `json:"detail"`
	Instance string         `json:"instance"`
	Code     string         `json:"code"`
	Errors   []fieldProblem `json:"errors,omitempty"`
}

type fieldProblem struct {
	Field   string `json:"field"`
	Message string `json:"message"`
}

// problem answers err as problem details; internal errors are logged and
// answered with the generic message.
func (s *Server) problem(w http.ResponseWriter, r *http.Request, err error) {
	if errors.Is(err, context.Canceled) {
		return
	}
	e := apperr.As(err)
	if e.Code == apperr.Internal {
		s.log.Error("api request failed", "method", r.Method, "path", r.URL.Path, "err", err)
	}
	status := apperr.HTTPStatus(e.Code)
	p := problemDoc{Type: apiBase + "/docs#probleme-" + string(e.Code), Title: problemTitle(e), Status: status,
		Detail: e.Message(), Instance: r.URL.RequestURI(), Code: string(e.Code)}
	for _, f := range sortedKeys(e.Fields) {
		p.Errors = append(p.Errors, fieldProblem{Field: f, Message: e.Fields[f]})
	}
	if status == http.StatusUnauthorized {
		w.Header().Set("WWW-Authenticate", `Bearer realm="copilote"`)
	}
	w.Header().Set("Content-Language", "fr")
	writeJSONAs(w, status, "application/problem+json", p)
}

func problemTitle(e *apperr.Error) string {
	switch e.Code {
	case apperr.Unauthenticated:
		return "Jeton d'accès requis"
	case apperr.Conflict:
		return "Conflit"
	case apperr.PreconditionRequired:
		return "Version attendue (If-Match)"
	case apperr.PreconditionFailed:
		return "Version dépassée"
	case apperr.NotFound:
		return "Introuvable"
	}
	return pageTitle(e)
}

func sortedKeys(m map[string]string) []string {
	keys := make([]string, 0, len(m))
	for k := range m {
		keys = append(keys, k)
	}
	slices.Sort(keys)
	return keys
}

func writeJSON(w http.ResponseWriter, status int, v any) {
	writeJSONAs(w, status, "application/json", v)
}

func writeJSONAs(w http.ResponseWriter, status int, ctype string, v any) {
	b, err := json.Marshal(v)
	if err != nil {
		http.Error(w, "JSON", http.StatusInternalServerError)
		return
	}
	w.Header().Set("Content-Type", ctype)
	w.WriteHeader(status)
	w.Write(append(b, '\n'))
}

// etagOf is the strong ETag of a representation: the digest of its JSON.
// Whatever changes what a client reads changes it.
func etagOf(v any) string {
	b, _ := json.Marshal(v)
	h := sha256.Sum256(b)
	return `"` + hex.EncodeToString(h[:16]) + `"`
}

// writeObject answers one object with its ETag.
func writeObject(w http.ResponseWriter, status int, v any) {
	w.Header().Set("ETag", etagOf(v))
	writeJSON(w, status, v)
}

// ifMatch is the version a write names; without one the write is refused
// (428), so that no client overwrites what it has not read.
func ifMatch(r *http.Request) (string, error) {
	v := strings.TrimSpace(r.Header.Get("If-Match"))
	if v == "" {
		return "", apperr.New(apperr.PreconditionRequired, msg.APIIfMatchMissing)
	}
	return v, nil
}

// matches tells whether the If-Match header names the current
// representation (or is "*"); weak tags compare by their value.
func matches(header string, current any) error {
	if header == "*" {
		return nil
	}
	want := etagOf(current)
	for _, tag := range strings.Split(header, ",") {
		if strings.TrimPrefix(strings.TrimSpace(tag), "W/") == want {
			return nil
		}
	}
	return apperr.New(apperr.PreconditionFailed, msg.APIIfMatchStale)
}

// decodeBody reads a JSON body into v: unknown fields and wrong types are
// refused on their field, text both engines could not store alike too.
func decodeBody(r *http.Request, v any) error {
	if ct, _, _ := mime.ParseMediaType(r.Header.Get("Content-Type")); ct != "application/json" {
		return apperr.New(apperr.Invalid, msg.APIBodyNotJSON)
	}
	b, err := io.ReadAll(io.LimitReader(r.Body, apiMaxBody+1))
	if err != nil {
		return apperr.New(apperr.Invalid, msg.APIBodyNotJSON)
	}
	if len(b) > apiMaxBody {
		return apperr.New(apperr.Invalid, msg.APIBodyTooLarge, "1 Mo")
	}
	// a NUL is stored by SQLite and refused by PostgreSQL (see newForm)
	if slices.Contains(b, 0) || strings.Contains(strings.ToLower(string(b)), `\u0000`) {
		return apperr.Fields{"body": msg.Text(msg.InvalidText)}.Err()
	}
	dec := json.NewDecoder(strings.NewReader(string(b)))
	dec.DisallowUnknownFields()
	err = dec.Decode(v)
	var typeErr *json.UnmarshalTypeError
	switch {
	case err == nil && dec.More():
		return apperr.New(apperr.Invalid, msg.APIBodyNotJSON)
	case err == nil:
		return nil
	case errors.As(err, &typeErr):
		return apperr.Fields{typeErr.Field: msg.Text(msg.APIFieldType, jsonType(typeErr.Type.Kind().String()))}.Err()
	case strings.HasPrefix(err.Error(), "json: unknown field "):
		field := strings.Trim(strings.TrimPrefix(err.Error(), "json: unknown field "), `"`)
		return apperr.Fields{field: msg.Text(msg.APIUnknownField)}.Err()
	}
	return apperr.New(apperr.Invalid, msg.APIBodyNotJSON)
}

// jsonType names a Go kind as JSON Schema does.
func jsonType(kind string) string {
	switch {
	case strings.HasPrefix(kind, "int"), strings.HasPrefix(kind, "uint"):
		return "integer"
	case strings.HasPrefix(kind, "float"):
		return "number"
	case kind == "bool":
		return "boolean"
	case kind == "slice":
		return "array"
	case kind == "struct", kind == "map", kind == "ptr":
		return "object"
	}
	return kind
}

// apiDate reads an optional date of a body; a wrong one is a field error.
func apiDate(f apperr.Fields, field, s string) civil.Date {
	if s == "" {
		return civil.Date{}
	}
	d, err := civil.Parse(s)
	switch {
	case err != nil:
		f.Add(field, msg.InvalidDate)
	case !d.InRange():
		f.Add(field, msg.DateRange, civil.MinYear, civil.MaxYear)
	}
	return d
}

// dateOut is an optional date as the API writes it: null when unset.
func dateOut(d civil.Date) *string {
	if d.IsZero() {
		return nil
	}
	s := d.String()
	return &s
}

func idOut(id int64) *int64 {
	if id == 0 {
		return nil
	}
	return &id
}

func idIn(id *int64) int64 {
	if id == nil {
		return 0
	}
	return *id
}

// listPage is one page of a list and the cursor of the next, null on the
// last page.
type listPage[T any] struct {
	Items      []T     `json:"items"`
	NextCursor *string `json:"next_cursor"`
}

// paging reads ?limit= and ?cursor=; the cursor is opaque to clients: its
// content is the list's business (an offset, or a record's place).
type paging struct {
	limit  int
	cursor string // decoded
}

func readPaging(r *http.Request) (paging, error) {
	q := r.URL.Query()
	p := paging{limit: apiDefaultLimit}
	if s := q.Get("limit"); s != "" {
		n, err := strconv.Atoi(s)
		if err != nil || n < 1 || n > apiMaxLimit {
			return p, apperr.Fields{"limit": msg.Text(msg.APILimit, 1, apiMaxLimit)}.Err()
		}
		p.limit = n
	}
	if s := q.Get("cursor"); s != "" {
		b, err := base64.RawURLEncoding.DecodeString(s)
		if err != nil || len(b) == 0 {
			return p, apperr.Fields{"cursor": msg.Text(msg.APICursor)}.Err()
		}
		p.cursor = string(b)
	}
	return p, nil
}

func encodeCursor(s string) *string {
	c := base64.RawURLEncoding.EncodeToString([]byte(s))
	return &c
}

// offset reads an offset cursor ("o:120").
func (p paging) offset() (int, error) {
	if p.cursor == "" {
		return 0, nil
	}
	n, err := strconv.Atoi(strings.TrimPrefix(p.cursor, "o:"))
	if !strings.HasPrefix(p.cursor, "o:") || err != nil || n < 0 || n > maxPage*pageSize {
		return 0, apperr.Fields{"cursor": msg.Text(msg.APICursor)}.Err()
	}
	return n, nil
}

// cutPage cuts one page from a list the store returns whole (the posts or
// waves of a CTG: a few dozen at most).
func cutPage[T any](items []T, p paging) (listPage[T], error) {
	from, err := p.offset()
	if err != nil {
		return listPage[T]{}, err
	}
	from = min(from, len(items))
	to := min(from+p.limit, len(items))
	out := listPage[T]{Items: items[from:to]}
	if out.Items == nil {
		out.Items = []T{}
	}
	if to < len(items) {
		out.NextCursor = encodeCursor("o:" + strconv.Itoa(to))
	}
	return out, nil
}

// formErr turns a form's field errors (the web lists' filters, read by
// the same functions) into a refusal naming each field.
func formErr(f *form) error {
	if !f.Invalid() {
		return nil
	}
	return f.Errors.Err()
}

// apiNotFound answers every address under /api/ that no route serves.
func (s *Server) apiNotFound(w http.ResponseWriter, r *http.Request) error {
	return apperr.NotFoundf(msg.APINotFound)
}

// apiPath is an object's address in the API.
func apiPath(parts ...any) string {
	var b strings.Builder
	b.WriteString(apiBase)
	for _, p := range parts {
		fmt.Fprintf(&b, "/%v", p)
	}
	return b.String()
}
