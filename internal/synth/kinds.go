package synth

import (
	"strconv"

	"copilote/internal/civil"
	"copilote/internal/journal"
	"copilote/internal/nomenclature"
)

// codes are the national codes of each list, the values every Caf shares.
var codes = func() map[nomenclature.Kind][]string {
	out := map[nomenclature.Kind][]string{}
	for _, v := range nomenclature.National {
		out[v.Kind] = append(out[v.Kind], v.Code)
	}
	return out
}()

var meetingKinds = newTable(
	[]string{"groupe_travail", "cotech", nomenclature.MeetingCopil, nomenclature.MeetingVeille, nomenclature.MeetingDiagnostic,
		"reseau_cooperateurs", "cdsf", "reunion_publique", nomenclature.MeetingAdmission},
	[]float64{0.30, 0.12, 0.05, 0.12, 0.06, 0.10, 0.05, 0.10, 0.10})

var origins = newTable(
	[]string{nomenclature.OriginAlert, nomenclature.OriginActionPlan, nomenclature.OriginWatch, nomenclature.OriginDiagnostic, "autre"},
	[]float64{0.2, 0.2, 0.25, 0.2, 0.15})

var supportAudiences = newTable(
	[]string{nomenclature.AudienceHabitants, nomenclature.AudiencePartenaires, nomenclature.AudienceElus, "cooperateurs"},
	[]float64{0.45, 0.3, 0.1, 0.15})

func (s *site) code(k nomenclature.Kind) string { return pick(s.r, codes[k]) }

// axis is mostly one of the post's axes, sometimes another of the CTG's.
func (s *site) axis(r *rec) string {
	if chance(s.r, 0.8) {
		return pick(s.r, r.post.axes)
	}
	return pick(s.r, s.t.axes)
}

func (s *site) topic(axis string) string { return pick(s.r, topics[axis]) }

func (s *site) town() string { return pick(s.r, s.towns) }

// fiche is a fiche action of axis with probability p, else 0.
func (s *site) fiche(axis string, p float64) int64 {
	if ids := s.actions[axis]; len(ids) > 0 && chance(s.r, p) {
		return pick(s.r, ids)
	}
	return 0
}

// partners draws lo to hi distinct partners, the CTG's regulars most often.
func (s *site) partners(r *rec, lo, hi int) {
	n := min(between(s.r, lo, hi), len(s.pool))
	for len(r.partners) < n {
		u := s.r.Float64()
		p := s.pool[int(u*u*float64(len(s.pool)))]
		if !containsID(r.partners, p) {
			r.partners = append(r.partners, p)
		}
	}
}

func containsID(xs []int64, x int64) bool {
	for _, y := range xs {
		if y == x {
			return true
		}
	}
	return false
}

// lastCopil is the latest Copil meeting held by day, 0 if none.
func (s *site) lastCopil(day civil.Date) int64 {
	for i := len(s.copils) - 1; i >= 0; i-- {
		if !s.copils[i].day.After(day) {
			return s.copils[i].id
		}
	}
	return 0
}

// titled sets a title made of a kind's lead and a topic of the axis.
func (s *site) titled(r *rec) {
	r.title = pick(s.r, kindTitles[string(r.kind)]) + s.topic(r.axis)
}

func (s *site) meetingRec(r *rec) {
	nature := meetingKinds.draw(s.r)
	if r.day.Before(s.t.start.AddDays(365)) && chance(s.r, 0.1) {
		nature = nomenclature.MeetingDiagnostic // the diagnostic is shared at the start
	}
	r.nature, r.axis = nature, ""
	r.title = meetingTitles[nature]
	switch nature {
	case nomenclature.MeetingCopil:
		r.instance = s.inst.copil
		r.title += " n°" + strconv.Itoa(len(s.copils)+1)
		s.partners(r, 0, 1)
	case "cotech":
		r.instance = s.inst.cotech
		s.partners(r, 0, 2)
	case "groupe_travail":
		r.axis = s.axis(r)
		r.instance, r.title = s.inst.groups[r.axis], r.title+" – "+s.topic(r.axis)
		s.partners(r, 1, 3)
	case "reseau_cooperateurs":
		r.instance = s.inst.network
	case "cdsf":
		r.instance = s.inst.cdsf
	case nomenclature.MeetingDiagnostic:
		r.axis, r.title = s.axis(r), r.title+" – "+s.town()
		s.partners(r, 2, 3)
	case nomenclature.MeetingAdmission:
		r.axis, r.title = "petite_enfance", r.title+" – "+s.town()
		r.requests = between(s.r, 8, 60)
		r.places = r.requests * between(s.r, 25, 80) / 100
		s.partners(r, 1, 2)
	default: // veille, réunion publique
		r.axis, r.title = s.axis(r), r.title+" – "+s.town()
		s.partners(r, 0, 2)
	}
	if r.axis != "" {
		r.action = s.fiche(r.axis, 0.15)
	}
	s.roles(r)
}

// roles: the author's roles by meeting kind, and now and then a colleague.
func (s *site) roles(r *rec) {
	me := r.post
	var mine []string
	switch {
	case r.nature == nomenclature.MeetingCopil && me.chef:
		mine = pickSome(s.r, []string{"preparation", "animation", "releve_decisions", "alerte"}, between(s.r, 1, 3))
	case r.nature == nomenclature.MeetingVeille && chance(s.r, 0.75):
		mine = []string{pick(s.r, []string{"preparation", "animation", "co_animation"})}
	case r.nature == "groupe_travail" || r.nature == nomenclature.MeetingDiagnostic:
		mine = []string{pick(s.r, []string{"animation", "co_animation", "preparation", nomenclature.RoleParticipation})}
	case chance(s.r, 0.5):
		mine = []string{nomenclature.RoleParticipation}
	default:
		mine = []string{pick(s.r, []string{"animation", "preparation", "releve_decisions"})}
	}
	for _, ro := range mine {
		r.roles = append(r.roles, role{me.id, ro})
	}
	for _, o := range s.t.posts {
		if o != me && !o.start.After(r.day) && chance(s.r, 0.2) {
			r.roles = append(r.roles, role{o.id, pick(s.r, []string{nomenclature.RoleParticipation, nomenclature.RoleParticipation, "co_animation"})})
		}
	}
}

func (s *site) decision(r *rec) {
	r.axis = s.axis(r)
	s.titled(r)
	r.facilitated = chance(s.r, 0.45) || (r.post.chef && chance(s.r, 0.3))
	r.meeting = s.lastCopil(r.day)
	r.action = s.fiche(r.axis, 0.4)
	s.partners(r, 0, 1)
}

func (s *site) alert(r *rec) {
	r.axis, r.nature = s.axis(r), s.code(nomenclature.AlertNature)
	s.titled(r)
	r.status = "traitee"
	switch x := s.r.Float64(); {
	case AsOf.DaysSince(r.day) < 120 && x < 0.7, x < 0.2:
		r.status = "ouverte"
	case x < 0.35:
		r.status = "close"
	}
	r.action = s.fiche(r.axis, 0.5)
	if chance(s.r, 0.5) {
		r.meeting = s.lastCopil(r.day)
	}
}

func (s *site) expertise(r *rec) {
	r.axis, r.nature = s.axis(r), s.code(nomenclature.ExpertiseNature)
	s.titled(r)
	switch x := s.r.Float64(); {
	case x < 0.3:
		r.iKnd, r.instance = "copil", s.inst.copil
	case x < 0.5:
		r.iKnd, r.instance = "cotech", s.inst.cotech
	default:
		r.iKnd, r.instance = "groupe_travail", s.inst.groups[r.axis]
	}
	s.partners(r, 0, 2)
}

// subject: about half are taken into the CTG 1 to 8 months later, when
// that falls within the CTG and before AsOf.
func (s *site) subject(r *rec) {
	r.axis, r.origin, r.status = s.axis(r), origins.draw(s.r), nomenclature.SubjectIdentified
	r.title = pick(s.r, kindTitles["sujet"]) + s.topic(r.axis) + " à " + s.town()
	on := r.day.AddDays(between(s.r, 30, 240))
	if chance(s.r, 0.55) && !on.After(civil.Earlier(s.t.end, AsOf)) {
		r.status, r.takenOn, r.takenHow = nomenclature.SubjectTaken, on, pick(s.r, takenHows)
		r.action = s.fiche(r.axis, 0.5)
	}
}

func (s *site) explicitation(r *rec) {
	r.nature = s.code(nomenclature.Dispositif)
	r.audience = nomenclature.AudiencePartenaires
	if chance(s.r, 0.45) {
		r.audience = nomenclature.AudienceElus
	}
	if chance(s.r, 0.6) {
		r.axis = s.axis(r)
	}
	r.title = kindTitles["explicitation"][0] + s.topic(pick(s.r, s.t.axes))
	s.partners(r, 0, 2)
}

func (s *site) project(r *rec) {
	r.axis = s.axis(r)
	r.title = pick(s.r, kindTitles["projet"]) + s.topic(r.axis) + " – " + s.town()
	r.facilitated = chance(s.r, 0.35) || (slicesContains(r.post.functions, "2.2") && chance(s.r, 0.3))
	r.hConc = chance(s.r, 0.3)
	r.hEval = chance(s.r, 0.1) || (r.hConc && chance(s.r, 0.5))
	r.action = s.fiche(r.axis, 0.3)
	s.partners(r, 1, 3)
}

func (s *site) support(r *rec) {
	r.axis, r.nature = s.axis(r), s.code(nomenclature.SupportKind)
	s.titled(r)
	r.network, r.innovative = chance(s.r, 0.12), chance(s.r, 0.2)
	r.audience = supportAudiences.draw(s.r)
	if r.network && chance(s.r, 0.5) {
		r.audience = "cooperateurs"
	}
}

func (s *site) initiative(r *rec) {
	r.axis = s.axis(r)
	r.title = pick(s.r, kindTitles["initiative"]) + s.topic(r.axis) + " à " + s.town()
	if on := r.day.AddDays(between(s.r, 20, 150)); chance(s.r, 0.45) && !on.After(civil.Earlier(s.t.end, AsOf)) {
		r.linkedOn, r.linkedInstance = on, s.inst.groups[r.axis]
	}
	s.partners(r, 0, 1)
}

// plain fills the relay, support-advice and engineering records: a nature
// from the kind's list, an axis, partners (required for relais and appui).
func (s *site) plain(r *rec) {
	spec, _ := journal.SpecOf(r.kind)
	r.axis, r.nature = s.axis(r), s.code(spec.NatureKind)
	s.titled(r)
	lo := 0
	if spec.Needs(journal.FPartners) {
		lo = 1
	}
	s.partners(r, lo, 2)
}

func slicesContains(xs []string, x string) bool {
	for _, y := range xs {
		if y == x {
			return true
		}
	}
	return false
}
