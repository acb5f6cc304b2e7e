package web

import (
	"context"
	"errors"
	"fmt"
	"net/http"
	"net/url"
	"strconv"
	"strings"

	"copilote/internal/apperr"
	"copilote/internal/authz"
	"copilote/internal/ctg"
	"copilote/internal/indicator"
	"copilote/internal/msg"
	"copilote/internal/store"
)

// handlerFunc returns its error to the one wrapper that renders errors.
type handlerFunc func(w http.ResponseWriter, r *http.Request) error

// policy decides, before the handler runs, whether the request may proceed;
// it may put what it loaded (the CTG) into the returned request.
type policy func(s *Server, r *http.Request) (*http.Request, error)

// handle is the only way to register a page: a route cannot exist without
// its policy, which is how authorization stays in one place.
func (s *Server) handle(pattern string, p policy, h handlerFunc) {
	s.patterns = append(s.patterns, pattern)
	probe := pattern == "GET /healthz" || pattern == "GET /readyz" // answered at once, whatever the load
	s.mux.HandleFunc(pattern, func(w http.ResponseWriter, r *http.Request) {
		if !probe {
			admitted, release, err := s.admitRead(r)
			if err != nil {
				s.renderError(w, r, err)
				return
			}
			defer release()
			r = admitted
		}
		r, err := s.authenticate(w, r)
		if _, ok := sessionOf(r); ok {
			// what a signed-in user sees is theirs: no browser or proxy
			// cache may keep it for the next user of the machine
			w.Header().Set("Cache-Control", "no-store")
		}
		if err == nil {
			err = s.parseBody(w, r)
			// net/http removes the temporary files of the request it
			// passed in only, and the form was parsed on a copy
			defer removeUploads(r)
		}
		if err == nil {
			r, err = p(s, r)
		}
		if err == nil {
			err = s.checkCSRF(r)
		}
		if err == nil {
			err = h(w, r)
		}
		if err != nil {
			s.renderError(w, r, err)
		}
	})
}

// parseBody reads a posted form once, within the upload limit, before the
// CSRF check needs its token.
func (s *Server) parseBody(w http.ResponseWriter, r *http.Request) error {
	if r.Method != http.MethodPost {
		return nil
	}
	r.Body = http.MaxBytesReader(w, r.Body, s.cfg.MaxUpload+1<<20)
	var err error
	if strings.HasPrefix(r.Header.Get("Content-Type"), "multipart/") {
		err = r.ParseMultipartForm(1 << 20)
	} else {
		err = r.ParseForm()
	}
	var mbe *http.MaxBytesError
	if errors.As(err, &mbe) {
		return apperr.New(apperr.Invalid, msg.FileTooLarge, fmt.Sprintf("%d Mo", s.cfg.MaxUpload>>20))
	}
	if err != nil {
		return apperr.New(apperr.Invalid, msg.ErrForm)
	}
	return nil
}

// removeUploads deletes the temporary files of a parsed multipart form,
// whatever the request's outcome: left behind, each large upload would
// stay on disk for good.
func removeUploads(r *http.Request) {
	if r.MultipartForm != nil {
		r.MultipartForm.RemoveAll()
	}
}

type ctxKey int

const (
	principalKey ctxKey = iota
	sessionKey
	ctgKey
)

func principalOf(r *http.Request) *authz.Principal {
	p, _ := r.Context().Value(principalKey).(*authz.Principal)
	return p
}

// ctgOf is the CTG the policy loaded and authorized.
func ctgOf(r *http.Request) *ctg.CTG {
	c, _ := r.Context().Value(ctgKey).(*ctg.CTG)
	return c
}

func public(_ *Server, r *http.Request) (*http.Request, error) { return r, nil }

func signedIn(_ *Server, r *http.Request) (*http.Request, error) {
	if principalOf(r) == nil {
		return r, apperr.New(apperr.Unauthenticated, msg.ErrLoginRequired)
	}
	return r, nil
}

// The permissions CTG routes ask for.
const (
	viewCTG   = authz.View
	recordCTG = authz.Record
	manageCTG = authz.Manage
)

// onCTG loads the CTG named by {ctg} and checks perm on it. An unknown CTG
// and a forbidden one answer the same 404, so ids cannot be probed.
func onCTG(perm authz.Permission) policy {
	return func(s *Server, r *http.Request) (*http.Request, error) {
		if _, err := signedIn(s, r); err != nil {
			return r, err
		}
		id, err := strconv.ParseInt(r.PathValue("ctg"), 10, 64)
		if err != nil {
			return r, apperr.NotFoundf(msg.NotFoundCTG)
		}
		c, err := s.ctg(r.Context(), id)
		if err != nil {
			return r, err
		}
		p := principalOf(r)
		if !p.Can(authz.View, authz.Target{CTGID: c.ID, CafID: c.CafID}) {
			return r, apperr.NotFoundf(msg.NotFoundCTG)
		}
		if !p.Can(perm, authz.Target{CTGID: c.ID, CafID: c.CafID}) {
			return r, apperr.New(apperr.Forbidden, msg.ErrForbidden)
		}
		return r.WithContext(context.WithValue(r.Context(), ctgKey, c)), nil
	}
}

// ctg loads a CTG, kept per version of the CTG. Handlers only read it.
func (s *Server) ctg(ctx context.Context, id int64) (*ctg.CTG, error) {
	version, err := s.db.ScopeVersion(ctx, indicator.Scope{Kind: indicator.ScopeCTG, CTGID: id})
	if err != nil {
		return nil, err
	}
	return s.ctgs.Load(version, id, func() (*ctg.CTG, error) { return s.db.CTG(ctx, id) })
}

// renderError shows err as a French page with the status of its code;
// internal errors are logged and shown as a generic message.
func (s *Server) renderError(w http.ResponseWriter, r *http.Request, err error) {
	e := apperr.As(err)
	if s.keepInput(w, r, e) { // a form posted after its page or session expired (keep.go)
		return
	}
	if e.Code == apperr.Unauthenticated && r.Method == http.MethodGet {
		http.Redirect(w, r, "/login?next="+url.QueryEscape(r.URL.RequestURI()), http.StatusSeeOther)
		return
	}
	if e.Code == apperr.Internal && store.Unavailable(err) {
		// the database is down or restarting: the pool reconnects by
		// itself, the user retries in a moment
		s.log.WarnContext(r.Context(), "database unavailable", "method", r.Method, "path", r.URL.Path, "err", err)
		e = apperr.New(apperr.Unavailable, msg.DatabaseDown)
		w.Header().Set("Retry-After", "30")
	} else if e.Code == apperr.Internal {
		s.log.ErrorContext(r.Context(), "request failed", "method", r.Method, "path", r.URL.Path, "err", err)
	}
	if errors.Is(err, context.Canceled) {
		return
	}
	data := map[string]any{"Message": e.Message()}
	if e.Code == apperr.Internal || e.Code == apperr.Unavailable {
		data["RequestID"] = requestIDOf(r.Context()) // what to quote to whoever runs the server
	}
	s.render(w, r, apperr.HTTPStatus(e.Code), "error", pageTitle(e), data)
}

func pageTitle(e *apperr.Error) string {
	switch e.Code {
	case apperr.NotFound:
		return "Page introuvable"
	case apperr.Forbidden:
		return "Accès refusé"
	case apperr.Unauthenticated:
		return "Connexion requise"
	case apperr.Invalid:
		return "Demande incorrecte"
	case apperr.TooMany, apperr.Unavailable:
		return "Réessayez plus tard"
	}
	return "Erreur"
}

func (s *Server) notFound(w http.ResponseWriter, r *http.Request) error {
	return apperr.NotFoundf(msg.ErrNotFound)
}
