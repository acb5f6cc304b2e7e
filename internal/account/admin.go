package account

import (
	"strconv"
	"strings"
	"time"
)

// Status is where an account stands, read from its active flag and
// whether it has a password yet.
type Status string

const (
	StatusActive   Status = "actif"     // signs in
	StatusPending  Status = "invite"    // created in the browser, no password chosen yet
	StatusInactive Status = "desactive" // refused at sign-in, sessions ended
)

var Statuses = []Status{StatusActive, StatusPending, StatusInactive}

var statusLabels = map[Status]string{
	StatusActive:   "Actif",
	StatusPending:  "Invitation en attente",
	StatusInactive: "Désactivé",
}

func (s Status) Label() string { return statusLabels[s] }

func (s Status) Valid() bool { _, ok := statusLabels[s]; return ok }

// Status of the account.
func (u User) Status() Status {
	switch {
	case !u.Active:
		return StatusInactive
	case u.PasswordHash == "":
		return StatusPending
	}
	return StatusActive
}

// UsesGrants tells whether the role reaches CTGs through explicit grants
// (store.GrantCTG): advisors and Copil members. An officer reaches the CTGs
// of their posts, an administrator their whole Caf, a national reader all.
func (r Role) UsesGrants() bool { return r == Advisor || r == Copil }

// CafRoles are the roles a Caf administrator gives in the browser, to
// accounts of their own Caf. A national account is created only by an
// operator, with `copilote user add`: it reads every Caf, so no Caf may
// make one.
var CafRoles = []Role{Officer, Advisor, Copil, Admin}

// CafRole tells whether a Caf administrator may give role r.
func (r Role) CafRole() bool { return r.Valid() && r != National }

// How long a one-time link stays valid. An invitation and a link an
// administrator hands over may wait a few days for their reader; a link
// sent on request to the account's own address is used at once or asked
// again.
const (
	InvitationLifetime  = 7 * 24 * time.Hour
	HandedResetLifetime = 3 * 24 * time.Hour
	MailedResetLifetime = time.Hour
)

// PasswordLongEnough is the one length rule of every password set.
func PasswordLongEnough(password string) bool { return len([]rune(password)) >= MinPassword }

// An erased account (RGPD, store.ErasePerson) keeps its id, for the
// records and the audit that name it, under a pseudonym and an address
// no mail reaches (.invalid is reserved for that, RFC 2606).
const erasedDomain = "@copilote.invalid"

// ErasedName and ErasedEmail are the pseudonym of erased account id.
func ErasedName(id int64) string  { return "Personne effacée n° " + strconv.FormatInt(id, 10) }
func ErasedEmail(id int64) string { return "efface-" + strconv.FormatInt(id, 10) + erasedDomain }

// Erased tells whether the account's personal data were erased: it can
// no longer be reactivated.
func (u User) Erased() bool { return !u.Active && strings.HasSuffix(u.Email, erasedDomain) }
