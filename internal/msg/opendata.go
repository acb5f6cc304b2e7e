package msg

// The Caf's open data in a CTG's diagnostic (issue 13, item 3): what the
// reader of data.caf.fr files says when a file cannot be read, and what
// the import tells the administrator.
const (
	OpenDataEmpty       Key = "opendata.empty"
	OpenDataEncoding    Key = "opendata.encoding"
	OpenDataHeader      Key = "opendata.header"
	OpenDataNoTerritory Key = "opendata.no_territory"
	OpenDataNoYear      Key = "opendata.no_year"
	OpenDataNoMeasure   Key = "opendata.no_measure"
	OpenDataDuplicate   Key = "opendata.duplicate_column"
	OpenDataTooWide     Key = "opendata.too_wide"
	OpenDataTooLong     Key = "opendata.too_long"
	OpenDataLine        Key = "opendata.line"
	OpenDataYear        Key = "opendata.year"
	OpenDataCell        Key = "opendata.cell"
	OpenDataNoFile      Key = "opendata.no_file"
	OpenDataFileType    Key = "opendata.file_type"
	OpenDataValue       Key = "opendata.value"
)

var frOpenData = map[Key]string{
	OpenDataEmpty:       "Le fichier est vide : téléchargez le fichier CSV du jeu de données sur data.caf.fr.",
	OpenDataEncoding:    "Le fichier n'est pas un texte lisible (ni UTF-8 ni Windows-1252) : enregistrez-le en CSV.",
	OpenDataHeader:      "Ligne 1 : l'en-tête est illisible (%s).",
	OpenDataNoTerritory: "Ligne 1 : il manque la colonne du territoire, NUMEPCI (par EPCI) ou NUMCOM (par commune). Colonnes trouvées : %s.",
	OpenDataNoYear:      "Ligne 1 : il manque la colonne de la date de référence, DTREF (ou ANNEE). Colonnes trouvées : %s.",
	OpenDataNoMeasure:   "Ligne 1 : le fichier ne contient aucune mesure à côté des colonnes du territoire et de la date.",
	OpenDataDuplicate:   "Ligne 1 : la colonne %s apparaît deux fois.",
	OpenDataTooWide:     "Ligne 1 : le fichier a %d colonnes ; %d au plus sont acceptées.",
	OpenDataTooLong:     "Ligne 1 : le nom de colonne « %s » est trop long (%d caractères au plus).",
	OpenDataLine:        "Ligne %d : %s.",
	OpenDataYear:        "Ligne %d, colonne %s : date de référence illisible « %s » (attendu par exemple 31/12/2023, 2023-12-31 ou 2023, entre %d et %d).",
	OpenDataCell:        "Ligne %d, colonne %s : la valeur est trop longue (%d caractères au plus).",
	OpenDataNoFile:      "Choisissez le fichier CSV à importer.",
	OpenDataFileType:    "Seul un fichier CSV (séparé par des points-virgules) de data.caf.fr est accepté.",
	OpenDataValue:       "Ligne %d, colonne %s : valeur hors bornes « %s ».",
}

func init() {
	for k, v := range frOpenData {
		fr[k] = v
	}
}
