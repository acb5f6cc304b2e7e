package store_test

import (
	"context"
	"strings"
	"testing"
	"time"

	"copilote/internal/account"
	"copilote/internal/actionplan"
	"copilote/internal/apperr"
	"copilote/internal/civil"
	"copilote/internal/ctg"
	"copilote/internal/journal"
	"copilote/internal/nomenclature"
	"copilote/internal/partner"
	"copilote/internal/store"
	"copilote/internal/store/storetest"
	"copilote/internal/survey"
)

var ctx = context.Background()

// fixture is one Caf, one CTG with two posts, two partners.
type fixture struct {
	caf      ctg.Caf
	ctg      ctg.CTG
	chef     ctg.Post
	other    ctg.Post
	partners []partner.Partner
	user     account.User
}

func mustFixture(t *testing.T, db *store.DB) fixture {
	t.Helper()
	n := nomenclature.Default
	var f fixture
	err := db.Write(ctx, 0, func(tx *store.Tx) error {
		f.caf = ctg.Caf{Code: "026", Name: "Caf de la Drôme", Department: "26"}
		if err := tx.CreateCaf(&f.caf); err != nil {
			return err
		}
		f.ctg = ctg.CTG{CafID: f.caf.ID, Name: "CTG du Diois", EPCISIREN: "242600534", Population: 12226,
			Start: civil.MustParse("2023-01-01"), End: civil.MustParse("2026-12-31"),
			Communes:    []ctg.Commune{{INSEE: "26113", Name: "Die", Population: 4500}},
			Signatories: []ctg.Signatory{{Organisation: "Caf de la Drôme"}, {Organisation: "CC du Diois", RepresentedBy: "Le président"}},
			Axes:        []string{"petite_enfance", "parentalite"},
			Objectives:  []ctg.DevObjective{{Kind: "nouveau_service", Label: "Un RPE itinérant", Target: 1}}}
		if err := tx.CreateCTG(&f.ctg, n); err != nil {
			return err
		}
		f.user = account.User{Email: "chef@diois.fr", Name: "Claire Chef", Role: account.Officer, CafID: f.caf.ID}
		if err := tx.CreateUser(&f.user, "mot de passe solide"); err != nil {
			return err
		}
		f.chef = ctg.Post{CTGID: f.ctg.ID, UserID: f.user.ID, Person: "Claire Chef", Employer: "CC du Diois", ETP: 100,
			Start: f.ctg.Start, ChefDeProjet: true, Functions: []string{"1.1", "1.2", "2.1"}, Axes: []string{"petite_enfance"}}
		f.other = ctg.Post{CTGID: f.ctg.ID, Person: "Paul Part", Employer: "Commune de Die", ETP: 50,
			Start: f.ctg.Start, Functions: []string{"3.1", "3.2", "4.1", "4.2"}}
		for _, p := range []*ctg.Post{&f.chef, &f.other} {
			if err := tx.SavePost(p, n); err != nil {
				return err
			}
		}
		for _, name := range []string{"Centre social Le Lien", "Mairie de Die"} {
			p := partner.Partner{CafID: f.caf.ID, Name: name, Type: "association"}
			if err := tx.SavePartner(&p, n); err != nil {
				return err
			}
			f.partners = append(f.partners, p)
		}
		return nil
	})
	if err != nil {
		t.Fatalf("fixture: %v", err)
	}
	return f
}

func TestMigrateIsIdempotent(t *testing.T) {
	storetest.ForEach(t, func(t *testing.T, db *store.DB) {
		if err := db.Migrate(ctx); err != nil {
			t.Fatalf("second migrate: %v", err)
		}
		v, err := db.SchemaVersion(ctx)
		if err != nil || v != store.LatestVersion() || v < 1 {
			t.Errorf("version = %d, %v; want %d", v, err, store.LatestVersion())
		}
		set, err := db.Nomenclature(ctx, 0)
		if err != nil {
			t.Fatal(err)
		}
		if got := len(set.Values(nomenclature.PartnerType)); got != 11 {
			t.Errorf("%d partner types seeded, want 11", got)
		}
	})
}

func TestCTGRoundTrip(t *testing.T) {
	storetest.ForEach(t, func(t *testing.T, db *store.DB) {
		f := mustFixture(t, db)
		got, err := db.CTG(ctx, f.ctg.ID)
		if err != nil {
			t.Fatal(err)
		}
		if got.Name != "CTG du Diois" || got.Start.String() != "2023-01-01" || got.End.String() != "2026-12-31" ||
			len(got.Communes) != 1 || got.Communes[0].Name != "Die" || len(got.Signatories) != 2 ||
			got.Signatories[1].RepresentedBy != "Le président" || strings.Join(got.Axes, ",") != "petite_enfance,parentalite" ||
			len(got.Objectives) != 1 || got.Objectives[0].Target != 1 {
			t.Errorf("CTG read back differs: %+v", got)
		}
		posts, err := db.Posts(ctx, f.ctg.ID)
		if err != nil || len(posts) != 2 {
			t.Fatalf("posts: %v %v", posts, err)
		}
		if !posts[0].ChefDeProjet || posts[0].AnnualCost != 48000 || posts[1].AnnualCost != 24000 ||
			strings.Join(posts[1].Functions, ",") != "3.1,3.2,4.1,4.2" {
			t.Errorf("posts read back differ: %+v", posts)
		}
		list, err := db.CTGs(ctx, store.Scope{CafID: f.caf.ID})
		if err != nil || len(list) != 1 || list[0].Posts != 2 || list[0].ETP != 150 {
			t.Errorf("CTGs = %+v, %v", list, err)
		}
		if l, _ := db.CTGs(ctx, store.Scope{CTGIDs: []int64{f.ctg.ID + 1}}); len(l) != 0 {
			t.Errorf("scope leaked: %+v", l)
		}
	})
}

func meeting(f fixture) journal.Record {
	return journal.Record{CTGID: f.ctg.ID, PostID: f.chef.ID, Kind: journal.Reunion, Date: civil.MustParse("2024-03-05"),
		Title: "Copil n°2", Nature: nomenclature.MeetingCopil, PartnerIDs: []int64{f.partners[0].ID},
		Roles: []journal.Role{{PostID: f.chef.ID, Role: "animation"}, {PostID: f.chef.ID, Role: "releve_decisions"},
			{PostID: f.other.ID, Role: "participation"}}}
}

func TestRecordLifecycle(t *testing.T) {
	storetest.ForEach(t, func(t *testing.T, db *store.DB) {
		f := mustFixture(t, db)
		m := meeting(f)
		d := journal.Record{CTGID: f.ctg.ID, PostID: f.chef.ID, Kind: journal.Decision, Date: m.Date,
			Title: "Ouvrir un LAEP", Facilitated: true, Axis: "parentalite"}
		err := db.Write(ctx, f.user.ID, func(tx *store.Tx) error {
			if err := tx.SaveRecord(&m, nomenclature.Default); err != nil {
				return err
			}
			d.MeetingID = m.ID
			return tx.SaveRecord(&d, nomenclature.Default)
		})
		if err != nil {
			t.Fatal(err)
		}
		got, err := db.Record(ctx, f.ctg.ID, m.ID)
		if err != nil {
			t.Fatal(err)
		}
		if got.Title != "Copil n°2" || len(got.Roles) != 3 || len(got.PartnerIDs) != 1 || got.Date != m.Date || got.CreatedBy != f.user.ID {
			t.Errorf("meeting read back differs: %+v", got)
		}
		list, total, err := db.Records(ctx, store.RecordFilter{Scope: store.Scope{CTGIDs: []int64{f.ctg.ID}}, PostID: f.other.ID})
		if err != nil || total != 1 || list[0].ID != m.ID {
			t.Errorf("post filter: meeting where the post participated should be listed once: %d %v", total, err)
		}
		_, total, _ = db.Records(ctx, store.RecordFilter{Scope: store.Scope{All: true}, MeetingID: m.ID})
		if total != 1 {
			t.Errorf("decisions of the meeting = %d, want 1", total)
		}
		_, total, _ = db.Records(ctx, store.RecordFilter{Scope: store.Scope{All: true}, Q: "laep"})
		if total != 1 {
			t.Errorf("text search found %d, want 1", total)
		}
		_, total, _ = db.Records(ctx, store.RecordFilter{Scope: store.Scope{All: true}, From: civil.MustParse("2024-03-06")})
		if total != 0 {
			t.Errorf("date filter kept %d records after their day", total)
		}

		if err := db.Write(ctx, f.user.ID, func(tx *store.Tx) error { return tx.DeleteRecord(f.ctg.ID, d.ID) }); err != nil {
			t.Fatal(err)
		}
		_, total, _ = db.Records(ctx, store.RecordFilter{Scope: store.Scope{All: true}})
		if total != 1 {
			t.Errorf("deleted record still listed: %d", total)
		}
		_, total, _ = db.Records(ctx, store.RecordFilter{Scope: store.Scope{All: true}, Deleted: true})
		if total != 1 {
			t.Errorf("bin holds %d, want 1", total)
		}
		if err := db.Write(ctx, 0, func(tx *store.Tx) error { return tx.RestoreRecord(f.ctg.ID, d.ID) }); err != nil {
			t.Fatal(err)
		}
		hist, err := db.AuditOf(ctx, "record", d.ID)
		if err != nil {
			t.Fatal(err)
		}
		var actions []string
		for _, h := range hist {
			actions = append(actions, h.Action)
		}
		if strings.Join(actions, ",") != "create,delete,restore" || hist[0].UserName != "Claire Chef" {
			t.Errorf("audit = %v (%+v)", actions, hist)
		}
	})
}

func TestInvalidRecordChangesNothing(t *testing.T) {
	storetest.ForEach(t, func(t *testing.T, db *store.DB) {
		f := mustFixture(t, db)
		bad := meeting(f)
		bad.PartnerIDs = []int64{999999} // forged id
		err := db.Write(ctx, f.user.ID, func(tx *store.Tx) error { return tx.SaveRecord(&bad, nomenclature.Default) })
		e := apperr.As(err)
		if e.Code != apperr.Invalid || e.Fields["partners"] != "Choisissez une valeur de la liste." {
			t.Fatalf("err = %v", err)
		}
		_, total, _ := db.Records(ctx, store.RecordFilter{Scope: store.Scope{All: true}})
		if total != 0 {
			t.Errorf("a rejected record was written")
		}
		if h, _ := db.AuditOf(ctx, "record", 1); len(h) != 0 {
			t.Errorf("a rejected record left audit rows: %+v", h)
		}
	})
}

func TestSubjectHistory(t *testing.T) {
	storetest.ForEach(t, func(t *testing.T, db *store.DB) {
		f := mustFixture(t, db)
		s := journal.Record{CTGID: f.ctg.ID, PostID: f.chef.ID, Kind: journal.Sujet, Date: civil.MustParse("2024-01-10"),
			Title: "Accueil d'urgence", Origin: nomenclature.OriginAlert, Status: nomenclature.SubjectIdentified}
		save := func() {
			t.Helper()
			if err := db.Write(ctx, 0, func(tx *store.Tx) error { return tx.SaveRecord(&s, nomenclature.Default) }); err != nil {
				t.Fatal(err)
			}
		}
		save()
		save() // unchanged status: no new step
		s.Status, s.TakenOn, s.TakenHow = nomenclature.SubjectTaken, civil.MustParse("2024-05-02"), "Fiche 1.4"
		save()
		h, err := db.SubjectHistory(ctx, s.ID)
		if err != nil || len(h) != 2 || h[1].Status != "prise_en_compte" || h[1].Date.String() != "2024-05-02" || h[1].How != "Fiche 1.4" {
			t.Errorf("history = %+v, %v", h, err)
		}
	})
}

func TestPartnerMergeKeepsLinks(t *testing.T) {
	storetest.ForEach(t, func(t *testing.T, db *store.DB) {
		f := mustFixture(t, db)
		keep, dup := f.partners[0], f.partners[1]
		r1 := meeting(f)
		r1.PartnerIDs = []int64{keep.ID, dup.ID}
		r2 := meeting(f)
		r2.PartnerIDs = []int64{dup.ID}
		err := db.Write(ctx, 0, func(tx *store.Tx) error {
			if err := tx.SaveRecord(&r1, nomenclature.Default); err != nil {
				return err
			}
			if err := tx.SaveRecord(&r2, nomenclature.Default); err != nil {
				return err
			}
			return tx.MergePartner(keep.ID, dup.ID)
		})
		if err != nil {
			t.Fatal(err)
		}
		_, total, _ := db.Records(ctx, store.RecordFilter{Scope: store.Scope{All: true}, PartnerID: keep.ID})
		if total != 2 {
			t.Errorf("kept partner linked to %d records, want 2", total)
		}
		rows, n, err := db.Partners(ctx, store.PartnerFilter{CafID: f.caf.ID, CTGID: f.ctg.ID, ForCTG: f.ctg.ID})
		if err != nil || n != 1 || rows[0].ID != keep.ID || rows[0].Records != 2 || rows[0].FirstInCTG.String() != "2024-03-05" {
			t.Errorf("partners after merge = %+v (%d), %v", rows, n, err)
		}
		got, _ := db.Partner(ctx, dup.ID)
		if got.MergedInto != keep.ID {
			t.Errorf("duplicate not marked merged: %+v", got)
		}
	})
}

func TestActionUpdatesMirrorLatest(t *testing.T) {
	storetest.ForEach(t, func(t *testing.T, db *store.DB) {
		f := mustFixture(t, db)
		a := actionplan.Action{CTGID: f.ctg.ID, Code: "1.1", Title: "Créer un RPE", Axis: "petite_enfance", Priority: true,
			End:        civil.MustParse("2024-06-30"),
			Partners:   []actionplan.Partner{{PartnerID: f.partners[0].ID, Role: "pilote"}},
			Milestones: []actionplan.Milestone{{Year: 2024, Label: "Ouverture"}},
			Cofunders:  []actionplan.Cofunder{{Name: "Département", Amount: 15000}},
			Indicators: []actionplan.Indicator{{Label: "Familles accueillies", Baseline: 0, Target: 120.5}}}
		err := db.Write(ctx, 0, func(tx *store.Tx) error {
			if err := tx.SaveAction(&a, nomenclature.Default); err != nil {
				return err
			}
			for _, u := range []actionplan.Update{
				{ActionID: a.ID, PostID: f.chef.ID, Date: civil.MustParse("2024-05-01"), Status: "bloquee", Percent: 40},
				{ActionID: a.ID, PostID: f.chef.ID, Date: civil.MustParse("2024-02-01"), Status: "en_cours", Percent: 20},
			} {
				if err := tx.AddUpdate(f.ctg.ID, &u, nomenclature.Default); err != nil {
					return err
				}
			}
			return nil
		})
		if err != nil {
			t.Fatal(err)
		}
		got, err := db.Action(ctx, f.ctg.ID, a.ID)
		if err != nil {
			t.Fatal(err)
		}
		if got.Status != "bloquee" || got.Progress != 40 {
			t.Errorf("latest update by date not mirrored: %s %d", got.Status, got.Progress)
		}
		if !got.NeedsAlert(civil.MustParse("2024-05-02")) {
			t.Error("a blocked priority action should offer an alert")
		}
		if len(got.Partners) != 1 || got.Cofunders[0].Amount != 15000 || got.Indicators[0].Target != 120.5 || got.Milestones[0].Year != 2024 {
			t.Errorf("lists read back differ: %+v", got)
		}
		dup := actionplan.Action{CTGID: f.ctg.ID, Code: "1.1", Title: "Autre", Axis: "parentalite"}
		err = db.Write(ctx, 0, func(tx *store.Tx) error { return tx.SaveAction(&dup, nomenclature.Default) })
		if apperr.As(err).Fields["code"] == "" {
			t.Errorf("duplicate code accepted: %v", err)
		}
		ups, _ := db.Updates(ctx, a.ID)
		if len(ups) != 2 || ups[0].Status != "bloquee" {
			t.Errorf("history = %+v", ups)
		}
	})
}

func TestSurveyWave(t *testing.T) {
	storetest.ForEach(t, func(t *testing.T, db *store.DB) {
		f := mustFixture(t, db)
		w := survey.Wave{CTGID: f.ctg.ID, Audience: survey.Partners, Kind: "initiale", Date: civil.MustParse("2023-03-01")}
		err := db.Write(ctx, 0, func(tx *store.Tx) error {
			if err := tx.CreateWave(&w, nomenclature.Default); err != nil {
				return err
			}
			for _, s := range []int{2, 4} {
				r := survey.Response{Scores: map[string]int{"missions_caf": s, "moyens": s}}
				if err := tx.AddResponse(w, &r); err != nil {
					return err
				}
			}
			return nil
		})
		if err != nil {
			t.Fatal(err)
		}
		got, err := db.WaveByToken(ctx, w.Token)
		if err != nil || got.ID != w.ID || len(w.Token) < 12 {
			t.Fatalf("wave by token: %+v %v", got, err)
		}
		ws, err := db.Waves(ctx, f.ctg.ID)
		if err != nil || len(ws) != 1 || ws[0].Responses != 2 || ws[0].Mean != 3 {
			t.Errorf("waves = %+v, %v", ws, err)
		}
		bad := survey.Response{Scores: map[string]int{"missions_caf": 6}}
		if err := db.Write(ctx, 0, func(tx *store.Tx) error { return tx.AddResponse(w, &bad) }); apperr.CodeOf(err) != apperr.Invalid {
			t.Errorf("score 6 accepted: %v", err)
		}
	})
}

func TestLoginAndSessions(t *testing.T) {
	storetest.ForEach(t, func(t *testing.T, db *store.DB) {
		f := mustFixture(t, db)
		if _, err := db.Login(ctx, store.Credentials{Email: "chef@diois.fr", Password: "mauvais mot de passe"}, time.Hour); apperr.CodeOf(err) != apperr.Unauthenticated {
			t.Errorf("wrong password: %v", err)
		}
		if _, err := db.Login(ctx, store.Credentials{Email: "inconnu@diois.fr", Password: "mot de passe solide"}, time.Hour); apperr.CodeOf(err) != apperr.Unauthenticated {
			t.Errorf("unknown email: %v", err)
		}
		s, err := db.Login(ctx, store.Credentials{Email: "CHEF@diois.fr", Password: "mot de passe solide"}, time.Hour)
		if err != nil {
			t.Fatal(err)
		}
		got, err := db.SessionByToken(ctx, s.Token)
		if err != nil || got.UserID != f.user.ID || got.CSRF != s.CSRF {
			t.Errorf("session = %+v, %v", got, err)
		}
		if err := db.Logout(ctx, s.Token); err != nil {
			t.Fatal(err)
		}
		if _, err := db.SessionByToken(ctx, s.Token); err == nil {
			t.Error("session survives logout")
		}
		dup := account.User{Email: "chef@diois.fr", Name: "X", Role: account.Officer, CafID: f.caf.ID}
		err = db.Write(ctx, 0, func(tx *store.Tx) error { return tx.CreateUser(&dup, "un autre mot de passe") })
		if apperr.As(err).Fields["email"] != "Un compte existe déjà avec cette adresse." {
			t.Errorf("duplicate email: %v", err)
		}
		ids, _ := db.GrantedCTGs(ctx, f.user.ID)
		if len(ids) != 1 || ids[0] != f.ctg.ID {
			t.Errorf("officer's CTGs = %v", ids)
		}
	})
}
