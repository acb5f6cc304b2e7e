package web

import (
	"errors"
	"fmt"
	"strings"

	"copilote/internal/apperr"
	"copilote/internal/importer"
	"copilote/internal/journal"
	"copilote/internal/partner"
	"copilote/internal/sheet"
	"copilote/internal/store"
)

// importReport is what a dry run or a commit found: what would be (or
// was) created, and every problem by line and column.
type importReport struct {
	Lines    int
	Created  int // lines that create a row
	Matched  int // partners found in the register instead
	Rows     []importRow
	More     int // rows left out of Rows
	Problems []importer.Problem
	BadLines int
}

type importRow struct {
	Line    int
	What    string
	Outcome string
}

// maxReportRows bounds the list of what would be created on the page.
const maxReportRows = 300

// errDryRun rolls back a dry run, or a commit that found problems.
var errDryRun = errors.New("import: dry run")

// runImport writes every line through the forms' own store functions,
// each in a savepoint, within tx. With commit and no problem, the import
// is finished (its created rows noted for the undo); otherwise it returns
// errDryRun, which rolls the whole transaction back.
func runImport(tx *store.Tx, b *store.ImportBatch, t *sheet.Table, m importer.Mapping, env importer.Env, e *ctgEnv,
	commit bool) (*importReport, error) {
	k := importer.Kind(b.Kind)
	var err error
	if env.Partners, err = tx.LivePartners(env.CafID); err != nil {
		return nil, err
	}
	rep := &importReport{Lines: len(t.Rows)}
	items := importer.Convert(k, t, m, env)
	for i := range items {
		it, row := &items[i], t.Rows[i]
		if len(it.Problems) > 0 {
			rep.fail(append(it.Problems, domainProblems(k, t, m, row, it, e)...))
			continue
		}
		entity, id, what, outcome, err := writeLine(tx, k, it, e, &env)
		if err != nil {
			if apperr.CodeOf(err) == apperr.Internal {
				return nil, err
			}
			rep.fail(importer.Locate(k, t, m, row, err))
			continue
		}
		if id == 0 {
			rep.Matched++
		} else {
			rep.Created++
			if commit {
				if err := tx.AddImportItem(b.ID, entity, id); err != nil {
					return nil, err
				}
			}
		}
		rep.add(it.Line, what, outcome)
	}
	if !commit || len(rep.Problems) > 0 {
		return rep, errDryRun
	}
	return rep, tx.FinishImport(b, rep.Created, map[string]any{"created": rep.Created, "matched": rep.Matched})
}

func (rep *importReport) fail(ps []importer.Problem) {
	rep.Problems = append(rep.Problems, ps...)
	rep.BadLines++
}

func (rep *importReport) add(line int, what, outcome string) {
	if len(rep.Rows) >= maxReportRows {
		rep.More++
		return
	}
	rep.Rows = append(rep.Rows, importRow{line, what, outcome})
}

// writeLine saves one line in a savepoint; id is 0 for a partner found in
// the register, which is not created again.
func writeLine(tx *store.Tx, k importer.Kind, it *importer.Item, e *ctgEnv, env *importer.Env) (entity string, id int64,
	what, outcome string, err error) {
	switch k {
	case importer.Records:
		r := it.Record
		err = tx.Savepoint(func() error { return tx.SaveRecord(r, e.Nom) })
		spec, _ := journal.SpecOf(r.Kind)
		return "record", r.ID, spec.Label + " du " + r.Date.French() + titled(r.Title), "créé", err
	case importer.Actions:
		a := it.Action
		err = tx.Savepoint(func() error { return tx.SaveAction(a, e.Nom) })
		return "action", a.ID, "Fiche " + a.Code + " « " + a.Title + " »", "créée", err
	}
	p := it.Partner
	if err = p.Validate(e.Nom); err != nil {
		return "", 0, "", "", err
	}
	if found, how := importer.MatchPartner(env.Partners, p.SIRET, p.Name); found != 0 {
		name := partnerName(env.Partners, found)
		why := "même nom"
		if how == "siret" {
			why = "même SIRET"
		}
		return "partner", 0, "Partenaire « " + p.Name + " »", fmt.Sprintf("déjà au registre : « %s » (%s), non recréé", name, why), nil
	}
	err = tx.Savepoint(func() error { return tx.SavePartner(p, e.Nom) })
	if err == nil {
		env.Partners = append(env.Partners, *p)
	}
	return "partner", p.ID, "Partenaire « " + p.Name + " »", "créé", err
}

func titled(t string) string {
	if t == "" {
		return ""
	}
	return " : « " + t + " »"
}

func partnerName(list []partner.Partner, id int64) string {
	for _, p := range list {
		if p.ID == id {
			return p.Name
		}
	}
	return ""
}

// domainProblems adds, to a line that could not be read whole, what the
// form's validation says of the rest, so the user sees every problem of
// the line at once; fields already at fault are not repeated.
func domainProblems(k importer.Kind, t *sheet.Table, m importer.Mapping, row sheet.Row, it *importer.Item, e *ctgEnv) []importer.Problem {
	var err error
	switch k {
	case importer.Records:
		err = it.Record.Validate(e.journalContext())
	case importer.Partners:
		err = it.Partner.Validate(e.Nom)
	case importer.Actions:
		err = it.Action.Validate(e.Nom)
	}
	if err == nil {
		return nil
	}
	seen := map[string]bool{}
	for _, p := range it.Problems {
		seen[p.Field] = true
	}
	var out []importer.Problem
	for _, p := range importer.Locate(k, t, m, row, err) {
		if !seen[p.Field] && !strings.HasPrefix(p.Message, "Choisissez une valeur") {
			out = append(out, p)
		}
	}
	return out
}
