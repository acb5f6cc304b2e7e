package demo

import (
	"fmt"
	"slices"
	"unicode"
	"unicode/utf8"

	"copilote/internal/civil"
	"copilote/internal/journal"
	"copilote/internal/nomenclature"
)

// The builders below make one record each of the kinds an officer records
// day to day; governance meetings are in meetings.go.

func (s *site) code(k nomenclature.Kind) string {
	return pick(s.rng, s.n.Values(k)).Code
}

func (s *site) expertise(o *officer, day civil.Date) *item {
	axis := s.axis(o)
	nature := s.code(nomenclature.ExpertiseNature)
	it := s.newItem(o, journal.Expertise, day, fmt.Sprintf(pick(s.rng, expertiseTitles[nature]), s.topic(axis)))
	r := it.rec
	r.Nature, r.Axis = nature, axis
	switch x := s.rng.Float64(); {
	case x < 0.3:
		r.InstanceKind, r.InstanceID = "copil", s.copil.ID
	case x < 0.5:
		r.InstanceKind, r.InstanceID = "cotech", s.cotech.ID
	default:
		g := s.group(axis)
		r.InstanceKind, r.InstanceID, r.Axis = "groupe_travail", g.ID, g.Axis
	}
	it.want = want{0, 2, institutions, true}
	return it
}

func (s *site) alert(o *officer, day civil.Date) *item {
	axis := s.axis(o)
	nature := s.code(nomenclature.AlertNature)
	it := s.newItem(o, journal.Alerte, day, fmt.Sprintf(pick(s.rng, alertTitles[nature]), s.topic(axis)))
	it.rec.Nature, it.rec.Status, it.rec.Axis = nature, s.alertStatus(day), axis
	it.rec.ActionID = s.ficheID(axis, 0.5)
	return it
}

// alertStatus: old alerts have mostly been dealt with, recent ones not.
func (s *site) alertStatus(day civil.Date) string {
	x := s.rng.Float64()
	switch {
	case lastDay.DaysSince(day) < 120 && x < 0.7:
		return "ouverte"
	case x < 0.12:
		return "ouverte"
	case x < 0.27:
		return "close"
	}
	return "traitee"
}

// Subject origins rotate rather than being drawn, so every origin shows in
// every CTG however few subjects a light load makes.
var (
	followUpOrigins = []string{nomenclature.OriginAlert, nomenclature.OriginActionPlan, nomenclature.OriginAlert,
		nomenclature.OriginActionPlan, "autre"}
	watchOrigins = []string{nomenclature.OriginWatch, nomenclature.OriginDiagnostic, nomenclature.OriginWatch}
)

// followUpSubject comes from the Copil or the action plan (E12).
func (s *site) followUpSubject(o *officer, day civil.Date) *item {
	s.followUps++
	return s.subject(o, day, followUpOrigins[s.followUps%len(followUpOrigins)])
}

// watchSubject comes from the working groups or the diagnostic (E21).
func (s *site) watchSubject(o *officer, day civil.Date) *item {
	s.watches++
	return s.subject(o, day, watchOrigins[s.watches%len(watchOrigins)])
}

func (s *site) subject(o *officer, day civil.Date, origin string) *item {
	axis := s.axis(o)
	title := capitalise(pick(s.rng, issues[axis]))
	if chance(s.rng, 0.7) {
		title += " à " + s.town()
	}
	it := s.newItem(o, journal.Sujet, day, title)
	it.rec.Origin, it.rec.Status, it.rec.Axis = origin, nomenclature.SubjectIdentified, axis
	if on, ok := later(s.rng, day, 30, 240); ok && chance(s.rng, 0.55) {
		f := s.fiche(axis)
		code := "à créer"
		if f != nil {
			code, it.rec.ActionID = f.a.Code, f.a.ID
		}
		it.taken = &taking{on: on, how: fmt.Sprintf(pick(s.rng, takenHows), code)}
	}
	return it
}

func (s *site) explicitation(o *officer, day civil.Date) *item {
	nature := s.code(nomenclature.Dispositif)
	axis := dispositifAxis[nature]
	if !slices.Contains(s.ctg.Axes, axis) {
		axis = ""
	}
	label := s.n.Label(nomenclature.Dispositif, nature)
	it := s.newItem(o, journal.Explicitation, day, "")
	it.rec.Nature, it.rec.Axis = nature, axis
	if chance(s.rng, 0.45) {
		it.rec.Audience, it.rec.Title = nomenclature.AudienceElus, fmt.Sprintf(pick(s.rng, electedTitles), s.town(), label)
		it.want = want{1, 2, []string{"commune", "epci"}, false}
		return it
	}
	about := s.topic(pick(s.rng, s.ctg.Axes))
	if axis != "" {
		about = s.topic(axis)
	}
	it.rec.Audience, it.rec.Title = nomenclature.AudiencePartenaires, fmt.Sprintf(pick(s.rng, partnerTitles), label, about)
	it.want = want{1, 3, axisTypes[axis], true}
	return it
}

func (s *site) project(o *officer, day civil.Date) *item {
	return s.projectWith(o, day, 0.25, 0.15)
}

// habitantsProject involves inhabitants from the start (E41).
func (s *site) habitantsProject(o *officer, day civil.Date) *item {
	return s.projectWith(o, day, 0.85, 0.6)
}

func (s *site) projectWith(o *officer, day civil.Date, conception, evaluation float64) *item {
	axis := s.axis(o)
	it := s.newItem(o, journal.Projet, day, pick(s.rng, projects[axis])+" – "+s.town())
	r := it.rec
	r.Axis, r.ActionID = axis, s.ficheID(axis, 0.3)
	r.Facilitated = chance(s.rng, 0.35) || (o.delegates("2.2") && chance(s.rng, 0.5))
	r.HabitantsConception = chance(s.rng, conception)
	r.HabitantsEvaluation = chance(s.rng, evaluation)
	it.want = want{1, 3, axisTypes[axis], true}
	return it
}

func (s *site) relais(o *officer, day civil.Date) *item {
	axis := s.axis(o)
	nature := s.code(nomenclature.RelaisNature)
	it := s.newItem(o, journal.Relais, day, fmt.Sprintf(pick(s.rng, relaisTitles[nature]), s.topic(axis)))
	it.rec.Nature, it.rec.Axis = nature, axis
	it.want = want{1, 2, axisTypes[axis], true}
	return it
}

func (s *site) appui(o *officer, day civil.Date) *item {
	axis := s.axis(o)
	nature := s.code(nomenclature.AppuiNature)
	it := s.newItem(o, journal.Appui, day, fmt.Sprintf(pick(s.rng, appuiTitles[nature]), s.topic(axis)))
	it.rec.Nature, it.rec.Axis = nature, axis
	it.want = want{1, 1, axisTypes[axis], true}
	return it
}

func (s *site) ingenierie(o *officer, day civil.Date) *item {
	axis := s.axis(o)
	nature := s.code(nomenclature.IngenierieNat)
	it := s.newItem(o, journal.Ingenierie, day, fmt.Sprintf(pick(s.rng, ingenierieTitles[nature]), s.topic(axis)))
	it.rec.Nature, it.rec.Axis = nature, axis
	it.want = want{0, 2, axisTypes[axis], true}
	return it
}

func (s *site) support(o *officer, day civil.Date) *item {
	return s.supportFor(o, day, chance(s.rng, 0.1))
}

// networkSupport is produced within the officers' network (S32b).
func (s *site) networkSupport(o *officer, day civil.Date) *item {
	return s.supportFor(o, day, true)
}

func (s *site) supportFor(o *officer, day civil.Date, network bool) *item {
	axis := s.axis(o)
	kind := s.code(nomenclature.SupportKind)
	it := s.newItem(o, journal.Support, day, fmt.Sprintf(pick(s.rng, supportTitles[kind]), s.topic(axis)))
	r := it.rec
	r.Nature, r.Axis, r.Network = kind, axis, network
	r.Innovative = chance(s.rng, 0.2)
	switch x := s.rng.Float64(); {
	case network && x < 0.6:
		r.Audience = "cooperateurs"
	case x < 0.55:
		r.Audience = nomenclature.AudienceHabitants
	case x < 0.9:
		r.Audience = nomenclature.AudiencePartenaires
	default:
		r.Audience = nomenclature.AudienceElus
	}
	return it
}

func (s *site) initiative(o *officer, day civil.Date) *item {
	axis := s.axis(o)
	it := s.newItem(o, journal.Initiative, day,
		fmt.Sprintf("Initiative d'habitants : %s à %s", pick(s.rng, initiatives), s.town()))
	it.rec.Axis = axis
	if on, ok := later(s.rng, day, 20, 150); ok && chance(s.rng, 0.45) {
		it.rec.LinkedOn, it.rec.LinkedInstanceID = on, s.group(axis).ID
	}
	it.want = want{1, 2, residents, true}
	return it
}

func capitalise(s string) string { return mapFirst(s, unicode.ToUpper) }

func lowerFirst(s string) string { return mapFirst(s, unicode.ToLower) }

func mapFirst(s string, f func(rune) rune) string {
	r, n := utf8.DecodeRuneInString(s)
	return string(f(r)) + s[n:]
}
