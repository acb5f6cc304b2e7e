package web

import (
	"encoding/json"
	"net/http"
	"strconv"
	"time"

	"copilote/internal/apperr"
	"copilote/internal/civil"
	"copilote/internal/msg"
	"copilote/internal/store"
)

// Personal data (RGPD, issue 12): every signed-in user sees what Copilote
// holds on them and downloads it (right of access and portability); a
// Caf administrator sees the same for an account of the Caf and, once the
// person has left and the account is deactivated, erases it (right to
// erasure, store.ErasePerson).

type personalView struct {
	*form
	Data     store.PersonalData
	Self     bool
	History  []store.AuditEntry
	JSONURL  string
	CanErase bool
	// Refusal says why an erasure was refused when the page offers no
	// form to correct (the account was reactivated meanwhile, or is one's
	// own): the page's message, not a field's.
	Refusal string
}

// personalHistory bounds the account's history shown and exported: the
// audit page of the Caf holds the rest.
const personalHistory = 500

func (s *Server) personalOfSelf(w http.ResponseWriter, r *http.Request) error {
	return s.renderPersonal(w, r, http.StatusOK, 0, principalOf(r).User.ID, newForm(nil))
}

func (s *Server) personalOfAccount(w http.ResponseWriter, r *http.Request) error {
	caf, err := s.adminCaf(r)
	if err != nil {
		return err
	}
	return s.renderPersonal(w, r, http.StatusOK, caf.ID, toID(r.PathValue("id")), newForm(nil))
}

// renderPersonal shows, or with ?format=json sends, what Copilote holds on
// account userID of Caf cafID (0: the signed-in user's own).
func (s *Server) renderPersonal(w http.ResponseWriter, r *http.Request, status int, cafID, userID int64, f *form) error {
	ctx := r.Context()
	d, err := s.db.PersonalData(ctx, cafID, userID)
	if err != nil {
		return err
	}
	history, err := s.db.AccountHistory(ctx, userID, personalHistory)
	if err != nil {
		return err
	}
	if r.URL.Query().Get("format") == "json" {
		return personalJSON(w, d, history)
	}
	v := &personalView{form: f, Data: d, Self: cafID == 0, History: history,
		CanErase: cafID != 0 && !d.Account.Active && !d.Account.Erased() && userID != principalOf(r).User.ID}
	if m := f.Err("confirm"); m != "" && !v.CanErase {
		v.Refusal = m
		delete(f.Errors, "confirm")
	}
	base := "/account/donnees"
	crumbs := []crumb{{"Accueil", "/"}, {"Mon compte", "/account"}, {"Mes données personnelles", ""}}
	title := "Mes données personnelles"
	if !v.Self {
		base = "/caf/accounts/" + strconv.FormatInt(userID, 10) + "/donnees"
		title = "Données personnelles – " + d.Account.Name
		crumbs = []crumb{{"Accueil", "/"}, {"Comptes", "/caf/accounts"}, {d.Account.Name, "/caf/accounts/" + strconv.FormatInt(userID, 10)},
			{"Données personnelles", ""}}
	}
	v.JSONURL = base + "?format=json"
	s.render(w, r, status, "personal", title, v, crumbs...)
	return nil
}

// personalJSON is the download of one's data: French keys, for the person
// who reads it, and no password hash.
func personalJSON(w http.ResponseWriter, d store.PersonalData, history []store.AuditEntry) error {
	type post struct {
		CTG          string   `json:"ctg"`
		Titulaire    string   `json:"titulaire"`
		Employeur    string   `json:"employeur"`
		ETP          float64  `json:"etp"`
		Debut        string   `json:"debut"`
		Fin          string   `json:"fin,omitempty"`
		ChefDeProjet bool     `json:"chef_de_projet"`
		Fonctions    []string `json:"fonctions_deleguees"`
	}
	type line struct {
		Le        time.Time       `json:"le"`
		Operation string          `json:"operation"`
		Par       string          `json:"par,omitempty"`
		Detail    json.RawMessage `json:"detail,omitempty"`
	}
	out := struct {
		Extrait      time.Time `json:"extrait_le"`
		Nom          string    `json:"nom"`
		Adresse      string    `json:"adresse_electronique"`
		Role         string    `json:"role"`
		Statut       string    `json:"statut"`
		CreeLe       time.Time `json:"cree_le"`
		Derniere     time.Time `json:"derniere_connexion,omitzero"`
		CTG          []string  `json:"ctg_attribuees"`
		Postes       []post    `json:"postes"`
		Sessions     int       `json:"sessions_ouvertes"`
		Crees        int       `json:"enregistrements_crees"`
		Modifies     int       `json:"enregistrements_modifies_en_dernier"`
		DesPostes    int       `json:"enregistrements_de_ses_postes"`
		Evaluations  int       `json:"evaluations_de_ses_postes"`
		Actes        int       `json:"operations_journalisees"`
		Historique   []line    `json:"historique_du_compte"`
		Conservation string    `json:"conservation"`
	}{Extrait: time.Now().UTC(), Nom: d.Account.Name, Adresse: d.Account.Email, Role: d.Account.Role.Label(),
		Statut: d.Account.Status().Label(), CreeLe: d.Account.CreatedAt, Derniere: d.Account.LastLogin,
		CTG: append([]string{}, d.CTGs...), Sessions: d.Sessions, Crees: d.RecordsWritten, Modifies: d.RecordsEdited, DesPostes: d.RecordsOfPosts,
		Evaluations: d.Evaluations, Actes: d.AuditBy, Conservation: personalRetention}
	for _, p := range d.Posts {
		q := post{CTG: d.PostCTGs[p.CTGID], Titulaire: p.Person, Employeur: p.Employer, ETP: float64(p.ETP) / 100,
			Debut: p.Start.String(), ChefDeProjet: p.ChefDeProjet, Fonctions: p.Functions}
		if !p.End.IsZero() {
			q.Fin = p.End.String()
		}
		out.Postes = append(out.Postes, q)
	}
	for _, e := range history {
		l := line{Le: e.At, Operation: auditAction(e.Action), Par: e.UserName}
		if json.Valid([]byte(e.Detail)) {
			l.Detail = json.RawMessage(e.Detail)
		}
		out.Historique = append(out.Historique, l)
	}
	h := w.Header()
	h.Set("Cache-Control", "no-store")
	h.Set("Content-Type", "application/json; charset=utf-8")
	h.Set("Content-Disposition", `attachment; filename="donnees-personnelles-`+civil.Today().String()+`.json"`)
	enc := json.NewEncoder(w)
	enc.SetIndent("", "  ")
	return enc.Encode(out)
}

// personalRetention says how long what is kept is kept, in the download
// as on the page.
const personalRetention = "Le compte et ses postes sont conservés tant que la personne exerce ; après son départ, l'administrateur de la Caf efface ses données personnelles. Les enregistrements saisis restent ceux de la CTG. Le journal d'audit, chaîné pour prouver qu'il n'a pas été modifié, garde la trace des opérations."

// accountErase erases the personal data of a departed person, confirmed
// by a checkbox: it cannot be undone.
func (s *Server) accountErase(w http.ResponseWriter, r *http.Request) error {
	if r.PostFormValue("confirm") != "oui" {
		caf, err := s.adminCaf(r)
		if err != nil {
			return err
		}
		f := newForm(nil)
		f.Errors["confirm"] = msg.Text(msg.EraseConfirm)
		return s.renderPersonal(w, r, http.StatusUnprocessableEntity, caf.ID, toID(r.PathValue("id")), f)
	}
	caf, err := s.adminCaf(r)
	if err != nil {
		return err
	}
	id := toID(r.PathValue("id"))
	err = s.db.Write(r.Context(), principalOf(r).User.ID, func(tx *store.Tx) error { return tx.ErasePerson(caf.ID, id) })
	if c := apperr.CodeOf(err); c == apperr.Conflict || c == apperr.Forbidden {
		f := newForm(nil)
		f.Errors["confirm"] = apperr.As(err).Message()
		return s.renderPersonal(w, r, http.StatusUnprocessableEntity, caf.ID, id, f)
	}
	if err != nil {
		return err
	}
	http.Redirect(w, r, withOK("/caf/accounts/"+strconv.FormatInt(id, 10), "erased"), http.StatusSeeOther)
	return nil
}
