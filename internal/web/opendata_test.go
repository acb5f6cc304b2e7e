package web

import (
	"bytes"
	"context"
	"mime/multipart"
	"net/http"
	"net/url"
	"strings"
	"testing"

	"copilote/internal/account"
	"copilote/internal/ctg"
	"copilote/internal/nomenclature"
	"copilote/internal/opendata"
	"copilote/internal/store"
	"copilote/internal/store/storetest"
)

// The administrator imports the samples; the officer's CTG page shows its
// diagnostic, the other CTG's nothing; a refused file changes nothing.
func TestOpenDataImportAndDiagnostic(t *testing.T) {
	storetest.ForEach(t, func(t *testing.T, db *store.DB) {
		s := newSite(t, db)
		err := db.Write(context.Background(), 0, func(tx *store.Tx) error {
			c := s.mine
			c.EPCISIREN = "242600534"
			c.Communes = []ctg.Commune{{INSEE: "26113", Name: "Die", Population: 4844}, {INSEE: "26012", Name: "Arnayon", Population: 27}}
			if err := tx.UpdateCTG(&c, nomenclature.Default); err != nil {
				return err
			}
			u := account.User{Email: "admin@caf26.fr", Name: "Anne Admin", Role: account.Admin, CafID: s.mine.CafID}
			return tx.CreateUser(&u, password)
		})
		if err != nil {
			t.Fatal(err)
		}
		admin := client(t)
		if code, _, _ := post(t, admin, s.URL+"/login", url.Values{"email": {"admin@caf26.fr"}, "password": {password}}); code != http.StatusSeeOther {
			t.Fatalf("admin login: %d", code)
		}
		upload := func(name string) (int, string) {
			t.Helper()
			token := csrfOf(t, admin, s.URL+"/caf/opendata")
			b, err := opendata.Sample(name)
			if err != nil {
				b = []byte(name) // not a sample: the text itself
				name = "fichier.csv"
			}
			var body bytes.Buffer
			mw := multipart.NewWriter(&body)
			mw.WriteField("csrf", token)
			fw, _ := mw.CreateFormFile("file", name)
			fw.Write(b)
			mw.Close()
			res, err := admin.Post(s.URL+"/caf/opendata", mw.FormDataContentType(), &body)
			if err != nil {
				t.Fatal(err)
			}
			defer res.Body.Close()
			var out bytes.Buffer
			out.ReadFrom(res.Body)
			return res.StatusCode, out.String()
		}
		code, page := upload("foyers_epci_2019-2024.csv")
		if code != http.StatusOK || !strings.Contains(page, "CTG du Diois</a> : 18 valeurs enregistrées (2019, 2020, 2021, 2022, 2023, 2024)") {
			t.Fatalf("epci upload: %d %s", code, snippet(page))
		}
		if code, page = upload("foyers_communes_2022-2024.csv"); code != http.StatusOK || !strings.Contains(page, "CTG du Diois</a> : 12 valeurs") {
			t.Fatalf("commune upload: %d %s", code, snippet(page))
		}
		version := func() int64 { n, _ := db.DataVersion(context.Background()); return n }
		before := version()
		code, page = upload("NUMEPCI;DTREF;NB_Enfants\n242600534;32/12/2023;12\n")
		if code != http.StatusUnprocessableEntity || !strings.Contains(page, "Ligne 2, colonne DTREF : date de référence illisible « 32/12/2023 »") {
			t.Errorf("bad file: %d %s", code, snippet(page))
		}
		if version() != before {
			t.Error("a refused file changed data")
		}

		officer := login(t, s)
		_, page, _ = get(t, officer, s.URL+"/ctg/"+itoa(s.mine.ID))
		for _, want := range []string{`<h2 id="diagnostic">Diagnostic du territoire</h2>`,
			"Personnes couvertes par la branche Famille", "4\u202f893 (2023)", "4\u202f861 (2024)", "−32 (−0,7\u00a0%)",
			"Foyers allocataires", "colonne NB_Allocataires", "<strong>2\u202f034</strong>", `aria-labelledby="diag-0-t"`,
			"somme des communes", "2 communes de la CTG sur 2", "Arnayon", `<abbr title="valeur absente ou masquée`} {
			if !strings.Contains(page, want) {
				t.Errorf("CTG page lacks %q", want)
			}
		}
		_, page, _ = get(t, admin, s.URL+"/ctg/"+itoa(s.other.ID))
		if !strings.Contains(page, "Aucune donnée ouverte de la Caf n'est encore importée") {
			t.Error("the other CTG shows a diagnostic")
		}
		if code, _, _ := get(t, officer, s.URL+"/caf/opendata"); code != http.StatusForbidden {
			t.Errorf("an officer reaches the import page: %d", code)
		}
	})
}
