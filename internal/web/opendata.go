package web

import (
	"fmt"
	"html/template"
	"io"
	"net/http"
	"path/filepath"
	"strconv"
	"strings"

	"copilote/internal/apperr"
	"copilote/internal/chart"
	"copilote/internal/ctg"
	"copilote/internal/msg"
	"copilote/internal/opendata"
	"copilote/internal/store"
)

// diagnosticView is the "Diagnostic du territoire" section of a CTG page:
// the Caf's open data on its territory, by year, with the value at
// signature as the baseline.
type diagnosticView struct {
	Years         []int
	SignatureYear int
	Series        []seriesView
	Details       []detailView
}

type seriesView struct {
	ID, Label, Measure, Level, Coverage string
	Cells                               []cellView
	Baseline, Latest, Change            string
	Chart                               template.HTML
}

type cellView struct {
	Text     string
	Known    bool
	Partial  bool
	Baseline bool
}

type detailView struct {
	Label, Measure string
	Rows           []detailRowView
}

type detailRowView struct {
	Name  string
	Cells []cellView
}

// diagnostic builds the section from what the CTG keeps; nil when it keeps
// nothing.
func (s *Server) diagnostic(r *http.Request, c *ctg.CTG) (*diagnosticView, error) {
	values, err := s.db.OpenData(r.Context(), c.ID)
	if err != nil || len(values) == 0 {
		return nil, err
	}
	t := opendata.Territory{EPCI: c.EPCISIREN, SignatureYear: c.Start.Year}
	for _, m := range c.Communes {
		t.Communes = append(t.Communes, opendata.Place{INSEE: m.INSEE, Name: m.Name})
	}
	d := opendata.Build(t, values)
	v := &diagnosticView{Years: d.Years, SignatureYear: d.SignatureYear}
	for i, se := range d.Series {
		if !se.Numeric {
			continue
		}
		v.Series = append(v.Series, seriesOf(i, se))
	}
	for _, det := range d.Details {
		dv := detailView{Label: det.Label, Measure: det.Measure}
		for _, row := range det.Rows {
			dv.Rows = append(dv.Rows, detailRowView{Name: row.Name, Cells: cellsOf(row.Points, nil)})
		}
		v.Details = append(v.Details, dv)
	}
	return v, nil
}

func seriesOf(i int, se opendata.Series) seriesView {
	sv := seriesView{ID: "diag-" + strconv.Itoa(i), Label: se.Label, Measure: se.Measure, Level: se.Level.Label(),
		Cells: cellsOf(se.Points, se.Baseline), Baseline: "aucune valeur à la signature ni avant", Latest: "—", Change: "—"}
	if se.Level == opendata.Commune {
		sv.Level = "somme des communes"
		sv.Coverage = fmt.Sprintf("%d commune%s de la CTG sur %d dans le fichier", se.Communes, plural(se.Communes), se.OfCommunes)
	}
	baseline := -1
	points := make([]chart.TrendPoint, len(se.Points))
	for j, p := range se.Points {
		points[j] = chart.TrendPoint{Label: strconv.Itoa(p.Year), Value: p.Value, Known: p.Known, Partial: p.Partial}
		if se.Baseline != nil && p.Year == se.Baseline.Year {
			baseline = j
		}
	}
	if se.Baseline != nil {
		sv.Baseline = fmt.Sprintf("%s (%d)", chart.Thousands(se.Baseline.Value), se.Baseline.Year)
	}
	if se.Latest != nil {
		sv.Latest = fmt.Sprintf("%s (%d)", chart.Thousands(se.Latest.Value), se.Latest.Year)
	}
	if se.HasChange {
		sv.Change = signedFigure(se.Change)
		if se.HasPct {
			sv.Change += " (" + percent(se.ChangePct) + ")"
		}
	}
	title := se.Label + " (" + sv.Level + ") : évolution par année"
	legend := ""
	if se.Baseline != nil {
		legend = "valeur à la signature (" + strconv.Itoa(se.Baseline.Year) + ")"
	}
	sv.Chart = chart.Trend(sv.ID, title, points, baseline, legend)
	return sv
}

func cellsOf(ps []opendata.Point, baseline *opendata.Point) []cellView {
	out := make([]cellView, len(ps))
	for i, p := range ps {
		c := cellView{Known: p.Known, Partial: p.Partial, Baseline: baseline != nil && baseline.Year == p.Year}
		switch {
		case p.Known:
			c.Text = chart.Thousands(p.Value)
		case p.Raw != "":
			c.Text = p.Raw
		}
		out[i] = c
	}
	return out
}

func signedFigure(v float64) string {
	if v > 0 {
		return "+" + chart.Thousands(v)
	}
	return strings.Replace(chart.Thousands(v), "-", "−", 1)
}

// percent writes a change in per cent with one decimal and its sign:
// "+1,2 %", "−0,7 %".
func percent(v float64) string {
	s := strings.Replace(strconv.FormatFloat(v, 'f', 1, 64), ".", ",", 1)
	switch {
	case strings.HasPrefix(s, "-"):
		s = "−" + s[1:]
	case s != "0,0":
		s = "+" + s
	}
	return s + " %"
}

func plural(n int) string {
	if n > 1 {
		return "s"
	}
	return ""
}

// openDataView is the administrator's page: the upload form, what the
// last upload changed, and what each CTG of the Caf keeps.
type openDataView struct {
	*form
	Result    *store.OpenDataImport
	Source    string
	Coverages []store.OpenDataCoverage
}

func (s *Server) openDataPage(w http.ResponseWriter, r *http.Request) error {
	return s.renderOpenData(w, r, http.StatusOK, &openDataView{form: newForm(nil)})
}

func (s *Server) renderOpenData(w http.ResponseWriter, r *http.Request, status int, v *openDataView) error {
	caf, err := s.adminCaf(r)
	if err != nil {
		return err
	}
	if v.Coverages, err = s.db.OpenDataCoverages(r.Context(), caf.ID); err != nil {
		return err
	}
	s.render(w, r, status, "opendata", "Données ouvertes de la Caf – "+caf.Name, v, crumb{"Accueil", "/"}, crumb{"Données ouvertes", ""})
	return nil
}

// openDataUpload imports a data.caf.fr file into the diagnostics of the
// Caf's CTGs: the whole file in one transaction, or nothing.
func (s *Server) openDataUpload(w http.ResponseWriter, r *http.Request) error {
	caf, err := s.adminCaf(r)
	if err != nil {
		return err
	}
	v := &openDataView{form: newForm(r.PostForm)}
	name, data, problem := s.readOpenDataFile(r)
	if problem != "" {
		v.Errors["file"] = problem
		return s.renderOpenData(w, r, http.StatusUnprocessableEntity, v)
	}
	f, err := opendata.Read(data)
	if err == nil {
		err = s.db.Write(r.Context(), principalOf(r).User.ID, func(tx *store.Tx) error {
			v.Result, err = tx.ImportOpenData(caf.ID, name, f)
			return err
		})
	}
	if apperr.CodeOf(err) == apperr.Invalid {
		v.Errors["file"] = apperr.As(err).Message()
		return s.renderOpenData(w, r, http.StatusUnprocessableEntity, v)
	}
	if err != nil {
		return err
	}
	v.Source = name
	return s.renderOpenData(w, r, http.StatusOK, v)
}

// readOpenDataFile returns the uploaded CSV, read within the upload
// limit (parseBody bounded the body; its temporary file is removed by
// handle whatever happens), or a French message for the field.
func (s *Server) readOpenDataFile(r *http.Request) (string, []byte, string) {
	if r.MultipartForm == nil {
		return "", nil, msg.Text(msg.OpenDataNoFile)
	}
	fh, hdr, err := r.FormFile("file")
	if err != nil {
		return "", nil, msg.Text(msg.OpenDataNoFile)
	}
	defer fh.Close()
	name := filepath.Base(hdr.Filename)
	ext := strings.ToLower(filepath.Ext(name))
	if !validText(name) || (ext != ".csv" && ext != ".txt") {
		return "", nil, msg.Text(msg.OpenDataFileType)
	}
	if hdr.Size > s.cfg.MaxUpload {
		return "", nil, msg.Text(msg.FileTooLarge, fmt.Sprintf("%d Mo", s.cfg.MaxUpload>>20))
	}
	data, err := io.ReadAll(io.LimitReader(fh, s.cfg.MaxUpload+1))
	if err != nil || int64(len(data)) > s.cfg.MaxUpload {
		return "", nil, msg.Text(msg.FileTooLarge, fmt.Sprintf("%d Mo", s.cfg.MaxUpload>>20))
	}
	return name, data, ""
}
