package synth

import (
	"slices"
	"time"

	"copilote/internal/civil"
	"copilote/internal/journal"
	"copilote/internal/nomenclature"
)

// kindShares is how an officer's journal divides between kinds: meetings
// first, then the relay and support work of functions 3.1 and 3.2.
var kindShares = []struct {
	kind  journal.Kind
	share float64
}{
	{journal.Reunion, 0.34}, {journal.Decision, 0.03}, {journal.Alerte, 0.025}, {journal.Expertise, 0.05},
	{journal.Sujet, 0.05}, {journal.Explicitation, 0.08}, {journal.Projet, 0.08}, {journal.Relais, 0.11},
	{journal.Appui, 0.10}, {journal.Ingenierie, 0.05}, {journal.Support, 0.05}, {journal.Initiative, 0.025},
}

// kindTable weights a post's kinds: a function it was not delegated shows
// four times less (officers do step outside their delegation, a little).
func kindTable(p *postPlan) table[journal.Kind] {
	kinds := make([]journal.Kind, len(kindShares))
	ws := make([]float64, len(kindShares))
	for i, k := range kindShares {
		spec, _ := journal.SpecOf(k.kind)
		kinds[i], ws[i] = k.kind, k.share
		if !slices.Contains(p.functions, spec.Function) {
			ws[i] /= 4
		}
	}
	return newTable(kinds, ws)
}

// season weighs the months: summer and Christmas holidays are quiet.
var season = func() [13]float64 {
	w := [13]float64{0, 1.05, 1, 1.15, 1.05, 1, 1.15, 0.7, 0.3, 1.15, 1.15, 1.15, 0.85}
	sum := 0.0
	for _, x := range w {
		sum += x
	}
	for i := range w {
		w[i] *= 12 / sum
	}
	return w
}()

// rec is the record being generated; one is reused for every record.
type rec struct {
	kind                         journal.Kind
	post                         *postPlan
	day                          civil.Date
	title, comment               string
	instance, action, meeting    int64
	axis, nature, audience, iKnd string
	facilitated, innovative      bool
	network, hConc, hEval        bool
	status, origin, takenHow     string
	takenOn, linkedOn            civil.Date
	requests, places             int
	linkedInstance               int64
	partners                     []int64
	roles                        []role
}

type role struct {
	post int64
	role string
}

// writeRecords walks the CTG month by month within the activity window; in
// each month every active post writes a number of records proportional to
// its ETP, on days drawn in the month and sorted, so that ids follow dates.
func (s *site) writeRecords() error {
	from, to := civil.Later(s.t.start, s.g.opt.windowStart()), civil.Earlier(s.t.end, AsOf)
	for m := civil.New(from.Year, from.Month, 1); !m.After(to); m = m.AddDate(0, 1, 0) {
		last := m.AddDate(0, 1, -1)
		for i, p := range s.t.posts {
			lo, hi := civil.Later(civil.Later(m, from), p.start), civil.Earlier(last, to)
			if hi.Before(lo) {
				continue
			}
			for _, d := range s.days(lo, hi, s.count(p, m.Month, hi.DaysSince(lo)+1, last.Day)) {
				if err := s.record(i, p, d); err != nil {
					return err
				}
			}
		}
		s.g.report(false)
	}
	return nil
}

// count draws how many records post p writes in a month it was active for
// days out of monthDays: the expectation, ±20 %, rounded at random.
func (s *site) count(p *postPlan, month time.Month, days, monthDays int) int {
	mean := s.g.plan.rate * float64(p.etp) / 100 / 12 * season[month] * float64(days) / float64(monthDays)
	return int(mean*(0.8+0.4*s.r.Float64()) + s.r.Float64())
}

func (s *site) days(lo, hi civil.Date, n int) []civil.Date {
	span := hi.DaysSince(lo) + 1
	offsets := make([]int, n)
	for i := range offsets {
		offsets[i] = s.r.IntN(span)
	}
	slices.Sort(offsets)
	out := make([]civil.Date, n)
	for i, o := range offsets {
		out[i] = lo.AddDays(o)
	}
	return out
}

func (s *site) record(postIdx int, p *postPlan, day civil.Date) error {
	r := &rec{kind: s.kinds[postIdx].draw(s.r), post: p, day: day}
	switch r.kind {
	case journal.Reunion:
		s.meetingRec(r)
	case journal.Decision:
		s.decision(r)
	case journal.Alerte:
		s.alert(r)
	case journal.Expertise:
		s.expertise(r)
	case journal.Sujet:
		s.subject(r)
	case journal.Explicitation:
		s.explicitation(r)
	case journal.Projet:
		s.project(r)
	case journal.Support:
		s.support(r)
	case journal.Initiative:
		s.initiative(r)
	default: // relais, appui, ingénierie: a nature, an axis, partners
		s.plain(r)
	}
	if chance(s.r, 0.12) {
		r.comment = pick(s.r, comments)
	}
	return s.writeRecord(r)
}

func (s *site) writeRecord(r *rec) error {
	g := s.g
	g.ids.record++
	id := g.ids.record
	created := s.stamp(r.day)
	var deleted any
	if chance(s.r, 0.01) {
		if d := created.Add(time.Duration(1+s.r.IntN(60)) * 24 * time.Hour); d.Before(AsOf.Time()) {
			deleted = d
			g.stats.Deleted++
		}
	}
	err := s.add("record", id, s.t.id, r.post.id, string(r.kind), r.day, r.title, r.comment, nullID(r.instance),
		nullID(r.action), nullID(r.meeting), r.axis, r.nature, r.audience, r.iKnd, r.facilitated, r.innovative,
		r.network, r.hConc, r.hEval, r.status, r.origin, r.takenOn, r.takenHow, r.requests, r.places, r.linkedOn,
		nullID(r.linkedInstance), created, created, deleted)
	for _, p := range r.partners {
		err = first(err, s.add("record_partner", id, p))
	}
	for _, ro := range r.roles {
		err = first(err, s.add("meeting_role", id, ro.post, ro.role))
	}
	if r.kind == journal.Sujet {
		err = first(err, s.add("subject_status", id, nomenclature.SubjectIdentified, r.day, "", r.post.id))
		if r.status == nomenclature.SubjectTaken {
			err = first(err, s.add("subject_status", id, r.status, r.takenOn, r.takenHow, r.post.id))
		}
	}
	if r.kind == journal.Reunion && r.nature == nomenclature.MeetingCopil {
		s.copils = append(s.copils, meeting{id, r.day})
	}
	g.stats.Records++
	g.sinceCommit++
	return err
}

// nullID stores 0 as NULL.
func nullID(id int64) any {
	if id == 0 {
		return nil
	}
	return id
}
