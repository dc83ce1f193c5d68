package cli

import (
	"bufio"
	"context"
	"encoding/json"
	"fmt"
	"os"
	"strings"
	"time"

	"github.com/pam-ai/pam/internal/calendar"
	"github.com/pam-ai/pam/internal/llm"
	"github.com/pam-ai/pam/internal/router"
	"github.com/pam-ai/pam/internal/router/fallback"
	"github.com/pam-ai/pam/internal/store"
)

func init() {
	register(&command{Name: "plan", Summary: "plan the week: place your open to-dos (or --tasks FILE) into free time", Run: runPlan})
}

const planInstructions = "You plan the user's week. You get tasks (id, title, minutes, due, priority) and the user's FREE time slots. " +
	"Place each task in one free slot (it must fit entirely inside), due tasks before their due time, most important first. " +
	"Return blocks with the task id and RFC 3339 start and end times; leave out tasks that do not fit."

var planSchema = map[string]any{
	"type":     "object",
	"required": []string{"blocks"},
	"properties": map[string]any{
		"blocks": map[string]any{"type": "array", "maxItems": 200, "items": map[string]any{
			"type":     "object",
			"required": []string{"task", "start", "end"},
			"properties": map[string]any{
				"task":  map[string]any{"type": "string", "maxLength": 64},
				"start": map[string]any{"type": "string", "maxLength": 40},
				"end":   map[string]any{"type": "string", "maxLength": 40},
			},
		}},
	},
}

// planTask is a task as given in --tasks (JSON Lines). Tasks are not in
// the store yet; this adapts to fallback.Task.
type planTask struct {
	ID       string    `json:"id"`
	Title    string    `json:"title"`
	Minutes  int       `json:"minutes"`
	Due      time.Time `json:"due,omitzero"`
	Priority int       `json:"priority"`
}

// readPlanTasks reads --tasks. A line that is not a task is named in bad
// and skipped; the others are planned.
func readPlanTasks(path string) (tasks []fallback.Task, bad []string, err error) {
	f, err := os.Open(path)
	if err != nil {
		return nil, nil, err
	}
	defer f.Close()
	sc := bufio.NewScanner(f)
	sc.Buffer(make([]byte, 64<<10), 1<<20)
	for n := 1; sc.Scan(); n++ {
		if strings.TrimSpace(sc.Text()) == "" {
			continue
		}
		var t planTask
		if err := json.Unmarshal(sc.Bytes(), &t); err != nil {
			bad = append(bad, fmt.Sprintf("%s line %d: not a task: %v", path, n, err))
			continue
		}
		if strings.TrimSpace(t.Title) == "" || t.Minutes < 0 {
			bad = append(bad, fmt.Sprintf("%s line %d: a task needs a title and minutes >= 0", path, n))
			continue
		}
		if t.ID == "" {
			t.ID = fmt.Sprintf("t%d", n)
		}
		tasks = append(tasks, fallback.Task{ID: t.ID, Title: t.Title, Estimate: time.Duration(t.Minutes) * time.Minute, Due: t.Due, Priority: t.Priority})
	}
	if err := sc.Err(); err != nil {
		return tasks, bad, fmt.Errorf("%s: %w", path, err)
	}
	return tasks, bad, nil
}

// storePlanTasks are the open to-dos of the task list that are not
// snoozed at now, each estimated at est (the list keeps no estimates).
func storePlanTasks(ctx context.Context, st *store.Store, now time.Time, est time.Duration) ([]fallback.Task, error) {
	open, err := st.Tasks(ctx, store.TaskFilter{Status: store.TaskOpen, Kind: store.TaskTodo, Awake: now})
	if err != nil {
		return nil, err
	}
	out := make([]fallback.Task, 0, len(open))
	for _, t := range open {
		out = append(out, fallback.Task{ID: fmt.Sprintf("task-%d", t.ID), Title: t.Title, Estimate: est, Due: t.Due})
	}
	return out, nil
}

func runPlan(ctx context.Context, env *Env, args []string) error {
	fs := newFlags(env, "plan", "[--tasks FILE] [--minutes N] [--days N] [--json]")
	tasksPath := fs.String("tasks", "", `tasks as JSON Lines: {"id","title","minutes","due","priority"} (default: your open to-dos)`)
	minutes := fs.Int("minutes", 30, "time each to-do of the task list takes (without --tasks)")
	days := fs.Int("days", 7, "plan this many days from now")
	asJSON := fs.Bool("json", false, "JSON Lines output")
	if _, err := parseFlags(fs, args); err != nil {
		return err
	}
	if *minutes <= 0 || *days <= 0 {
		return usageError{"pam plan: --minutes and --days must be positive"}
	}
	var tasks []fallback.Task
	var bad []string
	if *tasksPath != "" {
		var err error
		if tasks, bad, err = readPlanTasks(*tasksPath); err != nil {
			return err
		}
		for _, b := range bad {
			fmt.Fprintf(env.Stderr, "pam plan: %s\n", b)
		}
	}
	st, err := openStore(ctx, env)
	if err != nil {
		return err
	}
	defer st.Close()
	now := time.Now()
	loc := time.Local
	if *tasksPath == "" {
		if tasks, err = storePlanTasks(ctx, st, now, time.Duration(*minutes)*time.Minute); err != nil {
			return err
		}
		if len(tasks) == 0 {
			fmt.Fprintln(env.Stdout, "no open tasks to plan (pam task add, or --tasks FILE)")
			return nil
		}
	}
	from, to := now, now.Add(time.Duration(*days)*24*time.Hour)
	items, _, err := collectAgenda(ctx, st, from, to, loc, false)
	if err != nil {
		return err
	}
	free := calendar.Free(busyIntervals(items, from, to), from, to, workHours(loc), 30*time.Minute)
	p, err := openPrivacy(env, true)
	if err != nil {
		return err
	}
	defer p.close()
	blocks, unplaced, out, err := plan(ctx, p, tasks, free)
	if err != nil {
		return err
	}
	enc := json.NewEncoder(env.Stdout)
	for _, b := range blocks {
		if *asJSON {
			enc.Encode(b)
			continue
		}
		fmt.Fprintf(env.Stdout, "%s – %s  %s\n", b.Start.In(loc).Format("Mon 2 Jan 15:04"), b.End.In(loc).Format("15:04"), b.Title)
	}
	if !*asJSON {
		for _, t := range unplaced {
			fmt.Fprintf(env.Stdout, "not placed: %s (%s)\n", t.Title, t.Estimate)
		}
		fmt.Fprintf(env.Stdout, "(planned by %s from free/busy times only)\n", out.Tier)
	}
	if len(bad) > 0 {
		return partialError{fmt.Sprintf("plan: %d line(s) of %s were not tasks (see above); the others were planned", len(bad), *tasksPath)}
	}
	return nil
}

func workHours(loc *time.Location) calendar.WorkHours {
	return calendar.WorkHours{Days: []time.Weekday{time.Monday, time.Tuesday, time.Wednesday, time.Thursday, time.Friday},
		Start: 9 * time.Hour, End: 17 * time.Hour, Loc: loc}
}

// plan runs the schedule job. Only the tasks and the free intervals are
// given to a model: no event titles, places or attendees.
func plan(ctx context.Context, p *privacy, tasks []fallback.Task, free []calendar.Interval) ([]fallback.Block, []fallback.Task, router.Outcome, error) {
	var data strings.Builder
	data.WriteString("Tasks:\n")
	byID := map[string]fallback.Task{}
	for _, t := range tasks {
		byID[t.ID] = t
		due := "none"
		if !t.Due.IsZero() {
			due = t.Due.UTC().Format(time.RFC3339)
		}
		fmt.Fprintf(&data, "id=%s | %d min | due %s | priority %d | %s\n", t.ID, int(t.Estimate.Minutes()), due, t.Priority, t.Title)
	}
	data.WriteString("Free slots:\n")
	for _, f := range free {
		fmt.Fprintf(&data, "%s to %s\n", f.Start.UTC().Format(time.RFC3339), f.End.UTC().Format(time.RFC3339))
	}
	lb, lu, conf := fallback.Plan(tasks, free)
	type planValue struct {
		blocks   []fallback.Block
		unplaced []fallback.Task
	}
	req := llm.Request{Job: router.JobSchedule, Instructions: planInstructions,
		Data: []llm.Quote{{Label: "tasks and free time", Text: data.String()}}, SchemaName: "week_plan", Schema: planSchema, MaxTokens: 3000}
	d := p.router.Decide(ctx, router.Input{Job: router.JobSchedule, Text: data.String()})
	steps := p.steps(router.JobSchedule,
		func(context.Context) (router.Result, error) {
			return router.Result{Confidence: conf, Value: planValue{lb, lu}}, nil
		},
		func(ctx context.Context, pr llm.Provider) (router.Result, error) {
			ans, err := p.gateway.Complete(ctx, pr, req)
			if err != nil {
				return router.Result{}, err
			}
			blocks, err := checkPlan(ans.Value, byID, free)
			if err != nil {
				return router.Result{}, err
			}
			placed := map[string]bool{}
			for _, b := range blocks {
				placed[b.TaskID] = true
			}
			var un []fallback.Task
			for _, t := range tasks {
				if !placed[t.ID] {
					un = append(un, t)
				}
			}
			return router.Result{Confidence: 0.9, Value: planValue{blocks, un}}, nil
		})
	out, err := p.router.Run(ctx, d, steps)
	if err != nil {
		return nil, nil, out, err
	}
	p.logJob(router.JobSchedule, "", out, false)
	v := out.Value.(planValue)
	return v.blocks, v.unplaced, out, nil
}

// checkPlan is the deterministic check of a model's plan: known tasks,
// each once, its length, inside one free slot, no overlaps, before its due
// time.
func checkPlan(v map[string]any, tasks map[string]fallback.Task, free []calendar.Interval) ([]fallback.Block, error) {
	list, _ := v["blocks"].([]any)
	var out []fallback.Block
	seen := map[string]bool{}
	for i, x := range list {
		m, _ := x.(map[string]any)
		id, _ := m["task"].(string)
		t, ok := tasks[id]
		if !ok || seen[id] {
			return nil, fmt.Errorf("plan block %d: unknown or repeated task %q", i, id)
		}
		seen[id] = true
		s, err1 := time.Parse(time.RFC3339, fmt.Sprint(m["start"]))
		e, err2 := time.Parse(time.RFC3339, fmt.Sprint(m["end"]))
		if err1 != nil || err2 != nil || !e.After(s) {
			return nil, fmt.Errorf("plan block %d: bad times", i)
		}
		inside := false
		for _, f := range free {
			inside = inside || !s.Before(f.Start) && !e.After(f.End)
		}
		if !inside || (!t.Due.IsZero() && e.After(t.Due)) || e.Sub(s) < t.Estimate {
			return nil, fmt.Errorf("plan block %d: outside free time, after its due time, or too short", i)
		}
		for _, b := range out {
			if s.Before(b.End) && b.Start.Before(e) {
				return nil, fmt.Errorf("plan block %d overlaps another", i)
			}
		}
		out = append(out, fallback.Block{TaskID: id, Title: t.Title, Start: s, End: e})
	}
	return out, nil
}
