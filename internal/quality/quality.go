// Package quality spots the gaps that make a CTG's figures unreliable: no
// Copil recorded this year, an action plan left without update, a post that
// records nothing. Dashboards show these warnings beside the figures.
package quality

import (
	"fmt"

	"copilote/internal/civil"
)

// Facts are what the rules look at for one CTG, as the store reads them.
type Facts struct {
	CTGID       int64
	CTGName     string
	Start, End  civil.Date
	LastCopil   civil.Date // latest Copil meeting, zero if none
	LastUpdate  civil.Date // latest progress update of a fiche action
	HasActions  bool
	PostsLastAt []PostActivity
}

// PostActivity is a post's latest record (zero if none).
type PostActivity struct {
	PostID int64
	Person string
	Last   civil.Date
}

// Warning is one gap, in French, with where to go to fix it.
type Warning struct {
	CTGID   int64
	Kind    string
	Message string
	Link    string
	PostID  int64 // the silent post, for SilentPost
}

// Kinds of warning.
const (
	NoCopilThisYear = "no_copil"
	StalePlan       = "stale_plan"
	SilentPost      = "silent_post"
)

// Check applies the rules as of today. A convention that has not started or
// has ended raises nothing: there is nothing left to fix.
func Check(f Facts, today civil.Date) []Warning {
	if today.Before(f.Start) || today.After(f.End) {
		return nil
	}
	var out []Warning
	base := fmt.Sprintf("/ctg/%d", f.CTGID)
	if f.LastCopil.Year != today.Year {
		out = append(out, Warning{f.CTGID, NoCopilThisYear,
			fmt.Sprintf("%s : aucun Copil n'est enregistré en %d.", f.CTGName, today.Year), base + "/records/new?kind=reunion&nature=copil", 0})
	}
	sixMonthsAgo := today.AddDate(0, -6, 0)
	if f.HasActions && f.Start.Before(sixMonthsAgo) && (f.LastUpdate.IsZero() || f.LastUpdate.Before(sixMonthsAgo)) {
		out = append(out, Warning{f.CTGID, StalePlan,
			fmt.Sprintf("%s : le plan d'actions n'a pas été mis à jour depuis six mois%s.", f.CTGName, since(f.LastUpdate)), base + "/actions", 0})
	}
	threeMonthsAgo := today.AddDate(0, -3, 0)
	for _, p := range f.PostsLastAt {
		if f.Start.Before(threeMonthsAgo) && (p.Last.IsZero() || p.Last.Before(threeMonthsAgo)) {
			out = append(out, Warning{f.CTGID, SilentPost,
				fmt.Sprintf("%s : aucun enregistrement de %s depuis trois mois%s.", f.CTGName, p.Person, since(p.Last)),
				fmt.Sprintf("%s/journal?post=%d", base, p.PostID), p.PostID})
		}
	}
	return out
}

func since(d civil.Date) string {
	if d.IsZero() {
		return " (jamais)"
	}
	return " (dernier le " + d.French() + ")"
}
