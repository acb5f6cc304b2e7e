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
// them on average, though not on every item. The Caf asks the inhabitants
// a question of its own in the final waves (never counted in E42); some
// inhabitants answer on paper. In the Diois, the inhabitants' final wave
// opened in November 2026 and is still open on the demo's "today".
func (s *site) saveSurveys(tx *store.Tx) error {
	r := rand.New(rand.NewPCG(seed, 30+uint64(s.idx)))
	extra, err := s.cafQuestion(tx)
	if err != nil {
		return err
	}
	for _, audience := range []string{survey.Partners, survey.Residents} {
		base, gains := surveyShape(r, audience)
		for _, kind := range []string{nomenclature.WaveInitial, nomenclature.WaveFinal} {
			means := base
			var asked []survey.Question
			if kind == nomenclature.WaveFinal {
				means = add(base, gains)
				if audience == survey.Residents {
					asked = extra
				}
			}
			if err := s.saveWave(tx, r, audience, kind, means, asked); err != nil {
				return err
			}
		}
	}
	return nil
}

// demoQuestion is the Caf's own question to the inhabitants.
const demoQuestion = "Je sais où trouver les horaires des services aux familles près de chez moi."

// cafQuestion adds the Caf's question once, with the first CTG's surveys,
// and finds it for the others.
func (s *site) cafQuestion(tx *store.Tx) ([]survey.Question, error) {
	if s.idx == 0 {
		q := survey.Question{CafID: s.ctg.CafID, Audience: survey.Residents, Text: demoQuestion}
		return []survey.Question{q}, tx.AddSurveyQuestion(&q)
	}
	return tx.SurveyQuestions(s.ctg.CafID, survey.Residents)
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

// stillOpen is the wave open on the demo's "today": the Diois
// inhabitants' final wave, until the convention's last day.
func (s *site) stillOpen(audience, kind string) bool {
	return s.idx == 0 && audience == survey.Residents && kind == nomenclature.WaveFinal
}

func (s *site) saveWave(tx *store.Tx, r *rand.Rand, audience, kind string, means map[string]float64, asked []survey.Question) error {
	from, to := civil.New(2023, time.March, 6), civil.New(2023, time.March, 24)
	if kind == nomenclature.WaveFinal {
		from, to = civil.New(2026, time.September, 21), civil.New(2026, time.October, 2)
	}
	day := randomDay(r, from, to)
	closes := day.AddDays(30)
	if s.stillOpen(audience, kind) {
		day, closes = civil.New(2026, time.November, 9), s.ctg.End
	}
	w := survey.Wave{CTGID: s.ctg.ID, Audience: audience, Kind: kind, Date: day, Closes: closes, Token: token(r)}
	if err := tx.CreateWave(&w, s.n); err != nil {
		return err
	}
	last := civil.Earlier(closes, lastDay)
	for range between(r, 15, 40) {
		resp := response(r, audience, means, asked)
		resp.SubmittedAt = randomDay(r, day, last).Time().Add(12 * time.Hour)
		if audience == survey.Residents && chance(r, 0.25) {
			resp.Source = survey.Paper
		}
		if err := tx.AddResponse(w, &resp); err != nil {
			return err
		}
	}
	return nil
}

// response is one respondent: a personal leaning plus noise on each item,
// with an item left blank now and then.
func response(r *rand.Rand, audience string, means map[string]float64, asked []survey.Question) survey.Response {
	lean := 0.5 * r.NormFloat64()
	scores := map[string]int{}
	for i, it := range survey.Items[audience] {
		if i > 0 && chance(r, 0.06) {
			continue
		}
		v := math.Round(means[it.Code] + lean + 0.7*r.NormFloat64())
		scores[it.Code] = int(max(1, min(5, v)))
	}
	resp := survey.Response{Scores: scores, Extra: map[int64]int{}}
	for _, q := range asked {
		if chance(r, 0.9) {
			resp.Extra[q.ID] = int(max(1, min(5, math.Round(2.8+lean+0.8*r.NormFloat64()))))
		}
	}
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
