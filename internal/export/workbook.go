package export

import (
	"archive/zip"
	"fmt"
	"io"
	"strings"

	"github.com/xuri/excelize/v2"
)

// Workbook writes several sheets, one after the other, each as the XLSX
// writer writes its one: a bold frozen header, typed cells, an
// autofilter, rows streamed through excelize's StreamWriter. AddSheet
// ends the sheet before and starts the next; Row writes to the current
// sheet; Finish writes the workbook to w; Close releases the temporary
// files, in every case.
type Workbook struct {
	w         io.Writer
	f         *excelize.File
	sw        *excelize.StreamWriter
	sheet     string
	names     map[string]bool
	columns   int
	rows      int
	bold      int
	dateStyle int
	cells     []any
}

// NewWorkbook starts an empty workbook on w.
func NewWorkbook(w io.Writer) *Workbook {
	b := &Workbook{w: w, f: excelize.NewFile(), names: map[string]bool{}}
	b.bold, _ = b.f.NewStyle(&excelize.Style{Font: &excelize.Font{Bold: true}, Alignment: &excelize.Alignment{WrapText: true, Vertical: "top"}})
	b.dateStyle, _ = b.f.NewStyle(&excelize.Style{NumFmt: 14})
	return b
}

// AddSheet ends the current sheet and starts one named after title (cut
// to Excel's 31 characters, made unique), with its header and, when
// widths is not nil, its columns' widths in characters.
func (b *Workbook) AddSheet(title string, columns []string, widths []float64) error {
	if err := b.endSheet(); err != nil {
		return err
	}
	name := b.uniqueName(title)
	if len(b.names) == 1 {
		if err := b.f.SetSheetName("Sheet1", name); err != nil {
			return err
		}
	} else if _, err := b.f.NewSheet(name); err != nil {
		return err
	}
	sw, err := b.f.NewStreamWriter(name)
	if err != nil {
		return err
	}
	b.sw, b.sheet, b.columns, b.rows = sw, name, len(columns), 0
	for i, w := range widths {
		if err := sw.SetColWidth(i+1, i+1, w); err != nil {
			return err
		}
	}
	if err := sw.SetPanes(&excelize.Panes{Freeze: true, YSplit: 1, TopLeftCell: "A2", ActivePane: "bottomLeft"}); err != nil {
		return err
	}
	header := make([]any, len(columns))
	for i, c := range columns {
		header[i] = excelize.Cell{StyleID: b.bold, Value: c}
	}
	return sw.SetRow("A1", header)
}

// uniqueName is title as a sheet name no other sheet of the workbook has
// (Excel compares them without case).
func (b *Workbook) uniqueName(title string) string {
	name := sheetName(title)
	for n := 2; b.names[strings.ToLower(name)]; n++ {
		suffix := fmt.Sprintf(" (%d)", n)
		r := []rune(sheetName(title))
		name = string(r[:min(len(r), 31-len(suffix))]) + suffix
	}
	b.names[strings.ToLower(name)] = true
	return name
}

// Row writes one row of the current sheet; cells as in Table.Rows.
func (b *Workbook) Row(cells ...any) error {
	if b.sw == nil {
		return fmt.Errorf("export: a row before any sheet")
	}
	if b.rows == MaxXLSXRows {
		return fmt.Errorf("export: a sheet holds %d rows at most", MaxXLSXRows)
	}
	b.rows++
	b.cells = b.cells[:0]
	for _, c := range cells {
		b.cells = append(b.cells, xlsxCell(c, b.dateStyle))
	}
	cell, _ := excelize.CoordinatesToCellName(1, b.rows+1)
	return b.sw.SetRow(cell, b.cells)
}

// endSheet sets the current sheet's autofilter and flushes it (see
// XLSX.Finish for why in this order).
func (b *Workbook) endSheet() error {
	if b.sw == nil {
		return nil
	}
	last, _ := excelize.CoordinatesToCellName(max(b.columns, 1), b.rows+1)
	if err := b.f.AutoFilter(b.sheet, "A1:"+last, nil); err != nil {
		return err
	}
	err := b.sw.Flush()
	b.sw = nil
	return err
}

// Finish ends the last sheet and zips the workbook straight into w.
func (b *Workbook) Finish() error {
	if len(b.names) == 0 {
		return fmt.Errorf("export: a workbook without sheets")
	}
	if err := b.endSheet(); err != nil {
		return err
	}
	b.f.SetZipWriter(func(io.Writer) excelize.ZipWriter { return zip.NewWriter(b.w) })
	return b.f.Write(io.Discard)
}

// Close removes the temporary files the sheets needed, if any.
func (b *Workbook) Close() error { return b.f.Close() }
