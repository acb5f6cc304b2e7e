package store

import (
	"context"
	"fmt"
	"slices"
	"strings"
	"sync"

	"copilote/internal/apperr"
	"copilote/internal/ctg"
	"copilote/internal/framework"
	"copilote/internal/indicator"
	"copilote/internal/journal"
	"copilote/internal/msg"
	"copilote/internal/nomenclature"
	"copilote/internal/survey"
)

// This file computes the catalogue's figures from the records, following
// DOMAIN.md's counting rules. Each indicator is a selection: the rows
// behind the figure written as SQL parts; the value counts their distinct
// ids and each breakdown groups the same rows by a key, so that a figure,
// its breakdowns and its drill-down can never disagree.
//
// Scopes (rules 2 and 3): a CTG counts its distinct records once. Caf and
// national scopes simply count over all their CTGs, which adds up the CTG
// counts because a record belongs to one CTG; the partner indicators count
// distinct partners over the whole scope instead. At post scope the post's
// condition depends on the indicator (author, role in a meeting, author of
// a progress update), so each selection adds it itself.

// indicatorScope is an indicator.Scope checked against the database.
type indicatorScope struct {
	indicator.Scope
	ctgID int64    // post and CTG scopes
	cafID int64    // Caf scope
	post  ctg.Post // post scope
	// convention is the CTG's period at post and CTG scopes: its figures
	// read the convention bucket of the tallies.
	convention indicator.Period
}

func (db *DB) resolveIndicatorScope(ctx context.Context, s indicator.Scope) (indicatorScope, error) {
	if err := s.Validate(); err != nil {
		return indicatorScope{}, err
	}
	r := indicatorScope{Scope: s}
	var err error
	switch s.Kind {
	case indicator.ScopePost:
		if r.post, err = db.Post(ctx, s.PostID); err != nil {
			return r, err
		}
		r.ctgID = r.post.CTGID
		err = db.read.QueryRowContext(ctx, `SELECT start_date, end_date FROM ctg WHERE id = $1`, r.ctgID).
			Scan(&r.convention.From, &r.convention.To)
		err = apperr.Wrap(err, "post ctg")
	case indicator.ScopeCTG:
		err = db.read.QueryRowContext(ctx, `SELECT id, start_date, end_date FROM ctg WHERE id = $1`, s.CTGID).
			Scan(&r.ctgID, &r.convention.From, &r.convention.To)
		err = notFound(err, msg.NotFoundCTG)
	case indicator.ScopeCaf:
		var c ctg.Caf
		c, err = db.CafByCode(ctx, s.CafCode)
		r.cafID = c.ID
	}
	return r, err
}

// catalogue lists what the scope shows: a post only the indicators of its
// delegated functions, S11a only for a chef de projet (rule 2).
func (s indicatorScope) catalogue() []framework.Indicator {
	if s.Kind == indicator.ScopePost {
		return framework.Load().IndicatorsOf(s.post.Functions, s.post.ChefDeProjet)
	}
	return framework.Load().Indicators()
}

func (s indicatorScope) shows(code string) bool {
	return slices.ContainsFunc(s.catalogue(), func(in framework.Indicator) bool { return in.Code == code })
}

// ctgs keeps the rows whose CTG column col lies in the scope.
func (s indicatorScope) ctgs(w *where, col string) {
	switch s.Kind {
	case indicator.ScopePost, indicator.ScopeCTG:
		w.add(col+" = ?", s.ctgID)
	case indicator.ScopeCaf:
		w.add(col+" IN (SELECT id FROM ctg WHERE caf_id = ?)", s.cafID)
	}
}

// ctgCond is ctgs as a condition and its arguments, for subqueries.
func (s indicatorScope) ctgCond(col string) (string, []any) {
	switch s.Kind {
	case indicator.ScopePost, indicator.ScopeCTG:
		return col + " = ?", []any{s.ctgID}
	case indicator.ScopeCaf:
		return col + " IN (SELECT id FROM ctg WHERE caf_id = ?)", []any{s.cafID}
	}
	return "TRUE", nil
}

// byPost keeps, at post scope only, the rows whose post column col is the
// post: the author of a record or of an update, or the holder of a role.
func (s indicatorScope) byPost(w *where, col string) {
	if s.Kind == indicator.ScopePost {
		w.add(col+" = ?", s.post.ID)
	}
}

// attended keeps, at post scope, the records r the post wrote or, for
// meetings, had any role in (rule 2: "for meetings the meetings where it
// had a role").
func (s indicatorScope) attended(w *where) {
	if s.Kind == indicator.ScopePost {
		postsRecord(w, "r.post_id", "r.id", s.post.ID)
	}
}

// postsRecord keeps the rows whose record (id in column record, author in
// column author) is one of post's: written by it, or a meeting where it
// had a role.
func postsRecord(w *where, author, record string, post int64) {
	w.add(`(`+author+` = ? OR EXISTS (SELECT 1 FROM meeting_role m WHERE m.record_id = `+record+` AND m.post_id = ?))`,
		post, post)
}

// selection is the rows behind one figure.
type selection struct {
	idsOf string // what id is (indicator.IDsRecords…)
	from  string
	where where
	id    string // the counted id
	key   string // expression of the main breakdown's key, "" if none
	// other maps a secondary breakdown to its key over the same rows.
	other map[string]string
	// beside maps a breakdown to named selections of other rows, each
	// counted whole (E41's either-one counts).
	beside map[string]map[string]selection
	// value replaces COUNT(DISTINCT id) when the figure counts something
	// else than its drill-down ids (S12a counts axes, lists updates).
	value string
	// The columns the tallies group the rows by: their CTG, their author
	// post and the day that dates them (rule 4).
	ctg, post, day string
	// rolePosts: at post scope a row also counts for the posts with a role
	// in its meeting (S21a).
	rolePosts bool
}

func (sel *selection) tail(w *where) string { return " FROM " + sel.from + " WHERE " + w.String() }

// records selects the live records of one kind in the scope's CTGs (rule
// 7: a deleted record counts nowhere).
func records(s indicatorScope, kind journal.Kind) selection {
	sel := selection{idsOf: indicator.IDsRecords, from: "record r", id: "r.id", ctg: "r.ctg_id", post: "r.post_id", day: "r.day"}
	sel.where.add("r.deleted_at IS NULL")
	sel.where.add("r.kind = ?", string(kind))
	s.ctgs(&sel.where, "r.ctg_id")
	return sel
}

// authored selects the records of one kind dated in the period; at post
// scope, those the post wrote.
func authored(s indicatorScope, p indicator.Period, kind journal.Kind, key string) selection {
	sel := records(s, kind)
	sel.where.add("r.day BETWEEN ? AND ?", p.From, p.To)
	s.byPost(&sel.where, "r.post_id")
	sel.key = key
	return sel
}

// withPartners turns a selection of records into one of the distinct
// partners they link, broken down by partner type.
func withPartners(sel selection) selection {
	sel.from += " JOIN record_partner rp ON rp.record_id = r.id JOIN partner pa ON pa.id = rp.partner_id"
	sel.idsOf, sel.id, sel.key = indicator.IDsPartners, "pa.id", "pa.type"
	return sel
}

// meetingRoles selects the meetings of one nature in the period through
// their roles (alias mr); at post scope only the post's own roles count,
// whoever wrote the record.
func meetingRoles(s indicatorScope, p indicator.Period, nature string) selection {
	sel := records(s, journal.Reunion)
	sel.from = "record r JOIN meeting_role mr ON mr.record_id = r.id"
	sel.where.add("r.nature = ?", nature)
	sel.where.add("r.day BETWEEN ? AND ?", p.From, p.To)
	s.byPost(&sel.where, "mr.post_id")
	sel.post = "mr.post_id"
	return sel
}

// subjects selects the subjects of the given origins that reached "prise
// en compte" in the period: the date is when they were taken into account,
// not when they were noted (rule 4).
func subjects(s indicatorScope, p indicator.Period, origins ...string) selection {
	sel := records(s, journal.Sujet)
	sel.where.add("r.origin IN (?, ?)", origins[0], origins[1])
	sel.where.add("r.status = ?", nomenclature.SubjectTaken)
	sel.where.add("r.taken_on BETWEEN ? AND ?", p.From, p.To)
	s.byPost(&sel.where, "r.post_id")
	sel.key, sel.day = "r.axis", "r.taken_on"
	return sel
}

type selector func(indicatorScope, indicator.Period) selection

// selections holds the rule of every counted indicator; E32 and E42 are
// surveys, computed apart.
var selections = map[string]selector{
	// S11a: Copil meetings where the post had a role other than
	// participation, by role. At CTG, Caf and national scope: the Copil
	// meetings where any post had such a role, each meeting once.
	indicator.S11a: func(s indicatorScope, p indicator.Period) selection {
		sel := meetingRoles(s, p, nomenclature.MeetingCopil)
		sel.where.add("mr.role <> ?", nomenclature.RoleParticipation)
		sel.key = "mr.role"
		return sel
	},
	indicator.S11b: func(s indicatorScope, p indicator.Period) selection {
		sel := authored(s, p, journal.Expertise, "r.nature")
		sel.other = map[string]string{indicator.ByInstanceKind: "r.instance_kind"}
		return sel
	},
	indicator.E11: func(s indicatorScope, p indicator.Period) selection {
		sel := authored(s, p, journal.Decision, "r.axis")
		sel.where.add("r.facilitated = TRUE")
		return sel
	},
	indicator.S12a: followedAxes,
	indicator.S12b: func(s indicatorScope, p indicator.Period) selection {
		return authored(s, p, journal.Alerte, "r.nature")
	},
	indicator.E12: func(s indicatorScope, p indicator.Period) selection {
		return subjects(s, p, nomenclature.OriginAlert, nomenclature.OriginActionPlan)
	},
	// S21a: distinct partners linked to diagnostic meetings; at post scope
	// the meetings it wrote or had a role in.
	indicator.S21a: func(s indicatorScope, p indicator.Period) selection {
		sel := records(s, journal.Reunion)
		sel.where.add("r.nature = ?", nomenclature.MeetingDiagnostic)
		sel.where.add("r.day BETWEEN ? AND ?", p.From, p.To)
		s.attended(&sel.where)
		sel.rolePosts = true
		return withPartners(sel)
	},
	indicator.S21b: func(s indicatorScope, p indicator.Period) selection {
		sel := meetingRoles(s, p, nomenclature.MeetingVeille)
		r := indicator.OrganiserRoles
		sel.where.add("mr.role IN (?, ?, ?)", r[0], r[1], r[2])
		return sel
	},
	indicator.E21: func(s indicatorScope, p indicator.Period) selection {
		return subjects(s, p, nomenclature.OriginWatch, nomenclature.OriginDiagnostic)
	},
	indicator.S22: func(s indicatorScope, p indicator.Period) selection {
		sel := authored(s, p, journal.Explicitation, "r.nature")
		sel.other = map[string]string{indicator.ByAudience: "r.audience"}
		return sel
	},
	indicator.E22: func(s indicatorScope, p indicator.Period) selection {
		sel := authored(s, p, journal.Projet, "r.axis")
		sel.where.add("r.facilitated = TRUE")
		return sel
	},
	indicator.S31: func(s indicatorScope, p indicator.Period) selection {
		return authored(s, p, journal.Relais, "r.nature")
	},
	indicator.E31: newPartners,
	indicator.S32a: func(s indicatorScope, p indicator.Period) selection {
		return withPartners(authored(s, p, journal.Appui, ""))
	},
	indicator.S32b: func(s indicatorScope, p indicator.Period) selection {
		sel := authored(s, p, journal.Support, "r.nature")
		sel.where.add("r.network = TRUE")
		return sel
	},
	indicator.S41: func(s indicatorScope, p indicator.Period) selection {
		return authored(s, p, journal.Ingenierie, "r.nature")
	},
	indicator.E41: habitantsProjects,
	indicator.S42: func(s indicatorScope, p indicator.Period) selection {
		sel := authored(s, p, journal.Support, "r.nature")
		sel.where.add("r.audience = ?", nomenclature.AudienceHabitants)
		return sel
	},
}

// followedAxes (S12a) lists the progress updates of the period on live
// fiches actions (at post scope, those the post wrote) and counts the
// distinct axes they cover in each CTG: summed over CTGs at Caf and
// national scope (rule 3), hence the CTG in the counted pair. By gives
// each axis with its number of updates.
func followedAxes(s indicatorScope, p indicator.Period) selection {
	sel := selection{idsOf: indicator.IDsUpdates, from: "action_update u JOIN action a ON a.id = u.action_id",
		id: "u.id", key: "a.axis", ctg: "a.ctg_id", post: "u.post_id", day: "u.day",
		// axis codes hold no ':', so the pair's text is unambiguous
		value: "COUNT(DISTINCT CAST(a.ctg_id AS TEXT) || ':' || a.axis)"}
	sel.where.add("a.deleted_at IS NULL")
	s.ctgs(&sel.where, "a.ctg_id")
	sel.where.add("u.day BETWEEN ? AND ?", p.From, p.To)
	s.byPost(&sel.where, "u.post_id")
	return sel
}

// newPartners (E31) keeps, for each partner, its first record in a CTG
// (earliest day, then lowest id, among the live records of any kind that
// link it there) when that record falls in the period; at post scope when
// that record is one of the post's (rule 2): the post wrote it or, for a
// meeting, had a role in it. The tie-break gives each new partner one
// first record; a meeting may give it to several posts. Over several CTGs
// a partner counts once (rule 3).
func newPartners(s indicatorScope, p indicator.Period) selection {
	sel := withPartners(selection{from: "record r"})
	sel.where.add("r.deleted_at IS NULL")
	s.ctgs(&sel.where, "r.ctg_id")
	sel.where.add("r.day BETWEEN ? AND ?", p.From, p.To)
	s.attended(&sel.where)
	// The first link of each partner in each CTG is computed once for the
	// whole scope (a window over its links), not once per row: the latter
	// walks every earlier link of the partner and grows as n².
	cond, args := s.ctgCond("r3.ctg_id")
	sel.where.add(`(rp.partner_id, r.id) IN (SELECT partner_id, id FROM (SELECT rp3.partner_id, r3.id,
		ROW_NUMBER() OVER (PARTITION BY rp3.partner_id, r3.ctg_id ORDER BY r3.day, r3.id) AS n
		FROM record_partner rp3 JOIN record r3 ON r3.id = rp3.record_id
		WHERE r3.deleted_at IS NULL AND `+cond+`) firsts WHERE n = 1)`, args...)
	return sel
}

// habitantsProjects (E41) counts the projects with inhabitants in both
// their conception and their evaluation, and beside them (rule 6) those
// with only one of the two.
func habitantsProjects(s indicatorScope, p indicator.Period) selection {
	with := func(conception, evaluation string) selection {
		sel := authored(s, p, journal.Projet, "r.axis")
		sel.where.add("r.habitants_conception = " + conception + " AND r.habitants_evaluation = " + evaluation)
		return sel
	}
	sel := with("TRUE", "TRUE")
	sel.beside = map[string]map[string]selection{indicator.ByEitherOne: {
		indicator.ConceptionOnly: with("TRUE", "FALSE"),
		indicator.EvaluationOnly: with("FALSE", "TRUE"),
	}}
	return sel
}

// Indicators computes every figure the scope shows over the period, in
// catalogue order. Drill-down ids are left out: Indicator and
// IndicatorRecords give them for one figure.
func (db *DB) Indicators(ctx context.Context, scope indicator.Scope, p indicator.Period) (indicator.Result, error) {
	// the version is read before the figures: a write committed in between
	// makes the kept result newer than its version, never older
	version, err := db.ScopeVersion(ctx, scope)
	if err != nil {
		return indicator.Result{}, err
	}
	// results are cloned in and out: callers may change what they get
	key := figureKey{scope, p}
	if scope.Kind == indicator.ScopeAll && db.nationalLag > 0 {
		if res, _, ok := db.figures.Recent(version, key, db.nationalLag); ok {
			return res.Clone(), nil
		}
		// one request recounts the national figures of a period, the
		// others wait for it instead of each doing the same half second
		mu, _ := db.national.LoadOrStore(key, &sync.Mutex{})
		mu.(*sync.Mutex).Lock()
		defer mu.(*sync.Mutex).Unlock()
		if res, _, ok := db.figures.Recent(version, key, db.nationalLag); ok {
			return res.Clone(), nil
		}
	} else if res, ok := db.figures.Get(version, key); ok {
		return res.Clone(), nil
	}
	computed := db.now()
	res, err := db.ComputeIndicators(ctx, scope, p)
	if err == nil {
		res.ComputedAt = computed
		db.figures.Put(version, key, res.Clone())
	}
	return res, err
}

// ComputeIndicators is Indicators without the cache: benchmarks time it.
func (db *DB) ComputeIndicators(ctx context.Context, scope indicator.Scope, p indicator.Period) (indicator.Result, error) {
	s, err := db.checkedScope(ctx, scope, p)
	if err != nil {
		return indicator.Result{}, err
	}
	res := indicator.Result{Scope: scope, From: p.From, To: p.To, Indicators: []indicator.Figure{}}
	var codes []string
	for _, in := range s.catalogue() {
		codes = append(codes, in.Code)
	}
	tallied, err := db.talliedFigures(ctx, s, p, codes)
	if err != nil {
		return indicator.Result{}, err
	}
	var audiences []string
	for _, code := range codes {
		if a, ok := surveyAudience(code); ok {
			audiences = append(audiences, a)
		}
	}
	var waves map[string][]indicator.WaveStat
	if len(audiences) > 0 {
		if waves, err = db.audienceWaves(ctx, s, p, audiences...); err != nil {
			return indicator.Result{}, err
		}
	}
	for _, code := range codes {
		f, ok := tallied[code]
		switch a, survey := surveyAudience(code); {
		case ok:
		case survey:
			f = indicator.Survey(code, waves[a], s.Pooled())
		default:
			if f, err = db.figure(ctx, code, s, p); err != nil {
				return indicator.Result{}, err
			}
		}
		res.Indicators = append(res.Indicators, f)
	}
	return res, nil
}

// Indicator computes one figure with the ids behind its value.
func (db *DB) Indicator(ctx context.Context, scope indicator.Scope, p indicator.Period, code string) (indicator.Figure, error) {
	s, err := db.checkedShown(ctx, scope, p, code)
	if err != nil {
		return indicator.Figure{}, err
	}
	f, err := db.figure(ctx, code, s, p)
	if err != nil || f.IDsOf == indicator.IDsWaves {
		return f, err
	}
	f.RecordIDs, err = db.drill(ctx, selections[code](s, p), "", "")
	return f, err
}

// IndicatorRecords returns the ids behind a figure (what Figure.IDsOf
// says they are), exactly as the figure counts them: all of them when key
// is "", else those of one key of a breakdown. breakdown "" is the main
// one (By; for surveys the wave kind); otherwise a name of Figure.Other.
func (db *DB) IndicatorRecords(ctx context.Context, scope indicator.Scope, p indicator.Period, code, breakdown, key string) ([]int64, error) {
	s, err := db.checkedShown(ctx, scope, p, code)
	if err != nil {
		return nil, err
	}
	if audience, ok := surveyAudience(code); ok {
		return db.surveyIDs(ctx, s, p, audience, breakdown, key)
	}
	return db.drill(ctx, selections[code](s, p), breakdown, key)
}

func (db *DB) checkedScope(ctx context.Context, scope indicator.Scope, p indicator.Period) (indicatorScope, error) {
	if err := p.Validate(); err != nil {
		return indicatorScope{}, err
	}
	return db.resolveIndicatorScope(ctx, scope)
}

// checkedShown also refuses a code the scope does not show (a post is
// never shown an indicator outside its delegation).
func (db *DB) checkedShown(ctx context.Context, scope indicator.Scope, p indicator.Period, code string) (indicatorScope, error) {
	s, err := db.checkedScope(ctx, scope, p)
	if err == nil && !s.shows(code) {
		err = apperr.NotFoundf(msg.ErrNotFound)
	}
	return s, err
}

func surveyAudience(code string) (string, bool) {
	switch code {
	case indicator.E32:
		return survey.Partners, true
	case indicator.E42:
		return survey.Residents, true
	}
	return "", false
}

func (db *DB) figure(ctx context.Context, code string, s indicatorScope, p indicator.Period) (indicator.Figure, error) {
	if audience, ok := surveyAudience(code); ok {
		waves, err := db.surveyWaves(ctx, s, p, audience)
		return indicator.Survey(code, waves, s.Pooled()), err
	}
	if isTallied(code) {
		fs, err := db.talliedFigures(ctx, s, p, []string{code})
		return fs[code], err
	}
	build, ok := selections[code]
	if !ok {
		return indicator.Figure{}, apperr.Wrap(fmt.Errorf("indicator %s has no counting rule", code), "indicator")
	}
	return db.countFigure(ctx, code, build(s, p))
}

func (db *DB) countFigure(ctx context.Context, code string, sel selection) (indicator.Figure, error) {
	n, err := db.countRows(ctx, sel)
	if err != nil {
		return indicator.Figure{}, err
	}
	f := indicator.Count(code, n)
	f.IDsOf = sel.idsOf
	if sel.key != "" {
		if f.By, err = db.groupRows(ctx, sel, sel.key); err != nil {
			return f, err
		}
	}
	for name, key := range sel.other {
		m, err := db.groupRows(ctx, sel, key)
		if err != nil {
			return f, err
		}
		f.Other = addOther(f.Other, name, m)
	}
	for name, parts := range sel.beside {
		m := map[string]float64{}
		for k, part := range parts {
			if m[k], err = db.countRows(ctx, part); err != nil {
				return f, err
			}
		}
		f.Other = addOther(f.Other, name, m)
	}
	return f, nil
}

func addOther(o map[string]map[string]float64, name string, m map[string]float64) map[string]map[string]float64 {
	if o == nil {
		o = map[string]map[string]float64{}
	}
	o[name] = m
	return o
}

func (db *DB) countRows(ctx context.Context, sel selection) (float64, error) {
	value := sel.value
	if value == "" {
		value = "COUNT(DISTINCT " + sel.id + ")"
	}
	var n int64
	err := db.read.QueryRowContext(ctx, "SELECT "+value+sel.tail(&sel.where), sel.where.args...).Scan(&n)
	return float64(n), apperr.Wrap(err, "indicator count")
}

// groupRows counts the distinct ids per key; an empty key (an optional
// field left blank) is reported under indicator.KeyUnset.
func (db *DB) groupRows(ctx context.Context, sel selection, key string) (map[string]float64, error) {
	out := map[string]float64{}
	q := "SELECT " + key + ", COUNT(DISTINCT " + sel.id + ")" + sel.tail(&sel.where) + " GROUP BY " + key
	err := each(ctx, db.read, q, sel.where.args, func(s scanner) error {
		var k string
		var n int64
		err := s.Scan(&k, &n)
		if k == "" {
			k = indicator.KeyUnset
		}
		out[k] = float64(n)
		return err
	})
	return out, apperr.Wrap(err, "indicator breakdown")
}

// drill lists the distinct ids of a selection: every id when key is "",
// else those of one key of a breakdown (KeyUnset for blank fields).
func (db *DB) drill(ctx context.Context, sel selection, breakdown, key string) ([]int64, error) {
	if parts, ok := sel.beside[breakdown]; ok && key != "" {
		part, ok := parts[key]
		if !ok {
			return nil, apperr.NotFoundf(msg.ErrNotFound)
		}
		return db.drill(ctx, part, "", "")
	}
	expr, known := sel.key, true
	if breakdown != "" {
		expr, known = sel.other[breakdown]
		_, beside := sel.beside[breakdown]
		known = known || beside
	}
	if !known || (key != "" && expr == "") {
		return nil, apperr.NotFoundf(msg.ErrNotFound)
	}
	w := where{conds: slices.Clone(sel.where.conds), args: slices.Clone(sel.where.args)}
	if key != "" {
		if key == indicator.KeyUnset {
			key = ""
		}
		w.add(expr+" = ?", key)
	}
	ids := []int64{}
	err := each(ctx, db.read, "SELECT DISTINCT "+sel.id+sel.tail(&w)+" ORDER BY 1", w.args, func(s scanner) error {
		var id int64
		err := s.Scan(&id)
		ids = append(ids, id)
		return err
	})
	return ids, apperr.Wrap(err, "indicator records")
}

// surveyWaves reads the waves of one audience dated in the period (rule 4)
// in the scope's CTGs, with their answers counted by score. A post sees its
// CTG's surveys: they are not anyone's records.
func (db *DB) surveyWaves(ctx context.Context, s indicatorScope, p indicator.Period, audience string) ([]indicator.WaveStat, error) {
	m, err := db.audienceWaves(ctx, s, p, audience)
	return m[audience], err
}

// audienceWaves reads the waves of the audiences in one statement: a wave
// comes once per score it has answers for (once if none).
func (db *DB) audienceWaves(ctx context.Context, s indicatorScope, p indicator.Period, audiences ...string) (map[string][]indicator.WaveStat, error) {
	w := &where{}
	inCodes(w, "w.audience", audiences)
	w.add("w.day BETWEEN ? AND ?", p.From, p.To)
	s.ctgs(w, "w.ctg_id")
	out := map[string][]indicator.WaveStat{}
	// one row per wave, its scores as columns: at national scope a row per
	// wave and score cost more to read than to sum
	cols := make([]string, 6)
	for score := range cols {
		cols[score] = "COALESCE(SUM(CASE WHEN s.score = " + itoa(score) + " THEN s.n END), 0)"
	}
	err := each(ctx, db.read, `SELECT w.audience, w.id, w.ctg_id, w.kind, w.day, `+strings.Join(cols, ", ")+`
		FROM survey_wave w LEFT JOIN wave_score s ON s.wave_id = w.id WHERE `+w.String()+`
		GROUP BY w.id, w.audience, w.ctg_id, w.kind, w.day ORDER BY w.id`, w.args,
		func(sc scanner) error {
			var audience string
			var v indicator.WaveStat
			// wave_score keeps the responses as score 0
			err := sc.Scan(&audience, &v.ID, &v.CTGID, &v.Kind, &v.Date, &v.Responses,
				&v.Scores[1], &v.Scores[2], &v.Scores[3], &v.Scores[4], &v.Scores[5])
			out[audience] = append(out[audience], v)
			return err
		})
	return out, apperr.Wrap(err, "survey waves")
}

// surveyIDs lists the waves behind a survey figure, all of them or those
// of one kind (the survey figures' main breakdown).
func (db *DB) surveyIDs(ctx context.Context, s indicatorScope, p indicator.Period, audience, breakdown, key string) ([]int64, error) {
	if breakdown != "" {
		return nil, apperr.NotFoundf(msg.ErrNotFound)
	}
	waves, err := db.surveyWaves(ctx, s, p, audience)
	ids := []int64{}
	for _, w := range waves {
		if key == "" || w.Kind == key {
			ids = append(ids, w.ID)
		}
	}
	return ids, err
}

// IndicatorPeriod is the default reporting period of a scope: from the
// earliest start to the latest end of its CTGs' conventions. Both days are
// zero when the scope holds no CTG.
func (db *DB) IndicatorPeriod(ctx context.Context, scope indicator.Scope) (indicator.Period, error) {
	s, err := db.resolveIndicatorScope(ctx, scope)
	if err != nil {
		return indicator.Period{}, err
	}
	w := &where{}
	s.ctgs(w, "id")
	var p indicator.Period
	err = db.read.QueryRowContext(ctx, `SELECT MIN(start_date), MAX(end_date) FROM ctg WHERE `+w.String(), w.args...).
		Scan(&p.From, &p.To)
	return p, apperr.Wrap(err, "indicator period")
}
