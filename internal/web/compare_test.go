package web

import (
	"context"
	"copilote/internal/journal"
	"copilote/internal/nomenclature"
	"net/url"
	"strings"
	"testing"
	"time"

	"copilote/internal/account"
	"copilote/internal/civil"
	"copilote/internal/indicator"
	"copilote/internal/store"
	"copilote/internal/store/storetest"
)

// rowOf is the table row of body whose header names name.
func rowOf(t *testing.T, body, table, name string) string {
	t.Helper()
	i := strings.Index(body, table)
	if i < 0 {
		t.Fatalf("no %s in %s", table, snippet(body))
	}
	rest := body[i:]
	j := strings.Index(rest, ">"+name+"</")
	if j < 0 {
		t.Fatalf("no row %s in %s", name, snippet(rest))
	}
	row := rest[j:]
	return row[:strings.Index(row, "</tr>")]
}

func TestCafAndNationalDashboards(t *testing.T) {
	storetest.ForEach(t, func(t *testing.T, db *store.DB) {
		s := newSite(t, db)
		seedJournal(t, db, s) // two alerts of the Diois in 2024, none in the Royans-Vercors
		err := db.Write(context.Background(), 0, func(tx *store.Tx) error {
			if err := tx.SaveTargets(s.mine.ID, []indicator.Target{{Indicator: "S12b", Year: 2024, Value: 1}}); err != nil {
				return err
			}
			return tx.SaveTargets(s.other.ID, []indicator.Target{{Indicator: "S12b", Year: 2024, Value: 3}})
		})
		if err != nil {
			t.Fatal(err)
		}
		officer := login(t, s)
		if code, _, _ := get(t, officer, s.URL+"/caf/indicators"); code != 403 {
			t.Errorf("an officer opens the Caf dashboard: %d", code)
		}
		admin := adminClient(t, db, s)
		code, body, _ := get(t, admin, s.URL+"/caf/indicators?year=2024&ind=S12b")
		if code != 200 {
			t.Fatalf("Caf dashboard: %d %s", code, snippet(body))
		}
		// each indicator named in French, its code beside it, with its small multiple
		for _, want := range []string{`<span class="code">S12b</span> Alertes au Copil`, `<span class="code">E42</span> Visibilité pour les habitants`,
			"Nombre et nature des alertes en direction du Copil"} {
			if !strings.Contains(body, want) {
				t.Errorf("Caf dashboard lacks %q", want)
			}
		}
		if n := strings.Count(body, `class="chart small-multiple"`); n != 21 { // 20 cards and the detail
			t.Errorf("%d small multiples, want 21", n)
		}
		// the Diois: 2 alerts against 1, linked to its records over the year
		diois := rowOf(t, body, `id="detail-caption"`, "CTG du Diois")
		for _, want := range []string{`href="/ctg/` + itoa(s.mine.ID) + `/indicators/S12b?from=2024-01-01&amp;to=2024-12-31"`, ">2</a>",
			">1</td>", ">&#43;1</td>", "cible atteinte"} {
			if !strings.Contains(diois, want) {
				t.Errorf("Diois row lacks %q: %s", want, diois)
			}
		}
		royans := rowOf(t, body, `id="detail-caption"`, "CTG du Royans-Vercors")
		if !strings.Contains(royans, ">0</a>") || !strings.Contains(royans, ">−3</td>") || !strings.Contains(royans, "en retard sur la cible") {
			t.Errorf("Royans-Vercors row: %s", royans)
		}
		// the Caf: 2 alerts against the sum of its CTGs' targets, 4
		total := body[strings.Index(body, "<tfoot>"):]
		if total = total[:strings.Index(total, "</tfoot>")]; !strings.Contains(total, ">4</td>") || !strings.Contains(total, "en retard sur la cible") {
			t.Errorf("Caf total: %s", total)
		}
		// sorted on the server: by value, highest first, then reversed
		order := func(query string) bool {
			_, b, _ := get(t, admin, s.URL+"/caf/indicators?year=2024&ind=S12b&"+query)
			b = b[strings.Index(b, `id="detail-caption"`):]
			return strings.Index(b, ">CTG du Diois<") < strings.Index(b, ">CTG du Royans-Vercors<")
		}
		if !order("sort=value&dir=desc") || order("sort=value&dir=asc") || order("sort=status") {
			t.Errorf("sorting by value or status does not order the lines")
		}
		_, body, _ = get(t, admin, s.URL+"/caf/indicators?year=2024&sort=behind")
		lines := body[strings.Index(body, `id="lines-caption"`):]
		if strings.Index(lines, ">CTG du Royans-Vercors<") > strings.Index(lines, ">CTG du Diois<") || !strings.Contains(body, `aria-sort="descending"`) {
			t.Errorf("the CTG behind its target does not come first")
		}
		if code, _, _ := get(t, admin, s.URL+"/caf/indicators?ind=X99"); code != 422 {
			t.Errorf("an unknown indicator: %d", code)
		}
		// the current year, if the conventions hold it, is marked incomplete
		if today := civil.Today(); today.Year <= 2026 && today != civil.YearEnd(today.Year) {
			_, body, _ = get(t, admin, s.URL+"/caf/indicators")
			if !strings.Contains(body, ">"+itoa(int64(today.Year))+" (en cours)<") || !strings.Contains(body, `stroke-dasharray="3 2"`) {
				t.Errorf("the current year is not marked incomplete")
			}
		}
		if code, _, _ := get(t, admin, s.URL+"/national/indicators"); code != 403 {
			t.Errorf("a Caf admin opens the national dashboard: %d", code)
		}
		db.Write(context.Background(), 0, func(tx *store.Tx) error {
			u := account.User{Email: "national@cnaf.fr", Name: "Nadia National", Role: account.National}
			return tx.CreateUser(&u, password)
		})
		national := client(t)
		post(t, national, s.URL+"/login", url.Values{"email": {"national@cnaf.fr"}, "password": {password}})
		code, body, _ = get(t, national, s.URL+"/national/indicators?year=2024&ind=S12b")
		if code != 200 || !strings.Contains(body, "France") {
			t.Fatalf("national dashboard: %d %s", code, snippet(body))
		}
		caf := rowOf(t, body, `id="detail-caption"`, "Caf de la Drôme")
		if !strings.Contains(caf, `href="/caf/indicators?caf=026&amp;ind=S12b&amp;year=2024#detail"`) || !strings.Contains(caf, ">4</td>") {
			t.Errorf("national Caf row: %s", caf)
		}
		if strings.Contains(body, `id="national-age"`) {
			t.Errorf("exact national figures are said to lag")
		}
		// with a lag the total says when it was counted; the Cafs' lines
		// follow a new alert at once, the total within the lag
		db.SetNationalLag(time.Hour)
		defer db.SetNationalLag(0)
		rows := func() (caf, total string) {
			t.Helper()
			_, body, _ := get(t, national, s.URL+"/national/indicators?year=2024&ind=S12b")
			detail := body[strings.Index(body, `id="detail-caption"`):]
			return rowOf(t, body, `id="detail-caption"`, "Caf de la Drôme"), detail[strings.Index(detail, "<tfoot>"):strings.Index(detail, "</tfoot>")]
		}
		cafBefore, totalBefore := rows()
		posts, _ := db.Posts(context.Background(), s.mine.ID)
		err = db.Write(context.Background(), 0, func(tx *store.Tx) error {
			r := journal.Record{CTGID: s.mine.ID, PostID: posts[0].ID, Kind: journal.Alerte, Date: civil.MustParse("2024-10-01"),
				Title: "Retard du bilan", Nature: "retard", Status: "ouverte"}
			return tx.SaveRecord(&r, nomenclature.Default)
		})
		if err != nil {
			t.Fatal(err)
		}
		cafAfter, totalAfter := rows()
		if cafAfter == cafBefore || totalAfter != totalBefore {
			t.Errorf("after an alert, within the lag: the Caf's row %s → %s, the total %s → %s; want the row moved and the total kept",
				cafBefore, cafAfter, totalBefore, totalAfter)
		}
		_, body, _ = get(t, national, s.URL+"/national/indicators?year=2024&ind=S12b")
		age := body[strings.Index(body, `id="national-age"`)+1:]
		if age = age[:strings.Index(age, "</p>")]; !strings.Contains(age, "Total national calculé à ") ||
			!strings.Contains(age, "recompté au plus toutes les 3600 secondes") {
			t.Errorf("the lagging total does not say when it was counted: %s", age)
		}
		code, body, _ = get(t, national, s.URL+"/caf/indicators?caf=026&ind=S12b&year=2024")
		if code != 200 || !strings.Contains(body, `href="/caf/indicators?caf=026&amp;dir=asc&amp;ind=S12b&amp;sort=gap&amp;year=2024#lines"`) {
			t.Errorf("a national reader's Caf page does not keep its Caf in the sort links: %d", code)
		}
	})
}

// A CTG's dashboard opens with its summary: the figures off target and
// each objective's trend over the last two complete years.
func TestDashboardOpensWithSummary(t *testing.T) {
	db := storetest.Open(t, store.SQLite)
	s := newSite(t, db)
	seedJournal(t, db, s)
	db.Write(context.Background(), 0, func(tx *store.Tx) error {
		return tx.SaveTargets(s.mine.ID, []indicator.Target{{Indicator: "S12b", Year: 2024, Value: 5}, {Indicator: "S31", Year: 2024, Value: 1}})
	})
	officer := login(t, s)
	_, body, _ := get(t, officer, s.URL+"/ctg/"+itoa(s.mine.ID)+"/indicators?year=2024")
	i, j := strings.Index(body, `id="summary-title"`), strings.Index(body, `id="obj-1"`)
	if i < 0 || j < i {
		t.Fatalf("no summary before the blocks: %s", snippet(body))
	}
	summary := body[i:j]
	for _, want := range []string{"1 indicateur en retard sur 2 ayant une cible", `href="#ind-S12b"`, "2 pour une cible de 5",
		"Objectif 1", "de 2024 à 2025"} {
		if !strings.Contains(summary, want) {
			t.Errorf("summary lacks %q: %s", want, summary)
		}
	}
	if strings.Contains(summary, `href="#ind-S31"`) {
		t.Errorf("S31 (reached) listed off target")
	}
}
