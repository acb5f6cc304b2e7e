package survey

import (
	"time"

	"copilote/internal/apperr"
	"copilote/internal/civil"
	"copilote/internal/msg"
)

// Where a response came from: typed by the respondent through the public
// link, or typed in afterwards by an officer from a paper questionnaire.
const (
	Online = "en_ligne"
	Paper  = "papier"
)

// MaxOpenDays is the longest a wave stays open: a wave measures visibility
// at one moment of the convention.
const MaxOpenDays = 366

// State is where a wave stands on a given day.
type State int

const (
	Upcoming State = iota // before its opening day
	Open                  // answers are taken online
	Closed                // after its closing day, or closed early
)

// StateOn says whether the wave takes online answers on day today. A wave
// without a closing day (imported ones may have none) stays open until it
// is closed.
func (w Wave) StateOn(today civil.Date) State {
	switch {
	case !w.ClosedAt.IsZero() || (!w.Closes.IsZero() && today.After(w.Closes)):
		return Closed
	case today.Before(w.Date):
		return Upcoming
	}
	return Open
}

// ClosedOn is the last day the wave took answers, or will take them.
func (w Wave) ClosedOn() civil.Date {
	if !w.ClosedAt.IsZero() {
		return Day(w.ClosedAt)
	}
	return w.Closes
}

// AcceptOnline refuses an online answer outside the wave's dates, with the
// French sentence the respondent reads.
func (w Wave) AcceptOnline(today civil.Date) error {
	switch w.StateOn(today) {
	case Upcoming:
		return apperr.New(apperr.Conflict, msg.SurveyNotOpenYet, w.Date.French())
	case Closed:
		return apperr.New(apperr.Conflict, msg.SurveyClosed, w.ClosedOn().French())
	}
	return nil
}

// AcceptPaper refuses paper answers before the wave opened; they are typed
// in afterwards, so a closed wave still takes them.
func (w Wave) AcceptPaper(today civil.Date) error {
	if today.Before(w.Date) {
		return apperr.New(apperr.Conflict, msg.SurveyPaperNotOpen, w.Date.French())
	}
	return nil
}

// CheckSchedule checks what a wave opened through the interface needs
// besides Validate: an opening day within the convention (so that the
// CTG's E32 and E42 count it) and a closing day at most MaxOpenDays later.
func (w *Wave) CheckSchedule(start, end civil.Date) error {
	f := apperr.Fields{}
	if !w.Date.IsZero() && !w.Date.Within(start, end) {
		f.Add("date", msg.DateOutsideCTG, start.French(), end.French())
	}
	switch {
	case w.Closes.IsZero():
		f.Add("closes", msg.Required)
	case !w.Date.IsZero() && w.Closes.After(w.Date.AddDays(MaxOpenDays)):
		f.Add("closes", msg.SurveyTooLong, MaxOpenDays)
	}
	return f.Err()
}

var paris = func() *time.Location {
	loc, err := time.LoadLocation("Europe/Paris")
	if err != nil {
		return time.UTC
	}
	return loc
}()

// Day is the day of instant t in Europe/Paris, where waves open and close.
func Day(t time.Time) civil.Date { return civil.Of(t.In(paris)) }

// SubmittedDay is what a response keeps of the instant it arrived: its
// day only, so that no answer can be matched with a server's or a proxy's
// log of who called at that minute.
func SubmittedDay(t time.Time) time.Time { return Day(t).Time() }

// Ballot stuffing is resisted within reason: a browser answers a wave once
// (a cookie that says so, never stored with the answer), and answers to
// one link are counted per window, overall and per client address, in
// the database so that every instance counts the same.
const (
	ThrottleWindow = 10 * time.Minute
	LinkLimit      = 100 // answers to one link per window, all clients together
	AddressLimit   = 20  // from one client address (a household, a venue's wifi)
)

// MaxCommentMonths bounds the Caf's setting for keeping free comments.
const MaxCommentMonths = 120

// CommentCutoff is the first day whose comments a Caf keeping them months
// months still keeps on day today; zero when it keeps them all (months 0).
func CommentCutoff(today civil.Date, months int) civil.Date {
	if months <= 0 {
		return civil.Date{}
	}
	return today.AddDate(0, -months, 0)
}
