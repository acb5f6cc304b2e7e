// Package versioned keeps values an app instance computed from the
// database for as long as the database's data version (store.DataVersion,
// moved on by every committed change, on any instance) is the one they
// were computed at. A reader reads the version before computing, so a
// kept value is never older than the version it is filed under. Nothing
// kept is needed by another instance: each computes its own.
package versioned

import "sync"

// Cache holds at most max values of one version; a newer version empties it.
type Cache[K comparable, V any] struct {
	mu      sync.Mutex
	max     int
	version int64
	values  map[K]V
}

func New[K comparable, V any](max int) *Cache[K, V] { return &Cache[K, V]{max: max} }

// Get returns the value kept for k at version.
func (c *Cache[K, V]) Get(version int64, k K) (V, bool) {
	c.mu.Lock()
	defer c.mu.Unlock()
	v, ok := c.values[k]
	if !ok || version != c.version {
		var zero V
		return zero, false
	}
	return v, true
}

// Put keeps v for k at version; a value of an older version than the
// cache's is dropped (a slow reader finishing after a commit).
func (c *Cache[K, V]) Put(version int64, k K, v V) {
	c.mu.Lock()
	defer c.mu.Unlock()
	if version < c.version {
		return
	}
	if version > c.version || len(c.values) >= c.max || c.values == nil {
		c.version, c.values = version, map[K]V{}
	}
	c.values[k] = v
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
