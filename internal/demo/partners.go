package demo

import (
	"fmt"
	"math/rand/v2"
	"slices"

	"copilote/internal/partner"
	"copilote/internal/store"
)

// partnerSpec is one partner of the demo Caf. sites lists the CTGs (indexes
// of profiles) it works with, none meaning all three.
type partnerSpec struct {
	name, typ string
	siret     bool
	sites     []int
	core      bool // involved from the signature: signatories, big institutions
	late      bool // appears only in 2025-2026 (the near-duplicates, newcomers)
}

const (
	diois = iota
	royans
	montelimar
)

var partnerSpecs = []partnerSpec{
	// departmental partners, shared by the three CTGs
	{name: "Département de la Drôme – PMI et solidarités", typ: "departement_pmi", core: true},
	{name: "MSA Ardèche Drôme Loire", typ: "caf_msa", core: true},
	{name: "Services départementaux de l'Éducation nationale de la Drôme", typ: "education_nationale"},
	{name: "Service départemental à la jeunesse, à l'engagement et aux sports", typ: "etat"},
	{name: "DDETS de la Drôme", typ: "etat"},
	{name: "UDAF de la Drôme", typ: "association", siret: true},
	{name: "Fédération drômoise des centres sociaux", typ: "association", siret: true},
	{name: "France Travail – agences drômoises", typ: "etat"},
	{name: "CPAM de la Drôme", typ: "autre"},
	{name: "Pôle ressources handicap de la Drôme", typ: "association", siret: true},
	// Diois
	{name: "Commune de Die", typ: "commune", sites: []int{diois}, core: true},
	{name: "Commune de Châtillon-en-Diois", typ: "commune", sites: []int{diois}},
	{name: "Commune de Luc-en-Diois", typ: "commune", sites: []int{diois}},
	{name: "Commune de La Motte-Chalancon", typ: "commune", sites: []int{diois}},
	{name: "Commune de Lus-la-Croix-Haute", typ: "commune", sites: []int{diois}},
	{name: "CC du Diois – service enfance-jeunesse", typ: "epci", sites: []int{diois}, core: true},
	{name: "Circonscription de Die (Éducation nationale)", typ: "education_nationale", sites: []int{diois}},
	{name: "Centre social Le Lien", typ: "association", siret: true, sites: []int{diois}},
	{name: "CENTRE SOCIAL LE LIEN", typ: "association", sites: []int{diois}, late: true},
	{name: "Crèche associative Les Marmottes", typ: "gestionnaire", siret: true, sites: []int{diois}},
	{name: "Micro-crèche Pomme de Pin", typ: "operateur_prive", siret: true, sites: []int{diois}},
	{name: "Familles rurales de Luc-en-Diois", typ: "association", siret: true, sites: []int{diois}},
	{name: "Association Familles Rurales Luc en Diois", typ: "association", sites: []int{diois}, late: true},
	{name: "France services de Die", typ: "etat", sites: []int{diois}},
	{name: "Collectif des parents du Haut-Diois", typ: "collectif_habitants", sites: []int{diois}},
	{name: "Espace de vie sociale La Grange", typ: "association", siret: true, sites: []int{diois}},
	{name: "Mobil'Diois, transport solidaire", typ: "association", siret: true, sites: []int{diois}},
	{name: "Ludothèque itinérante Le Dé à Coudre", typ: "association", siret: true, sites: []int{diois}},
	{name: "Collectif du jardin partagé de Romeyer", typ: "collectif_habitants", sites: []int{diois}},
	// Royans-Vercors
	{name: "Commune de Saint-Jean-en-Royans", typ: "commune", sites: []int{royans}, core: true},
	{name: "Commune de La Chapelle-en-Vercors", typ: "commune", sites: []int{royans}},
	{name: "Commune de Saint-Laurent-en-Royans", typ: "commune", sites: []int{royans}},
	{name: "Commune de Vassieux-en-Vercors", typ: "commune", sites: []int{royans}},
	{name: "CC du Royans-Vercors – pôle services à la population", typ: "epci", sites: []int{royans}, core: true},
	{name: "Circonscription du Royans-Vercors (Éducation nationale)", typ: "education_nationale", sites: []int{royans}},
	{name: "Centre social intercommunal du Royans", typ: "association", siret: true, sites: []int{royans}},
	{name: "Multi-accueil Les Galopins", typ: "gestionnaire", siret: true, sites: []int{royans}},
	{name: "Crèche Les P'tits Montagnards", typ: "gestionnaire", siret: true, sites: []int{royans}},
	{name: "Accueil de loisirs Les Tétras", typ: "gestionnaire", siret: true, sites: []int{royans}},
	{name: "Association des saisonniers du Vercors", typ: "association", siret: true, sites: []int{royans}},
	{name: "Collectif d'habitants de Saint-Martin-en-Vercors", typ: "collectif_habitants", sites: []int{royans}},
	{name: "Vercors Loisirs Aventure SAS", typ: "operateur_prive", siret: true, sites: []int{royans}},
	{name: "Habitat Royans-Vercors, bailleur social", typ: "autre", siret: true, sites: []int{royans}},
	// Montélimar
	{name: "Commune de Montélimar", typ: "commune", sites: []int{montelimar}, core: true},
	{name: "Commune de Châteauneuf-du-Rhône", typ: "commune", sites: []int{montelimar}},
	{name: "Commune de Sauzet", typ: "commune", sites: []int{montelimar}},
	{name: "Commune de Cléon-d'Andran", typ: "commune", sites: []int{montelimar}},
	{name: "Commune de Montboucher-sur-Jabron", typ: "commune", sites: []int{montelimar}},
	{name: "Montélimar Agglomération – direction de la cohésion sociale", typ: "epci", sites: []int{montelimar}, core: true},
	{name: "CCAS de Montélimar", typ: "commune", sites: []int{montelimar}},
	{name: "Circonscription de Montélimar 1 (Éducation nationale)", typ: "education_nationale", sites: []int{montelimar}},
	{name: "Circonscription de Montélimar 2 (Éducation nationale)", typ: "education_nationale", sites: []int{montelimar}},
	{name: "Centre social Les Alizés", typ: "association", siret: true, sites: []int{montelimar}},
	{name: "Centre social Le Fil d'Ariane", typ: "association", siret: true, sites: []int{montelimar}},
	{name: "Crèche Les Petits Pas", typ: "gestionnaire", siret: true, sites: []int{montelimar}},
	{name: "Micro-crèche Les Lucioles", typ: "operateur_prive", siret: true, sites: []int{montelimar}},
	{name: "Parenthèse 26, médiation familiale", typ: "association", siret: true, sites: []int{montelimar}},
	{name: "Conseil citoyen de Montélimar", typ: "collectif_habitants", sites: []int{montelimar}},
	{name: "Collectif des habitants du quartier Ouest", typ: "collectif_habitants", sites: []int{montelimar}},
	{name: "Numérique pour tous en Valdaine", typ: "association", siret: true, sites: []int{montelimar, royans}},
	{name: "Maison des adolescents – antenne de Montélimar", typ: "association", siret: true, sites: []int{montelimar}},
}

// makeSIRET draws 13 digits and sets the last one so that the Luhn sum is a
// multiple of 10, as partner.ValidSIRET expects.
func makeSIRET(r *rand.Rand) string {
	d := make([]int, 14)
	d[0] = 3 + r.IntN(6) // 3xx…8xx: never La Poste's 356000000
	for i := 1; i < 13; i++ {
		d[i] = r.IntN(10)
	}
	d[9], d[10], d[11] = 0, 0, 1+r.IntN(3) // the establishment number (NIC) looks like 00xxk
	sum := 0
	for i := range 13 {
		v := d[12-i]
		if i%2 == 0 { // positions 1, 3… from the right once the key is appended
			v *= 2
			if v > 9 {
				v -= 9
			}
		}
		sum += v
	}
	d[13] = (10 - sum%10) % 10
	s := ""
	for _, v := range d {
		s += fmt.Sprint(v)
	}
	return s
}

// savePartners creates the register and returns, per CTG, its partners in
// the order of partnerSpecs.
func (l *loader) savePartners(tx *store.Tx) error {
	r := l.rng(1)
	for _, sp := range partnerSpecs {
		p := partner.Partner{CafID: l.caf.ID, Name: sp.name, Type: sp.typ}
		if sp.siret {
			p.SIRET = makeSIRET(r)
		}
		if err := tx.SavePartner(&p, l.n); err != nil {
			return err
		}
		for i, s := range l.sites {
			if len(sp.sites) == 0 || slices.Contains(sp.sites, i) {
				s.pool.add(p, sp)
			}
		}
	}
	return nil
}
