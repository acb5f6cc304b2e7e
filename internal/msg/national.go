package msg

import (
	"fmt"
	"time"
)

// NationalAge tells when the national total was counted, at is in the
// reader's time zone; lag is how long it may be served (zero: the total
// is always exact, and nothing is said).
func NationalAge(at time.Time, age, lag time.Duration) string {
	if lag <= 0 || at.IsZero() {
		return ""
	}
	return fmt.Sprintf("Total national calculé à %s, il y a %d s : il est recompté au plus toutes les %d secondes "+
		"et peut ne pas compter encore les toutes dernières saisies. Les lignes des Caf sont à jour.",
		at.Format("15:04:05"), int(age.Seconds()), int(lag.Seconds()))
}
