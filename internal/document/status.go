package document

// StatusText is a figure's status in French words, as every rendering
// writes it ("atteint" → "cible atteinte"); "" when the figure has no
// target.
func StatusText(status string) string {
	switch status {
	case "atteint":
		return "cible atteinte"
	case "en_cours":
		return "en bonne voie"
	case "en_retard":
		return "en retard sur la cible"
	case "non_disponible":
		return "non disponible"
	}
	return "pas de cible"
}
