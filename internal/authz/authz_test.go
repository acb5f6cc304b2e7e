package authz

import (
	"testing"

	"copilote/internal/account"
)

func principal(role account.Role, caf int64, ctgs ...int64) *Principal {
	p := &Principal{User: account.User{ID: 1, Role: role, CafID: caf, Active: true}, CTGs: map[int64]bool{}, Posts: map[int64]int64{10: 1}}
	for _, c := range ctgs {
		p.CTGs[c] = true
	}
	return p
}

// The policy table, as a Caf administrator would read it.
func TestPolicy(t *testing.T) {
	own := Target{CTGID: 1, CafID: 7}
	other := Target{CTGID: 2, CafID: 7}
	foreign := Target{CTGID: 3, CafID: 8}
	cases := []struct {
		who  *Principal
		perm Permission
		t    Target
		want bool
	}{
		{principal(account.Officer, 7, 1), View, own, true},
		{principal(account.Officer, 7, 1), Record, own, true},
		{principal(account.Officer, 7, 1), Manage, own, false},
		{principal(account.Officer, 7, 1), View, other, false},
		{principal(account.Advisor, 7, 1, 2), Manage, other, true},
		{principal(account.Advisor, 7, 1, 2), Administer, own, false},
		{principal(account.Advisor, 7, 1, 2), View, foreign, false},
		{principal(account.Admin, 7), Administer, other, true},
		{principal(account.Admin, 7), View, foreign, false},
		{principal(account.Copil, 7, 1), View, own, true},
		{principal(account.Copil, 7, 1), Record, own, false},
		{principal(account.National, 0), View, foreign, true},
		{principal(account.National, 0), Record, foreign, false},
	}
	for _, c := range cases {
		if got := c.who.Can(c.perm, c.t); got != c.want {
			t.Errorf("%s Can(%d, %+v) = %v, want %v", c.who.User.Role, c.perm, c.t, got, c.want)
		}
	}
	inactive := principal(account.Admin, 7)
	inactive.User.Active = false
	if inactive.Can(View, own) {
		t.Error("an inactive account can still read")
	}
	var nobody *Principal
	if nobody.Can(View, own) {
		t.Error("anonymous can read")
	}
}

func TestOfficerRecordsOnlyAsOwnPost(t *testing.T) {
	o := principal(account.Officer, 7, 1)
	if !o.CanRecordAs(10, Target{CTGID: 1, CafID: 7}) {
		t.Error("officer cannot record as own post")
	}
	if o.CanRecordAs(11, Target{CTGID: 1, CafID: 7}) {
		t.Error("officer can record as a colleague")
	}
	a := principal(account.Advisor, 7, 1)
	if !a.CanRecordAs(11, Target{CTGID: 1, CafID: 7}) {
		t.Error("advisor cannot record on behalf of an officer")
	}
}

func TestScope(t *testing.T) {
	if s := principal(account.National, 0).Scope(); !s.All {
		t.Errorf("national scope = %+v", s)
	}
	if s := principal(account.Admin, 7).Scope(); s.CafID != 7 {
		t.Errorf("admin scope = %+v", s)
	}
	if s := principal(account.Copil, 7, 1).Scope(); len(s.CTGIDs) != 1 || s.CTGIDs[0] != 1 {
		t.Errorf("copil scope = %+v", s)
	}
}
