package web

import (
	"fmt"
	"net/url"
	"strconv"
	"strings"

	"copilote/internal/civil"
	"copilote/internal/journal"
	"copilote/internal/msg"
	"copilote/internal/nomenclature"
	"copilote/internal/partner"
)

// Rows of decisions and alerts offered on a meeting form, so that a Copil
// with its decisions and alerts is recorded from one page.
const (
	decisionRows = 3
	alertRows    = 2
)

// recordValues is the form of an existing record, so that edit and new
// share one template reading only Values.
func recordValues(r *journal.Record) url.Values {
	v := url.Values{}
	set := func(k, s string) {
		if s != "" {
			v.Set(k, s)
		}
	}
	set("kind", string(r.Kind))
	set("date", r.Date.String())
	set("post", fmtID(r.PostID))
	set("title", r.Title)
	set("comment", r.Comment)
	set("nature", r.Nature)
	set("audience", r.Audience)
	set("instance_kind", r.InstanceKind)
	set("axis", r.Axis)
	set("instance", fmtID(r.InstanceID))
	set("action", fmtID(r.ActionID))
	set("meeting", fmtID(r.MeetingID))
	set("status", r.Status)
	set("origin", r.Origin)
	set("taken_on", r.TakenOn.String())
	set("taken_how", r.TakenHow)
	set("linked_on", r.LinkedOn.String())
	set("linked_instance", fmtID(r.LinkedInstanceID))
	if r.RequestsExamined != 0 || r.PlacesAllocated != 0 {
		set("requests_examined", strconv.Itoa(r.RequestsExamined))
		set("places_allocated", strconv.Itoa(r.PlacesAllocated))
	}
	for k, b := range map[string]bool{"facilitated": r.Facilitated, "innovative": r.Innovative, "network": r.Network,
		"hab_conception": r.HabitantsConception, "hab_evaluation": r.HabitantsEvaluation} {
		if b {
			v.Set(k, "on")
		}
	}
	for _, p := range r.PartnerIDs {
		v.Add("partner_id", fmtID(p))
	}
	for _, ro := range r.Roles {
		v.Add("role_"+fmtID(ro.PostID), ro.Role)
	}
	return v
}

// readRecord builds a record from the form; parse problems go to f.Errors.
func readRecord(f *form, e *ctgEnv, kind journal.Kind) journal.Record {
	r := journal.Record{Kind: kind, CTGID: e.CTG.ID, PostID: f.id("post"), Date: f.date("date"),
		Title: f.str("title"), Comment: f.str("comment"), Nature: f.str("nature"), Audience: f.str("audience"),
		InstanceKind: f.str("instance_kind"), Axis: f.str("axis"), InstanceID: f.id("instance"),
		ActionID: f.id("action"), MeetingID: f.id("meeting"), Status: f.str("status"), Origin: f.str("origin"),
		TakenOn: f.date("taken_on"), TakenHow: f.str("taken_how"), LinkedOn: f.date("linked_on"),
		LinkedInstanceID: f.id("linked_instance"), RequestsExamined: f.int("requests_examined"),
		PlacesAllocated: f.int("places_allocated"), Facilitated: f.bool("facilitated"), Innovative: f.bool("innovative"),
		Network: f.bool("network"), HabitantsConception: f.bool("hab_conception"), HabitantsEvaluation: f.bool("hab_evaluation")}
	r.PartnerIDs = append(f.ids("partner_id"), resolvePartners(f, e)...)
	for _, p := range e.Posts {
		for _, role := range f.Values["role_"+fmtID(p.ID)] {
			r.Roles = append(r.Roles, journal.Role{PostID: p.ID, Role: role})
		}
	}
	return r
}

// resolvePartners turns the names typed in the partner pickers into ids:
// an exact name, or the unique partner whose name contains the text. The
// picker keeps what it could not resolve, with a message.
func resolvePartners(f *form, e *ctgEnv) []int64 {
	var ids []int64
	var unknown []string
	list := e.PartnerList()
	for _, typed := range f.Values["partner_name"] {
		typed = strings.TrimSpace(typed)
		if typed == "" {
			continue
		}
		if id := matchPartner(list, typed); id != 0 {
			ids = append(ids, id)
		} else {
			unknown = append(unknown, typed)
		}
	}
	if len(unknown) > 0 {
		f.Errors["partners"] = fmt.Sprintf("Partenaire introuvable ou ambigu : %s. Précisez le nom, ou créez-le dans le registre des partenaires.",
			strings.Join(unknown, ", "))
	}
	return ids
}

func matchPartner(list []partner.Partner, typed string) int64 {
	want := partner.NormalizeName(typed)
	var found []int64
	for _, p := range list {
		n := partner.NormalizeName(p.Name)
		if n == want {
			return p.ID
		}
		if strings.Contains(n, want) {
			found = append(found, p.ID)
		}
	}
	if len(found) == 1 {
		return found[0]
	}
	return 0
}

// meetingChildren reads the decision and alert rows of a meeting form; a
// row with no title is left out.
func meetingChildren(f *form, meeting *journal.Record) []journal.Record {
	var out []journal.Record
	for i := 1; i <= decisionRows; i++ {
		n := strconv.Itoa(i)
		if t := f.str("dec_title_" + n); t != "" {
			out = append(out, journal.Record{Kind: journal.Decision, Title: t, Axis: f.str("dec_axis_" + n),
				Facilitated: f.bool("dec_facilitated_" + n)})
		}
	}
	for i := 1; i <= alertRows; i++ {
		n := strconv.Itoa(i)
		if t := f.str("al_title_" + n); t != "" {
			out = append(out, journal.Record{Kind: journal.Alerte, Title: t, Nature: f.str("al_nature_" + n),
				Status: f.str("al_status_" + n)})
		}
	}
	if len(out) > 0 && meeting.Nature != nomenclature.MeetingCopil {
		f.Errors.Add("nature", msg.InvalidChoice)
		f.Errors["decisions"] = "Les décisions et alertes se rattachent à une réunion de Copil : choisissez le type « Copil »."
	}
	for i := range out {
		out[i].CTGID, out[i].PostID, out[i].Date = meeting.CTGID, meeting.PostID, meeting.Date
	}
	return out
}

// defaultValues pre-fills a new record: today (within the convention), the
// user's own post, and what the link asked for (kind, meeting, action).
func defaultValues(e *ctgEnv, q url.Values) url.Values {
	v := url.Values{}
	today := civil.Today()
	if today.After(e.CTG.End) {
		today = e.CTG.End
	}
	v.Set("date", today.String())
	v.Set("post", fmtID(e.ownPost()))
	for _, k := range []string{"meeting", "action", "nature", "axis", "title"} {
		if s := q.Get(k); s != "" {
			v.Set(k, s)
		}
	}
	// a required choice starts empty ("— choisir —"), but for a status,
	// where a new record's is known: an alert is open, a subject
	// identified; the meeting form's alert rows and the meeting page's
	// quick alert form start the same way
	switch journal.Kind(q.Get("kind")) {
	case journal.Alerte:
		v.Set("status", alertOpen)
	case journal.Sujet:
		v.Set("status", nomenclature.SubjectIdentified)
	}
	for i := 1; i <= alertRows; i++ {
		v.Set("al_status_"+strconv.Itoa(i), alertOpen)
	}
	return v
}

// alertOpen is the status of a new alert.
const alertOpen = "ouverte"
