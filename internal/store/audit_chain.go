package store

import (
	"context"
	"crypto/sha256"
	"database/sql"
	"encoding/hex"
	"errors"
	"fmt"
	"strconv"
	"time"

	"copilote/internal/apperr"
)

// The audit trail is a hash chain (migration 0012). Entries are written
// without a place in it; before its commit, each transaction that wrote
// some locks the chain's head, gives its own entries the next places in
// id order and hashes each with the previous entry's hash. The head is locked
// last by every writer, so the chain follows the commits, on PostgreSQL
// with several instances as on SQLite. An entry changed or removed
// afterwards no longer matches its hash, or leaves a hole, and the whole
// chain after it depends on it: VerifyAudit finds it. Whoever could
// rewrite the whole chain could hide an edit: the head (place and hash)
// printed by `copilote audit verify` is the anchor to keep elsewhere.

// chainBatch bounds the entries read at once (a long history is chained
// once, by the upgrade that brings the chain).
const chainBatch = 5000

// chainAudit gives the entries ids (written by the transaction q runs)
// the next places in the chain. Only its own: an entry slipped into the
// table by other means stays outside the chain, where VerifyAudit sees it.
func chainAudit(ctx context.Context, q querier, engine Engine, ids []int64) error {
	if len(ids) == 0 {
		return nil
	}
	seq, prev, err := lockHead(ctx, q, engine)
	if err != nil {
		return err
	}
	for i := 0; i < len(ids); i += chainBatch {
		batch := ids[i:min(i+chainBatch, len(ids))]
		args, marks := inList(batch)
		entries, err := readChainEntries(ctx, q, `WHERE id IN (`+marks+`) AND seq IS NULL ORDER BY id`, args)
		if err != nil {
			return err
		}
		if seq, prev, err = link(ctx, q, entries, seq, prev); err != nil {
			return err
		}
	}
	return setHead(ctx, q, seq, prev)
}

// chainHistory chains the entries written before the chain existed, once:
// when the upgrade that brings it runs, its head is still at 0.
func chainHistory(ctx context.Context, q querier, engine Engine) error {
	seq, prev, err := lockHead(ctx, q, engine)
	if err != nil || seq != 0 {
		return err
	}
	for {
		entries, err := readChainEntries(ctx, q, `WHERE seq IS NULL ORDER BY id LIMIT `+strconv.Itoa(chainBatch), nil)
		if err != nil {
			return err
		}
		if seq, prev, err = link(ctx, q, entries, seq, prev); err != nil {
			return err
		}
		if len(entries) < chainBatch {
			return setHead(ctx, q, seq, prev)
		}
	}
}

// lockHead reads the chain's last place and hash, locking them on
// PostgreSQL until the commit (SQLite's single writer already does).
func lockHead(ctx context.Context, q querier, engine Engine) (int64, string, error) {
	head := `SELECT seq, hash FROM audit_head WHERE id = 1`
	if engine == Postgres {
		head += " FOR UPDATE"
	}
	var seq int64
	var hash string
	err := q.QueryRowContext(ctx, head).Scan(&seq, &hash)
	return seq, hash, apperr.Wrap(err, "audit head")
}

func setHead(ctx context.Context, q querier, seq int64, hash string) error {
	_, err := q.ExecContext(ctx, `UPDATE audit_head SET seq = $1, hash = $2 WHERE id = 1`, seq, hash)
	return apperr.Wrap(err, "audit head")
}

// link gives entries the places after seq, each hashed with the one
// before; it returns the last place and hash.
func link(ctx context.Context, q querier, entries []chainEntry, seq int64, prev string) (int64, string, error) {
	for _, e := range entries {
		seq++
		e.seq = seq
		prev = e.hash(prev)
		if _, err := q.ExecContext(ctx, `UPDATE audit SET seq = $1, hash = $2 WHERE id = $3`, seq, prev, e.id); err != nil {
			return seq, prev, apperr.Wrap(err, "audit chain")
		}
	}
	return seq, prev, nil
}

func readChainEntries(ctx context.Context, q querier, tail string, args []any) ([]chainEntry, error) {
	var out []chainEntry
	err := each(ctx, q, `SELECT id, at, user_id, action, entity, entity_id, ctg_id, detail FROM audit `+tail, args,
		func(s scanner) error {
			e, err := scanChainEntry(s, false)
			out = append(out, e)
			return err
		})
	return out, apperr.Wrap(err, "audit entries")
}

// chainEntry is what an entry's hash covers: every column but its own
// hash.
type chainEntry struct {
	id, seq         int64
	at              time.Time
	user, ctg       sql.NullInt64
	action, entity  string
	entityID        int64
	detail, current string // current: the stored hash, when verifying
}

func scanChainEntry(s scanner, chained bool) (chainEntry, error) {
	var e chainEntry
	if !chained {
		err := s.Scan(&e.id, &e.at, &e.user, &e.action, &e.entity, &e.entityID, &e.ctg, &e.detail)
		return e, err
	}
	var seq sql.NullInt64
	var hash sql.NullString
	err := s.Scan(&e.id, &seq, &hash, &e.at, &e.user, &e.action, &e.entity, &e.entityID, &e.ctg, &e.detail)
	e.seq, e.current = seq.Int64, hash.String
	return e, err
}

// hash is the entry's link: SHA-256 of the previous link and of its
// columns, one per line, times in UTC to the microsecond (what both
// engines keep).
func (e chainEntry) hash(prev string) string {
	s := fmt.Sprintf("%s\n%d\n%d\n%s\n%s\n%s\n%s\n%d\n%s\n%s", prev, e.seq, e.id,
		e.at.UTC().Format("2006-01-02T15:04:05.000000Z"), nullable(e.user), e.action, e.entity, e.entityID, nullable(e.ctg), e.detail)
	h := sha256.Sum256([]byte(s))
	return hex.EncodeToString(h[:])
}

func nullable(n sql.NullInt64) string {
	if !n.Valid {
		return "-"
	}
	return strconv.FormatInt(n.Int64, 10)
}

// AuditCheck is what VerifyAudit found.
type AuditCheck struct {
	Entries  int64    // chained entries read
	HeadSeq  int64    // the chain's last place, as audit_head says
	HeadHash string   // and its hash: the anchor to keep elsewhere
	Problems []string // in French, one per break, in chain order
}

// maxProblems bounds the breaks listed: after an edit, one is enough to
// know where to look.
const maxProblems = 20

// VerifyAudit walks the chain from its first entry and recomputes every
// hash: an entry edited, removed, added outside the chain or put out of
// order is named by its place.
func (db *DB) VerifyAudit(ctx context.Context) (AuditCheck, error) {
	var c AuditCheck
	if err := db.read.QueryRowContext(ctx, `SELECT seq, hash FROM audit_head WHERE id = 1`).Scan(&c.HeadSeq, &c.HeadHash); err != nil {
		return c, apperr.Wrap(err, "audit head")
	}
	problem := func(format string, args ...any) {
		if len(c.Problems) < maxProblems {
			c.Problems = append(c.Problems, fmt.Sprintf(format, args...))
		}
	}
	var prev string
	var want int64 = 1
	err := each(ctx, db.read, `SELECT id, seq, hash, at, user_id, action, entity, entity_id, ctg_id, detail
		FROM audit WHERE seq IS NOT NULL ORDER BY seq`, nil, func(s scanner) error {
		e, err := scanChainEntry(s, true)
		if err != nil {
			return err
		}
		c.Entries++
		if e.seq != want {
			problem("entrées %d à %d absentes de la chaîne (supprimées ?)", want, e.seq-1)
		}
		if e.hash(prev) != e.current {
			problem("entrée %d (id %d, %s %s %d du %s) : son contenu ne correspond plus à son empreinte (modifiée ?)",
				e.seq, e.id, e.action, e.entity, e.entityID, e.at.UTC().Format("02/01/2006 15:04"))
		}
		prev, want = e.current, e.seq+1
		return nil
	})
	if err != nil {
		return c, apperr.Wrap(err, "verify audit")
	}
	if want-1 != c.HeadSeq || prev != c.HeadHash {
		problem("la tête de chaîne (entrée %d) ne correspond pas à la dernière entrée lue (%d) : fin de journal supprimée ?", c.HeadSeq, want-1)
	}
	var loose int64
	if err := db.read.QueryRowContext(ctx, `SELECT COUNT(*) FROM audit WHERE seq IS NULL`).Scan(&loose); err != nil {
		return c, apperr.Wrap(err, "verify audit")
	}
	if loose > 0 {
		problem("%d entrée(s) hors de la chaîne (ajoutées sans passer par Copilote ?)", loose)
	}
	return c, nil
}

// AuditHash is the hash of the entry at place seq, "" when none is there:
// an anchor noted earlier is checked against it.
func (db *DB) AuditHash(ctx context.Context, seq int64) (string, error) {
	var h sql.NullString
	err := db.read.QueryRowContext(ctx, `SELECT hash FROM audit WHERE seq = $1`, seq).Scan(&h)
	if errors.Is(err, sql.ErrNoRows) {
		return "", nil
	}
	return h.String, apperr.Wrap(err, "audit hash")
}
