package demo_test

import (
	"fmt"
	"os"
	"sort"
	"testing"

	"copilote/internal/demo"
	"copilote/internal/journal"
	"copilote/internal/store"
	"copilote/internal/store/storetest"
)

func TestReport(t *testing.T) {
	db := storetest.Open(t, store.Engine(os.Getenv("ENG")))
	logins, err := demo.Load(ctx, db)
	if err != nil { t.Fatal(err) }
	for _, l := range logins { fmt.Printf("%-38s %-24s %-38s %s\n", l.Email, l.Name, l.Role, l.Note) }
	recs := allRecords(t, db)
	kinds := map[journal.Kind]int{}
	nat := map[string]int{}
	perCTG := map[int64]int{}
	for _, r := range recs { kinds[r.Kind]++; perCTG[r.CTGID]++; if r.Kind == journal.Reunion { nat[r.Nature]++ } }
	fmt.Println("total", len(recs), perCTG)
	for _, s := range journal.Specs { fmt.Printf("%-14s %5d\n", s.Kind, kinds[s.Kind]) }
	fmt.Println(nat)
	cafs, _ := db.Cafs(ctx)
	rows, total, _ := db.Partners(ctx, store.PartnerFilter{CafID: cafs[0].ID})
	fmt.Println("partners", total)
	ctgs, _ := db.CTGs(ctx, store.Scope{All: true})
	for _, c := range ctgs {
		rows2, n, perr := db.Partners(ctx, store.PartnerFilter{CafID: cafs[0].ID, CTGID: c.ID, ForCTG: c.ID}); fmt.Println("ERR", perr)
		byYear := map[int]int{}
		for i, r := range rows2 { byYear[r.FirstInCTG.Year]++; if i < 3 { fmt.Printf("%q %v\n", r.Name, r.FirstInCTG) } }
		fmt.Println(c.Name, c.Population, "partners involved", n, "first by year", byYear)
		acts, _, _ := db.Actions(ctx, store.ActionFilter{Scope: store.Scope{All: true}, CTGID: c.ID})
		for _, a := range acts { ups, _ := db.Updates(ctx, a.ID); al := 0; for _, u := range ups { if u.AlertRecordID != 0 { al++ } }; fmt.Printf("  %-6s %-5v %-10s %3d%% %s→%s ups=%d alerts=%d %s | %s\n", a.Code, a.Priority, a.Status, a.Progress, a.Start, a.End, len(ups), al, a.Title, a.PilotStructure) }
		ws, _ := db.Waves(ctx, c.ID)
		for _, w := range ws { fmt.Printf("  wave %s %s %s n=%d mean=%.2f token=%s\n", w.Audience, w.Kind, w.Date, w.Responses, w.Mean, w.Token) }
	}
	_ = rows
	sample := []int{0, 1, 2, 3, 4, 5, 100, 500, 1000, 1500, 2000, 2500, 3000, 3500, 4000, 4500, len(recs) - 1}
	for _, i := range sample { if i < len(recs) { r := recs[i]; fmt.Printf("%d %s %s/%s [%s] %q — %q p=%v roles=%v\n", r.ID, r.Date, r.Kind, r.Nature, r.Axis, r.Title, r.Comment, r.PartnerIDs, r.Roles) } }
	titles := map[string]int{}
	for _, r := range recs { titles[r.Title]++ }
	type kv struct{ k string; v int }
	var kvs []kv
	for k, v := range titles { kvs = append(kvs, kv{k, v}) }
	sort.Slice(kvs, func(i, j int) bool { return kvs[i].v > kvs[j].v })
	fmt.Println("distinct titles", len(titles))
	for _, x := range kvs[:15] { fmt.Println(x.v, x.k) }
}
