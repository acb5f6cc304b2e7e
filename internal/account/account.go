// Package account models the people who sign in and their roles, and hashes
// their passwords with argon2id.
package account

import (
	"crypto/rand"
	"crypto/subtle"
	"encoding/base64"
	"fmt"
	"net/mail"
	"strings"
	"time"

	"golang.org/x/crypto/argon2"

	"copilote/internal/apperr"
	"copilote/internal/msg"
)

// Role decides what a user may see and do (authz holds the table).
type Role string

const (
	Officer  Role = "cooperateur" // chargé(e) de coopération
	Advisor  Role = "conseiller"  // conseiller(ère) territorial(e) Caf
	Admin    Role = "admin_caf"   // administrateur(rice) de la Caf
	Copil    Role = "copil"       // membre du Copil, lecture seule
	National Role = "national"    // lecture seule, toutes les Caf
)

var Roles = []Role{Officer, Advisor, Admin, Copil, National}

var roleLabels = map[Role]string{
	Officer:  "Chargé(e) de coopération",
	Advisor:  "Conseiller(ère) territorial(e) Caf",
	Admin:    "Administrateur(rice) Caf",
	Copil:    "Membre du Copil (lecture seule)",
	National: "Lecture nationale",
}

func (r Role) Label() string { return roleLabels[r] }

func (r Role) Valid() bool { _, ok := roleLabels[r]; return ok }

type User struct {
	ID           int64     `json:"id"`
	Email        string    `json:"email"`
	Name         string    `json:"name"`
	Role         Role      `json:"role"`
	CafID        int64     `json:"caf_id,omitempty"`
	PasswordHash string    `json:"-"`
	Active       bool      `json:"active"`
	CreatedAt    time.Time `json:"-"`
}

// MinPassword follows the ANSSI advice for passwords that guard personal data.
const MinPassword = 12

// Validate checks the account; password is the clear text being set, or ""
// when it is not being changed.
func (u *User) Validate(password string) error {
	f := apperr.Fields{}
	u.Email = strings.ToLower(strings.TrimSpace(u.Email))
	u.Name = strings.TrimSpace(u.Name)
	if a, err := mail.ParseAddress(u.Email); err != nil || a.Address != u.Email {
		f.Add("email", msg.InvalidEmail)
	}
	f.Required("name", u.Name)
	if !u.Role.Valid() {
		f.Add("role", msg.InvalidChoice)
	}
	if u.Role != National && u.CafID == 0 {
		f.Add("caf", msg.Required)
	}
	if password != "" && !PasswordLongEnough(password) {
		f.Add("password", msg.PasswordShort, MinPassword)
	}
	return f.Err()
}

// argon2id parameters: RFC 9106's second recommended option (64 MiB, 3
// passes), kept in the hash so they can be raised later.
const (
	argonTime    = 3
	argonMemory  = 64 * 1024
	argonThreads = 2
	argonKeyLen  = 32
)

func HashPassword(password string) (string, error) {
	salt := make([]byte, 16)
	if _, err := rand.Read(salt); err != nil {
		return "", err
	}
	key := argon2.IDKey([]byte(password), salt, argonTime, argonMemory, argonThreads, argonKeyLen)
	b64 := base64.RawStdEncoding
	return fmt.Sprintf("$argon2id$v=%d$m=%d,t=%d,p=%d$%s$%s", argon2.Version, argonMemory, argonTime,
		argonThreads, b64.EncodeToString(salt), b64.EncodeToString(key)), nil
}

// CheckPassword compares in constant time; a malformed hash never matches.
func CheckPassword(hash, password string) bool {
	var v, m, t int
	var p uint8
	parts := strings.Split(hash, "$")
	if len(parts) != 6 || parts[1] != "argon2id" {
		return false
	}
	if _, err := fmt.Sscanf(parts[2], "v=%d", &v); err != nil || v != argon2.Version {
		return false
	}
	if _, err := fmt.Sscanf(parts[3], "m=%d,t=%d,p=%d", &m, &t, &p); err != nil {
		return false
	}
	b64 := base64.RawStdEncoding
	salt, err1 := b64.DecodeString(parts[4])
	key, err2 := b64.DecodeString(parts[5])
	if err1 != nil || err2 != nil {
		return false
	}
	got := argon2.IDKey([]byte(password), salt, uint32(t), uint32(m), p, uint32(len(key)))
	return subtle.ConstantTimeCompare(got, key) == 1
}
