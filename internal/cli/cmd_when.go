package cli

import (
	"bufio"
	"context"
	"encoding/json"
	"fmt"
	"io"
	"strings"
	"time"

	"github.com/pam-ai/pam/internal/when"
)

func init() {
	register(&command{Name: "when", Summary: "resolve an English date or time (\"next Tuesday 3pm\")", Run: runWhen})
}

// whenJSON is one line of pam when --json: start and end are RFC 3339;
// end is null for an open interval, whose bound is start and direction
// open ("before" or "after").
type whenJSON struct {
	Text  string  `json:"text"`
	None  bool    `json:"none,omitempty"`
	Start string  `json:"start,omitempty"`
	End   *string `json:"end,omitempty"`
	Grain string  `json:"grain,omitempty"`
	Open  string  `json:"open,omitempty"`
}

func runWhen(ctx context.Context, env *Env, args []string) error {
	fs := newFlags(env, "when", "[--ref RFC3339] [--tz ZONE] [--json] TEXT | --batch [--tz ZONE] [--json] < REF<TAB>TEXT lines")
	refFlag := fs.String("ref", "", "reference time, RFC 3339 (default: now)")
	tzFlag := fs.String("tz", "", "the user's time zone, e.g. Europe/Paris (default: the reference's zone, else local)")
	asJSON := fs.Bool("json", false, "print one JSON object per line")
	batch := fs.Bool("batch", false, "read REF<TAB>TEXT lines from stdin")
	future := fs.Bool("future", false, "never resolve to a period already over unless the text says so")
	rest, err := parseFlags(fs, args)
	if err != nil {
		return err
	}
	var loc *time.Location
	if *tzFlag != "" {
		if loc, err = time.LoadLocation(*tzFlag); err != nil {
			return usageError{fmt.Sprintf("--tz: unknown time zone %q", *tzFlag)}
		}
	}
	opts := when.Options{Location: loc, FutureBias: *future}
	out := bufio.NewWriter(env.Stdout)
	defer out.Flush()
	if *batch {
		if len(rest) > 0 || *refFlag != "" {
			return usageError{"--batch takes its reference times and texts from stdin"}
		}
		return whenBatch(ctx, env, out, opts, *asJSON)
	}
	text := strings.Join(rest, " ")
	if strings.TrimSpace(text) == "" {
		return usageError{"nothing to resolve"}
	}
	ref := time.Now()
	if *refFlag != "" {
		if ref, err = time.Parse(time.RFC3339, *refFlag); err != nil {
			return usageError{fmt.Sprintf("--ref: %v", err)}
		}
	} else if loc == nil {
		ref = ref.In(time.Local)
	}
	return printWhen(out, text, ref, opts, *asJSON)
}

func whenBatch(ctx context.Context, env *Env, out *bufio.Writer, opts when.Options, asJSON bool) error {
	sc := bufio.NewScanner(env.Stdin)
	sc.Buffer(make([]byte, 64*1024), 1<<20)
	line, bad := 0, 0
	for sc.Scan() {
		if err := ctx.Err(); err != nil {
			return err
		}
		line++
		refText, text, ok := strings.Cut(sc.Text(), "\t")
		if !ok {
			bad++
			fmt.Fprintf(env.Stderr, "pam when: line %d: want REF<TAB>TEXT\n", line)
			continue
		}
		ref, err := time.Parse(time.RFC3339, strings.TrimSpace(refText))
		if err != nil {
			bad++
			fmt.Fprintf(env.Stderr, "pam when: line %d: reference time: %v\n", line, err)
			continue
		}
		if err := printWhen(out, text, ref, opts, asJSON); err != nil {
			return err
		}
	}
	if err := sc.Err(); err != nil {
		return fmt.Errorf("read stdin: %w", err)
	}
	if bad > 0 {
		return partialError{fmt.Sprintf("%d of %d lines could not be read", bad, line)}
	}
	return nil
}

func printWhen(w io.Writer, text string, ref time.Time, opts when.Options, asJSON bool) error {
	r, ok := when.Resolve(text, ref, opts)
	if asJSON {
		j := whenJSON{Text: text, None: !ok}
		if ok {
			j.Start = r.Start.Format(time.RFC3339)
			j.Grain = r.Grain.String()
			switch r.Open {
			case when.Before:
				j.Open = "before"
			case when.After:
				j.Open = "after"
			default:
				e := r.End.Format(time.RFC3339)
				j.End = &e
			}
		}
		b, err := json.Marshal(j)
		if err != nil {
			return err
		}
		_, err = fmt.Fprintf(w, "%s\n", b)
		return err
	}
	if !ok {
		_, err := fmt.Fprintf(w, "%s\tnone\n", text)
		return err
	}
	var desc string
	switch r.Open {
	case when.Before:
		desc = "before " + r.Start.Format(time.RFC3339)
	case when.After:
		desc = "from " + r.Start.Format(time.RFC3339)
	default:
		desc = r.Start.Format(time.RFC3339) + " – " + r.End.Format(time.RFC3339)
	}
	_, err := fmt.Fprintf(w, "%s\t%s (%s)\n", text, desc, r.Grain)
	return err
}
