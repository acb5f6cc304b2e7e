package msg

// Imports from spreadsheets (issue 13, item 2): reading the file, the
// mapping, the dry run's messages by line and column, the commit and its
// undo. Kept apart from msg.go so that each file holds one subject.
const (
	ImportFormat         Key = "import.format"
	ImportCSV            Key = "import.csv"
	ImportXLSX           Key = "import.xlsx"
	ImportEmpty          Key = "import.empty"
	ImportNoRows         Key = "import.no_rows"
	ImportTooLong        Key = "import.too_long"
	ImportTooWide        Key = "import.too_wide"
	ImportCellTooLong    Key = "import.cell_too_long"
	ImportNoFile         Key = "import.no_file"
	ImportKind           Key = "import.kind"
	ImportBadDate        Key = "import.bad_date"
	ImportBadNumber      Key = "import.bad_number"
	ImportBadBool        Key = "import.bad_bool"
	ImportUnknownValue   Key = "import.unknown_value"
	ImportUnknownKind    Key = "import.unknown_kind"
	ImportUnknownPost    Key = "import.unknown_post"
	ImportNoPost         Key = "import.no_post"
	ImportNotYourPost    Key = "import.not_your_post"
	ImportUnknownPartner Key = "import.unknown_partner"
	ImportUnknownAction  Key = "import.unknown_action"
	ImportColumnTwice    Key = "import.column_twice"
	ImportNotDraft       Key = "import.not_draft"
	ImportHasErrors      Key = "import.has_errors"
	ImportUndoLate       Key = "import.undo_late"
	ImportUndoNotYours   Key = "import.undo_not_yours"
	ImportUndoNotDone    Key = "import.undo_not_done"
	ImportUndoRecord     Key = "import.undo_record"
	ImportUndoAction     Key = "import.undo_action"
	ImportUndoPartner    Key = "import.undo_partner"
	ImportUndoRefused    Key = "import.undo_refused"
)

var frImport = map[Key]string{
	ImportFormat:         "Ce fichier n'est ni un CSV ni un classeur Excel (.xlsx) : enregistrez-le depuis votre tableur au format « CSV (séparateur : point-virgule) » ou « Classeur Excel (.xlsx) ».",
	ImportCSV:            "Le fichier CSV est mal formé vers la ligne %d (guillemet non refermé ?) : ouvrez-le dans votre tableur et enregistrez-le de nouveau en CSV.",
	ImportXLSX:           "Ce classeur Excel ne peut pas être lu : vérifiez qu'il s'ouvre dans votre tableur, puis enregistrez-le de nouveau au format .xlsx.",
	ImportEmpty:          "Le fichier est vide : la première ligne doit porter les noms des colonnes.",
	ImportNoRows:         "Le fichier n'a que sa ligne d'en-tête : aucune ligne à importer.",
	ImportTooLong:        "Le fichier a plus de %d lignes : découpez-le en plusieurs fichiers.",
	ImportTooWide:        "Le fichier a plus de %d colonnes : gardez seulement celles à importer.",
	ImportCellTooLong:    "Ligne %d : une cellule dépasse %d caractères.",
	ImportNoFile:         "Choisissez un fichier CSV ou Excel (.xlsx).",
	ImportKind:           "Choisissez ce que contient le fichier.",
	ImportBadDate:        "« %s » n'est pas une date : écrivez-la JJ/MM/AAAA, par exemple 15/03/2025.",
	ImportBadNumber:      "« %s » n'est pas un nombre : écrivez par exemple 12 500 ou 0,8.",
	ImportBadBool:        "« %s » : écrivez oui ou non.",
	ImportUnknownValue:   "« %s » n'est pas une valeur connue de la liste « %s » : associez-la à une valeur dans l'étape « Valeurs ».",
	ImportUnknownKind:    "« %s » n'est pas un type d'enregistrement connu : associez-le à un type dans l'étape « Valeurs ».",
	ImportUnknownPost:    "« %s » n'est pas un poste de cette CTG : écrivez le nom du/de la chargé(e) de coopération tel qu'il figure dans la CTG.",
	ImportNoPost:         "Indiquez le poste (le nom du/de la chargé(e) de coopération) : cette CTG en compte plusieurs.",
	ImportNotYourPost:    "Vous n'enregistrez qu'au nom de votre propre poste : « %s » n'est pas le vôtre.",
	ImportUnknownPartner: "Partenaire introuvable dans le registre de la Caf : « %s ». Importez d'abord les partenaires, ou créez-le dans le registre.",
	ImportUnknownAction:  "Aucune fiche action de cette CTG ne porte le code « %s ».",
	ImportColumnTwice:    "Deux colonnes sont associées au champ « %s » : gardez-en une seule.",
	ImportNotDraft:       "Cet import a déjà été validé ou abandonné : recommencez par un nouvel envoi du fichier.",
	ImportHasErrors:      "Rien n'a été importé : %d ligne(s) ont des erreurs. Corrigez l'association des colonnes et des valeurs, ou le fichier, puis recommencez.",
	ImportUndoLate:       "Un import ne s'annule que dans les 24 heures qui suivent : celui-ci a été validé le %s.",
	ImportUndoNotYours:   "Seul(e) l'auteur(e) de l'import, un conseiller ou un administrateur de la CTG peut l'annuler.",
	ImportUndoNotDone:    "Cet import n'est pas validé, ou a déjà été annulé.",
	ImportUndoRecord:     "l'enregistrement « %s » (n° %d) a été modifié ou supprimé depuis l'import",
	ImportUndoAction:     "la fiche action %s a été modifiée, supprimée ou a reçu un point d'avancement depuis l'import",
	ImportUndoPartner:    "le partenaire « %s » est désormais cité par un enregistrement, une fiche action ou une fusion",
	ImportUndoRefused:    "L'import n'a pas été annulé, rien n'a changé : %s. Corrigez ces éléments à la main, ou gardez l'import.",
}

func init() {
	for k, v := range frImport {
		fr[k] = v
	}
}
