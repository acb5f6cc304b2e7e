package web

import (
	"net/http"

	"copilote/internal/ctg"
	"copilote/internal/framework"
)

type ctgData struct {
	CTG       *ctg.CTG
	Posts     []ctg.Post
	Functions map[string]string
	TotalETP  ctg.ETP
	TotalCost int64
}

func (s *Server) ctgShow(w http.ResponseWriter, r *http.Request) error {
	c := ctgOf(r)
	posts, err := s.db.Posts(r.Context(), c.ID)
	if err != nil {
		return err
	}
	d := ctgData{CTG: c, Posts: posts, Functions: map[string]string{}}
	for _, f := range framework.Load().Functions() {
		d.Functions[f.Code] = f.Title
	}
	for _, p := range posts {
		d.TotalETP += p.ETP
		d.TotalCost += p.AnnualCost
	}
	s.render(w, r, http.StatusOK, "ctg", c.Name, d, crumb{"Accueil", "/"}, crumb{c.Name, ""})
	return nil
}
