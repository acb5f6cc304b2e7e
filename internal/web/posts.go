package web

import (
	"net/http"
	"net/url"
	"strconv"

	"copilote/internal/account"
	"copilote/internal/ctg"
	"copilote/internal/framework"
	"copilote/internal/msg"
	"copilote/internal/report"
	"copilote/internal/store"
)

type postView struct {
	*ctgEnv
	*form
	Post      *ctg.Post
	Functions []framework.Function
	Officers  []account.User
	Target    string
}

func (s *Server) postView(r *http.Request, f *form) (*postView, error) {
	e, err := s.env(r)
	if err != nil {
		return nil, err
	}
	users, err := s.db.Users(r.Context(), e.CTG.CafID)
	if err != nil {
		return nil, err
	}
	v := &postView{ctgEnv: e, form: f, Functions: framework.Load().Functions()}
	for _, u := range users {
		if u.Role == account.Officer {
			v.Officers = append(v.Officers, u)
		}
	}
	return v, nil
}

func postValues(p *ctg.Post) url.Values {
	v := url.Values{"person": {p.Person}, "employer": {p.Employer}, "etp": {p.ETP.String()}, "start": {p.Start.String()},
		"end": {p.End.String()}, "function": p.Functions, "axis": p.Axes, "user": {fmtID(p.UserID)},
		"annual_cost": {strconv.FormatInt(p.AnnualCost, 10)}, "caf_cofunding": {strconv.FormatInt(p.CafCofunding, 10)}}
	if p.ChefDeProjet {
		v.Set("chef", "on")
	}
	return v
}

func functionCodes() []string {
	var out []string
	for _, f := range framework.Load().Functions() {
		out = append(out, f.Code)
	}
	return out
}

func readPost(f *form) ctg.Post {
	p := ctg.Post{Person: f.str("person"), Employer: f.str("employer"), Start: f.date("start"), End: f.date("end"),
		ChefDeProjet: f.bool("chef"), Functions: f.Values["function"], Axes: f.Values["axis"], UserID: f.id("user"),
		AnnualCost: f.money("annual_cost"), CafCofunding: f.money("caf_cofunding")}
	etp, err := ctg.ParseETP(f.str("etp"))
	if err != nil {
		f.Errors.Add("etp", msg.InvalidNumber)
	}
	p.ETP = etp
	return p
}

func (s *Server) postNew(w http.ResponseWriter, r *http.Request) error {
	v, err := s.postView(r, newForm(url.Values{"etp": {"1"}}))
	if err != nil {
		return err
	}
	v.Values.Set("start", v.CTG.Start.String())
	v.Target = ctgURL(v.CTG.ID) + "/posts"
	s.render(w, r, http.StatusOK, "post_form", "Nouveau poste", v, crumb{"Accueil", "/"}, crumb{v.CTG.Name, ctgURL(v.CTG.ID)}, crumb{"Nouveau poste", ""})
	return nil
}

func (s *Server) postEdit(w http.ResponseWriter, r *http.Request) error {
	v, err := s.postView(r, nil)
	if err != nil {
		return err
	}
	p, ok := v.PostByID[toID(r.PathValue("id"))]
	if !ok {
		return notFoundPost()
	}
	v.Post, v.form, v.Target = &p, newForm(postValues(&p)), ctgURL(v.CTG.ID)+"/posts/"+fmtID(p.ID)
	s.render(w, r, http.StatusOK, "post_form", "Poste de "+p.Person, v, crumb{"Accueil", "/"}, crumb{v.CTG.Name, ctgURL(v.CTG.ID)}, crumb{p.Person, ""})
	return nil
}

func (s *Server) postCreate(w http.ResponseWriter, r *http.Request) error { return s.savePost(w, r, 0) }

func (s *Server) postUpdate(w http.ResponseWriter, r *http.Request) error {
	return s.savePost(w, r, toID(r.PathValue("id")))
}

func (s *Server) savePost(w http.ResponseWriter, r *http.Request, id int64) error {
	v, err := s.postView(r, newForm(r.PostForm))
	if err != nil {
		return err
	}
	if _, ok := v.PostByID[id]; id != 0 && !ok {
		return notFoundPost()
	}
	p := readPost(v.form)
	p.ID, p.CTGID = id, v.CTG.ID
	if v.Invalid() {
		v.merge(p.Validate(v.Nom, functionCodes())) // every problem at once
	} else {
		err = v.merge(s.db.Write(r.Context(), v.User.User.ID, func(tx *store.Tx) error { return tx.SavePost(&p, v.Nom) }))
		if err != nil {
			return err
		}
	}
	if v.Invalid() {
		v.Target = r.URL.Path
		s.render(w, r, http.StatusUnprocessableEntity, "post_form", "Poste", v, crumb{"Accueil", "/"}, crumb{v.CTG.Name, ctgURL(v.CTG.ID)})
		return nil
	}
	http.Redirect(w, r, withOK(ctgURL(v.CTG.ID)+"#postes", "saved"), http.StatusSeeOther)
	return nil
}

// instanceCreate adds a Copil, comité technique, working group… to the CTG.
func (s *Server) instanceCreate(w http.ResponseWriter, r *http.Request) error {
	e, err := s.env(r)
	if err != nil {
		return err
	}
	f := newForm(r.PostForm)
	i := ctg.Instance{CTGID: e.CTG.ID, Kind: f.str("kind"), Name: f.str("name"), Axis: f.str("axis")}
	if f.Invalid() {
		f.merge(i.Validate(e.Nom))
	} else if err := f.merge(s.db.Write(r.Context(), e.User.User.ID, func(tx *store.Tx) error { return tx.SaveInstance(&i, e.Nom) })); err != nil {
		return err
	}
	if f.Invalid() { // the CTG's page again, with the form as typed
		return s.renderCTG(w, r, http.StatusUnprocessableEntity, f, nil)
	}
	http.Redirect(w, r, withOK(ctgURL(e.CTG.ID)+"#instances", "saved"), http.StatusSeeOther)
	return nil
}

// postJobDescription shows a post's fiche de poste, from Tableau 1 and its
// delegation, as a page or a PDF.
func (s *Server) postJobDescription(w http.ResponseWriter, r *http.Request) error {
	e, err := s.env(r)
	if err != nil {
		return err
	}
	p, ok := e.PostByID[toID(r.PathValue("id"))]
	if !ok {
		return notFoundPost()
	}
	vacant := r.URL.Query().Get("recrutement") == "1"
	doc := report.JobDescription(framework.Load(), *e.CTG, p, e.Nom, vacant)
	other := crumb{"Version pour un recrutement, sans le nom du titulaire", r.URL.Path + "?recrutement=1"}
	if vacant {
		other = crumb{"Version avec le titulaire", r.URL.Path}
	}
	return s.answerDocument(w, r, docAnswer{doc: doc, page: "document", formats: documentFormats(doc), others: []crumb{other}},
		crumb{"Accueil", "/"}, crumb{e.CTG.Name, ctgURL(e.CTG.ID)}, crumb{"Fiche de poste de " + p.Person, ""})
}
