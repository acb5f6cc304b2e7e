package store

import (
	"context"
	"database/sql"
	"strconv"
	"time"

	"copilote/internal/apperr"
	"copilote/internal/msg"
)

// A merge of two partners proposed by someone who may record, and decided
// by someone who may merge (issue 11, item 5; migration 0016).

// MergeProposal is an open proposal to merge Dup into Keep.
type MergeProposal struct {
	ID, CafID, CTGID int64
	KeepID, DupID    int64
	Note             string
	ProposedBy       int64
	ProposerName     string
	ProposedAt       time.Time
}

// Decisions on a proposal.
const (
	MergeMerged   = "merged"
	MergeRejected = "rejected"
	MergeObsolete = "obsolete" // one of the two was merged with a third
)

// mergePair names a pair whichever partner is kept.
func mergePair(a, b int64) string {
	if a > b {
		a, b = b, a
	}
	return strconv.FormatInt(a, 10) + "," + strconv.FormatInt(b, 10)
}

// ProposeMerge records p, two live partners of its Caf; a pair has one
// open proposal at a time.
func (tx *Tx) ProposeMerge(p *MergeProposal) error {
	if p.KeepID == p.DupID {
		return apperr.New(apperr.Invalid, msg.MergeSamePartner)
	}
	var live int
	err := tx.tx.QueryRowContext(tx.ctx, `SELECT COUNT(*) FROM partner WHERE id IN ($1, $2) AND caf_id = $3 AND merged_into IS NULL`,
		p.KeepID, p.DupID, p.CafID).Scan(&live)
	if err != nil {
		return apperr.Wrap(err, "propose merge")
	}
	if live != 2 {
		return apperr.New(apperr.Conflict, msg.MergeGone)
	}
	p.ProposedBy, p.ProposedAt = tx.Actor, tx.Now
	id, err := tx.insertID(`INSERT INTO partner_merge_proposal (caf_id, ctg_id, keep_id, dup_id, pair, note, proposed_by, proposed_at)
		VALUES ($1, $2, $3, $4, $5, $6, $7, $8)`, p.CafID, p.CTGID, p.KeepID, p.DupID, mergePair(p.KeepID, p.DupID), p.Note,
		nullID(tx.Actor), tx.Now)
	if isUniqueViolation(err) {
		return apperr.New(apperr.Conflict, msg.MergeProposed)
	}
	if err != nil {
		return apperr.Wrap(err, "propose merge")
	}
	p.ID = id
	return tx.audit(ActCreate, "partner_merge_proposal", id, p.CTGID, p)
}

// RejectMerge closes proposal id of Caf cafID without merging.
func (tx *Tx) RejectMerge(cafID, id int64) error {
	res, err := tx.tx.ExecContext(tx.ctx, `UPDATE partner_merge_proposal SET decided_by = $1, decided_at = $2, decision = $3
		WHERE id = $4 AND caf_id = $5 AND decided_at IS NULL`, nullID(tx.Actor), tx.Now, MergeRejected, id, cafID)
	if err != nil {
		return apperr.Wrap(err, "reject merge")
	}
	if n, _ := res.RowsAffected(); n == 0 {
		return apperr.NotFoundf(msg.NotFoundProposal)
	}
	return tx.audit(ActUpdate, "partner_merge_proposal", id, 0, map[string]string{"decision": MergeRejected})
}

// closeMergeProposals ends the open proposals dup took part in, once it
// was merged into keep: merged for theirs, obsolete for the others.
func (tx *Tx) closeMergeProposals(keep, dup int64) error {
	err := tx.exec(`UPDATE partner_merge_proposal SET decided_by = $1, decided_at = $2,
		decision = CASE WHEN pair = $3 THEN 'merged' ELSE 'obsolete' END
		WHERE decided_at IS NULL AND (keep_id = $4 OR dup_id = $4)`, nullID(tx.Actor), tx.Now, mergePair(keep, dup), dup)
	return apperr.Wrap(err, "close merge proposals")
}

// MergeProposals lists the open proposals of Caf cafID, oldest first.
func (db *DB) MergeProposals(ctx context.Context, cafID int64) ([]MergeProposal, error) {
	var out []MergeProposal
	err := each(ctx, db.read, `SELECT m.id, m.caf_id, m.ctg_id, m.keep_id, m.dup_id, m.note, m.proposed_by, COALESCE(u.name, ''), m.proposed_at
		FROM partner_merge_proposal m LEFT JOIN app_user u ON u.id = m.proposed_by
		WHERE m.caf_id = $1 AND m.decided_at IS NULL ORDER BY m.id`, []any{cafID}, func(s scanner) error {
		var p MergeProposal
		var by sql.NullInt64
		err := s.Scan(&p.ID, &p.CafID, &p.CTGID, &p.KeepID, &p.DupID, &p.Note, &by, &p.ProposerName, &p.ProposedAt)
		p.ProposedBy = by.Int64
		out = append(out, p)
		return err
	})
	return out, apperr.Wrap(err, "merge proposals")
}
