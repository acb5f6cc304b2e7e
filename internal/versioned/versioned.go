// Package versioned keeps values an app instance computed from the
// database for as long as the version they depend on has not moved. The
// version is the database's: the data version of the last commit that
// changed what the value shows (store.ScopeVersion: a CTG's own, its
// Caf's, or what every page shares), moved on by commits on any instance.
// A reader reads the version before computing, so a kept value is never
// older than the version it is filed under. Each key has its own version:
// a write in one CTG leaves the values of the others in place. Nothing
// kept is needed by another instance: each computes its own.
package versioned

import (
	"sync"
	"time"
)

// Cache holds at most max values, each with the version it was computed at.
type Cache[K comparable, V any] struct {
	mu     sync.Mutex
	max    int
	now    func() time.Time
	values map[K]entry[V]
}

type entry[V any] struct {
	version int64
	at      time.Time // when it was put
	value   V
}

func New[K comparable, V any](max int) *Cache[K, V] {
	return &Cache[K, V]{max: max, now: time.Now, values: map[K]entry[V]{}}
}

// Get returns the value kept for k at version.
func (c *Cache[K, V]) Get(version int64, k K) (V, bool) {
	c.mu.Lock()
	defer c.mu.Unlock()
	e, ok := c.values[k]
	if !ok || e.version != version {
		var zero V
		return zero, false
	}
	return e.value, true
}

// Recent returns the value kept for k at version, or else one put less
// than maxAge ago whatever its version, with the time it was put: for
// figures that may lag behind the data by a few seconds.
func (c *Cache[K, V]) Recent(version int64, k K, maxAge time.Duration) (V, time.Time, bool) {
	c.mu.Lock()
	defer c.mu.Unlock()
	e, ok := c.values[k]
	if !ok || (e.version != version && c.now().Sub(e.at) >= maxAge) {
		var zero V
		return zero, time.Time{}, false
	}
	return e.value, e.at, true
}

// Put keeps v for k at version; a value older than the one kept for k is
// dropped (a slow reader finishing after a commit). When the cache is
// full, a quarter of it goes, whichever values the map yields first.
func (c *Cache[K, V]) Put(version int64, k K, v V) {
	c.mu.Lock()
	defer c.mu.Unlock()
	old, ok := c.values[k]
	if ok && old.version > version {
		return
	}
	if !ok && len(c.values) >= c.max {
		drop := max(1, c.max/4)
		for key := range c.values {
			delete(c.values, key)
			if drop--; drop == 0 {
				break
			}
		}
	}
	c.values[k] = entry[V]{version: version, at: c.now(), value: v}
}

// Load returns the value kept for k at version, or computes it and keeps
// it when compute succeeds.
func (c *Cache[K, V]) Load(version int64, k K, compute func() (V, error)) (V, error) {
	if v, ok := c.Get(version, k); ok {
		return v, nil
	}
	v, err := compute()
	if err == nil {
		c.Put(version, k, v)
	}
	return v, err
}
