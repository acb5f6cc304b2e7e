package synth

import (
	"math"

	"copilote/internal/civil"
	"copilote/internal/nomenclature"
	"copilote/internal/survey"
)

// responsesPerWave is the sample of responses stored per wave: enough for
// a mean and a distribution, few enough that surveys stay a small table.
const responsesPerWave = 20

// writeSurveys writes, per audience, an initial wave early in the CTG and
// a second one: the final wave near its end, or an intermediate one before
// AsOf when the CTG is still running.
func (s *site) writeSurveys() error {
	for _, audience := range []string{survey.Partners, survey.Residents} {
		initial := s.t.start.AddDays(between(s.r, 60, 150))
		if err := s.wave(audience, nomenclature.WaveInitial, initial, 0); err != nil {
			return err
		}
		kind, day := nomenclature.WaveFinal, s.t.end.AddDays(-between(s.r, 60, 150))
		if day.After(AsOf) {
			kind, day = nomenclature.WaveIntermediate, AsOf.AddDays(-between(s.r, 45, 120))
		}
		if day.Before(initial.AddDays(180)) {
			continue
		}
		if err := s.wave(audience, kind, day, 0.2+0.6*s.r.Float64()); err != nil {
			return err
		}
	}
	return nil
}

func (s *site) wave(audience, kind string, day civil.Date, gain float64) error {
	s.g.ids.wave++
	id := s.g.ids.wave
	closes := day.AddDays(30)
	if err := s.add("survey_wave", id, s.t.id, audience, kind, day, closes, s.token()); err != nil {
		return err
	}
	s.g.stats.Waves++
	level := 2.3 + 0.6*s.r.Float64() + gain
	for range responsesPerWave {
		if err := s.response(id, audience, day, level); err != nil {
			return err
		}
	}
	return nil
}

// response is one respondent: a leaning plus noise on each item.
func (s *site) response(waveID int64, audience string, day civil.Date, level float64) error {
	s.g.ids.response++
	id := s.g.ids.response
	comment := ""
	if chance(s.r, 0.2) {
		comment = pick(s.r, comments)
	}
	err := s.add("survey_response", id, waveID, s.stamp(day.AddDays(s.r.IntN(30))), comment)
	lean := 0.5 * s.r.NormFloat64()
	for _, it := range survey.Items[audience] {
		v := int(math.Round(level + lean + 0.7*s.r.NormFloat64()))
		err = first(err, s.add("survey_answer", id, it.Code, max(1, min(5, v))))
	}
	s.g.stats.Responses++
	return err
}

// token is the wave's link, drawn from the seed so that loads are identical.
func (s *site) token() string {
	const alphabet = "abcdefghijklmnopqrstuvwxyz234567"
	b := make([]byte, 20)
	for i := range b {
		b[i] = alphabet[s.r.IntN(len(alphabet))]
	}
	return string(b)
}
