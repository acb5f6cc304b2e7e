package export

import (
	"archive/zip"
	"bufio"
	"encoding/csv"
	"fmt"
	"io"

	"github.com/xuri/excelize/v2"
)

// A Writer writes a table row by row, so that an export of a million rows
// never holds them: New writes the header, Row each row (cells as in
// Table.Rows), Finish the end of the file. Close releases what the writer
// keeps aside (the XLSX temporary file); call it in every case, after
// Finish or instead of it when the export fails.
type Writer interface {
	Row(cells ...any) error
	Finish() error
	Close() error
}

// New starts a table of the given format ("csv" or "xlsx") on w.
func New(w io.Writer, format, title string, columns []string) (Writer, error) {
	switch format {
	case "csv":
		return NewCSV(w, columns)
	case "xlsx":
		return NewXLSX(w, title, columns)
	}
	return nil, fmt.Errorf("export: unknown format %q", format)
}

// csvBuffer is how much CSV is gathered before it is written on: rows
// reach the client in pieces of this size.
const csvBuffer = 64 << 10

// CSV writes French Excel's CSV (see WriteCSV) as rows come.
type CSV struct {
	bw  *bufio.Writer
	cw  *csv.Writer
	rec []string
}

// NewCSV writes the BOM and the header into its buffer: nothing reaches w
// before the first 64 KB or Finish.
func NewCSV(w io.Writer, columns []string) (*CSV, error) {
	bw := bufio.NewWriterSize(w, csvBuffer)
	if _, err := bw.WriteString("\ufeff"); err != nil {
		return nil, err
	}
	// csv.NewWriter's own bufio.Writer is bw itself, being large enough
	cw := csv.NewWriter(bw)
	cw.Comma = ';'
	cw.UseCRLF = true
	if err := cw.Write(columns); err != nil {
		return nil, err
	}
	return &CSV{bw: bw, cw: cw, rec: make([]string, len(columns))}, nil
}

func (c *CSV) Row(cells ...any) error {
	for i, v := range cells {
		c.rec[i] = csvCell(v)
	}
	return c.cw.Write(c.rec[:len(cells)])
}

func (c *CSV) Finish() error {
	c.cw.Flush()
	if err := c.cw.Error(); err != nil {
		return err
	}
	return c.bw.Flush()
}

func (c *CSV) Close() error { return nil }

// MaxXLSXRows is how many rows a sheet holds below its header: Excel's
// limit is 1 048 576 rows in all.
const MaxXLSXRows = excelize.TotalRows - 1

// XLSX writes one sheet (see WriteXLSX) through excelize's StreamWriter:
// rows are encoded as they come into a buffer that excelize moves to a
// temporary file once it passes 16 MB (excelize.StreamChunkSize, in
// os.TempDir()); Close removes that file. The workbook is zipped straight
// into w by Finish, so nothing reaches w before it: an XLSX file cannot
// be read before its sheet ends anyway.
type XLSX struct {
	w         io.Writer
	f         *excelize.File
	sw        *excelize.StreamWriter
	sheet     string
	columns   int
	rows      int
	dateStyle int
	cells     []any
}

// NewXLSX starts the sheet with a bold, frozen header.
func NewXLSX(w io.Writer, title string, columns []string) (*XLSX, error) {
	x := &XLSX{w: w, f: excelize.NewFile(), sheet: sheetName(title), columns: len(columns)}
	if err := x.start(columns); err != nil {
		x.Close()
		return nil, err
	}
	return x, nil
}

func (x *XLSX) start(columns []string) error {
	if err := x.f.SetSheetName("Sheet1", x.sheet); err != nil {
		return err
	}
	sw, err := x.f.NewStreamWriter(x.sheet)
	if err != nil {
		return err
	}
	x.sw = sw
	bold, _ := x.f.NewStyle(&excelize.Style{Font: &excelize.Font{Bold: true}})
	x.dateStyle, _ = x.f.NewStyle(&excelize.Style{NumFmt: 14})
	header := make([]any, len(columns))
	for i, c := range columns {
		header[i] = excelize.Cell{StyleID: bold, Value: c}
	}
	if err := sw.SetPanes(&excelize.Panes{Freeze: true, YSplit: 1, TopLeftCell: "A2", ActivePane: "bottomLeft"}); err != nil {
		return err
	}
	return sw.SetRow("A1", header)
}

func (x *XLSX) Row(cells ...any) error {
	if x.rows == MaxXLSXRows {
		return fmt.Errorf("export: a sheet holds %d rows at most", MaxXLSXRows)
	}
	x.rows++
	x.cells = x.cells[:0]
	for _, c := range cells {
		x.cells = append(x.cells, xlsxCell(c, x.dateStyle))
	}
	cell, _ := excelize.CoordinatesToCellName(1, x.rows+1)
	return x.sw.SetRow(cell, x.cells)
}

// Finish sets the autofilter over the rows, ends the sheet and writes the
// workbook to w. The filter is set before the StreamWriter's Flush, while
// excelize still holds the sheet's settings: after it, AutoFilter decodes
// and encodes again a sheet still in memory (below 16 MB: some 250 MB for
// 30 000 rows) and its filter never reaches the file. excelize's File.Write zips the workbook into a buffer
// holding the whole file before copying it to w; its zip writer is
// replaced here by one writing to w itself, so that the file goes out as
// it is zipped and the buffer stays empty. (That buffer also serves to
// mark ZIP64 entries, for parts above 4 GB: a sheet of MaxXLSXRows rows
// stays far below.)
func (x *XLSX) Finish() error {
	last, _ := excelize.CoordinatesToCellName(max(x.columns, 1), x.rows+1)
	if err := x.f.AutoFilter(x.sheet, "A1:"+last, nil); err != nil {
		return err
	}
	if err := x.sw.Flush(); err != nil {
		return err
	}
	x.f.SetZipWriter(func(io.Writer) excelize.ZipWriter { return zip.NewWriter(x.w) })
	return x.f.Write(io.Discard)
}

// Close removes the temporary file, if the sheet needed one.
func (x *XLSX) Close() error { return x.f.Close() }
