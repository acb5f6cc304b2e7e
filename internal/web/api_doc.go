package web

import (
	_ "embed"
	"encoding/json"
	"net/http"
	"sort"
	"strings"
	"sync"
)

// apiSpec is the OpenAPI 3.1 document of the API, kept true by
// TestAPIConformance, which calls every route it lists.
//
//go:embed api_openapi.json
var apiSpec []byte

func (s *Server) apiDocument(w http.ResponseWriter, r *http.Request) error {
	w.Header().Set("Content-Type", "application/json")
	w.Write(apiSpec)
	return nil
}

// apiDocs is the document as a page, made by the server from the
// document itself, so that the two cannot differ: every operation with
// its parameters, body and answers, then every schema with its fields.
func (s *Server) apiDocs(w http.ResponseWriter, r *http.Request) error {
	v, err := apiDocsView()
	if err != nil {
		return err
	}
	s.render(w, r, http.StatusOK, "api_docs", "API de Copilote", v, crumb{"Accueil", "/"}, crumb{"API", ""})
	return nil
}

type docsView struct {
	Description string
	Operations  []docOp
	Schemas     []docSchema
	Problems    []docProblem
}

type docOp struct {
	ID, Method, Path, Summary, Description, Body string
	Parameters                                   []docParam
	Responses                                    []docResponse
	Public                                       bool
}

type docParam struct{ Name, In, Type, Description string }

type docResponse struct{ Status, Description, Schema string }

type docSchema struct {
	Name, Description string
	Fields            []docParam
}

type docProblem struct{ Code, Meaning string }

var (
	docsOnce sync.Once
	docs     *docsView
	docsErr  error
)

func apiDocsView() (*docsView, error) {
	docsOnce.Do(func() { docs, docsErr = buildDocs(apiSpec) })
	return docs, docsErr
}

// the parts of the document the page reads
type specDoc struct {
	Info       struct{ Description string }
	Paths      map[string]map[string]specOp
	Components struct {
		Schemas    map[string]specSchema
		Parameters map[string]specParam
		Responses  map[string]specResponse
	}
}

type specOp struct {
	OperationID string `json:"operationId"`
	Summary     string
	Description string
	Parameters  []specParam
	RequestBody *struct {
		Content map[string]struct{ Schema specSchema }
	} `json:"requestBody"`
	Responses map[string]specResponse
	Security  *[]any
}

type specParam struct {
	Ref         string `json:"$ref"`
	Name        string
	In          string
	Required    bool
	Description string
	Schema      specSchema
}

type specResponse struct {
	Ref         string `json:"$ref"`
	Description string
	Content     map[string]struct{ Schema specSchema }
}

type specSchema struct {
	Ref         string          `json:"$ref"`
	Type        json.RawMessage `json:"type"`
	Enum        []any
	Items       *specSchema
	Description string
	Properties  map[string]specSchema
	Required    []string
	AnyOf       []specSchema `json:"anyOf"`
}

func refName(ref string) string { return ref[strings.LastIndex(ref, "/")+1:] }

// typeOf writes a schema's type as a reader expects it: "entier ou null",
// "tableau de Record", "un de : …".
func (s specSchema) typeOf() string {
	switch {
	case s.Ref != "":
		return refName(s.Ref)
	case s.Items != nil:
		return "tableau de " + s.Items.typeOf()
	case len(s.AnyOf) > 0:
		var parts []string
		for _, a := range s.AnyOf {
			parts = append(parts, a.typeOf())
		}
		return "un de : " + strings.Join(parts, ", ")
	}
	var types []string
	if err := json.Unmarshal(s.Type, &types); err != nil {
		var one string
		json.Unmarshal(s.Type, &one)
		types = []string{one}
	}
	names := map[string]string{"string": "texte", "integer": "entier", "number": "nombre", "boolean": "booléen",
		"object": "objet", "array": "tableau", "null": "null"}
	for i, t := range types {
		types[i] = names[t]
	}
	out := strings.Join(types, " ou ")
	if len(s.Enum) > 0 {
		var vals []string
		for _, e := range s.Enum {
			b, _ := json.Marshal(e)
			vals = append(vals, string(b))
		}
		out += " parmi " + strings.Join(vals, ", ")
	}
	return out
}

var problemMeanings = map[string]string{
	"invalid":               "422 : requête ou données refusées ; errors nomme chaque champ en cause",
	"unauthenticated":       "401 : jeton absent, inconnu ou révoqué, ou compte désactivé",
	"forbidden":             "403 : le compte n'a pas ce droit, ou le jeton est en lecture seule",
	"not_found":             "404 : l'objet n'existe pas, ou il est hors de portée du compte",
	"conflict":              "409 : l'état de l'objet ne permet pas la demande",
	"precondition_required": "428 : une modification sans If-Match",
	"precondition_failed":   "412 : l'ETag envoyé en If-Match n'est plus celui de l'objet : relisez-le",
	"too_many":              "429 : trop de demandes, réessayez plus tard",
	"unavailable":           "503 : le serveur est trop chargé pour l'instant",
	"internal":              "500 : erreur du serveur, journalisée",
}

func buildDocs(spec []byte) (*docsView, error) {
	var d specDoc
	if err := json.Unmarshal(spec, &d); err != nil {
		return nil, err
	}
	v := &docsView{Description: d.Info.Description}
	paths := make([]string, 0, len(d.Paths))
	for p := range d.Paths {
		paths = append(paths, p)
	}
	sort.Strings(paths)
	for _, p := range paths {
		for _, m := range []string{"get", "post", "put", "delete"} {
			o, ok := d.Paths[p][m]
			if !ok {
				continue
			}
			op := docOp{ID: o.OperationID, Method: strings.ToUpper(m), Path: p, Summary: o.Summary, Description: o.Description,
				Public: o.Security != nil && len(*o.Security) == 0}
			for _, prm := range o.Parameters {
				if prm.Ref != "" {
					prm = d.Components.Parameters[refName(prm.Ref)]
				}
				desc := prm.Description
				if prm.Required {
					desc = strings.TrimSpace("(obligatoire) " + desc)
				}
				op.Parameters = append(op.Parameters, docParam{Name: prm.Name, In: prm.In, Type: prm.Schema.typeOf(), Description: desc})
			}
			if o.RequestBody != nil {
				op.Body = o.RequestBody.Content["application/json"].Schema.typeOf()
			}
			codes := make([]string, 0, len(o.Responses))
			for c := range o.Responses {
				codes = append(codes, c)
			}
			sort.Strings(codes)
			for _, c := range codes {
				res := o.Responses[c]
				if res.Ref != "" {
					res = d.Components.Responses[refName(res.Ref)]
				}
				dr := docResponse{Status: c, Description: res.Description}
				for _, ct := range res.Content {
					dr.Schema = ct.Schema.typeOf()
				}
				op.Responses = append(op.Responses, dr)
			}
			v.Operations = append(v.Operations, op)
		}
	}
	names := make([]string, 0, len(d.Components.Schemas))
	for n := range d.Components.Schemas {
		names = append(names, n)
	}
	sort.Strings(names)
	for _, n := range names {
		sc := d.Components.Schemas[n]
		ds := docSchema{Name: n, Description: sc.Description}
		fields := make([]string, 0, len(sc.Properties))
		for f := range sc.Properties {
			fields = append(fields, f)
		}
		sort.Strings(fields)
		for _, f := range fields {
			desc := sc.Properties[f].Description
			for _, req := range sc.Required {
				if req == f {
					desc = strings.TrimSpace("(obligatoire) " + desc)
				}
			}
			ds.Fields = append(ds.Fields, docParam{Name: f, Type: sc.Properties[f].typeOf(), Description: desc})
		}
		v.Schemas = append(v.Schemas, ds)
	}
	codes := make([]string, 0, len(problemMeanings))
	for c := range problemMeanings {
		codes = append(codes, c)
	}
	sort.Strings(codes)
	for _, c := range codes {
		v.Problems = append(v.Problems, docProblem{Code: c, Meaning: problemMeanings[c]})
	}
	return v, nil
}
