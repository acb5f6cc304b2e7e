//go:build race

package synth

const raceDetector = true
