package storetest

import (
	"context"
	"fmt"
	"testing"
	"time"

	"copilote/internal/civil"
	"copilote/internal/store"
)

// BigJournal is what LoadBigJournal wrote: one Caf (code 099), one CTG
// with one post, two partners and N records.
type BigJournal struct {
	CafID, CTGID, PostID int64
	Partners             [2]int64
	PartnerNames         [2]string
	N                    int
}

// Record i (1 … N) is a "relais" titled Title(i), dated Day(i): every
// tenth has the first partner, every fiftieth the second too, and every
// seventh's title starts with "=", as a formula would.
func (j BigJournal) Title(i int) string {
	if i%7 == 0 {
		return fmt.Sprintf("=SOMME(A%d)", i)
	}
	return fmt.Sprintf("Relais n°%d", i)
}

func (j BigJournal) Day(i int) civil.Date { return civil.MustParse("2023-01-01").AddDays(i % 1400) }

// PartnersOf lists record i's partners.
func (j BigJournal) PartnersOf(i int) []int64 {
	var out []int64
	if i%10 == 0 {
		out = append(out, j.Partners[0])
	}
	if i%50 == 0 {
		out = append(out, j.Partners[1])
	}
	return out
}

// LoadBigJournal bulk-loads n records into an empty database, in a few
// seconds even for tens of thousands (store.BulkLoad, as copilote synth).
func LoadBigJournal(tb testing.TB, db *store.DB, n int) BigJournal {
	tb.Helper()
	j := BigJournal{CafID: 1, CTGID: 1, PostID: 1, Partners: [2]int64{1, 2},
		PartnerNames: [2]string{"Centre social Le Lien", "Mairie de Die"}, N: n}
	at := time.Date(2023, 1, 1, 9, 0, 0, 0, time.UTC)
	_, err := db.BulkLoad(context.Background(), func(b *store.Bulk) error {
		err := b.Add("caf", j.CafID, "099", "Caf d'essai", "99")
		for k, id := range j.Partners {
			err = first(err, b.Add("partner", id, j.CafID, j.PartnerNames[k], "association", "", at))
		}
		start, end := civil.MustParse("2023-01-01"), civil.MustParse("2026-12-31")
		err = first(err, b.Add("ctg", j.CTGID, j.CafID, "CTG d'essai", "", 10000, start, end, at, at))
		err = first(err, b.Add("post", j.PostID, j.CTGID, "Agnès Agent", "CC d'essai", 100, start, nil, true, 0, 0))
		for i := 1; i <= n && err == nil; i++ {
			err = b.Add("record", int64(i), j.CTGID, j.PostID, "relais", j.Day(i), j.Title(i), "", nil, nil, nil,
				"petite_enfance", "information", "", "", false, false, false, false, false, "", "", nil, "", 0, 0, nil,
				nil, at, at, nil)
			for _, p := range j.PartnersOf(i) {
				err = first(err, b.Add("record_partner", int64(i), p))
			}
		}
		return err
	})
	if err != nil {
		tb.Fatalf("bulk journal: %v", err)
	}
	return j
}

func first(a, b error) error {
	if a != nil {
		return a
	}
	return b
}
