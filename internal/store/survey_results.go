package store

import (
	"context"
	"time"

	"copilote/internal/apperr"
	"copilote/internal/survey"
)

// WaveResults reads what a wave's page reports: responses by source, the
// national statements' answers by score (the wave's mean, as E32 and E42
// take it), the Caf's own questions apart, and the comments the Caf
// still keeps: a comment past its time is never shown, even before the
// next survey write blanks it.
func (db *DB) WaveResults(ctx context.Context, w survey.Wave, cafID int64) (survey.Results, error) {
	res := survey.Results{Wave: w}
	err := each(ctx, db.read, `SELECT source, COUNT(*) FROM survey_response WHERE wave_id = $1 GROUP BY source`,
		[]any{w.ID}, func(s scanner) error {
			var source string
			var n int
			err := s.Scan(&source, &n)
			if source == survey.Paper {
				res.Paper += n
			} else {
				res.Online += n
			}
			return err
		})
	if err != nil {
		return res, apperr.Wrap(err, "wave sources")
	}
	if res.Items, err = db.itemResults(ctx, w); err != nil {
		return res, err
	}
	if res.Extra, err = db.extraResults(ctx, w); err != nil {
		return res, err
	}
	res.Comments, err = db.waveComments(ctx, w, cafID)
	return res, err
}

// itemResults counts the national statements' answers, in questionnaire
// order, every statement listed even without answers.
func (db *DB) itemResults(ctx context.Context, w survey.Wave) ([]survey.ItemResult, error) {
	items := survey.Items[w.Audience]
	out := make([]survey.ItemResult, len(items))
	pos := map[string]int{}
	for i, it := range items {
		out[i] = survey.ItemResult{Code: it.Code, Text: it.Text}
		pos[it.Code] = i
	}
	err := each(ctx, db.read, `SELECT a.item, a.score, COUNT(*) FROM survey_answer a
		JOIN survey_response r ON r.id = a.response_id WHERE r.wave_id = $1 GROUP BY a.item, a.score`,
		[]any{w.ID}, func(s scanner) error {
			var item string
			var score, n int
			err := s.Scan(&item, &score, &n)
			if i, ok := pos[item]; ok && score >= 1 && score <= 5 {
				out[i].Counts[score] = n
			}
			return err
		})
	return out, apperr.Wrap(err, "item results")
}

// extraResults counts the answers to the Caf's questions in this wave.
func (db *DB) extraResults(ctx context.Context, w survey.Wave) ([]survey.ItemResult, error) {
	var out []survey.ItemResult
	pos := map[int64]int{}
	err := each(ctx, db.read, `SELECT q.id, q.text, e.score, COUNT(*) FROM survey_extra_answer e
		JOIN survey_response r ON r.id = e.response_id JOIN survey_question q ON q.id = e.question_id
		WHERE r.wave_id = $1 GROUP BY q.id, q.text, e.score ORDER BY q.id, e.score`,
		[]any{w.ID}, func(s scanner) error {
			var id int64
			var text string
			var score, n int
			if err := s.Scan(&id, &text, &score, &n); err != nil {
				return err
			}
			i, ok := pos[id]
			if !ok {
				i, pos[id] = len(out), len(out)
				out = append(out, survey.ItemResult{QuestionID: id, Text: text})
			}
			if score >= 1 && score <= 5 {
				out[i].Counts[score] = n
			}
			return nil
		})
	return out, apperr.Wrap(err, "extra results")
}

// waveComments lists the wave's comments the Caf still keeps.
func (db *DB) waveComments(ctx context.Context, w survey.Wave, cafID int64) ([]survey.Comment, error) {
	months, err := db.CommentMonths(ctx, cafID)
	if err != nil {
		return nil, err
	}
	wh := &where{}
	wh.add("wave_id = ?", w.ID)
	wh.add("comment <> ''")
	if cutoff := survey.CommentCutoff(db.Today(), months); !cutoff.IsZero() {
		wh.add("submitted_at >= ?", cutoff.Time())
	}
	var out []survey.Comment
	err = each(ctx, db.read, `SELECT submitted_at, source, comment FROM survey_response WHERE `+wh.String()+` ORDER BY id`,
		wh.args, func(s scanner) error {
			var c survey.Comment
			var at time.Time
			err := s.Scan(&at, &c.Source, &c.Text)
			c.Day = at.UTC()
			out = append(out, c)
			return err
		})
	return out, apperr.Wrap(err, "wave comments")
}
