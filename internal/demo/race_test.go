//go:build race

package demo_test

const raceDetector = true
