package store_test

import (
	"errors"
	"slices"
	"testing"
	"time"

	"copilote/internal/journal"
	"copilote/internal/store"
	"copilote/internal/store/storetest"
)

// streamedJournal fills two batches and part of a third. (The web tests
// export 33 000 records, beyond SQLite's 32 766 variables in a statement,
// at which reading a journal's partners failed: links are now read a
// thousand records at a time.)
const streamedJournal = 2_500

// StreamRecords hands every record the filter selects over in batches of at
// most a thousand, newest first, with their partners; Records without a
// limit reads its links by the same batches.
func TestStreamRecords(t *testing.T) {
	storetest.ForEach(t, func(t *testing.T, db *store.DB) {
		j := storetest.LoadBigJournal(t, db, streamedJournal)
		all := store.RecordFilter{Scope: store.Scope{CafID: j.CafID}, CTGID: j.CTGID}
		var prev *journal.Record
		n, batches := 0, 0
		err := db.StreamRecords(ctx, all, func(rs []journal.Record) error {
			batches++
			if len(rs) == 0 || len(rs) > 1000 {
				t.Fatalf("batch of %d records", len(rs))
			}
			for i := range rs {
				r := &rs[i]
				if prev != nil && (r.Date.After(prev.Date) || r.Date == prev.Date && r.ID > prev.ID) {
					t.Fatalf("record %d (%s) after %d (%s): not newest first", r.ID, r.Date, prev.ID, prev.Date)
				}
				if want := j.PartnersOf(int(r.ID)); !slices.Equal(r.PartnerIDs, want) || r.Title != j.Title(int(r.ID)) {
					t.Fatalf("record %d: %q with partners %v, want %q with %v", r.ID, r.Title, r.PartnerIDs, j.Title(int(r.ID)), want)
				}
				cp := *r
				prev = &cp
			}
			n += len(rs)
			return nil
		})
		if err != nil || n != streamedJournal || batches != (streamedJournal+999)/1000 {
			t.Fatalf("StreamRecords: %v, %d records in %d batches", err, n, batches)
		}

		// the same filters and scope as the journal's list
		count := func(f store.RecordFilter) int {
			n := 0
			if err := db.StreamRecords(ctx, f, func(rs []journal.Record) error { n += len(rs); return nil }); err != nil {
				t.Fatal(err)
			}
			return n
		}
		if got := count(store.RecordFilter{Scope: store.Scope{All: true}, PartnerID: j.Partners[1]}); got != streamedJournal/50 {
			t.Errorf("second partner's records = %d, want %d", got, streamedJournal/50)
		}
		if got := count(store.RecordFilter{Scope: store.Scope{CTGIDs: []int64{j.CTGID + 1}}}); got != 0 {
			t.Errorf("records outside the scope = %d", got)
		}
		if got := count(store.RecordFilter{Scope: store.Scope{All: true}, Limit: 10, Offset: 5}); got != streamedJournal {
			t.Errorf("limit and offset are not for streams: %d records", got)
		}

		// an error from fn stops the stream and comes back as it is
		stop := errors.New("stop")
		calls := 0
		if err := db.StreamRecords(ctx, all, func([]journal.Record) error { calls++; return stop }); err != stop || calls != 1 {
			t.Errorf("StreamRecords after fn failed: %v after %d calls", err, calls)
		}

		list, total, err := db.Records(ctx, all)
		if err != nil || total != streamedJournal || len(list) != streamedJournal {
			t.Fatalf("Records: %v, %d of %d", err, len(list), total)
		}
		for _, r := range list {
			if !slices.Equal(r.PartnerIDs, j.PartnersOf(int(r.ID))) {
				t.Fatalf("Records: record %d has partners %v", r.ID, r.PartnerIDs)
			}
		}
	})
}

// Streams wait for one another beyond half the read pool, so that several
// exports at once, each looking names up as it goes (as the journal of
// every CTG does), never hold every connection while waiting for one.
func TestStreamsLeaveConnections(t *testing.T) {
	storetest.ForEach(t, func(t *testing.T, db *store.DB) {
		j := storetest.LoadBigJournal(t, db, 3_000)
		errs := make(chan error, 8)
		for range 8 {
			go func() {
				errs <- db.StreamRecords(ctx, store.RecordFilter{Scope: store.Scope{All: true}}, func(rs []journal.Record) error {
					ids := []int64{j.PostID}
					for _, r := range rs {
						ids = append(ids, r.PostID)
					}
					_, err := db.PostNames(ctx, ids)
					return err
				})
			}()
		}
		timeout := time.After(2 * time.Minute)
		for range 8 {
			select {
			case err := <-errs:
				if err != nil {
					t.Fatal(err)
				}
			case <-timeout:
				t.Fatal("streams still running after two minutes: every connection is held")
			}
		}
	})
}
