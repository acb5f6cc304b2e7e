package store

import (
	"context"
	"maps"
	"slices"
	"time"

	"copilote/internal/apperr"
	"copilote/internal/civil"
	"copilote/internal/indicator"
	"copilote/internal/msg"
)

// This file keeps the counts behind the indicators (migration 0003) so that
// a figure reads a few rows instead of scanning the records: at national
// scale a scan costs seconds, the goal is milliseconds.
//
// A write marks what it touched (a CTG and a range of days, some
// partners); before the commit the marked months are recounted from the
// records with the very selections the engine uses for the drill-down,
// then years and Cafs are summed from the months, so the counting rules
// stay written once. A write that changes records only adds the
// difference of what they count in, read with the same selections
// (tally_delta.go).
//
// Several app instances on PostgreSQL: the recount locks the CTG's row
// (then the Caf's) first, so two writers of one CTG recount one after the
// other, the second seeing the first one's committed records.

// Scopes of the tally rows.
const (
	tallyPost = "p"
	tallyCTG  = "c"
	tallyCaf  = "f"
)

// dimBy names the main breakdown's rows; the figure itself has dim "".
const dimBy = "by"

// The convention bucket holds a CTG's and its posts' counts over the CTG's
// convention, the period its Copil and the evaluation read most: a
// convention from July to July would otherwise read fifteen buckets and
// an edge day. It is summed from the month and year rows and the edge
// days (counted first into edgeBucket, a scratch bucket emptied at once)
// each time the CTG is written or its dates change.
const (
	conventionBucket = 0
	edgeBucket       = -1
)

// talliedCodes count records (or progress updates) per scope, summed over
// CTGs at Caf scope. presenceCodes count distinct partners, kept per
// partner; E31 reads partner_first; the surveys are read as they are.
var (
	talliedCodes = []string{indicator.S11a, indicator.S11b, indicator.E11, indicator.S12a, indicator.S12b,
		indicator.E12, indicator.S21b, indicator.E21, indicator.S22, indicator.E22, indicator.S31, indicator.S32b,
		indicator.S41, indicator.E41, indicator.S42}
	presenceCodes = []string{indicator.S21a, indicator.S32a}
)

// allTime is the widest period the tallies cover; four-digit years keep
// month buckets (yyyymm) apart from year buckets (yyyy).
var allTime = indicator.Period{From: civil.New(1000, time.January, 1), To: civil.New(9999, time.December, 31)}

func monthBucket(d civil.Date) int { return d.Year*100 + int(d.Month) }

// bucketStart and bucketEnd are the first and last day of a month or year bucket.
func bucketStart(b int) civil.Date {
	if b < 10000 {
		return civil.New(b, time.January, 1)
	}
	return civil.New(b/100, time.Month(b%100), 1)
}

func bucketEnd(b int) civil.Date {
	if b < 10000 {
		return civil.New(b, time.December, 31)
	}
	return bucketStart(b).AddDate(0, 1, -1)
}

// splitPeriod covers p with whole years and whole months, largest first;
// mid is the part they cover (ok false when no whole month fits). The days
// of p outside mid are counted from the records.
func splitPeriod(p indicator.Period) (buckets []int, mid indicator.Period, ok bool) {
	d := p.From
	if d.Day != 1 {
		d = civil.New(d.Year, d.Month, 1).AddDate(0, 1, 0)
	}
	for {
		switch {
		case d.Month == time.January && !bucketEnd(d.Year).After(p.To):
			buckets = append(buckets, d.Year)
			d = civil.New(d.Year+1, time.January, 1)
		case !bucketEnd(monthBucket(d)).After(p.To):
			buckets = append(buckets, monthBucket(d))
			d = d.AddDate(0, 1, 0)
		default:
			if len(buckets) == 0 {
				return nil, indicator.Period{}, false
			}
			return buckets, indicator.Period{From: bucketStart(buckets[0]), To: d.AddDays(-1)}, true
		}
	}
}

// dirtySpan is what a transaction touched in one CTG: a range of days and
// the partners whose first involvement may have moved.
type dirtySpan struct {
	from, to civil.Date
	partners map[int64]bool
	// convention: the CTG's dates changed, so its convention bucket is
	// counted again whole, partner rows included
	convention bool
	// recount: something else than records without partners changed, so
	// the days are counted again; otherwise counts holds the difference
	// the records' changes make (tally_delta.go)
	recount bool
	counts  map[counted]int64
	records int // counts taken
	// sums: a Caf's rows' share of its CTGs' differences
	sums map[tallyKey]int64
}

// touchConvention marks a CTG whose convention dates may have changed.
func (tx *Tx) touchConvention(ctgID int64) {
	tx.touch(ctgID)
	tx.dirty[ctgID].convention = true
}

// touch marks days of a CTG for recounting before the commit.
func (tx *Tx) touch(ctgID int64, days ...civil.Date) {
	s := tx.span(ctgID)
	s.recount = true
	s.widen(days...)
}

// span is what the transaction touched in a CTG so far.
func (tx *Tx) span(ctgID int64) *dirtySpan {
	if tx.dirty == nil {
		tx.dirty = map[int64]*dirtySpan{}
	}
	s := tx.dirty[ctgID]
	if s == nil {
		s = &dirtySpan{partners: map[int64]bool{}}
		tx.dirty[ctgID] = s
	}
	return s
}

// widen extends the span to the days.
func (s *dirtySpan) widen(days ...civil.Date) {
	for _, d := range days {
		if d.IsZero() {
			continue
		}
		if s.from.IsZero() || d.Before(s.from) {
			s.from = d
		}
		if s.to.IsZero() || d.After(s.to) {
			s.to = d
		}
	}
}

func (tx *Tx) touchPartners(ctgID int64, ids ...int64) {
	tx.touch(ctgID)
	for _, id := range ids {
		tx.dirty[ctgID].partners[id] = true
	}
}

// touchRecord marks what a record counts in as it stands in the
// transaction: called before a change with sign -1 and after it with 1
// (a new record: after only), it covers both states and, when no partner
// is linked, counts their difference.
func (tx *Tx) touchRecord(id int64, sign int64) error {
	var ctgID int64
	var day, taken civil.Date
	err := tx.tx.QueryRowContext(tx.ctx, `SELECT ctg_id, day, taken_on FROM record WHERE id = $1`, id).
		Scan(&ctgID, &day, &taken)
	if err != nil {
		return apperr.Wrap(notFound(err, msg.NotFoundRecord), "touch record")
	}
	// a record counts in the years of its day and of its taking into
	// account: as it was and as it becomes, neither may be closed
	if err := tx.mustBeOpen(ctgID, day, taken); err != nil {
		return err
	}
	s := tx.span(ctgID)
	s.widen(day, taken)
	var partners []int64
	err = each(tx.ctx, tx.tx, `SELECT partner_id FROM record_partner WHERE record_id = $1`, []any{id}, func(s scanner) error {
		var p int64
		err := s.Scan(&p)
		partners = append(partners, p)
		return err
	})
	if err != nil {
		return apperr.Wrap(err, "touch record partners")
	}
	if len(partners) > 0 {
		// partners count distinct partners and their first records: the
		// CTG is counted again
		tx.touchPartners(ctgID, partners...)
		return nil
	}
	if s.recount {
		return nil
	}
	return tx.countRecord(ctgID, id, sign)
}

// touchAction marks the days of a fiche's progress updates (S12a counts
// the updates of live fiches, by the fiche's axis).
func (tx *Tx) touchAction(id int64) error {
	var ctgID int64
	var from, to civil.Date
	err := tx.tx.QueryRowContext(tx.ctx, `SELECT a.ctg_id, MIN(u.day), MAX(u.day)
		FROM action a LEFT JOIN action_update u ON u.action_id = a.id WHERE a.id = $1 GROUP BY a.ctg_id`, id).
		Scan(&ctgID, &from, &to)
	if err != nil {
		return apperr.Wrap(notFound(err, msg.NotFoundAction), "touch action")
	}
	tx.touch(ctgID, from, to)
	return nil
}

// touchPartner marks every CTG where a partner's records lie.
func (tx *Tx) touchPartner(id int64) error {
	type span struct {
		ctg      int64
		from, to civil.Date
	}
	var spans []span
	err := each(tx.ctx, tx.tx, `SELECT r.ctg_id, MIN(r.day), MAX(r.day) FROM record r
		JOIN record_partner rp ON rp.record_id = r.id WHERE rp.partner_id = $1 GROUP BY r.ctg_id`, []any{id},
		func(s scanner) error {
			var sp span
			err := s.Scan(&sp.ctg, &sp.from, &sp.to)
			spans = append(spans, sp)
			return err
		})
	for _, sp := range spans {
		tx.touch(sp.ctg, sp.from, sp.to)
		tx.touchPartners(sp.ctg, id)
	}
	return apperr.Wrap(err, "touch partner")
}

// touchPartnerType marks the CTGs where a partner's records lie: their
// convention buckets count partners by type.
func (tx *Tx) touchPartnerType(id int64) error {
	var ctgs []int64
	err := each(tx.ctx, tx.tx, `SELECT DISTINCT r.ctg_id FROM record r JOIN record_partner rp ON rp.record_id = r.id
		WHERE rp.partner_id = $1`, []any{id}, func(s scanner) error {
		var c int64
		err := s.Scan(&c)
		ctgs = append(ctgs, c)
		return err
	})
	for _, c := range ctgs {
		tx.touch(c)
	}
	return apperr.Wrap(err, "touch partner type")
}

// settle recounts what the transaction touched; Write calls it before the
// commit. CTGs are locked in id order, then their Cafs: every writer takes
// its locks in that order, so two writers never wait on each other in a
// circle.
func (tx *Tx) settle() error {
	if len(tx.dirty) == 0 {
		return nil
	}
	t := tallier{ctx: tx.ctx, q: tx.tx, engine: tx.db.Engine}
	cafs := map[int64]*dirtySpan{}
	for _, id := range slices.Sorted(maps.Keys(tx.dirty)) {
		s := tx.dirty[id]
		var caf int64
		var conv indicator.Period
		err := t.lock("ctg", id, `SELECT caf_id, start_date, end_date FROM ctg WHERE id = $1`, &caf, &conv.From, &conv.To)
		if err != nil {
			return err
		}
		c := cafs[caf]
		if c == nil {
			c = &dirtySpan{partners: map[int64]bool{}}
			cafs[caf] = c
		}
		maps.Copy(c.partners, s.partners)
		if !s.from.IsZero() {
			// a Caf recounted for another CTG covers this one's days too
			if c.from.IsZero() {
				c.from, c.to = s.from, s.to
			}
			c.from, c.to = civil.Earlier(c.from, s.from), civil.Later(c.to, s.to)
		}
		if !s.recount {
			if c.sums == nil {
				c.sums = map[tallyKey]int64{}
			}
			diff := map[tallyKey]int64{}
			bucketsOf(s.counts, conv, caf, diff, c.sums)
			if err := t.addCounts(diff); err != nil {
				return err
			}
			continue
		}
		c.recount = true
		t.samePartners = len(s.partners) == 0 && !s.convention
		if !s.from.IsZero() {
			if err := t.countCTG(id, s.from, s.to); err != nil {
				return err
			}
		}
		if len(s.partners) > 0 {
			if err := t.firsts(id, slices.Sorted(maps.Keys(s.partners))); err != nil {
				return err
			}
		}
		if err := t.countConvention(id); err != nil {
			return err
		}
	}
	for _, id := range slices.Sorted(maps.Keys(cafs)) {
		var caf int64
		if err := t.lock("caf", id, `SELECT id FROM caf WHERE id = $1`, &caf); err != nil {
			return err
		}
		c := cafs[id]
		if !c.recount {
			if err := t.addCounts(c.sums); err != nil {
				return err
			}
			continue
		}
		t.samePartners = len(c.partners) == 0
		if !c.from.IsZero() {
			if err := t.sumCaf(id, c.from, c.to); err != nil {
				return err
			}
		}
		// a partner's masks change only if a record linking it changed:
		// every such write marked the partner (touchRecord, touchPartner)
		if len(c.partners) > 0 {
			if err := t.masks(id, slices.Sorted(maps.Keys(c.partners))); err != nil {
				return err
			}
		}
	}
	tx.dirty = nil
	return nil
}

// tallier recounts tallies inside a transaction: an application write
// (Tx), an import or a bulk load.
type tallier struct {
	ctx    context.Context
	q      querier
	engine Engine
	// samePartners: no record linking a partner changed, so the partner
	// rows (tally_partner) stand as they are and are not counted again: a
	// partner's rows come only from the records that link it, and every
	// change to one marks its partners (touchRecord, touchPartner). It
	// was a third of the recount of a write at 10 M records.
	samePartners bool
	// fresh: the tables are new and empty, nothing to clear before a sum
	// (without their keys, clearing read the whole table)
	fresh bool
	// trace, when set, is told of each statement and step of a recount
	// and how long it took (migrate --recount --steps).
	trace func(what string, d time.Duration)
}

// tables are the tally tables a recount writes.
func (t tallier) tables() []string {
	if t.samePartners {
		return []string{"tally"}
	}
	return []string{"tally", "tally_partner"}
}

// lock reads one id-keyed row of table into dest, locking it on
// PostgreSQL until the commit (SQLite's single writer already serialises
// transactions).
func (t tallier) lock(table string, id int64, query string, dest ...any) error {
	if t.engine == Postgres {
		// NO KEY UPDATE, not UPDATE: a record's foreign key holds a KEY
		// SHARE lock on its CTG (and a partner's on its Caf) from its
		// insert on; UPDATE conflicts with it, so two writers of one CTG
		// each waited for the other's share lock (deadlock), while NO
		// KEY UPDATE lets the second wait for the first's commit only
		query += " FOR NO KEY UPDATE"
	}
	err := t.q.QueryRowContext(t.ctx, query, id).Scan(dest...)
	return apperr.Wrap(err, "lock "+table)
}

// monthOf is the month bucket (yyyymm) of a DATE expression.
func (t tallier) monthOf(expr string) string {
	if t.engine == Postgres {
		return "CAST(to_char(" + expr + ", 'YYYYMM') AS INTEGER)"
	}
	// SQLite keeps dates as text starting with YYYY-MM
	return "CAST(substr(" + expr + ", 1, 4) || substr(" + expr + ", 6, 2) AS INTEGER)"
}

// bucketOf is the bucket rows dated by expr are counted in: their month,
// or the fixed bucket when it is not "".
func (t tallier) bucketOf(expr, bucket string) string {
	if bucket != "" {
		return "CAST(" + bucket + " AS INTEGER)"
	}
	return t.monthOf(expr)
}

func (t tallier) exec(what, query string, args ...any) error {
	start := time.Now()
	_, err := t.q.ExecContext(t.ctx, query, args...)
	observeTally(what, time.Since(start))
	if t.trace != nil {
		t.trace(what, time.Since(start))
	}
	return apperr.Wrap(err, "tally: "+what)
}

// observeTally is told how long each tally statement took: a probe timing
// a recount sets it (a profile of SQLite shows the statements' work, not
// which statement did it).
var observeTally = func(what string, d time.Duration) {}

// factScope builds the selections without scope: every CTG, every post.
var factScope = indicatorScope{Scope: indicator.Scope{Kind: indicator.ScopeAll}}

// source is one breakdown of one tallied indicator: its rows are the
// selection's, its key an expression over them or a fixed word.
type source struct {
	code, dim string
	sel       selection
	key       string // expression; "" for the figure itself
	fixed     string // key word when key is ""
}

// sources lists every breakdown the tally keeps over the days of p, built
// from the engine's own selections.
func sources(p indicator.Period) []source {
	var out []source
	for _, code := range talliedCodes {
		sel := selections[code](factScope, p)
		out = append(out, source{code: code, sel: sel})
		if sel.key != "" {
			out = append(out, source{code: code, dim: dimBy, sel: sel, key: sel.key})
		}
		for _, name := range slices.Sorted(maps.Keys(sel.other)) {
			out = append(out, source{code: code, dim: name, sel: sel, key: sel.other[name]})
		}
		for _, name := range slices.Sorted(maps.Keys(sel.beside)) {
			for _, k := range slices.Sorted(maps.Keys(sel.beside[name])) {
				out = append(out, source{code: code, dim: name, sel: sel.beside[name][k], fixed: k})
			}
		}
	}
	return out
}

// inCTG is a selection's conditions, restricted to one CTG (0: all). The
// days are the selection's own period: a second range on the day would
// lead SQLite to the (ctg_id, day) index instead of (ctg_id, kind, day).
func inCTG(sel selection, ctgID int64) where {
	w := where{conds: slices.Clone(sel.where.conds), args: slices.Clone(sel.where.args)}
	if ctgID != 0 {
		w.add(sel.ctg+" = ?", ctgID)
	}
	return w
}

// countCTG recounts the months from..to (widened to whole months) of one
// CTG (0: every CTG), for the CTG and its posts, then their years.
func (t tallier) countCTG(ctgID int64, from, to civil.Date) error {
	from, to = civil.New(from.Year, from.Month, 1), bucketEnd(monthBucket(to))
	m1, m2, y1, y2 := monthBucket(from), monthBucket(to), from.Year, to.Year
	for _, table := range t.tables() {
		for _, scope := range []string{tallyCTG, tallyPost} {
			// one statement per range: an OR of ranges defeats the index
			for _, r := range [][2]int{{m1, m2}, {y1, y2}} {
				w, err := t.scopeRows(scope, ctgID)
				if err != nil {
					return err
				}
				w.add("bucket BETWEEN ? AND ?", r[0], r[1])
				if err := t.exec("clear", `DELETE FROM `+table+` WHERE `+w.String(), w.args...); err != nil {
					return err
				}
			}
		}
	}
	days := indicator.Period{From: from, To: to}
	if err := t.countDays(ctgID, days, ""); err != nil {
		return err
	}
	for _, table := range t.tables() {
		for _, scope := range []string{tallyCTG, tallyPost} {
			if err := t.sumYears(table, scope, ctgID, y1, y2); err != nil {
				return err
			}
		}
	}
	return nil
}

// countDays writes the rows of one CTG (0: every CTG) and its posts over
// the days, per month, or all in one bucket when bucket is not "".
func (t tallier) countDays(ctgID int64, days indicator.Period, bucket string) error {
	for _, src := range sources(days) {
		for _, scope := range []string{tallyCTG, tallyPost} {
			if err := t.countSource(src, scope, ctgID, bucket); err != nil {
				return err
			}
		}
	}
	for _, code := range presenceCodes {
		if t.samePartners {
			break
		}
		sel := selections[code](factScope, days)
		for _, scope := range []string{tallyCTG, tallyPost} {
			if err := t.countPartners(code, sel, scope, ctgID, bucket); err != nil {
				return err
			}
		}
	}
	return nil
}

// countConvention rebuilds the convention bucket of a CTG and its posts
// from their month and year rows and from the records of the edge days.
func (t tallier) countConvention(ctgID int64) error {
	var conv indicator.Period
	err := t.q.QueryRowContext(t.ctx, `SELECT start_date, end_date FROM ctg WHERE id = $1`, ctgID).Scan(&conv.From, &conv.To)
	if err != nil {
		return apperr.Wrap(err, "tally: convention")
	}
	buckets, mid, whole := splitPeriod(conv)
	edges := periodEdges(conv, mid, whole)
	s := indicatorScope{Scope: indicator.Scope{Kind: indicator.ScopeCTG, CTGID: ctgID}, ctgID: ctgID}
	counted := false
	for _, e := range edges {
		dated, err := datedIn(t.ctx, t.q, s, e)
		if err != nil {
			return err
		}
		if dated {
			if err := t.countDays(ctgID, e, itoa(edgeBucket)); err != nil {
				return err
			}
			counted = true
		}
	}
	if counted {
		buckets = append(buckets, edgeBucket)
	}
	// the rows of the CTG and of its posts, the posts listed once
	scopes := map[string]where{}
	for _, scope := range []string{tallyCTG, tallyPost} {
		w, err := t.scopeRows(scope, ctgID)
		if err != nil {
			return err
		}
		scopes[scope] = w
	}
	for _, table := range t.tables() {
		cols := tallyColumns[table]
		for _, scope := range []string{tallyCTG, tallyPost} {
			w := where{conds: slices.Clone(scopes[scope].conds), args: slices.Clone(scopes[scope].args)}
			clear := where{conds: slices.Clone(w.conds), args: slices.Clone(w.args)}
			clear.add("bucket = ?", conventionBucket)
			if err := t.exec("clear convention", `DELETE FROM `+table+` WHERE `+clear.String(), clear.args...); err != nil {
				return err
			}
			if len(buckets) == 0 {
				continue
			}
			sum := where{conds: slices.Clone(w.conds), args: slices.Clone(w.args)}
			inBuckets(&sum, "", buckets)
			err := t.exec("convention", `INSERT INTO `+table+` (scope, scope_id, bucket, `+cols+`, n)
				SELECT scope, scope_id, CAST(`+sum.param(conventionBucket)+` AS INTEGER), `+cols+`, SUM(n) FROM `+table+`
				WHERE `+sum.String()+` GROUP BY scope, scope_id, `+cols, sum.args...)
			if err != nil {
				return err
			}
			if counted {
				w.add("bucket = ?", edgeBucket)
				if err := t.exec("clear edges", `DELETE FROM `+table+` WHERE `+w.String(), w.args...); err != nil {
					return err
				}
			}
		}
	}
	return t.conventionPartners(ctgID, conv, scopes)
}

// conventionPartners writes the partner figures of the convention bucket
// by partner type, as tally rows: a CTG's figures over its convention then
// read one statement, with no join of its partners (PostgreSQL spent 3 ms
// there). S21a and S32a count the bucket's partner rows, E31 the partners
// whose first record in the CTG lies in the convention. A partner's type
// is read here, so changing it marks its CTGs (touchPartnerType).
func (t tallier) conventionPartners(ctgID int64, conv indicator.Period, scopes map[string]where) error {
	for _, scope := range []string{tallyCTG, tallyPost} {
		w := where{conds: slices.Clone(scopes[scope].conds), args: slices.Clone(scopes[scope].args)}
		w.add("tp.bucket = ?", conventionBucket)
		by := w.param(dimBy)
		err := t.exec("convention partners", `INSERT INTO tally (scope, scope_id, bucket, code, dim, key, n)
			SELECT scope, scope_id, bucket, code, CAST(`+by+` AS TEXT), pt.type, COUNT(*)
			FROM tally_partner tp JOIN partner pt ON pt.id = tp.partner_id WHERE `+w.String()+`
			GROUP BY scope, scope_id, bucket, code, pt.type`, w.args...)
		if err != nil {
			return err
		}
		var f where
		sc, b, code, dim := f.param(scope), f.param(conventionBucket), f.param(indicator.E31), f.param(dimBy)
		firsts := func(holder, join string) string {
			var w where
			w.args = f.args
			w.add("f.ctg_id = ?", ctgID)
			w.add("f.day BETWEEN ? AND ?", conv.From, conv.To)
			f.args = w.args
			return `SELECT f.partner_id, ` + holder + ` AS holder FROM partner_first f ` + join + ` WHERE ` + w.String()
		}
		// a post holds the partners of the first records it wrote and of
		// the first meetings it had a role in (rule 2), each once
		var src string
		if scope == tallyPost {
			src = firsts("f.post_id", "") + ` UNION ` + firsts("m.post_id", "JOIN meeting_role m ON m.record_id = f.record_id")
		} else {
			src = firsts("f.ctg_id", "")
		}
		err = t.exec("convention new partners", `INSERT INTO tally (scope, scope_id, bucket, code, dim, key, n)
			SELECT CAST(`+sc+` AS TEXT), pf.holder, CAST(`+b+` AS INTEGER), CAST(`+code+` AS TEXT), CAST(`+dim+` AS TEXT),
			pt.type, COUNT(*) FROM (`+src+`) pf JOIN partner pt ON pt.id = pf.partner_id
			GROUP BY pf.holder, pt.type`, f.args...)
		if err != nil {
			return err
		}
	}
	return nil
}

// scopeRows selects the tally rows of one CTG's scope (0: every CTG). A
// CTG's posts are named by their ids: with a subquery SQLite walks every
// post's rows of the table (0.4 s a write at 10 M records).
func (t tallier) scopeRows(scope string, ctgID int64) (where, error) {
	var w where
	w.add("scope = ?", scope)
	switch {
	case ctgID == 0:
	case scope == tallyPost:
		var posts []int64
		err := each(t.ctx, t.q, `SELECT id FROM post WHERE ctg_id = $1 ORDER BY id`, []any{ctgID}, func(s scanner) error {
			var id int64
			err := s.Scan(&id)
			posts = append(posts, id)
			return err
		})
		if err != nil {
			return w, apperr.Wrap(err, "tally: posts")
		}
		if len(posts) == 0 {
			posts = []int64{0} // no post: no row
		}
		w.raw(func(args *[]any) string { return "scope_id IN (" + placeholders(args, posts) + ")" })
	default:
		w.add("scope_id = ?", ctgID)
	}
	return w, nil
}

// countSource writes one breakdown's month rows for a CTG or its posts.
func (t tallier) countSource(src source, scope string, ctgID int64, bucket string) error {
	sel := src.sel
	col, tables := sel.ctg, sel.from
	if scope == tallyPost {
		col = sel.post
	}
	w := inCTG(sel, ctgID)
	month := t.bucketOf(sel.day, bucket)
	key, group := src.key, col+", "+month+", "+src.key
	if src.key == "" {
		// every parameter must appear in the statement: PostgreSQL types them by use
		key, group = "CAST("+w.param(src.fixed)+" AS TEXT)", col+", "+month
	}
	q := `INSERT INTO tally (scope, scope_id, bucket, code, dim, key, n)
		SELECT CAST(` + w.param(scope) + ` AS TEXT), ` + col + `, ` + month + `, CAST(` + w.param(src.code) +
		` AS TEXT), CAST(` + w.param(src.dim) + ` AS TEXT), ` + key + `, COUNT(DISTINCT ` + sel.id + `)
		FROM ` + tables + ` WHERE ` + w.String() + ` GROUP BY ` + group
	return t.exec("count "+src.code, q, w.args...)
}

// countPartners writes the month rows of a partner indicator for a CTG or
// its posts. At post scope a meeting counts for its author and for every
// post with a role in it (S21a): the rows of both are united, the
// conditions written once and their arguments shared.
func (t tallier) countPartners(code string, sel selection, scope string, ctgID int64, bucket string) error {
	w := inCTG(sel, ctgID)
	cond, month := w.String(), t.bucketOf(sel.day, bucket)
	rows := `SELECT ` + sel.ctg + ` AS holder, ` + month + ` AS bucket, ` + sel.id + ` AS pid FROM ` + sel.from + ` WHERE ` + cond
	if scope == tallyPost {
		rows = `SELECT ` + sel.post + ` AS holder, ` + month + ` AS bucket, ` + sel.id + ` AS pid FROM ` + sel.from + ` WHERE ` + cond
		if sel.rolePosts {
			rows += ` UNION ALL SELECT mr.post_id, ` + month + `, ` + sel.id + ` FROM ` + sel.from +
				` JOIN meeting_role mr ON mr.record_id = r.id WHERE ` + cond
		}
	}
	q := `INSERT INTO tally_partner (scope, scope_id, code, bucket, partner_id, n)
		SELECT CAST(` + w.param(scope) + ` AS TEXT), holder, CAST(` + w.param(code) + ` AS TEXT), bucket, pid, COUNT(*)
		FROM (` + rows + `) x GROUP BY holder, bucket, pid`
	return t.exec("count partners "+code, q, w.args...)
}

// tallyColumns are the columns a table's rows are summed by, besides
// scope, scope id and bucket.
var tallyColumns = map[string]string{"tally": "code, dim, key", "tally_partner": "code, partner_id"}

// sumYears rebuilds the year rows y1..y2 from the month rows.
func (t tallier) sumYears(table, scope string, ctgID int64, y1, y2 int) error {
	cols := tallyColumns[table]
	w, err := t.scopeRows(scope, ctgID)
	if err != nil {
		return err
	}
	w.add("bucket BETWEEN ? AND ?", y1*100, y2*100+99)
	return t.exec("years", `INSERT INTO `+table+` (scope, scope_id, bucket, `+cols+`, n)
		SELECT scope, scope_id, bucket / 100, `+cols+`, SUM(n) FROM `+table+` WHERE `+w.String()+`
		GROUP BY scope, scope_id, bucket / 100, `+cols, w.args...)
}

// sumCaf rebuilds a Caf's rows (0: every Caf) over the months and years
// of from..to from its CTGs' rows: CTGs add up (rule 3), and a partner's
// rows merge into one per bucket.
func (t tallier) sumCaf(cafID int64, from, to civil.Date) error {
	for _, table := range t.tables() {
		cols := tallyColumns[table]
		// one statement per range: an OR of ranges defeats the index
		for _, r := range [][2]int{{monthBucket(from), monthBucket(to)}, {from.Year, to.Year}} {
			var clear where
			clear.add("scope = ?", tallyCaf)
			if cafID != 0 {
				clear.add("scope_id = ?", cafID)
			}
			clear.add("bucket BETWEEN ? AND ?", r[0], r[1])
			if !t.fresh {
				if err := t.exec("clear caf", `DELETE FROM `+table+` WHERE `+clear.String(), clear.args...); err != nil {
					return err
				}
			}
			var w where
			w.add("t.scope = ?", tallyCTG)
			if cafID != 0 {
				w.add("c.caf_id = ?", cafID)
			}
			w.add("t.bucket BETWEEN ? AND ?", r[0], r[1])
			err := t.exec("caf", `INSERT INTO `+table+` (scope, scope_id, bucket, `+cols+`, n)
				SELECT CAST(`+w.param(tallyCaf)+` AS TEXT), c.caf_id, t.bucket, `+prefixed("t.", cols)+`, SUM(t.n)
				FROM `+table+` t JOIN ctg c ON c.id = t.scope_id WHERE `+w.String()+`
				GROUP BY c.caf_id, t.bucket, `+prefixed("t.", cols), w.args...)
			if err != nil {
				return err
			}
		}
	}
	return nil
}

// Years a partner mask can hold: bit y - maskBase of a BIGINT.
const (
	maskBase = 2000
	maskLast = maskBase + 62
)

// masks rebuilds the partner masks of a Caf (0: every Caf) and of the
// given partners (nil: all) from the Caf's partner rows: S21a and S32a
// from tally_partner, E31 from partner_first. A partner's buckets are
// distinct powers of two, so their sum is their OR.
func (t tallier) masks(cafID int64, partners []int64) error {
	var clear where
	if cafID != 0 {
		clear.add("caf_id = ?", cafID)
	}
	if partners != nil {
		clear.raw(func(args *[]any) string { return "partner_id IN (" + placeholders(args, partners) + ")" })
	}
	if err := t.exec("clear masks", `DELETE FROM partner_mask WHERE `+clear.String(), clear.args...); err != nil {
		return err
	}
	// rows (caf, code, partner, month bucket) of the Caf's partner counts
	var w where
	w.add("scope = ?", tallyCaf)
	if cafID != 0 {
		w.add("scope_id = ?", cafID)
	}
	w.add("bucket >= 100000")
	if partners != nil {
		w.raw(func(args *[]any) string { return "partner_id IN (" + placeholders(args, partners) + ")" })
	}
	presence := `SELECT scope_id AS caf, code, partner_id AS pid, bucket AS m FROM tally_partner WHERE ` + w.String()
	args := w.args
	var f where
	f.args = slices.Clone(args)
	if cafID != 0 {
		f.add("c.caf_id = ?", cafID)
	}
	if partners != nil {
		f.raw(func(args *[]any) string { return "pf.partner_id IN (" + placeholders(args, partners) + ")" })
	}
	firsts := `SELECT c.caf_id, CAST(` + f.param(indicator.E31) + ` AS TEXT), pf.partner_id, ` + t.monthOf("pf.day") +
		` FROM partner_first pf JOIN ctg c ON c.id = pf.ctg_id WHERE ` + f.String()
	rows := `(` + presence + ` UNION ALL ` + firsts + `) x`
	bit := func(expr string) string { return `CAST(SUM(DISTINCT CAST(1 AS BIGINT) << (` + expr + `)) AS BIGINT)` }
	if err := t.exec("month masks", `INSERT INTO partner_mask (caf_id, code, year, partner_id, mask)
		SELECT caf, code, m / 100, pid, `+bit("m % 100 - 1")+` FROM `+rows+` GROUP BY caf, code, m / 100, pid`,
		f.args...); err != nil {
		return err
	}
	y := ph(len(f.args)+1) + ` AND ` + ph(len(f.args)+2)
	return t.exec("year masks", `INSERT INTO partner_mask (caf_id, code, year, partner_id, mask)
		SELECT caf, code, 0, pid, `+bit("m / 100 - "+itoa(maskBase))+` FROM `+rows+`
		WHERE m / 100 BETWEEN `+y+` GROUP BY caf, code, pid`, append(f.args, maskBase, maskLast)...)
}

// firsts recomputes the first live record of the given partners (nil: all)
// in one CTG (0: every CTG): E31's new partners.
func (t tallier) firsts(ctgID int64, partners []int64) error {
	var clear, w where
	if ctgID != 0 {
		clear.add("ctg_id = ?", ctgID)
		w.add("r.ctg_id = ?", ctgID)
	}
	if partners != nil {
		clear.raw(func(args *[]any) string { return "partner_id IN (" + placeholders(args, partners) + ")" })
		w.raw(func(args *[]any) string { return "rp.partner_id IN (" + placeholders(args, partners) + ")" })
	}
	w.add("r.deleted_at IS NULL")
	if err := t.exec("clear firsts", `DELETE FROM partner_first WHERE `+clear.String(), clear.args...); err != nil {
		return err
	}
	return t.exec("firsts", `INSERT INTO partner_first (ctg_id, partner_id, record_id, post_id, day)
		SELECT ctg_id, partner_id, id, post_id, day FROM (SELECT r.ctg_id, rp.partner_id, r.id, r.post_id, r.day,
			ROW_NUMBER() OVER (PARTITION BY rp.partner_id, r.ctg_id ORDER BY r.day, r.id) AS n
			FROM record_partner rp JOIN record r ON r.id = rp.record_id WHERE `+w.String()+`) f WHERE n = 1`, w.args...)
}
