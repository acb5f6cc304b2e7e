// Package e2e drives the real program in Debian's Chromium: it builds
// cmd/copilote, serves the demo dataset on SQLite, and walks through what
// users do every day.
package e2e

import (
	"context"
	"flag"
	"fmt"
	"net"
	"net/http"
	"os"
	"os/exec"
	"path/filepath"
	"runtime"
	"strings"
	"testing"
	"time"

	"github.com/chromedp/cdproto/network"
	"github.com/chromedp/chromedp"

	"copilote/internal/idptest"
)

var (
	baseURL  string
	repoRoot string
	skipWhy  string
	browser  context.Context
	// idp is the identity provider the server's single sign-on goes to
	idp *idptest.Provider
)

// demo credentials, as `copilote serve --demo` prints them
const (
	officerEmail = "elodie.charvet@demo.copilote.fr"
	adminEmail   = "catherine.brunel@demo.copilote.fr"
	demoPassword = "copilote-demo-2026"
)

func TestMain(m *testing.M) {
	flag.Parse()
	if testing.Short() {
		fmt.Println("e2e: skipped in -short mode")
		os.Exit(0)
	}
	_, file, _, _ := runtime.Caller(0)
	repoRoot = filepath.Join(filepath.Dir(file), "..", "..")
	code, err := run(m)
	if err != nil {
		fmt.Fprintln(os.Stderr, "e2e:", err)
		os.Exit(1)
	}
	os.Exit(code)
}

func run(m *testing.M) (int, error) {
	chrome, err := exec.LookPath("chromium")
	if err != nil {
		if os.Getenv("CI") == "true" {
			return 1, fmt.Errorf("chromium is not installed (apt-get install chromium): CI needs it")
		}
		skipWhy = "chromium is not installed (apt-get install chromium)"
		return m.Run(), nil
	}
	dir, err := os.MkdirTemp("", "copilote-e2e")
	if err != nil {
		return 1, err
	}
	defer os.RemoveAll(dir)
	if idp, err = idptest.Start(); err != nil {
		return 1, err
	}
	defer idp.Close()
	stop, err := startServer(dir)
	if err != nil {
		return 1, err
	}
	defer stop()
	opts := append(chromedp.DefaultExecAllocatorOptions[:], chromedp.ExecPath(chrome), chromedp.NoSandbox,
		chromedp.DisableGPU, chromedp.Flag("disable-background-networking", true),
		chromedp.Flag("disable-component-update", true), chromedp.Flag("disable-sync", true),
		chromedp.Flag("disable-quic", true), chromedp.WindowSize(1280, 900), chromedp.Flag("lang", "fr-FR"), chromedp.UserDataDir(filepath.Join(dir, "chrome")))
	allocCtx, cancelAlloc := chromedp.NewExecAllocator(context.Background(), opts...)
	defer cancelAlloc()
	var cancel context.CancelFunc
	browser, cancel = chromedp.NewContext(allocCtx)
	defer cancel()
	if err := chromedp.Run(browser); err != nil {
		return 1, fmt.Errorf("start chromium: %w", err)
	}
	return m.Run(), nil
}

// startServer builds and runs the real binary with the demo, as `make run`
// does, with single sign-on through idp.
func startServer(dir string) (func(), error) {
	bin := filepath.Join(dir, "copilote")
	build := exec.Command("go", "build", "-o", bin, "./cmd/copilote")
	build.Dir, build.Stderr = repoRoot, os.Stderr
	build.Env = append(os.Environ(), "CGO_ENABLED=0")
	if err := build.Run(); err != nil {
		return nil, fmt.Errorf("build: %w", err)
	}
	ln, err := net.Listen("tcp", "127.0.0.1:0")
	if err != nil {
		return nil, err
	}
	addr := ln.Addr().String()
	ln.Close()
	log, _ := os.Create(filepath.Join(dir, "server.log"))
	cmd := exec.Command(bin, "serve", "--addr", addr, "--db", filepath.Join(dir, "demo.db"), "--demo")
	cmd.Stdout, cmd.Stderr = log, log
	cmd.Env = append(os.Environ(), "COPILOTE_OIDC_ISSUER="+idp.URL(), "COPILOTE_OIDC_CLIENT_ID="+idptest.ClientID,
		"COPILOTE_OIDC_CLIENT_SECRET="+idptest.ClientSecret, "COPILOTE_OIDC_REDIRECT_URL=http://"+addr+"/login/sso/callback",
		"COPILOTE_OIDC_NAME=ProConnect")
	if err := cmd.Start(); err != nil {
		return nil, err
	}
	baseURL = "http://" + addr
	stop := func() { cmd.Process.Signal(os.Interrupt); cmd.Wait() }
	deadline := time.Now().Add(3 * time.Minute)
	for time.Now().Before(deadline) {
		if res, err := http.Get(baseURL + "/healthz"); err == nil {
			res.Body.Close()
			if res.StatusCode == 200 {
				return stop, nil
			}
		}
		time.Sleep(300 * time.Millisecond)
	}
	stop()
	b, _ := os.ReadFile(filepath.Join(dir, "server.log"))
	return nil, fmt.Errorf("server did not answer /healthz: %s", b)
}

// tab opens a fresh browser tab (own cookies) for one test.
func tab(t *testing.T) context.Context {
	t.Helper()
	if skipWhy != "" {
		t.Skip(skipWhy)
	}
	ctx, cancel := chromedp.NewContext(browser)
	ctx, cancelT := context.WithTimeout(ctx, 90*time.Second)
	t.Cleanup(func() { cancelT(); cancel() })
	// tabs share cookies: each test starts signed out
	must(t, ctx, network.ClearBrowserCookies())
	return ctx
}

func must(t *testing.T, ctx context.Context, actions ...chromedp.Action) {
	t.Helper()
	if err := chromedp.Run(ctx, actions...); err != nil {
		t.Fatal(err)
	}
}

func text(t *testing.T, ctx context.Context, sel string) string {
	t.Helper()
	var s string
	must(t, ctx, chromedp.Text(sel, &s, chromedp.ByQuery))
	return strings.TrimSpace(s)
}

func login(t *testing.T, ctx context.Context, email string) {
	t.Helper()
	must(t, ctx,
		chromedp.Navigate(baseURL+"/login"),
		chromedp.SendKeys("#email", email, chromedp.ByQuery),
		chromedp.SendKeys("#password", demoPassword, chromedp.ByQuery),
		chromedp.Click(`button[type=submit]`, chromedp.ByQuery),
		chromedp.WaitVisible(`ul.cards`, chromedp.ByQuery),
	)
}
