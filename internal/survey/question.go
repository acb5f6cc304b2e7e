package survey

import (
	"strconv"
	"strings"
	"unicode/utf8"

	"copilote/internal/apperr"
	"copilote/internal/msg"
)

// Question is a Caf's own Likert statement (1 to 5), asked after the
// national Items of its audience. Its answers are reported per wave but
// never enter E32 nor E42, which compare territories on the national
// statements only.
type Question struct {
	ID       int64  `json:"id"`
	CafID    int64  `json:"caf_id"`
	Audience string `json:"audience"`
	Text     string `json:"text"`
	// Retired questions are no longer asked; their answers stay.
	Retired bool `json:"retired,omitempty"`
}

// MaxQuestions is how many active questions of its own a Caf may ask each
// audience: the paper questionnaire must hold on one page.
const MaxQuestions = 5

// MaxQuestionLength bounds a statement, for the same page.
const MaxQuestionLength = 200

func (q *Question) Validate() error {
	f := apperr.Fields{}
	if _, ok := Items[q.Audience]; !ok {
		f.Add("audience", msg.InvalidChoice)
	}
	q.Text = strings.Join(strings.Fields(q.Text), " ")
	switch n := utf8.RuneCountInString(q.Text); {
	case n == 0:
		f.Add("text", msg.Required)
	case n > MaxQuestionLength:
		f.Add("text", msg.TooLong, MaxQuestionLength)
	}
	return f.Err()
}

// ValidateExtra checks the answers to the Caf's questions: each one asked
// (a question of asked) and scored 1 to 5. Unanswered ones are left out.
func (r *Response) ValidateExtra(asked []Question) error {
	f := apperr.Fields{}
	known := map[int64]bool{}
	for _, q := range asked {
		known[q.ID] = true
	}
	for id, s := range r.Extra {
		name := ExtraField(id)
		if !known[id] {
			f.Add(name, msg.InvalidChoice)
		} else if s < 1 || s > 5 {
			f.Add(name, msg.Range, 1, 5)
		}
	}
	return f.Err()
}

// ExtraField is the form field of a Caf question.
func ExtraField(id int64) string { return "q" + strconv.FormatInt(id, 10) }
