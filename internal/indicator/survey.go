package indicator

import (
	"cmp"
	"slices"

	"copilote/internal/civil"
	"copilote/internal/nomenclature"
)

// WaveStat is one survey wave of one CTG as the store reads it: its
// answers counted by score.
type WaveStat struct {
	ID        int64
	CTGID     int64
	Kind      string
	Date      civil.Date
	Responses int
	// Scores[s] is the number of answers (items) scored s, 1 to 5.
	Scores [6]int
}

// WaveFigure is what a survey figure shows of a wave. At Caf and national
// scope the waves of the CTGs are pooled by kind: Date is then empty and
// CTGs says how many CTGs held such a wave.
type WaveFigure struct {
	Kind string     `json:"kind"`
	Date civil.Date `json:"date,omitzero"`
	// Mean is the mean of every answer of the wave; nil without answers.
	Mean         *float64    `json:"mean"`
	Responses    int         `json:"responses"`
	Distribution map[int]int `json:"distribution"`
	CTGs         int         `json:"ctgs"`
}

// mean is the mean score over every answered item, the way the survey
// page shows a wave; ok is false for a wave without answers.
func mean(scores [6]int) (m float64, ok bool) {
	n, sum := 0, 0
	for s := 1; s <= 5; s++ {
		n += scores[s]
		sum += s * scores[s]
	}
	if n == 0 {
		return 0, false
	}
	return float64(sum) / float64(n), true
}

// Survey builds E32 or E42 from the waves of one audience whose dates fall
// in the period (rule 5). Per CTG, the difference is the mean of its
// earliest initiale wave subtracted from that of its latest finale wave;
// the value is the mean of the CTGs' differences (a single CTG's
// difference at post and CTG scope), nil when no CTG has both waves with
// answers. pooled lists one wave figure per kind instead of each wave.
func Survey(code string, waves []WaveStat, pooled bool) Figure {
	f := Figure{Code: code, IDsOf: IDsWaves}
	diffs := ctgDifferences(waves)
	if len(diffs) > 0 {
		sum := 0.0
		for _, d := range diffs {
			sum += d
		}
		v := round2(sum / float64(len(diffs)))
		f.Value, f.CTGs = &v, len(diffs)
	}
	if pooled {
		f.Waves = poolWaves(waves)
	} else {
		f.Waves = listWaves(waves)
	}
	for _, w := range waves {
		f.RecordIDs = append(f.RecordIDs, w.ID)
	}
	slices.Sort(f.RecordIDs)
	return f
}

// ctgDifferences returns finale − initiale for each CTG that has both.
func ctgDifferences(waves []WaveStat) []float64 {
	type pair struct{ initial, final *WaveStat }
	byCTG := map[int64]*pair{}
	var order []int64
	for i := range waves {
		w := &waves[i]
		p := byCTG[w.CTGID]
		if p == nil {
			p = &pair{}
			byCTG[w.CTGID] = p
			order = append(order, w.CTGID)
		}
		switch w.Kind {
		case nomenclature.WaveInitial:
			if p.initial == nil || earlier(w, p.initial) {
				p.initial = w
			}
		case nomenclature.WaveFinal:
			if p.final == nil || earlier(p.final, w) {
				p.final = w
			}
		}
	}
	slices.Sort(order)
	var out []float64
	for _, id := range order {
		p := byCTG[id]
		if p.initial == nil || p.final == nil {
			continue
		}
		fm, ok1 := mean(p.final.Scores)
		im, ok2 := mean(p.initial.Scores)
		if ok1 && ok2 {
			out = append(out, fm-im)
		}
	}
	return out
}

// earlier orders waves by date, then id, so that the choice among two
// waves of the same kind never depends on the order rows were read.
func earlier(a, b *WaveStat) bool {
	if c := a.Date.Compare(b.Date); c != 0 {
		return c < 0
	}
	return a.ID < b.ID
}

func listWaves(waves []WaveStat) []WaveFigure {
	sorted := slices.Clone(waves)
	slices.SortFunc(sorted, func(a, b WaveStat) int {
		return cmp.Or(a.Date.Compare(b.Date), cmp.Compare(a.ID, b.ID))
	})
	var out []WaveFigure
	for _, w := range sorted {
		wf := waveFigure(w.Kind, w.Scores, w.Responses, 1)
		wf.Date = w.Date
		out = append(out, wf)
	}
	return out
}

func poolWaves(waves []WaveStat) []WaveFigure {
	type pool struct {
		scores    [6]int
		responses int
		ctgs      map[int64]bool
	}
	byKind := map[string]*pool{}
	for _, w := range waves {
		p := byKind[w.Kind]
		if p == nil {
			p = &pool{ctgs: map[int64]bool{}}
			byKind[w.Kind] = p
		}
		for s := range p.scores {
			p.scores[s] += w.Scores[s]
		}
		p.responses += w.Responses
		p.ctgs[w.CTGID] = true
	}
	var out []WaveFigure
	for _, k := range waveKindOrder(byKind) {
		p := byKind[k]
		out = append(out, waveFigure(k, p.scores, p.responses, len(p.ctgs)))
	}
	return out
}

// waveKindOrder lists initiale, intermédiaire, finale first, then any kind
// a Caf added, alphabetically.
func waveKindOrder[V any](m map[string]V) []string {
	rank := func(k string) int {
		switch k {
		case nomenclature.WaveInitial:
			return 0
		case nomenclature.WaveIntermediate:
			return 1
		case nomenclature.WaveFinal:
			return 2
		}
		return 3
	}
	var keys []string
	for k := range m {
		keys = append(keys, k)
	}
	slices.SortFunc(keys, func(a, b string) int { return cmp.Or(cmp.Compare(rank(a), rank(b)), cmp.Compare(a, b)) })
	return keys
}

func waveFigure(kind string, scores [6]int, responses, ctgs int) WaveFigure {
	wf := WaveFigure{Kind: kind, Responses: responses, CTGs: ctgs, Distribution: map[int]int{}}
	for s := 1; s <= 5; s++ {
		wf.Distribution[s] = scores[s]
	}
	if m, ok := mean(scores); ok {
		m = round2(m)
		wf.Mean = &m
	}
	return wf
}
