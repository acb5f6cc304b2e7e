package store

import (
	"context"

	"copilote/internal/journal"
)

// OpenAlerts lists the newest n alerts to the Copil still open ("ouverte")
// on the CTGs of scope, newest first: the home page's short list (the
// national read scans the (kind, day) index backwards and stops at n).
func (db *DB) OpenAlerts(ctx context.Context, scope Scope, n int) ([]journal.Record, error) {
	w := RecordFilter{Scope: scope, Kind: journal.Alerte}.where()
	w.add("r.status = ?", "ouverte")
	return db.listRecords(ctx, w, "r.day DESC, r.id DESC", n, 0)
}
