package store

import (
	"context"
	"database/sql"
	"slices"
	"sync"

	"copilote/internal/apperr"
	"copilote/internal/indicator"
)

// Versions. Every data-changing transaction moves the data version on
// (data_version) and stamps the scopes it changed with the new number
// (scope_version, migration 0020): the CTGs whose records, fiches or
// surveys it wrote and their Cafs, or else the structure that every page
// shares. What an instance computed for a scope holds while the largest
// of the scope's stamps and the structure's is unchanged: a write in one
// CTG leaves the figures of every other CTG, and of the other Cafs, kept.

// Scope version kinds.
const (
	versionStructure = "structure"
	versionCTG       = "ctg"
	versionCaf       = "caf"
)

// ctgEntities are the audited entities that belong to one CTG and change
// nothing outside it but its Caf's sums: their audit rows name the CTG.
// Any other change (an account, a post, a partner, a nomenclature, a CTG
// itself) moves the structure, which every kept value depends on.
var ctgEntities = map[string]bool{
	"record": true, "action": true, "action_update": true, "attachment": true,
	"instance": true, "indicator_target": true, "survey_wave": true,
	"survey_response": true, "open_data": true, "import": true,
	EntityEvaluation: true,
}

// moves notes what an audited change moves on.
func (tx *Tx) moves(action, entity string, ctgID int64) {
	switch {
	case action == ActLogin || action == ActLoginFailed:
		// a sign-in changes no page an instance keeps: the accounts'
		// last sign-in is read afresh where it is shown
	case ctgID > 0 && ctgEntities[entity]:
		if tx.ctgs == nil {
			tx.ctgs = map[int64]bool{}
		}
		tx.ctgs[ctgID] = true
	default:
		tx.structure = true
	}
}

// bumpDataVersion moves every scope on, for the loads and recounts that
// change the whole base.
func bumpDataVersion(ctx context.Context, q querier) error {
	return bumpVersions(ctx, q, true, nil)
}

// bumpVersions comes last in a transaction: on PostgreSQL the data
// version's one row is locked from there to the commit, so that writers
// stamp their scopes one after the other, in the order of their versions.
func bumpVersions(ctx context.Context, q querier, structure bool, ctgs map[int64]bool) error {
	var n int64
	err := q.QueryRowContext(ctx, `UPDATE data_version SET n = n + 1 WHERE id = 1 RETURNING n`).Scan(&n)
	if err != nil {
		return apperr.Wrap(err, "data version")
	}
	type scope struct {
		kind string
		id   int64
	}
	var scopes []scope
	if structure {
		scopes = append(scopes, scope{versionStructure, 0})
	}
	if len(ctgs) > 0 {
		ids := make([]int64, 0, len(ctgs))
		for id := range ctgs {
			ids = append(ids, id)
		}
		slices.Sort(ids)
		for _, id := range ids {
			scopes = append(scopes, scope{versionCTG, id})
		}
		var args []any
		marks := placeholders(&args, ids)
		// a Caf's figures add up its CTGs'
		rows, err := q.QueryContext(ctx, `SELECT DISTINCT caf_id FROM ctg WHERE id IN (`+marks+`) ORDER BY caf_id`, args...)
		if err != nil {
			return apperr.Wrap(err, "scope versions")
		}
		for rows.Next() {
			var caf int64
			if err := rows.Scan(&caf); err != nil {
				rows.Close()
				return apperr.Wrap(err, "scope versions")
			}
			scopes = append(scopes, scope{versionCaf, caf})
		}
		rows.Close()
		if err := rows.Err(); err != nil {
			return apperr.Wrap(err, "scope versions")
		}
	}
	for _, s := range scopes {
		_, err := q.ExecContext(ctx, `INSERT INTO scope_version (kind, id, n) VALUES ($1, $2, $3)
			ON CONFLICT (kind, id) DO UPDATE SET n = excluded.n`, s.kind, s.id, n)
		if err != nil {
			return apperr.Wrap(err, "scope versions")
		}
	}
	return nil
}

// DataVersion is the number of data-changing transactions committed so
// far, anywhere: what depends on the whole base (the national figures, an
// evaluation's validation) holds until it changes. Within a context made
// by AtDataVersion it is read once, until that context's request writes.
func (db *DB) DataVersion(ctx context.Context) (int64, error) {
	return db.memoVersion(ctx, versionKey{kind: indicator.ScopeAll}, func() *sql.Row {
		return db.read.QueryRowContext(ctx, `SELECT n FROM data_version WHERE id = 1`)
	})
}

// StructureVersion is the data version at which accounts, posts, CTGs,
// partners or nomenclatures last changed: what a signed-in user may see
// holds until it moves.
func (db *DB) StructureVersion(ctx context.Context) (int64, error) {
	return db.memoVersion(ctx, versionKey{kind: versionStructure}, func() *sql.Row {
		return db.read.QueryRowContext(ctx, `SELECT n FROM scope_version WHERE kind = 'structure' AND id = 0`)
	})
}

// ScopeVersion is the data version at which what the scope's pages show
// last changed: the structure, or the scope's CTG (a post's, for a post),
// or any CTG of the Caf. For every CTG at once it is DataVersion.
func (db *DB) ScopeVersion(ctx context.Context, scope indicator.Scope) (int64, error) {
	const structure = `(kind = 'structure' AND id = 0)`
	var query string
	var arg any
	switch scope.Kind {
	case indicator.ScopeCTG:
		query, arg = `SELECT MAX(n) FROM scope_version WHERE `+structure+` OR (kind = 'ctg' AND id = $1)`, scope.CTGID
	case indicator.ScopePost:
		query, arg = `SELECT MAX(n) FROM scope_version WHERE `+structure+
			` OR (kind = 'ctg' AND id = (SELECT ctg_id FROM post WHERE id = $1))`, scope.PostID
	case indicator.ScopeCaf:
		query, arg = `SELECT MAX(n) FROM scope_version WHERE `+structure+
			` OR (kind = 'caf' AND id = (SELECT id FROM caf WHERE code = $1))`, scope.CafCode
	default:
		return db.DataVersion(ctx)
	}
	key := versionKey{kind: scope.Kind, id: scope.PostID + scope.CTGID, code: scope.CafCode}
	return db.memoVersion(ctx, key, func() *sql.Row { return db.read.QueryRowContext(ctx, query, arg) })
}

// memoVersion reads a version once per request (AtDataVersion).
func (db *DB) memoVersion(ctx context.Context, key versionKey, read func() *sql.Row) (int64, error) {
	h, _ := ctx.Value(versionHolderKey{}).(*versionHolder)
	if h != nil {
		h.mu.Lock()
		n, ok := h.read[key]
		h.mu.Unlock()
		if ok {
			return n, nil
		}
	}
	var n sql.NullInt64
	if err := read().Scan(&n); err != nil {
		return 0, apperr.Wrap(err, "data version")
	}
	if h != nil {
		h.mu.Lock()
		if h.read == nil {
			h.read = map[versionKey]int64{}
		}
		h.read[key] = n.Int64
		h.mu.Unlock()
	}
	return n.Int64, nil
}

type versionHolderKey struct{}

// versionKey names one version a request read: a scope, or the structure.
type versionKey struct {
	kind string
	id   int64
	code string
}

// versionHolder is one request's versions. A page may compute its parts
// in several goroutines (the national page, its Cafs' figures at once).
type versionHolder struct {
	mu   sync.Mutex
	read map[versionKey]int64
}

// AtDataVersion returns a context in which each version is read from the
// database once: a request then computes all its pages' parts at one
// version.
func AtDataVersion(ctx context.Context) context.Context {
	return context.WithValue(ctx, versionHolderKey{}, &versionHolder{})
}

// forgetVersion makes the request read the versions again after it wrote.
func forgetVersion(ctx context.Context) {
	if h, _ := ctx.Value(versionHolderKey{}).(*versionHolder); h != nil {
		h.mu.Lock()
		h.read = nil
		h.mu.Unlock()
	}
}
