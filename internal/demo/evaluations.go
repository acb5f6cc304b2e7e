package demo

import (
	"time"

	"copilote/internal/civil"
	"copilote/internal/ctg"
	"copilote/internal/evaluation"
	"copilote/internal/report"
	"copilote/internal/store"
)

// The demo's evaluations (issue 10, item 6): the Diois chef de projet's,
// over the whole convention, written by her, reviewed by the advisor (who
// disagrees on one function) and validated, so frozen; her colleague's, a
// draft half written; and the Royans-Vercors chef de projet's, submitted,
// waiting for the advisor. Each step is written as the person who takes
// it, so that the evaluation's history names them.

// demoToday is the day the demo is shown on: the statuses frozen in the
// validated evaluation are read against it, whatever day the demo loads.
var demoToday = civil.New(2026, time.November, 27)

// frozenAppraisals is Élodie Charvet's self-appraisal, function by function.
var frozenAppraisals = []evaluation.Appraisal{
	{Function: "1.1", Level: "atteint", Comment: "Trois à quatre Copil par an préparés et animés avec le président de la communauté de communes ; les relevés de décision partent sous huit jours et chaque décision a son suivi."},
	{Function: "1.2", Level: "atteint", Comment: "Le plan d'actions est suivi axe par axe à chaque comité technique ; les fiches en retard ont fait l'objet d'une alerte au Copil."},
	{Function: "2.1", Level: "partiel", Comment: "Le diagnostic partagé a réuni les partenaires attendus, mais les groupes de travail jeunesse et mobilité se sont essoufflés en 2025."},
	{Function: "3.2", Level: "atteint", Comment: "Participation régulière au réseau drômois des coopérateurs ; deux supports communs réalisés avec lui."},
	{Function: "4.1", Level: "partiel", Comment: "Les habitants ont contribué à la conception de plusieurs projets, plus rarement à leur évaluation."},
	{Function: "4.2", Level: "atteint", Comment: "Guide des services aux familles diffusé dans les mairies et en ligne ; lettre d'information semestrielle."},
}

// frozenReview is the advisor's reading: he holds 4.1 below her level.
var frozenReview = []evaluation.Appraisal{
	{Function: "2.1", ReviewComment: "D'accord : relancer les groupes de travail dès le début de la prochaine convention."},
	{Function: "4.1", ReviewLevel: "non_atteint", ReviewComment: "Aucun projet n'a associé les habitants à son évaluation en 2025 et 2026 : l'attendu n'est pas atteint."},
}

// evaluations writes the demo's two evaluations, in the Diois.
func (l *loader) evaluations() error {
	s := l.sites[diois]
	chef, colleague := s.officers[0].post, s.officers[1].post
	adv, err := l.db.UserByEmail(l.ctx, email(advisor.first, advisor.last))
	if err != nil {
		return err
	}
	id, err := l.frozenEvaluation(chef, adv.ID)
	if err != nil {
		return err
	}
	if err := l.validate(id, adv.ID, adv.Name); err != nil {
		return err
	}
	if err := l.draftEvaluation(colleague); err != nil {
		return err
	}
	return l.submittedEvaluation(l.sites[1].officers[0].post)
}

// frozenEvaluation opens, writes and submits the chef de projet's
// evaluation, and the advisor reviews it.
func (l *loader) frozenEvaluation(p ctg.Post, advisorID int64) (int64, error) {
	s := l.sites[diois]
	e := evaluation.Evaluation{From: s.ctg.Start, To: s.ctg.End}
	err := l.db.Write(l.ctx, p.UserID, func(tx *store.Tx) error {
		if err := tx.CreateEvaluation(&e, s.ctg, p); err != nil {
			return err
		}
		in := evaluation.Evaluation{Appraisals: frozenAppraisals,
			Strengths: "Une gouvernance installée : le Copil se réunit à date, ses décisions sont suivies et les élus s'appuient sur la cheffe de projet.\n\n" +
				"Un réseau de partenaires élargi chaque année, jusqu'aux communes du Haut-Diois.",
			Difficulties:    "L'étendue du territoire et la saisonnalité : les réunions en soirée l'hiver restent peu suivies dans les villages.",
			Recommendations: "Associer les habitants à l'évaluation des projets dès leur conception ; reprendre la compétence enfance-jeunesse à l'échelle intercommunale."}
		if err := e.SetOfficerPart(p, l.n, in); err != nil {
			return err
		}
		if err := tx.SaveEvaluation(&e); err != nil {
			return err
		}
		if err := e.CheckSubmit(p); err != nil {
			return err
		}
		return tx.SubmitEvaluation(&e)
	})
	if err != nil {
		return 0, err
	}
	err = l.db.Write(l.ctx, advisorID, func(tx *store.Tx) error {
		in := evaluation.Evaluation{Review: "Une évaluation juste et documentée. La fonction de coordination du Copil est pleinement assurée ; " +
			"la participation des habitants reste l'axe de progrès de la prochaine convention."}
		in.Appraisals = frozenReview
		if err := e.SetReview(p, l.n, in); err != nil {
			return err
		}
		return tx.SaveEvaluation(&e)
	})
	return e.ID, err
}

// validate freezes evaluation id as the advisor does: its document with
// the figures of the demo, read against the demo's day.
func (l *loader) validate(id, advisorID int64, name string) error {
	d, err := report.GatherPostEvaluation(l.ctx, l.db, id, demoToday)
	if err != nil {
		return err
	}
	snapshot, err := report.Snapshot(report.PostEvaluationDocument(d))
	if err != nil {
		return err
	}
	return l.db.Write(l.ctx, advisorID, func(tx *store.Tx) error {
		e, err := tx.Evaluation(id)
		if err != nil {
			return err
		}
		return tx.ValidateEvaluation(&e, snapshot, d.Version, advisorID, name)
	})
}

// submittedEvaluation opens, writes and submits the Royans-Vercors chef de
// projet's evaluation.
func (l *loader) submittedEvaluation(p ctg.Post) error {
	s := l.sites[1]
	return l.db.Write(l.ctx, p.UserID, func(tx *store.Tx) error {
		e := evaluation.Evaluation{From: s.ctg.Start, To: s.ctg.End}
		if err := tx.CreateEvaluation(&e, s.ctg, p); err != nil {
			return err
		}
		in := evaluation.Evaluation{Strengths: "Une coordination petite enfance désormais portée par la communauté de communes.",
			Difficulties:    "Le logement des saisonniers dépasse les leviers de la CTG.",
			Recommendations: "Ouvrir un groupe de travail avec les employeurs du plateau dès la signature.",
			Appraisals: []evaluation.Appraisal{
				{Function: "1.1", Level: "atteint", Comment: "Copil réguliers, élus présents."},
				{Function: "1.2", Level: "atteint", Comment: "Plan d'actions suivi à chaque comité technique."},
				{Function: "2.1", Level: "partiel", Comment: "Diagnostic partagé mené, veille irrégulière en 2025."},
				{Function: "2.2", Level: "atteint", Comment: "Commissions d'admission suivies avec le RPE."},
				{Function: "3.1", Level: "partiel", Comment: "Les employeurs de saisonniers restent peu mobilisés."}}}
		if err := e.SetOfficerPart(p, l.n, in); err != nil {
			return err
		}
		if err := tx.SaveEvaluation(&e); err != nil {
			return err
		}
		if err := e.CheckSubmit(p); err != nil {
			return err
		}
		return tx.SubmitEvaluation(&e)
	})
}

// draftEvaluation opens the colleague's evaluation and writes part of it.
func (l *loader) draftEvaluation(p ctg.Post) error {
	s := l.sites[diois]
	return l.db.Write(l.ctx, p.UserID, func(tx *store.Tx) error {
		e := evaluation.Evaluation{From: s.ctg.Start, To: s.ctg.End}
		if err := tx.CreateEvaluation(&e, s.ctg, p); err != nil {
			return err
		}
		in := evaluation.Evaluation{Strengths: "Des relais solides entre la Caf et les associations de Die.",
			Appraisals: []evaluation.Appraisal{{Function: "3.1", Level: "atteint",
				Comment: "Les partenaires institutionnels du CDSF sont informés à chaque commission territoriale."}}}
		if err := e.SetOfficerPart(p, l.n, in); err != nil {
			return err
		}
		return tx.SaveEvaluation(&e)
	})
}
