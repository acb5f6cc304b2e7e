package exchange

import (
	"encoding/json"
	"errors"
	"fmt"
	"io"
	"slices"
	"strings"

	"copilote/internal/nomenclature"
)

// Sink receives each object once it is checked, in the document's order,
// on the goroutine that called Import. The store implements it inside one
// write transaction.
type Sink interface {
	Caf(*Caf) error
	Nomenclature(*Nomenclature) error
	Partner(*Partner) error // with MergedInto 0: MergePartner follows at the section's end
	MergePartner(id, into int64) error
	CTG(*CTG) error
	Action(*Action) error
	Record(*Record) error // with MeetingID 0 when it points further down: LinkMeeting follows
	LinkMeeting(id, meetingID int64) error
	ActionUpdate(*ActionUpdate) error
	SurveyWave(*SurveyWave) error
	Evaluation(*Evaluation) error
}

// ImportOptions give the reader what it checks against.
type ImportOptions struct {
	National []nomenclature.Value // the target's national lists
	Progress io.Writer            // nil: silent
}

// Import reads one document from r, checks every object and hands it to
// sink. It stops at the first fault with an *Error naming the line, the
// object and the field; the caller then rolls the transaction back.
//
// Reading and checking run on a goroutine of their own, a few hundred
// objects ahead of the writes, which stay on the caller's goroutine and in
// the document's order (the caller's transaction is not safe for
// concurrent use): decoding and writing each keep a core busy. Import
// returns only once that goroutine has stopped reading r.
func Import(r io.Reader, sink Sink, opt ImportOptions) (Counts, error) {
	lr := &lineReader{r: r}
	dec := json.NewDecoder(lr)
	dec.DisallowUnknownFields()
	rd := &reader{dec: dec, lines: lr, chk: newChecker(opt.National), counts: Counts{},
		progress: newProgress(opt.Progress, "import"), writes: make(chan write, 256), failed: make(chan struct{})}
	var readErr error
	go func() {
		defer close(rd.writes)
		readErr = rd.document()
	}()
	if err := rd.apply(sink); err != nil {
		return nil, err
	}
	if readErr != nil {
		return nil, readErr
	}
	rd.progress.done(rd.counts[SecRecords])
	return rd.counts, nil
}

// write is one checked object on its way to the sink.
type write struct {
	run  func(Sink) error
	line int
	path string
	id   int64
}

// errStopped ends the reading once a write has failed.
var errStopped = errors.New("exchange: import stopped")

// apply runs the writes in order; after a failure it tells the reader to
// stop and waits for it, discarding what it had queued.
func (rd *reader) apply(sink Sink) error {
	for w := range rd.writes {
		if err := sinkErr(w.run(sink), w.line, w.path, w.id); err != nil {
			close(rd.failed)
			for range rd.writes {
			}
			return err
		}
	}
	return nil
}

// write queues an object for the sink.
func (rd *reader) write(run func(Sink) error, line int, path string, id int64) error {
	select {
	case rd.writes <- write{run, line, path, id}:
		return nil
	case <-rd.failed:
		return errStopped
	}
}

type reader struct {
	dec      *json.Decoder
	lines    *lineReader
	writes   chan write
	failed   chan struct{}
	chk      *checker
	counts   Counts
	progress *progress
	header   Header
	seen     map[string]bool // header fields read
	later    []deferred      // references to objects further down
}

// deferred is a reference checked at the end of its section.
type deferred struct {
	line      int
	path      string
	id, to    int64
	ctgIdx    uint32
	recordRef bool // meeting_id (else merged_into)
}

// document reads the header fields, then the sections in their order.
func (rd *reader) document() error {
	rd.seen = map[string]bool{}
	if err := rd.delim('{', "le document doit être un objet JSON"); err != nil {
		return err
	}
	next := 0
	for rd.dec.More() {
		key, err := rd.key()
		if err != nil {
			return err
		}
		i := slices.Index(Sections, key)
		if i < 0 {
			if err := rd.headerField(key, next > 0); err != nil {
				return err
			}
			continue
		}
		if err := rd.sectionAllowed(key, i, next); err != nil {
			return err
		}
		next = i + 1
		if err := rd.section(key); err != nil {
			return err
		}
	}
	if err := rd.delim('}', "fin du document attendue"); err != nil {
		return err
	}
	return rd.finish()
}

// finish refuses anything after the document and a document without header.
func (rd *reader) finish() error {
	if _, err := rd.dec.Token(); err != io.EOF {
		return rd.at(docErr("données après la fin du document"))
	}
	return rd.headerComplete()
}

func (rd *reader) sectionAllowed(key string, i, next int) error {
	if err := rd.headerComplete(); err != nil {
		return err
	}
	if i < next {
		return rd.at(docErr("section « %s » hors de sa place : l'ordre est %s", key, strings.Join(Sections, ", ")))
	}
	return nil
}

// key reads an object key.
func (rd *reader) key() (string, error) {
	t, err := rd.token()
	if err != nil {
		return "", err
	}
	k, ok := t.(string)
	if !ok {
		return "", rd.at(docErr("clé attendue"))
	}
	return k, nil
}

func (rd *reader) delim(want json.Delim, msg string) error {
	t, err := rd.token()
	if err != nil {
		return err
	}
	if d, ok := t.(json.Delim); !ok || d != want {
		return rd.at(docErr("%s (trouvé %v)", msg, t))
	}
	return nil
}

func (rd *reader) token() (json.Token, error) {
	t, err := rd.dec.Token()
	if err != nil {
		return nil, rd.jsonErr(err, rd.lines.lineAt(rd.dec.InputOffset()))
	}
	return t, nil
}

// at places a document-level fault on the current line.
func (rd *reader) at(e *Error) *Error {
	e.Line = rd.lines.lineAt(rd.dec.InputOffset())
	return e
}

// jsonErr renders a decoding failure; a truncated file is placed on its
// last line, a syntax error on its own.
func (rd *reader) jsonErr(err error, line int) *Error {
	e := fromJSON(err)
	e.Line = line
	var se *json.SyntaxError
	switch {
	case errors.Is(err, io.ErrUnexpectedEOF), errors.Is(err, io.EOF):
		e.Line = rd.lines.end()
		e.Message = msgTruncated
	case errors.As(err, &se) && se.Offset > 0:
		e.Line = max(line, rd.lines.lineAt(se.Offset))
	}
	return e
}

// headerField reads one field of the header and checks it at once, so that
// a file that is not an exchange document is refused on its first line.
func (rd *reader) headerField(key string, late bool) error {
	if late {
		return rd.at(docErr("« %s » doit précéder les sections", key))
	}
	var err error
	switch key {
	case "format":
		err = rd.dec.Decode(&rd.header.Format)
	case "version":
		err = rd.dec.Decode(&rd.header.Version)
	case "framework":
		err = rd.dec.Decode(&rd.header.Framework)
	case "ctg_id":
		err = rd.dec.Decode(&rd.header.CTGID)
	default:
		return rd.at(docErr("clé inconnue « %s » : le format connaît format, version, framework, ctg_id et les sections %s",
			key, strings.Join(Sections, ", ")))
	}
	if err != nil {
		e := rd.jsonErr(err, rd.lines.lineAt(rd.dec.InputOffset()))
		e.Fields = []FieldError{{key, "valeur invalide"}}
		return e
	}
	rd.seen[key] = true
	return rd.headerValue(key)
}

func (rd *reader) headerValue(key string) error {
	h := rd.header
	switch {
	case key == "format" && h.Format != Format:
		return rd.at(docErr("ce fichier n'est pas un document d'échange Copilote (format %q, attendu %q)", h.Format, Format))
	case key == "version" && h.Version != Version:
		return rd.at(docErr("version %d du format : ce programme lit la version %d", h.Version, Version))
	case key == "framework" && h.Framework != FrameworkVersion():
		return rd.at(docErr("le fichier suit le référentiel %q, ce programme le référentiel %q", h.Framework, FrameworkVersion()))
	}
	return nil
}

func (rd *reader) headerComplete() error {
	for _, k := range []string{"format", "version", "framework"} {
		if !rd.seen[k] {
			return rd.at(docErr("en-tête incomplet : « %s » manque (il ouvre le document)", k))
		}
	}
	return nil
}

// section reads one array, object by object, then resolves what pointed
// further down.
func (rd *reader) section(name string) error {
	if err := rd.delim('[', fmt.Sprintf("la section « %s » doit être une liste", name)); err != nil {
		return err
	}
	item := sectionItems[name]
	for pos := 0; rd.dec.More(); pos++ {
		if err := item(rd, pos, fmt.Sprintf("%s[%d]", name, pos)); err != nil {
			return err
		}
		rd.counts[name]++
		if name == SecRecords {
			rd.progress.tick(pos + 1)
		}
	}
	if err := rd.delim(']', fmt.Sprintf("fin de la section « %s » attendue", name)); err != nil {
		return err
	}
	return rd.resolve()
}
