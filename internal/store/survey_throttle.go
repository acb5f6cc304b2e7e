package store

import (
	"crypto/sha256"
	"encoding/hex"

	"copilote/internal/apperr"
	"copilote/internal/msg"
	"copilote/internal/survey"
)

// throttle counts an answer to wave w's link in the current window, for
// the link as a whole and for the client's address, and refuses it past
// either limit. The upsert counts atomically on both engines, so that two
// instances taking answers at once count two. A refused answer rolls its
// counts back with it: the row stays at its limit, and goes on refusing
// until the window ends. The address is kept only as a digest of the link
// and the address, for two windows at most, in a table nothing joins to
// the responses.
func (tx *Tx) throttle(w survey.Wave, address string) error {
	window := tx.Now.Truncate(survey.ThrottleWindow)
	if err := tx.exec(`DELETE FROM survey_throttle WHERE window_start < $1`, window.Add(-survey.ThrottleWindow)); err != nil {
		return apperr.Wrap(err, "purge survey throttle")
	}
	for _, s := range []struct {
		subject string
		limit   int
	}{{"", survey.LinkLimit}, {addressDigest(w.Token, address), survey.AddressLimit}} {
		var n int
		err := tx.tx.QueryRowContext(tx.ctx, `INSERT INTO survey_throttle (wave_id, subject, window_start, n) VALUES ($1, $2, $3, 1)
			ON CONFLICT (wave_id, subject, window_start) DO UPDATE SET n = survey_throttle.n + 1
			RETURNING n`, w.ID, s.subject, window).Scan(&n)
		if err != nil {
			return apperr.Wrap(err, "survey throttle")
		}
		if n > s.limit {
			return apperr.New(apperr.TooMany, msg.SurveyTooMany)
		}
	}
	return nil
}

// addressDigest names a client for one link without naming its address.
func addressDigest(token, address string) string {
	h := sha256.Sum256([]byte("copilote-survey\x00" + token + "\x00" + address))
	return "a:" + hex.EncodeToString(h[:12])
}
