// Package journal models the activity records that officers keep: one
// record, one CTG, one author post (counting rule 1). A meeting stays one
// record however many posts took part; it carries each post's roles.
package journal

import (
	"time"

	"copilote/internal/civil"
	"copilote/internal/nomenclature"
)

// Kind is the kind of a record.
type Kind string

const (
	Reunion       Kind = "reunion"
	Decision      Kind = "decision"
	Alerte        Kind = "alerte"
	Expertise     Kind = "expertise"
	Sujet         Kind = "sujet"
	Explicitation Kind = "explicitation"
	Projet        Kind = "projet"
	Relais        Kind = "relais"
	Appui         Kind = "appui"
	Ingenierie    Kind = "ingenierie"
	Support       Kind = "support"
	Initiative    Kind = "initiative"
)

// Record is one entry of the journal. Fields that a kind does not use stay
// at their zero value (Spec says which ones each kind uses).
type Record struct {
	ID     int64      `json:"id"`
	CTGID  int64      `json:"ctg_id"`
	PostID int64      `json:"post_id"`
	Kind   Kind       `json:"kind"`
	Date   civil.Date `json:"date"`
	Title  string     `json:"title,omitempty"`
	// Comment is the free text every record may have.
	Comment string `json:"comment,omitempty"`

	InstanceID int64  `json:"instance_id,omitempty"`
	ActionID   int64  `json:"action_id,omitempty"`
	MeetingID  int64  `json:"meeting_id,omitempty"` // the Copil meeting a decision or alert was taken at
	Axis       string `json:"axis,omitempty"`
	// Nature is the kind's main nomenclature value (meeting kind, alert
	// nature, expertise nature, dispositif, relais nature…).
	Nature       string `json:"nature,omitempty"`
	Audience     string `json:"audience,omitempty"`
	InstanceKind string `json:"instance_kind,omitempty"` // where an expertise was mobilised

	Facilitated         bool `json:"facilitated,omitempty"`
	Innovative          bool `json:"innovative,omitempty"`
	Network             bool `json:"network,omitempty"`
	HabitantsConception bool `json:"habitants_conception,omitempty"`
	HabitantsEvaluation bool `json:"habitants_evaluation,omitempty"`

	Status   string     `json:"status,omitempty"` // alert or subject status
	Origin   string     `json:"origin,omitempty"` // subject origin
	TakenOn  civil.Date `json:"taken_on,omitempty"`
	TakenHow string     `json:"taken_how,omitempty"`

	RequestsExamined int `json:"requests_examined,omitempty"`
	PlacesAllocated  int `json:"places_allocated,omitempty"`

	LinkedOn         civil.Date `json:"linked_on,omitempty"`
	LinkedInstanceID int64      `json:"linked_instance_id,omitempty"`

	PartnerIDs []int64 `json:"partner_ids,omitempty"`
	Roles      []Role  `json:"roles,omitempty"`

	CreatedAt time.Time  `json:"-"`
	CreatedBy int64      `json:"-"`
	UpdatedAt time.Time  `json:"-"`
	UpdatedBy int64      `json:"-"`
	DeletedAt *time.Time `json:"-"`
}

// Role is what one post did in a meeting.
type Role struct {
	PostID int64  `json:"post_id"`
	Role   string `json:"role"`
}

// SubjectStatus is one step of a subject's history.
type SubjectStatus struct {
	ID       int64      `json:"id"`
	RecordID int64      `json:"record_id"`
	Status   string     `json:"status"`
	Date     civil.Date `json:"date"`
	How      string     `json:"how,omitempty"`
	PostID   int64      `json:"post_id"`
}

// Attachment is the file of a support.
type Attachment struct {
	ID          int64  `json:"id"`
	RecordID    int64  `json:"record_id"`
	Name        string `json:"name"`
	ContentType string `json:"content_type"`
	Size        int64  `json:"size"`
	Data        []byte `json:"-"`
}

// PostsWithRole lists the posts that had a role in a meeting, each once.
func (r *Record) PostsWithRole() []int64 {
	var out []int64
	seen := map[int64]bool{}
	for _, ro := range r.Roles {
		if !seen[ro.PostID] {
			seen[ro.PostID] = true
			out = append(out, ro.PostID)
		}
	}
	return out
}

// HasRole reports whether post had role in the meeting.
func (r *Record) HasRole(post int64, role string) bool {
	for _, ro := range r.Roles {
		if ro.PostID == post && ro.Role == role {
			return true
		}
	}
	return false
}

// IsAdmission is the commission d'admission, which records requests and places.
func (r *Record) IsAdmission() bool {
	return r.Kind == Reunion && r.Nature == nomenclature.MeetingAdmission
}
