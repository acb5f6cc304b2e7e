package web

import (
	"context"
	"net/http"
	"strings"
	"testing"

	"github.com/xuri/excelize/v2"

	"copilote/internal/civil"
	"copilote/internal/journal"
	"copilote/internal/nomenclature"
	"copilote/internal/store"
	"copilote/internal/store/storetest"
)

func seedJournal(t *testing.T, db *store.DB, s *site) {
	t.Helper()
	posts, _ := db.Posts(context.Background(), s.mine.ID)
	lien := addPartner(t, db, s.mine.CafID, "Centre social Le Lien")
	err := db.Write(context.Background(), 0, func(tx *store.Tx) error {
		for i, r := range []journal.Record{
			{Kind: journal.Alerte, Title: "Retard RPE", Nature: "retard", Status: "ouverte", Axis: "petite_enfance"},
			{Kind: journal.Alerte, Title: "Blocage financement ALSH", Nature: "financement", Status: "traitee"},
			{Kind: journal.Relais, Title: "Relais CLAS", Nature: "information", PartnerIDs: []int64{lien.ID}},
			{Kind: journal.Expertise, Title: "Juriste ; bail", Nature: "juridique", InstanceKind: "copil"},
		} {
			r.CTGID, r.PostID, r.Date = s.mine.ID, posts[0].ID, civil.MustParse("2024-01-10").AddDays(30*i)
			if err := tx.SaveRecord(&r, nomenclature.Default); err != nil {
				return err
			}
		}
		return nil
	})
	if err != nil {
		t.Fatal(err)
	}
}

func TestJournalFiltersAndExports(t *testing.T) {
	storetest.ForEach(t, func(t *testing.T, db *store.DB) {
		s := newSite(t, db)
		seedJournal(t, db, s)
		c := login(t, s)
		base := s.URL + "/ctg/" + itoa(s.mine.ID) + "/journal"
		cases := []struct {
			query string
			total string
			has   []string
			not   []string
		}{
			{"", "<strong>4</strong> enregistrements", []string{"Retard RPE", "Relais CLAS"}, nil},
			{"?kind=alerte", "<strong>2</strong>", []string{"Retard RPE", "Blocage financement ALSH"}, []string{"Relais CLAS"}},
			{"?kind=alerte&nature=financement", "<strong>1</strong>", []string{"Blocage financement ALSH"}, []string{"Retard RPE"}},
			{"?from=2024-02-01&to=2024-03-31", "<strong>2</strong>", []string{"Blocage financement ALSH", "Relais CLAS"}, []string{"Retard RPE"}},
			{"?q=clas", "<strong>1</strong>", []string{"Relais CLAS"}, nil},
			{"?axis=petite_enfance", "<strong>1</strong>", []string{"Retard RPE"}, nil},
			{"?from=pas-une-date", "<strong>4</strong>", []string{`href="#f-from">Du : saisissez une date valide`}, nil},
		}
		for _, tc := range cases {
			code, body, _ := get(t, c, base+tc.query)
			if code != 200 || !strings.Contains(body, tc.total) {
				t.Errorf("%s: %d, want %s in %s", tc.query, code, tc.total, snippet(body))
			}
			for _, h := range tc.has {
				if !strings.Contains(body, h) {
					t.Errorf("%s lacks %q", tc.query, h)
				}
			}
			for _, n := range tc.not {
				if strings.Contains(body, n) {
					t.Errorf("%s shows %q", tc.query, n)
				}
			}
		}
		code, csv, h := get(t, c, base+"?kind=alerte&format=csv")
		if code != 200 || !strings.HasPrefix(csv, "\ufeffDate;Type;Intitulé") || strings.Count(csv, "\r\n") != 3 ||
			!strings.Contains(csv, "10/01/2024;Alerte au Copil;Retard RPE;Retard;") || !strings.Contains(h.Get("Content-Disposition"), ".csv") {
			t.Errorf("CSV export: %d %q", code, csv)
		}
		res, err := c.Get(base + "?format=xlsx")
		if err != nil || res.StatusCode != http.StatusOK {
			t.Fatalf("xlsx: %v", err)
		}
		f, err := excelize.OpenReader(res.Body)
		res.Body.Close()
		if err != nil {
			t.Fatal(err)
		}
		rows, _ := f.GetRows(f.GetSheetName(0))
		if len(rows) != 5 || rows[0][0] != "Date" {
			t.Errorf("xlsx rows = %d", len(rows))
		}
	})
}

func TestJournalAcrossCTGsAndBin(t *testing.T) {
	db := storetest.Open(t, store.SQLite)
	s := newSite(t, db)
	seedJournal(t, db, s)
	admin := adminClient(t, db, s)
	_, body, _ := get(t, admin, s.URL+"/journal")
	if !strings.Contains(body, "<strong>4</strong>") || !strings.Contains(body, "CTG du Royans-Vercors</option>") {
		t.Errorf("cross-CTG journal: %s", snippet(body))
	}
	_, body, _ = get(t, admin, s.URL+"/journal?ctg="+itoa(s.other.ID))
	if !strings.Contains(body, "<strong>0</strong>") {
		t.Errorf("CTG filter ignored")
	}
	officer := login(t, s)
	_, body, _ = get(t, officer, s.URL+"/journal")
	if strings.Contains(body, "CTG du Royans-Vercors</option>") {
		t.Errorf("an officer sees another CTG in the filter")
	}
	recs, _, _ := db.Records(context.Background(), store.RecordFilter{Scope: store.Scope{All: true}, Q: "clas"})
	db.Write(context.Background(), 0, func(tx *store.Tx) error { return tx.DeleteRecord(s.mine.ID, recs[0].ID) })
	_, body, _ = get(t, admin, s.URL+"/ctg/"+itoa(s.mine.ID)+"/journal?deleted=1")
	if !strings.Contains(body, "<strong>1</strong>") || !strings.Contains(body, "Relais CLAS") {
		t.Errorf("bin does not list the deleted record")
	}
	_, body, _ = get(t, officer, s.URL+"/ctg/"+itoa(s.mine.ID)+"/journal?deleted=1")
	if strings.Contains(body, "Relais CLAS") {
		t.Errorf("an officer sees the bin")
	}
}
