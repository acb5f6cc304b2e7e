package store

import (
	"context"
	"fmt"
	"strings"

	"copilote/internal/apperr"
	"copilote/internal/civil"
	"copilote/internal/indicator"
	"copilote/internal/journal"
	"copilote/internal/nomenclature"
)

// What the home pages (web/home*.go) and the Caf and national overviews
// read besides the figures: a few grouped statements each, whatever the
// number of CTGs in scope.

// TargetsOf reads the targets of every CTG in scope in one statement:
// CTG id → its targets (a CTG without any is absent).
func (db *DB) TargetsOf(ctx context.Context, s Scope) (map[int64]indicator.Targets, error) {
	var args []any
	out := map[int64]indicator.Targets{}
	err := each(ctx, db.read, `SELECT ctg_id, indicator, year, value FROM indicator_target WHERE `+s.where("ctg_id", &args),
		args, func(sc scanner) error {
			var id int64
			var t indicator.Target
			err := sc.Scan(&id, &t.Indicator, &t.Year, &t.Value)
			if out[id] == nil {
				out[id] = indicator.Targets{}
			}
			out[id].Add(t)
			return err
		})
	return out, apperr.Wrap(err, "targets of scope")
}

// Copils lists the live Copil meetings of the CTGs in scope dated from
// from to to (zero: unbounded), oldest first.
func (db *DB) Copils(ctx context.Context, s Scope, from, to civil.Date) ([]journal.Record, error) {
	f := RecordFilter{Scope: s, Kind: journal.Reunion, Nature: nomenclature.MeetingCopil, From: from, To: to}
	return db.listRecords(ctx, f.where(), "r.day, r.id", 0, 0)
}

// LastCopil is the latest live Copil meeting of a CTG on or before day
// (nil: none yet).
func (db *DB) LastCopil(ctx context.Context, ctgID int64, day civil.Date) (*journal.Record, error) {
	f := RecordFilter{Scope: Scope{CTGIDs: []int64{ctgID}}, CTGID: ctgID, Kind: journal.Reunion, Nature: nomenclature.MeetingCopil, To: day}
	rs, err := db.listRecords(ctx, f.where(), "r.day DESC, r.id DESC", 1, 0)
	if err != nil || len(rs) == 0 {
		return nil, err
	}
	return &rs[0], nil
}

// OpenAlerts lists the open alerts f selects, the latest recorded first,
// at most limit of them, and how many there are in all.
func (db *DB) OpenAlerts(ctx context.Context, f RecordFilter, limit int) ([]journal.Record, int, error) {
	f.Kind = journal.Alerte
	w := f.where()
	w.add("r.status = ?", "ouverte")
	var total int
	if err := db.read.QueryRowContext(ctx, `SELECT COUNT(*) FROM record r WHERE `+w.String(), w.args...).Scan(&total); err != nil {
		return nil, 0, apperr.Wrap(err, "count open alerts")
	}
	rs, err := db.listRecords(ctx, w, "r.id DESC", limit, 0)
	return rs, total, err
}

// LastUpdates gives the day of each priority fiche's latest progress
// update, for the live priority fiches of the CTGs in scope.
func (db *DB) LastUpdates(ctx context.Context, s Scope) (map[int64]civil.Date, error) {
	var args []any
	out := map[int64]civil.Date{}
	err := each(ctx, db.read, `SELECT u.action_id, MAX(u.day) FROM action_update u JOIN action a ON a.id = u.action_id
		WHERE a.priority AND a.deleted_at IS NULL AND `+s.where("a.ctg_id", &args)+` GROUP BY u.action_id`, args,
		func(sc scanner) error {
			var id int64
			var d civil.Date
			err := sc.Scan(&id, &d)
			out[id] = d
			return err
		})
	return out, apperr.Wrap(err, "last updates")
}

// OpenWaves lists the survey waves of the CTGs in scope that take answers
// on day today, with their responses so far.
func (db *DB) OpenWaves(ctx context.Context, s Scope, today civil.Date) ([]WaveStats, error) {
	args := []any{today}
	var out []WaveStats
	err := each(ctx, db.read, `SELECT `+waveColumns+`, (SELECT COUNT(*) FROM survey_response r WHERE r.wave_id = w.id)
		FROM survey_wave w WHERE w.closed_at IS NULL AND w.day <= $1 AND (w.closes IS NULL OR w.closes >= $1)
		AND `+s.where("w.ctg_id", &args)+` ORDER BY w.ctg_id, w.day, w.id`, args, func(sc scanner) error {
		var v WaveStats
		var err error
		v.Wave, err = scanWave(sc, &v.Responses)
		out = append(out, v)
		return err
	})
	return out, apperr.Wrap(err, "open waves")
}

// KindUse is how often someone records one kind of record (meetings by
// their nature: a Copil is not a veille meeting).
type KindUse struct {
	Kind   journal.Kind
	Nature string // meetings only
	N      int
}

// KindsUsed counts, in CTG ctgID since since, the records of the posts
// posts or written by user userID, by kind (and nature for meetings),
// most used first.
func (db *DB) KindsUsed(ctx context.Context, ctgID int64, posts []int64, userID int64, since civil.Date) ([]KindUse, error) {
	args := []any{ctgID, since, userID}
	by := "r.created_by = $3"
	if len(posts) > 0 {
		by = "(" + by + " OR r.post_id IN (" + placeholders(&args, posts) + "))"
	}
	var out []KindUse
	err := each(ctx, db.read, `SELECT r.kind, CASE WHEN r.kind = 'reunion' THEN r.nature ELSE '' END AS n, COUNT(*) FROM record r
		WHERE r.ctg_id = $1 AND r.day >= $2 AND r.deleted_at IS NULL AND `+by+` GROUP BY r.kind, n ORDER BY COUNT(*) DESC, r.kind, n`,
		args, func(sc scanner) error {
			var u KindUse
			var k string
			err := sc.Scan(&k, &u.Nature, &u.N)
			u.Kind = journal.Kind(k)
			out = append(out, u)
			return err
		})
	return out, apperr.Wrap(err, "kinds used")
}

// EvaluationDue is a post of a CTG whose convention ends within a year (or
// has ended) and that has no validated evaluation yet.
type EvaluationDue struct {
	CTGID   int64
	CTGName string
	End     civil.Date
	PostID  int64
	Person  string
	// Status is the post's latest evaluation's, "" when none was opened.
	Status string
}

// EvaluationsDue lists, for the CTGs in scope whose convention ends on or
// before until, the posts without a validated evaluation, the CTGs ending
// first.
func (db *DB) EvaluationsDue(ctx context.Context, s Scope, until civil.Date) ([]EvaluationDue, error) {
	args := []any{until}
	var out []EvaluationDue
	err := each(ctx, db.read, `SELECT c.id, c.name, c.end_date, p.id, p.person,
		COALESCE((SELECT e.status FROM evaluation e WHERE e.post_id = p.id ORDER BY e.updated_at DESC, e.id DESC LIMIT 1), '')
		FROM ctg c JOIN post p ON p.ctg_id = c.id
		WHERE c.end_date <= $1 AND `+s.where("c.id", &args)+`
		AND NOT EXISTS (SELECT 1 FROM evaluation e WHERE e.post_id = p.id AND e.status = 'validee')
		ORDER BY c.end_date, c.name, p.person`, args, func(sc scanner) error {
		var d EvaluationDue
		err := sc.Scan(&d.CTGID, &d.CTGName, &d.End, &d.PostID, &d.Person, &d.Status)
		out = append(out, d)
		return err
	})
	return out, apperr.Wrap(err, "evaluations due")
}

// Reporting is what the national home says of a CTG: when it last
// recorded, whether it recorded in each of the months asked, and whether
// its figures can be read against targets and surveys.
type Reporting struct {
	CTGID, CafID int64
	Last         civil.Date // latest live record, zero if none
	InMonth      []bool     // a record in each month asked, in order
	Targets      bool       // at least one target set
	Surveys      bool       // an initial and a final wave for each audience
}

// ReportingOf reads Reporting for every CTG in scope: one index probe per
// CTG and month, whatever the number of records.
func (db *DB) ReportingOf(ctx context.Context, s Scope, months []civil.Date) ([]Reporting, error) {
	var args []any
	var cols strings.Builder
	for _, m := range months {
		args = append(args, m, m.AddDate(0, 1, -1))
		fmt.Fprintf(&cols, `, EXISTS (SELECT 1 FROM record r WHERE r.ctg_id = c.id AND r.day BETWEEN %s AND %s AND r.deleted_at IS NULL)`,
			ph(len(args)-1), ph(len(args)))
	}
	q := `SELECT c.id, c.caf_id, (SELECT MAX(r.day) FROM record r WHERE r.ctg_id = c.id AND r.deleted_at IS NULL)` + cols.String() + `,
		EXISTS (SELECT 1 FROM indicator_target t WHERE t.ctg_id = c.id),
		(SELECT COUNT(DISTINCT w.audience || '/' || w.kind) FROM survey_wave w WHERE w.ctg_id = c.id AND w.kind IN ('` + nomenclature.WaveInitial + `', '` + nomenclature.WaveFinal + `'))
		FROM ctg c WHERE ` + s.where("c.id", &args) + ` ORDER BY c.caf_id, c.id`
	var out []Reporting
	err := each(ctx, db.read, q, args, func(sc scanner) error {
		r := Reporting{InMonth: make([]bool, len(months))}
		var waves int
		dest := []any{&r.CTGID, &r.CafID, &r.Last}
		for i := range r.InMonth {
			dest = append(dest, &r.InMonth[i])
		}
		err := sc.Scan(append(dest, &r.Targets, &waves)...)
		r.Surveys = waves >= 4 // initial and final, partners and inhabitants
		out = append(out, r)
		return err
	})
	return out, apperr.Wrap(err, "reporting")
}

// OpenAlertCounts counts the open alerts of each CTG in scope.
func (db *DB) OpenAlertCounts(ctx context.Context, s Scope) (map[int64]int, error) {
	var args []any
	out := map[int64]int{}
	err := each(ctx, db.read, `SELECT r.ctg_id, COUNT(*) FROM record r WHERE r.kind = 'alerte' AND r.status = 'ouverte'
		AND r.deleted_at IS NULL AND `+s.where("r.ctg_id", &args)+` GROUP BY r.ctg_id`, args, func(sc scanner) error {
		var id int64
		var n int
		err := sc.Scan(&id, &n)
		out[id] = n
		return err
	})
	return out, apperr.Wrap(err, "open alert counts")
}
