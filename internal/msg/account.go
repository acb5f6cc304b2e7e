package msg

// Accounts in the browser (issue 11, item 6): administration of a Caf's
// accounts, one-time links, passwords and the messages sent by e-mail.
// Kept apart from msg.go so that each file holds one subject; the test
// reads every file of the package.
const (
	AccountNationalCLI   Key = "account.national_cli"
	AccountSelf          Key = "account.self"
	AccountInactiveLink  Key = "account.inactive_link"
	AccountNoGrants      Key = "account.no_grants"
	LinkUnknown          Key = "link.unknown"
	LinkUsed             Key = "link.used"
	LinkExpired          Key = "link.expired"
	PasswordCurrentWrong Key = "field.password_current"
	PasswordConfirm      Key = "field.password_confirm"
	PasswordSame         Key = "field.password_same"
	ResetTooMany         Key = "reset.too_many"
	ResetAnswerMail      Key = "reset.answer_mail"
	ResetAnswerNoMail    Key = "reset.answer_no_mail"
	MailInviteSubject    Key = "mail.invite_subject"
	MailInviteBody       Key = "mail.invite_body"
	MailResetSubject     Key = "mail.reset_subject"
	MailResetBody        Key = "mail.reset_body"
	MailSent             Key = "mail.sent"
	MailFailed           Key = "mail.failed"
	MailOff              Key = "mail.off"
)

var frAccount = map[Key]string{
	AccountNationalCLI:   "Un compte de lecture nationale ne se crée pas depuis une Caf : l'exploitant le crée en ligne de commande (copilote user add).",
	AccountSelf:          "Vous ne pouvez ni changer le rôle ni désactiver votre propre compte : demandez-le à un autre administrateur de la Caf.",
	AccountInactiveLink:  "Ce compte est désactivé : réactivez-le avant de lui remettre un lien.",
	AccountNoGrants:      "Seuls les conseillers territoriaux et les membres du Copil reçoivent des CTG : un(e) chargé(e) de coopération accède aux CTG de ses postes, un administrateur à toute la Caf.",
	LinkUnknown:          "Ce lien n'est pas valable : vérifiez qu'il a été copié en entier, ou demandez-en un nouveau.",
	LinkUsed:             "Ce lien ne peut plus servir : il a déjà été utilisé, ou il a été annulé. Demandez-en un nouveau si besoin.",
	LinkExpired:          "Ce lien a expiré le %s : demandez-en un nouveau.",
	PasswordCurrentWrong: "Le mot de passe actuel est incorrect.",
	PasswordConfirm:      "Les deux saisies du nouveau mot de passe diffèrent.",
	PasswordSame:         "Choisissez un mot de passe différent de l'actuel.",
	ResetTooMany:         "Trop de demandes de nouveau mot de passe pour cette adresse ou depuis ce poste : réessayez dans %d minutes.",
	ResetAnswerMail:      "Demande enregistrée. Si un compte actif correspond à cette adresse, un message vient d'y être envoyé avec un lien valable une heure. Sans message d'ici quelques minutes (pensez aux indésirables), demandez un lien à l'administrateur de votre Caf.",
	ResetAnswerNoMail:    "Demande enregistrée. Ce Copilote n'envoie pas de messages : demandez à l'administrateur de votre Caf de vous remettre un lien pour choisir un nouveau mot de passe.",
	MailInviteSubject:    "Votre compte Copilote",
	MailInviteBody: "Bonjour %s,\n\n" +
		"Un compte Copilote vient d'être créé pour vous (%s, %s). Copilote sert à la Caf et aux territoires à suivre et évaluer l'activité des chargé(e)s de coopération des Conventions territoriales globales.\n\n" +
		"Pour choisir votre mot de passe, ouvrez ce lien avant le %s :\n%s\n\n" +
		"Le lien ne sert qu'une fois. Vous vous connecterez ensuite avec votre adresse électronique, %s, et ce mot de passe.\n\n" +
		"Si vous n'attendiez pas ce message, ignorez-le.\n",
	MailResetSubject: "Nouveau mot de passe Copilote",
	MailResetBody: "Bonjour %s,\n\n" +
		"Un nouveau mot de passe a été demandé pour votre compte Copilote (%s). Pour le choisir, ouvrez ce lien avant le %s :\n%s\n\n" +
		"Le lien ne sert qu'une fois, et toutes vos sessions ouvertes seront fermées.\n\n" +
		"Si vous n'êtes pas à l'origine de cette demande, ignorez ce message : votre mot de passe actuel reste valable.\n",
	MailSent:   "Un message contenant ce lien a été envoyé à %s.",
	MailFailed: "Le message n'a pas pu être envoyé à %s : remettez le lien vous-même.",
	MailOff:    "Ce Copilote n'envoie pas de messages (SMTP non configuré) : remettez ce lien vous-même à son destinataire, par un moyen sûr.",
}

func init() {
	for k, v := range frAccount {
		fr[k] = v
	}
}
