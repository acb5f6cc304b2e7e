package demo

import (
	"copilote/internal/opendata"
	"copilote/internal/store"
)

// openDataFiles are the samples (figures invented, layout of data.caf.fr)
// the demo's Caf imports, so that each CTG page shows its territory's
// diagnostic: by EPCI for 2019-2024, by commune for 2022-2024.
var openDataFiles = []string{"foyers_epci_2019-2024.csv", "foyers_communes_2022-2024.csv"}

func (l *loader) openData(tx *store.Tx) error {
	for _, name := range openDataFiles {
		b, err := opendata.Sample(name)
		if err != nil {
			return err
		}
		f, err := opendata.Read(b)
		if err != nil {
			return err
		}
		if _, err := tx.ImportOpenData(l.caf.ID, name, f); err != nil {
			return err
		}
	}
	return nil
}
