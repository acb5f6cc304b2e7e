// Package mail sends Copilote's few messages, the invitation and password
// links, through an SMTP relay: plain text in UTF-8, over STARTTLS.
package mail

import (
	"bytes"
	"context"
	"crypto/rand"
	"crypto/tls"
	"encoding/hex"
	"errors"
	"fmt"
	"mime"
	"mime/quotedprintable"
	"net"
	"net/smtp"
	"strconv"
	"strings"
	"time"

	"copilote/internal/config"
)

// Message is one plain-text message to one address.
type Message struct {
	To      string
	Subject string
	Body    string
}

// Sender sends a message; the web server holds none when mail is off.
type Sender interface {
	Send(ctx context.Context, m Message) error
}

// SMTP sends through the configured relay.
type SMTP struct {
	cfg config.SMTP
	now func() time.Time
}

func New(cfg config.SMTP) *SMTP { return &SMTP{cfg: cfg, now: time.Now} }

// timeout bounds a whole exchange with the relay when ctx sets no deadline.
const timeout = 30 * time.Second

// Send delivers m. The session is encrypted with STARTTLS, whose
// certificate must match the relay's name; a relay that offers no
// STARTTLS is refused, unless it listens on this machine (a local
// relay), since a link in clear would open the account to whoever reads
// the network.
func (s *SMTP) Send(ctx context.Context, m Message) error {
	if strings.ContainsAny(m.To+m.Subject, "\r\n") {
		return errors.New("mail: line break in a header")
	}
	addr := net.JoinHostPort(s.cfg.Host, strconv.Itoa(s.cfg.Port))
	conn, err := (&net.Dialer{Timeout: 10 * time.Second}).DialContext(ctx, "tcp", addr)
	if err != nil {
		return fmt.Errorf("mail: %w", err)
	}
	deadline, ok := ctx.Deadline()
	if !ok {
		deadline = time.Now().Add(timeout)
	}
	conn.SetDeadline(deadline)
	c, err := smtp.NewClient(conn, s.cfg.Host)
	if err != nil {
		conn.Close()
		return fmt.Errorf("mail: %w", err)
	}
	defer c.Close()
	if err := s.dialogue(c, m); err != nil {
		return fmt.Errorf("mail to %s: %w", m.To, err)
	}
	return nil
}

func (s *SMTP) dialogue(c *smtp.Client, m Message) error {
	if err := c.Hello(helloName(s.cfg.From)); err != nil {
		return err
	}
	if ok, _ := c.Extension("STARTTLS"); ok {
		if err := c.StartTLS(&tls.Config{ServerName: s.cfg.Host, MinVersion: tls.VersionTLS12}); err != nil {
			return err
		}
	} else if !loopback(s.cfg.Host) {
		return errors.New("the relay offers no STARTTLS")
	}
	if s.cfg.User != "" {
		if err := c.Auth(smtp.PlainAuth("", s.cfg.User, s.cfg.Password, s.cfg.Host)); err != nil {
			return err
		}
	}
	if err := c.Mail(s.cfg.From); err != nil {
		return err
	}
	if err := c.Rcpt(m.To); err != nil {
		return err
	}
	w, err := c.Data()
	if err != nil {
		return err
	}
	if _, err := w.Write(s.compose(m)); err != nil {
		return err
	}
	if err := w.Close(); err != nil {
		return err
	}
	return c.Quit()
}

// compose writes the headers and the quoted-printable body, lines ended
// by CRLF.
func (s *SMTP) compose(m Message) []byte {
	var b bytes.Buffer
	id := make([]byte, 12)
	rand.Read(id)
	h := [][2]string{
		{"From", mime.QEncoding.Encode("utf-8", "Copilote") + " <" + s.cfg.From + ">"},
		{"To", "<" + m.To + ">"},
		{"Subject", mime.QEncoding.Encode("utf-8", m.Subject)},
		{"Date", s.now().Format(time.RFC1123Z)},
		{"Message-ID", "<" + hex.EncodeToString(id) + "@" + helloName(s.cfg.From) + ">"},
		{"MIME-Version", "1.0"},
		{"Content-Type", "text/plain; charset=utf-8"},
		{"Content-Transfer-Encoding", "quoted-printable"},
		{"Auto-Submitted", "auto-generated"},
	}
	for _, kv := range h {
		b.WriteString(kv[0] + ": " + kv[1] + "\r\n")
	}
	b.WriteString("\r\n")
	qp := quotedprintable.NewWriter(&b)
	qp.Write([]byte(strings.ReplaceAll(strings.ReplaceAll(m.Body, "\r\n", "\n"), "\n", "\r\n")))
	qp.Close()
	return b.Bytes()
}

// helloName is the sender's domain, which names this client to the relay.
func helloName(from string) string {
	if _, domain, ok := strings.Cut(from, "@"); ok && domain != "" {
		return domain
	}
	return "localhost"
}

func loopback(host string) bool {
	if host == "localhost" {
		return true
	}
	ip := net.ParseIP(host)
	return ip != nil && ip.IsLoopback()
}
