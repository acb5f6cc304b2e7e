package web

import (
	"bytes"
	"embed"
	"fmt"
	"html/template"
	"io/fs"
	"net/http"
	"sort"
	"strings"
	"time"

	"copilote/internal/apperr"
	"copilote/internal/authz"
	"copilote/internal/civil"
	"copilote/internal/msg"
	"copilote/internal/nomenclature"
)

//go:embed templates
var templateFiles embed.FS

// shared are the templates every page is parsed with.
var shared = []string{"layout.html", "partials.html", "document.html"}

// pageFiles lists each page and the files it needs besides the shared ones.
// Start-up fails on a template file that no page uses, so nothing stale
// lingers.
var pageFiles = map[string][]string{
	"error":         {"error.html"},
	"login":         {"login.html"},
	"home":          {"home.html"},
	"ctg":           {"ctg.html"},
	"record_kinds":  {"record_kinds.html"},
	"record_form":   {"record_form.html", "capture.html"},
	"record":        {"record.html"},
	"record_delete": {"record_delete.html"},
	"journal":       {"journal.html"},
	"actions":       {"actions.html"},
	"action":        {"action.html"},
	"action_form":   {"action_form.html"},
	"partners":      {"partners.html"},
	"partner":       {"partner.html"},
	"partner_form":  {"partner_form.html"},
	"ctg_form":      {"ctg_form.html"},
	"post_form":     {"post_form.html"},
	"journal_all":   {"journal_all.html"},
	"dashboard":     {"dashboard.html"},
	"drill":         {"drill.html"},
	"compare":       {"compare.html"},
	"targets":       {"targets.html"},
	"nomenclatures": {"nomenclatures.html"},
	"document":      {"document_page.html"},
	"audit":         {"audit.html"},
	// reports (issue 10): bilan annuel, matrice de suivi, pack Copil
	"bilan":  {"bilan.html"},
	"matrix": {"matrix.html"},
	"copil":  {"copil.html"},
	// visibility surveys (issue 10, item 1)
	"survey_list":   {"survey_list.html"},
	"survey_form":   {"survey_form.html"},
	"survey_wave":   {"survey_wave.html"},
	"survey_paper":  {"survey_paper.html", "survey_questions.html"},
	"survey_public": {"survey_public.html", "survey_questions.html"},
	"survey_caf":    {"survey_caf.html"},
	// the evaluation of a post and of a CTG
	"evaluation":  {"evaluation.html"},
	"evaluations": {"evaluations.html"},
	// accounts in the browser (issue 11, item 6)
	"accounts":        {"accounts.html", "account_partials.html"},
	"account_form":    {"account_form.html"},
	"account":         {"account.html", "account_partials.html"},
	"account_self":    {"account_self.html", "account_partials.html"},
	"account_tokens":  {"account_tokens.html"},
	"api_docs":        {"api_docs.html"},
	"password_forgot": {"password_forgot.html"},
	"password_set":    {"password_set.html", "account_partials.html"},
	"personal":        {"personal.html"},
	// imports from spreadsheets (issue 13, item 2)
	"imports": {"imports.html"},
	"import":  {"import.html"},
	// the Caf's open data (issue 13, item 3)
	"opendata": {"opendata.html"},
}

func parsePages(funcs template.FuncMap) (map[string]*template.Template, error) {
	used := map[string]bool{}
	for _, f := range shared {
		used[f] = true
	}
	pages := map[string]*template.Template{}
	for name, files := range pageFiles {
		paths := []string{}
		for _, f := range append(append([]string{}, shared...), files...) {
			used[f] = true
			paths = append(paths, "templates/"+f)
		}
		t, err := template.New("layout.html").Funcs(funcs).ParseFS(templateFiles, paths...)
		if err != nil {
			return nil, fmt.Errorf("page %s: %w", name, err)
		}
		pages[name] = t
	}
	entries, err := fs.ReadDir(templateFiles, "templates")
	if err != nil {
		return nil, err
	}
	for _, e := range entries {
		if !used[e.Name()] {
			return nil, fmt.Errorf("template %s belongs to no page", e.Name())
		}
	}
	return pages, nil
}

// page is what the layout needs on every page.
type page struct {
	Title   string
	Nav     string // current section, for aria-current
	User    *authz.Principal
	CSRF    string
	Flash   string
	Crumbs  []crumb
	Data    any
	Request *http.Request
	// errs are the field errors the page's forms showed (summary.go),
	// problems the same in the page's order, for the second pass; Kept is
	// a form's input shown again after its page or session expired (keep.go).
	errs     apperr.Fields
	problems []problem
	Kept     *kept
}

type crumb struct{ Label, URL string }

// render executes into a buffer first so that a template error becomes a
// clean 500 instead of half a page.
func (s *Server) render(w http.ResponseWriter, r *http.Request, status int, name, title string, data any, crumbs ...crumb) {
	t, ok := s.pages[name]
	if !ok {
		s.log.ErrorContext(r.Context(), "unknown page", "page", name)
		http.Error(w, "Erreur interne", http.StatusInternalServerError)
		return
	}
	p := page{Title: title, User: principalOf(r), Data: data, Crumbs: crumbs, Request: r, Nav: navOf(r)}
	if sess, ok := sessionOf(r); ok {
		p.CSRF = sess.CSRF
	}
	p.Flash = flashText(r.URL.Query().Get("ok"))
	if k := keptOf(r); k != nil && k.Status != 0 { // input kept (keep.go)
		if f, ok := data.(restorer); ok {
			f.restore(k.Values)
		}
		p.Kept, status = k, k.Status
	}
	s.keepForBench(name, p)
	var buf bytes.Buffer
	err := t.Execute(&buf, &p)
	if err == nil && (len(p.errs) > 0 || p.Kept != nil) { // what the page itself says of its fields (summary.go)
		s.secondPass(&p, buf.Bytes())
		buf.Reset()
		err = t.Execute(&buf, &p)
	}
	if err != nil {
		s.log.ErrorContext(r.Context(), "render", "page", name, "err", err)
		http.Error(w, "Erreur interne", http.StatusInternalServerError)
		return
	}
	w.Header().Set("Content-Type", "text/html; charset=utf-8")
	w.WriteHeader(status)
	buf.WriteTo(w)
}

func navOf(r *http.Request) string {
	switch {
	case r.URL.Path == "/":
		return "home"
	case strings.HasPrefix(r.URL.Path, "/ctg/"):
		return "ctg"
	case strings.HasPrefix(r.URL.Path, "/caf/accounts"):
		return "accounts"
	}
	return mainNav[r.URL.Path]
}

// mainNav names the pages of the main navigation, each marked as the
// current one (aria-current) when shown.
var mainNav = map[string]string{
	"/journal":              "journal",
	"/caf/indicators":       "caf-indicators",
	"/national/indicators":  "national-indicators",
	"/caf/evaluations":      "caf-evaluations",
	"/national/evaluations": "national-evaluations",
	"/caf/nomenclatures":    "nomenclatures",
	"/caf/audit":            "audit",
	"/caf/opendata":         "opendata",
}

// flashes are the confirmations a redirect may ask for with ?ok=key; only
// known keys show, so a link cannot make the page say anything else.
var flashes = map[string]string{
	"saved":    "Enregistrement effectué.",
	"deleted":  "Suppression effectuée. Un administrateur peut restaurer l'élément.",
	"restored": "Élément restauré.",
	"merged":   "Partenaires fusionnés : tous les liens sont repris par le partenaire conservé.",
	"loggedin": "Vous êtes connecté(e).",
	// the workflow of an evaluation
	"submitted": "Évaluation soumise au conseiller territorial.",
	"returned":  "Évaluation renvoyée au chargé(e) de coopération avec votre avis.",
	"validated": "Évaluation validée : son document est figé.",
	"reopened":  "Évaluation rouverte : elle revient au conseiller territorial ; la réouverture est inscrite à l'historique.",
	// merge proposals (issue 11, item 5)
	"proposed": "Fusion proposée : un administrateur ou un conseiller de la Caf la confirmera.",
	"rejected": "Proposition de fusion rejetée : les deux partenaires restent distincts.",
}

func flashText(key string) string {
	if s, ok := flashes[key]; ok {
		return s
	}
	if s, ok := importFlashes[key]; ok {
		return s
	}
	return accountFlashes[key]
}

// accountFlashes confirm the account pages' changes (issue 11, item 6).
var accountFlashes = map[string]string{
	"deactivated":      "Compte désactivé : il ne peut plus se connecter, et ses sessions sont fermées.",
	"reactivated":      "Compte réactivé : il se connecte de nouveau avec son mot de passe.",
	"erased":           "Données personnelles effacées : le compte, ses postes et ses évaluations ne nomment plus la personne ; ses enregistrements restent ceux de la CTG.",
	"password_changed": "Mot de passe modifié. Vos autres sessions ont été fermées.",
	"token_revoked":    "Jeton révoqué : il n'ouvre plus l'API, dès maintenant.",
	"password_set":     "Mot de passe enregistré : connectez-vous avec votre adresse électronique et ce mot de passe.",
	"reset_mail":       msg.Text(msg.ResetAnswerMail),
	"reset_nomail":     msg.Text(msg.ResetAnswerNoMail),
}

func (s *Server) funcs() template.FuncMap {
	return template.FuncMap{
		"asset": s.assets.url,
		"date":  func(d civil.Date) string { return d.French() },
		"label": func(kind string, code string) string {
			return nomenclature.Default.Label(nomenclature.Kind(kind), code)
		},
		"thousands":        func(n int) string { return thousands(n) },
		"euros":            func(n int64) string { return thousands(n) + " €" },
		"join":             strings.Join,
		"field":            fieldFunc,
		"choices":          choicesFunc,
		"titleLabel":       titleLabel,
		"facilitatedLabel": facilitatedLabel,
		"slots":            slots,
		"kb":               kb,
		"datetime":         datetime,
		"auditAction":      auditAction,
		"auditDetail":      auditDetail,
		"toID":             toID,
		"add":              func(a, b int) int { return a + b },
		"score":            score,
		"docBlock":         docBlock,
		"docChart":         docChart,
		"docNumber":        docNumber,
		"docNumeric":       docNumeric,
		"problems":         problems,
		"sorted": func(xs []string) []string {
			out := append([]string{}, xs...)
			sort.Strings(out)
			return out
		},
		// the cockpit (issue 11): "novembre 2026", "+3" / "−2"
		"monthName": monthName,
		"signedInt": func(n int) string { return signed(float64(n)) },
		"lower":     strings.ToLower,
		// imports (issue 13): an optional instant
		"deref": func(t *time.Time) time.Time {
			if t == nil {
				return time.Time{}
			}
			return *t
		},
	}
}

// thousands groups digits the French way, with a narrow no-break space.
func thousands[T ~int | ~int64](n T) string {
	s := fmt.Sprint(int64(n))
	neg := strings.HasPrefix(s, "-")
	s = strings.TrimPrefix(s, "-")
	var b strings.Builder
	for i, c := range s {
		if i > 0 && (len(s)-i)%3 == 0 {
			b.WriteString("\u202f")
		}
		b.WriteRune(c)
	}
	if neg {
		return "-" + b.String()
	}
	return b.String()
}
