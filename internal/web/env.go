package web

import (
	"html/template"
	"net/http"
	"sort"
	"strings"

	"copilote/internal/authz"
	"copilote/internal/ctg"
	"copilote/internal/indicator"
	"copilote/internal/journal"
	"copilote/internal/nomenclature"
	"copilote/internal/partner"
)

// ctgEnv is what most CTG pages show besides their own data.
type ctgEnv struct {
	CTG       *ctg.CTG
	Posts     []ctg.Post
	PostByID  map[int64]ctg.Post
	Instances []ctg.Instance
	Nom       *nomenclature.Set
	Partners  map[int64]partner.Partner
	User      *authz.Principal
	// inCTG are the partners the CTG involves (links.go): pickers and
	// filters show them first.
	inCTG map[int64]bool
	// closed are the CTG's closed years (years.go): nothing dated in them
	// is offered for change.
	closed map[int]bool
	// partnerList is PartnerList, sorted once; partnerOptions its
	// options with none selected (PartnerOptions), written once.
	partnerList    []partner.Partner
	partnerOptions template.HTML
	// tab is the CTG's tab the page belongs to, and whether the page is
	// the tab itself (see Current).
	tab      string
	tabExact bool
}

// env is what every page of a CTG shows beside its own content. What the
// database gives for it is the same for every user and holds while the
// CTG's version does (store.ScopeVersion): it is kept, and each request
// gets a copy with its user and tab. Handlers only read what it holds.
func (s *Server) env(r *http.Request) (*ctgEnv, error) {
	c := ctgOf(r)
	version, err := s.db.ScopeVersion(r.Context(), indicator.Scope{Kind: indicator.ScopeCTG, CTGID: c.ID})
	if err != nil {
		return nil, err
	}
	kept, err := s.envs.Load(version, c.ID, func() (*ctgEnv, error) { return s.loadEnv(r, c) })
	if err != nil {
		return nil, err
	}
	e := *kept
	e.CTG, e.User = c, principalOf(r)
	e.tab, e.tabExact = ctgTab(r)
	return &e, nil
}

func (s *Server) loadEnv(r *http.Request, c *ctg.CTG) (*ctgEnv, error) {
	e := &ctgEnv{CTG: c, PostByID: map[int64]ctg.Post{}}
	var err error
	if e.Posts, err = s.db.Posts(r.Context(), c.ID); err != nil {
		return nil, err
	}
	for _, p := range e.Posts {
		e.PostByID[p.ID] = p
	}
	if e.Instances, err = s.db.Instances(r.Context(), c.ID); err != nil {
		return nil, err
	}
	if e.Nom, err = s.db.Nomenclature(r.Context(), c.CafID); err != nil {
		return nil, err
	}
	if e.Partners, err = s.db.PartnerNames(r.Context(), c.CafID); err != nil {
		return nil, err
	}
	if e.closed, err = s.closedYears(r, c.ID); err != nil {
		return nil, err
	}
	if err := s.loadCTGPartners(r, e); err != nil {
		return nil, err
	}
	e.partnerList = e.sortPartners()
	e.partnerOptions = e.writePartnerOptions("")
	return e, nil
}

// journalContext lets a form be validated before the store sees it.
func (e *ctgEnv) journalContext() journal.Context {
	jc := journal.Context{Nomenclature: e.Nom, Start: e.CTG.Start, End: e.CTG.End, Posts: map[int64]bool{}}
	for _, p := range e.Posts {
		jc.Posts[p.ID] = true
	}
	return jc
}

func (e *ctgEnv) target() authz.Target { return authz.Target{CTGID: e.CTG.ID, CafID: e.CTG.CafID} }

// CanRecord and CanManage drive which controls a page shows; the routes
// check the same permissions again.
func (e *ctgEnv) CanRecord() bool { return e.User.Can(authz.Record, e.target()) }
func (e *ctgEnv) CanManage() bool { return e.User.Can(authz.Manage, e.target()) }
func (e *ctgEnv) CanAdmin() bool  { return e.User.Can(authz.Administer, e.target()) }

// Label names a nomenclature value with the Caf's own list.
func (e *ctgEnv) Label(kind, code string) string { return e.Nom.Label(nomenclature.Kind(kind), code) }

func (e *ctgEnv) Choices(kind string) []nomenclature.Value {
	return e.Nom.Values(nomenclature.Kind(kind))
}

func (e *ctgEnv) PostName(id int64) string {
	if p, ok := e.PostByID[id]; ok {
		return p.Person
	}
	return "—"
}

func (e *ctgEnv) PartnerName(id int64) string {
	if p, ok := e.Partners[id]; ok {
		return p.Name
	}
	return "—"
}

func (e *ctgEnv) InstanceName(id int64) string {
	for _, i := range e.Instances {
		if i.ID == id {
			return i.Name
		}
	}
	return ""
}

// PartnerList is the Caf's active partners for pickers: the CTG's own
// first, then the rest of the Caf's, each sorted by name. It is sorted
// once when the environment is read (sortPartners): a Caf has hundreds of
// partners, and sorting them at each page cost half the journal's time.
func (e *ctgEnv) PartnerList() []partner.Partner {
	if e.partnerList == nil {
		return e.sortPartners()
	}
	return e.partnerList
}

func (e *ctgEnv) sortPartners() []partner.Partner {
	type named struct {
		p   partner.Partner
		key string
	}
	list := make([]named, 0, len(e.Partners))
	for _, p := range e.Partners {
		if p.MergedInto == 0 {
			list = append(list, named{p, partner.NormalizeName(p.Name)})
		}
	}
	sort.Slice(list, func(i, j int) bool {
		if a, b := e.inCTG[list[i].p.ID], e.inCTG[list[j].p.ID]; a != b {
			return a
		}
		return list[i].key < list[j].key
	})
	out := make([]partner.Partner, len(list))
	for i, n := range list {
		out[i] = n.p
	}
	return out
}

// ownPost is the default author of a new record: the post one-click
// writes use (authorPost), or the CTG's first post, which the form then
// asks to change.
func (e *ctgEnv) ownPost() int64 {
	if id := e.authorPost(); id != 0 {
		return id
	}
	if len(e.Posts) > 0 {
		return e.Posts[0].ID
	}
	return 0
}

// AuthorChoices are the posts the user may record as.
func (e *ctgEnv) AuthorChoices() []ctg.Post {
	var out []ctg.Post
	for _, p := range e.Posts {
		if e.User.CanRecordAs(p.ID, e.target()) {
			out = append(out, p)
		}
	}
	return out
}

// ctgTab places a CTG page under one of the CTG's tabs (the sub-nav of
// partials.html): the tab's own page, or a page within it (a record is
// in the journal, a fiche in the action plan).
func ctgTab(r *http.Request) (string, bool) {
	rest := strings.TrimPrefix(r.URL.Path, "/ctg/"+r.PathValue("ctg"))
	seg, more, _ := strings.Cut(strings.TrimPrefix(rest, "/"), "/")
	exact := more == ""
	switch seg {
	case "":
		return "overview", true
	case "journal", "records":
		switch r.URL.Query().Get("kind") {
		case "decision":
			return "decisions", exact && seg == "journal"
		case "alerte":
			return "alerts", exact && seg == "journal"
		}
		return "journal", exact && seg == "journal"
	case "indicators", "targets", "bilan", "matrice":
		return "indicators", exact && seg == "indicators"
	case "actions":
		return "actions", exact
	case "partners":
		return "partners", exact
	case "surveys":
		return "surveys", exact
	case "evaluations":
		return "evaluations", exact
	case "imports":
		return "imports", exact
	}
	return "", false
}

// Current marks the CTG's tab the page belongs to: aria-current="page" on
// the tab's own page, "true" on a page within it.
func (e *ctgEnv) Current(tab string) template.HTMLAttr {
	switch {
	case e.tab != tab:
		return ""
	case e.tabExact:
		return ` aria-current="page"`
	}
	return ` aria-current="true"`
}
