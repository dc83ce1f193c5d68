// Command pam is the Personal AI Manager: mail, calendar and tasks with
// local AI, on the user's own machine.
package main

import (
	"context"
	"os"
	"os/signal"
	"syscall"

	"github.com/pam-ai/pam/internal/cli"
)

func main() {
	ctx, stop := signal.NotifyContext(context.Background(), os.Interrupt, syscall.SIGTERM)
	code := cli.Main(ctx, os.Args[1:], os.Stdin, os.Stdout, os.Stderr)
	stop()
	os.Exit(code)
}
