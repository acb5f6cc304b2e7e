// Package demo loads a deterministic, realistic dataset for a fictional Caf:
// three CTGs of the Drôme, six officers' posts, about sixty partners, four
// years of activity, action plans and visibility surveys. Every name of a
// person is invented; territories are real (communes and populations come
// from internal/territory).
package demo

import (
	"context"
	"math/rand/v2"
	"time"

	"copilote/internal/apperr"
	"copilote/internal/ctg"
	"copilote/internal/msg"
	"copilote/internal/nomenclature"
	"copilote/internal/store"
)

// Password is the demo accounts' password.
const Password = "copilote-demo-2026"

// Login is a demo account as the server prints it at start.
type Login struct {
	Email, Name string
	Role        string // the role's French label
	Note        string // e.g. "cheffe de projet, CTG du Diois"
}

// seed fixes every random draw: same code, same database, ids included.
const seed = 0x26_2023_2026

// loadedAt is the store's clock while loading, so created_at values do not
// depend on when the demo was loaded. It falls after the last record and
// before the demo's "today", so nothing looks edited after the fact.
var loadedAt = time.Date(2026, time.November, 20, 17, 30, 0, 0, time.UTC)

// volume scales each post's own yearly records (governance, plans and
// surveys stay whole); only tests under the race detector lower it.
var volume = 1.0

// Years of activity.
var years = []int{2023, 2024, 2025, 2026}

type loader struct {
	ctx    context.Context
	db     *store.DB
	n      *nomenclature.Set
	caf    ctg.Caf
	sites  []*site
	logins []Login
}

// Load fills an empty database with the demo and returns the accounts to
// sign in with. It refuses a database that already holds a Caf. It sets the
// store's clock while it runs, so it must not run beside live requests.
func Load(ctx context.Context, db *store.DB) ([]Login, error) {
	empty, err := db.IsEmpty(ctx)
	if err != nil {
		return nil, apperr.Wrap(err, "demo: is empty")
	}
	if !empty {
		return nil, apperr.New(apperr.Conflict, msg.DatabaseNotEmpty)
	}
	n, err := db.Nomenclature(ctx, 0)
	if err != nil {
		return nil, err
	}
	db.SetClock(func() time.Time { return loadedAt })
	defer db.SetClock(time.Now)
	l := &loader{ctx: ctx, db: db, n: n}
	if err := l.run(); err != nil {
		return nil, err
	}
	return l.logins, nil
}

// run writes in a few large transactions: setup, people, action plans,
// then one per year and CTG for the activity (year-major, so record ids
// run roughly in date order), one per CTG for the surveys, and last the
// evaluations (evaluations.go).
func (l *loader) run() error {
	for _, step := range []func(*store.Tx) error{l.setup, l.people, l.plans} {
		if err := l.write(step); err != nil {
			return err
		}
	}
	for _, y := range years {
		for _, s := range l.sites {
			if err := l.write(func(tx *store.Tx) error { return s.saveYear(tx, y) }); err != nil {
				return err
			}
		}
	}
	for _, s := range l.sites {
		if err := l.write(s.saveSurveys); err != nil {
			return err
		}
		if err := l.write(s.saveTargets); err != nil {
			return err
		}
	}
	if err := l.write(l.openData); err != nil {
		return err
	}
	// once every figure is written: the evaluations freeze them
	return l.evaluations()
}

// write runs fn as the system (actor 0), as migrations and imports do.
func (l *loader) write(fn func(*store.Tx) error) error { return l.db.Write(l.ctx, 0, fn) }

func (l *loader) plans(tx *store.Tx) error {
	for _, s := range l.sites {
		if err := s.savePlan(tx); err != nil {
			return err
		}
	}
	return nil
}

// rng returns an independent stream, so that one part of the demo can
// change without reshuffling the others.
func (l *loader) rng(stream uint64) *rand.Rand {
	return rand.New(rand.NewPCG(seed, stream))
}

// setup creates the Caf, the CTGs with their instances, and the partners.
func (l *loader) setup(tx *store.Tx) error {
	l.caf = ctg.Caf{Code: "999", Name: "Caf de la Drôme-Vercors (démonstration)", Department: "26"}
	if err := tx.CreateCaf(&l.caf); err != nil {
		return err
	}
	for i := range profiles {
		s, err := l.newSite(tx, i)
		if err != nil {
			return err
		}
		l.sites = append(l.sites, s)
	}
	if err := l.savePartners(tx); err != nil {
		return err
	}
	for _, s := range l.sites {
		s.pool.schedule(s.rng, s.ctg.Start)
	}
	return nil
}

func pick[T any](r *rand.Rand, xs []T) T { return xs[r.IntN(len(xs))] }

func chance(r *rand.Rand, p float64) bool { return r.Float64() < p }

// between draws an integer in [lo, hi].
func between(r *rand.Rand, lo, hi int) int { return lo + r.IntN(hi-lo+1) }
