package web

import (
	"copilote/internal/apperr"
	"copilote/internal/msg"
	"fmt"
	"strconv"
	"strings"
	"time"

	"copilote/internal/journal"
	"copilote/internal/nomenclature"
)

// formLike is what the field partials read.
type formLike interface {
	Value(string) string
	Err(string) string
}

type fieldArgs struct {
	Form     formLike
	Name     string
	Label    string
	Type     string
	Hint     string
	Required bool
}

type choiceArgs struct {
	Form     formLike
	Name     string
	Label    string
	Required bool
	Options  []nomenclature.Value
}

type chooser interface {
	formLike
	Choices(kind string) []nomenclature.Value
}

func fieldFunc(f formLike, name, label, typ, hint string, required bool) fieldArgs {
	return fieldArgs{Form: f, Name: name, Label: label, Type: typ, Hint: hint, Required: required}
}

func choicesFunc(c chooser, name, label, kind string, required bool) choiceArgs {
	return choiceArgs{Form: c, Name: name, Label: label, Required: required, Options: c.Choices(kind)}
}

// titleLabel names the title field as each kind calls it.
func titleLabel(k journal.Kind) string {
	switch k {
	case journal.Reunion:
		return "Objet de la réunion"
	case journal.Decision:
		return "Décision"
	case journal.Alerte:
		return "Objet de l'alerte"
	case journal.Sujet:
		return "Sujet ou problématique"
	case journal.Projet:
		return "Nom du projet"
	case journal.Initiative:
		return "Initiative"
	}
	return "Intitulé"
}

func facilitatedLabel(k journal.Kind) string {
	if k == journal.Decision {
		return "Décision facilitée par le coopérateur (relais et conseil auprès des élus)"
	}
	return "Projet facilité par le coopérateur (relais et appui auprès des partenaires)"
}

// slots pads typed values to n inputs, plus one empty when all are used.
func slots(vals []string, n int) []string {
	out := append([]string{}, vals...)
	for len(out) < n {
		out = append(out, "")
	}
	if len(vals) >= n {
		out = append(out, "")
	}
	return out
}

func kb(n int64) string {
	if n < 1<<20 {
		return fmt.Sprintf("%d Ko", (n+1023)/1024)
	}
	return fmt.Sprintf("%.1f Mo", float64(n)/(1<<20))
}

// auditActions names in French every action the audit records (store.Act…):
// a record imported or loaded in bulk showed "import" or "bulk_load".
var auditActions = map[string]string{"create": "création", "update": "modification", "delete": "suppression",
	"restore": "restauration", "merge": "fusion", "login": "connexion", "login_failed": "échec de connexion",
	"recount": "recomptage des indicateurs", "import": "importation", "bulk_load": "chargement en masse",
	"submit": "soumission", "return": "renvoi", "validate": "validation", "reopen": "réouverture",
	"purge": "effacement des commentaires échus", "close_year": "année close", "reopen_year": "année rouverte",
	// accounts (issue 11, item 6)
	"invite": "invitation (lien créé)", "reset_link": "lien de nouveau mot de passe créé",
	"reset_request": "nouveau mot de passe demandé", "password_set": "mot de passe choisi par lien",
	"password_change": "mot de passe changé", "deactivate": "désactivation", "reactivate": "réactivation", "role": "changement de rôle",
	"erase": "effacement des données personnelles", "undo_import": "annulation d'un import",
	// the API's personal access tokens (issue 13, item 1)
	"token_create": "jeton d'accès créé", "token_revoke": "jeton d'accès révoqué"}

func auditAction(a string) string {
	if s, ok := auditActions[a]; ok {
		return s
	}
	return a
}

func datetime(t time.Time) string {
	return t.In(paris).Format("02/01/2006 à 15:04")
}

var paris = func() *time.Location {
	if l, err := time.LoadLocation("Europe/Paris"); err == nil {
		return l
	}
	return time.UTC
}()

func toID(s string) int64 {
	n, _ := strconv.ParseInt(s, 10, 64)
	return n
}

func notFoundPost() error { return apperr.NotFoundf(msg.NotFoundPost) }

func notFoundPage() error { return apperr.NotFoundf(msg.ErrNotFound) }

// score shows a survey mean, or a dash when the wave has no answer.
func score(v *float64) string {
	if v == nil {
		return "—"
	}
	return strings.Replace(strconv.FormatFloat(*v, 'f', 2, 64), ".", ",", 1)
}
