package exchange

import (
	"encoding/json"
	"errors"
	"fmt"
	"io"
	"reflect"
	"sort"
	"strings"

	"copilote/internal/apperr"
)

// Error says where an import failed: the line of the file, the object (its
// section and position, "records[1234]", and its id) and the fields at
// fault, each with a French message. Nothing of the file was written.
type Error struct {
	Line    int    // 1-based; 0 when unknown
	Path    string // "records[1234]"; empty for the document itself
	ID      int64  // the object's id, when it has one
	Fields  []FieldError
	Message string // when the fault is not one field's
	Err     error  // the cause, for logs
}

// FieldError is one field at fault; Field is a path inside the object,
// such as "date" or "roles.post_id".
type FieldError struct {
	Field   string
	Message string
}

func (e *Error) Error() string {
	var parts []string
	if e.Line > 0 {
		parts = append(parts, fmt.Sprintf("ligne %d", e.Line))
	}
	if e.Path != "" {
		p := e.Path
		if e.ID != 0 {
			p += fmt.Sprintf(" (id %d)", e.ID)
		}
		parts = append(parts, p)
	}
	where := strings.Join(parts, ", ")
	var what []string
	if e.Message != "" {
		what = append(what, e.Message)
	}
	for _, f := range e.Fields {
		what = append(what, fmt.Sprintf("champ « %s » : %s", f.Field, f.Message))
	}
	if where == "" {
		return strings.Join(what, " ; ")
	}
	return where + " : " + strings.Join(what, " ; ")
}

func (e *Error) Unwrap() error { return e.Err }

// Field returns the message of field, "" when it is not at fault.
func (e *Error) Field(field string) string {
	for _, f := range e.Fields {
		if f.Field == field {
			return f.Message
		}
	}
	return ""
}

// fieldErr is a single field at fault; the reader adds line and path.
func fieldErr(field, format string, args ...any) *Error {
	return &Error{Fields: []FieldError{{field, fmt.Sprintf(format, args...)}}}
}

// docErr is a fault of the document rather than of one field.
func docErr(format string, args ...any) *Error {
	return &Error{Message: fmt.Sprintf(format, args...)}
}

// fromValidate turns the domain's per-field messages into an Error; prefix
// places them inside the object ("posts[2]." for a CTG's third post).
func fromValidate(err error, prefix string) *Error {
	if err == nil {
		return nil
	}
	var ae *apperr.Error
	if !errors.As(err, &ae) || len(ae.Fields) == 0 {
		return &Error{Message: err.Error(), Err: err}
	}
	e := &Error{Err: err}
	for f, m := range ae.Fields {
		e.Fields = append(e.Fields, FieldError{prefix + f, m})
	}
	sort.Slice(e.Fields, func(i, j int) bool { return e.Fields[i].Field < e.Fields[j].Field })
	return e
}

// fromJSON renders what encoding/json reports in French.
func fromJSON(err error) *Error {
	var te *json.UnmarshalTypeError
	var se *json.SyntaxError
	switch {
	case errors.As(err, &te):
		return &Error{Fields: []FieldError{{te.Field, typeMessage(te)}}, Err: err}
	case errors.As(err, &se):
		return &Error{Message: "le fichier n'est pas un JSON valide (" + se.Error() + ")", Err: err}
	case errors.Is(err, io.ErrUnexpectedEOF), errors.Is(err, io.EOF):
		return &Error{Message: msgTruncated, Err: err}
	}
	if name, ok := strings.CutPrefix(err.Error(), `json: unknown field "`); ok {
		return &Error{Fields: []FieldError{{strings.TrimSuffix(name, `"`), msgUnknownField}}, Err: err}
	}
	return &Error{Message: "lecture impossible : " + err.Error(), Err: err}
}

const (
	msgTruncated    = "le fichier s'arrête au milieu d'un objet : il est sans doute tronqué"
	msgUnknownField = "champ inconnu du format (faute de frappe ? voir docs/exchange.schema.json)"
)

// typeMessage says what the field should have held.
func typeMessage(te *json.UnmarshalTypeError) string {
	switch te.Type {
	case reflect.TypeOf(Date{}):
		return fmt.Sprintf("date invalide %s : écrivez AAAA-MM-JJ, par exemple \"2025-03-15\"", te.Value)
	case reflect.TypeOf(Time{}):
		return fmt.Sprintf("horodatage invalide %s : écrivez-le en RFC 3339, par exemple \"2025-03-15T09:30:00Z\"", te.Value)
	}
	want := map[reflect.Kind]string{
		reflect.String: "un texte", reflect.Bool: "true ou false", reflect.Slice: "une liste",
		reflect.Map: "un objet", reflect.Struct: "un objet", reflect.Pointer: "un objet",
		reflect.Float64: "un nombre",
	}[te.Type.Kind()]
	if want == "" {
		want = "un nombre entier"
	}
	if te.Type.Kind() == reflect.Slice && te.Type.Elem().Kind() == reflect.Uint8 {
		want = "un texte en base64"
	}
	return fmt.Sprintf("valeur de type %s, attendu %s", jsonKind(te.Value), want)
}

// jsonKind names in French the kind encoding/json found.
func jsonKind(v string) string {
	switch v {
	case "string":
		return "texte"
	case "number":
		return "nombre"
	case "bool":
		return "booléen"
	case "array":
		return "liste"
	case "object":
		return "objet"
	}
	if strings.HasPrefix(v, "number ") {
		return "nombre (" + strings.TrimPrefix(v, "number ") + ")"
	}
	return v
}

// ErrNotEmpty refuses an import into a database that holds data: an import
// never merges, so a second import of the same file changes nothing.
var ErrNotEmpty = &Error{Message: "la base n'est pas vide : un fichier d'échange ne s'importe que dans une base vide " +
	"(indiquez-en une neuve, par exemple --db nouvelle.db). Rien n'a été importé."}
