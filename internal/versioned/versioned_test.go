package versioned

import (
	"testing"
	"time"
)

func TestEachKeyKeepsItsVersion(t *testing.T) {
	c := New[string, int](8)
	c.Put(3, "a", 1)
	c.Put(5, "b", 2)
	if v, ok := c.Get(3, "a"); !ok || v != 1 {
		t.Fatalf("Get(3, a) = %v, %v: a newer value of b pushed a out", v, ok)
	}
	if _, ok := c.Get(4, "a"); ok {
		t.Error("a value of version 3 was served at version 4")
	}
	c.Put(2, "a", 9) // older than what is kept for a: dropped
	if v, ok := c.Get(3, "a"); !ok || v != 1 {
		t.Errorf("an older value replaced a newer one: Get(3, a) = %v, %v", v, ok)
	}
	c.Put(6, "a", 7)
	if _, ok := c.Get(3, "a"); ok {
		t.Error("version 3 of a still served after version 6 was put")
	}
	if v, ok := c.Get(5, "b"); !ok || v != 2 {
		t.Errorf("Get(5, b) = %v, %v", v, ok)
	}
}

func TestCacheStaysBounded(t *testing.T) {
	c := New[int, int](8)
	for i := range 100 {
		c.Put(1, i, i)
		if len(c.values) > 8 {
			t.Fatalf("%d values kept, bound 8", len(c.values))
		}
	}
	if v, ok := c.Get(1, 99); !ok || v != 99 {
		t.Errorf("the last value put is gone: %v, %v", v, ok)
	}
}

func TestRecentServesWithinItsAge(t *testing.T) {
	now := time.Date(2026, 11, 29, 12, 0, 0, 0, time.UTC)
	c := New[string, int](8)
	c.now = func() time.Time { return now }
	c.Put(1, "national", 10)
	now = now.Add(4 * time.Second)
	v, at, ok := c.Recent(2, "national", 5*time.Second)
	if !ok || v != 10 || !at.Equal(now.Add(-4*time.Second)) {
		t.Fatalf("Recent 4 s after = %v, %v, %v; want the kept value and its time", v, at, ok)
	}
	now = now.Add(time.Second)
	if _, _, ok := c.Recent(2, "national", 5*time.Second); ok {
		t.Error("a value of another version served 5 s after it was put, with 5 s allowed")
	}
	if v, _, ok := c.Recent(1, "national", 5*time.Second); !ok || v != 10 {
		t.Error("a value of the asked version is not served because of its age")
	}
}

func TestLoadComputesOncePerVersion(t *testing.T) {
	c := New[int, int](8)
	calls := 0
	compute := func() (int, error) { calls++; return calls, nil }
	for range 3 {
		if v, _ := c.Load(1, 7, compute); v != 1 {
			t.Fatalf("Load at version 1 = %d, want 1", v)
		}
	}
	if v, _ := c.Load(2, 7, compute); v != 2 || calls != 2 {
		t.Errorf("Load at version 2 = %d after %d calls, want 2 after 2", v, calls)
	}
}
