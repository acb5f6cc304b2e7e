package store

import (
	"context"
	"crypto/rand"
	"encoding/base32"
	"sort"
	"strings"

	"copilote/internal/apperr"
	"copilote/internal/msg"
	"copilote/internal/nomenclature"
	"copilote/internal/survey"
)

// CreateWave opens a survey wave with a fresh anonymous link token.
func (tx *Tx) CreateWave(w *survey.Wave, n *nomenclature.Set) error {
	if err := w.Validate(n); err != nil {
		return err
	}
	if w.Token == "" {
		b := make([]byte, 10)
		rand.Read(b)
		w.Token = strings.ToLower(base32.StdEncoding.WithPadding(base32.NoPadding).EncodeToString(b))
	}
	id, err := tx.insertID(`INSERT INTO survey_wave (ctg_id, audience, kind, day, closes, token) VALUES ($1, $2, $3, $4, $5, $6)`,
		w.CTGID, w.Audience, w.Kind, w.Date, w.Closes, w.Token)
	if err != nil {
		return apperr.Wrap(err, "create wave")
	}
	w.ID = id
	return tx.audit(ActCreate, "survey_wave", id, w.CTGID, w)
}

// AddResponse stores an anonymous answer. The audit row holds no answer and
// no identity, only that a response arrived.
func (tx *Tx) AddResponse(w survey.Wave, r *survey.Response) error {
	if err := r.Validate(w.Audience); err != nil {
		return err
	}
	r.WaveID, r.SubmittedAt = w.ID, tx.Now
	id, err := tx.insertID(`INSERT INTO survey_response (wave_id, submitted_at, comment) VALUES ($1, $2, $3)`,
		w.ID, tx.Now, r.Comment)
	if err != nil {
		return apperr.Wrap(err, "add response")
	}
	r.ID = id
	items := make([]string, 0, len(r.Scores))
	for k := range r.Scores {
		items = append(items, k)
	}
	sort.Strings(items)
	for _, it := range items {
		if err := tx.exec(`INSERT INTO survey_answer (response_id, item, score) VALUES ($1, $2, $3)`, id, it, r.Scores[it]); err != nil {
			return apperr.Wrap(err, "answer")
		}
	}
	if err := countWaveScores(tx.ctx, tx.tx, w.ID); err != nil {
		return err
	}
	return tx.audit(ActCreate, "survey_response", id, w.CTGID, nil)
}

const waveColumns = `id, ctg_id, audience, kind, day, closes, token`

func scanWave(s scanner) (survey.Wave, error) {
	var w survey.Wave
	err := s.Scan(&w.ID, &w.CTGID, &w.Audience, &w.Kind, &w.Date, &w.Closes, &w.Token)
	return w, err
}

func (db *DB) WaveByToken(ctx context.Context, token string) (survey.Wave, error) {
	w, err := scanWave(db.read.QueryRowContext(ctx, `SELECT `+waveColumns+` FROM survey_wave WHERE token = $1`, token))
	return w, notFound(err, msg.ErrNotFound)
}

// WaveStats is a wave with its response count and mean score.
type WaveStats struct {
	survey.Wave
	Responses int
	Mean      float64
}

func (db *DB) Waves(ctx context.Context, ctgID int64) ([]WaveStats, error) {
	var out []WaveStats
	err := each(ctx, db.read, `SELECT w.id, w.ctg_id, w.audience, w.kind, w.day, w.closes, w.token,
		(SELECT COUNT(*) FROM survey_response r WHERE r.wave_id = w.id),
		(SELECT COALESCE(AVG(a.score), 0) FROM survey_answer a JOIN survey_response r ON r.id = a.response_id WHERE r.wave_id = w.id)
		FROM survey_wave w WHERE w.ctg_id = $1 ORDER BY w.audience, w.day`, []any{ctgID}, func(s scanner) error {
		var w WaveStats
		err := s.Scan(&w.ID, &w.CTGID, &w.Audience, &w.Kind, &w.Date, &w.Closes, &w.Token, &w.Responses, &w.Mean)
		out = append(out, w)
		return err
	})
	return out, apperr.Wrap(err, "waves")
}

// countWaveScores recounts the answers of one wave by score, and its
// responses as score 0 (waveID 0: every wave), into wave_score, which the
// survey figures read.
func countWaveScores(ctx context.Context, q querier, waveID int64) error {
	var w where
	if waveID != 0 {
		w.add("wave_id = ?", waveID)
	}
	if _, err := q.ExecContext(ctx, `DELETE FROM wave_score WHERE `+w.String(), w.args...); err != nil {
		return apperr.Wrap(err, "wave scores")
	}
	w = where{}
	if waveID != 0 {
		w.add("r.wave_id = ?", waveID)
	}
	_, err := q.ExecContext(ctx, `INSERT INTO wave_score (wave_id, score, n)
		SELECT r.wave_id, a.score, COUNT(*) FROM survey_answer a JOIN survey_response r ON r.id = a.response_id
		WHERE `+w.String()+` GROUP BY r.wave_id, a.score`, w.args...)
	if err != nil {
		return apperr.Wrap(err, "wave scores")
	}
	// score 0: the responses (answers are scored 1 to 5)
	_, err = q.ExecContext(ctx, `INSERT INTO wave_score (wave_id, score, n)
		SELECT r.wave_id, 0, COUNT(*) FROM survey_response r WHERE `+w.String()+` GROUP BY r.wave_id`, w.args...)
	return apperr.Wrap(err, "wave responses")
}
