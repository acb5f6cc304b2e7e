package demo

import (
	"cmp"
	"math"
	"slices"

	"copilote/internal/civil"
	"copilote/internal/journal"
	"copilote/internal/nomenclature"
	"copilote/internal/store"
)

// item is one thing a year's transaction writes: a record, or a progress
// update of a fiche action. Items are written in date order, so partners'
// first involvements and record ids follow the calendar.
type item struct {
	day     civil.Date
	seq     int
	rec     *journal.Record
	want    want            // the partners the record takes, drawn when written
	meeting *journal.Record // the Copil a decision or alert was taken at
	taken   *taking         // a subject that reaches prise en compte later
	save    func(*store.Tx) error
}

type taking struct {
	on  civil.Date
	how string
}

// recordsPerETP is a full-time officer's yearly output, before the
// year's own factor: the convention starts slowly and 2026 stops in November.
const recordsPerETP = 270

var yearFactor = map[int]float64{2023: 0.9, 2024: 1.0, 2025: 1.05, 2026: 0.88}

func (s *site) saveYear(tx *store.Tx, y int) error {
	items := s.plan(y)
	slices.SortStableFunc(items, func(a, b *item) int {
		if c := a.day.Compare(b.day); c != 0 {
			return c
		}
		return cmp.Compare(a.seq, b.seq)
	})
	for _, it := range items {
		if err := s.write(tx, it); err != nil {
			return err
		}
	}
	return nil
}

// plan lays out a year: governance first (its meetings are authored by the
// chef de projet mostly), fiche updates, then each post's own work up to
// its yearly volume.
func (s *site) plan(y int) []*item {
	items := s.governance(y)
	items = append(items, s.progress(y)...)
	for _, o := range s.officers {
		items = append(items, s.fill(o, y, authored(items, o))...)
	}
	return items
}

func authored(items []*item, o *officer) int {
	n := 0
	for _, it := range items {
		if it.rec != nil && it.rec.PostID == o.post.ID {
			n++
		}
	}
	return n
}

func (s *site) write(tx *store.Tx, it *item) error {
	if it.save != nil {
		return it.save(tx)
	}
	r := it.rec
	r.PartnerIDs = s.pool.pick(s.rng, it.day, it.want)
	if it.meeting != nil {
		r.MeetingID = it.meeting.ID
	}
	if err := tx.SaveRecord(r, s.n); err != nil {
		return err
	}
	if it.taken == nil {
		return nil
	}
	// saved a second time so the subject's history shows both steps
	r.Status, r.TakenOn, r.TakenHow = nomenclature.SubjectTaken, it.taken.on, it.taken.how
	return tx.SaveRecord(r, s.n)
}

// fill adds the post's own records until it reaches its yearly volume.
func (s *site) fill(o *officer, y, have int) []*item {
	target := volume * recordsPerETP * o.post.ETP.Float() * yearFactor[y] * (0.92 + 0.16*s.rng.Float64())
	from, to := yearSpan(y)
	var out []*item
	for range max(0, int(math.Round(target))-have) {
		t := s.task(o, y)
		out = append(out, t.make(s, o, randomDay(s.rng, from, to)))
	}
	return out
}

// task is a kind of work and the function it mainly serves.
type task struct {
	fn     string
	weight int
	make   func(*site, *officer, civil.Date) *item
	// opening is extra weight in 2023: the diagnostic partagé opens the CTG
	opening int
}

var tasks = []task{
	{"1.1", 4, (*site).expertise, 0},
	{"1.2", 2, (*site).alert, 0},
	{"1.2", 3, (*site).followUpSubject, 0},
	{"2.1", 6, (*site).veille, 0},
	{"2.1", 3, (*site).diagnostic, 6},
	{"2.1", 2, (*site).watchSubject, 0},
	{"2.2", 6, (*site).explicitation, 0},
	{"2.2", 5, (*site).project, 0},
	{"3.1", 9, (*site).relais, 0},
	{"3.2", 8, (*site).appui, 0},
	{"3.2", 1, (*site).networkSupport, 0},
	{"4.1", 5, (*site).ingenierie, 0},
	{"4.1", 3, (*site).initiative, 0},
	{"4.1", 2, (*site).habitantsProject, 0},
	{"4.1", 1, (*site).publicMeeting, 0},
	{"4.2", 7, (*site).support, 0},
	{"4.2", 1, (*site).publicMeeting, 0},
}

// offDelegation is the share of a post's work outside its delegation: a
// post mostly, not only, does what it is evaluated on.
const offDelegation = 0.07

func (s *site) task(o *officer, y int) task {
	pool := candidates(o, y, !chance(s.rng, offDelegation))
	if len(pool) == 0 { // a post delegated every function has nothing outside it
		pool = candidates(o, y, true)
	}
	total := 0
	for _, t := range pool {
		total += t.weight
	}
	n := s.rng.IntN(total)
	for _, t := range pool {
		if n -= t.weight; n < 0 {
			return t
		}
	}
	return pool[len(pool)-1]
}

// candidates are the tasks within the post's delegation (own) or outside it.
func candidates(o *officer, y int, own bool) []task {
	var out []task
	for _, t := range tasks {
		if o.delegates(t.fn) != own {
			continue
		}
		if y == 2023 {
			t.weight += t.opening
		}
		out = append(out, t)
	}
	return out
}

// newItem starts a record of kind by o on day, with a comment most of the time.
func (s *site) newItem(o *officer, kind journal.Kind, day civil.Date, title string) *item {
	s.seq++
	r := &journal.Record{CTGID: s.ctg.ID, PostID: o.post.ID, Kind: kind, Date: day, Title: title, Comment: s.comment(kind)}
	return &item{day: day, seq: s.seq, rec: r}
}

func (s *site) comment(kind journal.Kind) string {
	open := noteOpen
	if kind == journal.Reunion {
		open = commentOpen
	}
	switch x := s.rng.Float64(); {
	case x < 0.2:
		return ""
	case x < 0.55:
		return pick(s.rng, open)
	default:
		return pick(s.rng, open) + " " + pick(s.rng, commentNext)
	}
}
