package web

import (
	"context"
	"net/http"
	"net/url"
	"strconv"
	"time"

	"copilote/internal/account"
	"copilote/internal/apperr"
	"copilote/internal/ctg"
	"copilote/internal/export"
	"copilote/internal/mail"
	"copilote/internal/msg"
	"copilote/internal/store"
)

// Accounts of a Caf, administered in the browser by its administrators
// (issue 11, item 6). An administrator creates accounts of their own Caf
// with any role but national, invites them through a one-time link,
// deactivates and reactivates them, changes their role and grants CTGs to
// advisors and Copil members. An account of another Caf, or a national
// one, answers 404 as if it did not exist; national accounts, and the
// first administrator of a Caf, are created by an operator with
// `copilote user add`.

type accountsView struct {
	*form
	Caf      ctg.Caf
	Rows     []store.AccountRow
	Roles    []account.Role
	Statuses []account.Status
	CSVURL   string
}

func (s *Server) accountsList(w http.ResponseWriter, r *http.Request) error {
	caf, err := s.adminCaf(r)
	if err != nil {
		return err
	}
	v := &accountsView{form: newForm(r.URL.Query()), Caf: caf, Roles: account.CafRoles, Statuses: account.Statuses}
	f := store.AccountFilter{CafID: caf.ID, Role: account.Role(v.str("role")), Status: account.Status(v.str("status"))}
	if f.Role != "" && !f.Role.CafRole() {
		v.Errors.Add("role", msg.InvalidChoice)
		f.Role = ""
	}
	if f.Status != "" && !f.Status.Valid() {
		v.Errors.Add("status", msg.InvalidChoice)
		f.Status = ""
	}
	if v.Rows, err = s.db.Accounts(r.Context(), f); err != nil {
		return err
	}
	q := url.Values{"format": {"csv"}}
	if f.Role != "" {
		q.Set("role", string(f.Role))
	}
	if f.Status != "" {
		q.Set("status", string(f.Status))
	}
	if r.URL.Query().Get("format") == "csv" {
		return s.accountsCSV(w, v.Rows)
	}
	v.CSVURL = "/caf/accounts?" + q.Encode()
	s.render(w, r, http.StatusOK, "accounts", "Comptes – "+caf.Name, v, crumb{"Accueil", "/"}, crumb{"Comptes", ""})
	return nil
}

func (s *Server) accountsCSV(w http.ResponseWriter, rows []store.AccountRow) error {
	t := export.Table{Title: "Comptes", Columns: []string{"Nom", "Adresse électronique", "Rôle", "Statut",
		"Dernière connexion", "CTG attribuées", "Postes", "Créé le"}}
	for _, a := range rows {
		last := ""
		if !a.LastLogin.IsZero() {
			last = datetime(a.LastLogin)
		}
		t.Rows = append(t.Rows, []any{a.Name, a.Email, a.Role.Label(), a.Status().Label(), last, a.Grants, a.Posts, datetime(a.CreatedAt)})
	}
	exportHeaders(w.Header(), "csv", "comptes")
	return export.WriteCSV(w, t)
}

// accountFormView is the form of a new account.
type accountFormView struct {
	*form
	Roles []account.Role
	CTGs  []store.CTGSummary
}

func (s *Server) accountNew(w http.ResponseWriter, r *http.Request) error {
	return s.renderAccountForm(w, r, http.StatusOK, newForm(url.Values{}))
}

func (s *Server) renderAccountForm(w http.ResponseWriter, r *http.Request, status int, f *form) error {
	caf, err := s.adminCaf(r)
	if err != nil {
		return err
	}
	ctgs, err := s.db.CTGs(r.Context(), store.Scope{CafID: caf.ID})
	if err != nil {
		return err
	}
	s.render(w, r, status, "account_form", "Nouveau compte", &accountFormView{form: f, Roles: account.CafRoles, CTGs: ctgs},
		crumb{"Accueil", "/"}, crumb{"Comptes", "/caf/accounts"}, crumb{"Nouveau compte", ""})
	return nil
}

// accountCreate stores the account with its grants and its invitation in
// one transaction, then shows the link (and mails it when mail is on):
// the page is the only place the link is ever shown.
func (s *Server) accountCreate(w http.ResponseWriter, r *http.Request) error {
	caf, err := s.adminCaf(r)
	if err != nil {
		return err
	}
	f := newForm(r.PostForm)
	u := account.User{Name: f.str("name"), Email: f.str("email"), Role: account.Role(f.str("role")), CafID: caf.ID}
	ctgs := f.ids("ctg")
	if len(ctgs) > 0 && u.Role.Valid() && !u.Role.UsesGrants() {
		f.Errors.Add("ctg", msg.AccountNoGrants)
	}
	var l store.Link
	if !f.Invalid() {
		err = f.merge(s.db.Write(r.Context(), principalOf(r).User.ID, func(tx *store.Tx) error {
			if err := tx.CreateAccount(&u, caf.ID); err != nil {
				return err
			}
			for _, id := range ctgs {
				if err := tx.AssignCTG(caf.ID, u.ID, id); err != nil {
					return err
				}
			}
			l, err = tx.IssueLink(caf.ID, u.ID)
			return err
		}))
		if err != nil {
			return err
		}
	} else if err := u.Validate(""); err != nil {
		f.merge(err) // every problem at once
	}
	if f.Invalid() {
		return s.renderAccountForm(w, r, http.StatusUnprocessableEntity, f)
	}
	return s.renderAccount(w, r, http.StatusOK, u.ID, newForm(nil), s.handOver(r, l))
}

// accountView is an account's page for its Caf's administrators.
type accountView struct {
	*form
	Account   store.AccountRow
	Self      bool
	Roles     []account.Role
	Link      *shownLink
	Pending   []store.PendingLink
	Granted   []store.CTGSummary
	Grantable []store.CTGSummary
	Posts     []accountPost
	History   []store.AuditEntry
	CTGNames  map[int64]string
}

type accountPost struct {
	ctg.Post
	CTGName string
}

// shownLink is a link just made, shown once to the administrator.
type shownLink struct {
	URL       string
	Purpose   store.Purpose
	ExpiresAt time.Time
	Mail      string // what became of the message
}

// historyLines is how much of an account's history its page shows.
const historyLines = 30

func (s *Server) accountShow(w http.ResponseWriter, r *http.Request) error {
	return s.renderAccount(w, r, http.StatusOK, toID(r.PathValue("id")), newForm(nil), nil)
}

func (s *Server) renderAccount(w http.ResponseWriter, r *http.Request, status int, id int64, f *form, link *shownLink) error {
	caf, err := s.adminCaf(r)
	if err != nil {
		return err
	}
	ctx := r.Context()
	a, err := s.db.Account(ctx, caf.ID, id)
	if err != nil {
		return err
	}
	if f.Values == nil {
		f.Values = url.Values{}
	}
	if f.Values.Get("role") == "" {
		f.Values.Set("role", string(a.Role)) // a refused grant shows the role as it is
	}
	v := &accountView{form: f, Account: a, Self: a.ID == principalOf(r).User.ID, Roles: account.CafRoles, Link: link,
		CTGNames: map[int64]string{}}
	if err := s.accountReach(ctx, caf.ID, v); err != nil {
		return err
	}
	if v.Pending, err = s.db.PendingLinks(ctx, a.ID); err != nil {
		return err
	}
	if v.History, err = s.db.AccountHistory(ctx, a.ID, historyLines); err != nil {
		return err
	}
	s.render(w, r, status, "account", a.Name, v, crumb{"Accueil", "/"}, crumb{"Comptes", "/caf/accounts"}, crumb{a.Name, ""})
	return nil
}

// accountReach fills what the account reaches: its granted CTGs and the
// Caf's others, and the posts it holds.
func (s *Server) accountReach(ctx context.Context, cafID int64, v *accountView) error {
	ctgs, err := s.db.CTGs(ctx, store.Scope{CafID: cafID})
	if err != nil {
		return err
	}
	grants, err := s.db.UserGrants(ctx, v.Account.ID)
	if err != nil {
		return err
	}
	granted := map[int64]bool{}
	for _, id := range grants {
		granted[id] = true
	}
	for _, c := range ctgs {
		v.CTGNames[c.ID] = c.Name
		if granted[c.ID] {
			v.Granted = append(v.Granted, c)
		} else {
			v.Grantable = append(v.Grantable, c)
		}
	}
	posts, err := s.db.PostsOfUser(ctx, v.Account.ID)
	if err != nil {
		return err
	}
	for _, p := range posts {
		v.Posts = append(v.Posts, accountPost{Post: p, CTGName: v.CTGNames[p.CTGID]})
	}
	return nil
}

// accountWrite runs one change to an account of the administrator's Caf
// and sends the browser back to its page; a refused field shows there.
func (s *Server) accountWrite(w http.ResponseWriter, r *http.Request, ok string, fn func(tx *store.Tx, cafID, id int64, f *form) error) error {
	caf, err := s.adminCaf(r)
	if err != nil {
		return err
	}
	id, f := toID(r.PathValue("id")), newForm(r.PostForm)
	if !f.Invalid() {
		err = f.merge(s.db.Write(r.Context(), principalOf(r).User.ID, func(tx *store.Tx) error { return fn(tx, caf.ID, id, f) }))
		if err != nil {
			return err
		}
	}
	if f.Invalid() {
		return s.renderAccount(w, r, http.StatusUnprocessableEntity, id, f, nil)
	}
	http.Redirect(w, r, withOK("/caf/accounts/"+strconv.FormatInt(id, 10), ok), http.StatusSeeOther)
	return nil
}

func (s *Server) accountRole(w http.ResponseWriter, r *http.Request) error {
	return s.accountWrite(w, r, "saved", func(tx *store.Tx, cafID, id int64, f *form) error {
		return tx.SetRole(cafID, id, account.Role(f.str("role")))
	})
}

func (s *Server) accountDeactivate(w http.ResponseWriter, r *http.Request) error {
	return s.accountWrite(w, r, "deactivated", func(tx *store.Tx, cafID, id int64, _ *form) error {
		return tx.SetActive(cafID, id, false)
	})
}

func (s *Server) accountReactivate(w http.ResponseWriter, r *http.Request) error {
	return s.accountWrite(w, r, "reactivated", func(tx *store.Tx, cafID, id int64, _ *form) error {
		return tx.SetActive(cafID, id, true)
	})
}

func (s *Server) accountGrant(w http.ResponseWriter, r *http.Request) error {
	return s.accountWrite(w, r, "saved", func(tx *store.Tx, cafID, id int64, f *form) error {
		if f.id("ctg") == 0 {
			return apperr.Fields{"ctg": msg.Text(msg.Required)}.Err()
		}
		return tx.AssignCTG(cafID, id, f.id("ctg"))
	})
}

func (s *Server) accountWithdraw(w http.ResponseWriter, r *http.Request) error {
	return s.accountWrite(w, r, "saved", func(tx *store.Tx, cafID, id int64, f *form) error {
		if f.id("ctg") == 0 {
			return apperr.Fields{"ctg": msg.Text(msg.Required)}.Err()
		}
		return tx.WithdrawCTG(cafID, id, f.id("ctg"))
	})
}

// accountLink makes a new link for the account (an invitation while it
// has no password, a reset link after) and shows it on its page.
func (s *Server) accountLink(w http.ResponseWriter, r *http.Request) error {
	caf, err := s.adminCaf(r)
	if err != nil {
		return err
	}
	id := toID(r.PathValue("id"))
	l, err := s.db.NewLink(r.Context(), principalOf(r).User.ID, caf.ID, id)
	if apperr.CodeOf(err) == apperr.Invalid {
		f := newForm(nil)
		f.Errors["link"] = apperr.As(err).Message()
		return s.renderAccount(w, r, http.StatusUnprocessableEntity, id, f, nil)
	}
	if err != nil {
		return err
	}
	return s.renderAccount(w, r, http.StatusOK, id, newForm(nil), s.handOver(r, l))
}

// handOver makes the link's address, and mails it when mail is on; the
// administrator sees the link and what became of the message.
func (s *Server) handOver(r *http.Request, l store.Link) *shownLink {
	shown := &shownLink{URL: s.linkURL(r, l.Token), Purpose: l.Purpose, ExpiresAt: l.ExpiresAt, Mail: msg.Text(msg.MailOff)}
	if s.mailer == nil {
		return shown
	}
	ctx, cancel := context.WithTimeout(r.Context(), mailWait)
	defer cancel()
	if err := s.mailer.Send(ctx, linkMessage(l, shown.URL)); err != nil {
		s.log.Error("link message not sent", "user", l.User.ID, "purpose", l.Purpose, "err", err)
		shown.Mail = msg.Text(msg.MailFailed, l.User.Email)
	} else {
		shown.Mail = msg.Text(msg.MailSent, l.User.Email)
	}
	return shown
}

// mailWait bounds how long an administrator's page waits for the relay.
const mailWait = 15 * time.Second

// linkURL is the link's address: on the configured public address when
// there is one (always, with mail), else on the address the
// administrator's browser used.
func (s *Server) linkURL(r *http.Request, token string) string {
	base := s.cfg.PublicURL
	if base == "" {
		scheme := "http"
		if r.TLS != nil || s.cfg.SecureCookies {
			scheme = "https"
		}
		base = scheme + "://" + r.Host
	}
	return base + "/password/set?" + url.Values{"token": {token}}.Encode()
}

// linkMessage is the message that carries a link to its account.
func linkMessage(l store.Link, link string) mail.Message {
	until := datetime(l.ExpiresAt)
	if l.Purpose == store.Invitation {
		return mail.Message{To: l.User.Email, Subject: msg.Text(msg.MailInviteSubject),
			Body: msg.Text(msg.MailInviteBody, l.User.Name, l.User.Role.Label(), l.User.Email, until, link, l.User.Email)}
	}
	return mail.Message{To: l.User.Email, Subject: msg.Text(msg.MailResetSubject),
		Body: msg.Text(msg.MailResetBody, l.User.Name, l.User.Email, until, link)}
}
