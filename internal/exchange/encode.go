package exchange

import (
	"bufio"
	"bytes"
	"encoding/json"
	"io"
	"strconv"
)

// Source hands the objects of each section in the format's order, ids
// ascending, one at a time. The store implements it inside one read
// transaction, so that the document is one consistent snapshot.
type Source interface {
	Cafs(emit func(*Caf) error) error
	Nomenclatures(emit func(*Nomenclature) error) error
	Partners(emit func(*Partner) error) error
	CTGs(emit func(*CTG) error) error
	Actions(emit func(*Action) error) error
	Records(emit func(*Record) error) error
	ActionUpdates(emit func(*ActionUpdate) error) error
	SurveyWaves(emit func(*SurveyWave) error) error
	Evaluations(emit func(*Evaluation) error) error
}

// ExportOptions narrow and report an export.
type ExportOptions struct {
	CTGID    int64     // 0: the whole database
	Progress io.Writer // nil: silent
}

// Export writes src as one document. The layout is fixed so that the same
// data always gives the same bytes: header on the first line, then each
// section's name on a line and one object per line.
func Export(src Source, w io.Writer, opt ExportOptions) (Counts, error) {
	e := &encoder{w: bufio.NewWriterSize(w, 1<<16), counts: Counts{}, progress: newProgress(opt.Progress, "export")}
	e.json = json.NewEncoder(&e.buf)
	e.json.SetEscapeHTML(false) // "<" and "&" stay readable in comments
	h := Header{Format: Format, Version: Version, Framework: FrameworkVersion(), CTGID: opt.CTGID}
	if err := e.header(h); err != nil {
		return nil, err
	}
	for _, s := range exportSections {
		if err := e.section(s.name, func(emit func(any) error) error { return s.run(src, emit) }); err != nil {
			return nil, err
		}
	}
	if _, err := e.w.WriteString("\n}\n"); err != nil {
		return nil, err
	}
	e.progress.done(e.counts[SecRecords])
	return e.counts, e.w.Flush()
}

// exportSections binds each section name to its Source method.
var exportSections = []struct {
	name string
	run  func(Source, func(any) error) error
}{
	{SecCafs, func(s Source, f func(any) error) error { return s.Cafs(func(v *Caf) error { return f(v) }) }},
	{SecNomenclatures, func(s Source, f func(any) error) error {
		return s.Nomenclatures(func(v *Nomenclature) error { return f(v) })
	}},
	{SecPartners, func(s Source, f func(any) error) error { return s.Partners(func(v *Partner) error { return f(v) }) }},
	{SecCTGs, func(s Source, f func(any) error) error { return s.CTGs(func(v *CTG) error { return f(v) }) }},
	{SecActions, func(s Source, f func(any) error) error { return s.Actions(func(v *Action) error { return f(v) }) }},
	{SecRecords, func(s Source, f func(any) error) error { return s.Records(func(v *Record) error { return f(v) }) }},
	{SecActionUpdates, func(s Source, f func(any) error) error {
		return s.ActionUpdates(func(v *ActionUpdate) error { return f(v) })
	}},
	{SecSurveyWaves, func(s Source, f func(any) error) error {
		return s.SurveyWaves(func(v *SurveyWave) error { return f(v) })
	}},
	{SecEvaluations, func(s Source, f func(any) error) error {
		return s.Evaluations(func(v *Evaluation) error { return f(v) })
	}},
}

type encoder struct {
	w        *bufio.Writer
	buf      bytes.Buffer
	json     *json.Encoder
	counts   Counts
	progress *progress
}

// header writes the header's fields without their closing brace, since the
// sections follow in the same object.
func (e *encoder) header(h Header) error {
	b, err := e.encode(h)
	if err != nil {
		return err
	}
	_, err = e.w.Write(b[:len(b)-1])
	return err
}

// section writes `,\n"name":[` then one object per line, then `]`.
func (e *encoder) section(name string, run func(emit func(any) error) error) error {
	e.w.WriteString(",\n" + strconv.Quote(name) + ":[")
	n := 0
	err := run(func(v any) error {
		b, err := e.encode(v)
		if err != nil {
			return err
		}
		if n > 0 {
			e.w.WriteByte(',')
		}
		e.w.WriteByte('\n')
		n++
		if name == SecRecords {
			e.progress.tick(n)
		}
		_, err = e.w.Write(b)
		return err
	})
	if err != nil {
		return err
	}
	e.counts[name] = n
	if n > 0 {
		e.w.WriteByte('\n')
	}
	_, err = e.w.WriteString("]")
	return err
}

// encode marshals v into the reused buffer, without the trailing newline.
func (e *encoder) encode(v any) ([]byte, error) {
	e.buf.Reset()
	if err := e.json.Encode(v); err != nil {
		return nil, err
	}
	b := e.buf.Bytes()
	return b[:len(b)-1], nil
}
