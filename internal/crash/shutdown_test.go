package crash

import (
	"bufio"
	"fmt"
	"net"
	"net/http"
	"net/url"
	"strings"
	"syscall"
	"testing"
	"time"

	"copilote/internal/store"
	"copilote/internal/store/storetest"
)

// SIGTERM stops the server gracefully (issue 14, item 5): a request in
// flight when the signal comes is answered in full, new connections are
// refused, and the process exits with status 0.
func TestSIGTERMFinishesRequestsInFlight(t *testing.T) {
	if testing.Short() {
		t.Skip("builds and runs the real server")
	}
	dsn := storetest.DSN(t, store.SQLite)
	st := prepare(t, dsn)
	srv := newServer(t, build(t), dsn)
	addr := srv.addr

	// a sign-in whose body is still on its way when SIGTERM comes
	body := url.Values{"email": {st.emails[st.ctgs[0]]}, "password": {password}}.Encode()
	conn, err := net.Dial("tcp", addr)
	if err != nil {
		t.Fatal(err)
	}
	defer conn.Close()
	fmt.Fprintf(conn, "POST /login HTTP/1.1\r\nHost: %s\r\nContent-Type: application/x-www-form-urlencoded\r\nContent-Length: %d\r\nConnection: close\r\n\r\n%s",
		addr, len(body), body[:10])
	time.Sleep(200 * time.Millisecond)
	if err := srv.cmd.Process.Signal(syscall.SIGTERM); err != nil {
		t.Fatal(err)
	}
	time.Sleep(300 * time.Millisecond)
	if _, err := net.DialTimeout("tcp", addr, time.Second); err == nil {
		t.Errorf("a new connection was accepted after SIGTERM")
	}
	fmt.Fprint(conn, body[10:])
	res, err := http.ReadResponse(bufio.NewReader(conn), nil)
	if err != nil {
		t.Fatalf("the request in flight got no answer: %v", err)
	}
	res.Body.Close()
	if res.StatusCode != http.StatusSeeOther || !strings.Contains(res.Header.Get("Set-Cookie"), "session") {
		t.Errorf("the sign-in in flight answered %d %q", res.StatusCode, res.Header.Get("Set-Cookie"))
	}
	done := make(chan error, 1)
	go func() { done <- srv.cmd.Wait() }()
	select {
	case err := <-done:
		if err != nil {
			t.Errorf("exit after SIGTERM: %v", err)
		}
	case <-time.After(15 * time.Second):
		srv.cmd.Process.Kill()
		t.Fatal("the server did not exit after SIGTERM")
	}
	t.Log("the sign-in in flight was answered 303 after SIGTERM, then the server exited with status 0")
}
