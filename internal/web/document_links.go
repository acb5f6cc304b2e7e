package web

import (
	"net/url"
	"strconv"

	"copilote/internal/indicator"
	"copilote/internal/journal"
	"copilote/internal/report"
)

// reportLinks open, from a report's page, what it counts: a figure's
// records (as the dashboard's drill-down), the journal of one kind, a
// fiche action, a record; post limits them to a post's (0: the CTG).
func reportLinks(ctgID, post int64) report.Links {
	base := ctgURL(ctgID)
	scoped := func(q url.Values, p indicator.Period) url.Values {
		q.Set("from", p.From.String())
		q.Set("to", p.To.String())
		if post != 0 {
			q.Set("post", strconv.FormatInt(post, 10))
		}
		return q
	}
	return report.Links{
		Figure: func(code string, p indicator.Period) string {
			return base + "/indicators/" + code + "?" + scoped(url.Values{}, p).Encode()
		},
		Kind: func(k journal.Kind, p indicator.Period) string {
			return base + "/journal?" + scoped(url.Values{"kind": {string(k)}}, p).Encode()
		},
		Action: func(id int64) string { return base + "/actions/" + strconv.FormatInt(id, 10) },
		Record: func(id int64) string { return recordURL(ctgID, id) },
	}
}

// matrixLink opens the records behind a cell of the matrice: a figure of
// a year, or one nature of it.
func matrixLink(ctgID, post int64) func(code string, year int, key string) string {
	return func(code string, year int, key string) string {
		q := url.Values{"from": {strconv.Itoa(year) + "-01-01"}, "to": {strconv.Itoa(year) + "-12-31"}}
		if post != 0 {
			q.Set("post", strconv.FormatInt(post, 10))
		}
		if key != "" {
			q.Set("key", key)
		}
		return ctgURL(ctgID) + "/indicators/" + code + "?" + q.Encode()
	}
}
