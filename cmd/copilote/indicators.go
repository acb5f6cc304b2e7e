package main

import (
	"cmp"
	"context"
	"encoding/json"
	"errors"
	"flag"
	"fmt"
	"io"
	"maps"
	"slices"
	"strings"

	"copilote/internal/apperr"
	"copilote/internal/civil"
	"copilote/internal/export"
	"copilote/internal/framework"
	"copilote/internal/indicator"
	"copilote/internal/msg"
	"copilote/internal/nomenclature"
	"copilote/internal/store"
)

const indicatorsSynopsis = "indicators --db CHEMIN|URL (--post ID | --ctg ID | --caf CODE | --all)\n" +
	"                   [--from AAAA-MM-JJ] [--to AAAA-MM-JJ] [--format json|csv]"

// indicatorsHelp completes --help: the defaults of the period and the
// layout of each format, which scripts rely on.
const indicatorsHelp = `
Période : --from et --to sont inclus. Par défaut, du début de la plus
ancienne convention du périmètre à la fin de la plus récente (pour --post
et --ctg, toute la durée de la CTG).

Un poste (--post) ne reçoit que les indicateurs de ses fonctions déléguées ;
S11a seulement s'il est chef de projet CTG.

JSON : {"scope":…,"from":"AAAA-MM-JJ","to":"AAAA-MM-JJ","indicators":[
  {"code":"S11b","value":7,"by":{"juridique":3,"financiere":4},
   "other":{"instance_kind":{…}}}, …]}
  value vaut null quand l'indicateur n'est pas disponible ; by donne la
  ventilation principale (codes des nomenclatures, "_non_renseigne" pour un
  champ laissé vide) ; E32 et E42 donnent "waves" (kind, date, mean,
  responses, distribution, ctgs) et "ctgs", le nombre de CTG couvertes.

CSV (UTF-8 avec BOM, séparateur « ; », virgule décimale) : une ligne d'en-tête
  code;indicateur;valeur;ventilation;clé;libellé;nombre
  puis, pour chaque indicateur, une ligne sans ventilation (sa valeur), et
  une ligne par clé de chaque ventilation (nombre = effectif de la clé ; pour
  les vagues d'enquête, nombre = score moyen, libellé = date et réponses).
`

// indicatorsOptions are the flags of `copilote indicators`.
type indicatorsOptions struct {
	post, ctg int64
	caf       string
	all       bool
	from, to  string
	format    string
}

func runIndicators(ctx context.Context, args []string, _ io.Reader, stdout, stderr io.Writer) error {
	cfg, err := loadConfig()
	if err != nil {
		return err
	}
	fs := newFlags("indicators", indicatorsSynopsis, stderr, true)
	cfg.DBFlag(fs)
	o := indicatorsFlags(fs)
	usage := fs.Usage
	fs.Usage = func() { usage(); fmt.Fprint(stderr, indicatorsHelp) }
	if help, err := parse(fs, args); help || err != nil {
		return err
	}
	scope, p, err := o.check(fs)
	if err != nil {
		fmt.Fprintf(stderr, "copilote indicators : %v\n", err)
		return errUsage
	}
	db, err := openExisting(ctx, cfg.DB)
	if err != nil {
		return err
	}
	defer db.Close()
	if p, err = defaultPeriod(ctx, db, scope, p); err != nil {
		return err
	}
	res, err := db.Indicators(ctx, scope, p)
	if err != nil {
		return userError(err)
	}
	if o.format == "csv" {
		return export.WriteCSV(stdout, indicatorTable(res, labelsFor(ctx, db, scope)))
	}
	enc := json.NewEncoder(stdout)
	enc.SetIndent("", "  ")
	return enc.Encode(res)
}

func indicatorsFlags(fs *flag.FlagSet) *indicatorsOptions {
	o := &indicatorsOptions{}
	fs.Int64Var(&o.post, "post", 0, "identifiant d'un poste : ses indicateurs délégués")
	fs.Int64Var(&o.ctg, "ctg", 0, "identifiant d'une CTG")
	fs.StringVar(&o.caf, "caf", "", "code d'une Caf : toutes ses CTG")
	fs.BoolVar(&o.all, "all", false, "toutes les CTG (niveau national)")
	fs.StringVar(&o.from, "from", "", "premier jour de la période, AAAA-MM-JJ (défaut : voir plus bas)")
	fs.StringVar(&o.to, "to", "", "dernier jour de la période, AAAA-MM-JJ (défaut : voir plus bas)")
	fs.StringVar(&o.format, "format", "json", "format de sortie : json ou csv")
	return o
}

// check turns the flags into a scope and a period (whose missing days
// defaultPeriod fills in), with a French message for each mistake.
func (o *indicatorsOptions) check(fs *flag.FlagSet) (indicator.Scope, indicator.Period, error) {
	var p indicator.Period
	if fs.NArg() > 0 {
		return indicator.Scope{}, p, fmt.Errorf("argument inattendu « %s »", fs.Arg(0))
	}
	if o.format != "json" && o.format != "csv" {
		return indicator.Scope{}, p, fmt.Errorf("format inconnu « %s » : json ou csv", o.format)
	}
	scope, err := o.scope(fs)
	if err != nil {
		return scope, p, err
	}
	if p.From, err = optionalDate("--from", o.from); err != nil {
		return scope, p, err
	}
	if p.To, err = optionalDate("--to", o.to); err != nil {
		return scope, p, err
	}
	if !p.From.IsZero() && !p.To.IsZero() && p.To.Before(p.From) {
		return scope, p, errors.New("--to doit être postérieure ou égale à --from")
	}
	return scope, p, nil
}

// scope requires exactly one of --post, --ctg, --caf, --all.
func (o *indicatorsOptions) scope(fs *flag.FlagSet) (indicator.Scope, error) {
	var set []string
	fs.Visit(func(f *flag.Flag) {
		if slices.Contains([]string{"post", "ctg", "caf"}, f.Name) || (f.Name == "all" && o.all) {
			set = append(set, "--"+f.Name)
		}
	})
	if len(set) != 1 {
		return indicator.Scope{}, fmt.Errorf("précisez exactement un périmètre parmi --post, --ctg, --caf et --all (reçu : %s)",
			cmp.Or(strings.Join(set, ", "), "aucun"))
	}
	var s indicator.Scope
	switch set[0] {
	case "--post":
		s = indicator.Scope{Kind: indicator.ScopePost, PostID: o.post}
	case "--ctg":
		s = indicator.Scope{Kind: indicator.ScopeCTG, CTGID: o.ctg}
	case "--caf":
		s = indicator.Scope{Kind: indicator.ScopeCaf, CafCode: strings.TrimSpace(o.caf)}
	default:
		s = indicator.Scope{Kind: indicator.ScopeAll}
	}
	if s.Validate() != nil {
		what := map[string]string{"--post": "un identifiant de poste", "--ctg": "un identifiant de CTG", "--caf": "un code de Caf"}
		return s, fmt.Errorf("%s attend %s", set[0], what[set[0]])
	}
	return s, nil
}

func optionalDate(flagName, v string) (civil.Date, error) {
	if v == "" {
		return civil.Date{}, nil
	}
	d, err := civil.Parse(strings.TrimSpace(v))
	if err != nil {
		return d, fmt.Errorf("%s : « %s » n'est pas une date (AAAA-MM-JJ)", flagName, v)
	}
	if !d.InRange() {
		return d, fmt.Errorf("%s : %s", flagName, msg.Text(msg.DateRange, civil.MinYear, civil.MaxYear))
	}
	return d, nil
}

// defaultPeriod fills a missing --from or --to with the first or last day
// of the scope's conventions.
func defaultPeriod(ctx context.Context, db *store.DB, scope indicator.Scope, p indicator.Period) (indicator.Period, error) {
	if !p.From.IsZero() && !p.To.IsZero() {
		return p, nil
	}
	span, err := db.IndicatorPeriod(ctx, scope)
	if err != nil {
		return p, userError(err)
	}
	if span.From.IsZero() {
		return p, errors.New("aucune CTG dans ce périmètre : précisez --from et --to")
	}
	p.From = cmp.Or(p.From, span.From)
	p.To = cmp.Or(p.To, span.To)
	if p.To.Before(p.From) {
		return p, fmt.Errorf("la période par défaut s'arrête le %s, avant --from", p.To.French())
	}
	return p, nil
}

// userError shows the French message of a domain error (unknown post,
// Caf…) and keeps internal errors as they are for the log.
func userError(err error) error {
	e := apperr.As(err)
	if e.Code == apperr.Internal {
		return err
	}
	return errors.New(e.Message())
}

// labelsFor reads the nomenclature the scope's Caf sees, so that the CSV
// shows its own values' labels; national lists otherwise.
func labelsFor(ctx context.Context, db *store.DB, s indicator.Scope) *nomenclature.Set {
	var cafID int64
	switch s.Kind {
	case indicator.ScopePost:
		if p, err := db.Post(ctx, s.PostID); err == nil {
			s.CTGID = p.CTGID
		}
		fallthrough
	case indicator.ScopeCTG:
		if c, err := db.CTG(ctx, s.CTGID); err == nil {
			cafID = c.CafID
		}
	case indicator.ScopeCaf:
		if c, err := db.CafByCode(ctx, s.CafCode); err == nil {
			cafID = c.ID
		}
	}
	set, err := db.Nomenclature(ctx, cafID)
	if err != nil {
		return nomenclature.Default
	}
	return set
}

// breakdownNames are the French words of the CSV's "ventilation" column.
var breakdownNames = map[string]string{
	"role": "rôle", "nature": "nature", "axis": "axe", "partner_type": "type de partenaire", "kind": "type",
	"dispositif": "dispositif", indicator.ByInstanceKind: "instance", indicator.ByAudience: "public",
	indicator.ByEitherOne: "habitants à une seule étape",
}

var eitherOneLabels = map[string]string{
	indicator.ConceptionOnly: "Conception seulement",
	indicator.EvaluationOnly: "Évaluation seulement",
}

// indicatorTable lays the result out as documented in indicatorsHelp.
func indicatorTable(res indicator.Result, labels *nomenclature.Set) export.Table {
	t := export.Table{Title: "Indicateurs",
		Columns: []string{"code", "indicateur", "valeur", "ventilation", "clé", "libellé", "nombre"}}
	for _, f := range res.Indicators {
		in, _ := framework.Load().Indicator(f.Code)
		row := func(breakdown, key, label string, n any) {
			t.Rows = append(t.Rows, []any{f.Code, in.ShortLabel, value(f.Value), breakdown, key, label, n})
		}
		row("", "", "", nil)
		if b, ok := indicator.MainBreakdown(f.Code); ok {
			breakdownRows(row, b, f.By, labels)
		}
		for _, name := range slices.Sorted(maps.Keys(f.Other)) {
			breakdownRows(row, indicator.OtherBreakdown(name), f.Other[name], labels)
		}
		waveRows(row, f, labels)
	}
	return t
}

func breakdownRows(row func(string, string, string, any), b indicator.Breakdown, counts map[string]float64, labels *nomenclature.Set) {
	for _, k := range keysInListOrder(counts, b.Kind, labels) {
		label := eitherOneLabels[k]
		switch {
		case k == indicator.KeyUnset:
			label = "Non renseigné"
		case b.Kind != "":
			label = labels.Label(b.Kind, k)
		}
		row(breakdownNames[b.Name], k, label, counts[k])
	}
}

func waveRows(row func(string, string, string, any), f indicator.Figure, labels *nomenclature.Set) {
	if f.CTGs > 0 {
		row("CTG couvertes", "", "", f.CTGs)
	}
	for _, w := range f.Waves {
		label := labels.Label(nomenclature.SurveyWaveKind, w.Kind)
		if !w.Date.IsZero() {
			label += " du " + w.Date.French()
		}
		label += fmt.Sprintf(", %d réponse(s)", w.Responses)
		if w.Date.IsZero() {
			label += fmt.Sprintf(", %d CTG", w.CTGs)
		}
		row("vague", w.Kind, label, value(w.Mean))
	}
}

// keysInListOrder sorts keys as the nomenclature lists them, then any
// unknown key by code, the blank one last.
func keysInListOrder(m map[string]float64, kind nomenclature.Kind, labels *nomenclature.Set) []string {
	rank := map[string]int{}
	for i, v := range labels.Values(kind) {
		rank[v.Code] = i + 1
	}
	pos := func(k string) int {
		if r, ok := rank[k]; ok {
			return r
		}
		if k == indicator.KeyUnset {
			return len(rank) + 2
		}
		return len(rank) + 1
	}
	keys := slices.Collect(maps.Keys(m))
	slices.SortFunc(keys, func(a, b string) int { return cmp.Or(cmp.Compare(pos(a), pos(b)), cmp.Compare(a, b)) })
	return keys
}

// value is a figure's cell: empty when not available.
func value(v *float64) any {
	if v == nil {
		return nil
	}
	return *v
}
