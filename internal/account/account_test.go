package account

import (
	"strings"
	"testing"
)

func TestPasswordHashRoundTrip(t *testing.T) {
	h, err := HashPassword("correct horse battery")
	if err != nil {
		t.Fatal(err)
	}
	if !strings.HasPrefix(h, "$argon2id$v=19$m=65536,t=3,p=2$") {
		t.Errorf("unexpected hash format %q", h)
	}
	if !CheckPassword(h, "correct horse battery") {
		t.Error("right password refused")
	}
	if CheckPassword(h, "correct horse batterY") {
		t.Error("wrong password accepted")
	}
	if CheckPassword("garbage", "x") {
		t.Error("malformed hash matched")
	}
	h2, _ := HashPassword("correct horse battery")
	if h == h2 {
		t.Error("two hashes of one password are equal: salt missing")
	}
}

func TestUserValidate(t *testing.T) {
	u := User{Email: " Marie.Durand@Caf.fr ", Name: "Marie Durand", Role: Officer, CafID: 1}
	if err := u.Validate("un mot de passe long"); err != nil {
		t.Fatal(err)
	}
	if u.Email != "marie.durand@caf.fr" {
		t.Errorf("email not normalised: %q", u.Email)
	}
	bad := User{Email: "pas-une-adresse", Role: "chef"}
	err := bad.Validate("court")
	for _, want := range []string{"email: Saisissez une adresse électronique valide", "name: Ce champ est obligatoire.",
		"role: Choisissez", "password: Le mot de passe doit compter au moins 12 caractères."} {
		if err == nil || !strings.Contains(err.Error(), want) {
			t.Errorf("error %v lacks %q", err, want)
		}
	}
}
