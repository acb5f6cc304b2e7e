package exchange

import (
	"copilote/internal/actionplan"
	"copilote/internal/ctg"
	"copilote/internal/journal"
	"copilote/internal/partner"
	"copilote/internal/survey"
)

// Conversions to the domain types, whose Validate holds the rules the forms
// apply; after Validate, absorb takes back what it normalised (trimmed
// text, fields a record's kind does not use), so that the database holds
// what the forms would have saved.

func (v *Partner) domain() partner.Partner {
	return partner.Partner{ID: v.ID, CafID: v.CafID, Name: v.Name, Type: v.Type, SIRET: v.SIRET}
}

func (v *Partner) absorb(p *partner.Partner) { v.Name, v.SIRET = p.Name, p.SIRET }

func (v *CTG) domain() ctg.CTG {
	c := ctg.CTG{ID: v.ID, CafID: v.CafID, Name: v.Name, EPCISIREN: v.EPCISIREN, Population: v.Population,
		Start: v.Start.Civil(), End: v.End.Civil(), Axes: v.Axes}
	for _, m := range v.Communes {
		c.Communes = append(c.Communes, ctg.Commune{INSEE: m.INSEE, Name: m.Name, Population: m.Population})
	}
	for _, s := range v.Signatories {
		c.Signatories = append(c.Signatories, ctg.Signatory{Organisation: s.Organisation, RepresentedBy: s.RepresentedBy})
	}
	for _, o := range v.Objectives {
		c.Objectives = append(c.Objectives, ctg.DevObjective{ID: o.ID, Kind: o.Kind, Label: o.Label, Target: o.Target, Achieved: o.Achieved})
	}
	return c
}

func (v *Post) domain(ctgID int64) ctg.Post {
	return ctg.Post{ID: v.ID, CTGID: ctgID, Person: v.Person, Employer: v.Employer, ETP: ctg.ETP(v.ETP),
		Start: v.Start.Civil(), End: v.End.Civil(), ChefDeProjet: v.ChefDeProjet, Functions: v.Functions,
		Axes: v.Axes, AnnualCost: v.AnnualCost, CafCofunding: v.CafCofunding}
}

func (v *Post) absorb(p *ctg.Post) { v.Person, v.Employer = p.Person, p.Employer }

func (v *Instance) domain(ctgID int64) ctg.Instance {
	return ctg.Instance{ID: v.ID, CTGID: ctgID, Kind: v.Kind, Name: v.Name, Axis: v.Axis}
}

func (v *Action) domain() actionplan.Action {
	a := actionplan.Action{ID: v.ID, CTGID: v.CTGID, Code: v.Code, Title: v.Title, Axis: v.Axis,
		Objective: v.Objective, Finding: v.Finding, PilotStructure: v.PilotStructure, PilotPerson: v.PilotPerson,
		TargetPublic: v.TargetPublic, Steps: v.Steps, Start: v.Start.Civil(), End: v.End.Civil(),
		BudgetPlanned: v.BudgetPlanned, BudgetActual: v.BudgetActual, CafLever: v.CafLever, Priority: v.Priority,
		Status: v.Status, Progress: v.Progress}
	for _, m := range v.Milestones {
		a.Milestones = append(a.Milestones, actionplan.Milestone{Year: m.Year, Label: m.Label})
	}
	for _, c := range v.Cofunders {
		a.Cofunders = append(a.Cofunders, actionplan.Cofunder{Name: c.Name, Amount: c.Amount})
	}
	for _, i := range v.Indicators {
		a.Indicators = append(a.Indicators, actionplan.Indicator{Label: i.Label, Baseline: i.Baseline, Target: i.Target, Achieved: i.Achieved})
	}
	return a
}

func (v *Action) absorb(a *actionplan.Action) { v.Code, v.Title, v.Status = a.Code, a.Title, a.Status }

func (v *Record) domain() journal.Record {
	r := journal.Record{ID: v.ID, CTGID: v.CTGID, PostID: v.PostID, Kind: journal.Kind(v.Kind), Date: v.Date.Civil(),
		Title: v.Title, Comment: v.Comment, InstanceID: v.InstanceID, ActionID: v.ActionID, MeetingID: v.MeetingID,
		Axis: v.Axis, Nature: v.Nature, Audience: v.Audience, InstanceKind: v.InstanceKind,
		Facilitated: v.Facilitated, Innovative: v.Innovative, Network: v.Network,
		HabitantsConception: v.HabitantsConception, HabitantsEvaluation: v.HabitantsEvaluation,
		Status: v.Status, Origin: v.Origin, TakenOn: v.TakenOn.Civil(), TakenHow: v.TakenHow,
		RequestsExamined: v.RequestsExamined, PlacesAllocated: v.PlacesAllocated, LinkedOn: v.LinkedOn.Civil(),
		LinkedInstanceID: v.LinkedInstanceID, PartnerIDs: v.PartnerIDs}
	if len(v.Roles) > 0 {
		r.Roles = make([]journal.Role, len(v.Roles))
		for i, ro := range v.Roles {
			r.Roles[i] = journal.Role{PostID: ro.PostID, Role: ro.Role}
		}
	}
	return r
}

// absorb takes back every field Validate may have cleared or trimmed.
func (v *Record) absorb(r *journal.Record) {
	v.Title, v.Comment = r.Title, r.Comment
	v.InstanceID, v.ActionID, v.MeetingID = r.InstanceID, r.ActionID, r.MeetingID
	v.Nature, v.Audience, v.InstanceKind = r.Nature, r.Audience, r.InstanceKind
	v.Facilitated, v.Innovative, v.Network = r.Facilitated, r.Innovative, r.Network
	v.HabitantsConception, v.HabitantsEvaluation = r.HabitantsConception, r.HabitantsEvaluation
	v.Status, v.Origin, v.TakenOn, v.TakenHow = r.Status, r.Origin, Date(r.TakenOn), r.TakenHow
	v.RequestsExamined, v.PlacesAllocated = r.RequestsExamined, r.PlacesAllocated
	v.LinkedOn, v.LinkedInstanceID = Date(r.LinkedOn), r.LinkedInstanceID
	v.PartnerIDs = r.PartnerIDs
	if r.Roles == nil {
		v.Roles = nil
	}
}

func (v *ActionUpdate) domain() actionplan.Update {
	return actionplan.Update{ID: v.ID, ActionID: v.ActionID, PostID: v.PostID, Date: v.Date.Civil(),
		Status: v.Status, Percent: v.Percent, Difficulties: v.Difficulties, AlertRecordID: v.AlertRecordID}
}

func (v *SurveyWave) domain() survey.Wave {
	return survey.Wave{ID: v.ID, CTGID: v.CTGID, Audience: v.Audience, Kind: v.Kind, Date: v.Date.Civil(),
		Closes: v.Closes.Civil(), Token: v.Token, ClosedAt: v.ClosedAt.Std()}
}

func (v *Response) domain() survey.Response {
	return survey.Response{Scores: v.Scores, Comment: v.Comment, Source: v.Source}
}
