package store_test

import (
	"slices"
	"testing"

	"copilote/internal/indicator"
	"copilote/internal/journal"
	"copilote/internal/store"
)

// E31 at post scope (rule 2): a partner's first record in the CTG is "one
// of the post's" when the post wrote it or, for a meeting, had a role in
// it. A chef de projet who co-animated the meeting where a partner first
// appeared counts that partner (issue 9: only the author did).
func TestNewPartnersOfAPostFollowMeetingRoles(t *testing.T) {
	forEachEngine(t, func(t *testing.T, e store.Engine) {
		db, _ := openIndicatorDB(t, e)
		var chef, other []int64 // partners each post should count
		var scopes [3]indicator.Scope
		var conv indicator.Period
		err := db.Write(ctx, 0, func(tx *store.Tx) error {
			b := &indBuilder{tx: tx}
			caf := b.caf("026")
			c := b.convention(caf.ID, "CTG du Diois")
			conv = indicator.Period{From: c.Start, To: c.End}
			pc := b.post(c, "Claire Chef", true, "1.1", "3.1")
			po := b.post(c, "Paul Part", false, "3.1")
			p, q, r, s := b.partner(caf.ID, "P", "association"), b.partner(caf.ID, "Q", "commune"),
				b.partner(caf.ID, "R", "association"), b.partner(caf.ID, "S", "epci")
			with := func(x journal.Record, partners ...int64) journal.Record { x.PartnerIDs = partners; return x }
			// P first appears in Paul's Copil, which Claire co-animated
			b.record(with(meet(po, "copil", "2024-03-10", role(pc, "co_animation")), p))
			// Q in Claire's own relais
			rl := rec(pc, journal.Relais, "2024-05-02")
			rl.Nature = "information"
			b.record(with(rl, q))
			// R in Claire's veille meeting, where Paul only took part
			b.record(with(meet(pc, "veille", "2024-06-20", role(pc, "animation"), role(po, "participation")), r))
			// S in Paul's meeting without Claire, then in Claire's own one: not new to her
			b.record(with(meet(po, "cotech", "2024-02-01", role(po, "animation")), s))
			b.record(with(meet(pc, "cotech", "2024-09-01", role(pc, "animation")), s, p))
			chef, other = []int64{p, q, r}, []int64{p, r, s}
			scopes = [3]indicator.Scope{{Kind: indicator.ScopePost, PostID: pc.ID}, {Kind: indicator.ScopePost, PostID: po.ID},
				{Kind: indicator.ScopeCTG, CTGID: c.ID}}
			return b.err
		})
		if err != nil {
			t.Fatal(err)
		}
		ctgWide := []int64{chef[0], chef[1], chef[2], other[2]}
		for _, p := range []indicator.Period{conv, {From: day("2024-01-01"), To: day("2024-12-31")},
			{From: day("2024-01-15"), To: day("2024-10-10")}} {
			for i, want := range [][]int64{chef, other, ctgWide} {
				res, err := db.Indicators(ctx, scopes[i], p)
				if err != nil {
					t.Fatal(err)
				}
				f, _ := res.Figure(indicator.E31)
				if f.Value == nil || *f.Value != float64(len(want)) {
					t.Errorf("%v %v..%v: E31 = %v, want %d", scopes[i], p.From, p.To, show(f.Value), len(want))
				}
				ids, err := db.IndicatorRecords(ctx, scopes[i], p, indicator.E31, "", "")
				slices.Sort(ids)
				if err != nil || !slices.Equal(ids, sorted(want)) {
					t.Errorf("%v %v..%v: E31 drill %v (%v), want %v", scopes[i], p.From, p.To, ids, err, sorted(want))
				}
			}
		}
	})
}

func sorted(ids []int64) []int64 { s := slices.Clone(ids); slices.Sort(s); return s }
