// Command pam-relay is PAM's sync server: it stores sealed batches,
// snapshots and opaque blobs for accounts of devices, and can read none of
// them. It imports nothing that handles plaintext (see deps_test.go).
//
//	pam-relay serve --addr 127.0.0.1:8443 --store sqlite:/var/lib/pam-relay/relay.db \
//	    [--tls-cert cert.pem --tls-key key.pem]
package main

import (
	"context"
	"os"
	"os/signal"
	"syscall"
)

func main() {
	ctx, stop := signal.NotifyContext(context.Background(), os.Interrupt, syscall.SIGTERM)
	code := run(ctx, os.Args[1:], os.Stdout, os.Stderr)
	stop()
	os.Exit(code)
}
