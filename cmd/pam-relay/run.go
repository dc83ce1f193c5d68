package main

import (
	"context"
	"errors"
	"flag"
	"fmt"
	"io"
	"log/slog"
	"net"
	"net/http"
	"os"
	"runtime/pprof"
	"time"

	"github.com/pam-ai/pam/internal/syncserver"
	"github.com/pam-ai/pam/internal/syncserver/sqlstore"
)

const (
	exitOK    = 0
	exitFail  = 1
	exitUsage = 2
)

func run(ctx context.Context, args []string, stdout, stderr io.Writer) int {
	if len(args) == 0 || args[0] != "serve" {
		fmt.Fprintln(stderr, "usage: pam-relay serve --addr HOST:PORT --store sqlite:PATH|postgres://URL [--tls-cert F --tls-key F]")
		return exitUsage
	}
	fs := flag.NewFlagSet("pam-relay serve", flag.ContinueOnError)
	fs.SetOutput(stderr)
	addr := fs.String("addr", "127.0.0.1:8443", "listen address")
	store := fs.String("store", "", "storage: sqlite:PATH or postgres://USER@HOST:PORT/DB")
	cert := fs.String("tls-cert", "", "TLS certificate file (PEM); without it, serve plain HTTP for a reverse proxy or loopback")
	key := fs.String("tls-key", "", "TLS private key file (PEM)")
	var cfg syncserver.Config
	fs.Int64Var(&cfg.MaxBody, "max-body", 8<<20, "maximum request body in bytes")
	fs.Int64Var(&cfg.Quota, "quota", 1<<30, "bytes stored per account")
	fs.Float64Var(&cfg.Rate, "rate", 50, "requests per second per device token or client address")
	fs.IntVar(&cfg.Burst, "burst", 200, "request burst per token or address")
	fs.BoolVar(&cfg.NoSignup, "no-signup", false, "refuse to create new accounts")
	cpuprofile := fs.String("cpuprofile", "", "write a CPU profile (go tool pprof) to this file until shutdown")
	if err := fs.Parse(args[1:]); err != nil {
		if errors.Is(err, flag.ErrHelp) {
			return exitOK
		}
		return exitUsage
	}
	if *store == "" || (*cert == "") != (*key == "") || fs.NArg() > 0 {
		fmt.Fprintln(stderr, "pam-relay serve: --store is required, and --tls-cert and --tls-key go together")
		return exitUsage
	}
	log := slog.New(slog.NewTextHandler(stderr, nil))
	cfg.Logger = log
	if *cpuprofile != "" {
		f, err := os.Create(*cpuprofile)
		if err != nil {
			fmt.Fprintf(stderr, "pam-relay: %v\n", err)
			return exitFail
		}
		defer f.Close()
		if err := pprof.StartCPUProfile(f); err != nil {
			fmt.Fprintf(stderr, "pam-relay: %v\n", err)
			return exitFail
		}
		defer pprof.StopCPUProfile()
	}
	if err := serve(ctx, *addr, *store, *cert, *key, cfg, log, stdout); err != nil {
		fmt.Fprintf(stderr, "pam-relay: %v\n", err)
		return exitFail
	}
	return exitOK
}

func serve(ctx context.Context, addr, storeSpec, cert, key string, cfg syncserver.Config, log *slog.Logger, stdout io.Writer) error {
	st, err := sqlstore.Open(ctx, storeSpec)
	if err != nil {
		return err
	}
	defer st.Close()
	ln, err := net.Listen("tcp", addr)
	if err != nil {
		return err
	}
	srv := &http.Server{
		Handler:           syncserver.New(st, cfg).Handler(),
		ReadHeaderTimeout: 10 * time.Second,
		ReadTimeout:       2 * time.Minute,
		WriteTimeout:      2 * time.Minute,
		IdleTimeout:       2 * time.Minute,
		MaxHeaderBytes:    16 << 10,
	}
	scheme := "http"
	if cert != "" {
		scheme = "https"
	}
	// The first line on stdout is the URL, for scripts and tests that
	// listen on port 0.
	fmt.Fprintf(stdout, "%s://%s\n", scheme, ln.Addr())
	log.Info("pam-relay listening", "addr", ln.Addr().String(), "tls", cert != "")
	errc := make(chan error, 1)
	go func() {
		if cert != "" {
			errc <- srv.ServeTLS(ln, cert, key)
		} else {
			errc <- srv.Serve(ln)
		}
	}()
	select {
	case err := <-errc:
		return err
	case <-ctx.Done():
		sctx, cancel := context.WithTimeout(context.Background(), 10*time.Second)
		defer cancel()
		err := srv.Shutdown(sctx)
		<-errc
		return err
	}
}
