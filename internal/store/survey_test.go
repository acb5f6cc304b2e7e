package store_test

import (
	"slices"
	"strconv"
	"strings"
	"sync"
	"testing"
	"time"

	"copilote/internal/apperr"
	"copilote/internal/civil"
	"copilote/internal/indicator"
	"copilote/internal/nomenclature"
	"copilote/internal/store"
	"copilote/internal/store/storetest"
	"copilote/internal/survey"
)

// surveySite is the fixture's CTG with a clock the test moves.
type surveySite struct {
	t  *testing.T
	db *store.DB
	f  fixture
}

func newSurveySite(t *testing.T, db *store.DB) *surveySite {
	t.Helper()
	return &surveySite{t: t, db: db, f: mustFixture(t, db)}
}

// on sets the store's clock to ten in the morning, Paris time, of day d.
func (s *surveySite) on(d string) {
	paris, _ := time.LoadLocation("Europe/Paris")
	t := civil.MustParse(d).Time()
	at := time.Date(t.Year(), t.Month(), t.Day(), 10, 0, 0, 0, paris)
	s.db.SetClock(func() time.Time { return at })
}

func (s *surveySite) write(fn func(*store.Tx) error) error {
	return s.db.Write(ctx, s.f.user.ID, fn)
}

func (s *surveySite) must(fn func(*store.Tx) error) {
	s.t.Helper()
	if err := s.write(fn); err != nil {
		s.t.Fatal(err)
	}
}

func (s *surveySite) wave(audience, kind, day, closes string) survey.Wave {
	s.t.Helper()
	w := survey.Wave{CTGID: s.f.ctg.ID, Audience: audience, Kind: kind, Date: civil.MustParse(day), Closes: civil.MustParse(closes)}
	s.must(func(tx *store.Tx) error { return tx.CreateWave(&w, nomenclature.Default) })
	return w
}

// answer sends one online answer through the wave's link.
func (s *surveySite) answer(w survey.Wave, address string, r survey.Response) error {
	return s.write(func(tx *store.Tx) error {
		_, err := tx.AnswerOnline(w.Token, address, &r)
		return err
	})
}

func (s *surveySite) mustAnswer(w survey.Wave, r survey.Response) {
	s.t.Helper()
	if err := s.answer(w, "192.0.2.1", r); err != nil {
		s.t.Fatal(err)
	}
}

func (s *surveySite) figure(code string) indicator.Figure {
	s.t.Helper()
	f, err := s.db.Indicator(ctx, indicator.Scope{Kind: indicator.ScopeCTG, CTGID: s.f.ctg.ID},
		indicator.Period{From: s.f.ctg.Start, To: s.f.ctg.End}, code)
	if err != nil {
		s.t.Fatal(err)
	}
	return f
}

func wantCode(t *testing.T, what string, err error, code apperr.Code) {
	t.Helper()
	if apperr.CodeOf(err) != code {
		t.Errorf("%s: %v, want a %s error", what, err, code)
	}
}

// A Caf's own questions are asked, stored and reported, but E32 and the
// waves' means read the national statements only: the final wave's
// extra answers, all 1 where the national ones are 5, would pull its
// mean down if they counted.
func TestSurveyExtraQuestionsStayOutOfE32(t *testing.T) {
	storetest.ForEach(t, func(t *testing.T, db *store.DB) {
		s := newSurveySite(t, db)
		s.on("2024-03-01")
		q := survey.Question{CafID: s.f.caf.ID, Audience: survey.Partners, Text: "  Je connais  le relais petite enfance. "}
		s.must(func(tx *store.Tx) error { return tx.AddSurveyQuestion(&q) })
		if q.Text != "Je connais le relais petite enfance." {
			t.Errorf("question stored as %q", q.Text)
		}
		initial := s.wave(survey.Partners, nomenclature.WaveInitial, "2024-03-01", "2024-03-31")
		s.mustAnswer(initial, survey.Response{Scores: map[string]int{"missions_caf": 2, "moyens": 3}, Extra: map[int64]int{q.ID: 5}})
		s.mustAnswer(initial, survey.Response{Scores: map[string]int{"missions_caf": 3}})
		s.on("2026-10-01")
		final := s.wave(survey.Partners, nomenclature.WaveFinal, "2026-10-01", "2026-10-31")
		s.mustAnswer(final, survey.Response{Scores: map[string]int{"missions_caf": 5, "moyens": 5}, Extra: map[int64]int{q.ID: 1}})
		s.mustAnswer(final, survey.Response{Scores: map[string]int{"missions_caf": 4}, Extra: map[int64]int{q.ID: 1}})

		// national answers only: initial (2+3+3)/3, final (5+5+4)/3
		want := 14.0/3 - 8.0/3
		e32 := s.figure(indicator.E32)
		if e32.Value == nil || *e32.Value != float64(int(want*100+0.5))/100 {
			t.Errorf("E32 = %v, want %.2f from the national statements alone", e32.Value, want)
		}
		if len(e32.Waves) != 2 || *e32.Waves[1].Mean != 4.67 || e32.Waves[1].Distribution[1] != 0 || e32.Waves[1].Responses != 2 {
			t.Errorf("E32's final wave = %+v, want mean 4.67, no answer scored 1, 2 responses", e32.Waves[1])
		}
		waves, err := db.Waves(ctx, s.f.ctg.ID)
		if err != nil {
			t.Fatal(err)
		}
		for _, w := range waves {
			if w.ID == final.ID && (w.Mean < 4.66 || w.Mean > 4.67) {
				t.Errorf("the final wave's listed mean is %v, want 14/3", w.Mean)
			}
		}
		res, err := db.WaveResults(ctx, final, s.f.caf.ID)
		if err != nil {
			t.Fatal(err)
		}
		if len(res.Extra) != 1 || res.Extra[0].QuestionID != q.ID || res.Extra[0].Counts[1] != 2 {
			t.Errorf("the Caf question's results = %+v, want its two answers scored 1", res.Extra)
		}
		if m, _ := survey.Mean(res.Overall()); m != 14.0/3 {
			t.Errorf("the results page's mean = %v, want 14/3", m)
		}
		// a question of another audience, or unknown, is refused
		err = s.answer(final, "192.0.2.9", survey.Response{Scores: map[string]int{"moyens": 4}, Extra: map[int64]int{q.ID + 99: 3}})
		wantCode(t, "an answer to an unknown question", err, apperr.Invalid)
		// retired, a question is no longer asked, and its answers stay
		s.must(func(tx *store.Tx) error { return tx.RetireSurveyQuestion(s.f.caf.ID, q.ID) })
		err = s.answer(final, "192.0.2.9", survey.Response{Scores: map[string]int{"moyens": 4}, Extra: map[int64]int{q.ID: 3}})
		wantCode(t, "an answer to a retired question", err, apperr.Invalid)
		if res, _ := db.WaveResults(ctx, final, s.f.caf.ID); len(res.Extra) != 1 {
			t.Errorf("a retired question's answers went: %+v", res.Extra)
		}
	})
}

// A Caf asks at most survey.MaxQuestions questions of its own per
// audience, so that the paper questionnaire holds on one page.
func TestSurveyQuestionsLimit(t *testing.T) {
	storetest.ForEach(t, func(t *testing.T, db *store.DB) {
		s := newSurveySite(t, db)
		for i := range survey.MaxQuestions {
			q := survey.Question{CafID: s.f.caf.ID, Audience: survey.Residents, Text: "Question " + string(rune('A'+i))}
			s.must(func(tx *store.Tx) error { return tx.AddSurveyQuestion(&q) })
		}
		q := survey.Question{CafID: s.f.caf.ID, Audience: survey.Residents, Text: "Une de trop"}
		wantCode(t, "a question past the limit", s.write(func(tx *store.Tx) error { return tx.AddSurveyQuestion(&q) }), apperr.Conflict)
		q.Audience = survey.Partners
		if err := s.write(func(tx *store.Tx) error { return tx.AddSurveyQuestion(&q) }); err != nil {
			t.Errorf("the other audience's first question: %v", err)
		}
	})
}

// Online answers are taken from the opening day to the closing day, both
// included, and not once the wave is closed early; paper answers from
// the opening day on, closed or not.
func TestSurveyAnswersOnlyWithinTheWaveDates(t *testing.T) {
	storetest.ForEach(t, func(t *testing.T, db *store.DB) {
		s := newSurveySite(t, db)
		s.on("2025-05-01")
		w := s.wave(survey.Residents, nomenclature.WaveInitial, "2025-05-05", "2025-05-15")
		r := survey.Response{Scores: map[string]int{"services": 4}}
		paper := func() error {
			return s.write(func(tx *store.Tx) error { r := r; return tx.AddPaperResponse(s.f.ctg.ID, w.ID, &r) })
		}
		for _, c := range []struct {
			day  string
			code apperr.Code
		}{{"2025-05-04", apperr.Conflict}, {"2025-05-05", ""}, {"2025-05-15", ""}, {"2025-05-16", apperr.Conflict}} {
			s.on(c.day)
			err := s.answer(w, "192.0.2.1", r)
			if c.code == "" && err != nil {
				t.Errorf("answer on %s: %v", c.day, err)
			} else if c.code != "" {
				wantCode(t, "answer on "+c.day, err, c.code)
			}
		}
		s.on("2025-05-04")
		wantCode(t, "paper answer before the opening day", paper(), apperr.Conflict)
		s.on("2025-06-20")
		if err := paper(); err != nil {
			t.Errorf("paper answer after the closing day: %v", err)
		}
		early := s.wave(survey.Residents, nomenclature.WaveFinal, "2025-06-20", "2025-07-20")
		s.mustAnswer(early, r)
		s.must(func(tx *store.Tx) error { return tx.CloseWave(s.f.ctg.ID, early.ID) })
		err := s.answer(early, "192.0.2.1", r)
		wantCode(t, "answer to a wave closed early", err, apperr.Conflict)
		if !strings.Contains(apperr.As(err).Message(), "20/06/2025") {
			t.Errorf("refusal says %q, want the day it closed", apperr.As(err).Message())
		}
		wantCode(t, "closing it again", s.write(func(tx *store.Tx) error { return tx.CloseWave(s.f.ctg.ID, early.ID) }), apperr.Conflict)
		waves, _ := db.Waves(ctx, s.f.ctg.ID)
		if len(waves) != 2 || waves[0].Responses != 3 || waves[0].Paper != 1 || waves[1].Responses != 1 {
			t.Errorf("waves = %+v, want 3 responses (1 paper), then 1", waves)
		}
	})
}

// One link takes at most survey.AddressLimit answers per window from one
// client address and survey.LinkLimit from all; a refused answer is not
// stored; the next window takes answers again; the counts hold digests
// only, and live two windows.
func TestSurveyRateLimit(t *testing.T) {
	for _, e := range storetest.Engines {
		t.Run(string(e), func(t *testing.T) {
			d := mustRawDB(t, e)
			s := newSurveySite(t, d.DB)
			s.on("2025-05-05")
			w := s.wave(survey.Partners, nomenclature.WaveInitial, "2025-05-05", "2025-05-30")
			r := survey.Response{Scores: map[string]int{"moyens": 3}}
			for i := range survey.AddressLimit {
				if err := s.answer(w, "198.51.100.7", r); err != nil {
					t.Fatalf("answer %d from one address: %v", i+1, err)
				}
			}
			wantCode(t, "one answer too many from one address", s.answer(w, "198.51.100.7", r), apperr.TooMany)
			for i := survey.AddressLimit; i < survey.LinkLimit; i++ {
				if err := s.answer(w, "203.0.113."+strconv.Itoa(i), r); err != nil {
					t.Fatalf("answer %d to the link: %v", i+1, err)
				}
			}
			wantCode(t, "one answer too many to the link", s.answer(w, "192.0.2.200", r), apperr.TooMany)
			if n := d.int(t, `SELECT COUNT(*) FROM survey_response WHERE wave_id = $1`, w.ID); n != int64(survey.LinkLimit) {
				t.Errorf("%d responses stored, want the %d taken", n, survey.LinkLimit)
			}
			if n := d.int(t, `SELECT COUNT(*) FROM survey_throttle WHERE subject LIKE '%198.51%' OR subject LIKE '%203.0%'`); n != 0 {
				t.Errorf("%d throttle rows name an address", n)
			}
			other := s.wave(survey.Residents, nomenclature.WaveInitial, "2025-05-05", "2025-05-30")
			if err := s.answer(other, "198.51.100.7", survey.Response{Scores: map[string]int{"aides": 3}}); err != nil {
				t.Errorf("another link, same address: %v", err)
			}
			paris, _ := time.LoadLocation("Europe/Paris")
			later := time.Date(2025, 5, 5, 10, 0, 0, 0, paris).Add(survey.ThrottleWindow)
			s.db.SetClock(func() time.Time { return later })
			if err := s.answer(w, "198.51.100.7", r); err != nil {
				t.Errorf("an answer in the next window: %v", err)
			}
			s.db.SetClock(func() time.Time { return later.Add(2 * survey.ThrottleWindow) })
			if err := s.answer(w, "192.0.2.1", r); err != nil {
				t.Fatal(err)
			}
			if n := d.int(t, `SELECT COUNT(*) FROM survey_throttle WHERE window_start < $1`, later.Add(survey.ThrottleWindow).UTC()); n != 0 {
				t.Errorf("%d throttle rows outlived two windows", n)
			}
		})
	}
}

// A response holds its wave, its day, its source, its scores and its
// comment, nothing else: no address, no cookie, no e-mail, no instant
// that a log could match; and its audit row names no one.
func TestSurveyResponseStoresNothingIdentifying(t *testing.T) {
	for _, e := range storetest.Engines {
		t.Run(string(e), func(t *testing.T) {
			d := mustRawDB(t, e)
			s := newSurveySite(t, d.DB)
			s.on("2025-05-05")
			w := s.wave(survey.Partners, nomenclature.WaveInitial, "2025-05-05", "2025-05-30")
			q := survey.Question{CafID: s.f.caf.ID, Audience: survey.Partners, Text: "Je lis la lettre de la CTG."}
			s.must(func(tx *store.Tx) error { return tx.AddSurveyQuestion(&q) })
			if err := s.db.Write(ctx, 0, func(tx *store.Tx) error {
				r := survey.Response{Scores: map[string]int{"moyens": 4}, Extra: map[int64]int{q.ID: 2}, Comment: "Très utile."}
				_, err := tx.AnswerOnline(w.Token, "198.51.100.77", &r)
				return err
			}); err != nil {
				t.Fatal(err)
			}
			for table, want := range map[string][]string{
				"survey_response":     {"id", "wave_id", "submitted_at", "comment", "source"},
				"survey_answer":       {"response_id", "item", "score"},
				"survey_extra_answer": {"response_id", "question_id", "score"},
			} {
				if got := columns(t, d, e, table); !slices.Equal(got, want) {
					t.Errorf("%s has columns %v, want only %v", table, got, want)
				}
			}
			var at time.Time
			if err := d.raw.QueryRowContext(ctx, `SELECT submitted_at FROM survey_response`).Scan(&at); err != nil {
				t.Fatal(err)
			}
			if got := at.UTC(); !got.Equal(time.Date(2025, 5, 5, 0, 0, 0, 0, time.UTC)) {
				t.Errorf("submitted_at = %v, want the day only", got)
			}
			var detail string
			var user any
			var audited time.Time
			if err := d.raw.QueryRowContext(ctx, `SELECT detail, user_id, at FROM audit WHERE entity = 'survey_response'`).Scan(&detail, &user, &audited); err != nil {
				t.Fatal(err)
			}
			if user != nil || strings.Contains(detail, "198.51") || strings.Contains(detail, "utile") {
				t.Errorf("audit of an online answer: user %v, detail %s", user, detail)
			}
			// its instant, beside a proxy's log, would name the address
			if got := audited.UTC(); !got.Equal(time.Date(2025, 5, 5, 0, 0, 0, 0, time.UTC)) {
				t.Errorf("audit of an online answer at %v, want the day only", got)
			}
			if n := d.int(t, `SELECT COUNT(*) FROM audit WHERE detail LIKE '%198.51%'`); n != 0 {
				t.Errorf("%d audit rows hold the address", n)
			}
		})
	}
}

// columns lists a table's columns in their order, on either engine.
func columns(t *testing.T, d rawDB, e store.Engine, table string) []string {
	t.Helper()
	q := `SELECT name FROM pragma_table_info($1) ORDER BY cid`
	if e == store.Postgres {
		q = `SELECT column_name FROM information_schema.columns WHERE table_schema = current_schema() AND table_name = $1
			ORDER BY ordinal_position`
	}
	var out []string
	rows, err := d.raw.QueryContext(ctx, q, table)
	if err != nil {
		t.Fatal(err)
	}
	defer rows.Close()
	for rows.Next() {
		var c string
		if err := rows.Scan(&c); err != nil {
			t.Fatal(err)
		}
		out = append(out, c)
	}
	return out
}

// Paper answers are stored as such, and count like online ones.
func TestSurveyPaperAnswersAreMarked(t *testing.T) {
	for _, e := range storetest.Engines {
		t.Run(string(e), func(t *testing.T) {
			d := mustRawDB(t, e)
			s := newSurveySite(t, d.DB)
			s.on("2025-05-05")
			w := s.wave(survey.Residents, nomenclature.WaveInitial, "2025-05-05", "2025-05-30")
			s.mustAnswer(w, survey.Response{Scores: map[string]int{"services": 2}})
			s.must(func(tx *store.Tx) error {
				r := survey.Response{Scores: map[string]int{"services": 4, "aides": 5}, Comment: "Écrit à la main."}
				return tx.AddPaperResponse(s.f.ctg.ID, w.ID, &r)
			})
			if n := d.int(t, `SELECT COUNT(*) FROM survey_response WHERE source = 'papier'`); n != 1 {
				t.Errorf("%d paper responses stored, want 1", n)
			}
			res, err := d.WaveResults(ctx, w, s.f.caf.ID)
			if err != nil {
				t.Fatal(err)
			}
			if res.Online != 1 || res.Paper != 1 || len(res.Comments) != 1 || res.Comments[0].Source != survey.Paper {
				t.Errorf("results: %d online, %d paper, comments %+v", res.Online, res.Paper, res.Comments)
			}
			if m, _ := survey.Mean(res.Overall()); m != 11.0/3 {
				t.Errorf("mean %v, want the paper answers counted: 11/3", m)
			}
			// a wave of another CTG is not reached through this one
			wantCode(t, "paper answer through another CTG", s.write(func(tx *store.Tx) error {
				r := survey.Response{Scores: map[string]int{"services": 4}}
				return tx.AddPaperResponse(s.f.ctg.ID+1, w.ID, &r)
			}), apperr.NotFound)
		})
	}
}

// A Caf that keeps comments six months: an older comment is never shown,
// is blanked by the next survey write of the Caf (an answer here), and by
// the command for every Caf; the scores stay.
func TestSurveyCommentPurge(t *testing.T) {
	for _, e := range storetest.Engines {
		t.Run(string(e), func(t *testing.T) {
			d := mustRawDB(t, e)
			s := newSurveySite(t, d.DB)
			s.on("2025-01-10")
			w := s.wave(survey.Partners, nomenclature.WaveInitial, "2025-01-10", "2025-12-31")
			s.must(func(tx *store.Tx) error { return tx.SetCommentMonths(s.f.caf.ID, 6) })
			s.mustAnswer(w, survey.Response{Scores: map[string]int{"moyens": 2}, Comment: "Ancien commentaire."})
			s.on("2025-06-01")
			s.mustAnswer(w, survey.Response{Scores: map[string]int{"moyens": 3}, Comment: "Commentaire récent."})
			comments := func() []string {
				res, err := d.WaveResults(ctx, w, s.f.caf.ID)
				if err != nil {
					t.Fatal(err)
				}
				var out []string
				for _, c := range res.Comments {
					out = append(out, c.Text)
				}
				return out
			}
			if got := comments(); len(got) != 2 {
				t.Errorf("comments within six months: %v", got)
			}
			s.on("2025-07-11") // the first comment is six months and a day old
			if got := comments(); !slices.Equal(got, []string{"Commentaire récent."}) {
				t.Errorf("comments shown after six months: %v", got)
			}
			if n := d.int(t, `SELECT COUNT(*) FROM survey_response WHERE comment <> ''`); n != 2 {
				t.Fatalf("%d comments stored before any write, want 2 (the purge has not run)", n)
			}
			s.mustAnswer(w, survey.Response{Scores: map[string]int{"moyens": 4}})
			if n := d.int(t, `SELECT COUNT(*) FROM survey_response WHERE comment = 'Ancien commentaire.'`); n != 0 {
				t.Errorf("the old comment outlived the next answer")
			}
			if n := d.int(t, `SELECT COUNT(*) FROM survey_response WHERE wave_id = $1`, w.ID); n != 3 {
				t.Errorf("%d responses left, want the 3 (comments go, scores stay)", n)
			}
			if n := d.int(t, `SELECT COUNT(*) FROM audit WHERE action = 'purge' AND entity = 'survey_comment'`); n != 1 {
				t.Errorf("%d purge audit rows, want 1", n)
			}
			// the command, months later, with no survey write in between
			s.on("2026-01-01")
			n, err := d.PurgeSurveyComments(ctx)
			if err != nil || n != 1 {
				t.Errorf("purge command: %d comments, %v; want the recent one", n, err)
			}
			if n := d.int(t, `SELECT COUNT(*) FROM survey_response WHERE comment <> ''`); n != 0 {
				t.Errorf("%d comments left after the command", n)
			}
			s.must(func(tx *store.Tx) error { return tx.SetCommentMonths(s.f.caf.ID, 0) })
			wantCode(t, "a negative setting", s.write(func(tx *store.Tx) error { return tx.SetCommentMonths(s.f.caf.ID, -1) }), apperr.Invalid)
		})
	}
}

// A wave opened by mistake can be deleted while it has no response, and
// not after.
func TestSurveyDeleteWave(t *testing.T) {
	storetest.ForEach(t, func(t *testing.T, db *store.DB) {
		s := newSurveySite(t, db)
		s.on("2025-05-05")
		empty := s.wave(survey.Partners, nomenclature.WaveInitial, "2025-05-05", "2025-05-30")
		answered := s.wave(survey.Partners, nomenclature.WaveFinal, "2025-05-05", "2025-05-30")
		s.mustAnswer(answered, survey.Response{Scores: map[string]int{"moyens": 4}})
		s.must(func(tx *store.Tx) error { return tx.DeleteWave(s.f.ctg.ID, empty.ID) })
		wantCode(t, "deleting an answered wave", s.write(func(tx *store.Tx) error { return tx.DeleteWave(s.f.ctg.ID, answered.ID) }), apperr.Conflict)
		if _, err := db.WaveByToken(ctx, empty.Token); apperr.CodeOf(err) != apperr.NotFound {
			t.Errorf("deleted wave still found: %v", err)
		}
		if e32 := s.figure(indicator.E32); len(e32.Waves) != 1 || e32.Waves[0].Responses != 1 {
			t.Errorf("E32 waves after the delete: %+v", e32.Waves)
		}
	})
}

// The exchange format carries what the browser surveys add: a Caf's
// questions and comment setting, a wave closed early, paper answers and
// answers to the Caf's questions; an answer to a question the wave's Caf
// does not ask is refused, naming its field.
func TestSurveyExchange(t *testing.T) {
	storetest.ForEach(t, func(t *testing.T, db *store.DB) {
		s := newSurveySite(t, db)
		s.on("2025-05-05")
		q := survey.Question{CafID: s.f.caf.ID, Audience: survey.Residents, Text: "Je lis la lettre de la CTG."}
		s.must(func(tx *store.Tx) error { return tx.AddSurveyQuestion(&q) })
		s.must(func(tx *store.Tx) error { return tx.SetCommentMonths(s.f.caf.ID, 12) })
		w := s.wave(survey.Residents, nomenclature.WaveInitial, "2025-05-05", "2025-05-30")
		s.mustAnswer(w, survey.Response{Scores: map[string]int{"services": 2}, Extra: map[int64]int{q.ID: 4}, Comment: "En ligne."})
		s.must(func(tx *store.Tx) error {
			r := survey.Response{Scores: map[string]int{"aides": 5}, Comment: "Sur papier."}
			return tx.AddPaperResponse(s.f.ctg.ID, w.ID, &r)
		})
		s.must(func(tx *store.Tx) error { return tx.CloseWave(s.f.ctg.ID, w.ID) })
		doc := mustExportDoc(t, db, 0)
		for _, want := range []string{`"survey_comment_months":12`, `"survey_questions":[{"id":` + strconv.FormatInt(q.ID, 10),
			`"closed_at":"2025-05-05T08:00:00Z"`, `"source":"papier"`, `"extra":{"` + strconv.FormatInt(q.ID, 10) + `":4}`} {
			if !strings.Contains(string(doc), want) {
				t.Errorf("export lacks %s", want)
			}
		}
		other := storetest.Open(t, db.Engine)
		mustImportDoc(t, other, doc)
		sameDoc(t, "surveys imported", doc, mustExportDoc(t, other, 0))
		broken := strings.Replace(string(doc), `"extra":{"`+strconv.FormatInt(q.ID, 10)+`"`, `"extra":{"999"`, 1)
		_, err := storetest.Open(t, db.Engine).Import(ctx, strings.NewReader(broken), nil)
		if err == nil || !strings.Contains(err.Error(), "extra.999") {
			t.Errorf("an answer to an unknown question: %v", err)
		}
	})
}

// Two instances on one database take answers to one link at once, from
// one address: between them they take exactly survey.AddressLimit, the
// count being the database's, not an instance's.
func TestSurveyRateLimitAcrossInstances(t *testing.T) {
	for _, e := range storetest.Engines {
		t.Run(string(e), func(t *testing.T) {
			dsn := storetest.DSN(t, e)
			var instances [2]*store.DB
			for i := range instances {
				db, err := store.Open(ctx, dsn)
				if err != nil {
					t.Fatal(err)
				}
				t.Cleanup(func() { db.Close() })
				if err := db.Migrate(ctx); err != nil {
					t.Fatal(err)
				}
				instances[i] = db
			}
			s := newSurveySite(t, instances[0])
			today := instances[0].Today().String()
			w := s.wave(survey.Partners, nomenclature.WaveInitial, today, today)
			const tries = 3 * survey.AddressLimit
			results := make(chan error, tries)
			var wg sync.WaitGroup
			for i := range tries {
				wg.Add(1)
				go func() {
					defer wg.Done()
					results <- instances[i%2].Write(ctx, 0, func(tx *store.Tx) error {
						r := survey.Response{Scores: map[string]int{"moyens": 1 + i%5}}
						_, err := tx.AnswerOnline(w.Token, "198.51.100.7", &r)
						return err
					})
				}()
			}
			wg.Wait()
			close(results)
			taken, refused := 0, 0
			for err := range results {
				switch apperr.CodeOf(err) {
				case apperr.TooMany:
					refused++
				default:
					if err != nil {
						t.Errorf("answer: %v", err)
					} else {
						taken++
					}
				}
			}
			waves, _ := instances[1].Waves(ctx, s.f.ctg.ID)
			if taken != survey.AddressLimit || refused != tries-survey.AddressLimit || waves[0].Responses != taken {
				t.Errorf("%d answers taken, %d refused, %d stored; want %d taken", taken, refused, waves[0].Responses, survey.AddressLimit)
			}
		})
	}
}

// Paper answers typed at once into one wave through two instances all
// land, and the wave's counts by score (wave_score, which E32 reads) stay
// exact: each response recounts its wave, one after the other.
func TestSurveyConcurrentAnswersKeepCountsExact(t *testing.T) {
	for _, e := range storetest.Engines {
		t.Run(string(e), func(t *testing.T) {
			dsn := storetest.DSN(t, e)
			var instances [2]*store.DB
			for i := range instances {
				db, err := store.Open(ctx, dsn)
				if err != nil {
					t.Fatal(err)
				}
				t.Cleanup(func() { db.Close() })
				if err := db.Migrate(ctx); err != nil {
					t.Fatal(err)
				}
				instances[i] = db
			}
			s := newSurveySite(t, instances[0])
			w := s.wave(survey.Partners, nomenclature.WaveInitial, "2024-03-01", "2024-03-31")
			const n = 24
			errs := make(chan error, n)
			var wg sync.WaitGroup
			for i := range n {
				wg.Add(1)
				go func() {
					defer wg.Done()
					errs <- instances[i%2].Write(ctx, s.f.user.ID, func(tx *store.Tx) error {
						r := survey.Response{Scores: map[string]int{"moyens": 1 + i%5, "missions_caf": 5}}
						return tx.AddPaperResponse(s.f.ctg.ID, w.ID, &r)
					})
				}()
			}
			wg.Wait()
			close(errs)
			for err := range errs {
				if err != nil {
					t.Errorf("paper answer: %v", err)
				}
			}
			e32, err := instances[1].Indicator(ctx, indicator.Scope{Kind: indicator.ScopeCTG, CTGID: s.f.ctg.ID},
				indicator.Period{From: s.f.ctg.Start, To: s.f.ctg.End}, indicator.E32)
			if err != nil {
				t.Fatal(err)
			}
			sum := 0
			for _, c := range e32.Waves[0].Distribution {
				sum += c
			}
			if e32.Waves[0].Responses != n || sum != 2*n || e32.Waves[0].Distribution[5] != n+n/5 {
				t.Errorf("E32's wave after %d concurrent answers: %+v", n, e32.Waves[0])
			}
		})
	}
}
