package exchange_test

import (
	"bytes"
	"context"
	"encoding/json"
	"fmt"
	"os"
	"reflect"
	"regexp"
	"slices"
	"sort"
	"strings"
	"testing"

	"copilote/internal/demo"
	"copilote/internal/exchange"
	"copilote/internal/framework"
	"copilote/internal/journal"
	"copilote/internal/nomenclature"
	"copilote/internal/store"
	"copilote/internal/store/storetest"
	"copilote/internal/survey"
)

const schemaPath = "../../docs/exchange.schema.json"

// schema is a JSON Schema read with numbers kept exact.
type schema = map[string]any

func loadSchema(t *testing.T) schema {
	t.Helper()
	b, err := os.ReadFile(schemaPath)
	if err != nil {
		t.Fatal(err)
	}
	var s schema
	if err := decodeExact(b, &s); err != nil {
		t.Fatalf("%s is not valid JSON: %v", schemaPath, err)
	}
	return s
}

func decodeExact(b []byte, v any) error {
	dec := json.NewDecoder(bytes.NewReader(b))
	dec.UseNumber()
	return dec.Decode(v)
}

// validator checks a value against the subset of JSON Schema 2020-12 the
// format's schema uses; a keyword it does not know fails the test, so the
// schema cannot drift out of what is checked here.
type validator struct {
	root schema
	errs []string
}

var annotations = map[string]bool{"$schema": true, "$id": true, "$defs": true, "title": true, "description": true,
	"format": true, "contentEncoding": true}

func (v *validator) check(s schema, x any, path string) {
	for k, rule := range s {
		if annotations[k] {
			continue
		}
		if ok, known := v.keyword(s, k, rule, x, path); !known {
			v.errs = append(v.errs, fmt.Sprintf("%s: keyword %q not supported by the test's checker", path, k))
		} else if !ok {
			v.errs = append(v.errs, fmt.Sprintf("%s: %s %v fails on %.80v", path, k, rule, x))
		}
	}
}

func (v *validator) keyword(s schema, k string, rule, x any, path string) (ok, known bool) {
	switch k {
	case "$ref":
		v.check(v.resolve(rule.(string)), x, path)
		return true, true
	case "type":
		return hasType(x, rule.(string)), true
	case "const":
		return fmt.Sprint(x) == fmt.Sprint(rule), true
	case "enum":
		return slices.ContainsFunc(rule.([]any), func(e any) bool { return fmt.Sprint(e) == fmt.Sprint(x) }), true
	case "pattern":
		s, isStr := x.(string)
		return !isStr || regexp.MustCompile(rule.(string)).MatchString(s), true
	case "minLength":
		s, isStr := x.(string)
		return !isStr || int64(len([]rune(s))) >= num(rule), true
	case "minimum", "maximum":
		n, isNum := x.(json.Number)
		if !isNum {
			return true, true
		}
		f, _ := n.Float64()
		r, _ := rule.(json.Number).Float64()
		return (k == "minimum" && f >= r) || (k == "maximum" && f <= r), true
	}
	return v.structural(s, k, rule, x, path)
}

func (v *validator) structural(s schema, k string, rule, x any, path string) (ok, known bool) {
	obj, isObj := x.(map[string]any)
	arr, isArr := x.([]any)
	switch k {
	case "required":
		for _, f := range rule.([]any) {
			if _, has := obj[f.(string)]; isObj && !has {
				v.errs = append(v.errs, fmt.Sprintf("%s: required %q missing", path, f))
			}
		}
	case "properties":
		for name, sub := range rule.(map[string]any) {
			if val, has := obj[name]; isObj && has {
				v.check(sub.(schema), val, path+"."+name)
			}
		}
	case "additionalProperties":
		declared, _ := s["properties"].(map[string]any)
		v.additional(rule, declared, obj, path)
	case "propertyNames":
		for name := range obj {
			v.check(rule.(schema), name, path+" key")
		}
	case "minProperties":
		return !isObj || int64(len(obj)) >= num(rule), true
	case "items":
		for i, e := range arr {
			v.check(rule.(schema), e, fmt.Sprintf("%s[%d]", path, i))
		}
	case "minItems":
		return !isArr || int64(len(arr)) >= num(rule), true
	case "uniqueItems":
		seen := map[string]bool{}
		for _, e := range arr {
			if seen[fmt.Sprint(e)] {
				return false, true
			}
			seen[fmt.Sprint(e)] = true
		}
	default:
		return false, false
	}
	return true, true
}

// additional checks the properties that "properties" does not declare.
func (v *validator) additional(rule any, declared, obj map[string]any, path string) {
	for name, val := range obj {
		if _, ok := declared[name]; ok {
			continue
		}
		switch r := rule.(type) {
		case bool:
			if !r {
				v.errs = append(v.errs, fmt.Sprintf("%s: property %q not in the schema", path, name))
			}
		case map[string]any:
			v.check(r, val, path+"."+name)
		}
	}
}

func (v *validator) resolve(ref string) schema {
	name, ok := strings.CutPrefix(ref, "#/$defs/")
	def, found := v.root["$defs"].(map[string]any)[name]
	if !ok || !found {
		v.errs = append(v.errs, "unresolved $ref "+ref)
		return schema{}
	}
	return def.(schema)
}

func hasType(x any, t string) bool {
	switch x := x.(type) {
	case string:
		return t == "string"
	case bool:
		return t == "boolean"
	case json.Number:
		_, err := x.Int64()
		return t == "number" || (t == "integer" && err == nil)
	case []any:
		return t == "array"
	case map[string]any:
		return t == "object"
	case nil:
		return t == "null"
	}
	return false
}

func num(x any) int64 { n, _ := x.(json.Number).Int64(); return n }

// validate checks a whole document against the schema.
func validate(t *testing.T, s schema, doc []byte) []string {
	t.Helper()
	var x any
	if err := decodeExact(doc, &x); err != nil {
		t.Fatalf("document is not JSON: %v", err)
	}
	v := &validator{root: s}
	v.check(s, x, "$")
	return v.errs
}

func TestFixtureValidatesAgainstSchema(t *testing.T) {
	if errs := validate(t, loadSchema(t), mustExport(t, fixture())); len(errs) > 0 {
		t.Errorf("%d errors, first ones:\n%s", len(errs), strings.Join(errs[:min(len(errs), 10)], "\n"))
	}
}

// The checker itself must catch what the schema forbids.
func TestSchemaCheckerCatches(t *testing.T) {
	s := loadSchema(t)
	doc := string(mustExport(t, fixture()))
	for name, bad := range map[string]string{
		"missing required": strings.Replace(doc, `"code":"026",`, ``, 1),
		"unknown property": strings.Replace(doc, `"code":"026",`, `"code":"026","x":1,`, 1),
		"wrong type":       strings.Replace(doc, `"etp":50`, `"etp":"50"`, 1),
		"closed enum":      strings.Replace(doc, `"kind":"support"`, `"kind":"affiche"`, 1),
		"bad date":         strings.Replace(doc, `"date":"2024-04-02"`, `"date":"02/04/2024"`, 1),
		"score range":      strings.Replace(doc, `"moyens":2`, `"moyens":7`, 1),
	} {
		if errs := validate(t, s, []byte(bad)); len(errs) == 0 {
			t.Errorf("%s: the schema check found nothing", name)
		}
	}
}

// Every field the Go types write is in the schema, and the schema requires
// exactly the fields the writer never leaves out.
func TestSchemaMatchesTypes(t *testing.T) {
	defs := loadSchema(t)["$defs"].(map[string]any)
	types := map[string]any{"caf": exchange.Caf{}, "nomenclature": exchange.Nomenclature{}, "partner": exchange.Partner{},
		"ctg": exchange.CTG{}, "commune": exchange.Commune{}, "signatory": exchange.Signatory{},
		"objective": exchange.Objective{}, "target": exchange.Target{}, "open_data": exchange.OpenData{}, "instance": exchange.Instance{}, "post": exchange.Post{},
		"action": exchange.Action{}, "action_partner": exchange.ActionPartner{}, "milestone": exchange.Milestone{},
		"cofunder": exchange.Cofunder{}, "action_indicator": exchange.ActionIndicator{}, "record": exchange.Record{},
		"role": exchange.Role{}, "subject_status": exchange.SubjectStatus{}, "attachment": exchange.Attachment{},
		"action_update": exchange.ActionUpdate{}, "survey_wave": exchange.SurveyWave{}, "response": exchange.Response{},
		"evaluation": exchange.Evaluation{}, "appraisal": exchange.Appraisal{}}
	for name, v := range types {
		def, ok := defs[name].(map[string]any)
		if !ok {
			t.Errorf("$defs.%s missing", name)
			continue
		}
		all, required := jsonFields(reflect.TypeOf(v))
		if got := keys(def["properties"].(map[string]any)); !slices.Equal(got, all) {
			t.Errorf("$defs.%s properties %v, Go type writes %v", name, got, all)
		}
		if got := sorted(strs(def["required"].([]any))); !slices.Equal(got, required) {
			t.Errorf("$defs.%s required %v, Go type always writes %v", name, got, required)
		}
	}
}

func jsonFields(t reflect.Type) (all, required []string) {
	for i := range t.NumField() {
		name, opts, _ := strings.Cut(t.Field(i).Tag.Get("json"), ",")
		all = append(all, name)
		if !strings.Contains(opts, "omit") {
			required = append(required, name)
		}
	}
	sort.Strings(all)
	sort.Strings(required)
	return all, required
}

// The closed lists of the schema are the code's.
func TestSchemaEnumsMatchCode(t *testing.T) {
	defs := loadSchema(t)["$defs"].(map[string]any)
	enum := func(path ...string) []string {
		var x any = defs
		for _, p := range path {
			x = x.(map[string]any)[p]
		}
		return sorted(strs(x.([]any)))
	}
	var kinds, nomKinds, functions, items, indicators []string
	for _, i := range framework.Load().Indicators() {
		indicators = append(indicators, i.Code)
	}
	for _, s := range journal.Specs {
		kinds = append(kinds, string(s.Kind))
	}
	for _, k := range nomenclature.Kinds {
		nomKinds = append(nomKinds, string(k))
	}
	for _, f := range framework.Load().Functions() {
		functions = append(functions, f.Code)
	}
	for _, its := range survey.Items {
		for _, it := range its {
			items = append(items, it.Code)
		}
	}
	for name, c := range map[string][2][]string{
		"record kinds":      {enum("record", "properties", "kind", "enum"), sorted(kinds)},
		"nomenclature kind": {enum("nomenclature", "properties", "kind", "enum"), sorted(nomKinds)},
		"functions":         {enum("function", "enum"), sorted(functions)},
		"indicators":        {enum("target", "properties", "indicator", "enum"), sorted(indicators)},
		"survey items":      {enum("response", "properties", "scores", "propertyNames", "enum"), sorted(items)},
		"audiences":         {enum("survey_wave", "properties", "audience", "enum"), sorted(slices.Collect(mapsKeys(survey.Items)))},
	} {
		if !slices.Equal(c[0], c[1]) {
			t.Errorf("%s: schema %v, code %v", name, c[0], c[1])
		}
	}
}

func keys(m map[string]any) []string { return sorted(slices.Collect(mapsKeys(m))) }

func mapsKeys[V any](m map[string]V) func(func(string) bool) {
	return func(yield func(string) bool) {
		for k := range m {
			if !yield(k) {
				return
			}
		}
	}
}

func strs(xs []any) []string {
	out := make([]string, len(xs))
	for i, x := range xs {
		out[i] = x.(string)
	}
	return out
}

func sorted(s []string) []string { sort.Strings(s); return s }

// The demo, exported from a real database, is a valid document.
func TestDemoValidatesAgainstSchema(t *testing.T) {
	if testing.Short() {
		t.Skip("loads the demo")
	}
	db := storetest.Open(t, store.SQLite)
	if _, err := demo.Load(context.Background(), db); err != nil {
		t.Fatal(err)
	}
	var doc bytes.Buffer
	if _, err := db.Export(context.Background(), &doc, exchange.ExportOptions{}); err != nil {
		t.Fatal(err)
	}
	if errs := validate(t, loadSchema(t), doc.Bytes()); len(errs) > 0 {
		t.Errorf("%d errors, first ones:\n%s", len(errs), strings.Join(errs[:min(len(errs), 10)], "\n"))
	}
}
