package demo

import (
	"fmt"
	"slices"
	"time"

	"copilote/internal/civil"
	"copilote/internal/ctg"
	"copilote/internal/journal"
	"copilote/internal/nomenclature"
)

const (
	rolePrep    = "preparation"
	roleAnim    = "animation"
	roleCoAnim  = "co_animation"
	roleMinutes = "releve_decisions"
	roleAlert   = "alerte"
	roleJoin    = nomenclature.RoleParticipation
)

func roles(o *officer, names ...string) []journal.Role {
	out := make([]journal.Role, len(names))
	for i, n := range names {
		out[i] = journal.Role{PostID: o.post.ID, Role: n}
	}
	return out
}

func (s *site) meeting(o *officer, nature string, day civil.Date, title string, in ctg.Instance) *item {
	it := s.newItem(o, journal.Reunion, day, title)
	it.rec.Nature, it.rec.InstanceID = nature, in.ID
	return it
}

// governance is the year's calendar of instances, the same rhythm a real
// CTG keeps: Copil with its decisions, comités techniques before each
// Copil, working groups, the officers' network, the CDSF, admissions.
func (s *site) governance(y int) []*item {
	dates := s.copilDates(y)
	var out []*item
	for i, d := range dates {
		out = append(out, s.copilMeeting(d, i == 0, i == len(dates)-1)...)
		out = append(out, s.cotechBefore(d, y))
	}
	out = append(out, s.cotechBefore(s.dayIn(y), y))
	for _, g := range s.groups {
		out = append(out, s.groupSessions(g, y)...)
	}
	out = append(out, s.networkMeetings(y)...)
	out = append(out, s.cdsfMeetings(y)...)
	return append(out, s.admissions(y)...)
}

// copilDates: three or four Copil a year; in 2026 the last one closes the
// convention before the demo's last day.
func (s *site) copilDates(y int) []civil.Date {
	months := []time.Month{time.March, time.June, time.October, time.December}
	switch {
	case y == 2026:
		months = []time.Month{time.March, time.June, time.September, time.November}
	case chance(s.rng, 0.4):
		months = []time.Month{time.March, time.July, time.November}
	}
	out := make([]civil.Date, len(months))
	for i, m := range months {
		out[i] = near(s.rng, civil.New(y, m, between(s.rng, 8, 14)), 4, y)
	}
	return out
}

func (s *site) copilMeeting(day civil.Date, first, last bool) []*item {
	s.copils++
	chef := s.chef()
	it := s.meeting(chef, nomenclature.MeetingCopil, day,
		fmt.Sprintf("Copil n°%d – %s", s.copils, s.copilTheme(day.Year, first, last)), s.copil)
	it.rec.Roles = roles(chef, rolePrep, roleAnim, roleMinutes)
	for _, o := range s.officers[1:] {
		it.rec.Roles = append(it.rec.Roles, roles(o, roleJoin)...)
	}
	it.want = want{3, 6, institutions, false}
	out := []*item{it}
	for range between(s.rng, 2, 4) {
		out = append(out, s.decision(it))
	}
	if chance(s.rng, 0.5) { // an expert invited to the Copil (S11b)
		out = append(out, s.copilExpertise(day))
	}
	if chance(s.rng, 0.45) {
		a := s.alert(chef, day)
		a.meeting = it.rec
		it.rec.Roles = append(it.rec.Roles, roles(chef, roleAlert)...)
		out = append(out, a)
	}
	return out
}

func (s *site) copilExpertise(day civil.Date) *item {
	it := s.expertise(s.chef(), day)
	it.rec.InstanceKind, it.rec.InstanceID = "copil", s.copil.ID
	return it
}

func (s *site) copilTheme(y int, first, last bool) string {
	switch {
	case y == 2023 && first:
		return "installation de la CTG et lancement du diagnostic partagé"
	case y == 2026 && last:
		return "évaluation finale de la CTG"
	case first:
		return fmt.Sprintf("bilan %d et programmation %d", y-1, y)
	}
	return pick(s.rng, copilThemes)
}

// decision is taken at the Copil meeting copil.
func (s *site) decision(copil *item) *item {
	axis := pick(s.rng, s.ctg.Axes)
	what := lowerFirst(pick(s.rng, projects[axis]))
	it := s.newItem(s.chef(), journal.Decision, copil.day, pick(s.rng, decisionVerbs)+" "+what)
	it.rec.Axis, it.rec.Facilitated, it.rec.ActionID = axis, chance(s.rng, 0.55), s.ficheID(axis, 0.4)
	it.meeting = copil.rec
	it.want = want{0, 1, institutions, false}
	return it
}

func (s *site) cotechBefore(copil civil.Date, y int) *item {
	chef := s.chef()
	day := near(s.rng, copil.AddDays(-between(s.rng, 14, 24)), 2, y)
	title := "Comité technique – préparation du Copil " + ofMonth(copil)
	if chance(s.rng, 0.4) {
		title = "Comité technique – " + pick(s.rng, cotechThemes)
	}
	it := s.meeting(chef, "cotech", day, title, s.cotech)
	it.rec.Roles = roles(chef, rolePrep, roleAnim)
	for _, o := range s.officers[1:] {
		it.rec.Roles = append(it.rec.Roles, roles(o, pickRole(s, roleJoin, roleCoAnim, 0.7))...)
	}
	it.want = want{2, 4, institutions, true}
	return it
}

func pickRole(s *site, a, b string, pa float64) string {
	if chance(s.rng, pa) {
		return a
	}
	return b
}

func (s *site) groupSessions(g ctg.Instance, y int) []*item {
	var out []*item
	for i := range between(s.rng, 3, 4) {
		o := s.groupLead(g.Axis)
		day := s.dayIn(y)
		it := s.meeting(o, "groupe_travail", day, fmt.Sprintf("%s – séance %d : %s", g.Name, i+1, s.topic(g.Axis)), g)
		it.rec.Roles = roles(o, roleAnim)
		if chance(s.rng, 0.6) {
			it.rec.Roles = append(it.rec.Roles, roles(o, rolePrep)...)
		}
		if x := s.other(o); chance(s.rng, 0.5) {
			it.rec.Roles = append(it.rec.Roles, roles(x, roleJoin)...)
		}
		it.rec.Axis, it.rec.ActionID = g.Axis, s.ficheID(g.Axis, 0.3)
		it.want = want{3, 5, partnersAtLarge, true}
		out = append(out, it)
	}
	return out
}

// groupLead is the post that animates a group: a part-time post holding
// its axis if any, else the chef de projet.
func (s *site) groupLead(axis string) *officer {
	for _, o := range s.officers[1:] {
		if containsAxis(o, axis) && chance(s.rng, 0.8) {
			return o
		}
	}
	return s.chef()
}

func containsAxis(o *officer, axis string) bool { return slices.Contains(o.post.Axes, axis) }

// networkMeetings: the departmental network of officers meets three times
// a year; each CTG records it once, its posts participating.
func (s *site) networkMeetings(y int) []*item {
	var out []*item
	for i, m := range []time.Month{time.March, time.June, time.November} {
		o := s.officers[(y+i)%len(s.officers)]
		day := near(s.rng, civil.New(y, m, between(s.rng, 3, 12)), 3, y)
		it := s.meeting(o, "reseau_cooperateurs", day, "Réseau des coopérateurs – "+pick(s.rng, networkThemes), s.network)
		for _, x := range s.officers {
			it.rec.Roles = append(it.rec.Roles, roles(x, roleJoin)...)
		}
		out = append(out, it)
	}
	return out
}

func (s *site) cdsfMeetings(y int) []*item {
	var out []*item
	for _, m := range []time.Month{time.April, time.October} {
		day := near(s.rng, civil.New(y, m, between(s.rng, 5, 20)), 3, y)
		it := s.meeting(s.chef(), "cdsf", day, "CDSF – "+pick(s.rng, cdsfThemes), s.cdsf)
		it.rec.Roles = roles(s.chef(), roleJoin)
		it.want = want{1, 3, institutions, false}
		out = append(out, it)
	}
	return out
}

// admissions: the commission d'admission of the childcare places, in spring
// and before the school year; requests grow with the population.
func (s *site) admissions(y int) []*item {
	var out []*item
	for _, m := range []time.Month{time.May, time.September} {
		day := near(s.rng, civil.New(y, m, between(s.rng, 5, 20)), 3, y)
		title := fmt.Sprintf("Commission d'admission des modes d'accueil – %s %d", monthName(day), y)
		it := s.meeting(s.chef(), nomenclature.MeetingAdmission, day, title, ctg.Instance{})
		it.rec.Roles = roles(s.chef(), roleCoAnim)
		it.rec.Axis = "petite_enfance"
		scale := 1 + float64(s.ctg.Population)/25000
		it.rec.RequestsExamined = int(float64(between(s.rng, 12, 28)) * scale)
		it.rec.PlacesAllocated = it.rec.RequestsExamined * between(s.rng, 35, 70) / 100
		it.want = want{2, 4, childcare, true}
		out = append(out, it)
	}
	return out
}

// veille: a watch meeting, organised by the post when 2.1 is delegated to it.
func (s *site) veille(o *officer, day civil.Date) *item {
	axis := s.axis(o)
	topic := s.topic(axis)
	title := "Réunion de veille – " + topic
	switch x := s.rng.Float64(); {
	case x < 0.35:
		title = fmt.Sprintf("Veille partenariale : %s à %s", topic, s.town())
	case x < 0.6:
		title = "Point de veille sur " + topic
	}
	it := s.meeting(o, nomenclature.MeetingVeille, day, title, ctg.Instance{})
	it.rec.Roles = s.organiserRoles(o)
	if chance(s.rng, 0.3) {
		it.rec.InstanceID = s.group(axis).ID
	}
	it.rec.Axis = axis
	it.want = want{2, 4, partnersAtLarge, true}
	return it
}

// organiserRoles: a post organises what it is delegated, else takes part.
func (s *site) organiserRoles(o *officer) []journal.Role {
	if !o.delegates("2.1") {
		return roles(o, roleJoin)
	}
	if chance(s.rng, 0.7) {
		return roles(o, rolePrep, roleAnim)
	}
	rs := roles(o, roleCoAnim)
	if x := s.other(o); chance(s.rng, 0.5) {
		rs = append(rs, roles(x, roleJoin)...)
	}
	return rs
}

func (s *site) diagnostic(o *officer, day civil.Date) *item {
	axis := s.axis(o)
	topic := s.topic(axis)
	title := fmt.Sprintf("Diagnostic partagé : atelier « %s »", topic)
	switch {
	case day.Year > 2023 && chance(s.rng, 0.5):
		title = fmt.Sprintf("Actualisation du diagnostic à %s : %s", s.town(), topic)
	case day.Year > 2023:
		title = "Actualisation du diagnostic : " + topic
	case chance(s.rng, 0.4):
		title = fmt.Sprintf("Diagnostic partagé – entretien sur %s à %s", topic, s.town())
	}
	it := s.meeting(o, nomenclature.MeetingDiagnostic, day, title, ctg.Instance{})
	it.rec.Roles = s.organiserRoles(o)
	it.rec.Axis = axis
	it.want = want{2, 6, nil, true}
	return it
}

func (s *site) publicMeeting(o *officer, day civil.Date) *item {
	axis := s.axis(o)
	title := fmt.Sprintf("Réunion publique à %s : %s", s.town(), s.topic(axis))
	if chance(s.rng, 0.4) {
		title = fmt.Sprintf("Soirée d'information des familles à %s – %s", s.town(), s.topic(axis))
	}
	it := s.meeting(o, "reunion_publique", day, title, ctg.Instance{})
	it.rec.Roles = roles(o, pickRole(s, roleAnim, roleCoAnim, 0.6))
	it.rec.Axis = axis
	it.want = want{1, 3, residentsAndCommunes, true}
	return it
}
