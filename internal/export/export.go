// Package export turns one table model into the files users take away:
// CSV as French Excel opens it (UTF-8 with BOM, ";" separator) and XLSX.
package export

import (
	"errors"
	"fmt"
	"io"
	"strconv"
	"strings"

	"github.com/xuri/excelize/v2"

	"copilote/internal/civil"
)

// Table is what every list exports: a title, column headers and rows whose
// cells are strings, ints, float64 or civil.Date.
type Table struct {
	Title   string
	Columns []string
	Rows    [][]any
}

// WriteCSV writes the BOM first: without it Excel reads UTF-8 as Latin-1.
func WriteCSV(w io.Writer, t Table) error {
	c, err := NewCSV(w, t.Columns)
	if err != nil {
		return err
	}
	return writeTable(c, t)
}

func writeTable(tw Writer, t Table) (err error) {
	defer func() { err = errors.Join(err, tw.Close()) }()
	for _, row := range t.Rows {
		if err := tw.Row(row...); err != nil {
			return err
		}
	}
	return tw.Finish()
}

// csvCell writes numbers with a decimal comma and dates as DD/MM/YYYY, as
// French Excel expects; text starting with = + - @ is prefixed so that a
// spreadsheet never runs it as a formula.
func csvCell(c any) string {
	switch v := c.(type) {
	case nil:
		return ""
	case string:
		if v != "" && strings.ContainsRune("=+-@\t\r", rune(v[0])) {
			return "'" + v
		}
		return v
	case int:
		return strconv.Itoa(v)
	case int64:
		return strconv.FormatInt(v, 10)
	case float64:
		return strings.Replace(strconv.FormatFloat(v, 'f', -1, 64), ".", ",", 1)
	case bool:
		if v {
			return "oui"
		}
		return "non"
	case civil.Date:
		return v.French()
	}
	return fmt.Sprint(c)
}

// WriteXLSX writes one sheet with typed cells, a bold frozen header and an
// autofilter, so the file is ready to sort and filter.
func WriteXLSX(w io.Writer, t Table) error {
	x, err := NewXLSX(w, t.Title, t.Columns)
	if err != nil {
		return err
	}
	return writeTable(x, t)
}

func xlsxCell(c any, dateStyle int) any {
	switch v := c.(type) {
	case civil.Date:
		if v.IsZero() {
			return nil
		}
		return excelize.Cell{StyleID: dateStyle, Value: v.Time()}
	case bool:
		if v {
			return "oui"
		}
		return "non"
	}
	return c
}

// sheetName respects Excel's limits: 31 characters, no []:*?/\.
func sheetName(title string) string {
	s := strings.Map(func(r rune) rune {
		if strings.ContainsRune(`[]:*?/\`, r) {
			return '-'
		}
		return r
	}, title)
	if s == "" {
		s = "Export"
	}
	if r := []rune(s); len(r) > 31 {
		s = string(r[:31])
	}
	return s
}
