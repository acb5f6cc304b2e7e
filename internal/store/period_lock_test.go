package store_test

import (
	"strings"
	"testing"

	"copilote/internal/actionplan"
	"copilote/internal/apperr"
	"copilote/internal/indicator"
	"copilote/internal/journal"
	"copilote/internal/nomenclature"
	"copilote/internal/store"
)

// A closed year keeps its figures: records, progress updates, fiches and
// targets of that year are refused until a Caf administrator reopens it,
// with a reason the audit log keeps (issue 12, item 3).
func TestClosedYearRefusesChanges(t *testing.T) {
	forEachEngine(t, func(t *testing.T, e store.Engine) {
		d := mustRawDB(t, e)
		f := mustFixture(t, d.DB)
		n := nomenclature.Default
		alert := func(date string) journal.Record {
			return journal.Record{CTGID: f.ctg.ID, PostID: f.chef.ID, Kind: journal.Alerte, Date: day(date),
				Title: "Alerte du " + date, Nature: "retard", Status: "ouverte"}
		}
		r23, r24 := alert("2023-05-10"), alert("2024-05-10")
		a := actionplan.Action{CTGID: f.ctg.ID, Code: "PE-1", Title: "Micro-crèche", Axis: "petite_enfance"}
		write := func(fn func(tx *store.Tx) error) error { return d.Write(ctx, f.user.ID, fn) }
		err := write(func(tx *store.Tx) error {
			for _, r := range []*journal.Record{&r23, &r24} {
				if err := tx.SaveRecord(r, n); err != nil {
					return err
				}
			}
			if err := tx.SaveAction(&a, n); err != nil {
				return err
			}
			u := actionplan.Update{ActionID: a.ID, PostID: f.chef.ID, Date: day("2024-02-01"), Status: "en_cours", Percent: 10}
			if err := tx.AddUpdate(f.ctg.ID, &u, n); err != nil {
				return err
			}
			return tx.SaveTargets(f.ctg.ID, []indicator.Target{{Indicator: "S12b", Year: 2024, Value: 4}})
		})
		if err != nil {
			t.Fatal(err)
		}
		if err := write(func(tx *store.Tx) error { return tx.CloseYear(f.ctg.ID, 2024) }); err != nil {
			t.Fatal(err)
		}
		before := d.int(t, `SELECT COUNT(*) FROM audit`)
		moved := r23
		moved.Date = day("2024-06-01")
		edited := r24
		edited.Title = "Alerte corrigée"
		for name, fn := range map[string]func(tx *store.Tx) error{
			"a record dated in 2024":      func(tx *store.Tx) error { r := alert("2024-09-01"); return tx.SaveRecord(&r, n) },
			"a 2023 record moved to 2024": func(tx *store.Tx) error { return tx.SaveRecord(&moved, n) },
			"a 2024 record edited":        func(tx *store.Tx) error { return tx.SaveRecord(&edited, n) },
			"a 2024 record deleted":       func(tx *store.Tx) error { return tx.DeleteRecord(f.ctg.ID, r24.ID) },
			"a progress update in 2024": func(tx *store.Tx) error {
				u := actionplan.Update{ActionID: a.ID, PostID: f.chef.ID, Date: day("2024-10-01"), Status: "en_cours", Percent: 20}
				return tx.AddUpdate(f.ctg.ID, &u, n)
			},
			"a fiche with 2024 updates deleted": func(tx *store.Tx) error { return tx.DeleteAction(f.ctg.ID, a.ID) },
			"a 2024 target changed": func(tx *store.Tx) error {
				return tx.SaveTargets(f.ctg.ID, []indicator.Target{{Indicator: "S12b", Year: 2024, Value: 9}})
			},
			"a 2024 target dropped": func(tx *store.Tx) error { return tx.SaveTargets(f.ctg.ID, nil) },
			"a 2024 target added": func(tx *store.Tx) error {
				return tx.SaveTargets(f.ctg.ID, []indicator.Target{{Indicator: "S12b", Year: 2024, Value: 4}, {Indicator: "E11", Year: 2024, Value: 1}})
			},
		} {
			err := write(fn)
			if apperr.CodeOf(err) != apperr.Conflict || !strings.Contains(err.Error(), "L'année 2024 de cette CTG est close") {
				t.Errorf("%s: %v", name, err)
			}
		}
		if after := d.int(t, `SELECT COUNT(*) FROM audit`); after != before {
			t.Errorf("refused changes wrote %d audit rows", after-before)
		}
		// what other years hold still changes
		if err := write(func(tx *store.Tx) error { r := alert("2025-01-15"); return tx.SaveRecord(&r, n) }); err != nil {
			t.Errorf("a 2025 record: %v", err)
		}
		if err := write(func(tx *store.Tx) error {
			return tx.SaveTargets(f.ctg.ID, []indicator.Target{{Indicator: "S12b", Year: 2024, Value: 4}, {Indicator: "S12b", Year: 2025, Value: 5}})
		}); err != nil {
			t.Errorf("a 2025 target beside the closed 2024 one: %v", err)
		}
		for name, fn := range map[string]func(tx *store.Tx) error{
			"closed twice":       func(tx *store.Tx) error { return tx.CloseYear(f.ctg.ID, 2024) },
			"out of convention":  func(tx *store.Tx) error { return tx.CloseYear(f.ctg.ID, 2030) },
			"reopened unclosed":  func(tx *store.Tx) error { return tx.ReopenYear(f.ctg.ID, 2025, "erreur") },
			"reopened no reason": func(tx *store.Tx) error { return tx.ReopenYear(f.ctg.ID, 2024, "  ") },
		} {
			if err := write(fn); err == nil {
				t.Errorf("%s: accepted", name)
			}
		}
		if err := write(func(tx *store.Tx) error { return tx.ReopenYear(f.ctg.ID, 2024, "Alerte oubliée à saisir") }); err != nil {
			t.Fatal(err)
		}
		if err := write(func(tx *store.Tx) error { return tx.SaveRecord(&edited, n) }); err != nil {
			t.Errorf("after reopening: %v", err)
		}
		hist, err := d.AuditOf(ctx, "ctg", f.ctg.ID)
		if err != nil {
			t.Fatal(err)
		}
		var seen []string
		for _, h := range hist {
			if h.Action == store.ActCloseYear || h.Action == store.ActReopenYear {
				seen = append(seen, h.Action+" "+h.Detail)
			}
		}
		if len(seen) != 2 || !strings.Contains(seen[1], "Alerte oubliée à saisir") {
			t.Errorf("audit of the CTG's years: %q", seen)
		}
	})
}
