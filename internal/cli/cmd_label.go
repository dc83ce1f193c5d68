package cli

import (
	"context"
	"encoding/json"
	"fmt"

	"github.com/pam-ai/pam/internal/pipeline"
)

func init() {
	register(&command{Name: "label", Summary: "correct a message's kind, folder or spam verdict (teaches your models)", Run: runLabel})
}

func runLabel(ctx context.Context, env *Env, args []string) error {
	fs := newFlags(env, "label", "ID (--kind KIND | --folder NAME | --spam | --ham) [--json]")
	kind := fs.String("kind", "", "the message's kind: person, forum, newsletter, promotion, notification, social or spam")
	folder := fs.String("folder", "", "the folder the message belongs in")
	spam := fs.Bool("spam", false, "the message is spam")
	ham := fs.Bool("ham", false, "the message is not spam")
	asJSON := fs.Bool("json", false, "print the new classification as JSON")
	rest, err := parseFlags(fs, args)
	if err != nil {
		return err
	}
	if len(rest) != 1 {
		return usageError{"label: give one message id"}
	}
	var task, label string
	n := 0
	if *kind != "" {
		task, label, n = pipeline.TaskKind, *kind, n+1
	}
	if *folder != "" {
		task, label, n = pipeline.TaskFolders, *folder, n+1
	}
	if *spam {
		task, label, n = pipeline.TaskSpam, "spam", n+1
	}
	if *ham {
		task, label, n = pipeline.TaskSpam, "ham", n+1
	}
	if n != 1 {
		return usageError{"label: give exactly one of --kind, --folder, --spam, --ham"}
	}
	st, err := openStore(ctx, env)
	if err != nil {
		return err
	}
	defer st.Close()
	row, err := st.Resolve(ctx, rest[0])
	if err != nil {
		return err
	}
	if err := pipeline.Correct(ctx, st, row, task, label); err != nil {
		return err
	}
	// Learn now and classify the message again, so the next look at it
	// (and every later classification) reflects the correction.
	rep, err := runPipeline(ctx, env, st, nil)
	if err != nil {
		return err
	}
	res, err := pipeline.Get(ctx, st, row)
	if err != nil {
		return err
	}
	if *asJSON {
		return json.NewEncoder(env.Stdout).Encode(struct {
			pipeline.Result
			Learnt []string `json:"learnt"`
		}{res, rep.Learnt})
	}
	fmt.Fprintf(env.Stdout, "recorded %s=%s for %s\n", task, label, rest[0])
	if len(rep.Learnt) > 0 {
		fmt.Fprintf(env.Stdout, "personal model(s) now active: %v\n", rep.Learnt)
	} else {
		fmt.Fprintln(env.Stdout, "not learnt yet (see above): the correction is kept and learnt on a later run")
	}
	line := fmt.Sprintf("now: kind=%s spam=%.2f needs_reply=%.2f", res.Kind, res.Spam, res.NeedsReply)
	if res.Label != "" {
		line += " folder=" + res.Label
	}
	if res.Degraded {
		line += " (rules)"
	}
	fmt.Fprintln(env.Stdout, line)
	return nil
}
