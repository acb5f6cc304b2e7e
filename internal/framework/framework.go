// Package framework holds the seed's two tables (the job reference of the
// chargés de coopération and the table of follow-up and evaluation
// indicators) as data embedded in the binary, so that every part of the
// product reads the same codes, labels and counting rules.
package framework

import (
	"bytes"
	_ "embed"
	"encoding/json"
	"errors"
	"fmt"
	"regexp"
	"slices"
	"strconv"
	"sync"
)

//go:embed framework.json
var embedded []byte

// Indicator types: "suivi" is followed during the convention, "evaluation"
// is read at the end of the multi-year period.
const (
	TypeSuivi      = "suivi"
	TypeEvaluation = "evaluation"
)

// Scope rules: how a figure at Caf or national level is made from CTG figures.
const (
	ScopeSum              = "sum"
	ScopeDistinctPartners = "distinct_partners"
	ScopeSurveyMean       = "survey_mean"
)

// Period date rules: which date puts a record in a reporting period.
const (
	DateRecord           = "record_date"
	DateTakenIntoAccount = "taken_into_account_date"
	DateFirstInvolvement = "first_involvement_date"
	DateUpdate           = "update_date"
	DateWave             = "wave_date"
)

const (
	// breakdownNone marks an indicator whose rule names no breakdown.
	breakdownNone = ""
	// Tableau 2 gives every function exactly two actions.
	actionsPerFunction = 2
)

// Allowed values, kept here so that Validate rejects a typo in the JSON
// before it silently produces an empty breakdown somewhere else.
var (
	validTypes       = []string{TypeSuivi, TypeEvaluation}
	validScopes      = []string{ScopeSum, ScopeDistinctPartners, ScopeSurveyMean}
	validPeriodDates = []string{DateRecord, DateTakenIntoAccount, DateFirstInvolvement, DateUpdate, DateWave}
	validUnits       = []string{"records", "meetings", "partners", "axes", "subjects", "score"}
	validBreakdowns  = []string{breakdownNone, "role", "nature", "axis", "partner_type", "kind", "dispositif", "wave"}
)

// Framework is the whole reference: Tableau 1 (Job) and Tableau 2 (Table).
type Framework struct {
	Version string         `json:"version"`
	Source  string         `json:"source"`
	Job     Job            `json:"job"`
	Table   IndicatorTable `json:"indicator_table"`
}

// Job is Tableau 1, the référentiel d'emploi.
type Job struct {
	Title                    string           `json:"title"`
	Definition               string           `json:"definition"`
	Context                  []string         `json:"context"`
	Activities               []ActivityGroup  `json:"activities"`
	Knowledge                []KnowledgeGroup `json:"knowledge"`
	AutonomyResponsibilities []string         `json:"autonomy_responsibilities"`
	FunctionalRelations      []string         `json:"functional_relations"`
	FunctionalSituation      []string         `json:"functional_situation"`
	Qualification            string           `json:"qualification"`
	EmploymentFrameworks     []string         `json:"employment_frameworks"`
	CostPerFTE               int              `json:"cost_per_fte_eur"`
}

// ActivityGroup is one heading of the job's activities; ExpectedOutcomes
// are its "attendus", which the end-of-period evaluation appraises.
type ActivityGroup struct {
	Heading          string   `json:"heading"`
	Items            []string `json:"items"`
	ExpectedOutcomes []string `json:"expected_outcomes"`
}

// KnowledgeGroup is one group of savoirs (généraux, socioprofessionnels…).
type KnowledgeGroup struct {
	Heading string   `json:"heading"`
	Items   []string `json:"items"`
}

// IndicatorTable is Tableau 2. Functions and indicators are flat lists
// linked by code, because posts are delegated functions, not objectives.
type IndicatorTable struct {
	Title        string      `json:"title"`
	Usage        string      `json:"usage"`
	Introduction string      `json:"introduction"`
	Objectives   []Objective `json:"objectives"`
	Functions    []Function  `json:"functions"`
	Indicators   []Indicator `json:"indicators"`
}

// Objective is one of the four objectives of Tableau 2.
type Objective struct {
	Number int    `json:"number"`
	Title  string `json:"title"`
}

// Function is a delegable function ("1.1" … "4.2") of an objective.
type Function struct {
	Code      string   `json:"code"`
	Objective int      `json:"objective"`
	Title     string   `json:"title"`
	Actions   []Action `json:"actions"`
}

// Action is one of the two actions of a function ("1.1.1", "1.1.2").
type Action struct {
	Code  string `json:"code"`
	Title string `json:"title"`
}

// Indicator is one entry of the catalogue. Breakdown is the key of the
// main breakdown ("by" in exports); Rule is the DOMAIN.md counting rule,
// in English, for those who read the catalogue's data (copilote framework);
// Regle is the same rule in French, the one pages show.
type Indicator struct {
	Code                string   `json:"code"`
	Function            string   `json:"function"`
	Type                string   `json:"type"`
	Label               string   `json:"label"`
	ShortLabel          string   `json:"short_label"`
	Breakdown           string   `json:"breakdown"`
	SecondaryBreakdowns []string `json:"secondary_breakdowns"`
	Unit                string   `json:"unit"`
	ScopeRule           string   `json:"scope_rule"`
	ChefDeProjetOnly    bool     `json:"chef_de_projet_only"`
	PeriodDate          string   `json:"period_date"`
	Rule                string   `json:"rule"`
	Regle               string   `json:"regle"`
}

var load = sync.OnceValue(func() *Framework {
	f, err := Parse(embedded)
	if err != nil {
		panic("framework: embedded framework.json: " + err.Error())
	}
	return f
})

// Load returns the embedded framework. It is parsed once and shared:
// callers must not modify it.
func Load() *Framework { return load() }

// Parse decodes and validates a framework document. Unknown fields are
// errors so that a renamed key in the JSON cannot be silently dropped.
func Parse(data []byte) (*Framework, error) {
	dec := json.NewDecoder(bytes.NewReader(data))
	dec.DisallowUnknownFields()
	var f Framework
	if err := dec.Decode(&f); err != nil {
		return nil, err
	}
	if dec.More() {
		return nil, errors.New("trailing data after the framework document")
	}
	if err := f.Validate(); err != nil {
		return nil, err
	}
	return &f, nil
}

// Indicator returns the indicator with that catalogue code.
func (f *Framework) Indicator(code string) (Indicator, bool) {
	i := slices.IndexFunc(f.Table.Indicators, func(in Indicator) bool { return in.Code == code })
	if i < 0 {
		return Indicator{}, false
	}
	return f.Table.Indicators[i], true
}

// Function returns the function with that code ("1.1" … "4.2").
func (f *Framework) Function(code string) (Function, bool) {
	i := slices.IndexFunc(f.Table.Functions, func(fn Function) bool { return fn.Code == code })
	if i < 0 {
		return Function{}, false
	}
	return f.Table.Functions[i], true
}

// Objective returns the objective with that number (1 … 4).
func (f *Framework) Objective(number int) (Objective, bool) {
	i := slices.IndexFunc(f.Table.Objectives, func(o Objective) bool { return o.Number == number })
	if i < 0 {
		return Objective{}, false
	}
	return f.Table.Objectives[i], true
}

// Functions returns the functions in table order; the slice is a copy.
func (f *Framework) Functions() []Function { return slices.Clone(f.Table.Functions) }

// Indicators returns the catalogue in DOMAIN.md order; the slice is a copy.
func (f *Framework) Indicators() []Indicator { return slices.Clone(f.Table.Indicators) }

// IndicatorsOf returns what a post is shown and evaluated on: the
// indicators of its delegated functions, in catalogue order, with the
// chef-de-projet-only ones (S11a) kept only for a chef de projet CTG.
func (f *Framework) IndicatorsOf(functionCodes []string, chefDeProjet bool) []Indicator {
	var out []Indicator
	for _, in := range f.Table.Indicators {
		if !slices.Contains(functionCodes, in.Function) {
			continue
		}
		if in.ChefDeProjetOnly && !chefDeProjet {
			continue
		}
		out = append(out, in)
	}
	return out
}

// Validate checks the internal consistency of the framework. It returns
// all problems at once so that a broken edit of the JSON is fixed in one go.
func (f *Framework) Validate() error {
	var errs []error
	if f.Version == "" {
		errs = append(errs, errors.New("version is empty"))
	}
	errs = append(errs, f.Job.validate()...)
	errs = append(errs, f.validateObjectives()...)
	errs = append(errs, f.validateFunctions()...)
	errs = append(errs, f.validateIndicators()...)
	return errors.Join(errs...)
}

func (j *Job) validate() []error {
	var errs []error
	if j.Definition == "" || len(j.Context) == 0 || len(j.Activities) == 0 || len(j.Knowledge) == 0 {
		errs = append(errs, errors.New("job: definition, context, activities and knowledge are required"))
	}
	if j.CostPerFTE <= 0 {
		errs = append(errs, fmt.Errorf("job: cost per FTE %d must be positive", j.CostPerFTE))
	}
	return errs
}

func (f *Framework) validateObjectives() []error {
	var errs []error
	for i, o := range f.Table.Objectives {
		// Objectives are numbered 1…n in order, since function codes start with the number.
		if o.Number != i+1 {
			errs = append(errs, fmt.Errorf("objective %d: expected number %d", o.Number, i+1))
		}
		if o.Title == "" {
			errs = append(errs, fmt.Errorf("objective %d: empty title", o.Number))
		}
	}
	return errs
}

func (f *Framework) validateFunctions() []error {
	var errs []error
	seen := map[string]bool{}
	for _, fn := range f.Table.Functions {
		if seen[fn.Code] {
			errs = append(errs, fmt.Errorf("function %s: duplicate code", fn.Code))
		}
		seen[fn.Code] = true
		errs = append(errs, f.validateFunction(fn)...)
	}
	return errs
}

var functionCode = regexp.MustCompile(`^([1-9])\.[1-9]$`)

func (f *Framework) validateFunction(fn Function) []error {
	var errs []error
	m := functionCode.FindStringSubmatch(fn.Code)
	if m == nil || m[1] != strconv.Itoa(fn.Objective) {
		errs = append(errs, fmt.Errorf("function %s: code must be <objective>.<n> with objective %d", fn.Code, fn.Objective))
	}
	if _, ok := f.Objective(fn.Objective); !ok {
		errs = append(errs, fmt.Errorf("function %s: unknown objective %d", fn.Code, fn.Objective))
	}
	if fn.Title == "" {
		errs = append(errs, fmt.Errorf("function %s: empty title", fn.Code))
	}
	if len(fn.Actions) != actionsPerFunction {
		errs = append(errs, fmt.Errorf("function %s: %d actions, want %d", fn.Code, len(fn.Actions), actionsPerFunction))
	}
	for i, a := range fn.Actions {
		if want := fmt.Sprintf("%s.%d", fn.Code, i+1); a.Code != want || a.Title == "" {
			errs = append(errs, fmt.Errorf("function %s: action %q must have code %s and a title", fn.Code, a.Code, want))
		}
	}
	if !f.hasType(fn.Code, TypeSuivi) || !f.hasType(fn.Code, TypeEvaluation) {
		errs = append(errs, fmt.Errorf("function %s: needs at least one suivi and one evaluation indicator", fn.Code))
	}
	return errs
}

func (f *Framework) hasType(function, typ string) bool {
	return slices.ContainsFunc(f.Table.Indicators, func(in Indicator) bool {
		return in.Function == function && in.Type == typ
	})
}

func (f *Framework) validateIndicators() []error {
	var errs []error
	seen := map[string]bool{}
	for _, in := range f.Table.Indicators {
		if seen[in.Code] {
			errs = append(errs, fmt.Errorf("indicator %s: duplicate code", in.Code))
		}
		seen[in.Code] = true
		errs = append(errs, f.validateIndicator(in)...)
	}
	return errs
}

// indicatorCode ties the code to its function and type: S11b is a suivi
// indicator of function 1.1, E32 an evaluation indicator of 3.2.
var indicatorCode = regexp.MustCompile(`^([SE])([1-9])([1-9])[a-z]?$`)

func (f *Framework) validateIndicator(in Indicator) []error {
	var errs []error
	bad := func(format string, args ...any) {
		errs = append(errs, fmt.Errorf("indicator %s: "+format, append([]any{in.Code}, args...)...))
	}
	m := indicatorCode.FindStringSubmatch(in.Code)
	if m == nil || in.Function != m[2]+"."+m[3] {
		bad("code does not match function %q", in.Function)
	}
	if m != nil && (m[1] == "S") != (in.Type == TypeSuivi) {
		bad("code prefix does not match type %q", in.Type)
	}
	if _, ok := f.Function(in.Function); !ok {
		bad("unknown function %q", in.Function)
	}
	if in.Label == "" || in.ShortLabel == "" || in.Rule == "" || in.Regle == "" {
		bad("label, short_label, rule and regle are required")
	}
	checkEnum := func(field, v string, allowed []string) {
		if !slices.Contains(allowed, v) {
			bad("%s %q not in %q", field, v, allowed)
		}
	}
	checkEnum("type", in.Type, validTypes)
	checkEnum("scope_rule", in.ScopeRule, validScopes)
	checkEnum("period_date", in.PeriodDate, validPeriodDates)
	checkEnum("unit", in.Unit, validUnits)
	checkEnum("breakdown", in.Breakdown, validBreakdowns)
	if (in.ScopeRule == ScopeSurveyMean) != (in.Unit == "score") {
		bad("only survey indicators are scores")
	}
	if in.ScopeRule == ScopeDistinctPartners && in.Unit != "partners" {
		bad("distinct_partners applies to partner counts only")
	}
	return errs
}
