package store

import (
	"context"
	"maps"
	"regexp"
	"slices"
	"strconv"
	"strings"

	"copilote/internal/apperr"
	"copilote/internal/indicator"
	"copilote/internal/journal"
)

// Reading the figures from the tallies: the whole months and years of the
// period come from the tally rows of the scope, the days before the first
// whole month and after the last one from the records themselves, with the
// selections of the drill-down. Both parts add up, except distinct counts
// (axes of S12a, partners), which are united.

// talliedFigures computes the figures of codes that the tallies keep (the
// others are left out of the map).
func (db *DB) talliedFigures(ctx context.Context, s indicatorScope, p indicator.Period, codes []string) (map[string]indicator.Figure, error) {
	r := tallyRead{db: db, ctx: ctx, s: s, p: p}
	if s.Kind == indicator.ScopeCTG || s.Kind == indicator.ScopePost {
		if p == s.convention {
			r.buckets, r.mid, r.whole = []int{conventionBucket}, p, true
		}
	}
	if r.buckets == nil {
		r.buckets, r.mid, r.whole = splitPeriod(p)
		r.edgeList = periodEdges(p, r.mid, r.whole)
		if err := r.emptyEdges(); err != nil {
			return nil, err
		}
	}
	out := map[string]indicator.Figure{}
	// one CTG or post over buckets that cover the period exactly: its
	// partner figures come with the counts, in the same statement
	exact := r.whole && len(r.edgeList) == 0 && !r.s.Pooled()
	var counted, partners []string
	for _, code := range codes {
		switch {
		case slices.Contains(talliedCodes, code):
			counted = append(counted, code)
		case exact && (slices.Contains(presenceCodes, code) || code == indicator.E31):
			partners = append(partners, code)
		case slices.Contains(presenceCodes, code):
			f, err := r.partners(code)
			if err != nil {
				return nil, err
			}
			out[code] = f
		case code == indicator.E31:
			f, err := r.newPartners()
			if err != nil {
				return nil, err
			}
			out[code] = f
		}
	}
	if len(counted)+len(partners) == 0 {
		return out, nil
	}
	if err := r.counts(counted, partners, out); err != nil {
		return nil, err
	}
	if slices.Contains(counted, indicator.S12a) {
		f := out[indicator.S12a]
		n, err := r.followedAxes(f)
		f.Value = &n
		out[indicator.S12a] = f
		if err != nil {
			return nil, err
		}
	}
	return out, nil
}

type tallyRead struct {
	db      *DB
	ctx     context.Context
	s       indicatorScope
	p       indicator.Period
	buckets []int
	mid     indicator.Period // the days the buckets cover
	whole   bool             // some bucket fits in the period
	// edgeList are the edges holding something to count
	edgeList []indicator.Period
}

// rows selects the tally rows of the scope over the buckets; table holds
// rows per Caf, CTG and post.
func (r tallyRead) rows(w *where, alias string) {
	switch r.s.Kind {
	case indicator.ScopePost:
		w.add(alias+"scope = ? AND "+alias+"scope_id = ?", tallyPost, r.s.post.ID)
	case indicator.ScopeCTG:
		w.add(alias+"scope = ? AND "+alias+"scope_id = ?", tallyCTG, r.s.ctgID)
	case indicator.ScopeCaf:
		w.add(alias+"scope = ? AND "+alias+"scope_id = ?", tallyCaf, r.s.cafID)
	default:
		w.add(alias+"scope = ?", tallyCaf)
	}
	inBuckets(w, alias, r.buckets)
}

// inBuckets keeps the rows of the buckets. A run of whole years reads as
// one range (year buckets are the only ones between 1000 and 9999), so a
// period of decades costs no more than one of a few years.
func inBuckets(w *where, alias string, buckets []int) {
	var years, others []int
	for _, b := range buckets {
		if b >= 1000 && b <= 9999 {
			years = append(years, b)
		} else {
			others = append(others, b)
		}
	}
	if len(years) < 2 || years[len(years)-1]-years[0] != len(years)-1 {
		w.raw(func(args *[]any) string { return alias + "bucket IN (" + placeholders(args, buckets) + ")" })
		return
	}
	w.raw(func(args *[]any) string {
		cond := alias + "bucket BETWEEN " + placeholders(args, years[:1]) + " AND " + placeholders(args, years[len(years)-1:])
		if len(others) > 0 {
			cond = "(" + cond + " OR " + alias + "bucket IN (" + placeholders(args, others) + "))"
		}
		return cond
	})
}

// periodEdges are the periods of p outside its buckets: all of p when no
// whole month fits, else the days before the first bucket and after the
// last. Each is read with the selections' own dating column and its index.
func periodEdges(p, mid indicator.Period, whole bool) []indicator.Period {
	if !whole {
		return []indicator.Period{p}
	}
	var out []indicator.Period
	if p.From.Before(mid.From) {
		out = append(out, indicator.Period{From: p.From, To: mid.From.AddDays(-1)})
	}
	if mid.To.Before(p.To) {
		out = append(out, indicator.Period{From: mid.To.AddDays(1), To: p.To})
	}
	return out
}

// emptyEdges drops the edges where the scope's CTGs hold nothing dated: a
// convention ending on the first of a month has a one-day edge, and its
// fifty queries would find nothing.
func (r *tallyRead) emptyEdges() error {
	var kept []indicator.Period
	for _, e := range r.edgeList {
		dated, err := datedIn(r.ctx, r.db.read, r.s, e)
		if err != nil {
			return err
		}
		if dated {
			kept = append(kept, e)
		}
	}
	r.edgeList = kept
	return nil
}

// datedIn reports whether the scope's CTGs hold anything dated in e: any
// record (deleted or not) or progress update.
func datedIn(ctx context.Context, q querier, s indicatorScope, e indicator.Period) (bool, error) {
	// kind is named so that an index leads to the days: (ctg_id, kind,
	// day), (kind, day) and (kind, taken_on) for subjects
	var w where
	cond, args := s.ctgCond("ctg_id")
	w.add(cond, args...)
	kinds := make([]string, len(journal.Specs))
	for i, sp := range journal.Specs {
		kinds[i] = string(sp.Kind)
	}
	inCodes(&w, "kind", kinds)
	w.add("day BETWEEN ? AND ?", e.From, e.To)
	t := where{args: slices.Clone(w.args)}
	cond, args = s.ctgCond("ctg_id")
	t.add(cond, args...)
	t.add("kind = ? AND taken_on BETWEEN ? AND ?", string(journal.Sujet), e.From, e.To)
	a := where{args: slices.Clone(t.args)}
	cond, args = s.ctgCond("a.ctg_id")
	a.add(cond, args...)
	a.add("u.day BETWEEN ? AND ?", e.From, e.To)
	var found int
	err := q.QueryRowContext(ctx, `SELECT CASE WHEN EXISTS (SELECT 1 FROM record WHERE `+w.String()+`)
		OR EXISTS (SELECT 1 FROM record WHERE `+t.String()+`)
		OR EXISTS (SELECT 1 FROM action_update u JOIN action a ON a.id = u.action_id WHERE `+a.String()+`)
		THEN 1 ELSE 0 END`, a.args...).Scan(&found)
	return found == 1, apperr.Wrap(err, "edge")
}

// counts fills the figures of the counted codes: the shape of each figure
// (which breakdowns it has) comes from its selection, the numbers from
// the tally rows and the edges. The partner codes (S21a, S32a, E31; only
// for one CTG or post without edges) are read in the same statement:
// PostgreSQL spends a round trip and a plan on each.
func (r tallyRead) counts(codes, partners []string, out map[string]indicator.Figure) error {
	for _, code := range codes {
		out[code] = shape(code, selections[code](r.s, r.p))
	}
	for _, code := range partners {
		f := indicator.Count(code, 0)
		f.IDsOf, f.By = indicator.IDsPartners, map[string]float64{}
		out[code] = f
	}
	add := func(code, dim, key string, n float64) {
		f := out[code]
		if key == "" && dim != "" {
			key = indicator.KeyUnset
		}
		switch dim {
		case "":
			*f.Value += n
		case dimBy:
			f.By[key] += n
			if f.IDsOf == indicator.IDsPartners {
				*f.Value += n // a partner has one type
			}
		default:
			if f.Other[dim] == nil {
				return // a breakdown this scope does not show
			}
			f.Other[dim][key] += n
		}
	}
	if r.whole {
		var w where
		var parts []string
		tallied := codes
		if slices.Equal(r.buckets, []int{conventionBucket}) {
			// the convention bucket keeps its partner figures by type
			tallied, partners = append(slices.Clone(codes), partners...), nil
		}
		if len(tallied) > 0 {
			r.rows(&w, "")
			inCodes(&w, "code", tallied)
			parts = append(parts, `SELECT code, dim, key, SUM(n) FROM tally WHERE `+w.String()+` GROUP BY code, dim, key`)
		}
		if len(partners) > 0 {
			parts = append(parts, r.partnerRows(&w, partners))
		}
		err := each(r.ctx, r.db.read, strings.Join(parts, " UNION ALL "), w.args, func(sc scanner) error {
			var code, dim, key string
			var n int64
			err := sc.Scan(&code, &dim, &key, &n)
			add(code, dim, key, float64(n))
			return err
		})
		if err != nil {
			return apperr.Wrap(err, "tally read")
		}
	}
	for _, edge := range r.edgeList {
		if err := r.addEdge(codes, edge, add); err != nil {
			return err
		}
	}
	return nil
}

// partnerRows selects (code, "by", type, distinct partners) of the partner
// codes of one CTG or post over the buckets: S21a and S32a from their
// tally rows, E31 from the first records dated in the period.
func (r tallyRead) partnerRows(w *where, codes []string) string {
	var parts []string
	var kept []string
	for _, code := range codes {
		if code != indicator.E31 {
			kept = append(kept, code)
		}
	}
	if len(kept) > 0 {
		t := where{args: w.args}
		r.rows(&t, "")
		inCodes(&t, "code", kept)
		w.args = t.args
		parts = append(parts, `SELECT code, partner_id AS pid FROM tally_partner WHERE `+t.String())
	}
	if slices.Contains(codes, indicator.E31) {
		f := where{args: w.args}
		e31 := f.param(indicator.E31)
		f.add("ctg_id = ?", r.s.ctgID)
		f.add("day BETWEEN ? AND ?", r.p.From, r.p.To)
		if r.s.Kind == indicator.ScopePost {
			postsRecord(&f, "post_id", "partner_first.record_id", r.s.post.ID)
		}
		w.args = f.args
		parts = append(parts, `SELECT CAST(`+e31+` AS TEXT) AS code, partner_id AS pid FROM partner_first WHERE `+f.String())
	}
	by := where{args: w.args}
	dim := by.param(dimBy)
	w.args = by.args
	return `SELECT x.code, CAST(` + dim + ` AS TEXT), pt.type, COUNT(DISTINCT x.pid) FROM (` +
		strings.Join(parts, " UNION ALL ") + `) x JOIN partner pt ON pt.id = x.pid GROUP BY x.code, pt.type`
}

// inCodes keeps the rows whose column col is one of codes.
func inCodes(w *where, col string, codes []string) {
	w.raw(func(args *[]any) string { return col + " IN (" + placeholders(args, codes) + ")" })
}

func (r tallyRead) addEdge(codes []string, edge indicator.Period, add func(code, dim, key string, n float64)) error {
	for _, code := range codes {
		e, err := r.db.countFigure(r.ctx, code, selections[code](r.s, edge))
		if err != nil {
			return err
		}
		add(code, "", "", e.Number())
		for k, n := range e.By {
			add(code, dimBy, k, n)
		}
		for dim, m := range e.Other {
			for k, n := range m {
				add(code, dim, k, n)
			}
		}
	}
	return nil
}

// shape is a figure of zeros with the breakdowns its selection defines.
func shape(code string, sel selection) indicator.Figure {
	f := indicator.Count(code, 0)
	f.IDsOf = sel.idsOf
	if sel.key != "" {
		f.By = map[string]float64{}
	}
	for name := range sel.other {
		f.Other = addOther(f.Other, name, map[string]float64{})
	}
	for name, parts := range sel.beside {
		m := map[string]float64{}
		for k := range parts {
			m[k] = 0
		}
		f.Other = addOther(f.Other, name, m)
	}
	return f
}

// followedAxes is S12a's value: the distinct (CTG, axis) pairs with a
// progress update in the period, from the CTG rows (the post's at post
// scope) and the edges. In one CTG they are the axes its breakdown f.By
// (tally rows and edges) counts updates for.
func (r tallyRead) followedAxes(f indicator.Figure) (float64, error) {
	if !r.s.Pooled() {
		n := 0
		for _, v := range f.By {
			if v > 0 {
				n++
			}
		}
		return float64(n), nil
	}
	type pair struct {
		ctg  int64
		axis string
	}
	seen := map[pair]bool{}
	collect := func(query string, args []any) error {
		return each(r.ctx, r.db.read, query, args, func(sc scanner) error {
			var p pair
			err := sc.Scan(&p.ctg, &p.axis)
			seen[p] = true
			return err
		})
	}
	if r.whole {
		var w where
		switch r.s.Kind {
		case indicator.ScopePost:
			w.add("scope = ? AND scope_id = ?", tallyPost, r.s.post.ID)
		case indicator.ScopeCaf:
			w.add("scope = ? AND scope_id IN (SELECT id FROM ctg WHERE caf_id = ?)", tallyCTG, r.s.cafID)
		case indicator.ScopeCTG:
			w.add("scope = ? AND scope_id = ?", tallyCTG, r.s.ctgID)
		default:
			w.add("scope = ?", tallyCTG)
		}
		inBuckets(&w, "", r.buckets)
		w.add("code = ? AND dim = ?", indicator.S12a, dimBy)
		if err := collect(`SELECT DISTINCT scope_id, key FROM tally WHERE `+w.String(), w.args); err != nil {
			return 0, apperr.Wrap(err, "tally axes")
		}
		if r.s.Kind == indicator.ScopePost {
			// post rows carry the post's id: one CTG
			for p := range seen {
				delete(seen, p)
				seen[pair{r.s.ctgID, p.axis}] = true
			}
		}
	}
	for _, edge := range r.edgeList {
		sel := selections[indicator.S12a](r.s, edge)
		if err := collect(`SELECT DISTINCT a.ctg_id, a.axis`+sel.tail(&sel.where), sel.where.args); err != nil {
			return 0, apperr.Wrap(err, "edge axes")
		}
	}
	return float64(len(seen)), nil
}

// partners computes S21a or S32a: the distinct partners of the tally rows
// and of the edges, by partner type.
func (r tallyRead) partners(code string) (indicator.Figure, error) {
	var parts []string
	var w where
	for _, edge := range r.edgeList {
		// each selection numbers its placeholders from $1: shift them past
		// the arguments already taken
		sel := selections[code](r.s, edge)
		parts = append(parts, shiftPlaceholders(`SELECT `+sel.id+` AS pid`+sel.tail(&sel.where), len(w.args)))
		w.args = append(w.args, sel.where.args...)
	}
	switch {
	case r.whole && r.s.Pooled() && r.maskable():
		parts = append(parts, r.maskParts(&w, code)...)
	case r.whole:
		r.rows(&w, "")
		w.add("code = ?", code)
		parts = append(parts, `SELECT partner_id AS pid FROM tally_partner WHERE `+w.String())
	}
	return r.byType(code, unionByType(parts), w.args)
}

// maskable reports whether every year bucket fits in a partner mask.
func (r tallyRead) maskable() bool {
	return !slices.ContainsFunc(r.buckets, func(b int) bool {
		y := b
		if b >= 10000 {
			y = b / 100
		}
		return y < maskBase || y > maskLast
	})
}

// maskParts selects the partners of a Caf (or of all) whose masks meet the
// buckets: one row per partner for the whole years, one per partner and
// year for the months.
func (r tallyRead) maskParts(w *where, code string) []string {
	var years int64
	months := map[int]int64{}
	for _, b := range r.buckets {
		if b < 10000 {
			years |= 1 << (b - maskBase)
		} else {
			months[b/100] |= 1 << (b%100 - 1)
		}
	}
	part := func(year int, mask int64) string {
		var c where
		c.args = w.args
		c.add("code = ?", code)
		if r.s.Kind == indicator.ScopeCaf {
			c.add("caf_id = ?", r.s.cafID)
		}
		c.add("year = ?", year)
		c.add("(mask & CAST(? AS BIGINT)) <> 0", mask)
		w.args = c.args
		return `SELECT partner_id AS pid FROM partner_mask WHERE ` + c.String()
	}
	var parts []string
	if years != 0 {
		parts = append(parts, part(0, years))
	}
	for _, y := range slices.Sorted(maps.Keys(months)) {
		parts = append(parts, part(y, months[y]))
	}
	return parts
}

// newPartners computes E31 from each partner's first record per CTG; over
// several CTGs, from the Caf masks and the edge days.
func (r tallyRead) newPartners() (indicator.Figure, error) {
	if r.s.Pooled() && r.whole && r.maskable() {
		var w where
		var parts []string
		for _, edge := range r.edgeList {
			var e where
			e.args = w.args
			e.add("pf.day BETWEEN ? AND ?", edge.From, edge.To)
			if r.s.Kind == indicator.ScopeCaf {
				e.add("pf.ctg_id IN (SELECT id FROM ctg WHERE caf_id = ?)", r.s.cafID)
			}
			w.args = e.args
			parts = append(parts, `SELECT pf.partner_id AS pid FROM partner_first pf WHERE `+e.String())
		}
		parts = append(parts, r.maskParts(&w, indicator.E31)...)
		return r.byType(indicator.E31, unionByType(parts), w.args)
	}
	var w where
	w.add("pf.day BETWEEN ? AND ?", r.p.From, r.p.To)
	switch r.s.Kind {
	case indicator.ScopePost:
		w.add("pf.ctg_id = ?", r.s.ctgID)
		postsRecord(&w, "pf.post_id", "pf.record_id", r.s.post.ID)
	case indicator.ScopeCTG:
		w.add("pf.ctg_id = ?", r.s.ctgID)
	case indicator.ScopeCaf:
		w.add("pf.ctg_id IN (SELECT id FROM ctg WHERE caf_id = ?)", r.s.cafID)
	}
	return r.byType(indicator.E31, `SELECT pt.type, COUNT(DISTINCT pf.partner_id) FROM partner_first pf
		JOIN partner pt ON pt.id = pf.partner_id WHERE `+w.String()+` GROUP BY pt.type`, w.args)
}

// unionByType counts the distinct partners of the parts by type; "" when
// there is no part.
func unionByType(parts []string) string {
	if len(parts) == 0 {
		return ""
	}
	return `SELECT pt.type, COUNT(DISTINCT x.pid) FROM (` + strings.Join(parts, " UNION ALL ") +
		`) x JOIN partner pt ON pt.id = x.pid GROUP BY pt.type`
}

// byType reads (type, distinct partners) rows into a partner figure; a
// partner has one type, so the types add up to the value.
func (r tallyRead) byType(code, query string, args []any) (indicator.Figure, error) {
	f := indicator.Count(code, 0)
	f.IDsOf, f.By = indicator.IDsPartners, map[string]float64{}
	if query == "" {
		return f, nil // nothing to count in the period
	}
	err := each(r.ctx, r.db.read, query, args, func(sc scanner) error {
		var k string
		var n int64
		err := sc.Scan(&k, &n)
		if k == "" {
			k = indicator.KeyUnset
		}
		f.By[k] = float64(n)
		*f.Value += float64(n)
		return err
	})
	return f, apperr.Wrap(err, "partners "+code)
}

var placeholder = regexp.MustCompile(`\$(\d+)`)

// shiftPlaceholders renumbers $n as $(n+k) in a statement built by where
// (whose text holds no other dollar sign followed by digits).
func shiftPlaceholders(q string, k int) string {
	if k == 0 {
		return q
	}
	return placeholder.ReplaceAllStringFunc(q, func(m string) string {
		n, _ := strconv.Atoi(m[1:])
		return ph(n + k)
	})
}

// isTallied reports whether talliedFigures computes code.
func isTallied(code string) bool {
	return slices.Contains(talliedCodes, code) || slices.Contains(presenceCodes, code) || code == indicator.E31
}
