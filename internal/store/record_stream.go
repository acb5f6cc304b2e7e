package store

import (
	"context"
	"database/sql"

	"copilote/internal/apperr"
	"copilote/internal/journal"
)

// StreamRecords calls fn with every record f selects, in the journal's
// order (newest first, as Records lists them), by batches of at most a
// thousand records with their partners and roles. It serves exports, which
// may hold millions of records: memory holds one batch, whatever the
// count. f.Limit and f.Offset are ignored. The batch passed to fn is
// reused for the next one: fn must not keep it. An error from fn stops the
// stream and is returned as it is.
//
// The records are read by one query over one read-only snapshot (one
// transaction), so that an export is consistent and costs one scan and at
// most one sort, whatever the filter: reading page by page (keyset on day
// and id) would sort every matching record again for each page when no
// index gives the journal's order, as for a national export. Each batch's
// partners and roles are read in the same transaction, on the same
// connection, while the query is open: SQLite steps several statements
// on one connection; pgx runs one query at a time on a connection, so on
// PostgreSQL the query is a cursor (DECLARE) read a batch at a time
// (FETCH). The transaction keeps one connection of the read pool until
// the stream ends: at most half the pool's connections stream at once
// (the next stream waits for one to end), so that pages, and fn's own
// queries, always find a connection.
func (db *DB) StreamRecords(ctx context.Context, f RecordFilter, fn func([]journal.Record) error) error {
	select {
	case db.streams <- struct{}{}:
		defer func() { <-db.streams }()
	case <-ctx.Done():
		return ctx.Err()
	}
	opts := &sql.TxOptions{ReadOnly: true}
	if db.Engine == Postgres {
		opts.Isolation = sql.LevelRepeatableRead // one snapshot for the cursor and the links
	}
	tx, err := db.read.BeginTx(ctx, opts)
	if err != nil {
		return apperr.Wrap(err, "records stream: begin")
	}
	defer tx.Rollback()
	w := f.where()
	query := recordSelect + ` FROM record r WHERE ` + w.String() + ` ORDER BY r.day DESC, r.id DESC`
	var next func(batch []journal.Record) ([]journal.Record, error)
	if db.Engine == Postgres {
		next, err = pgRecordCursor(ctx, tx, query, w.args)
	} else {
		var close func()
		next, close, err = sqliteRecordCursor(ctx, tx, query, w.args)
		if close != nil {
			defer close()
		}
	}
	if err != nil {
		return apperr.Wrap(err, "records stream")
	}
	batch := make([]journal.Record, 0, streamBatch)
	for {
		if batch, err = next(batch[:0]); err != nil {
			return apperr.Wrap(err, "records stream")
		}
		if len(batch) == 0 {
			return nil
		}
		if err := loadRecordLinks(ctx, tx, batch); err != nil {
			return err
		}
		if err := fn(batch); err != nil {
			return err
		}
		if len(batch) < streamBatch {
			return nil
		}
	}
}

// streamBatch is how many records StreamRecords hands over at a time.
const streamBatch = linkBatch

// sqliteRecordCursor steps through query, a batch at a time; the rows
// stay open between batches, beside the links' queries.
func sqliteRecordCursor(ctx context.Context, tx *sql.Tx, query string, args []any) (
	next func([]journal.Record) ([]journal.Record, error), close func(), err error) {
	rows, err := tx.QueryContext(ctx, query, args...)
	if err != nil {
		return nil, nil, err
	}
	next = func(batch []journal.Record) ([]journal.Record, error) {
		for len(batch) < streamBatch && rows.Next() {
			r, err := scanRecord(rows)
			if err != nil {
				return nil, err
			}
			batch = append(batch, r)
		}
		return batch, rows.Err()
	}
	return next, func() { rows.Close() }, nil
}

// pgRecordCursor declares query as a cursor of the transaction and
// fetches a batch at a time: the connection is free between fetches.
func pgRecordCursor(ctx context.Context, tx *sql.Tx, query string, args []any) (
	func([]journal.Record) ([]journal.Record, error), error) {
	if _, err := tx.ExecContext(ctx, `DECLARE records_stream NO SCROLL CURSOR FOR `+query, args...); err != nil {
		return nil, err
	}
	fetch := `FETCH ` + itoa(streamBatch) + ` FROM records_stream`
	return func(batch []journal.Record) ([]journal.Record, error) {
		err := each(ctx, tx, fetch, nil, func(s scanner) error {
			r, err := scanRecord(s)
			batch = append(batch, r)
			return err
		})
		return batch, err
	}, nil
}
