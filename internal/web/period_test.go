package web

import (
	"context"
	"io"
	"net/http"
	"strings"
	"testing"
	"time"

	"copilote/internal/store"
	"copilote/internal/store/storetest"
)

// A period outside what the data can hold is refused with a French
// message, on every page that reads one: a far year once grew memory
// without limit (issue 9, defect 1).
func TestPeriodsAreBounded(t *testing.T) {
	storetest.ForEach(t, func(t *testing.T, db *store.DB) {
		s := newSite(t, db)
		seedJournal(t, db, s)
		officer := login(t, s)
		admin := adminClient(t, db, s)
		mine := s.URL + ctgURL(s.mine.ID)
		for _, c := range []struct {
			who  *http.Client
			path string
			want int
			says string
		}{
			{officer, mine + "/indicators?year=2147483647", 422, "01/01/2023 au 31/12/2026"},
			{officer, mine + "/indicators?year=9999", 422, "01/01/2023 au 31/12/2026"},
			{officer, mine + "/indicators?year=2022", 422, "01/01/2023 au 31/12/2026"},
			{officer, mine + "/indicators?from=0001-01-01&to=9999-12-31", 422, "01/01/2023 au 31/12/2026"},
			{officer, mine + "/indicators?from=2024-01-01&to=2023-01-01", 422, "La date de fin doit suivre"},
			{officer, mine + "/indicators?from=2024-13-45&to=2024-12-31", 422, "Saisissez une date valide"},
			{officer, mine + "/indicators/S12b?year=2147483647", 422, "01/01/2023 au 31/12/2026"},
			{officer, mine + "/indicators/S12b?from=1000-01-01&to=9999-12-31", 422, "01/01/2023 au 31/12/2026"},
			{admin, s.URL + "/caf/indicators?year=2147483647", 422, "2023 à 2026"},
			{admin, s.URL + "/caf/indicators?year=9999", 422, "2023 à 2026"},
			// what users ask every day still works
			{officer, mine + "/indicators?year=2024", 200, "année 2024"},
			{officer, mine + "/indicators?from=2024-02-01&to=2024-03-31", 200, "du 01/02/2024 au 31/03/2024"},
			{officer, mine + "/indicators/S12b?year=2024", 200, "Retard RPE"},
			{admin, s.URL + "/caf/indicators?year=2024", 200, "CTG du Diois"},
		} {
			code, body := getWithin(t, c.who, c.path, 10*time.Second)
			if code != c.want || !strings.Contains(body, c.says) {
				t.Errorf("%s: %d, want %d with %q: %s", strings.TrimPrefix(c.path, s.URL), code, c.want, c.says, snippet(pageMain(body)))
			}
		}
	})
}

// getWithin fails instead of hanging when a page never answers.
func getWithin(t *testing.T, c *http.Client, u string, d time.Duration) (int, string) {
	t.Helper()
	ctx, cancel := context.WithTimeout(context.Background(), d)
	defer cancel()
	req, _ := http.NewRequestWithContext(ctx, http.MethodGet, u, nil)
	res, err := c.Do(req)
	if err != nil {
		t.Errorf("GET %s: %v", u, err)
		return 0, ""
	}
	defer res.Body.Close()
	b, _ := io.ReadAll(res.Body)
	return res.StatusCode, string(b)
}

// pageMain is the page without its header, where messages are.
func pageMain(body string) string {
	if i := strings.Index(body, "<main"); i >= 0 {
		return body[i:]
	}
	return body
}

// A page number past the last page, however large, shows an empty page
// or the last one: it once overflowed into a panic (issue 9, defect 8).
func TestHugePageNumbers(t *testing.T) {
	db := storetest.Open(t, store.SQLite)
	s := newSite(t, db)
	seedJournal(t, db, s)
	officer := login(t, s)
	mine := s.URL + ctgURL(s.mine.ID)
	for _, path := range []string{
		mine + "/indicators/S12b?page=9223372036854775807",
		mine + "/indicators/S12b?page=-9223372036854775808",
		mine + "/journal?page=9223372036854775807",
		mine + "/journal?page=4611686018427387904",
		s.URL + "/journal?page=9223372036854775807",
	} {
		if code, body := getWithin(t, officer, path, 10*time.Second); code != 200 {
			t.Errorf("%s: %d %s", strings.TrimPrefix(path, s.URL), code, snippet(pageMain(body)))
		}
	}
}
