package web

import (
	"copilote/internal/actionplan"
	"copilote/internal/journal"
)

// What a page offers and what its route accepts are decided by the same
// functions (issue 11, item 3): a template shows a control only when the
// method its handler checks says yes, so that no one is offered a button
// that ends in "Accès refusé". The route policies (onCTG) and the
// CanRecord, CanManage and CanAdmin of ctgEnv both ask authz.Principal.Can;
// what depends on the object itself is decided here.

// CanChangeRecord tells whether the user may edit and delete rec: a live
// record written as a post they may record as (an officer their own post's
// records only; advisors and administrators any post of a CTG they manage).
// ownRecord refuses what it refuses; record.html shows "Modifier" and
// "Supprimer" only when it agrees. A record of a closed year changes no
// more (the store refuses it too).
func (e *ctgEnv) CanChangeRecord(rec *journal.Record) bool {
	return rec != nil && rec.DeletedAt == nil && !e.YearClosed(rec.Date) && e.User.CanRecordAs(rec.PostID, e.target())
}

// CanRestoreRecord tells whether the user may bring rec back from the bin:
// not into a closed year.
func (e *ctgEnv) CanRestoreRecord(rec *journal.Record) bool {
	return rec != nil && rec.DeletedAt != nil && !e.YearClosed(rec.Date) && e.CanAdmin()
}

// authorPost is the post the one-click writes of a page (a progress
// update, an alert raised from a fiche, a decision added to a meeting)
// are written as: the user's own post in this CTG, or for those who record
// on behalf of officers the CTG's first post; 0 when the user may record
// as no post, and then the page offers none of them.
func (e *ctgEnv) authorPost() int64 {
	for id, c := range e.User.Posts {
		if c == e.CTG.ID && e.User.CanRecordAs(id, e.target()) {
			return id
		}
	}
	for _, p := range e.Posts {
		if e.User.CanRecordAs(p.ID, e.target()) {
			return p.ID
		}
	}
	return 0
}

// CanWriteAsPost tells whether the page may offer its one-click writes.
func (e *ctgEnv) CanWriteAsPost() bool { return e.authorPost() != 0 }

// MeetingAuthor is the post a decision or an alert added from meeting m's
// page is written as: the meeting's own author when the user may record as
// it, else the user's post; 0 when neither, and the page then offers no
// quick form, as for a meeting of a closed year. saveRecord checks the
// same CanRecordAs, the store the year.
func (e *ctgEnv) MeetingAuthor(m *journal.Record) int64 {
	if m == nil || m.DeletedAt != nil || e.YearClosed(m.Date) {
		return 0
	}
	if e.User.CanRecordAs(m.PostID, e.target()) {
		return m.PostID
	}
	return e.authorPost()
}

// CanAlertCopil tells whether the fiche's page offers to raise an alert to
// the Copil: the action needs one and the user has a post to raise it as.
func (v *actionView) CanAlertCopil(a actionplan.Action) bool {
	return a.NeedsAlert(v.Today) && v.CanWriteAsPost()
}

// CanMergePartners tells whether the user merges partners of the Caf
// directly, and confirms or rejects the merges others propose: the
// partner merge and reject routes ask the same permission (Manage).
func (e *ctgEnv) CanMergePartners() bool { return e.CanManage() }

// CanProposeMerge tells whether the user, who may record but not merge,
// may propose a merge of likely duplicates.
func (e *ctgEnv) CanProposeMerge() bool { return e.CanRecord() && !e.CanMergePartners() }
