package web

import (
	"context"
	"net/http"
	"net/url"
	"slices"
	"strconv"
	"strings"

	"copilote/internal/apperr"
	"copilote/internal/msg"
	"copilote/internal/store"
)

// A form posted after its page or its session expired is shown again with
// everything the user typed (issue 11, item 4), never lost:
//
//   - the session is valid but the form's token is not (the user signed
//     out and in again in another tab, or the session was renewed): the
//     page the form was posted from is rendered again, its form filled
//     with what was posted and a fresh token, and a message says so;
//   - the session expired: the login page carries what was posted in two
//     hidden fields, and once signed in the user gets that page again,
//     filled the same way.
//
// Nothing posted is acted upon without a valid token: the page is only
// shown again (a GET of its route), and the user sends the form
// themselves, as they would a form a link had filled in. Files are not
// carried (a message says so). Both answers list, below the message, what
// was typed, so that even a field the page cannot fill again is not lost.

// kept is what a page shows again.
type kept struct {
	Values url.Values // what was posted, without the token
	Notice string
	Status int
	// Typed lists the values typed in the page's visible fields, labelled
	// by the page (summary.go fills it between the two passes of render).
	Typed []typedValue
}

type typedValue struct{ Label, Value string }

type keptKey struct{}

func keptOf(r *http.Request) *kept {
	k, _ := r.Context().Value(keptKey{}).(*kept)
	return k
}

// restorer is a page whose form can show values posted to it: every view
// that embeds *form.
type restorer interface{ restore(url.Values) }

// restore fills the form with what was posted, as when it comes back with
// its errors.
func (f *form) restore(v url.Values) {
	if f != nil {
		*f = *newForm(v)
	}
}

// restore fills the CTG page's instance form.
func (d *ctgData) restore(v url.Values) { d.Instance = newForm(v) }

// resumeFields are the login form's hidden fields that carry a form posted
// after the session expired; login.go embeds them in loginForm.
type resumeFields struct {
	Resume       string // the posted values, URL-encoded
	ResumeFrom   string // the page the form was posted from
	ResumeNotice string
}

// resumeOf reads them back from the login form.
func resumeOf(r *http.Request) resumeFields {
	f := resumeFields{Resume: r.PostFormValue("resume"), ResumeFrom: safeNext(r.PostFormValue("resume_from"))}
	if f.Resume == "" {
		return resumeFields{}
	}
	f.ResumeNotice = msg.Text(msg.KeptSignIn)
	return f
}

// keepInput answers a POST refused for its token or its session with its
// input kept, and tells whether it did; renderError calls it first.
func (s *Server) keepInput(w http.ResponseWriter, r *http.Request, e *apperr.Error) bool {
	if r.Method != http.MethodPost || r.PostForm == nil {
		return false
	}
	values := postedValues(r)
	notice := func(key msg.Key) string {
		if r.MultipartForm != nil && len(r.MultipartForm.File) > 0 {
			return msg.Text(key) + " " + msg.Text(msg.KeptFiles)
		}
		return msg.Text(key)
	}
	_, signedIn := sessionOf(r)
	switch {
	case e.Key == msg.ErrCSRF && signedIn:
		s.replay(w, r, s.formPage(r), &kept{Values: values, Notice: notice(msg.KeptStale), Status: http.StatusForbidden})
		return true
	case e.Code == apperr.Unauthenticated && len(values) > 0:
		f := loginForm{Next: "/", SSO: s.ssoName(), resumeFields: resumeFields{Resume: values.Encode(), ResumeFrom: s.formPage(r),
			ResumeNotice: notice(msg.KeptSignIn)}}
		s.render(w, r, http.StatusUnauthorized, "login", "Connexion", f)
		return true
	}
	return false
}

// resumeAfterLogin shows, once the user signed in again, the page a form
// was posted from with what it carried.
func (s *Server) resumeAfterLogin(w http.ResponseWriter, r *http.Request, sess store.Session, f resumeFields) {
	values, err := url.ParseQuery(f.Resume)
	if err != nil {
		values = url.Values{}
	}
	r = r.Clone(r.Context())
	r.Header = r.Header.Clone()
	r.Header.Del("Cookie")
	r.AddCookie(&http.Cookie{Name: sessionCookie, Value: sess.Token})
	s.replay(w, r, f.ResumeFrom, &kept{Values: values, Notice: msg.Text(msg.KeptResumed), Status: http.StatusOK})
}

// postedValues is the form as posted, without its token.
func postedValues(r *http.Request) url.Values {
	v := url.Values{}
	for k, vs := range r.PostForm {
		if k != "csrf" && validText(k) {
			v[k] = vs
		}
	}
	return v
}

// replay answers r with the page at path, through its GET route, with k.
func (s *Server) replay(w http.ResponseWriter, r *http.Request, path string, k *kept) {
	u, err := url.Parse(path)
	if err != nil {
		u = &url.URL{Path: "/"}
	}
	g := r.Clone(context.WithValue(r.Context(), keptKey{}, k))
	g.Method, g.URL, g.RequestURI = http.MethodGet, u, u.RequestURI()
	g.Body, g.ContentLength, g.Form, g.PostForm, g.MultipartForm = http.NoBody, 0, nil, nil, nil
	g.Header.Del("Content-Type")
	s.mux.ServeHTTP(w, g)
}

// formPage is the page r's form was posted from: the Referer, when it is a
// page of this site that a GET can show again; otherwise the form page
// the posted address implies: an object's …/edit or a list's …/new, the
// address itself, its parent.
func (s *Server) formPage(r *http.Request) string {
	if ref, err := url.Parse(r.Referer()); err == nil && ref.Host == r.Host && ref.Path != r.URL.Path && s.showable(ref.Path) {
		return safeNext(ref.RequestURI())
	}
	p := strings.TrimSuffix(r.URL.Path, "/")
	var candidates []string
	if _, err := strconv.ParseInt(p[strings.LastIndex(p, "/")+1:], 10, 64); err == nil {
		candidates = append(candidates, p+"/edit") // an object: its edit form
	} else {
		candidates = append(candidates, p+"/new") // a list: its creation form
	}
	candidates = append(candidates, p)
	if i := strings.LastIndex(p, "/"); i > 0 {
		candidates = append(candidates, p[:i])
	}
	for _, c := range candidates {
		if !s.showable(c) {
			continue
		}
		// …/edit and …/new must be the route's own words, not an {id}
		if last := c[strings.LastIndex(c, "/"):]; (last == "/edit" || last == "/new") && !strings.HasSuffix(s.routeOf(c), last) {
			continue
		}
		if strings.HasSuffix(c, "/new") && r.PostFormValue("kind") != "" {
			return c + "?" + url.Values{"kind": {r.PostFormValue("kind")}}.Encode()
		}
		return c
	}
	return "/"
}

// notShowable are the routes a GET answers but that show no form.
var notShowable = []string{"", "GET /", "GET /{$}"}

// showable tells whether a GET route serves path with a page.
func (s *Server) showable(path string) bool {
	pattern := s.routeOf(path)
	return strings.HasPrefix(pattern, "GET ") && !slices.Contains(notShowable, pattern)
}

// routeOf is the pattern of the route a GET of path reaches.
func (s *Server) routeOf(path string) string {
	req, err := http.NewRequest(http.MethodGet, path, nil)
	if err != nil {
		return ""
	}
	_, pattern := s.mux.Handler(req)
	return pattern
}

// typedIn lists k's values typed in the visible fields of the page, in
// its order, labelled as the page labels them.
func (pf pageFields) typedIn(k *kept) []typedValue {
	var keys []string
	for name, vs := range k.Values {
		if pf.hidden[name] || strings.TrimSpace(strings.Join(vs, "")) == "" {
			continue
		}
		keys = append(keys, name)
	}
	slices.SortFunc(keys, func(a, b string) int {
		pa, oka := pf.pos[pf.idOf(a)]
		pb, okb := pf.pos[pf.idOf(b)]
		switch {
		case oka != okb && oka:
			return -1
		case oka != okb:
			return 1
		case pa != pb:
			return pa - pb
		}
		return strings.Compare(a, b)
	})
	out := make([]typedValue, 0, len(keys))
	for _, name := range keys {
		label := pf.labels[pf.idOf(name)]
		if label == "" {
			label = name
		}
		out = append(out, typedValue{Label: label, Value: strings.Join(k.Values[name], ", ")})
	}
	return out
}
