package web

import (
	"context"
	"crypto/rand"
	"encoding/hex"
	"log/slog"
	"net/http"
	"net/http/pprof"
	"regexp"
	"strconv"
	"time"

	"github.com/prometheus/client_golang/prometheus"
	"github.com/prometheus/client_golang/prometheus/collectors"
	"github.com/prometheus/client_golang/prometheus/promhttp"

	"copilote/internal/store"
)

// What an operator needs to run Copilote (issue 14, item 5): a request id
// in every log line and on error pages, readiness apart from liveness,
// and Prometheus metrics served on an address of their own.

type requestIDKey struct{}

// requestIDOf is the request's id, "" outside a request.
func requestIDOf(ctx context.Context) string {
	id, _ := ctx.Value(requestIDKey{}).(string)
	return id
}

// A proxy's id is kept when it looks like one, so that its logs and ours
// join; anything else is replaced.
var requestIDPattern = regexp.MustCompile(`^[A-Za-z0-9._-]{8,64}$`)

func withRequestID(next http.Handler) http.Handler {
	return http.HandlerFunc(func(w http.ResponseWriter, r *http.Request) {
		id := r.Header.Get("X-Request-Id")
		if !requestIDPattern.MatchString(id) {
			b := make([]byte, 8)
			rand.Read(b)
			id = hex.EncodeToString(b)
		}
		w.Header().Set("X-Request-Id", id)
		next.ServeHTTP(w, r.WithContext(context.WithValue(r.Context(), requestIDKey{}, id)))
	})
}

// requestIDHandler adds the request id to every line logged with the
// request's context.
type requestIDHandler struct{ slog.Handler }

func (h requestIDHandler) Handle(ctx context.Context, rec slog.Record) error {
	if id := requestIDOf(ctx); id != "" {
		rec.AddAttrs(slog.String("request_id", id))
	}
	return h.Handler.Handle(ctx, rec)
}

func (h requestIDHandler) WithAttrs(as []slog.Attr) slog.Handler {
	return requestIDHandler{h.Handler.WithAttrs(as)}
}

func (h requestIDHandler) WithGroup(name string) slog.Handler {
	return requestIDHandler{h.Handler.WithGroup(name)}
}

// readyz says whether this instance should receive traffic: the database
// answers and its schema is this program's (healthz only says the process
// is alive and reaches the database).
func (s *Server) readyz(w http.ResponseWriter, r *http.Request) error {
	w.Header().Set("Content-Type", "text/plain; charset=utf-8")
	w.Header().Set("Cache-Control", "no-store")
	v, err := s.db.Ready(r.Context())
	switch {
	case err != nil:
		s.log.WarnContext(r.Context(), "readyz", "err", err)
		w.WriteHeader(http.StatusServiceUnavailable)
		w.Write([]byte("base de données injoignable\n"))
	case v != store.LatestVersion():
		w.WriteHeader(http.StatusServiceUnavailable)
		w.Write([]byte("schéma " + strconv.Itoa(v) + " ; ce programme attend le " + strconv.Itoa(store.LatestVersion()) + " : lancez copilote migrate\n"))
	default:
		w.Write([]byte("prêt\n"))
	}
	return nil
}

// Metrics are what /metrics serves, for one server.
type Metrics struct {
	registry *prometheus.Registry
	requests *prometheus.CounterVec
	latency  *prometheus.HistogramVec
	writes   *prometheus.HistogramVec
}

// NewMetrics registers the metrics of the server s: requests by route and
// status, their latency, the database pools, the write transactions
// (recount of the tallies included) and the data version.
func NewMetrics(s *Server) *Metrics {
	m := &Metrics{registry: prometheus.NewRegistry(),
		requests: prometheus.NewCounterVec(prometheus.CounterOpts{Name: "copilote_http_requests_total",
			Help: "Requests answered, by route pattern, method and status."}, []string{"route", "method", "status"}),
		latency: prometheus.NewHistogramVec(prometheus.HistogramOpts{Name: "copilote_http_request_duration_seconds",
			Help: "Time to answer a request, by route pattern.", Buckets: prometheus.ExponentialBuckets(0.002, 2, 14)}, []string{"route"}),
		writes: prometheus.NewHistogramVec(prometheus.HistogramOpts{Name: "copilote_db_write_duration_seconds",
			Help:    "Write transactions, recount of the tallies and audit chain included, by outcome.",
			Buckets: prometheus.ExponentialBuckets(0.001, 2, 14)}, []string{"outcome"}),
	}
	m.registry.MustRegister(m.requests, m.latency, m.writes,
		collectors.NewGoCollector(), collectors.NewProcessCollector(collectors.ProcessCollectorOpts{}))
	for name, pool := range s.db.Pools() {
		m.registry.MustRegister(collectors.NewDBStatsCollector(pool, name))
	}
	m.registry.MustRegister(prometheus.NewGaugeFunc(prometheus.GaugeOpts{Name: "copilote_data_version",
		Help: "Data-changing transactions committed so far (all instances): what pages keep is recomputed when it moves."},
		func() float64 {
			ctx, cancel := context.WithTimeout(context.Background(), 2*time.Second)
			defer cancel()
			n, err := s.db.DataVersion(ctx)
			if err != nil {
				return -1
			}
			return float64(n)
		}))
	s.db.ObserveWrites(func(d time.Duration, committed bool) {
		outcome := "committed"
		if !committed {
			outcome = "rolled_back"
		}
		m.writes.WithLabelValues(outcome).Observe(d.Seconds())
	})
	s.metrics = m
	return m
}

// Handler serves /metrics, and Go's profiles under /debug/pprof/ for an
// operator who must see where a server spends its time (go tool pprof
// http://ADDR/debug/pprof/profile?seconds=20): the address is the
// metrics', never the public one.
func (m *Metrics) Handler() http.Handler {
	mux := http.NewServeMux()
	mux.Handle("GET /metrics", promhttp.HandlerFor(m.registry, promhttp.HandlerOpts{}))
	mux.HandleFunc("GET /debug/pprof/", pprof.Index)
	mux.HandleFunc("GET /debug/pprof/cmdline", pprof.Cmdline)
	mux.HandleFunc("GET /debug/pprof/profile", pprof.Profile)
	mux.HandleFunc("GET /debug/pprof/symbol", pprof.Symbol)
	mux.HandleFunc("GET /debug/pprof/trace", pprof.Trace)
	return mux
}

// observe counts a request once answered; the route is the pattern that
// matched (every CTG's dashboard is one route), "aucune" when none did.
func (m *Metrics) observe(r *http.Request, status int, d time.Duration) {
	route := r.Pattern
	if route == "" {
		route = "aucune"
	}
	m.requests.WithLabelValues(route, r.Method, strconv.Itoa(status)).Inc()
	m.latency.WithLabelValues(route).Observe(d.Seconds())
}
