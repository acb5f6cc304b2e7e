package exchange

import (
	"fmt"
	"slices"

	"copilote/internal/journal"
	"copilote/internal/nomenclature"
)

// recordIndex knows every record read so far: ids ascend in the section,
// so appending keeps them sorted and a binary search finds one. meta holds
// the CTG's index and whether the record is a meeting (a decision or an
// alert may point to a meeting only).
type recordIndex struct {
	ids  []int64
	meta []uint32
}

func (x *recordIndex) add(id int64, ctgIdx uint32, meeting bool) {
	m := ctgIdx << 1
	if meeting {
		m |= 1
	}
	x.ids = append(x.ids, id)
	x.meta = append(x.meta, m)
}

func (x *recordIndex) find(id int64) (ctgIdx uint32, meeting, ok bool) {
	i, ok := slices.BinarySearch(x.ids, id)
	if !ok {
		return 0, false, false
	}
	return x.meta[i] >> 1, x.meta[i]&1 == 1, true
}

// recordFields maps Validate's field names onto the format's.
var recordFields = map[string]string{"post": "post_id", "partners": "partner_ids", "admission": "requests_examined",
	"instance": "instance_id", "action": "action_id", "meeting": "meeting_id"}

// record checks one record with the domain's rules and every reference in
// memory. A meeting_id pointing further down the file is left to
// meetingLater, once every record is known.
func (c *checker) record(v *Record) (forward bool, err *Error) {
	if e := c.ascending(SecRecords, v.ID); e != nil {
		return false, e
	}
	ci, e := c.ctgOf("ctg_id", v.CTGID)
	if e != nil {
		return false, e
	}
	if e := c.postExists("post_id", v.PostID); e != nil {
		return false, e
	}
	d := v.domain()
	if e := renamed(fromValidate(d.Validate(ci.jc), ""), recordFields); e != nil {
		return false, e
	}
	v.absorb(&d)
	e = first(c.recordLinks(v), c.recordPartners(v, ci), c.recordLists(v, ci), stamped("created_at", v.CreatedAt),
		stamped("updated_at", v.UpdatedAt))
	if e != nil {
		return false, e
	}
	forward, e = c.meetingNow(v, ci)
	if e != nil {
		return false, e
	}
	c.records.add(v.ID, ci.idx, v.Kind == string(journal.Reunion))
	return forward, nil
}

// recordLinks checks the instance and fiche a record names belong to its CTG.
func (c *checker) recordLinks(v *Record) *Error {
	in := func(field string, id int64, owners map[int64]int64, what string) *Error {
		if id == 0 {
			return nil
		}
		owner, ok := owners[id]
		if !ok {
			return fieldErr(field, "%s %d inconnue", what, id)
		}
		if owner != v.CTGID {
			return fieldErr(field, "%s %d appartient à une autre CTG (%d)", what, id, owner)
		}
		return nil
	}
	return first(in("instance_id", v.InstanceID, c.instances, "instance"),
		in("linked_instance_id", v.LinkedInstanceID, c.instances, "instance"),
		in("action_id", v.ActionID, c.actions, "fiche action"))
}

// recordPartners: partners of the CTG's Caf, never a merged one (a merge
// moves the links onto the partner kept), each once.
func (c *checker) recordPartners(v *Record, ci *ctgInfo) *Error {
	for _, id := range v.PartnerIDs {
		p, ok := c.partners[id]
		switch {
		case !ok:
			return fieldErr("partner_ids", "partenaire %d inconnu : il doit figurer dans la section partners", id)
		case p.caf != ci.caf:
			return fieldErr("partner_ids", "le partenaire %d appartient à une autre Caf", id)
		case p.merged:
			return fieldErr("partner_ids", "le partenaire %d a été fusionné : désignez le partenaire conservé", id)
		}
	}
	return unique("partner_ids", v.PartnerIDs)
}

// recordLists checks the roles, a subject's history and an attachment.
func (c *checker) recordLists(v *Record, ci *ctgInfo) *Error {
	if e := unique("roles", v.Roles); e != nil {
		return e
	}
	n := ci.jc.Nomenclature
	for i, h := range v.SubjectHistory {
		at := fmt.Sprintf("subject_history[%d].", i)
		switch {
		case !n.Has(nomenclature.SubjectStatus, h.Status):
			return fieldErr(at+"status", "statut de sujet inconnu %q", h.Status)
		case h.Date.IsZero():
			return fieldErr(at+"date", "ce champ est obligatoire")
		}
		if e := c.postExists(at+"post_id", h.PostID); e != nil {
			return e
		}
	}
	if a := v.Attachment; a != nil {
		if e := required("attachment.name", a.Name, "attachment.content_type", a.ContentType); e != nil {
			return e
		}
		if a.Size != int64(len(a.Data)) {
			return fieldErr("attachment.size", "la taille annoncée (%d) n'est pas celle des données (%d octets)", a.Size, len(a.Data))
		}
	}
	return nil
}

// meetingNow checks a meeting_id that points back; one that points further
// down the file is reported as forward, and cleared until the end.
func (c *checker) meetingNow(v *Record, ci *ctgInfo) (forward bool, err *Error) {
	switch {
	case v.MeetingID == 0:
		return false, nil
	case v.MeetingID == v.ID:
		return false, fieldErr("meeting_id", "un enregistrement ne peut renvoyer à lui-même")
	case v.MeetingID > v.ID:
		return true, nil
	}
	return false, c.meetingOf(v.MeetingID, ci.idx)
}

// meetingOf checks that id is a meeting of the CTG of index ctgIdx.
func (c *checker) meetingOf(id int64, ctgIdx uint32) *Error {
	idx, meeting, ok := c.records.find(id)
	switch {
	case !ok:
		return fieldErr("meeting_id", "enregistrement %d inconnu", id)
	case idx != ctgIdx:
		return fieldErr("meeting_id", "l'enregistrement %d appartient à une autre CTG", id)
	case !meeting:
		return fieldErr("meeting_id", "l'enregistrement %d n'est pas une réunion", id)
	}
	return nil
}

// renamed rewrites field names through names.
func renamed(e *Error, names map[string]string) *Error {
	if e == nil {
		return nil
	}
	for i, f := range e.Fields {
		if n, ok := names[f.Field]; ok {
			e.Fields[i].Field = n
		}
	}
	return e
}
