package survey

import "time"

// Results are what a wave's page reports: its responses by source, each
// statement's answers counted by score, and the comments still kept.
type Results struct {
	Wave   Wave
	Online int
	Paper  int
	// Items are the national statements, in questionnaire order: they make
	// the wave's mean, the one E32 and E42 read.
	Items []ItemResult
	// Extra are the Caf's own questions answered in this wave (retired
	// ones included): reported apart, never in the mean.
	Extra    []ItemResult
	Comments []Comment
}

// ItemResult counts one statement's answers: Counts[s] answers scored s.
type ItemResult struct {
	Code       string // a national item's code
	QuestionID int64  // a Caf question's id
	Text       string
	Counts     [6]int
}

// Comment is a free comment with the day it came and its source.
type Comment struct {
	Day    time.Time
	Source string
	Text   string
}

// Responses is the wave's response count, online and paper.
func (r Results) Responses() int { return r.Online + r.Paper }

// Answers is the number of answers to the statement.
func (i ItemResult) Answers() int { return answers(i.Counts) }

// Mean is the statement's mean score; ok is false without answers.
func (i ItemResult) Mean() (float64, bool) { return Mean(i.Counts) }

// Overall adds up the national statements' answers by score: the wave's
// distribution, the one E32 and E42 read.
func (r Results) Overall() [6]int {
	var out [6]int
	for _, it := range r.Items {
		for s := 1; s <= 5; s++ {
			out[s] += it.Counts[s]
		}
	}
	return out
}

// Mean is the mean score of answers counted by score, over every answer
// (as E32 and E42 take it); ok is false without answers.
func Mean(counts [6]int) (m float64, ok bool) {
	n, sum := 0, 0
	for s := 1; s <= 5; s++ {
		n += counts[s]
		sum += s * counts[s]
	}
	if n == 0 {
		return 0, false
	}
	return float64(sum) / float64(n), true
}

func answers(counts [6]int) int {
	n := 0
	for s := 1; s <= 5; s++ {
		n += counts[s]
	}
	return n
}
