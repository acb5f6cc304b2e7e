package opendata

import "embed"

// Samples are small files in the published layout, with invented figures
// (samples/README.md): the tests read them, and the demo loads two of them
// into its CTGs' diagnostics.
//
//go:embed samples/*.csv
var Samples embed.FS

// Sample returns the bytes of one sample file.
func Sample(name string) ([]byte, error) { return Samples.ReadFile("samples/" + name) }
