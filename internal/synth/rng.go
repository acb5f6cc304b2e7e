package synth

import (
	"math/rand/v2"
	"slices"
)

// Stream numbers of the PCG generators: one per Caf (partners) and one per
// CTG, so that each is drawn the same whatever else the seed produces.
const (
	streamCaf = 1 << 40
	streamCTG = 2 << 40
)

func newRand(seed, stream uint64) *rand.Rand { return rand.New(rand.NewPCG(seed, stream)) }

func chance(r *rand.Rand, p float64) bool { return r.Float64() < p }

func pick[T any](r *rand.Rand, xs []T) T { return xs[r.IntN(len(xs))] }

// between draws an integer in [lo, hi].
func between(r *rand.Rand, lo, hi int) int { return lo + r.IntN(hi-lo+1) }

// weighted draws one of xs with the given weights (summing to about 1).
func weighted[T any](r *rand.Rand, xs []T, ws []float64) T {
	x := r.Float64()
	for i, w := range ws {
		if x < w {
			return xs[i]
		}
		x -= w
	}
	return xs[len(xs)-1]
}

// pickSome draws n distinct elements of xs, in xs's order.
func pickSome[T any](r *rand.Rand, xs []T, n int) []T {
	idx := r.Perm(len(xs))[:min(n, len(xs))]
	slices.Sort(idx)
	out := make([]T, len(idx))
	for i, j := range idx {
		out[i] = xs[j]
	}
	return out
}

// table is a weighted choice prepared once: cumulative weights, so that a
// draw is one random number and a short scan.
type table[T any] struct {
	vals []T
	cum  []float64
}

func newTable[T any](vals []T, weights []float64) table[T] {
	t := table[T]{vals: vals, cum: make([]float64, len(weights))}
	sum := 0.0
	for _, w := range weights {
		sum += w
	}
	acc := 0.0
	for i, w := range weights {
		acc += w / sum
		t.cum[i] = acc
	}
	return t
}

func (t table[T]) draw(r *rand.Rand) T {
	x := r.Float64()
	for i, c := range t.cum {
		if x < c {
			return t.vals[i]
		}
	}
	return t.vals[len(t.vals)-1]
}
