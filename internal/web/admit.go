package web

import (
	"context"
	"net/http"
	"runtime"
	"time"

	"copilote/internal/apperr"
	"copilote/internal/msg"
)

// Pages are rendered a few at a time (two per core); posted forms never
// wait. Under readers enough to keep every core busy, 64 pages rendered at
// once made each of a write's round trips to the database (about forty
// with its recount) wait behind them for a core: an alert took 1.7 s at
// the median, while the pages went no faster for being started together.
// Readers beyond the slots wait their turn, not runnable, and a write
// finds a core at each step. A reader that waits longer than readWait is
// told the service is busy.
const readWait = 30 * time.Second

func readSlots() int { return max(4, 2*runtime.GOMAXPROCS(0)) }

// admitRead waits for a reading slot when r reads; release gives it back.
func (s *Server) admitRead(r *http.Request) (release func(), err error) {
	if r.Method != http.MethodGet && r.Method != http.MethodHead {
		return func() {}, nil
	}
	return acquire(r.Context(), s.readSlots, readWait)
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
		release, err := s.admitRead(r)
		if err != nil {
			s.renderError(w, r, err)
			return
		}
		defer release()
		h.ServeHTTP(w, r)
	})
}
