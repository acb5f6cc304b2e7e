package web

import (
	"cmp"
	"context"
	"net/url"
	"slices"
	"strings"

	"copilote/internal/civil"
	"copilote/internal/journal"
	"copilote/internal/nomenclature"
	"copilote/internal/store"
)

// An officer's and an advisor's own figures on the cockpit: one click to
// record what they record most, and their activity this month against
// the same month last year.

// quickCapture is a link that opens the record form of one kind (and, for
// meetings, one nature) in one CTG, filled with what the user recorded
// last of that kind (record_prefill.go).
type quickCapture struct {
	CTGID   int64
	CTGName string
	Label   string
	URL     string
	N       int // records of the kind in the last twelve months
}

// quickKinds is how many kinds the cockpit offers in one click.
const quickKinds = 5

// quickDefaults complete the kinds a new officer has not recorded yet:
// the meetings and exchanges of everyday work.
var quickDefaults = []store.KindUse{{Kind: journal.Reunion, Nature: nomenclature.MeetingCopil},
	{Kind: journal.Reunion, Nature: nomenclature.MeetingVeille}, {Kind: journal.Relais}, {Kind: journal.Appui}, {Kind: journal.Explicitation}}

// quickCaptures offers, in each CTG where the officer holds a post, the
// five kinds they recorded most over the last twelve months.
func (s *Server) quickCaptures(ctx context.Context, v *homeView) error {
	for _, site := range v.Sites {
		var posts []int64
		for post, ctgID := range v.User.Posts {
			if ctgID == site.CTG.ID {
				posts = append(posts, post)
			}
		}
		if !site.CanRecord || len(posts) == 0 {
			continue
		}
		used, err := s.db.KindsUsed(ctx, site.CTG.ID, posts, v.User.User.ID, v.Today.AddDate(-1, 0, 0))
		if err != nil {
			return err
		}
		// who records Copils (a chef de projet) has theirs first: the
		// meeting the cockpit's to-do leads to
		slices.SortStableFunc(used, func(a, b store.KindUse) int {
			return cmp.Compare(isCopil(b), isCopil(a))
		})
		for _, d := range quickDefaults {
			if !slices.ContainsFunc(used, func(u store.KindUse) bool { return u.Kind == d.Kind && u.Nature == d.Nature }) {
				used = append(used, d)
			}
		}
		n := 0
		for _, u := range used {
			if n == quickKinds {
				break
			}
			spec, ok := journal.SpecOf(u.Kind)
			if !ok || (u.Nature != "" && !site.nom.Has(spec.NatureKind, u.Nature)) {
				continue
			}
			q := url.Values{"kind": {string(u.Kind)}}
			label := spec.Label
			if u.Nature != "" {
				q.Set("nature", u.Nature)
				label = meetingLabel(site.nom.Label(spec.NatureKind, u.Nature))
			}
			v.Quick = append(v.Quick, quickCapture{CTGID: site.CTG.ID, CTGName: site.CTG.Name, Label: label,
				URL: ctgURL(site.CTG.ID) + "/records/new?" + q.Encode(), N: u.N})
			n++
		}
	}
	return nil
}

// activity counts records by kind over this month so far, the same days
// last year, and last year's whole month.
type activity struct {
	Month, LastYear civil.Date // first days of the months compared
	Today, SameDay  civil.Date
	Rows            []activityRow
	Total           activityRow
}

type activityRow struct {
	Label                    string
	Now, SameDays, LastWhole int
}

// Trend compares this month so far with the same days last year.
func (r activityRow) Trend() int { return r.Now - r.SameDays }

// add counts n records in window i (activity.windows).
func (r *activityRow) add(i, n int) {
	switch i {
	case 0:
		r.Now += n
	case 1:
		r.SameDays += n
	default:
		r.LastWhole += n
	}
}

func newActivity(today civil.Date) *activity {
	month := civil.New(today.Year, today.Month, 1)
	return &activity{Month: month, LastYear: month.AddDate(-1, 0, 0), Today: today, SameDay: today.AddDate(-1, 0, 0)}
}

// windows are the three periods an activity compares.
func (a *activity) windows() [3][2]civil.Date {
	return [3][2]civil.Date{{a.Month, a.Today}, {a.LastYear, a.SameDay}, {a.LastYear, a.LastYear.AddDate(0, 1, -1)}}
}

// officerActivity counts the records of the officer's posts (for
// meetings, those where a post had a role), kind by kind.
func (s *Server) officerActivity(ctx context.Context, v *homeView) error {
	a := newActivity(v.Today)
	counts := map[journal.Kind]*activityRow{}
	for post, ctgID := range v.User.Posts {
		for i, w := range a.windows() {
			by, err := s.db.RecordKinds(ctx, store.RecordFilter{Scope: v.User.Scope(), CTGID: ctgID, PostID: post, From: w[0], To: w[1]})
			if err != nil {
				return err
			}
			for k, n := range by {
				row := counts[k]
				if row == nil {
					row = &activityRow{Label: kindLabel(k)}
					counts[k] = row
				}
				row.add(i, n)
			}
		}
	}
	for _, spec := range journal.Specs {
		if row := counts[spec.Kind]; row != nil {
			a.Rows = append(a.Rows, *row)
			a.Total.Now += row.Now
			a.Total.SameDays += row.SameDays
			a.Total.LastWhole += row.LastWhole
		}
	}
	v.Activity = a
	return nil
}

func kindLabel(k journal.Kind) string {
	if s, ok := journal.SpecOf(k); ok {
		return s.Label
	}
	return string(k)
}

// ctgActivity is one CTG's records this month against last year's.
type ctgActivity struct {
	Site *ctgCockpit
	activityRow
}

// advisorActivity counts each CTG's records over the same windows.
func (s *Server) advisorActivity(ctx context.Context, v *homeView) error {
	a := newActivity(v.Today)
	v.Activity = a
	for _, site := range v.Sites {
		row := ctgActivity{Site: site}
		for i, w := range a.windows() {
			n, err := s.db.CountRecords(ctx, store.RecordFilter{Scope: v.User.Scope(), CTGID: site.CTG.ID, From: w[0], To: w[1]})
			if err != nil {
				return err
			}
			row.add(i, n)
		}
		v.CTGActivity = append(v.CTGActivity, row)
		a.Total.Now += row.Now
		a.Total.SameDays += row.SameDays
		a.Total.LastWhole += row.LastWhole
	}
	return nil
}

// meetingLabel names a kind of meeting: "Réunion de veille" as it is,
// "Copil" as "Réunion : Copil".
func meetingLabel(nature string) string {
	if strings.HasPrefix(strings.ToLower(nature), "réunion") {
		return nature
	}
	return "Réunion : " + nature
}

func isCopil(u store.KindUse) int {
	if u.Kind == journal.Reunion && u.Nature == nomenclature.MeetingCopil {
		return 1
	}
	return 0
}
