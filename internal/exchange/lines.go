package exchange

import (
	"bytes"
	"io"
)

// lineReader turns the decoder's byte offsets into line numbers without
// keeping the file: it holds only the bytes read ahead of the last offset
// asked about (the decoder's own read-ahead), and counts the newlines of
// the bytes it lets go. Offsets must be asked in increasing order, which a
// reader going forward does.
type lineReader struct {
	r     io.Reader
	base  int64  // offset of pending[0]
	lines int    // newlines before base
	ahead []byte // read, not yet passed
}

func (l *lineReader) Read(p []byte) (int, error) {
	n, err := l.r.Read(p)
	l.ahead = append(l.ahead, p[:n]...)
	return n, err
}

// advance passes the bytes before off, counting their newlines.
func (l *lineReader) advance(off int64) {
	k := int(off - l.base)
	if k <= 0 {
		return
	}
	k = min(k, len(l.ahead))
	l.lines += bytes.Count(l.ahead[:k], []byte{'\n'})
	l.base += int64(k)
	l.ahead = l.ahead[k:]
	if cap(l.ahead) > 1<<20 && len(l.ahead) < cap(l.ahead)/4 {
		l.ahead = append([]byte(nil), l.ahead...) // let the old array go
	}
}

// lineAt is the 1-based line of offset off.
func (l *lineReader) lineAt(off int64) int {
	l.advance(off)
	return l.lines + 1
}

// startLine is the line where the next value begins after off: past the
// blanks and the comma that separate it from the previous one.
func (l *lineReader) startLine(off int64) int {
	l.advance(off)
	n := l.lines
	for _, c := range l.ahead {
		switch c {
		case '\n':
			n++
		case ' ', '\t', '\r', ',':
		default:
			return n + 1
		}
	}
	return n + 1
}

// end is the line count once the whole input was read: where a truncated
// file stops.
func (l *lineReader) end() int {
	return l.lines + bytes.Count(l.ahead, []byte{'\n'}) + 1
}
