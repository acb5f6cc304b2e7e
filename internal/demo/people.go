package demo

import (
	"strings"
	"unicode"

	"golang.org/x/text/runes"
	"golang.org/x/text/transform"
	"golang.org/x/text/unicode/norm"

	"copilote/internal/account"
	"copilote/internal/ctg"
	"copilote/internal/store"
)

const emailDomain = "demo.copilote.fr"

// person is a demo account that holds no post.
type person struct {
	first, last string
	role        account.Role
	note        string
}

var (
	admin    = person{"Catherine", "Brunel", account.Admin, "administratrice de la Caf"}
	advisor  = person{"Julien", "Marcellin", account.Advisor, "conseiller territorial Caf, les trois CTG"}
	copilMbr = person{"Bernard", "Arnoux", account.Copil, "membre du Copil, CTG du Diois"}
	national = person{"Claire", "Dumontel", account.National, "lecture nationale, toutes les Caf"}
)

// people creates the accounts and the posts, in the order the logins are
// shown: administrator, advisor, officers, Copil member, national reader.
func (l *loader) people(tx *store.Tx) error {
	if _, err := l.account(tx, admin, l.caf.ID); err != nil {
		return err
	}
	adv, err := l.account(tx, advisor, l.caf.ID)
	if err != nil {
		return err
	}
	for _, s := range l.sites {
		if err := tx.GrantCTG(adv.ID, s.ctg.ID); err != nil {
			return err
		}
		if err := l.posts(tx, s); err != nil {
			return err
		}
	}
	cm, err := l.account(tx, copilMbr, l.caf.ID)
	if err != nil {
		return err
	}
	if err := tx.GrantCTG(cm.ID, l.sites[diois].ctg.ID); err != nil {
		return err
	}
	_, err = l.account(tx, national, 0)
	return err
}

func (l *loader) account(tx *store.Tx, p person, cafID int64) (account.User, error) {
	u := account.User{Email: email(p.first, p.last), Name: p.first + " " + p.last, Role: p.role, CafID: cafID}
	if err := tx.CreateUser(&u, Password); err != nil {
		return u, err
	}
	l.logins = append(l.logins, Login{Email: u.Email, Name: u.Name, Role: u.Role.Label(), Note: p.note})
	return u, nil
}

// posts creates each officer's account, then the post it holds.
func (l *loader) posts(tx *store.Tx, s *site) error {
	for _, pp := range s.prof.posts {
		u, err := l.account(tx, person{pp.first, pp.last, account.Officer, postNote(pp, s)}, l.caf.ID)
		if err != nil {
			return err
		}
		p := ctg.Post{CTGID: s.ctg.ID, UserID: u.ID, Person: u.Name, Employer: pp.employer, ETP: pp.etp,
			Start: s.ctg.Start, End: s.ctg.End, ChefDeProjet: pp.chef, Functions: pp.functions,
			Axes: pp.axes, CafCofunding: pp.cofunding}
		if p.Axes == nil {
			p.Axes = s.ctg.Axes
		}
		if err := tx.SavePost(&p, l.n); err != nil {
			return err
		}
		s.officers = append(s.officers, &officer{post: p})
	}
	return nil
}

// postNote reads like "cheffe de projet, CTG du Diois".
func postNote(pp postProfile, s *site) string {
	where := ", " + strings.TrimSuffix(s.prof.name, " 2023-2026")
	if pp.chef {
		return gendered(pp.she, "cheffe de projet", "chef de projet") + where
	}
	return gendered(pp.she, "chargée de coopération", "chargé de coopération") + " (" + pp.etp.String() + " ETP)" + where
}

func gendered(she bool, f, m string) string {
	if she {
		return f
	}
	return m
}

// email folds accents: "Élodie Charvet" → elodie.charvet@demo.copilote.fr.
func email(first, last string) string {
	t := transform.Chain(norm.NFD, runes.Remove(runes.In(unicode.Mn)), norm.NFC)
	s, _, _ := transform.String(t, strings.ToLower(first+"."+last))
	return strings.NewReplacer(" ", "-", "'", "").Replace(s) + "@" + emailDomain
}
