package msg

// The REST API (issue 13, item 1): its problem details and the personal
// access tokens that open it. Kept apart from msg.go so that each file
// holds one subject; the test reads every file of the package.
const (
	APITokenMissing     Key = "api.token_missing"
	APITokenInvalid     Key = "api.token_invalid"
	APITokenReadOnly    Key = "api.token_read_only"
	APINotFound         Key = "api.not_found"
	APIBodyNotJSON      Key = "api.body_not_json"
	APIBodyTooLarge     Key = "api.body_too_large"
	APIUnknownField     Key = "api.unknown_field"
	APIFieldType        Key = "api.field_type"
	APICursor           Key = "api.cursor"
	APILimit            Key = "api.limit"
	APIIfMatchMissing   Key = "api.if_match_missing"
	APIIfMatchStale     Key = "api.if_match_stale"
	APIKindFixed        Key = "api.kind_fixed"
	APIScope            Key = "api.scope"
	APIScopeForbidden   Key = "api.scope_forbidden"
	APIPartnerNotInCaf  Key = "api.partner_not_in_caf"
	APIPartnerDuplicate Key = "api.partner_duplicate"
	NotFoundToken       Key = "notfound.token"
)

var frAPI = map[Key]string{
	APITokenMissing:     "Cette adresse demande un jeton d'accès : envoyez l'en-tête « Authorization: Bearer cop_… » avec un jeton créé dans Mon compte → Jetons d'accès.",
	APITokenInvalid:     "Ce jeton d'accès n'est pas valable : il est inconnu, mal copié ou révoqué. Créez-en un nouveau dans Mon compte → Jetons d'accès.",
	APITokenReadOnly:    "Ce jeton d'accès est en lecture seule : il ne permet aucune modification. Créez un jeton « lecture et écriture » pour écrire.",
	APINotFound:         "Cette adresse n'existe pas dans l'API : la liste des adresses est dans /api/v1/docs.",
	APIBodyNotJSON:      "Le corps de la requête doit être un document JSON (Content-Type: application/json) bien formé.",
	APIBodyTooLarge:     "Le corps de la requête dépasse %s.",
	APIUnknownField:     "Ce champ n'existe pas pour cet objet.",
	APIFieldType:        "Ce champ n'a pas le bon type (attendu : %s).",
	APICursor:           "Ce curseur n'est pas valable : reprenez celui de la réponse précédente (next_cursor), sans le modifier.",
	APILimit:            "La taille de page doit être un nombre entier de %d à %d.",
	APIIfMatchMissing:   "Cette modification demande l'en-tête If-Match avec l'ETag de la version lue (GET), pour qu'aucune modification d'un autre ne soit écrasée sans le savoir.",
	APIIfMatchStale:     "Cet objet a été modifié depuis votre lecture (l'ETag envoyé n'est plus le sien) : relisez-le, puis renvoyez votre modification.",
	APIKindFixed:        "Le type d'un enregistrement ne change pas : créez un nouvel enregistrement du type voulu.",
	APIScope:            "Précisez le périmètre : scope vaut post, ctg, caf ou all, avec post, ctg ou caf selon le cas.",
	APIScopeForbidden:   "Votre compte ne permet pas de lire les indicateurs de ce périmètre.",
	APIPartnerNotInCaf:  "Ce partenaire n'est pas dans le registre de la Caf de cette CTG.",
	APIPartnerDuplicate: "Ce partenaire existe déjà dans le registre : %s.",
	NotFoundToken:       "Ce jeton d'accès n'existe pas ou est déjà révoqué.",
}

func init() {
	for k, v := range frAPI {
		fr[k] = v
	}
}
