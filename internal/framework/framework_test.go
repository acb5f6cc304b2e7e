package framework

import (
	"bytes"
	"encoding/json"
	"reflect"
	"regexp"
	"slices"
	"strings"
	"testing"
)

// domainCodes is the indicator catalogue of DOMAIN.md, in its order. It is
// hard-coded on purpose: the embedded data must match the document.
var domainCodes = []string{
	"S11a", "S11b", "E11",
	"S12a", "S12b", "E12",
	"S21a", "S21b", "E21",
	"S22", "E22",
	"S31", "E31",
	"S32a", "S32b", "E32",
	"S41", "E41",
	"S42", "E42",
}

func codes(ins []Indicator) []string {
	out := make([]string, len(ins))
	for i, in := range ins {
		out[i] = in.Code
	}
	return out
}

// clone gives a test its own mutable framework, decoupled from Load's.
func clone(t *testing.T) *Framework {
	t.Helper()
	data, err := json.Marshal(Load())
	if err != nil {
		t.Fatal(err)
	}
	var f Framework
	if err := json.Unmarshal(data, &f); err != nil {
		t.Fatal(err)
	}
	return &f
}

func TestCounts(t *testing.T) {
	f := Load()
	if got := len(f.Table.Objectives); got != 4 {
		t.Errorf("objectives = %d, want 4", got)
	}
	if got := len(f.Functions()); got != 8 {
		t.Errorf("functions = %d, want 8", got)
	}
	actions := 0
	for _, fn := range f.Functions() {
		actions += len(fn.Actions)
	}
	if actions != 16 {
		t.Errorf("actions = %d, want 16", actions)
	}
	if got := len(f.Indicators()); got != 20 {
		t.Errorf("indicators = %d, want 20", got)
	}
	wantFns := []string{"1.1", "1.2", "2.1", "2.2", "3.1", "3.2", "4.1", "4.2"}
	var gotFns []string
	for _, fn := range f.Functions() {
		gotFns = append(gotFns, fn.Code)
	}
	if !slices.Equal(gotFns, wantFns) {
		t.Errorf("function codes = %v, want %v", gotFns, wantFns)
	}
}

func TestVersionAndJob(t *testing.T) {
	f := Load()
	if f.Version != "ctg-cooperation-v1" {
		t.Errorf("version = %q", f.Version)
	}
	if f.Job.CostPerFTE != 48000 {
		t.Errorf("cost per FTE = %d, want 48000", f.Job.CostPerFTE)
	}
	wantSituation := "Rattaché aux services enfance, jeunesse et éducation, vie sociale ou directement à la direction générale"
	if !slices.Equal(f.Job.FunctionalSituation, []string{wantSituation}) {
		t.Errorf("functional situation = %q", f.Job.FunctionalSituation)
	}
	var headings []string
	for _, k := range f.Job.Knowledge {
		headings = append(headings, k.Heading)
	}
	if want := []string{"Savoirs généraux", "Savoirs socioprofessionnels", "Connaissances"}; !slices.Equal(headings, want) {
		t.Errorf("knowledge headings = %q, want %q", headings, want)
	}
	if n := len(f.Job.FunctionalRelations); n != 5 {
		t.Errorf("functional relations = %d, want 5", n)
	}
	withAttendus := 0
	for _, g := range f.Job.Activities {
		withAttendus += len(g.ExpectedOutcomes)
	}
	if withAttendus != 1 {
		t.Errorf("attendus = %d, want 1", withAttendus)
	}
}

func TestCatalogueCodesExactlyOnceInOrder(t *testing.T) {
	got := codes(Load().Indicators())
	for _, c := range domainCodes {
		if n := countOf(got, c); n != 1 {
			t.Errorf("%s appears %d times, want 1", c, n)
		}
	}
	if !slices.Equal(got, domainCodes) {
		t.Errorf("catalogue order = %v, want %v", got, domainCodes)
	}
}

func countOf(list []string, v string) int {
	n := 0
	for _, x := range list {
		if x == v {
			n++
		}
	}
	return n
}

func TestIndicatorTypesAndFunctions(t *testing.T) {
	evaluation := []string{"E11", "E12", "E21", "E22", "E31", "E32", "E41", "E42"}
	f := Load()
	for _, c := range domainCodes {
		in, ok := f.Indicator(c)
		if !ok {
			t.Fatalf("indicator %s missing", c)
		}
		want := TypeSuivi
		if slices.Contains(evaluation, c) {
			want = TypeEvaluation
		}
		if in.Type != want {
			t.Errorf("%s type = %q, want %q", c, in.Type, want)
		}
		if wantFn := c[1:2] + "." + c[2:3]; in.Function != wantFn {
			t.Errorf("%s function = %q, want %q", c, in.Function, wantFn)
		}
	}
}

func TestRules(t *testing.T) {
	f := Load()
	scopes := map[string]string{"S21a": ScopeDistinctPartners, "S32a": ScopeDistinctPartners, "E31": ScopeDistinctPartners, "E32": ScopeSurveyMean, "E42": ScopeSurveyMean}
	dates := map[string]string{"E12": DateTakenIntoAccount, "E21": DateTakenIntoAccount, "E31": DateFirstInvolvement, "S12a": DateUpdate, "E32": DateWave, "E42": DateWave}
	breakdowns := map[string]string{
		"S11a": "role", "S11b": "nature", "E11": "axis", "S12a": "axis", "S12b": "nature", "E12": "axis",
		"S21a": "", "S21b": "", "E21": "axis", "S22": "dispositif", "E22": "axis", "S31": "nature",
		"E31": "partner_type", "S32a": "partner_type", "S32b": "kind", "E32": "wave", "S41": "nature",
		"E41": "axis", "S42": "kind", "E42": "wave",
	}
	for _, in := range f.Indicators() {
		if want := orDefault(scopes, in.Code, ScopeSum); in.ScopeRule != want {
			t.Errorf("%s scope rule = %q, want %q", in.Code, in.ScopeRule, want)
		}
		if want := orDefault(dates, in.Code, DateRecord); in.PeriodDate != want {
			t.Errorf("%s period date = %q, want %q", in.Code, in.PeriodDate, want)
		}
		if in.Breakdown != breakdowns[in.Code] {
			t.Errorf("%s breakdown = %q, want %q", in.Code, in.Breakdown, breakdowns[in.Code])
		}
		if in.ChefDeProjetOnly != (in.Code == "S11a") {
			t.Errorf("%s chef_de_projet_only = %v", in.Code, in.ChefDeProjetOnly)
		}
	}
	s11b, _ := f.Indicator("S11b")
	if !slices.Equal(s11b.SecondaryBreakdowns, []string{"instance_kind"}) {
		t.Errorf("S11b secondary breakdowns = %q", s11b.SecondaryBreakdowns)
	}
	s22, _ := f.Indicator("S22")
	if !slices.Equal(s22.SecondaryBreakdowns, []string{"audience"}) {
		t.Errorf("S22 secondary breakdowns = %q", s22.SecondaryBreakdowns)
	}
	if want := "Nombre et nature des expertises mobilisées dans le Copil ou groupes de travail"; s11b.Label != want {
		t.Errorf("S11b label = %q", s11b.Label)
	}
}

// Every indicator's calculation rule is written in French for the pages
// (issue 11, item 4), apart from the English one the catalogue's data
// keeps: no English word, a sentence, and the seed's vocabulary.
func TestFrenchRules(t *testing.T) {
	english := regexp.MustCompile(`\b(Count|count|the|of|and|with|where|broken|down|otherwise|flagged|whose|records?|meetings?|partners|survey|wave|mean)\b`)
	for _, in := range Load().Indicators() {
		r := in.Regle
		if r == "" || r == in.Rule {
			t.Errorf("%s has no French rule: %q", in.Code, r)
			continue
		}
		if w := english.FindString(r); w != "" {
			t.Errorf("%s: the French rule holds the English word %q: %s", in.Code, w, r)
		}
		if !strings.HasPrefix(r, "Nombre") && !strings.HasPrefix(r, "Enquête") || !strings.HasSuffix(r, ".") {
			t.Errorf("%s: the French rule is not a sentence that says what it counts: %s", in.Code, r)
		}
	}
	// the rule of the breakdown, in the words of the seed and of DOMAIN.md
	for code, words := range map[string]string{"S11a": "chef(fe) de projet CTG", "S12b": "blocage, non-réalisation, retard",
		"E12": "prise en compte", "S21b": "préparation, d'animation ou de co-animation", "E31": "première implication",
		"E32": "vague finale moins celle de la vague initiale", "E41": "conception et à leur évaluation"} {
		if in, _ := Load().Indicator(code); !strings.Contains(in.Regle, words) {
			t.Errorf("%s: the French rule lacks %q: %s", code, words, in.Regle)
		}
	}
}

func orDefault(m map[string]string, k, def string) string {
	if v, ok := m[k]; ok {
		return v
	}
	return def
}

func TestLookups(t *testing.T) {
	f := Load()
	fn, ok := f.Function("2.2")
	if !ok || fn.Objective != 2 || fn.Title != "Contribution à l'animation et au suivi des travaux en commission" {
		t.Errorf("Function(2.2) = %+v, %v", fn, ok)
	}
	if got := []string{fn.Actions[0].Code, fn.Actions[1].Code}; !slices.Equal(got, []string{"2.2.1", "2.2.2"}) {
		t.Errorf("2.2 actions = %v", got)
	}
	if _, ok := f.Function("5.1"); ok {
		t.Error("Function(5.1) found")
	}
	if _, ok := f.Indicator("S99"); ok {
		t.Error("Indicator(S99) found")
	}
	if in, ok := f.Indicator("E32"); !ok || in.Unit != "score" {
		t.Errorf("Indicator(E32) = %+v, %v", in, ok)
	}
}

func TestIndicatorsOf(t *testing.T) {
	f := Load()
	cases := []struct {
		name  string
		fns   []string
		chef  bool
		codes []string
	}{
		{"chef with 1.1", []string{"1.1"}, true, []string{"S11a", "S11b", "E11"}},
		{"non-chef with 1.1", []string{"1.1"}, false, []string{"S11b", "E11"}},
		{"order follows catalogue", []string{"3.2", "2.1"}, false, []string{"S21a", "S21b", "E21", "S32a", "S32b", "E32"}},
		{"chef without 1.1", []string{"4.2"}, true, []string{"S42", "E42"}},
		{"no delegation", nil, true, []string{}},
		{"unknown function", []string{"9.9"}, false, []string{}},
	}
	for _, c := range cases {
		got := codes(f.IndicatorsOf(c.fns, c.chef))
		if !slices.Equal(got, c.codes) {
			t.Errorf("%s: IndicatorsOf(%v, %v) = %v, want %v", c.name, c.fns, c.chef, got, c.codes)
		}
	}
	all := []string{"1.1", "1.2", "2.1", "2.2", "3.1", "3.2", "4.1", "4.2"}
	if got := codes(f.IndicatorsOf(all, true)); !slices.Equal(got, domainCodes) {
		t.Errorf("full delegation = %v", got)
	}
	if got := len(f.IndicatorsOf(all, false)); got != 19 {
		t.Errorf("full delegation without chef = %d indicators, want 19", got)
	}
}

func TestJSONRoundTrip(t *testing.T) {
	data, err := json.Marshal(Load())
	if err != nil {
		t.Fatal(err)
	}
	again, err := Parse(data)
	if err != nil {
		t.Fatalf("parse of marshalled framework: %v", err)
	}
	if !reflect.DeepEqual(again, Load()) {
		t.Error("framework differs after a marshal/parse round trip")
	}
	// The structs must carry every field of the file: compare generically.
	var fromFile, fromStruct any
	if err := json.Unmarshal(embedded, &fromFile); err != nil {
		t.Fatal(err)
	}
	if err := json.Unmarshal(data, &fromStruct); err != nil {
		t.Fatal(err)
	}
	if !reflect.DeepEqual(fromFile, fromStruct) {
		t.Error("marshalled framework differs from the embedded file")
	}
}

func TestParseRejectsUnknownFields(t *testing.T) {
	bad := bytes.Replace(embedded, []byte(`"version":`), []byte(`"versio":`), 1)
	if _, err := Parse(bad); err == nil {
		t.Error("Parse accepted an unknown field")
	}
}

// allStrings collects every string of v, so text checks cannot miss a field.
func allStrings(v reflect.Value, out *[]string) {
	switch v.Kind() {
	case reflect.String:
		*out = append(*out, v.String())
	case reflect.Pointer:
		allStrings(v.Elem(), out)
	case reflect.Struct:
		for i := range v.NumField() {
			allStrings(v.Field(i), out)
		}
	case reflect.Slice:
		for i := range v.Len() {
			allStrings(v.Index(i), out)
		}
	}
}

func TestTextIsClean(t *testing.T) {
	var texts []string
	allStrings(reflect.ValueOf(Load()), &texts)
	if len(texts) < 150 {
		t.Fatalf("only %d strings collected", len(texts))
	}
	bad := []string{"<li>", "<b>", "<ul>", "</", "territorie", "mstrution", "**", "►", "\t", "  ", "co- ", "évolution des contractualisés"}
	for _, s := range texts {
		for _, b := range bad {
			if strings.Contains(s, b) {
				t.Errorf("text contains %q: %q", b, s)
			}
		}
		if s != strings.TrimSpace(s) {
			t.Errorf("text has surrounding spaces: %q", s)
		}
	}
}

func TestValidate(t *testing.T) {
	if err := Load().Validate(); err != nil {
		t.Fatalf("embedded framework invalid: %v", err)
	}
	// Each breakage names the message Validate must give, so a check that
	// fails for an unrelated reason does not pass unnoticed.
	breakages := []struct {
		want    string
		breakIt func(f *Framework)
	}{
		{"indicator S11a: duplicate code", func(f *Framework) { f.Table.Indicators[1].Code = "S11a" }},
		{`unknown function "5.1"`, func(f *Framework) { f.Table.Indicators[0].Function = "5.1" }},
		{"function 1.1: 3 actions, want 2", func(f *Framework) {
			f.Table.Functions[0].Actions = append(f.Table.Functions[0].Actions, Action{Code: "1.1.3", Title: "x"})
		}},
		{"indicator E11: code prefix does not match type", func(f *Framework) { f.Table.Indicators[2].Type = TypeSuivi }},
		{`breakdown "colour"`, func(f *Framework) { f.Table.Indicators[0].Breakdown = "colour" }},
		{"function 1.1: duplicate code", func(f *Framework) { f.Table.Functions[1].Code = "1.1" }},
		{"unknown objective 5", func(f *Framework) { f.Table.Functions[7].Objective = 5 }},
		{"cost per FTE 0", func(f *Framework) { f.Job.CostPerFTE = 0 }},
		{"version is empty", func(f *Framework) { f.Version = "" }},
		{"indicator S11b: label, short_label, rule and regle are required", func(f *Framework) { f.Table.Indicators[1].Regle = "" }},
		{"only survey indicators are scores", func(f *Framework) { f.Table.Indicators[15].Unit = "records" }},
		{"function 2.2: needs at least one suivi", func(f *Framework) {
			f.Table.Indicators[9].Type = TypeEvaluation
			f.Table.Indicators[9].Code = "E22b"
		}},
		{`action "2.2.9" must have code 2.2.2`, func(f *Framework) { f.Table.Functions[3].Actions[1].Code = "2.2.9" }},
	}
	for _, b := range breakages {
		f := clone(t)
		b.breakIt(f)
		err := f.Validate()
		if err == nil || !strings.Contains(err.Error(), b.want) {
			t.Errorf("want error containing %q, got %v", b.want, err)
		}
	}
}

func TestWriteText(t *testing.T) {
	var buf bytes.Buffer
	if err := Load().WriteText(&buf); err != nil {
		t.Fatal(err)
	}
	out := buf.String()
	for _, want := range []string{
		"ctg-cooperation-v1",
		"Objectif 3 : Animer la mise en réseau des acteurs",
		"  Fonction 4.2 : Conception et développement des supports d'information",
		"    Action 4.2.2 : Conception de supports de communication innovants",
		"    S11a [suivi] Nombre de réunions de l'instance de pilotage",
		"Coût indicatif : 48 000 € par ETP.",
		"    E42  [évaluation] Meilleure visibilité exprimée par les habitants",
	} {
		if !strings.Contains(out, want) {
			t.Errorf("text output lacks %q", want)
		}
	}
	for _, c := range domainCodes {
		if n := strings.Count(out, " "+c+" "); n != 1 {
			t.Errorf("%s printed %d times", c, n)
		}
	}
	if err := Load().WriteText(failingWriter{}); err == nil {
		t.Error("WriteText ignored a write error")
	}
}

type failingWriter struct{}

func (failingWriter) Write([]byte) (int, error) { return 0, bytes.ErrTooLarge }
