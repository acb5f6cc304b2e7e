package exchange

import (
	"fmt"
	"slices"
	"strings"

	"copilote/internal/evaluation"
	"copilote/internal/nomenclature"
)

func (c *checker) action(v *Action) *Error {
	if e := c.ascending(SecActions, v.ID); e != nil {
		return e
	}
	ci, e := c.ctgOf("ctg_id", v.CTGID)
	if e != nil {
		return e
	}
	d := v.domain()
	if e := fromValidate(d.Validate(ci.jc.Nomenclature), ""); e != nil {
		return e
	}
	v.absorb(&d)
	ids := make([]int64, len(v.Partners))
	for i, p := range v.Partners {
		ids[i] = p.PartnerID
		if ref, ok := c.partners[p.PartnerID]; !ok || ref.caf != ci.caf {
			return fieldErr(fmt.Sprintf("partners[%d].partner_id", i), "partenaire %d inconnu dans cette Caf", p.PartnerID)
		}
	}
	if e := first(unique("partners", ids), unique("communes", v.Communes), stamped("created_at", v.CreatedAt),
		stamped("updated_at", v.UpdatedAt)); e != nil {
		return e
	}
	// a live fiche's code is unique in its CTG; deleted ones free theirs
	if v.DeletedAt.IsZero() {
		k := ctgCode{v.CTGID, v.Code}
		if c.liveCodes[k] {
			return fieldErr("code", "une autre fiche action de la CTG %d porte le code %q", v.CTGID, v.Code)
		}
		c.liveCodes[k] = true
	}
	c.actions[v.ID] = v.CTGID
	return nil
}

func (c *checker) actionUpdate(v *ActionUpdate) *Error {
	if e := c.ascending(SecActionUpdates, v.ID); e != nil {
		return e
	}
	owner, ok := c.actions[v.ActionID]
	if !ok {
		return fieldErr("action_id", "fiche action %d inconnue : elle doit figurer dans la section actions", v.ActionID)
	}
	ci := c.ctgs[owner]
	d := v.domain()
	if e := fromValidate(d.Validate(ci.jc.Nomenclature, ci.jc.Start, ci.jc.End), ""); e != nil {
		return e
	}
	if e := first(c.postExists("post_id", v.PostID), stamped("created_at", v.CreatedAt)); e != nil {
		return e
	}
	if v.AlertRecordID != 0 {
		if _, _, ok := c.records.find(v.AlertRecordID); !ok {
			return fieldErr("alert_record_id", "enregistrement %d inconnu", v.AlertRecordID)
		}
	}
	return nil
}

func (c *checker) surveyWave(v *SurveyWave) *Error {
	if e := c.ascending(SecSurveyWaves, v.ID); e != nil {
		return e
	}
	ci, e := c.ctgOf("ctg_id", v.CTGID)
	if e != nil {
		return e
	}
	c.waveCaf = ci.caf
	d := v.domain()
	if e := fromValidate(d.Validate(ci.jc.Nomenclature), ""); e != nil {
		return e
	}
	if e := required("token", v.Token); e != nil {
		return e
	}
	if c.tokens[v.Token] {
		return fieldErr("token", "une autre vague porte déjà ce lien")
	}
	c.tokens[v.Token] = true
	for i := range v.Responses {
		if e := c.response(&v.Responses[i], v.Audience, fmt.Sprintf("responses[%d].", i)); e != nil {
			return e
		}
	}
	return nil
}

func (c *checker) response(v *Response, audience, at string) *Error {
	if e := c.extraAnswers(v, audience, at); e != nil {
		return e
	}
	d := v.domain()
	if e := fromValidate(d.Validate(audience), at); e != nil {
		for i, f := range e.Fields {
			if item := strings.TrimPrefix(f.Field, at); item != "scores" && item != "comment" {
				e.Fields[i].Field = at + "scores." + item
			}
		}
		return e
	}
	v.Comment = d.Comment
	return stamped(at+"submitted_at", v.SubmittedAt)
}

func (c *checker) evaluation(v *Evaluation) *Error {
	if e := c.ascending(SecEvaluations, v.ID); e != nil {
		return e
	}
	if e := c.postExists("post_id", v.PostID); e != nil {
		return e
	}
	switch {
	case v.From.IsZero():
		return fieldErr("from", "ce champ est obligatoire")
	case v.To.IsZero():
		return fieldErr("to", "ce champ est obligatoire")
	case v.To.Civil().Before(v.From.Civil()):
		return fieldErr("to", "la fin de la période doit suivre son début")
	}
	k := evalKey{v.PostID, v.From, v.To}
	if c.periods[k] {
		return fieldErr("from", "le poste %d a déjà une évaluation sur cette période", v.PostID)
	}
	c.periods[k] = true
	if v.Status != "" && !slices.Contains(evaluation.Statuses, evaluation.Status(v.Status)) {
		return fieldErr("status", "statut inconnu %q", v.Status)
	}
	e := first(required("status", v.Status), stamped("created_at", v.CreatedAt), stamped("updated_at", v.UpdatedAt))
	if e != nil {
		return e
	}
	return c.appraisals(v)
}

func (c *checker) appraisals(v *Evaluation) *Error {
	n := c.ctgs[c.posts[v.PostID]].jc.Nomenclature
	fns := make([]string, len(v.Appraisals))
	for i, a := range v.Appraisals {
		fns[i] = a.Function
		at := fmt.Sprintf("appraisals[%d].", i)
		if !slices.Contains(c.functions, a.Function) {
			return fieldErr(at+"function", "fonction inconnue du référentiel : %q", a.Function)
		}
		if a.Level != "" && !n.Has(nomenclature.Appraisal, a.Level) {
			return fieldErr(at+"level", "appréciation inconnue %q", a.Level)
		}
		if a.ReviewLevel != "" && !n.Has(nomenclature.Appraisal, a.ReviewLevel) {
			return fieldErr(at+"review_level", "appréciation inconnue %q", a.ReviewLevel)
		}
	}
	return unique("appraisals", fns)
}
