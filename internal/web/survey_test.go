package web

import (
	"context"
	"strings"

	"copilote/internal/nomenclature"
	"copilote/internal/store"
	"copilote/internal/survey"
)

// The survey rows of the authorization matrix: each request gets a wave
// of its own, open today on the CTG it names (the link's rows: on own).

func openWave(m *matrix, q *request)     { q.id = m.newWave(q.where, survey.Partners, false).ID }
func answeredWave(m *matrix, q *request) { q.id = m.newWave(q.where, survey.Partners, true).ID }

// publicWave is a link to answer; the anonymous user answers from a
// browser of its own (the matrix's signed in as someone at POST /login).
func publicWave(m *matrix, q *request) {
	w := m.newWave(own, survey.Residents, false)
	q.row.pattern = strings.Replace(q.row.pattern, "{token}", w.Token, 1)
	if q.who == anonymous {
		q.client = client(m.t)
	}
}

// cafQuestion is a question of Caf 1 for its admin to retire; the others
// are refused before the question is looked at.
func cafQuestion(m *matrix, q *request) {
	m.t.Helper()
	if q.who != cafAdmin {
		return
	}
	qu := survey.Question{CafID: m.sites[own].ctg.CafID, Audience: survey.Residents, Text: "Je lis la lettre de la CTG."}
	if err := m.db.Write(context.Background(), 0, func(tx *store.Tx) error { return tx.AddSurveyQuestion(&qu) }); err != nil {
		m.t.Fatal(err)
	}
	q.id = qu.ID
}

func (m *matrix) newWave(w where, audience string, answered bool) survey.Wave {
	m.t.Helper()
	today := m.db.Today()
	wave := survey.Wave{CTGID: m.sites[w].ctg.ID, Audience: audience, Kind: nomenclature.WaveInitial, Date: today,
		Closes: today.AddDays(30)}
	err := m.db.Write(context.Background(), 0, func(tx *store.Tx) error {
		if err := tx.CreateWave(&wave, nomenclature.Default); err != nil || !answered {
			return err
		}
		for _, s := range []int{2, 4, 5} {
			r := survey.Response{Scores: map[string]int{"moyens": s}, Comment: "Commentaire " + string(rune('0'+s))}
			if err := tx.AddResponse(wave, &r); err != nil {
				return err
			}
		}
		return nil
	})
	if err != nil {
		m.t.Fatal(err)
	}
	return wave
}
