package demo

// SetVolume lightens the demo for tests under the race detector, where the
// pure-Go SQLite runs an order of magnitude slower; it returns the undo.
func SetVolume(v float64) (restore func()) {
	old := volume
	volume = v
	return func() { volume = old }
}
