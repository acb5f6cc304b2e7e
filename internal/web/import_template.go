package web

import (
	"bytes"
	"net/http"

	"copilote/internal/apperr"
	"copilote/internal/export"
	"copilote/internal/importer"
	"copilote/internal/msg"
	"copilote/internal/nomenclature"
)

// importTemplate answers the empty file of a kind of import: a CSV of its
// header (?format=csv), or a workbook whose first sheet is the template,
// the second says what each column holds, the third the values each list
// accepts (the Caf's own included).
func (s *Server) importTemplate(w http.ResponseWriter, r *http.Request) error {
	kind := importer.Kind(r.PathValue("kind"))
	if !kind.Valid() {
		return apperr.NotFoundf(msg.ErrNotFound)
	}
	e, err := s.env(r)
	if err != nil {
		return err
	}
	fields := importer.Fields(kind)
	labels := make([]string, len(fields))
	for i, f := range fields {
		labels[i] = f.Label
	}
	var buf bytes.Buffer
	format := "xlsx"
	if r.URL.Query().Get("format") == "csv" {
		format = "csv"
		err = export.WriteCSV(&buf, export.Table{Title: "Modèle", Columns: labels})
	} else {
		err = templateWorkbook(&buf, fields, labels, e.Nom)
	}
	if err != nil {
		return apperr.Wrap(err, "import template")
	}
	h := w.Header()
	h.Set("Content-Type", map[string]string{"csv": "text/csv; charset=utf-8",
		"xlsx": "application/vnd.openxmlformats-officedocument.spreadsheetml.sheet"}[format])
	h.Set("Content-Disposition", `attachment; filename="modele-import-`+string(kind)+"."+format+`"`)
	_, err = buf.WriteTo(w)
	return err
}

func templateWorkbook(buf *bytes.Buffer, fields []importer.Field, labels []string, n *nomenclature.Set) (err error) {
	b := export.NewWorkbook(buf)
	defer b.Close()
	widths := make([]float64, len(labels))
	for i := range widths {
		widths[i] = 22
	}
	if err := b.AddSheet("Modèle", labels, widths); err != nil {
		return err
	}
	if err := b.AddSheet("Colonnes", []string{"Colonne", "Obligatoire", "Ce qu'on y écrit"}, []float64{30, 12, 70}); err != nil {
		return err
	}
	for _, f := range fields {
		if err := b.Row(f.Label, ouiNon(f.Required), describe(f)); err != nil {
			return err
		}
	}
	if err := b.AddSheet("Valeurs possibles", []string{"Colonne", "Valeur", "Code"}, []float64{30, 50, 30}); err != nil {
		return err
	}
	for _, f := range fields {
		for _, list := range listsOf(f) {
			for _, o := range importer.Options(list, n) {
				if err := b.Row(f.Label, o.Label, o.Code); err != nil {
					return err
				}
			}
		}
	}
	return b.Finish()
}

func ouiNon(b bool) string {
	if b {
		return "oui"
	}
	return "non"
}

func describe(f importer.Field) string {
	d := f.Hint
	switch f.Type {
	case "date":
		d = "une date, JJ/MM/AAAA"
	case "bool":
		d = "oui ou non"
	case "money":
		d = "un montant en euros, par exemple 12 500"
	}
	if f.List != "" && d == "" {
		d = "une valeur de la feuille « Valeurs possibles »"
	}
	return d
}

// listsOf are the lists a field's values come from; a record's nature,
// audience and status depend on its type.
func listsOf(f importer.Field) []nomenclature.Kind {
	if !f.ByKind {
		if f.List == "" {
			return nil
		}
		return []nomenclature.Kind{f.List}
	}
	switch f.Key {
	case "nature":
		return []nomenclature.Kind{nomenclature.MeetingKind, nomenclature.AlertNature, nomenclature.ExpertiseNature,
			nomenclature.Dispositif, nomenclature.RelaisNature, nomenclature.AppuiNature, nomenclature.IngenierieNat,
			nomenclature.SupportKind}
	case "audience":
		return []nomenclature.Kind{nomenclature.Audience, nomenclature.SupportAudience}
	}
	return []nomenclature.Kind{nomenclature.AlertStatus, nomenclature.SubjectStatus}
}
