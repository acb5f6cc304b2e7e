// Package msg holds every French sentence that Go code shows to users, behind
// stable keys, so that wording is changed in one place and a test proves no
// key lacks its text.
package msg

import "fmt"

type Key string

const (
	ErrInternal         Key = "err.internal"
	ErrForm             Key = "err.form"
	ErrNotFound         Key = "err.not_found"
	ErrForbidden        Key = "err.forbidden"
	ErrLogin            Key = "err.login"
	ErrLoginRequired    Key = "err.login_required"
	ErrCSRF             Key = "err.csrf"
	ErrConflict         Key = "err.conflict"
	ErrLoginWait        Key = "err.login_wait"
	ErrLoginWaitMinute  Key = "err.login_wait_minute"
	ErrBusy             Key = "err.busy"
	Required            Key = "field.required"
	InvalidDate         Key = "field.date"
	InvalidNumber       Key = "field.number"
	InvalidEmail        Key = "field.email"
	InvalidText         Key = "field.text"
	InvalidSIRET        Key = "field.siret"
	InvalidSIREN        Key = "field.siren"
	InvalidChoice       Key = "field.choice"
	DateOrder           Key = "field.date_order"
	DateOutsideCTG      Key = "field.date_outside_ctg"
	DateRange           Key = "field.date_range"
	ConventionTooLong   Key = "field.convention_too_long"
	PeriodOutsideCTG    Key = "period.outside_ctg"
	PeriodOutsideYears  Key = "period.outside_years"
	YearClosed          Key = "period.year_closed"
	YearAlreadyClosed   Key = "period.year_already_closed"
	YearNotClosed       Key = "period.year_not_closed"
	YearNotInConvention Key = "period.year_not_in_convention"
	ReopenReason        Key = "period.reopen_reason"
	SSOExpired          Key = "sso.expired"
	SSOUnknownAccount   Key = "sso.unknown_account"
	SSOEmailNotVerified Key = "sso.email_not_verified"
	SSOFailed           Key = "sso.failed"
	EraseActive         Key = "rgpd.erase_active"
	DatabaseDown        Key = "err.database_down"
	ErasedAccount       Key = "rgpd.erased_account"
	EraseConfirm        Key = "rgpd.erase_confirm"
	TooLong             Key = "field.too_long"
	Range               Key = "field.range"
	PasswordShort       Key = "field.password_short"
	EmailTaken          Key = "field.email_taken"
	UnknownEPCI         Key = "field.unknown_epci"
	UnknownFunction     Key = "field.unknown_function"
	NoFunction          Key = "field.no_function"
	PostNotInCTG        Key = "field.post_not_in_ctg"
	MeetingNoRole       Key = "field.meeting_no_role"
	ActionCodeTaken     Key = "field.action_code_taken"
	FileTooLarge        Key = "field.file_too_large"
	FileType            Key = "field.file_type"
	PostHolder          Key = "field.post_holder"
	GrantOtherCaf       Key = "field.grant_other_caf"
	GrantUnknownCTG     Key = "field.grant_unknown_ctg"
	NotYourRecord       Key = "err.not_your_record"
	NotFoundCTG         Key = "notfound.ctg"
	NotFoundPost        Key = "notfound.post"
	NotFoundRecord      Key = "notfound.record"
	NotFoundPartner     Key = "notfound.partner"
	NotFoundAction      Key = "notfound.action"
	NotFoundUser        Key = "notfound.user"
	NotFoundCaf         Key = "notfound.caf"
	DatabaseNotEmpty    Key = "db.not_empty"
	DatabaseMissing     Key = "db.missing"
	MigrationGap        Key = "db.migration_gap"
	MigrationTooRecent  Key = "db.migration_too_recent"
	ExportTooManyRows   Key = "export.too_many_rows"
	// documents (issue 10: PDF, workbooks, bilan, pack Copil, matrice)
	DocumentsBusy Key = "document.busy"

	// surveys in the browser (issue 10, item 1)
	NotFoundWave           Key = "notfound.wave"
	NotFoundQuestion       Key = "notfound.question"
	SurveyNoScore          Key = "survey.no_score"
	SurveyNotOpenYet       Key = "survey.not_open_yet"
	SurveyClosed           Key = "survey.closed"
	SurveyAnswered         Key = "survey.answered"
	SurveyTooMany          Key = "survey.too_many"
	SurveyPaperNotOpen     Key = "survey.paper_not_open"
	SurveyTooLong          Key = "survey.too_long"
	SurveyAlreadyClosed    Key = "survey.already_closed"
	SurveyHasResponses     Key = "survey.has_responses"
	SurveyTooManyQuestions Key = "survey.too_many_questions"
	SurveyTitle            Key = "survey.title"
	SurveyForPartners      Key = "survey.for_partners"
	SurveyForResidents     Key = "survey.for_residents"
	SurveyDates            Key = "survey.dates"
	SurveyIntro            Key = "survey.intro"
	SurveyStatement        Key = "survey.statement"
	SurveyCafQuestions     Key = "survey.caf_questions"
	SurveyComment          Key = "survey.comment"
	SurveyOnline           Key = "survey.online"
	SurveyReturn           Key = "survey.return"
	SurveyScale            Key = "survey.scale"
	Likert1                Key = "survey.likert1"
	Likert2                Key = "survey.likert2"
	Likert3                Key = "survey.likert3"
	Likert4                Key = "survey.likert4"
	Likert5                Key = "survey.likert5"
	// evaluation of a post, and the views above it (internal/evaluation, report, web)
	NotFoundEvaluation     Key = "notfound.evaluation"
	EvaluationStatus       Key = "evaluation.status"
	EvaluationPeriodPost   Key = "evaluation.period_post"
	EvaluationExists       Key = "evaluation.exists"
	EvaluationNotDelegated Key = "evaluation.not_delegated"
	EvaluationLevelMissing Key = "evaluation.level_missing"
	EvaluationReturnWhy    Key = "evaluation.return_why"
	EvaluationNotHolder    Key = "evaluation.not_holder"
	EvaluationOfficerSpan  Key = "evaluation.officer_span"
	EvaluationDataMoved    Key = "evaluation.data_moved"
	EvaluationScope        Key = "evaluation.scope"
	EvaluationTargets      Key = "evaluation.targets"
	EvaluationFrozen       Key = "evaluation.frozen"
	EvaluationDiffers      Key = "evaluation.differs"
	EvaluationSame         Key = "evaluation.same"
	EvaluationLive         Key = "evaluation.live"
	EvaluationCostRule     Key = "evaluation.cost_rule"
	EvaluationSurveyNA     Key = "evaluation.survey_na"
	EvaluationNoObjective  Key = "evaluation.no_objective"
	EvaluationNoText       Key = "evaluation.no_text"
	EvaluationNoWave       Key = "evaluation.no_wave"
	EvaluationDiffIntro    Key = "evaluation.diff_intro"
	EvaluationAppraisalRef Key = "evaluation.appraisal_ref"
	SummaryAggregated      Key = "summary.aggregated"
	SummaryNoEvaluation    Key = "summary.no_evaluation"
	SummaryCostRule        Key = "summary.cost_rule"
	SummarySurveyRule      Key = "summary.survey_rule"
	SummaryCTGCriteria     Key = "summary.ctg_criteria"
	// issue 11, items 3 to 5: input kept across an expired page or session,
	// merge proposals (internal/web keep.go, partners)
	KeptStale   Key = "kept.stale"
	KeptSignIn  Key = "kept.sign_in"
	KeptResumed Key = "kept.resumed"
	KeptFiles   Key = "kept.files"
	// merge proposals
	MergeProposed    Key = "merge.proposed"
	MergeSamePartner Key = "merge.same"
	MergeGone        Key = "merge.gone"
	NotFoundProposal Key = "merge.not_found"
)

var fr = map[Key]string{
	ErrInternal:         "Une erreur inattendue est survenue. Réessayez ; si elle persiste, signalez-la à l'administrateur de la Caf.",
	ErrForm:             "Le formulaire contient des erreurs : corrigez les champs signalés.",
	ErrNotFound:         "Cette page n'existe pas ou n'existe plus.",
	ErrForbidden:        "Vous n'avez pas accès à cette page.",
	ErrLogin:            "Adresse électronique ou mot de passe incorrect.",
	ErrLoginRequired:    "Connectez-vous pour accéder à cette page.",
	ErrCSRF:             "La page a expiré : rechargez-la et envoyez à nouveau le formulaire.",
	ErrConflict:         "Cet enregistrement a été modifié entre-temps : rechargez la page.",
	ErrLoginWait:        "Trop de tentatives de connexion. Réessayez dans %d minutes.",
	ErrLoginWaitMinute:  "Trop de tentatives de connexion. Réessayez dans une minute.",
	ErrBusy:             "Le service est très sollicité : réessayez dans un instant.",
	Required:            "Ce champ est obligatoire.",
	InvalidDate:         "Saisissez une date valide, par exemple 15/03/2025.",
	InvalidNumber:       "Saisissez un nombre.",
	InvalidEmail:        "Saisissez une adresse électronique valide, par exemple nom@caf.fr.",
	InvalidText:         "Ce texte contient des caractères non valides.",
	InvalidSIRET:        "Le SIRET compte 14 chiffres et doit être valide.",
	InvalidSIREN:        "Le SIREN compte 9 chiffres.",
	InvalidChoice:       "Choisissez une valeur de la liste.",
	DateOrder:           "La date de fin doit suivre la date de début.",
	DateOutsideCTG:      "La date doit se situer dans la période de la convention (%s – %s).",
	DateRange:           "Saisissez une date comprise entre %d et %d.",
	ConventionTooLong:   "Une convention dure au plus %d ans.",
	PeriodOutsideCTG:    "Choisissez une période comprise dans la convention, du %s au %s.",
	PeriodOutsideYears:  "Choisissez une année de %d à %d, les années des conventions.",
	YearClosed:          "L'année %d de cette CTG est close : ses enregistrements, points d'avancement et cibles ne changent plus. Un administrateur de la Caf peut la rouvrir.",
	YearAlreadyClosed:   "L'année %d de cette CTG est déjà close.",
	YearNotClosed:       "L'année %d de cette CTG n'est pas close.",
	YearNotInConvention: "L'année %d n'appartient pas à la convention.",
	ReopenReason:        "Indiquez pourquoi l'année est rouverte : le motif est conservé dans l'historique.",
	SSOExpired:          "Cette demande de connexion a expiré ou a déjà servi : recommencez la connexion.",
	SSOUnknownAccount:   "Aucun compte Copilote actif n'est ouvert à l'adresse %s : demandez à l'administrateur ou l'administratrice Copilote de votre Caf de vous en créer un, à cette adresse.",
	SSOEmailNotVerified: "Votre fournisseur d'identité n'a pas vérifié votre adresse électronique : Copilote ne peut pas vous reconnaître. Faites-la vérifier auprès de lui, ou connectez-vous avec votre mot de passe Copilote.",
	SSOFailed:           "La connexion par votre fournisseur d'identité a échoué. Réessayez ; si cela persiste, connectez-vous avec votre mot de passe Copilote et prévenez l'administrateur de la Caf.",
	DatabaseDown:        "La base de données ne répond pas pour le moment (redémarrage ou maintenance). Réessayez dans une minute ; si vous envoyiez un formulaire, vérifiez ensuite qu'il a bien été enregistré avant de le renvoyer.",
	EraseActive:         "Désactivez d'abord ce compte : on n'efface que les données d'une personne partie.",
	ErasedAccount:       "Les données de ce compte ont été effacées : il ne peut plus être réactivé. Créez un nouveau compte si la personne revient.",
	EraseConfirm:        "Cochez la case pour confirmer l'effacement : il est définitif.",
	TooLong:             "Ce texte est trop long (%d caractères au plus).",
	Range:               "La valeur doit être comprise entre %v et %v.",
	PasswordShort:       "Le mot de passe doit compter au moins %d caractères.",
	EmailTaken:          "Un compte existe déjà avec cette adresse.",
	UnknownEPCI:         "Aucun EPCI ne porte ce SIREN.",
	UnknownFunction:     "Fonction inconnue : %s.",
	NoFunction:          "Déléguez au moins une fonction au poste.",
	PostNotInCTG:        "Ce poste n'appartient pas à cette CTG.",
	MeetingNoRole:       "Indiquez au moins un rôle du coopérateur dans la réunion.",
	ActionCodeTaken:     "Une fiche action de cette CTG porte déjà ce code.",
	FileTooLarge:        "Le fichier dépasse la taille maximale (%s).",
	FileType:            "Type de fichier non accepté : joignez un PDF, une image (PNG, JPEG), un document bureautique (Word, Excel, PowerPoint, OpenDocument) ou un fichier texte.",
	PostHolder:          "Le compte doit être celui d'un(e) chargé(e) de coopération actif(ve) de la Caf de cette CTG.",
	GrantOtherCaf:       "La CTG %d relève d'une autre Caf que celle de ce compte.",
	GrantUnknownCTG:     "La CTG %d n'existe pas.",
	NotYourRecord:       "Seul(e) l'auteur(e) de cet enregistrement, un(e) conseiller(ère) ou un(e) administrateur(rice) peut le modifier.",
	NotFoundCTG:         "Cette CTG n'existe pas.",
	NotFoundPost:        "Ce poste n'existe pas.",
	NotFoundRecord:      "Cet enregistrement n'existe pas.",
	NotFoundPartner:     "Ce partenaire n'existe pas.",
	NotFoundAction:      "Cette fiche action n'existe pas.",
	NotFoundUser:        "Ce compte n'existe pas.",
	NotFoundCaf:         "Cette Caf n'existe pas.",
	DatabaseNotEmpty:    "La base n'est pas vide : les données de démonstration ne se chargent que dans une base vide.",
	DatabaseMissing:     "La base %s n'existe pas : vérifiez --db (seules les commandes serve, migrate, import, synth et user add créent une base).",
	MigrationGap:        "Migrations incohérentes : la version %d manque.",
	MigrationTooRecent:  "La base est à la version %d, plus récente que ce programme (%d) : mettez Copilote à jour.",
	ExportTooManyRows:   "Une feuille Excel ne peut pas dépasser %s lignes, et cet export en compte %s : resserrez les filtres (période, type…) ou choisissez le format CSV.",
	// documents (issue 10)
	DocumentsBusy: "Beaucoup de documents sont en cours de production : réessayez dans quelques secondes. La page elle-même reste consultable.",

	// surveys in the browser (issue 10, item 1)
	NotFoundWave:           "Cette vague d'enquête n'existe pas.",
	NotFoundQuestion:       "Cette question n'existe pas.",
	SurveyNoScore:          "Répondez au moins à une des affirmations.",
	SurveyNotOpenYet:       "Ce questionnaire n'est pas encore ouvert : il le sera à partir du %s. Revenez à cette date, merci.",
	SurveyClosed:           "Ce questionnaire est clos depuis le %s : il n'accepte plus de réponses. Merci de l'intérêt que vous y portez.",
	SurveyAnswered:         "Vous avez déjà répondu à ce questionnaire depuis cet appareil : une seule réponse par personne est prise en compte. Merci de votre participation.",
	SurveyTooMany:          "De nombreuses réponses arrivent en ce moment : votre réponse n'a pas été enregistrée. Réessayez dans quelques minutes.",
	SurveyPaperNotOpen:     "Cette vague n'est pas encore ouverte : les réponses papier se saisissent à partir du %s.",
	SurveyTooLong:          "Une vague reste ouverte %d jours au plus : choisissez une date de clôture plus proche.",
	SurveyAlreadyClosed:    "Cette vague est déjà close.",
	SurveyHasResponses:     "Cette vague a reçu des réponses : elle ne peut plus être supprimée, seulement close.",
	SurveyTooManyQuestions: "Votre Caf pose déjà %d questions propres à ce public : retirez-en une avant d'en ajouter.",
	SurveyTitle:            "Enquête sur la visibilité de la Convention territoriale globale",
	SurveyForPartners:      "Questionnaire des partenaires",
	SurveyForResidents:     "Questionnaire des habitants",
	SurveyDates:            "%s – vague %s, à remplir du %s au %s",
	SurveyIntro:            "Vos réponses sont anonymes : n'inscrivez ni votre nom ni vos coordonnées. Pour chaque affirmation, cochez une seule case, de 1 (pas du tout d'accord) à 5 (tout à fait d'accord). Laissez la ligne vide si vous ne savez pas.",
	SurveyStatement:        "Affirmation",
	SurveyCafQuestions:     "Questions de la Caf",
	SurveyComment:          "Vos remarques (facultatif)",
	SurveyOnline:           "Vous pouvez aussi répondre en ligne, sur un téléphone ou un ordinateur :",
	SurveyReturn:           "Merci de remettre ce questionnaire à la personne qui vous l'a confié.",
	SurveyScale:            "1 = pas du tout d'accord · 2 = plutôt pas d'accord · 3 = ni d'accord ni pas d'accord · 4 = plutôt d'accord · 5 = tout à fait d'accord",
	Likert1:                "Pas du tout d'accord",
	Likert2:                "Plutôt pas d'accord",
	Likert3:                "Ni d'accord ni pas d'accord",
	Likert4:                "Plutôt d'accord",
	Likert5:                "Tout à fait d'accord",
	// evaluation of a post, and the views above it
	NotFoundEvaluation:     "Cette évaluation n'existe pas.",
	EvaluationStatus:       "Cette évaluation est maintenant « %s » : cette action n'est plus possible. Rechargez la page.",
	EvaluationPeriodPost:   "La période doit couvrir au moins un jour du poste (%s).",
	EvaluationExists:       "Ce poste a déjà une évaluation sur cette période.",
	EvaluationNotDelegated: "La fonction %s n'est pas déléguée à ce poste : le poste n'est évalué que sur ses fonctions déléguées.",
	EvaluationLevelMissing: "Choisissez une appréciation pour la fonction %s avant de soumettre l'évaluation.",
	EvaluationReturnWhy:    "Expliquez dans votre avis ce que le/la chargé(e) de coopération doit reprendre.",
	EvaluationNotHolder:    "Seul(e) le/la titulaire du poste rédige et soumet son auto-évaluation.",
	EvaluationOfficerSpan:  "Vous pouvez ouvrir l'évaluation de votre poste sur la période de la convention ; pour une autre période, adressez-vous à votre conseiller(ère) territorial(e).",
	EvaluationDataMoved:    "Des données ont changé pendant la validation : validez à nouveau pour figer les chiffres à jour.",
	EvaluationScope:        "Le poste est évalué sur les seules fonctions qui lui sont déléguées, avec les indicateurs de ces fonctions (l'indicateur S11a ne concerne que le ou la chef(fe) de projet CTG) et les activités et attendus que le référentiel d'emploi leur associe.",
	EvaluationTargets:      "Les cibles et valeurs de référence (à la signature) sont celles de la CTG ; le statut compare la valeur du poste à la cible de la CTG sur la même période.",
	EvaluationFrozen:       "Évaluation validée et figée le %s par %s : ses chiffres sont ceux de ce jour-là, quelles que soient les saisies ultérieures.",
	EvaluationDiffers:      "Les chiffres d'aujourd'hui diffèrent de ceux figés sur %d point(s) : voir la section « Écarts avec les chiffres d'aujourd'hui ».",
	EvaluationSame:         "Les chiffres d'aujourd'hui sont identiques à ceux figés à la validation.",
	EvaluationLive:         "Évaluation « %s » : ses chiffres sont calculés aujourd'hui et seront figés à la validation.",
	EvaluationCostRule:     "Coût annuel du poste et cofinancement annuel de la Caf, proratisés aux jours du poste dans la période (chaque année comptée pour ses 365 ou 366 jours).",
	EvaluationSurveyNA:     "Non disponible : il faut une vague initiale et une vague finale avec des réponses dans la période ; les moyennes des vagues restent indiquées.",
	EvaluationNoObjective:  "Aucun objectif de développement n'est saisi pour cette CTG.",
	EvaluationNoText:       "Non renseigné.",
	EvaluationNoWave:       "Aucune vague d'enquête dans la période.",
	EvaluationDiffIntro:    "Chiffres qui ont changé depuis la validation, du fait de saisies, corrections ou suppressions ultérieures. L'évaluation reste celle qui a été validée.",
	EvaluationAppraisalRef: "Appréciation au regard des attendus : atteint, partiellement atteint ou non atteint.",
	SummaryAggregated:      "Synthèse agrégée : aucune personne n'y est nommée, aucun coût n'y est donné par poste.",
	SummaryNoEvaluation:    "Aucune évaluation de poste dans ce périmètre.",
	SummaryCostRule:        "Coût des postes sur la période (coût annuel proratisé aux jours de chaque poste) rapporté aux ETP présents sur la période : coût d'un ETP sur une année.",
	SummarySurveyRule:      "E32 et E42 : moyenne des écarts (vague finale − vague initiale) des CTG qui ont les deux vagues dans la période ; les autres CTG n'y comptent pas.",
	SummaryCTGCriteria:     "L'évaluation de la CTG suit les critères de la Cnaf : efficacité (objectifs atteints), efficience (moyens et coût par ETP au regard des résultats), visibilité auprès des partenaires et des habitants, et l'évaluation de chaque poste.",
	// issue 11, items 3 to 5
	KeptStale:   "La page a expiré : votre saisie est reprise ci-dessous. Vérifiez-la, puis envoyez à nouveau le formulaire.",
	KeptSignIn:  "Votre session a expiré. Reconnectez-vous : ce que vous aviez saisi sera repris dans le formulaire.",
	KeptResumed: "Vous êtes reconnecté(e) : votre saisie est reprise ci-dessous. Vérifiez-la, puis envoyez à nouveau le formulaire.",
	KeptFiles:   "Les fichiers joints ne sont pas conservés : choisissez-les de nouveau.",
	// merge proposals
	MergeProposed:    "Une fusion de ces deux partenaires est déjà proposée : elle attend la décision d'un administrateur ou d'un conseiller.",
	MergeSamePartner: "Choisissez deux partenaires différents.",
	MergeGone:        "L'un de ces partenaires a déjà été fusionné : rechargez la page.",
	NotFoundProposal: "Cette proposition de fusion n'existe pas ou a déjà été traitée.",
}

// Text formats the sentence of key; an unknown key shows itself so that a
// missing text is visible rather than silent.
func Text(key Key, args ...any) string {
	s, ok := fr[key]
	if !ok {
		return string(key)
	}
	if len(args) == 0 {
		return s
	}
	return fmt.Sprintf(s, args...)
}
