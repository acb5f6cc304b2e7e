// Package authz decides who may do what on which CTG. It is the one gate:
// every web handler is registered with a Permission and goes through Can
// before it runs; store queries take the Scope it derives.
package authz

import (
	"copilote/internal/account"
	"copilote/internal/store"
)

// Permission is an action on a CTG (or on a Caf for Administer).
type Permission int

const (
	// View reads a CTG: journal, action plan, indicators, reports.
	View Permission = iota + 1
	// Record writes the journal, fiches actions and progress updates.
	Record
	// Manage edits the CTG itself: period, axes, posts, instances, surveys.
	Manage
	// Administer runs a Caf: accounts, nomenclatures, partner merges, the bin.
	Administer
)

// grants is the whole policy: what each role may do on the CTGs it reaches.
var grants = map[account.Role][]Permission{
	account.Officer:  {View, Record},
	account.Advisor:  {View, Record, Manage},
	account.Admin:    {View, Record, Manage, Administer},
	account.Copil:    {View},
	account.National: {View},
}

// Principal is a signed-in user with what they reach.
type Principal struct {
	User account.User
	// CTGs holds the explicitly granted CTGs (an officer's posts, an
	// advisor's or Copil member's assignments).
	CTGs map[int64]bool
	// Posts are the officer's own posts, the only ones they may record as.
	Posts map[int64]int64 // post id → CTG id
}

// Target is the CTG a request is about.
type Target struct {
	CTGID int64
	CafID int64
}

// Can is the single decision point.
func (p *Principal) Can(perm Permission, t Target) bool {
	if p == nil || !p.User.Active || !p.has(perm) {
		return false
	}
	switch p.User.Role {
	case account.National:
		return true
	case account.Admin:
		return t.CafID == p.User.CafID
	}
	return perm != Administer && p.CTGs[t.CTGID]
}

func (p *Principal) has(perm Permission) bool {
	for _, g := range grants[p.User.Role] {
		if g == perm {
			return true
		}
	}
	return false
}

// CanAdminister tells whether the user runs Caf cafID.
func (p *Principal) CanAdminister(cafID int64) bool {
	return p.Can(Administer, Target{CafID: cafID})
}

// CanRecordAs tells whether the user may author a record as post postID
// of CTG ctgID: officers only as themselves; advisors and admins, who
// record on behalf of officers, as any post of a CTG they manage.
func (p *Principal) CanRecordAs(postID int64, t Target) bool {
	if !p.Can(Record, t) {
		return false
	}
	if p.User.Role == account.Officer {
		return p.Posts[postID] == t.CTGID
	}
	return true
}

// Scope is what store lists may return to this user.
func (p *Principal) Scope() store.Scope {
	switch p.User.Role {
	case account.National:
		return store.Scope{All: true}
	case account.Admin:
		return store.Scope{CafID: p.User.CafID}
	}
	ids := make([]int64, 0, len(p.CTGs))
	for id := range p.CTGs {
		ids = append(ids, id)
	}
	return store.Scope{CTGIDs: ids}
}

// ReadOnly users see no editing controls at all.
func (p *Principal) ReadOnly() bool {
	return p.User.Role == account.Copil || p.User.Role == account.National
}

// CanAdministerCaf tells whether the user runs their own Caf (the Caf
// dashboard and administration pages).
func (p *Principal) CanAdministerCaf() bool { return p != nil && p.CanAdminister(p.User.CafID) }
