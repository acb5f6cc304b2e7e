// Package web serves Copilote's HTML interface: server-rendered pages that
// work without JavaScript, print cleanly and meet RGAA / WCAG 2.1 AA.
package web

import (
	"html/template"
	"log/slog"
	"net/http"
	"sync/atomic"
	"time"

	"copilote/internal/authz"
	"copilote/internal/ctg"
	"copilote/internal/versioned"

	"copilote/internal/config"
	"copilote/internal/mail"
	"copilote/internal/store"
)

// Server holds what handlers share; nothing in it belongs to a user or a
// request, so any number of instances can serve the same database.
type Server struct {
	db     *store.DB
	cfg    config.Config
	log    *slog.Logger
	pages  map[string]*template.Template
	assets *assets
	mux    *http.ServeMux
	// What requests read from the database, kept per version (package
	// versioned): the signed-in users, the CTGs, what every page of a CTG
	// shows (env.go), its dashboards', journal's and drill-downs' data
	// (pages.go).
	principals *versioned.Cache[int64, *authz.Principal]
	ctgs       *versioned.Cache[int64, *ctg.CTG]
	envs       *versioned.Cache[int64, *ctgEnv]
	pageData   *versioned.Cache[pageKey, any]
	// hashSlots bounds the passwords checked at once (login.go), hashWait
	// how long a sign-in waits for a slot.
	hashSlots chan struct{}
	hashWait  time.Duration
	// readSlots bounds the pages rendered at once (admit.go).
	readSlots chan struct{}
	// sso is the identity provider's discovery, when single sign-on is on.
	sso ssoClient
	// lastDashboard serves --bench-page only.
	lastDashboard atomic.Pointer[page]
	// patterns lists every route registered, in order, so that the
	// authorization matrix test fails on a route it has no row for.
	patterns []string
	// apiPatterns lists the routes of the REST API (api.go), which
	// TestAPIConformance calls one by one against the OpenAPI document.
	apiPatterns []string
	// documents bounds the PDFs and workbooks made at once (document.go).
	documents documentGate
	// mailer sends the invitation and password links; nil when no SMTP
	// relay is configured, and then administrators hand links over.
	mailer mail.Sender
	// metrics, when served (ops.go), counts every request.
	metrics *Metrics
}

// Passwords checked at once per process, 64 MiB of argon2 each, and how
// long a sign-in may wait for its turn.
const (
	hashingSlots = 4
	hashingWait  = 3 * time.Second
)

func New(db *store.DB, cfg config.Config, log *slog.Logger) (*Server, error) {
	a, err := loadAssets()
	if err != nil {
		return nil, err
	}
	s := &Server{db: db, cfg: cfg, log: slog.New(requestIDHandler{log.Handler()}), assets: a, mux: http.NewServeMux(),
		principals: versioned.New[int64, *authz.Principal](4096),
		ctgs:       versioned.New[int64, *ctg.CTG](2048),
		envs:       versioned.New[int64, *ctgEnv](256),
		// 1024 pages, dashboards included: readers of 200 CTGs' dashboards,
		// journals and drill-downs (600 pages) lost a quarter of their
		// throughput to recomputing at 512 (a third at 256)
		pageData:  versioned.New[pageKey, any](1024),
		hashSlots: make(chan struct{}, hashingSlots), hashWait: hashingWait,
		readSlots: make(chan struct{}, readSlots())}
	if s.pages, err = parsePages(s.funcs()); err != nil {
		return nil, err
	}
	if cfg.SMTP.Enabled() {
		s.mailer = mail.New(cfg.SMTP)
	}
	s.routes()
	return s, nil
}

// Handler wraps the routes with what every response needs.
func (s *Server) Handler() http.Handler {
	return withRequestID(s.logRequests(securityHeaders(s.mux, s.cfg.SecureCookies)))
}

func (s *Server) routes() {
	s.sessionless("GET /static/{hash}/{name}", s.assets)
	s.handle("GET /healthz", public, s.healthz)
	s.handle("GET /readyz", public, s.readyz)
	if s.cfg.BenchPage {
		s.sessionless("GET /bench/dashboard", s.admitted(http.HandlerFunc(s.benchDashboard)))
	}
	s.handle("GET /login", public, s.loginForm)
	s.handle("POST /login", public, s.login)
	s.handle("GET /login/sso", public, s.ssoStart)
	s.handle("GET /login/sso/callback", public, s.ssoCallback)
	s.handle("POST /logout", signedIn, s.logout)
	s.handle("GET /{$}", signedIn, s.home)
	s.handle("GET /journal", signedIn, s.journalAll)
	s.handle("GET /caf/indicators", signedIn, s.cafDashboard)
	s.handle("GET /caf/nomenclatures", signedIn, s.nomenclatures)
	s.handle("GET /caf/audit", signedIn, s.auditLog)
	s.handle("POST /caf/nomenclatures", signedIn, s.nomenclatureAdd)
	s.handle("GET /national/indicators", signedIn, s.nationalDashboard)
	s.handle("GET /ctg/new", signedIn, s.ctgNew)
	s.handle("POST /ctg", signedIn, s.ctgCreate)
	s.handle("GET /ctg/{ctg}", onCTG(viewCTG), s.ctgShow)
	s.handle("GET /ctg/{ctg}/edit", onCTG(manageCTG), s.ctgEdit)
	s.handle("POST /ctg/{ctg}/edit", onCTG(manageCTG), s.ctgUpdate)
	s.handle("GET /ctg/{ctg}/posts/new", onCTG(manageCTG), s.postNew)
	s.handle("POST /ctg/{ctg}/posts", onCTG(manageCTG), s.postCreate)
	s.handle("GET /ctg/{ctg}/posts/{id}", onCTG(manageCTG), s.postEdit)
	s.handle("POST /ctg/{ctg}/posts/{id}", onCTG(manageCTG), s.postUpdate)
	s.handle("GET /ctg/{ctg}/posts/{id}/fiche", onCTG(viewCTG), s.postJobDescription)
	s.handle("POST /ctg/{ctg}/instances", onCTG(manageCTG), s.instanceCreate)
	// closed years (issue 12, item 3): a Caf administrator's
	s.handle("POST /ctg/{ctg}/years/{year}/close", onCTG(authz.Administer), s.yearClose)
	s.handle("POST /ctg/{ctg}/years/{year}/reopen", onCTG(authz.Administer), s.yearReopen)
	s.handle("GET /ctg/{ctg}/journal", onCTG(viewCTG), s.journalList)
	s.handle("GET /ctg/{ctg}/indicators", onCTG(viewCTG), s.dashboard)
	s.handle("GET /ctg/{ctg}/indicators/{code}", onCTG(viewCTG), s.drill)
	s.handle("GET /ctg/{ctg}/targets", onCTG(manageCTG), s.targetsForm)
	s.handle("POST /ctg/{ctg}/targets", onCTG(manageCTG), s.targetsSave)
	s.handle("GET /ctg/{ctg}/actions", onCTG(viewCTG), s.actionList)
	s.handle("GET /ctg/{ctg}/actions/new", onCTG(recordCTG), s.actionNew)
	s.handle("POST /ctg/{ctg}/actions", onCTG(recordCTG), s.actionCreate)
	s.handle("GET /ctg/{ctg}/actions/{id}", onCTG(viewCTG), s.actionShow)
	s.handle("GET /ctg/{ctg}/actions/{id}/edit", onCTG(recordCTG), s.actionEdit)
	s.handle("POST /ctg/{ctg}/actions/{id}", onCTG(recordCTG), s.actionSave)
	s.handle("POST /ctg/{ctg}/actions/{id}/updates", onCTG(recordCTG), s.actionUpdate)
	s.handle("POST /ctg/{ctg}/actions/{id}/alert", onCTG(recordCTG), s.actionAlert)
	s.handle("GET /ctg/{ctg}/partners", onCTG(viewCTG), s.partnerList)
	s.handle("GET /ctg/{ctg}/partners/new", onCTG(recordCTG), s.partnerNew)
	s.handle("POST /ctg/{ctg}/partners", onCTG(recordCTG), s.partnerCreate)
	s.handle("GET /ctg/{ctg}/partners/{id}", onCTG(viewCTG), s.partnerShow)
	s.handle("POST /ctg/{ctg}/partners/merge", onCTG(manageCTG), s.partnerMerge)
	s.handle("GET /ctg/{ctg}/partners/{id}/edit", onCTG(recordCTG), s.partnerEdit)
	s.handle("POST /ctg/{ctg}/partners/{id}", onCTG(recordCTG), s.partnerCreate)
	// imports from spreadsheets (issue 13, item 2): imports.go
	s.handle("GET /ctg/{ctg}/imports", onCTG(recordCTG), s.importList)
	s.handle("POST /ctg/{ctg}/imports", onCTG(recordCTG), s.importUpload)
	s.handle("GET /ctg/{ctg}/imports/template/{kind}", onCTG(recordCTG), s.importTemplate)
	s.handle("GET /ctg/{ctg}/imports/{id}", onCTG(recordCTG), s.importShow)
	s.handle("POST /ctg/{ctg}/imports/{id}/mapping", onCTG(recordCTG), s.importMapping)
	s.handle("POST /ctg/{ctg}/imports/{id}/commit", onCTG(recordCTG), s.importCommit)
	s.handle("POST /ctg/{ctg}/imports/{id}/abandon", onCTG(recordCTG), s.importAbandon)
	s.handle("POST /ctg/{ctg}/imports/{id}/undo", onCTG(recordCTG), s.importUndo)
	s.handle("GET /ctg/{ctg}/records/new", onCTG(recordCTG), s.recordNew)
	s.handle("POST /ctg/{ctg}/records", onCTG(recordCTG), s.recordCreate)
	s.handle("GET /ctg/{ctg}/records/{id}", onCTG(viewCTG), s.recordShow)
	s.handle("GET /ctg/{ctg}/records/{id}/edit", onCTG(recordCTG), s.recordEdit)
	s.handle("POST /ctg/{ctg}/records/{id}", onCTG(recordCTG), s.recordUpdate)
	s.handle("GET /ctg/{ctg}/records/{id}/delete", onCTG(recordCTG), s.recordDeleteForm)
	s.handle("POST /ctg/{ctg}/records/{id}/delete", onCTG(recordCTG), s.recordDelete)
	s.handle("POST /ctg/{ctg}/records/{id}/restore", onCTG(authz.Administer), s.recordRestore)
	s.handle("GET /ctg/{ctg}/records/{id}/file", onCTG(viewCTG), s.recordFile)
	// reports (issue 10): each a page, a PDF and a workbook of its tables
	s.handle("GET /ctg/{ctg}/bilan", onCTG(viewCTG), s.annualReport)
	s.handle("GET /ctg/{ctg}/matrice", onCTG(viewCTG), s.matrixPage)
	s.handle("GET /ctg/{ctg}/copil", onCTG(viewCTG), s.copilPack)
	// visibility surveys (issue 10, item 1): survey*.go
	s.handle("GET /ctg/{ctg}/surveys", onCTG(viewCTG), s.surveyList)
	s.handle("GET /ctg/{ctg}/surveys/new", onCTG(recordCTG), s.surveyNew)
	s.handle("POST /ctg/{ctg}/surveys", onCTG(recordCTG), s.surveyCreate)
	s.handle("GET /ctg/{ctg}/surveys/{id}", onCTG(viewCTG), s.surveyShow)
	s.handle("POST /ctg/{ctg}/surveys/{id}/close", onCTG(recordCTG), s.surveyClose)
	s.handle("POST /ctg/{ctg}/surveys/{id}/delete", onCTG(manageCTG), s.surveyDelete)
	s.handle("GET /ctg/{ctg}/surveys/{id}/paper", onCTG(recordCTG), s.surveyPaperForm)
	s.handle("POST /ctg/{ctg}/surveys/{id}/paper", onCTG(recordCTG), s.surveyPaperSave)
	s.handle("GET /ctg/{ctg}/surveys/{id}/qr.png", onCTG(viewCTG), s.surveyQR)
	s.handle("GET /ctg/{ctg}/surveys/{id}/questionnaire.pdf", onCTG(viewCTG), s.surveyPDF)
	s.handle("GET /caf/surveys", signedIn, s.cafSurveys)
	s.handle("POST /caf/surveys/questions", signedIn, s.cafSurveyQuestionAdd)
	s.handle("POST /caf/surveys/questions/{id}/retire", signedIn, s.cafSurveyQuestionRetire)
	s.handle("POST /caf/surveys/comments", signedIn, s.cafSurveyComments)
	s.handle("GET /s/{token}", public, s.publicSurvey)
	s.handle("POST /s/{token}", public, s.publicSurveyAnswer)
	// the evaluation of a post and the views above it (issue 10, items 2 and 3; evaluation*.go)
	s.handle("GET /ctg/{ctg}/evaluations", onCTG(viewCTG), s.evaluationsCTG)
	s.handle("POST /ctg/{ctg}/evaluations", onCTG(recordCTG), s.evaluationCreate)
	s.handle("GET /ctg/{ctg}/evaluations/{id}", onCTG(viewCTG), s.evaluationShow)
	s.handle("POST /ctg/{ctg}/evaluations/{id}", onCTG(recordCTG), s.evaluationSave)
	s.handle("POST /ctg/{ctg}/evaluations/{id}/submit", onCTG(recordCTG), s.evaluationSubmit)
	s.handle("POST /ctg/{ctg}/evaluations/{id}/review", onCTG(manageCTG), s.evaluationReview)
	s.handle("POST /ctg/{ctg}/evaluations/{id}/return", onCTG(manageCTG), s.evaluationReturn)
	s.handle("POST /ctg/{ctg}/evaluations/{id}/validate", onCTG(manageCTG), s.evaluationValidate)
	s.handle("POST /ctg/{ctg}/evaluations/{id}/reopen", onCTG(authz.Administer), s.evaluationReopen)
	s.handle("GET /caf/evaluations", signedIn, s.cafEvaluations)
	s.handle("GET /national/evaluations", signedIn, s.nationalEvaluations)
	// links between things (issue 11, item 5): merge proposals (partner_merge.go)
	s.handle("POST /ctg/{ctg}/partners/proposals", onCTG(recordCTG), s.partnerPropose)
	s.handle("POST /ctg/{ctg}/partners/proposals/{id}/reject", onCTG(manageCTG), s.partnerProposalReject)
	// accounts in the browser (issue 11, item 6): accounts.go, account_self.go, password.go
	s.handle("GET /caf/accounts", signedIn, s.accountsList)
	s.handle("GET /caf/accounts/new", signedIn, s.accountNew)
	s.handle("POST /caf/accounts", signedIn, s.accountCreate)
	s.handle("GET /caf/accounts/{id}", signedIn, s.accountShow)
	s.handle("POST /caf/accounts/{id}/role", signedIn, s.accountRole)
	s.handle("POST /caf/accounts/{id}/deactivate", signedIn, s.accountDeactivate)
	s.handle("POST /caf/accounts/{id}/reactivate", signedIn, s.accountReactivate)
	s.handle("POST /caf/accounts/{id}/link", signedIn, s.accountLink)
	s.handle("POST /caf/accounts/{id}/grants", signedIn, s.accountGrant)
	s.handle("POST /caf/accounts/{id}/grants/withdraw", signedIn, s.accountWithdraw)
	s.handle("GET /caf/accounts/{id}/donnees", signedIn, s.personalOfAccount)
	s.handle("POST /caf/accounts/{id}/erase", signedIn, s.accountErase)
	s.handle("GET /account", signedIn, s.accountSelf)
	s.handle("GET /account/donnees", signedIn, s.personalOfSelf)
	s.handle("POST /account/password", signedIn, s.passwordChange)
	// the API's personal access tokens (issue 13, item 1): tokens.go
	s.handle("GET /account/tokens", signedIn, s.tokenList)
	s.handle("POST /account/tokens", signedIn, s.tokenCreate)
	s.handle("POST /account/tokens/{id}/revoke", signedIn, s.tokenRevoke)
	s.handle("GET /password/forgot", public, s.forgotForm)
	s.handle("POST /password/forgot", public, s.forgot)
	s.handle("GET /password/set", public, s.setForm)
	s.handle("POST /password/set", public, s.setPassword)
	// the Caf's open data in the CTGs' diagnostics (issue 13, item 3): opendata.go
	s.handle("GET /caf/opendata", signedIn, s.openDataPage)
	s.handle("POST /caf/opendata", signedIn, s.openDataUpload)
	s.apiRoutes() // api_routes.go
	s.handle("GET /", public, s.notFound)
}

// sessionless registers the two routes that bypass handle: assets, which
// need no session, and the bench page (loopback only, off by default),
// which must cost no query. They are recorded like the others.
func (s *Server) sessionless(pattern string, h http.Handler) {
	s.patterns = append(s.patterns, pattern)
	s.mux.Handle(pattern, h)
}
