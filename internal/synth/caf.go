package synth

import (
	"math/rand/v2"
	"slices"
	"strconv"
	"time"

	"copilote/internal/territory"
)

// partnerTypes and their shares: communes and associations make most of a
// Caf's partners; the State, the Éducation nationale, the Département and
// the MSA are few and work with every CTG of the Caf.
var partnerTypes = newTable(
	[]string{"commune", "association", "gestionnaire", "epci", "etat", "education_nationale", "departement_pmi",
		"caf_msa", "operateur_prive", "collectif_habitants", "autre"},
	[]float64{0.26, 0.25, 0.12, 0.04, 0.04, 0.04, 0.04, 0.02, 0.08, 0.08, 0.03})

var sharedTypes = map[string]bool{"etat": true, "education_nationale": true, "departement_pmi": true, "caf_msa": true}

// cafPartners are a Caf's partner ids: those of one CTG's territory, and
// the departmental ones every CTG works with.
type cafPartners struct {
	byCTG  [][]int64
	shared []int64
}

func (g *generator) caf(c *cafPlan) error {
	r := newRand(g.opt.Seed, streamCaf+uint64(c.idx))
	if err := g.b.Add("caf", c.id, c.dept, cafName(c), c.dept); err != nil {
		return err
	}
	g.stats.Cafs++
	ps, err := g.partners(r, c)
	if err != nil {
		return err
	}
	for i, t := range c.ctgs {
		pool := append(slices.Clone(ps.byCTG[i]), ps.shared...)
		if err := g.site(c, t, pool); err != nil {
			return err
		}
	}
	return nil
}

// cafName is named after the Caf's most populated commune, the real data
// holding no département names.
func cafName(c *cafPlan) string {
	best := territory.Commune{}
	for _, e := range c.epcis {
		for _, m := range e.Communes {
			if m.Department == c.dept && m.Population > best.Population {
				best = m
			}
		}
	}
	return "Caf " + c.dept + " – " + best.Name
}

// partners writes the Caf's partners. Each belongs to one CTG's territory
// (communes are those of the CTG), except the departmental institutions.
func (g *generator) partners(r *rand.Rand, c *cafPlan) (cafPartners, error) {
	ps := cafPartners{byCTG: make([][]int64, len(c.ctgs))}
	nextCommune := make([]int, len(c.ctgs))
	names := map[string]int{}
	for i := range c.partners {
		home := i % len(c.ctgs)
		t := c.ctgs[home]
		typ := partnerTypes.draw(r)
		name := ""
		switch typ {
		case "commune":
			if nextCommune[home] < len(t.communes) {
				name = "Commune de " + t.communes[nextCommune[home]].Name
				nextCommune[home]++
			} else {
				typ = "association"
			}
		case "epci":
			name = t.epci.Name
		}
		if name == "" {
			name = partnerName(r, typ, c, t)
		}
		if names[name]++; names[name] > 1 {
			name += " (" + strconv.Itoa(names[name]) + ")"
		}
		g.ids.partner++
		siret := ""
		if typ != "collectif_habitants" && chance(r, 0.4) {
			siret = randomSIRET(r)
		}
		created := time.Date(2021, time.September, 1, 9, 0, 0, 0, time.UTC).Add(time.Duration(r.IntN(400*24)) * time.Hour)
		if err := g.b.Add("partner", g.ids.partner, c.id, name, typ, siret, created); err != nil {
			return ps, err
		}
		g.stats.Partners++
		if sharedTypes[typ] {
			ps.shared = append(ps.shared, g.ids.partner)
		} else {
			ps.byCTG[home] = append(ps.byCTG[home], g.ids.partner)
		}
	}
	return ps, nil
}

func partnerName(r *rand.Rand, typ string, c *cafPlan, t *ctgPlan) string {
	town := pick(r, t.communes).Name
	switch typ {
	case "etat":
		return pick(r, []string{"Préfecture", "DDETS", "Sous-préfecture", "SDJES"}) + " " + c.dept
	case "education_nationale":
		return pick(r, []string{"DSDEN ", "Circonscription de ", "Collège de ", "École de "}) + town
	case "departement_pmi":
		return pick(r, []string{"Centre médico-social de ", "PMI de ", "Maison départementale des solidarités de "}) + town
	case "caf_msa":
		return pick(r, []string{"MSA – agence de ", "Caf – accueil de "}) + town
	case "gestionnaire":
		return pick(r, []string{"Multi-accueil de ", "Accueil de loisirs de ", "Crèche familiale de ", "Centre social de "}) + town
	case "operateur_prive":
		return pick(r, operatorWords) + " " + town
	case "collectif_habitants":
		return pick(r, []string{"Collectif des parents de ", "Conseil citoyen de ", "Comité de quartier de "}) + town
	case "autre":
		return pick(r, []string{"Mission locale de ", "Bailleur social de ", "Médiathèque de "}) + town
	}
	return pick(r, associationWords) + " de " + town
}

// randomSIRET draws 13 digits and adds the Luhn key, so that the number
// passes the partner form's check.
func randomSIRET(r *rand.Rand) string {
	d := make([]byte, 14)
	for i := range 13 {
		d[i] = byte(r.IntN(10))
	}
	sum := 0
	for i := range 13 {
		v := int(d[i])
		if i%2 == 0 { // from the right, the key is position 0: these are doubled
			v *= 2
			if v > 9 {
				v -= 9
			}
		}
		sum += v
	}
	d[13] = byte((10 - sum%10) % 10)
	for i := range d {
		d[i] += '0'
	}
	return string(d)
}
