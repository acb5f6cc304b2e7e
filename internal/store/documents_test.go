package store_test

import (
	"testing"

	"copilote/internal/actionplan"
	"copilote/internal/civil"
	"copilote/internal/journal"
	"copilote/internal/nomenclature"
	"copilote/internal/store"
	"copilote/internal/store/storetest"
)

// What reports read besides figures: counts by kind (a post's meetings
// included), alerts still open, and the fiches' history up to a day.
func TestReportReads(t *testing.T) {
	storetest.ForEach(t, func(t *testing.T, db *store.DB) {
		f := mustFixture(t, db)
		n := nomenclature.Default
		day := civil.MustParse
		var fiche actionplan.Action
		err := db.Write(ctx, 0, func(tx *store.Tx) error {
			records := []journal.Record{
				{PostID: f.chef.ID, Kind: journal.Reunion, Date: day("2024-03-01"), Title: "Copil", Nature: "copil",
					Roles: []journal.Role{{PostID: f.chef.ID, Role: "animation"}, {PostID: f.other.ID, Role: "participation"}}},
				{PostID: f.chef.ID, Kind: journal.Alerte, Date: day("2024-04-01"), Title: "Retard du RPE", Nature: "retard", Status: "ouverte"},
				{PostID: f.chef.ID, Kind: journal.Alerte, Date: day("2024-02-01"), Title: "Financement", Nature: "financement", Status: "ouverte"},
				{PostID: f.other.ID, Kind: journal.Alerte, Date: day("2024-05-01"), Title: "Levée", Nature: "retard", Status: "traitee"},
				{PostID: f.chef.ID, Kind: journal.Alerte, Date: day("2025-01-10"), Title: "Autre année", Nature: "retard", Status: "ouverte"},
			}
			for i := range records {
				records[i].CTGID = f.ctg.ID
				if err := tx.SaveRecord(&records[i], n); err != nil {
					return err
				}
			}
			fiche = actionplan.Action{CTGID: f.ctg.ID, Code: "PE-1", Title: "RPE itinérant", Axis: "petite_enfance", Priority: true}
			if err := tx.SaveAction(&fiche, n); err != nil {
				return err
			}
			for _, u := range []actionplan.Update{{Date: day("2024-02-01"), Status: "en_cours", Percent: 20},
				{Date: day("2024-11-01"), Status: "en_cours", Percent: 60}, {Date: day("2025-02-01"), Status: "realisee", Percent: 100}} {
				u.ActionID, u.PostID = fiche.ID, f.chef.ID
				if err := tx.AddUpdate(f.ctg.ID, &u, n); err != nil {
					return err
				}
			}
			return nil
		})
		if err != nil {
			t.Fatal(err)
		}
		year := store.RecordFilter{Scope: store.Scope{CTGIDs: []int64{f.ctg.ID}}, CTGID: f.ctg.ID, From: day("2024-01-01"), To: day("2024-12-31")}
		kinds, err := db.RecordKinds(ctx, year)
		if err != nil || kinds[journal.Reunion] != 1 || kinds[journal.Alerte] != 3 || len(kinds) != 2 {
			t.Errorf("CTG kinds %v, %v", kinds, err)
		}
		post := year
		post.PostID = f.other.ID
		if kinds, _ := db.RecordKinds(ctx, post); kinds[journal.Reunion] != 1 || kinds[journal.Alerte] != 1 {
			t.Errorf("the other post's kinds %v: its meeting and its alert", kinds)
		}
		year.Kind = journal.Alerte
		open, err := db.RecordsWithStatus(ctx, year, "ouverte")
		if err != nil || len(open) != 2 || open[0].Title != "Financement" || open[1].Title != "Retard du RPE" {
			t.Errorf("open alerts %+v, %v", open, err)
		}
		ups, err := db.ActionUpdates(ctx, f.ctg.ID, day("2024-12-31"))
		if err != nil || len(ups) != 2 || ups[1].Percent != 60 || ups[1].ActionCode != "PE-1" || ups[0].Date != day("2024-02-01") {
			t.Errorf("updates to the end of 2024 %+v, %v", ups, err)
		}
	})
}
