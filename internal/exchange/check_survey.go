package exchange

import (
	"strconv"

	"copilote/internal/survey"
)

// surveySettings checks a Caf's survey settings: the months it keeps
// comments, and its own questions, each id once in the file.
func (c *checker) surveySettings(v *Caf) *Error {
	if v.SurveyCommentMonths < 0 || v.SurveyCommentMonths > survey.MaxCommentMonths {
		return fieldErr("survey_comment_months", "de 0 à %d mois", survey.MaxCommentMonths)
	}
	for i := range v.SurveyQuestions {
		q := &v.SurveyQuestions[i]
		at := "survey_questions[" + strconv.Itoa(i) + "]."
		if q.ID <= 0 {
			return fieldErr(at+"id", "l'identifiant doit être un entier positif")
		}
		if _, seen := c.questions[q.ID]; seen {
			return fieldErr(at+"id", "une autre question porte déjà l'identifiant %d", q.ID)
		}
		d := survey.Question{ID: q.ID, CafID: v.ID, Audience: q.Audience, Text: q.Text}
		if e := fromValidate(d.Validate(), at); e != nil {
			return e
		}
		q.Text = d.Text
		c.questions[q.ID] = surveyQuestionRef{caf: v.ID, audience: q.Audience}
	}
	return nil
}

// extraAnswers checks a response's answers to its Caf's own questions: a
// question of the wave's Caf (c.waveCaf) and audience, scored 1 to 5.
func (c *checker) extraAnswers(v *Response, audience, at string) *Error {
	for key, score := range v.Extra {
		id, err := strconv.ParseInt(key, 10, 64)
		q, ok := c.questions[id]
		switch {
		case err != nil || !ok || q.caf != c.waveCaf || q.audience != audience:
			return fieldErr(at+"extra."+key, "question %s inconnue de la Caf de cette CTG pour ce public", key)
		case score < 1 || score > 5:
			return fieldErr(at+"extra."+key, "la note va de 1 à 5")
		}
	}
	return nil
}
