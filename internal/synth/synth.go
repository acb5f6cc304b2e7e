// Package synth generates a deterministic synthetic national dataset and
// writes it straight into an empty database through store.BulkLoad: Cafs
// on real départements, CTGs on real EPCIs, posts, partners, fiches actions
// with their progress updates, survey waves and years of activity records.
// It serves load tests and performance measurements (copilote synth).
//
// Scale semantics: scale 1 is the national order of magnitude of DOMAIN.md
// (101 Caf, about 1 500 CTG, 6 000 posts, 40 000 partners, 10 million
// records). Records and partners scale linearly; CTGs scale with the square
// root of the scale and Cafs follow the CTGs (one CTG at least per Caf, 101
// at most), so that a small scale keeps many territories with few records
// each: scale 0.001 gives about 47 Cafs, 47 CTGs, 190 posts and 10 000
// records. The yearly number of records per ETP is then calibrated so that
// the total meets 10 million × scale: about 850 per ETP-year at scale 1
// (270 at 0.1), since posts average 0.6 ETP and the CTGs still running
// have only 2 to 4 years of activity before AsOf.
//
// Everything is drawn from math/rand/v2 PCG streams derived from the seed
// and the index of the Caf or CTG, so that a seed always gives the same
// database, whatever the engine.
package synth

import (
	"context"
	"fmt"
	"io"
	"math"
	"time"

	"copilote/internal/civil"
	"copilote/internal/store"
)

// National orders of magnitude at scale 1.
const (
	nationalCTGs     = 1500
	nationalPartners = 40000
	nationalRecords  = 10_000_000
	maxCafs          = 101
	minPartnersCaf   = 12
)

// AsOf is the day the generated history stops: fixed, so that a seed gives
// the same data whatever day it runs. CTGs ending later are in progress.
var AsOf = civil.New(2026, time.October, 31)

// Options of a generation.
type Options struct {
	Scale float64 // 1 = national; must be > 0
	Seed  uint64
	Years int // the activity window: the Years years ending on AsOf
	// Progress receives a line every ProgressEvery records (nil: silent).
	Progress      io.Writer
	ProgressEvery int64
	// CommitEvery is how many records go in one transaction (0: 100 000).
	CommitEvery int64
}

// Stats counts what was generated.
type Stats struct {
	Cafs, CTGs, Posts, Partners int64
	Records, Deleted            int64
	Actions, Updates            int64
	Waves, Responses            int64
	Rows                        int64 // every row of every table
	RatePerETPYear              float64
	Elapsed                     time.Duration
}

// RecordsPerSecond is the load's overall speed.
func (s Stats) RecordsPerSecond() float64 {
	if s.Elapsed <= 0 {
		return 0
	}
	return float64(s.Records) / s.Elapsed.Seconds()
}

func (o *Options) check() error {
	if !(o.Scale > 0) || o.Scale > 10 {
		return fmt.Errorf("scale %v: expected a number in ]0, 10]", o.Scale)
	}
	if o.Years < 1 || o.Years > 10 {
		return fmt.Errorf("years %d: expected 1 to 10", o.Years)
	}
	if o.ProgressEvery <= 0 {
		o.ProgressEvery = 100_000
	}
	if o.CommitEvery <= 0 {
		o.CommitEvery = 100_000
	}
	return nil
}

// windowStart is the first day of the activity window.
func (o *Options) windowStart() civil.Date { return AsOf.AddDate(-o.Years, 0, 1) }

// Run generates the dataset into db, which must be migrated and empty.
func Run(ctx context.Context, db *store.DB, o Options) (Stats, error) {
	if err := o.check(); err != nil {
		return Stats{}, err
	}
	t0 := time.Now()
	p, err := newPlan(o)
	if err != nil {
		return Stats{}, err
	}
	g := &generator{opt: o, plan: p, start: t0, nextProgress: o.ProgressEvery}
	counts, err := db.BulkLoad(ctx, func(b *store.Bulk) error {
		g.b = b
		return g.run(ctx)
	})
	if err != nil {
		return Stats{}, err
	}
	s := g.stats
	s.Elapsed = time.Since(t0)
	s.RatePerETPYear = p.rate
	for _, n := range counts {
		s.Rows += n
	}
	return s, nil
}

// run writes Caf after Caf, CTG after CTG: only one CTG's state is held.
func (g *generator) run(ctx context.Context) error {
	for _, c := range g.plan.cafs {
		if err := ctx.Err(); err != nil {
			return err
		}
		if err := g.caf(c); err != nil {
			return err
		}
	}
	g.report(true)
	return nil
}

// report prints the progress line when due, or at the end when last.
func (g *generator) report(last bool) {
	if g.opt.Progress == nil || (!last && g.stats.Records < g.nextProgress) {
		return
	}
	for g.stats.Records >= g.nextProgress {
		g.nextProgress += g.opt.ProgressEvery
	}
	sec := time.Since(g.start).Seconds()
	fmt.Fprintf(g.opt.Progress, "synth : %s enregistrements, %s/s\n", Thousands(g.stats.Records),
		Thousands(int64(math.Round(float64(g.stats.Records)/max(sec, 1e-9)))))
}

// Thousands writes n the French way: 1 200 000.
func Thousands(n int64) string {
	s := fmt.Sprint(n)
	if n < 0 {
		return "-" + Thousands(-n)
	}
	out := make([]byte, 0, len(s)+len(s)/3)
	for i := range len(s) {
		if i > 0 && (len(s)-i)%3 == 0 {
			out = append(out, ' ')
		}
		out = append(out, s[i])
	}
	return string(out)
}
