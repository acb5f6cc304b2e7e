package store

import (
	"context"
	"crypto/rand"
	"database/sql"
	"encoding/base32"
	"sort"
	"strings"

	"copilote/internal/apperr"
	"copilote/internal/civil"
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
	if err := tx.audit(ActCreate, "survey_wave", id, w.CTGID, w); err != nil {
		return err
	}
	return tx.purgeCommentsOf(w.CTGID)
}

// AddResponse stores an anonymous answer as the system (the demo, tests)
// or for the two paths below, which check the wave's dates first. The
// response keeps the day it came (SubmittedAt, when set, is taken as
// that day: the demo backdates its answers), its source, its scores and
// its comment; the audit row holds no answer and no identity, only that
// a response arrived. The wave's counts by score (wave_score, which E32
// and E42 read) are made again from the national answers alone: the
// Caf's own questions are kept in survey_extra_answer, which no figure
// reads.
func (tx *Tx) AddResponse(w survey.Wave, r *survey.Response) error {
	if err := r.Validate(w.Audience); err != nil {
		return err
	}
	if err := tx.lockWave(w.ID); err != nil {
		return err
	}
	at := tx.Now
	if !r.SubmittedAt.IsZero() {
		at = r.SubmittedAt
	}
	r.WaveID, r.SubmittedAt = w.ID, survey.SubmittedDay(at)
	id, err := tx.insertID(`INSERT INTO survey_response (wave_id, submitted_at, comment, source) VALUES ($1, $2, $3, $4)`,
		w.ID, r.SubmittedAt, r.Comment, r.Source)
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
	questions := make([]int64, 0, len(r.Extra))
	for q := range r.Extra {
		questions = append(questions, q)
	}
	sort.Slice(questions, func(i, j int) bool { return questions[i] < questions[j] })
	for _, q := range questions {
		if err := tx.exec(`INSERT INTO survey_extra_answer (response_id, question_id, score) VALUES ($1, $2, $3)`,
			id, q, r.Extra[q]); err != nil {
			return apperr.Wrap(err, "extra answer")
		}
	}
	if err := countWaveScores(tx.ctx, tx.tx, w.ID); err != nil {
		return err
	}
	// an answer through the public link is anonymous: its trace keeps the
	// day only, as the answer does
	if tx.Actor == 0 {
		return tx.auditAt(r.SubmittedAt, ActCreate, "survey_response", id, w.CTGID, map[string]string{"source": r.Source})
	}
	return tx.audit(ActCreate, "survey_response", id, w.CTGID, map[string]string{"source": r.Source})
}

// lockWave makes the writers of one wave's responses wait for each other
// on PostgreSQL, where two instances may write at once: each recounts the
// wave's wave_score rows (delete, then insert from the answers), and two
// recounts side by side would insert the same rows, or count without the
// other's answer. NO KEY UPDATE, as the tallies lock a CTG: a response's
// foreign key holds a key-share lock on its wave, which it leaves alone.
// SQLite has one writer at a time already.
func (tx *Tx) lockWave(id int64) error {
	if tx.db.Engine != Postgres {
		return nil
	}
	var got int64
	err := tx.tx.QueryRowContext(tx.ctx, `SELECT id FROM survey_wave WHERE id = $1 FOR NO KEY UPDATE`, id).Scan(&got)
	return notFound(err, msg.NotFoundWave)
}

// AnswerOnline takes an answer sent through a wave's public link: only
// while the wave is open, to the questions its audience is asked, and
// within the link's limits (survey_throttle.go). address is the client's,
// counted apart under a digest and never stored with the answer. The
// wave is returned, for the page that thanks the respondent.
func (tx *Tx) AnswerOnline(token, address string, r *survey.Response) (survey.Wave, error) {
	w, _, err := tx.waveByToken(token)
	if err != nil {
		return w, err
	}
	// read again once locked: a wave closed meanwhile takes no answer
	if err := tx.lockWave(w.ID); err != nil {
		return w, err
	}
	w, cafID, err := tx.wave(w.CTGID, w.ID)
	if err != nil {
		return w, err
	}
	if err := w.AcceptOnline(survey.Day(tx.Now)); err != nil {
		return w, err
	}
	r.Source, r.SubmittedAt = survey.Online, tx.Now
	if err := tx.checkExtra(cafID, w.Audience, r); err != nil {
		return w, err
	}
	if err := tx.throttle(w, address); err != nil {
		return w, err
	}
	if err := tx.AddResponse(w, r); err != nil {
		return w, err
	}
	return w, tx.purgeComments(cafID)
}

// AddPaperResponse stores an answer an officer types in from a paper
// questionnaire, marked as such: from the wave's opening day on, closed
// or not, since paper comes back after the wave.
func (tx *Tx) AddPaperResponse(ctgID, waveID int64, r *survey.Response) error {
	w, cafID, err := tx.wave(ctgID, waveID)
	if err != nil {
		return err
	}
	if err := w.AcceptPaper(survey.Day(tx.Now)); err != nil {
		return err
	}
	r.Source, r.SubmittedAt = survey.Paper, tx.Now
	if err := tx.checkExtra(cafID, w.Audience, r); err != nil {
		return err
	}
	if err := tx.AddResponse(w, r); err != nil {
		return err
	}
	return tx.purgeComments(cafID)
}

// checkExtra validates the answers to the Caf's own questions against
// those asked today, and the national scores with them, so that the form
// shows every message at once.
func (tx *Tx) checkExtra(cafID int64, audience string, r *survey.Response) error {
	asked, err := surveyQuestions(tx.ctx, tx.tx, cafID, audience, true)
	if err != nil {
		return err
	}
	f := apperr.Fields{}
	for _, e := range []error{r.Validate(audience), r.ValidateExtra(asked)} {
		if e != nil {
			for k, v := range apperr.As(e).Fields {
				f[k] = v
			}
		}
	}
	return f.Err()
}

// CloseWave stops a wave taking online answers before its closing day.
func (tx *Tx) CloseWave(ctgID, waveID int64) error {
	w, _, err := tx.wave(ctgID, waveID)
	if err != nil {
		return err
	}
	if w.StateOn(survey.Day(tx.Now)) == survey.Closed {
		return apperr.New(apperr.Conflict, msg.SurveyAlreadyClosed)
	}
	if err := tx.exec(`UPDATE survey_wave SET closed_at = $1 WHERE id = $2`, tx.Now, w.ID); err != nil {
		return apperr.Wrap(err, "close wave")
	}
	w.ClosedAt = tx.Now
	if err := tx.audit(ActUpdate, "survey_wave", w.ID, ctgID, w); err != nil {
		return err
	}
	return tx.purgeCommentsOf(ctgID)
}

// DeleteWave removes a wave opened by mistake: only while it has no
// response, since one that has answers counts in E32 or E42.
func (tx *Tx) DeleteWave(ctgID, waveID int64) error {
	w, _, err := tx.wave(ctgID, waveID)
	if err != nil {
		return err
	}
	var n int
	if err := tx.tx.QueryRowContext(tx.ctx, `SELECT COUNT(*) FROM survey_response WHERE wave_id = $1`, w.ID).Scan(&n); err != nil {
		return apperr.Wrap(err, "wave responses")
	}
	if n > 0 {
		return apperr.New(apperr.Conflict, msg.SurveyHasResponses)
	}
	for _, q := range []string{`DELETE FROM wave_score WHERE wave_id = $1`, `DELETE FROM survey_throttle WHERE wave_id = $1`,
		`DELETE FROM survey_wave WHERE id = $1`} {
		if err := tx.exec(q, w.ID); err != nil {
			return apperr.Wrap(err, "delete wave")
		}
	}
	return tx.audit(ActDelete, "survey_wave", w.ID, ctgID, w)
}

const waveColumns = `w.id, w.ctg_id, w.audience, w.kind, w.day, w.closes, w.token, w.closed_at`

func scanWave(s scanner, extra ...any) (survey.Wave, error) {
	var w survey.Wave
	var closed sql.NullTime
	err := s.Scan(append([]any{&w.ID, &w.CTGID, &w.Audience, &w.Kind, &w.Date, &w.Closes, &w.Token, &closed}, extra...)...)
	if closed.Valid {
		w.ClosedAt = closed.Time.UTC()
	}
	return w, err
}

// WaveByToken finds the wave of a public link.
func (db *DB) WaveByToken(ctx context.Context, token string) (survey.Wave, error) {
	w, _, err := waveWhere(ctx, db.read, "w.token = $1", token)
	return w, err
}

// Wave is wave id of CTG ctgID; any other answers the 404 of an unknown wave.
func (db *DB) Wave(ctx context.Context, ctgID, id int64) (survey.Wave, error) {
	w, _, err := waveWhere(ctx, db.read, "w.id = $1 AND w.ctg_id = $2", id, ctgID)
	return w, err
}

func (tx *Tx) wave(ctgID, id int64) (survey.Wave, int64, error) {
	return waveWhere(tx.ctx, tx.tx, "w.id = $1 AND w.ctg_id = $2", id, ctgID)
}

func (tx *Tx) waveByToken(token string) (survey.Wave, int64, error) {
	return waveWhere(tx.ctx, tx.tx, "w.token = $1", token)
}

// waveWhere reads one wave with its CTG's Caf.
func waveWhere(ctx context.Context, q querier, cond string, args ...any) (survey.Wave, int64, error) {
	var cafID int64
	w, err := scanWave(q.QueryRowContext(ctx, `SELECT `+waveColumns+`, c.caf_id FROM survey_wave w
		JOIN ctg c ON c.id = w.ctg_id WHERE `+cond, args...), &cafID)
	return w, cafID, notFound(err, msg.NotFoundWave)
}

// Today is the store's day in Europe/Paris: waves open and close by it.
func (db *DB) Today() civil.Date { return survey.Day(db.now()) }

// WaveStats is a wave with its response count (Paper of them typed in
// from paper) and mean score over the national statements.
type WaveStats struct {
	survey.Wave
	Responses int
	Paper     int
	Mean      float64
}

func (db *DB) Waves(ctx context.Context, ctgID int64) ([]WaveStats, error) {
	return db.waveStats(ctx, `w.ctg_id = $2`, []any{survey.Paper, ctgID})
}

// WavesByIDs returns the given waves with their counts (the drill-down of
// E32 and E42 at any scope), in the order of Waves.
func (db *DB) WavesByIDs(ctx context.Context, ids []int64) ([]WaveStats, error) {
	var out []WaveStats
	err := inChunks(ids, func(args []any, marks string) error {
		ws, err := db.waveStats(ctx, `w.id IN (`+shiftPlaceholders(marks, 1)+`)`, append([]any{survey.Paper}, args...))
		out = append(out, ws...)
		return err
	})
	return out, err
}

func (db *DB) waveStats(ctx context.Context, cond string, args []any) ([]WaveStats, error) {
	var out []WaveStats
	err := each(ctx, db.read, `SELECT `+waveColumns+`,
		(SELECT COUNT(*) FROM survey_response r WHERE r.wave_id = w.id),
		(SELECT COUNT(*) FROM survey_response r WHERE r.wave_id = w.id AND r.source = $1),
		(SELECT COALESCE(AVG(a.score), 0) FROM survey_answer a JOIN survey_response r ON r.id = a.response_id WHERE r.wave_id = w.id)
		FROM survey_wave w WHERE `+cond+` ORDER BY w.audience, w.day, w.id`, args, func(s scanner) error {
		var v WaveStats
		var err error
		v.Wave, err = scanWave(s, &v.Responses, &v.Paper, &v.Mean)
		out = append(out, v)
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
