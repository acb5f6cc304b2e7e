package store_test

import (
	"fmt"
	"testing"

	"copilote/internal/account"
	"copilote/internal/apperr"
	"copilote/internal/civil"
	"copilote/internal/ctg"
	"copilote/internal/nomenclature"
	"copilote/internal/store"
	"copilote/internal/store/storetest"
)

// accounts adds to the fixture a second Caf with its CTG, and one account
// of each kind a post or a grant might be given to.
type accounts struct {
	otherCaf ctg.Caf
	otherCTG ctg.CTG
	byName   map[string]account.User
}

func mustAccounts(t *testing.T, d rawDB, f fixture) accounts {
	t.Helper()
	a := accounts{byName: map[string]account.User{}}
	err := d.Write(ctx, 0, func(tx *store.Tx) error {
		a.otherCaf = ctg.Caf{Code: "038", Name: "Caf de l'Isère", Department: "38"}
		if err := tx.CreateCaf(&a.otherCaf); err != nil {
			return err
		}
		a.otherCTG = ctg.CTG{CafID: a.otherCaf.ID, Name: "CTG du Trièves",
			Start: civil.MustParse("2023-01-01"), End: civil.MustParse("2026-12-31")}
		if err := tx.CreateCTG(&a.otherCTG, nomenclature.Default); err != nil {
			return err
		}
		for i, u := range []account.User{
			{Name: "officer", Role: account.Officer, CafID: f.caf.ID},
			{Name: "inactive officer", Role: account.Officer, CafID: f.caf.ID},
			{Name: "foreign officer", Role: account.Officer, CafID: a.otherCaf.ID},
			{Name: "advisor", Role: account.Advisor, CafID: f.caf.ID},
			{Name: "foreign advisor", Role: account.Advisor, CafID: a.otherCaf.ID},
			{Name: "admin", Role: account.Admin, CafID: f.caf.ID},
			{Name: "copil", Role: account.Copil, CafID: f.caf.ID},
			{Name: "national", Role: account.National},
		} {
			u.Email = fmt.Sprintf("compte%d@caf.fr", i)
			if err := tx.CreateUser(&u, "mot de passe solide"); err != nil {
				return err
			}
			a.byName[u.Name] = u
		}
		return nil
	})
	if err != nil {
		t.Fatalf("accounts: %v", err)
	}
	if _, err := d.raw.Exec(`UPDATE app_user SET active = FALSE WHERE id = $1`, a.byName["inactive officer"].ID); err != nil {
		t.Fatal(err)
	}
	return a
}

// Only an active officer of the CTG's Caf may hold one of its posts: a post
// opens its CTG to its holder, so any other account given a post would
// reach a CTG nobody granted it (an officer of another Caf read a whole
// journal that way). An unknown id is a mistake on the form, not a crash.
func TestPostHolderIsAnOfficerOfTheCaf(t *testing.T) {
	for _, e := range storetest.Engines {
		t.Run(string(e), func(t *testing.T) {
			d := mustRawDB(t, e)
			f := mustFixture(t, d.DB)
			a := mustAccounts(t, d, f)
			const refused = "Le compte doit être celui d'un(e) chargé(e) de coopération actif(ve) de la Caf de cette CTG."
			cases := []struct {
				holder string
				id     int64
				ok     bool
			}{
				{"officer", a.byName["officer"].ID, true},
				{"nobody", 0, true},
				{"inactive officer", a.byName["inactive officer"].ID, false},
				{"foreign officer", a.byName["foreign officer"].ID, false},
				{"advisor", a.byName["advisor"].ID, false},
				{"admin", a.byName["admin"].ID, false},
				{"copil", a.byName["copil"].ID, false},
				{"national", a.byName["national"].ID, false},
				{"unknown id", 9999, false},
			}
			for _, c := range cases {
				before := auditCount(t, d)
				p := ctg.Post{CTGID: f.ctg.ID, UserID: c.id, Person: "Paul Part", Employer: "Commune de Die", ETP: 50,
					Start: f.ctg.Start, Functions: []string{"3.1"}}
				err := d.Write(ctx, 0, func(tx *store.Tx) error { return tx.SavePost(&p, nomenclature.Default) })
				if c.ok {
					if err != nil {
						t.Errorf("%s: %v", c.holder, err)
					}
					continue
				}
				if e := apperr.As(err); e.Code != apperr.Invalid || e.Fields["user"] != refused {
					t.Errorf("%s given a post: %v", c.holder, err)
				}
				if after := auditCount(t, d); after != before {
					t.Errorf("%s: a refused post wrote %d audit rows", c.holder, after-before)
				}
				// the same on an existing post, the way the attack went
				f.other.UserID = c.id
				err = d.Write(ctx, 0, func(tx *store.Tx) error { return tx.SavePost(&f.other, nomenclature.Default) })
				if apperr.As(err).Fields["user"] != refused {
					t.Errorf("%s given an existing post: %v", c.holder, err)
				}
			}
			// every problem at once: the holder beside the form's own
			p := ctg.Post{CTGID: f.ctg.ID, UserID: a.byName["advisor"].ID, Start: f.ctg.Start, ETP: 50, Functions: []string{"3.1"}}
			err := d.Write(ctx, 0, func(tx *store.Tx) error { return tx.SavePost(&p, nomenclature.Default) })
			if fs := apperr.As(err).Fields; fs["user"] != refused || fs["person"] == "" {
				t.Errorf("holder and person: %v", err)
			}
		})
	}
}

// A grant opens a CTG to an advisor or a Copil member of its own Caf only,
// and names a CTG that exists.
func TestGrantStaysInTheCaf(t *testing.T) {
	for _, e := range storetest.Engines {
		t.Run(string(e), func(t *testing.T) {
			d := mustRawDB(t, e)
			f := mustFixture(t, d.DB)
			a := mustAccounts(t, d, f)
			grant := func(user string, ctgID int64) error {
				return d.Write(ctx, 0, func(tx *store.Tx) error { return tx.GrantCTG(a.byName[user].ID, ctgID) })
			}
			if err := grant("advisor", f.ctg.ID); err != nil {
				t.Errorf("advisor of the Caf: %v", err)
			}
			if err := grant("foreign advisor", a.otherCTG.ID); err != nil {
				t.Errorf("advisor of the other Caf: %v", err)
			}
			for _, c := range []struct {
				user  string
				ctgID int64
				want  string
			}{
				{"advisor", a.otherCTG.ID, fmt.Sprintf("La CTG %d relève d'une autre Caf que celle de ce compte.", a.otherCTG.ID)},
				{"copil", a.otherCTG.ID, fmt.Sprintf("La CTG %d relève d'une autre Caf que celle de ce compte.", a.otherCTG.ID)},
				{"foreign advisor", f.ctg.ID, fmt.Sprintf("La CTG %d relève d'une autre Caf que celle de ce compte.", f.ctg.ID)},
				{"national", f.ctg.ID, fmt.Sprintf("La CTG %d relève d'une autre Caf que celle de ce compte.", f.ctg.ID)},
				{"advisor", 9999, "La CTG 9999 n'existe pas."},
			} {
				before := auditCount(t, d)
				err := grant(c.user, c.ctgID)
				if e := apperr.As(err); e.Code != apperr.Invalid || e.Fields["ctg"] != c.want {
					t.Errorf("%s granted CTG %d: %v", c.user, c.ctgID, err)
				}
				if after := auditCount(t, d); after != before {
					t.Errorf("a refused grant wrote %d audit rows", after-before)
				}
			}
			ids, err := d.GrantedCTGs(ctx, a.byName["advisor"].ID)
			if err != nil || fmt.Sprint(ids) != fmt.Sprint([]int64{f.ctg.ID}) {
				t.Errorf("advisor's CTGs = %v, %v", ids, err)
			}
		})
	}
}

func auditCount(t *testing.T, d rawDB) int {
	t.Helper()
	var n int
	if err := d.raw.QueryRow(`SELECT COUNT(*) FROM audit`).Scan(&n); err != nil {
		t.Fatal(err)
	}
	return n
}

// A post id of another CTG is not found through this CTG: its functions
// and axes once were rewritten though its row was not.
func TestPostOfAnotherCTGIsNotRewritten(t *testing.T) {
	storetest.ForEach(t, func(t *testing.T, db *store.DB) {
		f := mustFixture(t, db)
		var other ctg.CTG
		err := db.Write(ctx, 0, func(tx *store.Tx) error {
			other = ctg.CTG{CafID: f.caf.ID, Name: "CTG du Royans-Vercors",
				Start: civil.MustParse("2023-01-01"), End: civil.MustParse("2026-12-31")}
			if err := tx.CreateCTG(&other, nomenclature.Default); err != nil {
				return err
			}
			p := f.chef
			p.CTGID, p.Functions = other.ID, []string{"4.2"}
			return tx.SavePost(&p, nomenclature.Default)
		})
		if apperr.CodeOf(err) != apperr.NotFound {
			t.Fatalf("saving another CTG's post: %v, want not found", err)
		}
		got, err := db.Post(ctx, f.chef.ID)
		if err != nil || fmt.Sprint(got.Functions) != fmt.Sprint(f.chef.Functions) {
			t.Errorf("the chef's functions became %v (%v), want %v", got.Functions, err, f.chef.Functions)
		}
	})
}
