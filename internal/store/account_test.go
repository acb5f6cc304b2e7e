package store_test

import (
	"strings"
	"sync"
	"testing"
	"time"

	"copilote/internal/account"
	"copilote/internal/apperr"
	"copilote/internal/ctg"
	"copilote/internal/msg"
	"copilote/internal/nomenclature"
	"copilote/internal/store"
	"copilote/internal/store/storetest"
)

// accountSite is the fixture's Caf with an administrator, and a second Caf
// with an account and a CTG of its own, and a national reader.
type accountSite struct {
	fixture
	admin    account.User
	otherCaf ctg.Caf
	otherCTG ctg.CTG
	stranger account.User // of the other Caf
	national account.User
}

const strong = "mot de passe solide"

func mustAccountSite(t *testing.T, db *store.DB) accountSite {
	t.Helper()
	a := accountSite{fixture: mustFixture(t, db)}
	write(t, db, 0, func(tx *store.Tx) error {
		a.admin = account.User{Email: "admin@caf26.fr", Name: "Anne Admin", Role: account.Admin, CafID: a.caf.ID}
		if err := tx.CreateUser(&a.admin, strong); err != nil {
			return err
		}
		a.otherCaf = ctg.Caf{Code: "038", Name: "Caf de l'Isère", Department: "38"}
		if err := tx.CreateCaf(&a.otherCaf); err != nil {
			return err
		}
		a.otherCTG = ctg.CTG{CafID: a.otherCaf.ID, Name: "CTG du Trièves", Start: a.ctg.Start, End: a.ctg.End}
		if err := tx.CreateCTG(&a.otherCTG, nomenclature.Default); err != nil {
			return err
		}
		a.stranger = account.User{Email: "conseil@caf38.fr", Name: "Serge Isère", Role: account.Advisor, CafID: a.otherCaf.ID}
		if err := tx.CreateUser(&a.stranger, strong); err != nil {
			return err
		}
		a.national = account.User{Email: "lecture@cnaf.fr", Name: "Nina National", Role: account.National}
		return tx.CreateUser(&a.national, strong)
	})
	return a
}

func write(t *testing.T, db *store.DB, actor int64, fn func(tx *store.Tx) error) {
	t.Helper()
	if err := db.Write(ctx, actor, fn); err != nil {
		t.Fatal(err)
	}
}

// invite creates an account of the fixture's Caf as its administrator
// and returns its invitation.
func (a accountSite) invite(t *testing.T, db *store.DB, email string, role account.Role) store.Link {
	t.Helper()
	var l store.Link
	write(t, db, a.admin.ID, func(tx *store.Tx) error {
		u := account.User{Email: email, Name: "Invité " + email, Role: role}
		if err := tx.CreateAccount(&u, a.caf.ID); err != nil {
			return err
		}
		var err error
		l, err = tx.IssueLink(a.caf.ID, u.ID)
		return err
	})
	return l
}

func login(db *store.DB, email, password string) (store.Session, error) {
	return db.Login(ctx, store.Credentials{Email: email, Password: password, Address: "192.0.2.10"}, time.Hour)
}

func wantKey(t *testing.T, what string, err error, key msg.Key, args ...any) {
	t.Helper()
	if err == nil || apperr.As(err).Message() != msg.Text(key, args...) {
		t.Errorf("%s: %v, want %q", what, err, msg.Text(key, args...))
	}
}

// An invitation serves once, before it expires, and sets the password the
// account signs in with; an account waiting for it cannot sign in, not
// even with the stand-in hash's password.
func TestInvitationLinkSingleUseAndExpiry(t *testing.T) {
	storetest.ForEach(t, func(t *testing.T, db *store.DB) {
		a := mustAccountSite(t, db)
		now := time.Date(2026, 3, 2, 9, 0, 0, 0, time.UTC)
		db.SetClock(func() time.Time { return now })
		l := a.invite(t, db, "Nouvelle@Caf26.fr", account.Advisor)
		if l.Purpose != store.Invitation || len(l.Token) < 40 || !l.ExpiresAt.Equal(now.Add(account.InvitationLifetime)) {
			t.Fatalf("invitation %+v", l)
		}
		if row, err := db.Account(ctx, a.caf.ID, l.User.ID); err != nil || row.Status() != account.StatusPending {
			t.Errorf("new account: %+v, %v", row, err)
		}
		for _, pw := range []string{"", "copilote-timing-equaliser"} {
			if _, err := login(db, "nouvelle@caf26.fr", pw); apperr.CodeOf(err) != apperr.Unauthenticated {
				t.Errorf("pending account signed in with %q: %v", pw, err)
			}
		}
		if _, err := db.SetPasswordWithLink(ctx, l.Token, "court"); apperr.As(err).Fields["password"] == "" {
			t.Errorf("short password: %v", err)
		}
		if _, err := db.LinkOf(ctx, l.Token); err != nil {
			t.Fatalf("a refused password used the link: %v", err)
		}
		now = now.Add(24 * time.Hour)
		u, err := db.SetPasswordWithLink(ctx, l.Token, "mon nouveau mot de passe")
		if err != nil || u.Email != "nouvelle@caf26.fr" {
			t.Fatalf("set password: %+v, %v", u, err)
		}
		if _, err := login(db, "nouvelle@caf26.fr", "mon nouveau mot de passe"); err != nil {
			t.Errorf("sign in with the chosen password: %v", err)
		}
		_, err = db.SetPasswordWithLink(ctx, l.Token, "un autre mot de passe")
		wantKey(t, "second use", err, msg.LinkUsed)
		if _, err := login(db, "nouvelle@caf26.fr", "mon nouveau mot de passe"); err != nil {
			t.Errorf("the refused second use changed the password: %v", err)
		}
		_, err = db.LinkOf(ctx, "pas-un-lien")
		wantKey(t, "unknown link", err, msg.LinkUnknown)

		// now it has a password: the administrator's link is a reset, valid three days
		var reset store.Link
		write(t, db, a.admin.ID, func(tx *store.Tx) (err error) { reset, err = tx.IssueLink(a.caf.ID, u.ID); return err })
		if reset.Purpose != store.Reset || !reset.ExpiresAt.Equal(now.Add(account.HandedResetLifetime)) {
			t.Fatalf("reset link %+v", reset)
		}
		now = reset.ExpiresAt
		_, err = db.SetPasswordWithLink(ctx, reset.Token, "un autre mot de passe")
		wantKey(t, "expired link", err, msg.LinkExpired, "06/03/2026 à 10:00")
		if _, err := login(db, "nouvelle@caf26.fr", "mon nouveau mot de passe"); err != nil {
			t.Errorf("an expired link changed the password: %v", err)
		}
		history, _ := db.AccountHistory(ctx, u.ID, 0)
		actions := map[string]bool{}
		for _, h := range history {
			actions[h.Action] = true
			for _, tok := range []string{l.Token, reset.Token} {
				if strings.Contains(h.Detail, tok) {
					t.Errorf("audit %s holds a token: %s", h.Action, h.Detail)
				}
			}
		}
		for _, want := range []string{store.ActCreate, store.ActInvite, store.ActPasswordSet, store.ActResetLink, store.ActLogin} {
			if !actions[want] {
				t.Errorf("history lacks %s: %+v", want, history)
			}
		}
	})
}

// Two instances given the same link at once set one password.
func TestLinkUsedOnceUnderRace(t *testing.T) {
	storetest.ForEach(t, func(t *testing.T, db *store.DB) {
		a := mustAccountSite(t, db)
		l := a.invite(t, db, "course@caf26.fr", account.Officer)
		var wg sync.WaitGroup
		errs := make([]error, 4)
		for i := range errs {
			wg.Go(func() { _, errs[i] = db.SetPasswordWithLink(ctx, l.Token, "mot de passe numéro "+string(rune('A'+i))) })
		}
		wg.Wait()
		ok := 0
		for _, err := range errs {
			if err == nil {
				ok++
			} else if apperr.CodeOf(err) != apperr.NotFound {
				t.Errorf("unexpected: %v", err)
			}
		}
		if ok != 1 {
			t.Errorf("%d uses of one link succeeded, want 1: %v", ok, errs)
		}
	})
}

// "Mot de passe oublié" answers alike for an unknown address, an account
// and a deactivated one; a link is made only for an active account, and
// only when a message can carry it. The data version stays.
func TestResetForUnknownEmailAnswersTheSame(t *testing.T) {
	storetest.ForEach(t, func(t *testing.T, db *store.DB) {
		a := mustAccountSite(t, db)
		version, _ := db.DataVersion(ctx)
		l, err := db.RequestReset(ctx, "personne@nulle-part.fr", "192.0.2.1", true)
		if err != nil || l.Token != "" {
			t.Errorf("unknown address: %+v, %v", l, err)
		}
		if l, err = db.RequestReset(ctx, " Chef@Diois.fr ", "192.0.2.1", false); err != nil || l.Token != "" {
			t.Errorf("known address without mail: %+v, %v", l, err)
		}
		l, err = db.RequestReset(ctx, "chef@diois.fr", "192.0.2.1", true)
		if err != nil || l.Token == "" || l.User.ID != a.user.ID || l.Purpose != store.Reset {
			t.Fatalf("known address with mail: %+v, %v", l, err)
		}
		if v, _ := db.DataVersion(ctx); v != version {
			t.Errorf("reset requests moved the data version %d → %d", version, v)
		}
		if _, err := db.SetPasswordWithLink(ctx, l.Token, "mot de passe retrouvé"); err != nil {
			t.Fatal(err)
		}
		if _, err := login(db, "chef@diois.fr", "mot de passe retrouvé"); err != nil {
			t.Errorf("sign in after reset: %v", err)
		}
		write(t, db, a.admin.ID, func(tx *store.Tx) error { return tx.SetActive(a.caf.ID, a.user.ID, false) })
		if l, err = db.RequestReset(ctx, "chef@diois.fr", "192.0.2.2", true); err != nil || l.Token != "" {
			t.Errorf("deactivated account: %+v, %v", l, err)
		}
		unknown, _ := db.AccountHistory(ctx, 0, 0)
		if len(unknown) != 1 || unknown[0].Action != store.ActResetRequest || !strings.Contains(unknown[0].Detail, "personne@nulle-part.fr") {
			t.Errorf("request for an unknown address audited as %+v", unknown)
		}
	})
}

// Requests are limited per address typed and per client, whether the
// account exists or not, until the window ends.
func TestResetRateLimit(t *testing.T) {
	storetest.ForEach(t, func(t *testing.T, db *store.DB) {
		mustAccountSite(t, db)
		now := time.Date(2026, 3, 2, 9, 10, 0, 0, time.UTC)
		db.SetClock(func() time.Time { return now })
		for _, email := range []string{"chef@diois.fr", "inconnu@diois.fr"} {
			for i := range 3 {
				if _, err := db.RequestReset(ctx, email, "192.0.2."+string(rune('1'+i)), true); err != nil {
					t.Fatalf("%s, request %d: %v", email, i+1, err)
				}
			}
			_, err := db.RequestReset(ctx, strings.ToUpper(email), "192.0.2.9", true)
			wantKey(t, email+": 4th request", err, msg.ResetTooMany, 50)
		}
		for i := range 8 {
			if _, err := db.RequestReset(ctx, "autre"+string(rune('a'+i))+"@diois.fr", "192.0.2.1", true); err != nil {
				t.Fatalf("address, request %d: %v", i+5, err)
			}
		}
		_, err := db.RequestReset(ctx, "encore@diois.fr", "192.0.2.1", true)
		if apperr.CodeOf(err) != apperr.TooMany {
			t.Errorf("11th request from one address: %v", err)
		}
		now = now.Add(50 * time.Minute)
		if l, err := db.RequestReset(ctx, "chef@diois.fr", "192.0.2.1", true); err != nil || l.Token == "" {
			t.Errorf("next window: %+v, %v", l, err)
		}
	})
}

// An administrator reaches the accounts of their own Caf only: another
// Caf's and the national ones do not exist for them, and no Caf makes a
// national account.
func TestAdminCannotTouchAnotherCafsAccounts(t *testing.T) {
	storetest.ForEach(t, func(t *testing.T, db *store.DB) {
		a := mustAccountSite(t, db)
		for _, u := range []account.User{a.stranger, a.national} {
			if _, err := db.Account(ctx, a.caf.ID, u.ID); apperr.CodeOf(err) != apperr.NotFound {
				t.Errorf("read %s: %v", u.Email, err)
			}
			for name, fn := range map[string]func(tx *store.Tx) error{
				"deactivate": func(tx *store.Tx) error { return tx.SetActive(a.caf.ID, u.ID, false) },
				"role":       func(tx *store.Tx) error { return tx.SetRole(a.caf.ID, u.ID, account.Copil) },
				"link":       func(tx *store.Tx) error { _, err := tx.IssueLink(a.caf.ID, u.ID); return err },
				"grant":      func(tx *store.Tx) error { return tx.AssignCTG(a.caf.ID, u.ID, a.ctg.ID) },
				"withdraw":   func(tx *store.Tx) error { return tx.WithdrawCTG(a.caf.ID, u.ID, a.otherCTG.ID) },
			} {
				if err := db.Write(ctx, a.admin.ID, fn); apperr.CodeOf(err) != apperr.NotFound {
					t.Errorf("%s %s: %v", name, u.Email, err)
				}
			}
		}
		if _, err := login(db, a.stranger.Email, strong); err != nil {
			t.Errorf("the other Caf's account was changed: %v", err)
		}
		rows, err := db.Accounts(ctx, store.AccountFilter{CafID: a.caf.ID})
		if err != nil || len(rows) != 2 {
			t.Errorf("accounts of the Caf: %+v, %v", rows, err)
		}
		err = db.Write(ctx, a.admin.ID, func(tx *store.Tx) error {
			return tx.CreateAccount(&account.User{Email: "n@cnaf.fr", Name: "N", Role: account.National}, a.caf.ID)
		})
		if apperr.As(err).Fields["role"] != msg.Text(msg.AccountNationalCLI) {
			t.Errorf("national account made by a Caf: %v", err)
		}
		adv := a.invite(t, db, "conseil@caf26.fr", account.Advisor)
		err = db.Write(ctx, a.admin.ID, func(tx *store.Tx) error { return tx.AssignCTG(a.caf.ID, adv.User.ID, a.otherCTG.ID) })
		if apperr.As(err).Fields["ctg"] == "" {
			t.Errorf("grant of another Caf's CTG: %v", err)
		}
		err = db.Write(ctx, a.admin.ID, func(tx *store.Tx) error { return tx.AssignCTG(a.caf.ID, a.user.ID, a.ctg.ID) })
		if apperr.As(err).Fields["ctg"] != msg.Text(msg.AccountNoGrants) {
			t.Errorf("grant to an officer: %v", err)
		}
		err = db.Write(ctx, a.admin.ID, func(tx *store.Tx) error { return tx.SetRole(a.caf.ID, a.admin.ID, account.Officer) })
		wantKey(t, "own role", err, msg.AccountSelf)
		err = db.Write(ctx, a.admin.ID, func(tx *store.Tx) error { return tx.SetActive(a.caf.ID, a.admin.ID, false) })
		wantKey(t, "own deactivation", err, msg.AccountSelf)
	})
}

// A deactivated account cannot sign in, its sessions end at once and its
// links are void; reactivated, it signs in with its password again.
func TestDeactivatedAccountCannotSignIn(t *testing.T) {
	storetest.ForEach(t, func(t *testing.T, db *store.DB) {
		a := mustAccountSite(t, db)
		s, err := login(db, a.user.Email, "mot de passe solide")
		if err != nil {
			t.Fatal(err)
		}
		var l store.Link
		write(t, db, a.admin.ID, func(tx *store.Tx) (err error) { l, err = tx.IssueLink(a.caf.ID, a.user.ID); return err })
		write(t, db, a.admin.ID, func(tx *store.Tx) error { return tx.SetActive(a.caf.ID, a.user.ID, false) })
		if _, err := db.SessionByToken(ctx, s.Token); apperr.CodeOf(err) != apperr.NotFound {
			t.Errorf("session of a deactivated account: %v", err)
		}
		if _, err := login(db, a.user.Email, "mot de passe solide"); apperr.CodeOf(err) != apperr.Unauthenticated {
			t.Errorf("deactivated account signed in: %v", err)
		}
		_, err = db.SetPasswordWithLink(ctx, l.Token, "un mot de passe neuf")
		wantKey(t, "link of a deactivated account", err, msg.LinkUsed)
		err = db.Write(ctx, a.admin.ID, func(tx *store.Tx) error { _, err := tx.IssueLink(a.caf.ID, a.user.ID); return err })
		wantKey(t, "new link for a deactivated account", err, msg.AccountInactiveLink)
		if rows, _ := db.Accounts(ctx, store.AccountFilter{CafID: a.caf.ID, Status: account.StatusInactive}); len(rows) != 1 || rows[0].ID != a.user.ID {
			t.Errorf("deactivated accounts: %+v", rows)
		}
		write(t, db, a.admin.ID, func(tx *store.Tx) error { return tx.SetActive(a.caf.ID, a.user.ID, true) })
		if _, err := login(db, a.user.Email, "mot de passe solide"); err != nil {
			t.Errorf("reactivated account: %v", err)
		}
	})
}

// Changing one's password needs the current one, counted as a sign-in
// when wrong, and ends every other session of the account.
func TestPasswordChangeEndsOtherSessions(t *testing.T) {
	storetest.ForEach(t, func(t *testing.T, db *store.DB) {
		a := mustAccountSite(t, db)
		mine, _ := login(db, a.user.Email, strong)
		other, _ := login(db, a.user.Email, strong)
		change := store.PasswordChange{UserID: a.user.ID, Current: strong, New: strong, Session: mine.Token, Address: "192.0.2.7"}
		if err := db.ChangePassword(ctx, change); apperr.As(err).Fields["password"] != msg.Text(msg.PasswordSame) {
			t.Errorf("same password: %v", err)
		}
		change.New = "court"
		if err := db.ChangePassword(ctx, change); apperr.As(err).Fields["password"] == "" {
			t.Errorf("short password: %v", err)
		}
		change.New, change.Current = "le nouveau mot de passe", "pas le bon"
		for range 5 {
			if err := db.ChangePassword(ctx, change); apperr.As(err).Fields["current"] != msg.Text(msg.PasswordCurrentWrong) {
				t.Fatalf("wrong current password: %v", err)
			}
		}
		change.Current = strong
		if err := db.ChangePassword(ctx, change); apperr.CodeOf(err) != apperr.TooMany {
			t.Errorf("after 5 wrong current passwords: %v", err)
		}
		db.SetClock(func() time.Time { return time.Now().Add(2 * time.Minute) })
		if err := db.ChangePassword(ctx, change); err != nil {
			t.Fatal(err)
		}
		if _, err := db.SessionByToken(ctx, mine.Token); err != nil {
			t.Errorf("the session that changed the password ended: %v", err)
		}
		if _, err := db.SessionByToken(ctx, other.Token); apperr.CodeOf(err) != apperr.NotFound {
			t.Errorf("another session survived: %v", err)
		}
		if _, err := login(db, a.user.Email, "le nouveau mot de passe"); err != nil {
			t.Errorf("new password: %v", err)
		}
		if _, err := login(db, a.user.Email, strong); apperr.CodeOf(err) != apperr.Unauthenticated {
			t.Errorf("old password: %v", err)
		}
	})
}

// A role that does not reach CTGs by grants drops the grants.
func TestRoleChangeWithdrawsGrants(t *testing.T) {
	storetest.ForEach(t, func(t *testing.T, db *store.DB) {
		a := mustAccountSite(t, db)
		l := a.invite(t, db, "copil@caf26.fr", account.Copil)
		write(t, db, a.admin.ID, func(tx *store.Tx) error { return tx.AssignCTG(a.caf.ID, l.User.ID, a.ctg.ID) })
		write(t, db, a.admin.ID, func(tx *store.Tx) error { return tx.AssignCTG(a.caf.ID, l.User.ID, a.ctg.ID) }) // twice: once
		if g, _ := db.UserGrants(ctx, l.User.ID); len(g) != 1 {
			t.Fatalf("grants %v", g)
		}
		write(t, db, a.admin.ID, func(tx *store.Tx) error { return tx.SetRole(a.caf.ID, l.User.ID, account.Advisor) })
		if g, _ := db.UserGrants(ctx, l.User.ID); len(g) != 1 {
			t.Errorf("advisor lost the grants: %v", g)
		}
		write(t, db, a.admin.ID, func(tx *store.Tx) error { return tx.SetRole(a.caf.ID, l.User.ID, account.Officer) })
		if g, _ := db.UserGrants(ctx, l.User.ID); len(g) != 0 {
			t.Errorf("officer kept grants: %v", g)
		}
		h, _ := db.AccountHistory(ctx, l.User.ID, 1)
		if len(h) != 1 || h[0].Action != store.ActRole || !strings.Contains(h[0].Detail, `"withdrawn_ctgs":[`) {
			t.Errorf("role change audited as %+v", h)
		}
		write(t, db, a.admin.ID, func(tx *store.Tx) error { return tx.SetRole(a.caf.ID, l.User.ID, account.Advisor) })
		write(t, db, a.admin.ID, func(tx *store.Tx) error { return tx.AssignCTG(a.caf.ID, l.User.ID, a.ctg.ID) })
		write(t, db, a.admin.ID, func(tx *store.Tx) error { return tx.WithdrawCTG(a.caf.ID, l.User.ID, a.ctg.ID) })
		if g, _ := db.UserGrants(ctx, l.User.ID); len(g) != 0 {
			t.Errorf("withdrawn grant stays: %v", g)
		}
	})
}

// A Caf's accounts are listed by name as a French reader sorts them.
func TestAccountsInFrenchOrder(t *testing.T) {
	db := storetest.Open(t, store.SQLite)
	a := mustAccountSite(t, db)
	for _, email := range []string{"thomas@caf26.fr", "elodie@caf26.fr"} {
		a.invite(t, db, email, account.Officer)
	}
	write(t, db, a.admin.ID, func(tx *store.Tx) error {
		u := account.User{Email: "e2@caf26.fr", Name: "Élodie Charvet", Role: account.Officer}
		return tx.CreateAccount(&u, a.caf.ID)
	})
	rows, err := db.Accounts(ctx, store.AccountFilter{CafID: a.caf.ID, Role: account.Officer})
	var names []string
	for _, r := range rows {
		names = append(names, r.Name)
	}
	if err != nil || strings.Join(names, ", ") != "Claire Chef, Élodie Charvet, Invité elodie@caf26.fr, Invité thomas@caf26.fr" {
		t.Errorf("officers listed as %v, %v", names, err)
	}
}
