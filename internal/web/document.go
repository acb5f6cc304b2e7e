package web

import (
	"context"
	"html/template"
	"net/http"
	"runtime"
	"slices"
	"strconv"
	"sync"
	"time"

	"copilote/internal/account"
	"copilote/internal/apperr"
	"copilote/internal/chart"
	"copilote/internal/civil"
	"copilote/internal/document"
	"copilote/internal/export"
	"copilote/internal/msg"
	"copilote/internal/pdf"
)

// The web rendering of a document.Document: the "document" template of
// document.html, shared by every page that shows a report, with its
// charts drawn by package chart. The PDF and the workbook render the same
// value elsewhere.

// docBlockView is a block with an id unique in its page (its section's
// and its rank), which its chart's SVG names its title by.
type docBlockView struct {
	ID string
	document.Block
}

func docBlock(section string, i int, b document.Block) docBlockView {
	return docBlockView{ID: section + "-" + strconv.Itoa(i), Block: b}
}

// docChart draws a document's chart as inline SVG.
func docChart(id string, c *document.Chart) template.HTML {
	id = "chart-" + id
	if c.Kind == "bars" && len(c.Series) == 1 {
		bars := make([]chart.Bar, len(c.Labels))
		for i, l := range c.Labels {
			bars[i] = chart.Bar{Label: l, Value: at(c.Series[0].Values, i)}
		}
		return chart.HBars(id, c.Title, bars, c.Unit)
	}
	series := make([]chart.Series, len(c.Series))
	for i, s := range c.Series {
		series[i] = chart.Series{Name: s.Name, Values: s.Values}
	}
	return chart.Columns(id, c.Title, c.Labels, series)
}

func at(vs []float64, i int) float64 {
	if i < len(vs) {
		return vs[i]
	}
	return 0
}

// docNumber is a figure of a chart's table, written the French way.
func docNumber(vs []float64, i int) string { return chart.Num(at(vs, i)) }

// docNumeric tells whether column i of t holds figures.
func docNumeric(t *document.Table, i int) bool { return i < len(t.Numeric) && t.Numeric[i] }

// documentView is the page of one report.
type documentView struct {
	Doc document.Document
	// Formats are the other renderings offered, e.g. "pdf".
	Formats []string
	// Form is what a page of its own (the Copil pack's) shows above the
	// document.
	Form any
	// Others are other versions of the document (the fiche de poste for
	// a recruitment).
	Others []crumb
}

// FormatURL is the request's own address asking for format.
func (v documentView) FormatURL(r *http.Request, format string) string {
	q := r.URL.Query()
	q.Set("format", format)
	return r.URL.Path + "?" + q.Encode()
}

// docAnswer is how a report is answered: its value, the page template
// that shows it and the files it is offered as.
type docAnswer struct {
	doc     document.Document
	page    string
	formats []string
	form    any
	others  []crumb
}

// sendDocument answers a report as a page, or as a PDF when ?format=pdf,
// or as a workbook of its tables when ?format=xlsx and it has tables: one
// value, several renderings.
func (s *Server) sendDocument(w http.ResponseWriter, r *http.Request, doc document.Document, crumbs ...crumb) error {
	return s.answerDocument(w, r, docAnswer{doc: doc, page: "document", formats: documentFormats(doc)}, crumbs...)
}

// documentFormats are the files a document is offered as: a PDF, and a
// workbook when it holds tables or figures.
func documentFormats(doc document.Document) []string {
	if export.Sheets(doc) > 0 {
		return []string{"pdf", "xlsx"}
	}
	return []string{"pdf"}
}

func (s *Server) answerDocument(w http.ResponseWriter, r *http.Request, a docAnswer, crumbs ...crumb) error {
	// the national reader reads what the nation needs, not what a named
	// post costs (RGPD: minimisation); in every format alike
	if p := principalOf(r); p != nil && p.User.Role == account.National {
		a.doc = a.doc.Redact()
	}
	format := r.URL.Query().Get("format")
	if format == "" || format == "html" {
		s.render(w, r, http.StatusOK, a.page, a.doc.Title, documentView{Doc: a.doc, Formats: a.formats, Form: a.form, Others: a.others}, crumbs...)
		return nil
	}
	if !slices.Contains(a.formats, format) {
		return apperr.NotFoundf(msg.ErrNotFound)
	}
	release, err := s.documents.acquire(r.Context())
	if err != nil {
		if apperr.As(err).Code == apperr.Unavailable {
			w.Header().Set("Retry-After", strconv.Itoa(documentRetry))
		}
		return err
	}
	defer release()
	out := &documentResponse{w: w, format: format, name: a.doc.Kind}
	if format == "pdf" {
		err = pdf.WriteContext(r.Context(), out, a.doc)
	} else {
		err = export.WriteDocument(out, a.doc)
	}
	if err == nil || !out.started {
		return apperr.Wrap(err, format+" "+a.doc.Kind)
	}
	s.log.Error("document failed after its first bytes: connection cut", "path", r.URL.Path, "err", err)
	panic(http.ErrAbortHandler)
}

// documentResponse sends a document's headers with its first byte, so
// that a failure before it is answered with an error page.
type documentResponse struct {
	w            http.ResponseWriter
	format, name string
	started      bool
}

func (o *documentResponse) Write(p []byte) (int, error) {
	if !o.started {
		o.started = true
		if o.format == "pdf" {
			o.w.Header().Set("Content-Type", "application/pdf")
			o.w.Header().Set("Content-Disposition", `attachment; filename="`+o.name+"-"+civil.Today().String()+`.pdf"`)
		} else {
			exportHeaders(o.w.Header(), o.format, o.name)
		}
	}
	return o.w.Write(p)
}

// How long a request waits for its turn to make a document, and the
// seconds a refused one is told to wait.
const (
	documentWait  = 5 * time.Second
	documentRetry = 10
)

// documentGate bounds the PDFs and workbooks made at once, to half the
// processors (one at least): each holds a processor while it lays its
// pages out, so that people printing long reports cannot take the server
// from everyone else. A request that
// gets no turn within documentWait is answered 503 with a French page.
type documentGate struct {
	once  sync.Once
	slots chan struct{}
	wait  time.Duration
}

func (g *documentGate) acquire(ctx context.Context) (release func(), err error) {
	g.once.Do(func() {
		if g.slots == nil {
			g.slots = make(chan struct{}, max(1, runtime.GOMAXPROCS(0)/2))
		}
		if g.wait == 0 {
			g.wait = documentWait
		}
	})
	timer := time.NewTimer(g.wait)
	defer timer.Stop()
	select {
	case g.slots <- struct{}{}:
		return func() { <-g.slots }, nil
	case <-timer.C:
		return nil, apperr.New(apperr.Unavailable, msg.DocumentsBusy)
	case <-ctx.Done():
		return nil, ctx.Err()
	}
}
