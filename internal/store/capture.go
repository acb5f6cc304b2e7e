package store

import (
	"context"

	"copilote/internal/journal"
)

// LastRecordBy is what a user recorded last of one kind (and nature, when
// given) in CTG ctgID: the latest record, by when it was entered, that
// they wrote (created_by) or that one of their posts authored; nil when
// none. The record form starts from it (web/record_prefill.go), so that a
// meeting like the last one is recorded by typing its title.
func (db *DB) LastRecordBy(ctx context.Context, ctgID int64, kind journal.Kind, nature string, userID int64, posts []int64) (*journal.Record, error) {
	f := RecordFilter{Scope: Scope{CTGIDs: []int64{ctgID}}, CTGID: ctgID, Kind: kind, Nature: nature}
	w := f.where()
	w.raw(func(args *[]any) string {
		*args = append(*args, userID)
		by := "(r.created_by = " + ph(len(*args))
		if len(posts) > 0 {
			by += " OR r.post_id IN (" + placeholders(args, posts) + ")"
		}
		return by + ")"
	})
	rs, err := db.listRecords(ctx, w, "r.id DESC", 1, 0)
	if err != nil || len(rs) == 0 {
		return nil, err
	}
	return &rs[0], nil
}
