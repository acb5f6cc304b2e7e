package journal

import (
	"strings"

	"copilote/internal/apperr"
	"copilote/internal/civil"
	"copilote/internal/msg"
	"copilote/internal/nomenclature"
)

// Context is what validation needs to know of the CTG a record belongs to.
type Context struct {
	Nomenclature *nomenclature.Set
	Start, End   civil.Date     // the convention's period
	Posts        map[int64]bool // the CTG's posts
}

const maxText = 10000

// Validate checks a record against its kind's spec, clears the fields the
// kind does not use (so stray form values never reach the database), and
// returns the French message of each field at fault.
func (r *Record) Validate(c Context) error {
	f := apperr.Fields{}
	s, ok := SpecOf(r.Kind)
	if !ok {
		f.Add("kind", msg.InvalidChoice)
		return f.Err()
	}
	r.clearUnused(s)
	r.Title = strings.TrimSpace(r.Title)
	r.Comment = strings.TrimSpace(r.Comment)
	r.checkCommon(c, f)
	r.checkRequired(s, f)
	r.checkChoices(s, c.Nomenclature, f)
	r.checkKind(c, f)
	return f.Err()
}

func (r *Record) checkCommon(c Context, f apperr.Fields) {
	if r.Date.IsZero() {
		f.Add("date", msg.Required)
	} else if r.Date.Before(c.Start) || r.Date.After(c.End) {
		f.Add("date", msg.DateOutsideCTG, c.Start.French(), c.End.French())
	}
	if !c.Posts[r.PostID] {
		f.Add("post", msg.PostNotInCTG)
	}
	if len(r.Title) > 300 {
		f.Add("title", msg.TooLong, 300)
	}
	if len(r.Comment) > maxText {
		f.Add("comment", msg.TooLong, maxText)
	}
}

func (r *Record) checkRequired(s Spec, f apperr.Fields) {
	for _, fl := range s.Required {
		switch fl {
		case FTitle:
			f.Required("title", r.Title)
		case FNature:
			f.Required("nature", r.Nature)
		case FAudience:
			f.Required("audience", r.Audience)
		case FInstanceKind:
			f.Required("instance_kind", r.InstanceKind)
		case FStatus:
			f.Required("status", r.Status)
		case FOrigin:
			f.Required("origin", r.Origin)
		case FAxis:
			f.Required("axis", r.Axis)
		case FPartners:
			if len(r.PartnerIDs) == 0 {
				f.Add("partners", msg.Required)
			}
		case FRoles:
			if len(r.Roles) == 0 {
				f.Add("roles", msg.MeetingNoRole)
			}
		}
	}
}

func (r *Record) checkChoices(s Spec, n *nomenclature.Set, f apperr.Fields) {
	check := func(field string, k nomenclature.Kind, v string) {
		if v != "" && k != "" && !n.Has(k, v) {
			f.Add(field, msg.InvalidChoice)
		}
	}
	check("nature", s.NatureKind, r.Nature)
	check("audience", s.AudienceKind, r.Audience)
	check("status", s.StatusKind, r.Status)
	check("axis", nomenclature.Axis, r.Axis)
	check("instance_kind", nomenclature.InstanceKind, r.InstanceKind)
	check("origin", nomenclature.SubjectOrigin, r.Origin)
	for _, ro := range r.Roles {
		check("roles", nomenclature.MeetingRole, ro.Role)
	}
}

func (r *Record) checkKind(c Context, f apperr.Fields) {
	for _, ro := range r.Roles {
		if !c.Posts[ro.PostID] {
			f.Add("roles", msg.PostNotInCTG)
		}
	}
	if r.Kind == Sujet && r.Status == nomenclature.SubjectTaken {
		if r.TakenOn.IsZero() {
			f.Add("taken_on", msg.Required)
		} else if r.TakenOn.Before(r.Date) {
			f.Add("taken_on", msg.DateOrder)
		}
	}
	if r.RequestsExamined < 0 || r.PlacesAllocated < 0 {
		f.Add("admission", msg.Range, 0, "l'infini")
	}
	if !r.LinkedOn.IsZero() && r.LinkedOn.Before(r.Date) {
		f.Add("linked_on", msg.DateOrder)
	}
}

// clearUnused zeroes what the kind does not use.
func (r *Record) clearUnused(s Spec) {
	if !s.Uses(FTitle) {
		r.Title = ""
	}
	if !s.Uses(FNature) {
		r.Nature = ""
	}
	if !s.Uses(FAudience) {
		r.Audience = ""
	}
	if !s.Uses(FInstanceKind) {
		r.InstanceKind = ""
	}
	if !s.Uses(FInstance) {
		r.InstanceID = 0
	}
	if !s.Uses(FAction) {
		r.ActionID = 0
	}
	if !s.Uses(FMeeting) {
		r.MeetingID = 0
	}
	if !s.Uses(FPartners) {
		r.PartnerIDs = nil
	}
	if !s.Uses(FRoles) {
		r.Roles = nil
	}
	if !s.Uses(FFacilitated) {
		r.Facilitated = false
	}
	if !s.Uses(FInnovative) {
		r.Innovative = false
	}
	if !s.Uses(FNetwork) {
		r.Network = false
	}
	if !s.Uses(FHabitants) {
		r.HabitantsConception, r.HabitantsEvaluation = false, false
	}
	if !s.Uses(FStatus) {
		r.Status = ""
	}
	if !s.Uses(FOrigin) {
		r.Origin = ""
	}
	if !s.Uses(FTaken) || r.Status != nomenclature.SubjectTaken {
		r.TakenOn, r.TakenHow = civil.Date{}, ""
	}
	if !s.Uses(FAdmission) || !r.IsAdmission() {
		r.RequestsExamined, r.PlacesAllocated = 0, 0
	}
	if !s.Uses(FLinked) {
		r.LinkedOn, r.LinkedInstanceID = civil.Date{}, 0
	}
}
