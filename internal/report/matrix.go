package report

import (
	"cmp"
	"maps"
	"slices"
	"strconv"

	"copilote/internal/chart"
	"copilote/internal/ctg"
	"copilote/internal/document"
	"copilote/internal/framework"
	"copilote/internal/indicator"
	"copilote/internal/nomenclature"
)

// The matrice de suivi: for each year of the convention, one row per
// indicator of the catalogue (a post's: its delegated ones), its value,
// then its natures (the keys of its main breakdown) as columns. Natures
// of one list share their columns, so that the indicators counted by
// axis, by type of partner or by kind of support line up; a sheet per
// year, with the same columns every year, so that years compare.

// YearFigures are the figures of one calendar year.
type YearFigures struct {
	Year   int
	Result indicator.Result
}

// MatrixInput is what the matrice reads: the CTG, the post (nil for the
// whole CTG), each year's figures (as db.Indicators gives them for the
// scope), the Caf's lists, and the link opening a figure's records (nil:
// none).
type MatrixInput struct {
	CTG   ctg.CTG
	Post  *ctg.Post
	Years []YearFigures
	Nom   *nomenclature.Set
	Link  func(code string, year int, key string) string
}

// natureNames name each list in a column's header: "Axe : Parentalité".
var natureNames = map[nomenclature.Kind]string{
	nomenclature.MeetingRole: "Rôle", nomenclature.ExpertiseNature: "Expertise", nomenclature.Axis: "Axe",
	nomenclature.AlertNature: "Alerte", nomenclature.PartnerType: "Partenaire", nomenclature.Dispositif: "Dispositif",
	nomenclature.RelaisNature: "Relais", nomenclature.SupportKind: "Support", nomenclature.IngenierieNat: "Ingénierie",
}

// MatrixHeader is the header of the column of one nature: the list's
// name and the value's label.
func MatrixHeader(kind nomenclature.Kind, label string) string {
	return cmp.Or(natureNames[kind], string(kind)) + " : " + label
}

// natureColumn is one column of natures: a list and one of its codes.
type natureColumn struct {
	kind nomenclature.Kind
	key  string
}

// Matrix builds the matrice de suivi.
func Matrix(fw *framework.Framework, in MatrixInput) document.Document {
	d := document.Document{Kind: "matrice_suivi", Title: "Matrice de suivi – " + in.CTG.Name,
		Meta: []document.Field{{Label: "CTG", Value: in.CTG.Name},
			{Label: "Convention", Value: "du " + in.CTG.Start.French() + " au " + in.CTG.End.French()}}}
	scope := "Tous les indicateurs du référentiel, pour toute la CTG."
	if in.Post != nil {
		d.Title = "Matrice de suivi – " + in.Post.Person
		d.Subtitle = in.CTG.Name
		d.Meta = append(d.Meta, document.Field{Label: "Poste", Value: in.Post.Label()})
		scope = "Les indicateurs des fonctions déléguées au poste (" + joinFrench(in.Post.Functions) + ") seulement."
	}
	d.Notices = []string{scope + " Une ligne par indicateur, sa valeur, puis ses natures en colonnes : " +
		"les indicateurs comptés selon une même liste (axes, types de partenaires, supports…) partagent leurs colonnes. " +
		"Une case vide : la nature ne concerne pas l'indicateur."}
	cols := matrixColumns(in.Years, in.Nom)
	for _, y := range in.Years {
		year := strconv.Itoa(y.Year)
		d.Sections = append(d.Sections, document.Section{ID: "annee-" + year, Title: "Année " + year,
			Blocks: []document.Block{{Table: matrixTable(fw, in, y, cols)}}})
	}
	return d
}

// matrixColumns are the natures counted in any year, list by list in the
// order the catalogue first uses them, values in their list's order, the
// unset value last.
func matrixColumns(years []YearFigures, n *nomenclature.Set) []natureColumn {
	var kinds []nomenclature.Kind
	seen := map[nomenclature.Kind]map[string]bool{}
	for _, y := range years {
		for _, f := range y.Result.Indicators {
			b, ok := indicator.MainBreakdown(f.Code)
			if !ok {
				continue
			}
			if seen[b.Kind] == nil {
				seen[b.Kind] = map[string]bool{}
				kinds = append(kinds, b.Kind)
			}
			for k, v := range f.By {
				if v != 0 {
					seen[b.Kind][k] = true
				}
			}
		}
	}
	slices.SortStableFunc(kinds, func(a, b nomenclature.Kind) int { return cmp.Compare(firstUse(a), firstUse(b)) })
	var out []natureColumn
	for _, kind := range kinds {
		rank := map[string]int{}
		for i, v := range n.Values(kind) {
			rank[v.Code] = i
		}
		keys := slices.Collect(maps.Keys(seen[kind]))
		pos := func(k string) int {
			if r, ok := rank[k]; ok {
				return r
			}
			if k == indicator.KeyUnset {
				return len(rank) + 1
			}
			return len(rank)
		}
		slices.SortFunc(keys, func(a, b string) int { return cmp.Or(cmp.Compare(pos(a), pos(b)), cmp.Compare(a, b)) })
		for _, k := range keys {
			out = append(out, natureColumn{kind, k})
		}
	}
	return out
}

// firstUse is the rank in the catalogue of the first indicator counted
// by kind's list.
func firstUse(kind nomenclature.Kind) int {
	for i, ind := range framework.Load().Indicators() {
		if b, ok := indicator.MainBreakdown(ind.Code); ok && b.Kind == kind {
			return i
		}
	}
	return len(framework.Load().Indicators())
}

func matrixTable(fw *framework.Framework, in MatrixInput, y YearFigures, cols []natureColumn) *document.Table {
	t := &document.Table{Caption: "Matrice de suivi " + strconv.Itoa(y.Year), Head: []string{"Code", "Indicateur", "Valeur"},
		Numeric: []bool{false, false, true}}
	for _, c := range cols {
		t.Head = append(t.Head, MatrixHeader(c.kind, natureLabel(in.Nom, c.kind, c.key)))
		t.Numeric = append(t.Numeric, true)
	}
	for _, f := range y.Result.Indicators {
		ind, _ := fw.Indicator(f.Code)
		value := document.Cell{Text: "non disponible"}
		if f.Value != nil {
			value.Text = chart.Num(*f.Value)
		}
		if in.Link != nil {
			value.Link = in.Link(f.Code, y.Year, "")
		}
		row := []document.Cell{{Text: f.Code}, {Text: ind.ShortLabel}, value}
		b, has := indicator.MainBreakdown(f.Code)
		for _, c := range cols {
			cell := document.Cell{}
			if has && b.Kind == c.kind {
				cell.Text = chart.Num(f.By[c.key])
				if in.Link != nil && f.By[c.key] != 0 {
					cell.Link = in.Link(f.Code, y.Year, c.key)
				}
			}
			row = append(row, cell)
		}
		t.Rows = append(t.Rows, row)
	}
	return t
}

// natureLabel names a breakdown key with the Caf's list.
func natureLabel(n *nomenclature.Set, kind nomenclature.Kind, key string) string {
	if key == indicator.KeyUnset {
		return "non renseigné"
	}
	return n.Label(kind, key)
}
