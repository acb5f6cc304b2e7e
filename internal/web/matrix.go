package web

import (
	"net/http"

	"copilote/internal/civil"
	"copilote/internal/ctg"
	"copilote/internal/framework"
	"copilote/internal/indicator"
	"copilote/internal/report"
)

// matrixPage shows the matrice de suivi of the CTG or, with ?post=, of
// one of its posts (its delegated indicators): one table per year of the
// convention, as a page and as a workbook of one sheet per year.
func (s *Server) matrixPage(w http.ResponseWriter, r *http.Request) error {
	e, err := s.env(r)
	if err != nil {
		return err
	}
	f := newForm(r.URL.Query())
	var post *ctg.Post
	scope := indicator.Scope{Kind: indicator.ScopeCTG, CTGID: e.CTG.ID}
	if id := f.id("post"); id != 0 {
		p, ok := e.PostByID[id]
		if !ok {
			return notFoundPost()
		}
		post, scope = &p, indicator.Scope{Kind: indicator.ScopePost, PostID: p.ID}
	}
	in := report.MatrixInput{CTG: *e.CTG, Post: post, Nom: e.Nom}
	for _, y := range e.CTG.Years() {
		res, err := s.db.Indicators(r.Context(), scope, indicator.Period{From: civil.YearStart(y), To: civil.YearEnd(y)})
		if err != nil {
			return err
		}
		in.Years = append(in.Years, report.YearFigures{Year: y, Result: res})
	}
	form := &reportForm{ctgEnv: e, Action: ctgURL(e.CTG.ID) + "/matrice"}
	if post != nil {
		form.Post = post.ID
		in.Link = matrixLink(e.CTG.ID, post.ID)
	} else {
		in.Link = matrixLink(e.CTG.ID, 0)
	}
	doc := report.Matrix(framework.Load(), in)
	return s.answerDocument(w, r, docAnswer{doc: doc, page: "matrix", formats: []string{"xlsx"}, form: form},
		crumb{"Accueil", "/"}, crumb{e.CTG.Name, ctgURL(e.CTG.ID)}, crumb{"Matrice de suivi", ""})
}
