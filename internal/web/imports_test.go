package web

import (
	"bytes"
	"context"
	"html"
	"mime/multipart"
	"net/http"
	"net/url"
	"regexp"
	"strings"
	"testing"

	"github.com/xuri/excelize/v2"
	"golang.org/x/text/encoding/charmap"

	"copilote/internal/exchange"
	"copilote/internal/nomenclature"
	"copilote/internal/store"
	"copilote/internal/store/storetest"
)

// upload posts a file to the import form and returns the answer.
func upload(t *testing.T, c *http.Client, base, token, kind, name string, data []byte) (int, string, http.Header) {
	t.Helper()
	var body bytes.Buffer
	w := multipart.NewWriter(&body)
	w.WriteField("csrf", token)
	w.WriteField("kind", kind)
	fw, _ := w.CreateFormFile("file", name)
	fw.Write(data)
	w.Close()
	res, err := c.Post(base, w.FormDataContentType(), &body)
	if err != nil {
		t.Fatal(err)
	}
	defer res.Body.Close()
	var b bytes.Buffer
	b.ReadFrom(res.Body)
	return res.StatusCode, b.String(), res.Header
}

func exportOf(t *testing.T, db *store.DB) string {
	t.Helper()
	var b bytes.Buffer
	if _, err := db.Export(context.Background(), &b, exchange.ExportOptions{}); err != nil {
		t.Fatal(err)
	}
	return b.String()
}

var tagRe = regexp.MustCompile(`<[^>]+>`)

// text is a page's visible text, spaces folded.
func text(page string) string {
	return strings.Join(strings.Fields(html.UnescapeString(tagRe.ReplaceAllString(page, " "))), " ")
}

func win1252(t *testing.T, s string) []byte {
	t.Helper()
	b, err := charmap.Windows1252.NewEncoder().Bytes([]byte(s))
	if err != nil {
		t.Fatal(err)
	}
	return b
}

// A CSV written by French Excel (Windows-1252, ;) with mistakes: the dry
// run names each by line and column, a commit with problems changes
// nothing (export before and after), a corrected mapping commits, the
// next file finds its columns remembered, and the undo takes it all back.
func TestImportRecordsFromCSV(t *testing.T) {
	storetest.ForEach(t, func(t *testing.T, db *store.DB) {
		s := newSite(t, db)
		addPartner(t, db, s.mine.CafID, "Centre social Le Lien")
		c := login(t, s)
		base := s.URL + "/ctg/" + itoa(s.mine.ID) + "/imports"
		token := csrfOf(t, c, base)
		file := "Date;Type;Quoi;Nature;Rôle;Partenaires;Axe\r\n" +
			"15/03/2024;Réunion;Copil de printemps;Copil;Animation;centre social le lien;\r\n" +
			"02/04/2024;Réunion;Copil élargi d'avril;Copil élargi;Préparation;;\r\n" +
			"31/02/2024;Projet;Jardin partagé;;;;\r\n" +
			"10/05/2024;Relais;;Accès aux droits;;Inconnu SARL;\r\n"
		code, _, h := upload(t, c, base, token, "records", "journal.csv", win1252(t, file))
		if code != http.StatusSeeOther {
			t.Fatalf("upload: %d", code)
		}
		page := h.Get("Location")
		_, body, _ := get(t, c, s.URL+page)
		got := text(body)
		for _, want := range []string{
			"lu en Windows-1252, séparateur point-virgule",
			"3 D « Nature » Copil élargi « Copil élargi » n'est pas une valeur connue de la liste « Types de réunions »",
			"4 A « Date » 31/02/2024 « 31/02/2024 » n'est pas une date : écrivez-la JJ/MM/AAAA",
			"4 — (Intitulé, aucune colonne)",
			"5 F « Partenaires » Inconnu SARL Partenaire introuvable dans le registre de la Caf : « Inconnu SARL ».",
		} {
			if !strings.Contains(got, want) {
				t.Errorf("dry run lacks %q:\n%s", want, got)
			}
		}
		if !strings.Contains(body, `<option value="copil" selected>Copil</option>`) || !strings.Contains(got, "suggestion, à enregistrer") {
			t.Errorf("no suggestion for « Copil élargi »")
		}
		before := exportOf(t, db)
		code, body, _ = post(t, c, s.URL+page+"/commit", url.Values{"csrf": {token}})
		if code != http.StatusUnprocessableEntity || !strings.Contains(text(body), "Rien n'a été importé : 4 ligne(s) ont des erreurs.") {
			t.Errorf("commit with errors: %d %s", code, text(body)[strings.Index(text(body), "Erreurs, par"):])
		}
		if after := exportOf(t, db); after != before {
			t.Errorf("a refused import changed the database")
		}

		// the second file: the mistakes corrected by the mapping alone
		file = "Date;Type;Quoi;Nature;Rôle\r\n15/03/2024;Réunion;Copil de printemps;Copil;Animation\r\n" +
			"02/04/2024;Réunion;Copil élargi d'avril;Copil élargi;\"Préparation ; Animation\"\r\n"
		_, _, h = upload(t, c, base, token, "records", "journal2.csv", []byte("\ufeff"+file))
		page = h.Get("Location")
		_, body, _ = get(t, c, s.URL+page)
		if strings.Contains(body, `<option value="title" selected>`) {
			t.Errorf("« Quoi » guessed as the title")
		}
		form := url.Values{"csrf": {token}, "col_0": {"date"}, "col_1": {"kind"}, "col_2": {"title"}, "col_3": {"nature"},
			"col_4": {"roles"}, "val|meeting_kind|copil elargi": {"copil"}}
		if code, _, _ := post(t, c, s.URL+page+"/mapping", form); code != http.StatusSeeOther {
			t.Fatalf("mapping: %d", code)
		}
		_, body, _ = get(t, c, s.URL+page)
		if !strings.Contains(text(body), "Les 2 lignes peuvent être importées : 2 éléments à créer.") {
			t.Fatalf("corrected dry run: %s", text(body))
		}
		if code, _, h := post(t, c, s.URL+page+"/commit", url.Values{"csrf": {token}}); code != http.StatusSeeOther ||
			!strings.Contains(h.Get("Location"), "ok=imported") {
			t.Fatalf("commit: %d", code)
		}
		rs, n, _ := db.Records(context.Background(), store.RecordFilter{Scope: store.Scope{All: true}, CTGID: s.mine.ID})
		if n != 2 || rs[0].Nature != "copil" || len(rs[0].Roles) != 2 || rs[1].Roles[0].Role != "animation" {
			t.Fatalf("records after import: %d %+v", n, rs)
		}
		audit, _ := db.AuditOf(context.Background(), "import", toID(strings.TrimPrefix(page, "/ctg/"+itoa(s.mine.ID)+"/imports/")))
		if last := audit[len(audit)-1]; last.Action != store.ActImport || !strings.Contains(last.Detail, `"created":2`) {
			t.Errorf("audit of the import: %+v", last)
		}
		// the next file of the Caf finds « Quoi » mapped to the title
		_, _, h = upload(t, c, base, token, "records", "journal3.csv", []byte(file))
		_, body, _ = get(t, c, s.URL+h.Get("Location"))
		if !strings.Contains(body, `<option value="title" selected>`) || strings.Contains(text(body), "suggestion, à enregistrer") {
			mem, _ := db.ImportMemory(context.Background(), s.mine.CafID)
			t.Errorf("the mapping was not remembered: %v %s", mem, text(body)[strings.Index(text(body), "C « Quoi"):][:100])
		}
		// the undo: refused while a created record has been edited since
		rs[0].Comment = "modifié à la main"
		if err := db.Write(context.Background(), 0, func(tx *store.Tx) error { return tx.SaveRecord(&rs[0], nomenclature.Default) }); err != nil {
			t.Fatal(err)
		}
		before = exportOf(t, db)
		code, body, _ = post(t, c, s.URL+page+"/undo", url.Values{"csrf": {token}})
		if code != http.StatusConflict || !strings.Contains(text(body), "L'import n'a pas été annulé, rien n'a changé : l'enregistrement « Copil élargi d'avril »") {
			t.Errorf("undo of an edited import: %d %s", code, snippet(text(body)))
		}
		if exportOf(t, db) != before {
			t.Errorf("a refused undo changed the database")
		}
		rs[0].Comment = ""
		err := db.Write(context.Background(), 0, func(tx *store.Tx) error {
			// put the record back as the import made it
			return tx.DeleteRecord(s.mine.ID, rs[0].ID)
		})
		if err != nil {
			t.Fatal(err)
		}
		code, body, _ = post(t, c, s.URL+page+"/undo", url.Values{"csrf": {token}})
		if code != http.StatusConflict || !strings.Contains(body, "a été modifié ou supprimé depuis l") {
			t.Errorf("undo of an import with a deleted record: %d", code)
		}
	})
}

// An import whose records are untouched is undone whole; a closed year
// refuses its lines one by one.
func TestImportUndoAndClosedYear(t *testing.T) {
	storetest.ForEach(t, func(t *testing.T, db *store.DB) {
		s := newSite(t, db)
		c := login(t, s)
		base := s.URL + "/ctg/" + itoa(s.mine.ID) + "/imports"
		token := csrfOf(t, c, base)
		file := "Date\tType\tIntitulé\tAxe\r\n10/01/2025\tProjet\tJardin\tPetite enfance\r\n11/01/2025\tprojets\tFerme\tparentalite\r\n"
		_, _, h := upload(t, c, base, token, "records", "projets.tsv", []byte(file))
		page := h.Get("Location")
		if code, _, _ := post(t, c, s.URL+page+"/commit", url.Values{"csrf": {token}}); code != http.StatusSeeOther {
			t.Fatalf("commit: %d", code)
		}
		if code, _, h := post(t, c, s.URL+page+"/undo", url.Values{"csrf": {token}}); code != http.StatusSeeOther || !strings.Contains(h.Get("Location"), "ok=undone") {
			t.Fatalf("undo: %d", code)
		}
		if _, n, _ := db.Records(context.Background(), store.RecordFilter{Scope: store.Scope{All: true}, CTGID: s.mine.ID}); n != 0 {
			t.Errorf("%d records left after the undo", n)
		}
		_, body, _ := get(t, c, base)
		if !strings.Contains(text(body), "annulé le") {
			t.Errorf("the list does not say the import was undone")
		}
		if err := db.Write(context.Background(), 0, func(tx *store.Tx) error { return tx.CloseYear(s.mine.ID, 2025) }); err != nil {
			t.Fatal(err)
		}
		_, _, h = upload(t, c, base, token, "records", "projets.tsv", []byte(file))
		_, body, _ = get(t, c, s.URL+h.Get("Location"))
		if got := text(body); !strings.Contains(got, "2 A « Date » 10/01/2025 L'année 2025 de cette CTG est close") ||
			!strings.Contains(got, "3 A « Date »") {
			t.Errorf("closed year: %s", got)
		}
	})
}

// Partners are matched to the register (SIRET, then folded name) rather
// than duplicated, within the file too; fiches come from a workbook with
// Excel dates and French amounts.
func TestImportPartnersAndFiches(t *testing.T) {
	storetest.ForEach(t, func(t *testing.T, db *store.DB) {
		s := newSite(t, db)
		addPartner(t, db, s.mine.CafID, "Centre social Le Lien")
		c := login(t, s)
		base := s.URL + "/ctg/" + itoa(s.mine.ID) + "/imports"
		token := csrfOf(t, c, base)
		file := "Nom,Type,SIRET\nCENTRE SOCIAL LE LIEN (association),Association,\nCrèche Les Lutins,association,\n" +
			"creche les lutins,Association,\n\"Mairie de Die, service jeunesse\",Commune,\n"
		_, _, h := upload(t, c, base, token, "partners", "partenaires.csv", []byte(file))
		page := h.Get("Location")
		_, body, _ := get(t, c, s.URL+page)
		got := text(body)
		if !strings.Contains(got, "4 lignes peuvent être importées : 2 éléments à créer, 2 partenaires déjà au registre") ||
			!strings.Contains(got, "déjà au registre : « Centre social Le Lien » (même nom), non recréé") {
			t.Fatalf("partners dry run: %s", got)
		}
		if code, _, _ := post(t, c, s.URL+page+"/commit", url.Values{"csrf": {token}}); code != http.StatusSeeOther {
			t.Fatalf("commit: %d", code)
		}
		ps, n, _ := db.Partners(context.Background(), store.PartnerFilter{CafID: s.mine.CafID})
		if n != 3 {
			t.Errorf("partners after import: %+v", ps)
		}

		wb := excelize.NewFile()
		rows := [][]any{{"Code", "Intitulé", "Axe", "Début", "Budget prévu", "Prioritaire", "Partenaires"},
			{"A-1", "Ouvrir un RPE", "Petite enfance", 45366, "12 500,50", "oui", "Crèche Les Lutins; centre social le lien"}}
		for i, r := range rows {
			cell, _ := excelize.CoordinatesToCellName(1, i+1)
			wb.SetSheetRow("Sheet1", cell, &r)
		}
		var xb bytes.Buffer
		wb.Write(&xb)
		_, _, h = upload(t, c, base, token, "actions", "fiches.xlsx", xb.Bytes())
		page = h.Get("Location")
		if code, body, _ := post(t, c, s.URL+page+"/commit", url.Values{"csrf": {token}}); code != http.StatusSeeOther {
			t.Fatalf("commit fiches: %d %s", code, text(body))
		}
		as, _, _ := db.Actions(context.Background(), store.ActionFilter{Scope: store.Scope{All: true}, CTGID: s.mine.ID})
		if len(as) != 1 || as[0].BudgetPlanned != 12500 || as[0].Start.String() != "2024-03-15" || !as[0].Priority {
			t.Errorf("fiche after import: %+v", as)
		}
	})
}

// The templates carry the fields' labels, the workbook the Caf's values.
func TestImportTemplates(t *testing.T) {
	db := storetest.Open(t, store.SQLite)
	s := newSite(t, db)
	c := login(t, s)
	base := s.URL + "/ctg/" + itoa(s.mine.ID) + "/imports/template/"
	code, csv, h := get(t, c, base+"records?format=csv")
	if code != 200 || !strings.HasPrefix(csv, "\ufeffType;Date;Poste;Intitulé") || !strings.Contains(h.Get("Content-Disposition"), "modele-import-records.csv") {
		t.Errorf("CSV template: %d %q", code, csv)
	}
	code, xlsx, _ := get(t, c, base+"partners")
	f, err := excelize.OpenReader(strings.NewReader(xlsx))
	if code != 200 || err != nil {
		t.Fatalf("workbook template: %d %v", code, err)
	}
	vals, _ := f.GetRows("Valeurs possibles")
	if len(vals) < 5 || vals[1][0] != "Type" {
		t.Errorf("values sheet: %v", vals)
	}
	if code, _, _ := get(t, c, base+"nope"); code != http.StatusNotFound {
		t.Errorf("unknown kind: %d", code)
	}
}
