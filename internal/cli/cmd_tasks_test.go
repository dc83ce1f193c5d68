package cli

import (
	"context"
	"encoding/json"
	"os"
	"path/filepath"
	"strings"
	"testing"
	"time"

	"github.com/pam-ai/pam/internal/ingest"
)

// importDemo imports the demo mailbox into home's store without running
// the classification pipeline (task extraction does not need it).
func importDemo(t *testing.T, home string) {
	t.Helper()
	ctx := context.Background()
	st, err := openStore(ctx, &Env{Home: home})
	if err != nil {
		t.Fatal(err)
	}
	defer st.Close()
	if _, err := ingest.Import(ctx, st, demoMaildir(t), ingest.Options{}); err != nil {
		t.Fatal(err)
	}
}

func TestTasksCLIContract(t *testing.T) {
	home := t.TempDir()
	importDemo(t, home)
	out, errOut, code := run(t, home, "", "task", "add", "--tz", "Europe/Berlin", "call Bob tomorrow 3pm")
	if code != 0 || strings.TrimSpace(out) == "" {
		t.Fatalf("task add: exit %d, %q %s", code, out, errOut)
	}
	id := strings.TrimSpace(out)
	out, errOut, code = run(t, home, "", "tasks", "--json", "--tz", "Europe/Berlin")
	if code != 0 {
		t.Fatalf("tasks --json: exit %d: %s", code, errOut)
	}
	var found, fromMail bool
	for _, line := range strings.Split(strings.TrimSpace(out), "\n") {
		var j map[string]any
		if err := json.Unmarshal([]byte(line), &j); err != nil {
			t.Fatalf("tasks --json line %q: %v", line, err)
		}
		for _, k := range []string{"id", "title", "due", "status", "requester", "source"} {
			if _, ok := j[k]; !ok {
				t.Errorf("tasks --json line lacks %q: %s", k, line)
			}
		}
		if j["title"] == "Call Bob" {
			found = true
			if due, _ := j["due"].(string); !strings.HasSuffix(due, "T15:00:00+01:00") && !strings.HasSuffix(due, "T15:00:00+02:00") {
				t.Errorf("Call Bob due = %v, want 15:00 Berlin time", j["due"])
			}
		}
		if j["title"] == "Send the Q3 numbers to Priya" && j["source"] != "" {
			fromMail = true
		}
	}
	if !found || !fromMail {
		t.Errorf("tasks --json: typed-in task found %v, Q3 task from mail with a source %v", found, fromMail)
	}
	if _, errOut, code := run(t, home, "", "task", "done", id); code != 0 {
		t.Errorf("task done %s: exit %d: %s", id, code, errOut)
	}
	if _, _, code := run(t, home, "", "task", "done", "99999"); code == 0 {
		t.Error("task done 99999: exit 0, want not found")
	}
	if _, _, code := run(t, home, "", "tasks", "--status", "bogus"); code == 0 {
		t.Error("tasks --status bogus: exit 0, want a usage error")
	}

	// pam extract --json on one message file, pam extract --sentences.
	var file string
	filepath.WalkDir(demoMaildir(t), func(p string, d os.DirEntry, err error) error {
		if err == nil && !d.IsDir() && file == "" {
			if b, _ := os.ReadFile(p); strings.Contains(string(b), "Could you send me the Q3 numbers") && !strings.Contains(string(b), "> Could you") {
				file = p
			}
		}
		return nil
	})
	out, errOut, code = run(t, home, "", "extract", "--json", "--tz", "Europe/Berlin", file)
	if code != 0 {
		t.Fatalf("extract: exit %d: %s", code, errOut)
	}
	var ex struct {
		Path  string `json:"path"`
		Tasks []struct {
			Title, DueText, Requester string
			Due                       *string
			Confidence                float64
		} `json:"tasks"`
	}
	if err := json.Unmarshal([]byte(out), &ex); err != nil || ex.Path != file || len(ex.Tasks) != 1 || ex.Tasks[0].Title != "Send the Q3 numbers to Priya" || ex.Tasks[0].Due == nil {
		t.Errorf("extract --json = %s (%v), want the Q3 task with a due date", out, err)
	}
	out, _, code = run(t, home, "Could you send me the report?\nThe weather is nice.\n", "extract", "--sentences", "--json")
	var a, b struct {
		Text   string
		Action float64
	}
	lines := strings.Split(strings.TrimSpace(out), "\n")
	if code != 0 || len(lines) != 2 || json.Unmarshal([]byte(lines[0]), &a) != nil || json.Unmarshal([]byte(lines[1]), &b) != nil || a.Action <= b.Action {
		t.Errorf("extract --sentences = %q, want the request scored above the statement", out)
	}
}

func TestReplyAndToday(t *testing.T) {
	home := t.TempDir()
	importDemo(t, home)
	out, _, code := run(t, home, "", "search", "--json", "subject:\"Swap on-call\"")
	var hit struct{ ID string }
	if code != 0 || json.Unmarshal([]byte(strings.Split(out, "\n")[0]), &hit) != nil || hit.ID == "" {
		t.Fatalf("search: %q", out)
	}
	out, errOut, code := run(t, home, "", "reply", hit.ID)
	if code != 0 || !strings.HasPrefix(out, "1. ") || strings.Count(out, "\n") != 3 {
		t.Fatalf("reply: exit %d %q %s, want three numbered suggestions", code, out, errOut)
	}
	out, errOut, code = run(t, home, "", "reply", hit.ID, "--draft", "2")
	path := strings.TrimSpace(out)
	if code != 0 || !strings.HasPrefix(path, filepath.Join(home, "drafts")) {
		t.Fatalf("reply --draft: exit %d %q %s", code, out, errOut)
	}
	draft, err := os.ReadFile(path)
	if err != nil || !strings.Contains(string(draft), "In-Reply-To: <") || !strings.Contains(string(draft), "References: <") || !strings.Contains(string(draft), "Subject: Re: Swap on-call") {
		t.Errorf("draft = %q, %v; want In-Reply-To, References and a Re: subject", draft, err)
	}
	out, errOut, code = run(t, home, "", "today", "--json", "--now", demoNow.Format(time.RFC3339))
	var b struct {
		NeedsReply []any    `json:"needs_reply"`
		Waiting    []any    `json:"waiting"`
		Next       []string `json:"next"`
	}
	if code != 0 || json.Unmarshal([]byte(out), &b) != nil || len(b.NeedsReply) == 0 || len(b.Waiting) == 0 || len(b.Next) == 0 {
		t.Errorf("today --json: exit %d %q %s", code, out, errOut)
	}
}
