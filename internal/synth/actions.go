package synth

import (
	"fmt"

	"copilote/internal/civil"
)

// Fiche outcomes: most actions are done by their end, some drag on, a few
// are blocked or given up.
var outcomes = newTable([]string{"realisee", "en_cours", "bloquee", "abandonnee"}, []float64{0.55, 0.28, 0.11, 0.06})

// writeActions writes about ten fiches actions, spread over the CTG's axes,
// each with its quarterly progress updates up to AsOf.
func (s *site) writeActions() error {
	n := between(s.r, 8, 12)
	for i := range n {
		axis := s.t.axes[i%len(s.t.axes)]
		if err := s.writeAction(i+1, axis); err != nil {
			return err
		}
	}
	return nil
}

func (s *site) writeAction(num int, axis string) error {
	t, r := s.t, s.r
	s.g.ids.action++
	id := s.g.ids.action
	start := t.start.AddDays(r.IntN(540))
	end := civil.Earlier(start.AddDays(between(r, 365, 1100)), t.end)
	status, percent, last, err := s.progress(id, start, end)
	if err != nil {
		return err
	}
	planned := int64(between(r, 5, 200)) * 1000
	created := s.stamp(t.start.AddDays(r.IntN(60)))
	updated := created
	if !last.IsZero() {
		updated = s.stamp(last)
	}
	title := pick(r, actionTitles[axis])
	err = s.add("action", id, t.id, fmt.Sprintf("FA-%02d", num), title, axis, "Répondre aux besoins repérés sur "+pick(r, topics[axis]),
		"Diagnostic partagé : "+pick(r, topics[axis]), t.epci.Name, pick(r, firstNames)+" "+pick(r, lastNames),
		"Familles du territoire", start, end, planned, planned*int64(percent)/100, "Bonus territoire", chance(r, 0.3),
		status, percent, created, updated)
	for k, p := range pickSome(r, s.pool, between(r, 1, 3)) {
		err = first(err, s.add("action_partner", id, p, []string{"pilote", "partenaire", "financeur"}[min(k, 2)]))
	}
	for _, c := range pickSome(r, s.t.communes, between(r, 1, 2)) {
		err = first(err, s.add("action_commune", id, c.INSEE))
	}
	s.actions[axis] = append(s.actions[axis], id)
	s.g.stats.Actions++
	return err
}

// progress writes the quarterly updates of a fiche from three months after
// its start until its end or AsOf, and returns its latest status.
func (s *site) progress(id int64, start, end civil.Date) (status string, percent int, last civil.Date, err error) {
	r := s.r
	outcome := outcomes.draw(r)
	stop := civil.Earlier(civil.Earlier(end.AddDays(90), s.t.end), AsOf)
	status = "prevue"
	var days []civil.Date
	for d := start.AddDays(90); !d.After(stop); d = d.AddDays(91) {
		days = append(days, d.AddDays(r.IntN(21)-10))
	}
	for i, d := range days {
		d = civil.Earlier(civil.Later(d, s.t.start), stop)
		status, percent = step(r, outcome, i, len(days), percent)
		if err := s.update(id, d, status, percent); err != nil {
			return "", 0, last, err
		}
		last = d
	}
	return status, percent, last, nil
}

// step moves a fiche on by one quarter towards its outcome.
func step(r interface{ IntN(int) int }, outcome string, i, n, percent int) (string, int) {
	if i == n-1 && end(outcome) {
		if outcome == "realisee" {
			return outcome, 100
		}
		return outcome, percent
	}
	if outcome == "bloquee" && i >= n/2 {
		return "bloquee", percent
	}
	return "en_cours", min(95, percent+5+r.IntN(25))
}

func end(outcome string) bool { return outcome != "en_cours" }

func (s *site) update(actionID int64, day civil.Date, status string, percent int) error {
	post := s.t.posts[0].id // the chef de projet follows the plan, others now and then
	if o := pick(s.r, s.t.posts); !o.start.After(day) && chance(s.r, 0.3) {
		post = o.id
	}
	difficulties := ""
	if status == "bloquee" {
		difficulties = "Financement non confirmé par un co-financeur"
	}
	s.g.ids.update++
	s.g.stats.Updates++
	return s.add("action_update", s.g.ids.update, actionID, post, day, status, percent, difficulties, nil, s.stamp(day))
}
