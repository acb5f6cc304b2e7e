package demo

import (
	"math"
	"math/rand/v2"
	"time"

	"copilote/internal/civil"
	"copilote/internal/nomenclature"
	"copilote/internal/store"
	"copilote/internal/survey"
)

// saveSurveys writes, for partners and inhabitants, the initial wave of
// spring 2023 and the final wave of autumn 2026. Visibility improves between
// them on average, though not on every item.
func (s *site) saveSurveys(tx *store.Tx) error {
	r := rand.New(rand.NewPCG(seed, 30+uint64(s.idx)))
	for _, audience := range []string{survey.Partners, survey.Residents} {
		base, gains := surveyShape(r, audience)
		for _, kind := range []string{nomenclature.WaveInitial, nomenclature.WaveFinal} {
			means := base
			if kind == nomenclature.WaveFinal {
				means = add(base, gains)
			}
			if err := s.saveWave(tx, r, audience, kind, means); err != nil {
				return err
			}
		}
	}
	return nil
}

// surveyShape draws each item's initial mean and its change by the final
// wave: mostly gains, sometimes a slight loss.
func surveyShape(r *rand.Rand, audience string) (base, gains map[string]float64) {
	base, gains = map[string]float64{}, map[string]float64{}
	level := 2.3 + 0.5*r.Float64()
	for _, it := range survey.Items[audience] {
		base[it.Code] = level + 0.6*r.Float64() - 0.3
		gains[it.Code] = 1.0*r.Float64() - 0.2
	}
	return base, gains
}

func add(a, b map[string]float64) map[string]float64 {
	out := map[string]float64{}
	for k, v := range a {
		out[k] = v + b[k]
	}
	return out
}

func (s *site) saveWave(tx *store.Tx, r *rand.Rand, audience, kind string, means map[string]float64) error {
	from, to := civil.New(2023, time.March, 6), civil.New(2023, time.March, 24)
	if kind == nomenclature.WaveFinal {
		from, to = civil.New(2026, time.September, 21), civil.New(2026, time.October, 2)
	}
	day := randomDay(r, from, to)
	w := survey.Wave{CTGID: s.ctg.ID, Audience: audience, Kind: kind, Date: day, Closes: day.AddDays(30), Token: token(r)}
	if err := tx.CreateWave(&w, s.n); err != nil {
		return err
	}
	for range between(r, 15, 40) {
		resp := response(r, audience, means)
		if err := tx.AddResponse(w, &resp); err != nil {
			return err
		}
	}
	return nil
}

// response is one respondent: a personal leaning plus noise on each item,
// with an item left blank now and then.
func response(r *rand.Rand, audience string, means map[string]float64) survey.Response {
	lean := 0.5 * r.NormFloat64()
	scores := map[string]int{}
	for i, it := range survey.Items[audience] {
		if i > 0 && chance(r, 0.06) {
			continue
		}
		v := math.Round(means[it.Code] + lean + 0.7*r.NormFloat64())
		scores[it.Code] = int(max(1, min(5, v)))
	}
	resp := survey.Response{Scores: scores}
	if chance(r, 0.25) {
		resp.Comment = pick(r, surveyComments[audience])
	}
	return resp
}

// token replaces the store's random link token, so loads are identical.
func token(r *rand.Rand) string {
	const alphabet = "abcdefghijklmnopqrstuvwxyz234567"
	b := make([]byte, 16)
	for i := range b {
		b[i] = alphabet[r.IntN(len(alphabet))]
	}
	return string(b)
}
