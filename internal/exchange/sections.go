package exchange

import "errors"

// sectionItems reads, checks and hands on one object of each section.
var sectionItems = map[string]func(rd *reader, pos int, path string) error{
	SecCafs:          item((*checker).caf, Sink.Caf),
	SecNomenclatures: item((*checker).nomenclatureValue, Sink.Nomenclature),
	SecPartners:      (*reader).partner,
	SecCTGs:          item((*checker).ctg, Sink.CTG),
	SecActions:       item((*checker).action, Sink.Action),
	SecRecords:       (*reader).record,
	SecActionUpdates: item((*checker).actionUpdate, Sink.ActionUpdate),
	SecSurveyWaves:   item((*checker).surveyWave, Sink.SurveyWave),
	SecEvaluations:   item((*checker).evaluation, Sink.Evaluation),
}

// identified is an object with an id, which an error names.
type identified interface{ key() int64 }

func (v *Caf) key() int64          { return v.ID }
func (v *Nomenclature) key() int64 { return 0 }
func (v *Partner) key() int64      { return v.ID }
func (v *CTG) key() int64          { return v.ID }
func (v *Action) key() int64       { return v.ID }
func (v *Record) key() int64       { return v.ID }
func (v *ActionUpdate) key() int64 { return v.ID }
func (v *SurveyWave) key() int64   { return v.ID }
func (v *Evaluation) key() int64   { return v.ID }

// item builds the reader of a section whose objects need no more than
// their check.
func item[T any, P interface {
	*T
	identified
}](check func(*checker, P) *Error, put func(Sink, P) error) func(*reader, int, string) error {
	return func(rd *reader, _ int, path string) error {
		v := P(new(T))
		line, e := rd.decode(v)
		if e == nil {
			e = check(rd.chk, v)
		}
		if e != nil {
			return placed(e, line, path, v.key())
		}
		return rd.write(func(s Sink) error { return put(s, v) }, line, path, v.key())
	}
}

func (rd *reader) partner(_ int, path string) error {
	v := new(Partner)
	line, e := rd.decode(v)
	if e == nil {
		e = rd.chk.partner(v)
	}
	if e != nil {
		return placed(e, line, path, v.ID)
	}
	if v.MergedInto != 0 {
		rd.later = append(rd.later, deferred{line: line, path: path, id: v.ID, to: v.MergedInto})
		v.MergedInto = 0
	}
	return rd.write(func(s Sink) error { return s.Partner(v) }, line, path, v.ID)
}

func (rd *reader) record(_ int, path string) error {
	v := new(Record)
	line, e := rd.decode(v)
	forward := false
	if e == nil {
		forward, e = rd.chk.record(v)
	}
	if e != nil {
		return placed(e, line, path, v.ID)
	}
	if forward {
		ci := rd.chk.ctgs[v.CTGID]
		rd.later = append(rd.later, deferred{line: line, path: path, id: v.ID, to: v.MeetingID, ctgIdx: ci.idx, recordRef: true})
		v.MeetingID = 0
	}
	return rd.write(func(s Sink) error { return s.Record(v) }, line, path, v.ID)
}

// resolve checks and writes the references that pointed further down the
// section just read.
func (rd *reader) resolve() error {
	for _, d := range rd.later {
		var e *Error
		if d.recordRef {
			e = rd.chk.meetingOf(d.to, d.ctgIdx)
		} else {
			e = rd.chk.mergedInto(d.id, d.to)
		}
		if e != nil {
			return placed(e, d.line, d.path, d.id)
		}
		write := func(s Sink) error { return s.MergePartner(d.id, d.to) }
		if d.recordRef {
			write = func(s Sink) error { return s.LinkMeeting(d.id, d.to) }
		}
		if err := rd.write(write, d.line, d.path, d.id); err != nil {
			return err
		}
	}
	rd.later = rd.later[:0]
	return nil
}

// decode reads the section's next object into v and returns the line it
// starts on.
func (rd *reader) decode(v any) (int, *Error) {
	off := rd.dec.InputOffset()
	err := rd.dec.Decode(v)
	line := rd.lines.startLine(off)
	if err != nil {
		return line, rd.jsonErr(err, line)
	}
	return line, nil
}

func placed(e *Error, line int, path string, id int64) *Error {
	if e.Line == 0 || e.Line < line {
		e.Line = line
	}
	e.Path, e.ID = path, id
	return e
}

// sinkErr places a write failure; the checks make one unexpected, so its
// cause is shown as it is.
func sinkErr(err error, line int, path string, id int64) error {
	if err == nil {
		return nil
	}
	var e *Error
	if errors.As(err, &e) {
		return placed(e, line, path, id)
	}
	return &Error{Line: line, Path: path, ID: id, Message: "écriture en base impossible (" + err.Error() + ")", Err: err}
}
