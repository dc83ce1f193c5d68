// Package cli implements the pam command line: one file per subcommand.
// It is the only package that reads configuration and wires concrete
// types together.
package cli

import (
	"context"
	"errors"
	"flag"
	"fmt"
	"io"
	"os"
	"path/filepath"
	"sort"
	"strings"

	"github.com/pam-ai/pam/internal/pam"
)

// Env is what every subcommand gets: the streams and the global options.
type Env struct {
	Stdin  io.Reader
	Stdout io.Writer
	Stderr io.Writer
	// Home is the data directory (--home, PAM_HOME, else XDG).
	Home string
	// Offline forbids any non-loopback connection.
	Offline bool
}

// command is one subcommand. Run gets the arguments after the name.
type command struct {
	Name    string
	Summary string
	// Usage, for a command made of subcommands (whose own flags only
	// the subcommand parses), is what pam NAME --help and pam help NAME
	// print: the synopsis after "pam NAME".
	Usage string
	Run   func(ctx context.Context, env *Env, args []string) error
}

var commands = map[string]*command{}

// register adds a subcommand; each cmd_*.go file registers its own in init.
func register(c *command) {
	if _, dup := commands[c.Name]; dup {
		panic("cli: duplicate command " + c.Name)
	}
	commands[c.Name] = c
}

// Exit codes.
const (
	exitOK       = 0
	exitFailure  = 1
	exitUsage    = 2
	exitNotFound = 3
	exitPartial  = 4 // the run finished but some items failed
)

// usageError marks a bad command line.
type usageError struct{ msg string }

func (e usageError) Error() string { return e.msg }

// partialError marks a run that completed with some failed items.
type partialError struct{ msg string }

func (e partialError) Error() string { return e.msg }

// Main runs pam with args and returns the process exit code.
func Main(ctx context.Context, args []string, stdin io.Reader, stdout, stderr io.Writer) int {
	env := &Env{Stdin: stdin, Stdout: stdout, Stderr: stderr}
	fs := flag.NewFlagSet("pam", flag.ContinueOnError)
	fs.SetOutput(stderr)
	fs.StringVar(&env.Home, "home", "", "data directory (default $PAM_HOME, else $XDG_DATA_HOME/pam)")
	fs.BoolVar(&env.Offline, "offline", false, "allow no network connection beyond loopback")
	fs.Usage = func() { usage(stderr) }
	if err := fs.Parse(args); err != nil {
		if errors.Is(err, flag.ErrHelp) {
			return exitOK
		}
		return exitUsage
	}
	rest := fs.Args()
	if len(rest) == 0 {
		usage(stderr)
		return exitUsage
	}
	help := false
	if rest[0] == "help" {
		if len(rest) == 1 {
			usage(stdout)
			return exitOK
		}
		rest, help = rest[1:], true
	}
	c, ok := commands[rest[0]]
	if !ok {
		fmt.Fprintf(stderr, "pam: unknown command %q (try pam help)\n", rest[0])
		return exitUsage
	}
	if len(rest) > 1 && (rest[1] == "-h" || rest[1] == "-help" || rest[1] == "--help") {
		help = true
	}
	if help {
		if c.Usage != "" {
			fmt.Fprintf(stdout, "usage: pam %s %s\n\n%s\n", c.Name, c.Usage, c.Summary)
			return exitOK
		}
		rest = []string{c.Name, "-h"} // the command's flag set prints its usage
	}
	if env.Home == "" {
		env.Home = defaultHome()
	}
	if os.Getenv("PAM_OFFLINE") == "1" {
		env.Offline = true
	}
	err := c.Run(ctx, env, rest[1:])
	return exitCode(stderr, c.Name, err)
}

func exitCode(stderr io.Writer, name string, err error) int {
	if err == nil {
		return exitOK
	}
	if errors.Is(err, flag.ErrHelp) {
		return exitOK
	}
	fmt.Fprintf(stderr, "pam %s: %v\n", name, err)
	var ue usageError
	var pe partialError
	switch {
	case errors.As(err, &ue), errors.Is(err, pam.ErrInvalid):
		return exitUsage
	case errors.Is(err, pam.ErrNotFound):
		return exitNotFound
	case errors.As(err, &pe):
		return exitPartial
	default:
		return exitFailure
	}
}

func usage(w io.Writer) {
	fmt.Fprintln(w, "usage: pam [--home DIR] [--offline] COMMAND [ARGS]")
	fmt.Fprintln(w, "\ncommands:")
	names := make([]string, 0, len(commands))
	for n := range commands {
		names = append(names, n)
	}
	sort.Strings(names)
	for _, n := range names {
		fmt.Fprintf(w, "  %-10s %s\n", n, commands[n].Summary)
	}
}

// defaultHome follows XDG: $PAM_HOME, else $XDG_DATA_HOME/pam, else
// ~/.local/share/pam.
func defaultHome() string {
	if h := os.Getenv("PAM_HOME"); h != "" {
		return h
	}
	if x := os.Getenv("XDG_DATA_HOME"); x != "" && filepath.IsAbs(x) {
		return filepath.Join(x, "pam")
	}
	if h, err := os.UserHomeDir(); err == nil {
		return filepath.Join(h, ".local", "share", "pam")
	}
	return ".pam"
}

// newFlags returns a flag set for a subcommand that prints its errors to env.
func newFlags(env *Env, name, argsUsage string) *flag.FlagSet {
	fs := flag.NewFlagSet("pam "+name, flag.ContinueOnError)
	fs.SetOutput(env.Stderr)
	fs.Usage = func() {
		fmt.Fprintf(env.Stderr, "usage: pam %s %s\n", name, argsUsage)
		fs.PrintDefaults()
	}
	return fs
}

// parseFlags parses args, allowing flags after positional arguments
// (pam search --json foo and pam search foo --json both work).
func parseFlags(fs *flag.FlagSet, args []string) ([]string, error) {
	var pos []string
	for {
		if err := fs.Parse(args); err != nil {
			if errors.Is(err, flag.ErrHelp) {
				return nil, err
			}
			return nil, usageError{err.Error()}
		}
		args = fs.Args()
		if len(args) == 0 {
			return pos, nil
		}
		if args[0] == "--" {
			return append(pos, args[1:]...), nil
		}
		pos = append(pos, args[0])
		args = args[1:]
		if len(args) == 0 || !strings.HasPrefix(args[0], "-") {
			// keep consuming positionals one at a time
		}
	}
}
