package web

import (
	"context"
	"errors"
	"net/http"
	"time"

	"copilote/internal/apperr"
	"copilote/internal/civil"
	"copilote/internal/export"
	"copilote/internal/msg"
	"copilote/internal/store"
)

// exportHeaders name the file, dated, and its type.
func exportHeaders(h http.Header, format, name string) {
	h.Set("Cache-Control", "no-store") // a download is as private as its page
	h.Set("Content-Disposition", `attachment; filename="`+name+"-"+civil.Today().String()+"."+format+`"`)
	if format == "csv" {
		h.Set("Content-Type", "text/csv; charset=utf-8")
	} else {
		h.Set("Content-Type", "application/vnd.openxmlformats-officedocument.spreadsheetml.sheet")
	}
}

// exportIdle is how long a streamed export may go without sending or
// reading anything: the server's WriteTimeout (two minutes from the
// request) would cut an export of a million rows, so each batch of rows
// and each write moves the deadline on.
const exportIdle = 2 * time.Minute

// xlsxRowLimit is export.MaxXLSXRows; tests lower it.
var xlsxRowLimit = export.MaxXLSXRows

// streamExport writes a table whose rows come from rows, which calls
// emit for each one, as they come: memory holds a batch of records and
// the writer's buffer, never the table (export.Writer).
//
// The headers are sent with the first byte, so that a failure before it
// (the first query, an XLSX file that the rows never reached) is answered
// with an error page and its status. A failure after it cannot change the
// status any more: it is logged and the connection is cut
// (http.ErrAbortHandler) rather than the body ended cleanly, so that the
// browser reports a failed download instead of keeping a file that looks
// whole but lacks rows. CSV rows go out as they are written (by 64 KB);
// an XLSX file goes out once its sheet is complete, since a zip is
// written after its parts.
func (s *Server) streamExport(w http.ResponseWriter, r *http.Request, format, name string, head export.Table,
	rows func(emit func(cells ...any) error) error) error {
	leaveSlot(r) // a download is long: pages need not wait for it
	out := &exportResponse{w: w, rc: http.NewResponseController(w), format: format, name: name}
	out.keepAlive()
	tw, err := export.New(out, format, head.Title, head.Columns)
	if err != nil {
		return err
	}
	defer tw.Close() // the XLSX temporary file, whatever happens
	n := 0
	err = rows(func(cells ...any) error {
		if n++; n%1000 == 0 {
			out.keepAlive()
		}
		return tw.Row(cells...)
	})
	if err == nil {
		err = tw.Finish()
	}
	if err == nil || !out.started {
		return err
	}
	if errors.Is(err, context.Canceled) {
		s.log.InfoContext(r.Context(), "export interrupted by the client", "path", r.URL.Path, "rows", n)
	} else {
		s.log.ErrorContext(r.Context(), "export failed after its first bytes: connection cut", "path", r.URL.Path, "rows", n, "err", err)
	}
	panic(http.ErrAbortHandler)
}

// exportResponse sends the export's headers with its first byte.
type exportResponse struct {
	w            http.ResponseWriter
	rc           *http.ResponseController
	format, name string
	started      bool
}

func (o *exportResponse) Write(p []byte) (int, error) {
	if !o.started {
		o.started = true
		exportHeaders(o.w.Header(), o.format, o.name)
	}
	o.keepAlive()
	return o.w.Write(p)
}

// keepAlive moves the write deadline on; a writer without deadlines (as
// in tests) has none to move.
func (o *exportResponse) keepAlive() { _ = o.rc.SetWriteDeadline(time.Now().Add(exportIdle)) }

// checkXLSXRows refuses, before anything is read, an XLSX export beyond
// what a sheet holds, with a French message pointing to CSV.
func (s *Server) checkXLSXRows(ctx context.Context, format string, f store.RecordFilter) error {
	if format != "xlsx" {
		return nil
	}
	n, err := s.db.CountRecords(ctx, f)
	if err != nil {
		return err
	}
	if n > xlsxRowLimit {
		return apperr.New(apperr.Invalid, msg.ExportTooManyRows, thousands(xlsxRowLimit), thousands(n))
	}
	return nil
}
