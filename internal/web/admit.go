package web

import (
	"context"
	"net/http"
	"runtime"
	"sync"
	"time"

	"copilote/internal/apperr"
	"copilote/internal/msg"
)

// Pages are rendered a few at a time (one per core); posted forms never
// wait. Under readers enough to keep every core busy, 64 pages rendered at
// once made each of a write's round trips to the database wait behind them
// for a core: an alert took 1.7 s at the median, while the pages went no
// faster for being started together. Readers beyond the slots wait their
// turn, not runnable, and a write finds a core at each step: at two pages
// per core the writes of the 10 M mixed load on SQLite took 270 ms at the
// 99th percentile, at one 176 ms, the readers as fast. A reader that waits
// longer than readWait is told the service is busy.
const readWait = 30 * time.Second

func readSlots() int { return max(2, runtime.GOMAXPROCS(0)) }

// admitRead waits for a reading slot when r reads; release gives it back,
// once, unless the handler left it first (leaveSlot): the request
// returned carries the slot.
func (s *Server) admitRead(r *http.Request) (*http.Request, func(), error) {
	if r.Method != http.MethodGet && r.Method != http.MethodHead {
		return r, func() {}, nil
	}
	release, err := acquire(r.Context(), s.readSlots, readWait)
	if err != nil {
		return r, nil, err
	}
	sl := &slot{release: release}
	return r.WithContext(context.WithValue(r.Context(), slotKey{}, sl)), sl.leave, nil
}

type slotKey struct{}

// slot is a request's reading slot, given back once.
type slot struct {
	once    sync.Once
	release func()
}

func (sl *slot) leave() { sl.once.Do(sl.release) }

// leaveSlot gives back the slot of a long download before it streams:
// a national journal export takes 8 to 28 s, and two of them held the
// slots of every page for as long.
func leaveSlot(r *http.Request) {
	if sl, ok := r.Context().Value(slotKey{}).(*slot); ok {
		sl.leave()
	}
}

func acquire(ctx context.Context, slots chan struct{}, wait time.Duration) (func(), error) {
	select {
	case slots <- struct{}{}:
		return func() { <-slots }, nil
	default:
	}
	t := time.NewTimer(wait)
	defer t.Stop()
	select {
	case slots <- struct{}{}:
		return func() { <-slots }, nil
	case <-t.C:
		return nil, apperr.New(apperr.Unavailable, msg.ErrBusy)
	case <-ctx.Done():
		return nil, ctx.Err()
	}
}

// admitted serves h once r has its slot (for the handlers registered
// without the site's wrapper).
func (s *Server) admitted(h http.Handler) http.Handler {
	return http.HandlerFunc(func(w http.ResponseWriter, r *http.Request) {
		r, release, err := s.admitRead(r)
		if err != nil {
			s.renderError(w, r, err)
			return
		}
		defer release()
		h.ServeHTTP(w, r)
	})
}
