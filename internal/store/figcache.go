package store

import (
	"sync"

	"copilote/internal/indicator"
)

// figureCache keeps the results computed at one data version. A result is
// handed out only to a reader who read that same version, so it is never
// older than what the database held when the reader asked; the first
// commit anywhere moves the version on and empties the cache at the next
// put. Nothing in it is needed by another instance: each computes its own.
type figureCache struct {
	mu      sync.Mutex
	version int64
	results map[figureKey]indicator.Result
}

type figureKey struct {
	scope  indicator.Scope
	period indicator.Period
}

// maxCachedResults bounds the memory: about 10 KB a result.
const maxCachedResults = 2048

func (c *figureCache) get(version int64, k figureKey) (indicator.Result, bool) {
	c.mu.Lock()
	defer c.mu.Unlock()
	if version != c.version {
		return indicator.Result{}, false
	}
	r, ok := c.results[k]
	if ok {
		r = r.Clone()
	}
	return r, ok
}

// put keeps r for version; a result of an older version than the cache's
// is dropped (a slower reader finishing after a write).
func (c *figureCache) put(version int64, k figureKey, r indicator.Result) {
	c.mu.Lock()
	defer c.mu.Unlock()
	if version < c.version {
		return
	}
	if version > c.version || len(c.results) >= maxCachedResults || c.results == nil {
		c.version, c.results = version, map[figureKey]indicator.Result{}
	}
	c.results[k] = r.Clone()
}
