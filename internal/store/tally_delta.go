package store

import (
	"cmp"
	"database/sql"
	"maps"
	"slices"
	"strings"
	"sync"

	"copilote/internal/apperr"
	"copilote/internal/civil"
	"copilote/internal/indicator"
	"copilote/internal/msg"
)

// A write that changes records and nothing else (a record saved, deleted
// or restored, linking no partner before or after) adds what they count in
// to the tally rows instead of counting its CTG's months again: the ~30
// statements of a recount, most of a write's time under load, become one
// read of what the record counts in before and after the change and one
// statement that adds the difference.
//
// This is exact, not an approximation that could drift: every tallied
// figure counts distinct records (COUNT(DISTINCT r.id)), so a row's count
// is the number of records that fall in it, and a record moves each row
// it falls in by one. What a record counts in is read with the very
// selections the recount and the drill-down use. Anything else (partners,
// fiches, a convention's dates) still recounts, and a CTG recounted in the
// transaction ignores its differences: the recount covers them.

// counted is one row a record falls in, before its buckets: the figure's
// code and breakdown, and the CTG or post and the day that date it.
type counted struct {
	code, dim, key string
	scope          string // tallyCTG or tallyPost
	scopeID        int64
	day            civil.Date
}

// tallyKey is one tally row.
type tallyKey struct {
	scope          string
	scopeID        int64
	bucket         int
	code, dim, key string
}

// lockCTG locks a CTG's row on PostgreSQL before its records are read
// and written, as settle does (SQLite has one writer): what a record
// counted in before a change must be read after any other writer of the
// CTG committed, or two writers of one record would each take away the
// state they both read. Every writer locks its CTG before its records.
func (tx *Tx) lockCTG(ctgID int64) error {
	if tx.db.Engine != Postgres || tx.locked[ctgID] {
		return nil
	}
	var id int64
	err := tx.tx.QueryRowContext(tx.ctx, `SELECT id FROM ctg WHERE id = $1 FOR NO KEY UPDATE`, ctgID).Scan(&id)
	if err != nil {
		return apperr.Wrap(notFound(err, msg.NotFoundCTG), "lock ctg")
	}
	if tx.locked == nil {
		tx.locked = map[int64]bool{}
	}
	tx.locked[ctgID] = true
	return nil
}

// manyRecords is where a transaction's records in one CTG are counted
// again instead of one by one (an import): a recount is ~30 statements,
// adding a record's counts one.
const manyRecords = 64

// countRecord adds (sign 1) or takes away (sign -1) what a record counts
// in as it stands in the transaction: called before a change with -1 and
// after it with 1, the difference is the change's.
func (tx *Tx) countRecord(ctgID, id int64, sign int64) error {
	s := tx.span(ctgID)
	if s.records++; s.records > manyRecords {
		s.recount, s.counts = true, nil
		return nil
	}
	rows, err := recordCounts(tx, id)
	if err != nil {
		return err
	}
	if s.counts == nil {
		s.counts = map[counted]int64{}
	}
	for _, c := range rows {
		s.counts[c] += sign
	}
	return nil
}

// recordSources are the breakdowns over records, with id the record's:
// the ones a record's change can be added to.
func recordSources() []source {
	var out []source
	for _, src := range sources(allTime) {
		if strings.HasPrefix(src.sel.from, "record r") && src.sel.id == "r.id" {
			out = append(out, src)
		}
	}
	return out
}

// recordCountsQuery is the statement that reads the rows a record falls
// in, one branch per breakdown, and its arguments, where the record's id
// goes at each recordIDArg: built once, its text stays the same, and
// PostgreSQL's driver prepares it once per connection.
var recordCountsQuery = sync.OnceValues(func() (string, []any) {
	var parts []string
	var args []any
	for _, src := range recordSources() {
		sel := src.sel
		w := inCTG(sel, 0)
		w.add("r.id = ?", recordIDArg{})
		key := src.key
		if key == "" {
			key = "CAST(" + w.param(src.fixed) + " AS TEXT)"
		}
		q := `SELECT CAST(` + w.param(src.code) + ` AS TEXT), CAST(` + w.param(src.dim) + ` AS TEXT), ` + key + `, ` +
			sel.ctg + `, ` + sel.post + `, ` + sel.day + ` FROM ` + sel.from + ` WHERE ` + w.String()
		parts = append(parts, shiftPlaceholders(q, len(args)))
		args = append(args, w.args...)
	}
	return strings.Join(parts, " UNION ALL "), args
})

type recordIDArg struct{}

// recordCounts reads the rows one record falls in, each once.
func recordCounts(tx *Tx, id int64) ([]counted, error) {
	query, template := recordCountsQuery()
	args := slices.Clone(template)
	for i, a := range args {
		if _, ok := a.(recordIDArg); ok {
			args[i] = id
		}
	}
	seen := map[counted]bool{}
	var out []counted
	err := each(tx.ctx, tx.tx, query, args, func(s scanner) error {
		var code, dim string
		var key sql.NullString
		var ctg, post sql.NullInt64
		var day civil.Date
		if err := s.Scan(&code, &dim, &key, &ctg, &post, &day); err != nil {
			return err
		}
		for _, c := range []counted{
			{code: code, dim: dim, key: key.String, scope: tallyCTG, scopeID: ctg.Int64, day: day},
			{code: code, dim: dim, key: key.String, scope: tallyPost, scopeID: post.Int64, day: day},
		} {
			// a record counts once in a row however many of its roles
			// fall there (COUNT(DISTINCT r.id))
			if !seen[c] {
				seen[c] = true
				out = append(out, c)
			}
		}
		return nil
	})
	return out, apperr.Wrap(err, "tally: record counts")
}

// bucketsOf adds a CTG's counted rows to the tally rows they fall in: the
// day's month and year, the convention when the day lies in it, and at Caf
// scope the month and year again.
func bucketsOf(counts map[counted]int64, conv indicator.Period, cafID int64, ctg, caf map[tallyKey]int64) {
	for c, n := range counts {
		if n == 0 {
			continue
		}
		k := tallyKey{scope: c.scope, scopeID: c.scopeID, code: c.code, dim: c.dim, key: c.key}
		for _, b := range []int{monthBucket(c.day), c.day.Year} {
			k.bucket = b
			ctg[k] += n
			if c.scope == tallyCTG {
				f := k
				f.scope, f.scopeID = tallyCaf, cafID
				caf[f] += n
			}
		}
		if !c.day.Before(conv.From) && !c.day.After(conv.To) {
			k.bucket = conventionBucket
			ctg[k] += n
		}
	}
}

// addCounts adds the differences to the tally rows, in the rows' order
// (two writers of one Caf take their row locks in the same order), and
// removes the rows left at zero: a recount writes none.
func (t tallier) addCounts(diff map[tallyKey]int64) error {
	keys := slices.SortedFunc(maps.Keys(diff), func(a, b tallyKey) int {
		return cmp.Or(cmp.Compare(a.scope, b.scope), cmp.Compare(a.scopeID, b.scopeID), cmp.Compare(a.bucket, b.bucket),
			cmp.Compare(a.code, b.code), cmp.Compare(a.dim, b.dim), cmp.Compare(a.key, b.key))
	})
	keys = slices.DeleteFunc(keys, func(k tallyKey) bool { return diff[k] == 0 })
	// 7 parameters a row: 100 rows stay far below either engine's limit
	for chunk := range slices.Chunk(keys, 100) {
		var args []any
		values := make([]string, len(chunk))
		var gone []string
		var goneArgs []any
		for i, k := range chunk {
			args = append(args, k.scope, k.scopeID, k.bucket, k.code, k.dim, k.key, diff[k])
			n := len(args)
			values[i] = "(" + ph(n-6) + ", " + ph(n-5) + ", " + ph(n-4) + ", " + ph(n-3) + ", " + ph(n-2) + ", " +
				ph(n-1) + ", " + ph(n) + ")"
			if diff[k] < 0 {
				goneArgs = append(goneArgs, k.scope, k.scopeID, k.bucket, k.code, k.dim, k.key)
				m := len(goneArgs)
				gone = append(gone, "(scope = "+ph(m-5)+" AND scope_id = "+ph(m-4)+" AND bucket = "+ph(m-3)+
					" AND code = "+ph(m-2)+" AND dim = "+ph(m-1)+" AND key = "+ph(m)+")")
			}
		}
		err := t.exec("add counts", `INSERT INTO tally (scope, scope_id, bucket, code, dim, key, n) VALUES `+
			strings.Join(values, ", ")+` ON CONFLICT (scope, scope_id, bucket, code, dim, key)
			DO UPDATE SET n = tally.n + excluded.n`, args...)
		if err != nil {
			return err
		}
		if len(gone) > 0 {
			err := t.exec("remove counts", `DELETE FROM tally WHERE n = 0 AND (`+strings.Join(gone, " OR ")+`)`, goneArgs...)
			if err != nil {
				return err
			}
		}
	}
	return nil
}
