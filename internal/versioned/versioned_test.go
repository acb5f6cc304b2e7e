package versioned

import "testing"

func TestCacheKeepsOneVersion(t *testing.T) {
	c := New[string, int](2)
	c.Put(3, "a", 1)
	if v, ok := c.Get(3, "a"); !ok || v != 1 {
		t.Fatalf("Get(3, a) = %v, %v", v, ok)
	}
	if _, ok := c.Get(4, "a"); ok {
		t.Error("a value of version 3 was served at version 4")
	}
	c.Put(2, "b", 2) // older than the cache: dropped
	if _, ok := c.Get(2, "b"); ok {
		t.Error("a value of an older version was kept")
	}
	c.Put(4, "b", 2) // newer: the version-3 values go
	if _, ok := c.Get(3, "a"); ok {
		t.Error("version 3 still served after version 4 was put")
	}
	c.Put(4, "c", 3)
	c.Put(4, "d", 4) // over max: starts again
	if _, ok := c.Get(4, "b"); ok {
		t.Error("cache grew past its bound")
	}
	if v, ok := c.Get(4, "d"); !ok || v != 4 {
		t.Errorf("Get(4, d) = %v, %v", v, ok)
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
