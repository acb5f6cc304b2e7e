package paper

import (
	"bytes"
	"image/png"
	"strings"
	"testing"

	"copilote/internal/civil"
	"copilote/internal/pdf/pdftext"
	"copilote/internal/survey"
)

// The paper questionnaire holds, on one page, every statement of its
// audience and the Caf's questions, the link to answer online, and the
// dates, in French with its accents; even with the most and the longest
// questions a Caf may add.
func TestQuestionnaireFitsOnePage(t *testing.T) {
	long := strings.Repeat("Je connais les permanences d'accès aux droits près de chez moi ; ", 4)[:survey.MaxQuestionLength]
	for _, audience := range []string{survey.Partners, survey.Residents} {
		q := Questionnaire{CTGName: "CTG du Diois 2023-2026", Audience: audience, KindLabel: "finale",
			Opens: civil.MustParse("2026-11-09"), Closes: civil.MustParse("2026-12-31"),
			Link: "https://copilote.caf26.fr/s/k3jzq7m2v4xw5yb6", Items: survey.Items[audience]}
		for range survey.MaxQuestions {
			q.Extra = append(q.Extra, survey.Question{Text: long})
		}
		var b bytes.Buffer
		if err := Write(&b, q); err != nil {
			t.Fatalf("%s: %v", audience, err)
		}
		if !bytes.Contains(b.Bytes(), []byte("/Count 1")) {
			t.Errorf("%s: the questionnaire is not one page", audience)
		}
		text := pdftext.Text(t, b.Bytes())
		want := []string{q.Link, "du 09/11/2026 au 31/12/2026", "CTG du Diois 2023-2026", "Questions de la Caf",
			"Vos remarques (facultatif)", "5 = tout à fait d'accord"}
		for _, it := range q.Items {
			want = append(want, it.Text)
		}
		for _, w := range want {
			if !strings.Contains(text, w) {
				t.Errorf("%s: the questionnaire lacks %q:\n%s", audience, w, text)
			}
		}
	}
}

func TestQRIsAPNG(t *testing.T) {
	b, err := QR("https://copilote.caf26.fr/s/k3jzq7m2v4xw5yb6", 256)
	if err != nil {
		t.Fatal(err)
	}
	img, err := png.Decode(bytes.NewReader(b))
	if err != nil || img.Bounds().Dx() != 256 {
		t.Errorf("QR code: %v, %v", err, img)
	}
}
