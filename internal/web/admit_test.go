package web

import (
	"context"
	"net/http/httptest"
	"testing"
	"time"

	"copilote/internal/config"
	"copilote/internal/store"
	"copilote/internal/store/storetest"
)

// A long download leaves its reading slot before it streams, so that the
// pages of other users do not wait for it; the slot is given back once
// whoever gives it first (leaveSlot, then the handler's wrapper).
func TestDownloadLeavesItsSlot(t *testing.T) {
	db := storetest.Open(t, store.SQLite)
	var srv *Server
	newSiteWith(t, db, config.Default(), func(s *Server) {
		s.readSlots = make(chan struct{}, 1)
		srv = s
	})
	download, release, err := srv.admitRead(httptest.NewRequest("GET", "/ctg/1/journal?format=csv", nil))
	if err != nil {
		t.Fatal(err)
	}
	short, cancel := context.WithTimeout(context.Background(), 50*time.Millisecond)
	defer cancel()
	if _, _, err := srv.admitRead(httptest.NewRequest("GET", "/", nil).WithContext(short)); err == nil {
		t.Fatal("a page was admitted while the only slot was taken")
	}
	leaveSlot(download)
	page, releasePage, err := srv.admitRead(httptest.NewRequest("GET", "/", nil))
	if err != nil {
		t.Fatalf("a page waited for a download that left its slot: %v", err)
	}
	release() // the download's wrapper: its slot was already given back
	if n := len(srv.readSlots); n != 1 {
		t.Fatalf("after the download ended, %d slots taken, want 1 (the page's)", n)
	}
	leaveSlot(page)
	releasePage()
	if n := len(srv.readSlots); n != 0 {
		t.Fatalf("%d slots taken after every request ended", n)
	}
}
