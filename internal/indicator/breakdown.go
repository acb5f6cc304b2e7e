package indicator

import "copilote/internal/nomenclature"

// Breakdown names a dimension of a figure and the nomenclature its keys
// come from, so that exports and pages can show labels instead of codes.
type Breakdown struct {
	Name string
	Kind nomenclature.Kind // "" when the keys are no nomenclature codes
}

// mainBreakdowns is the dimension of Figure.By for each code; S21b and the
// surveys have none (the surveys' waves stand in their place).
var mainBreakdowns = map[string]Breakdown{
	S11a: {"role", nomenclature.MeetingRole},
	S11b: {"nature", nomenclature.ExpertiseNature},
	E11:  {"axis", nomenclature.Axis},
	S12a: {"axis", nomenclature.Axis},
	S12b: {"nature", nomenclature.AlertNature},
	E12:  {"axis", nomenclature.Axis},
	S21a: {"partner_type", nomenclature.PartnerType},
	E21:  {"axis", nomenclature.Axis},
	S22:  {"dispositif", nomenclature.Dispositif},
	E22:  {"axis", nomenclature.Axis},
	S31:  {"nature", nomenclature.RelaisNature},
	E31:  {"partner_type", nomenclature.PartnerType},
	S32a: {"partner_type", nomenclature.PartnerType},
	S32b: {"kind", nomenclature.SupportKind},
	S41:  {"nature", nomenclature.IngenierieNat},
	E41:  {"axis", nomenclature.Axis},
	S42:  {"kind", nomenclature.SupportKind},
}

var otherBreakdowns = map[string]Breakdown{
	ByInstanceKind: {ByInstanceKind, nomenclature.InstanceKind},
	ByAudience:     {ByAudience, nomenclature.Audience},
	ByEitherOne:    {ByEitherOne, ""},
}

// MainBreakdown returns the dimension of code's By; ok is false when the
// figure has none.
func MainBreakdown(code string) (b Breakdown, ok bool) {
	b, ok = mainBreakdowns[code]
	return b, ok
}

// OtherBreakdown describes a key of Figure.Other.
func OtherBreakdown(name string) Breakdown {
	if b, ok := otherBreakdowns[name]; ok {
		return b
	}
	return Breakdown{Name: name}
}
