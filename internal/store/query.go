package store

import (
	"context"
	"strconv"
	"strings"
)

// scanner is a row being read.
type scanner interface{ Scan(dest ...any) error }

// each runs query and calls fn for every row.
func each(ctx context.Context, q querier, query string, args []any, fn func(scanner) error) error {
	rows, err := q.QueryContext(ctx, query, args...)
	if err != nil {
		return err
	}
	defer rows.Close()
	for rows.Next() {
		if err := fn(rows); err != nil {
			return err
		}
	}
	return rows.Err()
}

// ph is the n-th placeholder; both engines read $n.
func ph(n int) string { return "$" + strconv.Itoa(n) }

// where builds a WHERE clause from conditions and their arguments, the way
// every filtered list does: each condition may use "?" for its next
// argument, numbered here.
type where struct {
	conds []string
	args  []any
}

func (w *where) add(cond string, args ...any) {
	for _, a := range args {
		w.args = append(w.args, a)
		cond = strings.Replace(cond, "?", ph(len(w.args)), 1)
	}
	w.conds = append(w.conds, cond)
}

// param appends an argument used outside the conditions (in a SELECT
// list) and returns its placeholder.
func (w *where) param(v any) string {
	w.args = append(w.args, v)
	return ph(len(w.args))
}

// raw adds a condition built with its own placeholders (via ph/argsPtr).
func (w *where) raw(build func(args *[]any) string) { w.conds = append(w.conds, build(&w.args)) }

func (w *where) String() string {
	if len(w.conds) == 0 {
		return "TRUE"
	}
	return strings.Join(w.conds, " AND ")
}

// like escapes a user's search text for LIKE, matched case-insensitively on
// both engines through lower().
func like(s string) string {
	r := strings.NewReplacer(`\`, `\\`, `%`, `\%`, `_`, `\_`)
	return "%" + strings.ToLower(r.Replace(strings.TrimSpace(s))) + "%"
}

// placeholders appends values to args and returns their placeholders, for
// an IN list.
func placeholders[T any](args *[]any, vals []T) string {
	marks := make([]string, len(vals))
	for i, v := range vals {
		*args = append(*args, v)
		marks[i] = ph(len(*args))
	}
	return strings.Join(marks, ", ")
}

// inChunks calls fn with ids by lists of at most a thousand, rendered as
// inList does: one statement may carry 32 766 variables on SQLite, 65 535
// on PostgreSQL.
func inChunks(ids []int64, fn func(args []any, marks string) error) error {
	for len(ids) > 0 {
		n := min(len(ids), linkBatch)
		args, marks := inList(ids[:n])
		if err := fn(args, marks); err != nil {
			return err
		}
		ids = ids[n:]
	}
	return nil
}

// inList renders ids as "$1, $2, …" with their arguments.
func inList(ids []int64) ([]any, string) {
	args := make([]any, len(ids))
	marks := make([]string, len(ids))
	for i, id := range ids {
		args[i], marks[i] = id, ph(i+1)
	}
	return args, strings.Join(marks, ", ")
}
