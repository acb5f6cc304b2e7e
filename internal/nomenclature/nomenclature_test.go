package nomenclature

import "testing"

func TestEveryKindSeededWithUniqueCodes(t *testing.T) {
	seen := map[Kind]map[string]bool{}
	for _, v := range National {
		if seen[v.Kind] == nil {
			seen[v.Kind] = map[string]bool{}
		}
		if seen[v.Kind][v.Code] {
			t.Errorf("%s: code %s twice", v.Kind, v.Code)
		}
		seen[v.Kind][v.Code] = true
		if v.Label == "" {
			t.Errorf("%s/%s has no label", v.Kind, v.Code)
		}
	}
	for _, k := range Kinds {
		if len(seen[k]) < 2 {
			t.Errorf("kind %s has %d values", k, len(seen[k]))
		}
		if KindLabels[k] == "" {
			t.Errorf("kind %s has no label", k)
		}
	}
}

func TestCountingRuleCodesExist(t *testing.T) {
	for _, c := range []struct {
		k    Kind
		code string
	}{
		{MeetingKind, MeetingCopil}, {MeetingKind, MeetingVeille}, {MeetingKind, MeetingDiagnostic},
		{MeetingRole, RoleParticipation}, {SubjectStatus, SubjectTaken}, {SubjectOrigin, OriginAlert},
		{SubjectOrigin, OriginActionPlan}, {SubjectOrigin, OriginWatch}, {SubjectOrigin, OriginDiagnostic},
		{SupportAudience, AudienceHabitants}, {SurveyWaveKind, WaveInitial}, {SurveyWaveKind, WaveFinal},
	} {
		if !Default.Has(c.k, c.code) {
			t.Errorf("%s lacks %s", c.k, c.code)
		}
	}
	if got := Default.Label(AlertNature, "retard"); got != "Retard" {
		t.Errorf("label = %q", got)
	}
	if got := Default.Label(AlertNature, "gone"); got != "gone" {
		t.Errorf("missing label = %q", got)
	}
}
