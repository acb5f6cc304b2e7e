package mail

import (
	"bufio"
	"context"
	"io"
	"mime"
	"mime/quotedprintable"
	"net"
	"net/mail"
	"strconv"
	"strings"
	"testing"
	"time"

	"copilote/internal/config"
)

// relay is a minimal SMTP server on loopback (no STARTTLS, which only a
// local relay may lack): it records the envelope and the message.
type relay struct {
	addr       string
	from, rcpt string
	data       chan string
}

func newRelay(t *testing.T) *relay {
	ln, err := net.Listen("tcp", "127.0.0.1:0")
	if err != nil {
		t.Fatal(err)
	}
	t.Cleanup(func() { ln.Close() })
	r := &relay{addr: ln.Addr().String(), data: make(chan string, 1)}
	go func() {
		conn, err := ln.Accept()
		if err != nil {
			return
		}
		defer conn.Close()
		in := bufio.NewReader(conn)
		say := func(s string) { io.WriteString(conn, s+"\r\n") }
		say("220 relais de test")
		for {
			line, err := in.ReadString('\n')
			if err != nil {
				return
			}
			cmd := strings.ToUpper(strings.TrimSpace(line))
			switch {
			case strings.HasPrefix(cmd, "EHLO"):
				say("250-relais")
				say("250 8BITMIME")
			case strings.HasPrefix(cmd, "MAIL FROM:"):
				r.from = strings.TrimSpace(line)[len("MAIL FROM:"):]
				say("250 ok")
			case strings.HasPrefix(cmd, "RCPT TO:"):
				r.rcpt = strings.TrimSpace(line)[len("RCPT TO:"):]
				say("250 ok")
			case cmd == "DATA":
				say("354 go")
				var b strings.Builder
				for {
					l, err := in.ReadString('\n')
					if err != nil || l == ".\r\n" {
						break
					}
					b.WriteString(l)
				}
				r.data <- b.String()
				say("250 queued")
			case cmd == "QUIT":
				say("221 bye")
				return
			default:
				say("500 unknown")
			}
		}
	}()
	return r
}

func TestSendPlainTextInUTF8(t *testing.T) {
	r := newRelay(t)
	host, port, _ := net.SplitHostPort(r.addr)
	cfg := config.SMTP{Host: host, From: "copilote@caf26.fr"}
	cfg.Port, _ = strconv.Atoi(port)
	s := New(cfg)
	s.now = func() time.Time { return time.Date(2026, 3, 2, 9, 0, 0, 0, time.UTC) }
	body := "Bonjour Élodie,\n\nPour choisir votre mot de passe, ouvrez ce lien avant le 9 mars :\nhttps://copilote.caf26.fr/password/set?token=" +
		strings.Repeat("x", 43) + "\n"
	err := s.Send(context.Background(), Message{To: "elodie@caf26.fr", Subject: "Votre compte Copilote – accès", Body: body})
	if err != nil {
		t.Fatal(err)
	}
	if !strings.HasPrefix(r.from, "<copilote@caf26.fr>") || !strings.HasPrefix(r.rcpt, "<elodie@caf26.fr>") {
		t.Errorf("envelope %s → %s", r.from, r.rcpt)
	}
	msg, err := mail.ReadMessage(strings.NewReader(<-r.data))
	if err != nil {
		t.Fatal(err)
	}
	dec := new(mime.WordDecoder)
	subject, _ := dec.DecodeHeader(msg.Header.Get("Subject"))
	if subject != "Votre compte Copilote – accès" || msg.Header.Get("Content-Type") != "text/plain; charset=utf-8" ||
		msg.Header.Get("Date") != "Mon, 02 Mar 2026 09:00:00 +0000" {
		t.Errorf("headers %v (subject %q)", msg.Header, subject)
	}
	got, _ := io.ReadAll(quotedprintable.NewReader(msg.Body))
	if strings.ReplaceAll(string(got), "\r\n", "\n") != body {
		t.Errorf("body %q, want %q", got, body)
	}
	if err := s.Send(context.Background(), Message{To: "a@b.fr\r\nBcc: c@d.fr", Subject: "x"}); err == nil {
		t.Error("a header with a line break was sent")
	}
}
