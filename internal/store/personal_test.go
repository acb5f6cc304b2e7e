package store_test

import (
	"strings"
	"testing"

	"copilote/internal/apperr"
	"copilote/internal/evaluation"
	"copilote/internal/msg"
	"copilote/internal/nomenclature"
	"copilote/internal/store"
	"copilote/internal/store/storetest"
)

// What Copilote holds on a person is shown to them and their Caf's
// administrator; once they have left (account deactivated), the
// administrator erases it: the account, the post it held and the
// evaluations frozen with its name no longer name it, the person can no
// longer sign in, the records stay, and the audit chain still verifies.
func TestErasePersonalData(t *testing.T) {
	storetest.ForEach(t, func(t *testing.T, db *store.DB) {
		a := mustAccountSite(t, db)
		// an evaluation of the officer's post, validated with their name in it
		e := evaluation.Evaluation{From: a.ctg.Start, To: a.ctg.End}
		write(t, db, a.user.ID, func(tx *store.Tx) error {
			if err := tx.CreateEvaluation(&e, a.ctg, a.chef); err != nil {
				return err
			}
			if err := tx.SaveInstance(mustInstance(a.fixture), nomenclature.Default); err != nil {
				return err
			}
			return tx.SubmitEvaluation(&e)
		})
		version, err := db.DataVersion(store.AtDataVersion(ctx))
		if err != nil {
			t.Fatal(err)
		}
		write(t, db, a.admin.ID, func(tx *store.Tx) error {
			cur, err := tx.Evaluation(e.ID)
			if err != nil {
				return err
			}
			return tx.ValidateEvaluation(&cur, `{"title":"Évaluation du poste de Claire Chef","by":"Anne Admin"}`, version, a.admin.ID, "Anne Admin")
		})
		if _, err := login(db, a.user.Email, strong); err != nil {
			t.Fatal(err)
		}

		d, err := db.PersonalData(ctx, a.caf.ID, a.user.ID)
		if err != nil {
			t.Fatal(err)
		}
		if d.Account.Name != "Claire Chef" || d.Account.Email != a.user.Email || len(d.Posts) != 1 || d.PostCTGs[a.ctg.ID] != "CTG du Diois" ||
			d.Sessions != 1 || d.Evaluations != 1 || d.AuditBy < 2 || d.LastAct.IsZero() {
			t.Errorf("personal data: %+v", d)
		}
		if self, err := db.PersonalData(ctx, 0, a.user.ID); err != nil || self.Account.ID != a.user.ID || self.Sessions != d.Sessions {
			t.Errorf("one's own data: %+v, %v", self, err)
		}
		if _, err := db.PersonalData(ctx, a.otherCaf.ID, a.user.ID); apperr.CodeOf(err) != apperr.NotFound {
			t.Errorf("another Caf read the data: %v", err)
		}

		erase := func(actor, caf, user int64) error {
			return db.Write(ctx, actor, func(tx *store.Tx) error { return tx.ErasePerson(caf, user) })
		}
		wantKey(t, "erasure of an active account", erase(a.admin.ID, a.caf.ID, a.user.ID), msg.EraseActive)
		write(t, db, a.admin.ID, func(tx *store.Tx) error { return tx.SetActive(a.caf.ID, a.user.ID, false) })
		if err := erase(a.stranger.ID, a.otherCaf.ID, a.user.ID); apperr.CodeOf(err) != apperr.NotFound {
			t.Errorf("erased from another Caf: %v", err)
		}
		if err := erase(a.admin.ID, a.caf.ID, a.admin.ID); err == nil {
			t.Errorf("an administrator erased themself")
		}
		if err := erase(a.admin.ID, a.caf.ID, a.user.ID); err != nil {
			t.Fatal(err)
		}
		// the administrator who validated leaves too
		write(t, db, 0, func(tx *store.Tx) error { return tx.SetActive(a.caf.ID, a.admin.ID, false) })
		if err := erase(0, a.caf.ID, a.admin.ID); err != nil {
			t.Fatal(err)
		}

		after, err := db.PersonalData(ctx, a.caf.ID, a.user.ID)
		if err != nil {
			t.Fatal(err)
		}
		if !strings.HasPrefix(after.Account.Name, "Personne effacée") || strings.Contains(after.Account.Email, "diois") ||
			after.Sessions != 0 || after.PendingLinks != 0 || len(after.CTGs) != 0 || after.Evaluations != 1 {
			t.Errorf("after erasure: %+v", after)
		}
		post, err := db.Post(ctx, a.chef.ID)
		if err != nil || strings.Contains(post.Person, "Claire") {
			t.Errorf("post holder after erasure: %q, %v", post.Person, err)
		}
		ev, err := db.Evaluation(ctx, e.ID)
		if err != nil || strings.Contains(ev.Snapshot, "Claire Chef") || strings.Contains(ev.Snapshot, "Anne Admin") ||
			strings.Contains(ev.ValidatedByName, "Anne") || !ev.Frozen() {
			t.Errorf("evaluation after erasure: %q by %q, %v", ev.Snapshot, ev.ValidatedByName, err)
		}
		err = db.Write(ctx, a.admin.ID, func(tx *store.Tx) error { return tx.SetActive(a.caf.ID, a.user.ID, true) })
		wantKey(t, "reactivation of an erased account", err, msg.ErasedAccount)
		if _, err := login(db, a.user.Email, strong); apperr.CodeOf(err) != apperr.Unauthenticated {
			t.Errorf("erased person signed in: %v", err)
		}
		check, err := db.VerifyAudit(ctx)
		if err != nil || len(check.Problems) != 0 {
			t.Errorf("audit chain after erasure: %+v, %v", check, err)
		}
		entries, err := db.AuditOf(ctx, "user", a.user.ID)
		if err != nil || len(entries) == 0 || entries[len(entries)-1].Action != store.ActErase {
			t.Errorf("erasure not audited: %+v, %v", entries, err)
		}
	})
}
