package store_test

import (
	"testing"

	"copilote/internal/actionplan"
	"copilote/internal/apperr"
	"copilote/internal/civil"
	"copilote/internal/journal"
	"copilote/internal/nomenclature"
	"copilote/internal/partner"
	"copilote/internal/store"
	"copilote/internal/store/storetest"
)

// A merge proposal (issue 11, item 5): one open proposal per pair, whichever
// partner each proposer keeps; rejected, it closes; a merge of the pair, or
// of one of the two with a third, closes every proposal it settles.
func TestMergeProposals(t *testing.T) {
	storetest.ForEach(t, func(t *testing.T, db *store.DB) {
		f := mustFixture(t, db)
		third := partner.Partner{CafID: f.caf.ID, Name: "Centre social le Lien (asso)", Type: "association"}
		write := func(fn func(tx *store.Tx) error) error { return db.Write(ctx, f.user.ID, fn) }
		if err := write(func(tx *store.Tx) error { return tx.SavePartner(&third, nomenclature.Default) }); err != nil {
			t.Fatal(err)
		}
		lien, mairie := f.partners[0].ID, f.partners[1].ID
		p := store.MergeProposal{CafID: f.caf.ID, CTGID: f.ctg.ID, KeepID: lien, DupID: third.ID, Note: "même SIRET"}
		if err := write(func(tx *store.Tx) error { return tx.ProposeMerge(&p) }); err != nil {
			t.Fatal(err)
		}
		again := store.MergeProposal{CafID: f.caf.ID, CTGID: f.ctg.ID, KeepID: third.ID, DupID: lien}
		if err := write(func(tx *store.Tx) error { return tx.ProposeMerge(&again) }); apperr.CodeOf(err) != apperr.Conflict {
			t.Errorf("the same pair proposed twice: %v", err)
		}
		same := store.MergeProposal{CafID: f.caf.ID, CTGID: f.ctg.ID, KeepID: lien, DupID: lien}
		if err := write(func(tx *store.Tx) error { return tx.ProposeMerge(&same) }); apperr.CodeOf(err) != apperr.Invalid {
			t.Errorf("a partner merged with itself: %v", err)
		}
		other := store.MergeProposal{CafID: f.caf.ID, CTGID: f.ctg.ID, KeepID: mairie, DupID: third.ID}
		if err := write(func(tx *store.Tx) error { return tx.ProposeMerge(&other) }); err != nil {
			t.Fatal(err)
		}
		open, err := db.MergeProposals(ctx, f.caf.ID)
		if err != nil || len(open) != 2 || open[0].ProposerName != "Claire Chef" || open[0].Note != "même SIRET" ||
			open[0].KeepID != lien || open[0].DupID != third.ID || open[0].ProposedAt.IsZero() {
			t.Fatalf("open proposals = %+v, %v", open, err)
		}
		if err := write(func(tx *store.Tx) error { return tx.RejectMerge(f.caf.ID, other.ID) }); err != nil {
			t.Fatal(err)
		}
		if err := write(func(tx *store.Tx) error { return tx.RejectMerge(f.caf.ID, other.ID) }); apperr.CodeOf(err) != apperr.NotFound {
			t.Errorf("a proposal rejected twice: %v", err)
		}
		// rejected, the pair may be proposed again; merging the first pair
		// settles both proposals that name the merged partner
		other.ID = 0
		if err := write(func(tx *store.Tx) error { return tx.ProposeMerge(&other) }); err != nil {
			t.Fatal(err)
		}
		if err := write(func(tx *store.Tx) error { return tx.MergePartner(lien, third.ID) }); err != nil {
			t.Fatal(err)
		}
		if open, _ := db.MergeProposals(ctx, f.caf.ID); len(open) != 0 {
			t.Errorf("proposals left open by the merge: %+v", open)
		}
		late := store.MergeProposal{CafID: f.caf.ID, CTGID: f.ctg.ID, KeepID: mairie, DupID: third.ID}
		if err := write(func(tx *store.Tx) error { return tx.ProposeMerge(&late) }); apperr.CodeOf(err) != apperr.Conflict {
			t.Errorf("a merged partner proposed: %v", err)
		}
	})
}

// The records of a fiche action, and the partners a CTG involves (its
// records' and its fiches').
func TestRecordsOfAnActionAndPartnersOfACTG(t *testing.T) {
	storetest.ForEach(t, func(t *testing.T, db *store.DB) {
		f := mustFixture(t, db)
		n := nomenclature.Default
		a := actionplan.Action{CTGID: f.ctg.ID, Code: "PE-1", Title: "Ouvrir une micro-crèche à Menglon", Axis: "petite_enfance",
			Partners: []actionplan.Partner{{PartnerID: f.partners[1].ID, Role: "pilote"}}}
		err := db.Write(ctx, 0, func(tx *store.Tx) error {
			if err := tx.SaveAction(&a, n); err != nil {
				return err
			}
			for _, r := range []journal.Record{
				{Kind: journal.Alerte, Title: "Retard du chantier", Nature: "retard", Status: "ouverte", ActionID: a.ID},
				{Kind: journal.Projet, Title: "Micro-crèche", Axis: "petite_enfance", ActionID: a.ID, PartnerIDs: []int64{f.partners[0].ID}},
				{Kind: journal.Projet, Title: "Autre projet", Axis: "petite_enfance"},
			} {
				r.CTGID, r.PostID, r.Date = f.ctg.ID, f.chef.ID, civil.MustParse("2024-05-02")
				if err := tx.SaveRecord(&r, n); err != nil {
					return err
				}
			}
			return nil
		})
		if err != nil {
			t.Fatal(err)
		}
		recs, total, err := db.Records(ctx, store.RecordFilter{Scope: store.Scope{All: true}, CTGID: f.ctg.ID, ActionID: a.ID})
		if err != nil || total != 2 || len(recs) != 2 {
			t.Errorf("records of the fiche: %d %v", total, err)
		}
		ids, err := db.PartnersOfCTG(ctx, f.ctg.ID)
		if err != nil || len(ids) != 2 {
			t.Errorf("partners of the CTG = %v, %v; want the record's and the fiche's", ids, err)
		}
	})
}
