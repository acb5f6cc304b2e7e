package store

import (
	"cmp"
	"context"
	"database/sql"
	"slices"
	"time"
	"unicode/utf8"

	"copilote/internal/apperr"
	"copilote/internal/msg"
	"copilote/internal/opendata"
)

// OpenDataImport says what an upload of a data.caf.fr file changed.
type OpenDataImport struct {
	Level opendata.Level
	// Rows: lines with a territory code; Skipped: lines without one;
	// Unmatched: lines of territories that no CTG of the Caf covers.
	Rows, Skipped, Unmatched int
	CTGs                     []OpenDataCTG
}

// OpenDataCTG is a CTG whose diagnostic the upload wrote.
type OpenDataCTG struct {
	ID     int64
	Name   string
	Values int
	Years  []int
}

type openDataKey struct {
	ctg           int64
	code, measure string
	year          int
}

// ImportOpenData keeps, for every CTG of the Caf, the values of the file
// that describe its territory: its EPCI for a file per EPCI, its communes
// for a file per commune. A value replaces the one of the same territory,
// measure and year; nothing else changes. It runs inside the caller's
// Write, so that a file is imported whole or not at all.
func (tx *Tx) ImportOpenData(cafID int64, source string, f *opendata.File) (*OpenDataImport, error) {
	if err := checkOpenData(f); err != nil {
		return nil, err
	}
	owners, names, err := tx.territoryOwners(cafID, f.Level)
	if err != nil {
		return nil, err
	}
	out := &OpenDataImport{Level: f.Level, Rows: len(f.Rows), Skipped: f.Skipped}
	values := map[openDataKey]opendata.Cell{}
	var keys []openDataKey
	for _, r := range f.Rows {
		ids := owners[r.Code]
		if len(ids) == 0 {
			out.Unmatched++
		}
		for _, id := range ids {
			for j, m := range f.Measures {
				k := openDataKey{id, r.Code, m, r.Year}
				if _, ok := values[k]; !ok {
					keys = append(keys, k)
				}
				values[k] = r.Cells[j] // a later line of the same year wins
			}
		}
	}
	if err := tx.writeOpenData(f.Level, clipText(source, 200), keys, values); err != nil {
		return nil, err
	}
	out.CTGs = summarise(keys, names)
	for _, c := range out.CTGs {
		detail := map[string]any{"source": source, "level": f.Level, "values": c.Values, "years": c.Years, "measures": f.Measures}
		if err := tx.audit(ActUpdate, "open_data", c.ID, c.ID, detail); err != nil {
			return nil, err
		}
	}
	return out, nil
}

// checkOpenData holds the store to what the reader promises, whoever
// built the file.
func checkOpenData(f *opendata.File) error {
	if f.Level != opendata.EPCI && f.Level != opendata.Commune {
		return apperr.New(apperr.Invalid, msg.InvalidChoice)
	}
	for _, m := range f.Measures {
		if m == "" || utf8.RuneCountInString(m) > opendata.MaxNameLen {
			return apperr.New(apperr.Invalid, msg.OpenDataTooLong, m, opendata.MaxNameLen)
		}
	}
	for _, r := range f.Rows {
		if r.Year < opendata.MinYear || r.Year > opendata.MaxYear {
			return apperr.New(apperr.Invalid, msg.OpenDataYear, r.Line, "DTREF", r.Year, opendata.MinYear, opendata.MaxYear)
		}
		if len(r.Cells) != len(f.Measures) {
			return apperr.New(apperr.Invalid, msg.OpenDataLine, r.Line, "nombre de valeurs")
		}
		for _, c := range r.Cells {
			if utf8.RuneCountInString(c.Raw) > opendata.MaxCellLen {
				return apperr.New(apperr.Invalid, msg.OpenDataValue, r.Line, "?", c.Raw)
			}
		}
	}
	return nil
}

// territoryOwners maps each code of the level to the CTGs of the Caf whose
// territory it is, and names those CTGs.
func (tx *Tx) territoryOwners(cafID int64, l opendata.Level) (map[string][]int64, map[int64]string, error) {
	owners, names := map[string][]int64{}, map[int64]string{}
	err := each(tx.ctx, tx.tx, `SELECT id, name, epci_siren FROM ctg WHERE caf_id = $1 ORDER BY id`, []any{cafID},
		func(r scanner) error {
			var id int64
			var name, siren string
			err := r.Scan(&id, &name, &siren)
			names[id] = name
			if l == opendata.EPCI && siren != "" {
				owners[siren] = append(owners[siren], id)
			}
			return err
		})
	if err == nil && l == opendata.Commune {
		err = each(tx.ctx, tx.tx, `SELECT m.ctg_id, m.insee FROM ctg_commune m JOIN ctg c ON c.id = m.ctg_id
			WHERE c.caf_id = $1 ORDER BY m.ctg_id, m.insee`, []any{cafID}, func(r scanner) error {
			var id int64
			var insee string
			err := r.Scan(&id, &insee)
			owners[insee] = append(owners[insee], id)
			return err
		})
	}
	return owners, names, apperr.Wrap(err, "open data territories")
}

func (tx *Tx) writeOpenData(l opendata.Level, source string, keys []openDataKey, values map[openDataKey]opendata.Cell) error {
	if len(keys) == 0 {
		return nil
	}
	stmt, err := tx.tx.PrepareContext(tx.ctx, `INSERT INTO open_data_value
		(ctg_id, level, code, measure, year, value, raw, source, imported_at) VALUES ($1, $2, $3, $4, $5, $6, $7, $8, $9)
		ON CONFLICT (ctg_id, level, code, measure, year) DO UPDATE SET value = excluded.value, raw = excluded.raw,
		source = excluded.source, imported_at = excluded.imported_at`)
	if err != nil {
		return apperr.Wrap(err, "open data")
	}
	defer stmt.Close()
	for _, k := range keys {
		c := values[k]
		var v sql.NullFloat64
		if c.Known {
			v = sql.NullFloat64{Float64: c.Value, Valid: true}
		}
		if _, err := stmt.ExecContext(tx.ctx, k.ctg, string(l), k.code, k.measure, k.year, v, c.Raw, source, tx.Now); err != nil {
			return apperr.Wrap(err, "open data value")
		}
	}
	return nil
}

func summarise(keys []openDataKey, names map[int64]string) []OpenDataCTG {
	at := map[int64]int{}
	var out []OpenDataCTG
	for _, k := range keys {
		i, ok := at[k.ctg]
		if !ok {
			i = len(out)
			at[k.ctg] = i
			out = append(out, OpenDataCTG{ID: k.ctg, Name: names[k.ctg]})
		}
		out[i].Values++
		if !slices.Contains(out[i].Years, k.year) {
			out[i].Years = append(out[i].Years, k.year)
		}
	}
	for i := range out {
		slices.Sort(out[i].Years)
	}
	slices.SortFunc(out, func(a, b OpenDataCTG) int { return cmp.Compare(a.ID, b.ID) })
	return out
}

func clipText(s string, n int) string {
	if utf8.RuneCountInString(s) <= n {
		return s
	}
	return string([]rune(s)[:n])
}

// OpenData returns the values a CTG keeps, by level, measure, territory
// and year.
func (db *DB) OpenData(ctx context.Context, ctgID int64) ([]opendata.Value, error) {
	var out []opendata.Value
	err := each(ctx, db.read, `SELECT level, code, measure, year, value, raw, source, imported_at FROM open_data_value
		WHERE ctg_id = $1 ORDER BY level, measure, code, year`, []any{ctgID}, func(r scanner) error {
		var v opendata.Value
		var n sql.NullFloat64
		err := r.Scan(&v.Level, &v.Code, &v.Measure, &v.Year, &n, &v.Raw, &v.Source, &v.ImportedAt)
		v.Value, v.Known = n.Float64, n.Valid
		out = append(out, v)
		return err
	})
	return out, apperr.Wrap(err, "open data")
}

// OpenDataCoverage is what a CTG of the Caf keeps of the open data, for
// the administrator's page.
type OpenDataCoverage struct {
	CTGID      int64
	Name       string
	EPCISIREN  string
	Communes   int
	Levels     []OpenDataLevel
	LastImport time.Time
	LastSource string
}

// OpenDataLevel sums one level of a CTG's values.
type OpenDataLevel struct {
	Level               opendata.Level
	Measures            []string
	Values, Masked      int
	FirstYear, LastYear int
}

// OpenDataCoverages lists every CTG of the Caf with what it keeps.
func (db *DB) OpenDataCoverages(ctx context.Context, cafID int64) ([]OpenDataCoverage, error) {
	var out []OpenDataCoverage
	at := map[int64]int{}
	err := each(ctx, db.read, `SELECT c.id, c.name, c.epci_siren, (SELECT COUNT(*) FROM ctg_commune m WHERE m.ctg_id = c.id)
		FROM ctg c WHERE c.caf_id = $1 ORDER BY c.name, c.id`, []any{cafID}, func(r scanner) error {
		var c OpenDataCoverage
		err := r.Scan(&c.CTGID, &c.Name, &c.EPCISIREN, &c.Communes)
		at[c.CTGID] = len(out)
		out = append(out, c)
		return err
	})
	if err != nil {
		return nil, apperr.Wrap(err, "open data coverage")
	}
	err = each(ctx, db.read, `SELECT v.ctg_id, v.level, v.measure, v.year, v.value IS NULL, v.source, v.imported_at
		FROM open_data_value v JOIN ctg c ON c.id = v.ctg_id WHERE c.caf_id = $1 ORDER BY v.ctg_id, v.level, v.measure`,
		[]any{cafID}, func(r scanner) error {
			var id int64
			var lv opendata.Level
			var measure, source string
			var year int
			var masked bool
			var when time.Time
			if err := r.Scan(&id, &lv, &measure, &year, &masked, &source, &when); err != nil {
				return err
			}
			out[at[id]].add(lv, measure, year, masked, source, when)
			return nil
		})
	return out, apperr.Wrap(err, "open data coverage")
}

func (c *OpenDataCoverage) add(lv opendata.Level, measure string, year int, masked bool, source string, when time.Time) {
	i := slices.IndexFunc(c.Levels, func(l OpenDataLevel) bool { return l.Level == lv })
	if i < 0 {
		c.Levels = append(c.Levels, OpenDataLevel{Level: lv, FirstYear: year, LastYear: year})
		i = len(c.Levels) - 1
	}
	l := &c.Levels[i]
	if !slices.Contains(l.Measures, measure) {
		l.Measures = append(l.Measures, measure)
	}
	l.Values++
	if masked {
		l.Masked++
	}
	l.FirstYear, l.LastYear = min(l.FirstYear, year), max(l.LastYear, year)
	if when.After(c.LastImport) {
		c.LastImport, c.LastSource = when, source
	}
}
