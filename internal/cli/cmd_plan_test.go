package cli

import (
	"encoding/json"
	"os"
	"path/filepath"
	"strings"
	"testing"
	"time"
)

func TestPlanStoreTasksAndBadLines(t *testing.T) {
	home := t.TempDir()
	out, _, code := run(t, home, "", "plan")
	if code != 0 || !strings.Contains(out, "no open tasks") {
		t.Fatalf("pam plan on an empty list = %q (exit %d), want it to say there is nothing to plan", out, code)
	}
	for _, task := range []string{"write the board summary", "call the vendor about storage"} {
		if _, errb, code := run(t, home, "", "task", "add", task); code != 0 {
			t.Fatalf("task add %q: exit %d: %s", task, code, errb)
		}
	}
	out, errb, code := run(t, home, "", "plan", "--json", "--minutes", "45", "--days", "8")
	if code != 0 {
		t.Fatalf("pam plan: exit %d: %s", code, errb)
	}
	var titles []string
	for _, line := range strings.Split(strings.TrimSpace(out), "\n") {
		var b struct {
			Title      string
			Start, End time.Time
		}
		if err := json.Unmarshal([]byte(line), &b); err != nil {
			t.Fatalf("plan line %q: %v", line, err)
		}
		if got := b.End.Sub(b.Start); got != 45*time.Minute {
			t.Errorf("block %q lasts %v, want the 45 minutes asked for", b.Title, got)
		}
		titles = append(titles, b.Title)
	}
	if len(titles) != 2 || !strings.Contains(strings.Join(titles, "|"), "board summary") || !strings.Contains(strings.Join(titles, "|"), "vendor") {
		t.Errorf("planned %q, want both open to-dos", titles)
	}

	file := filepath.Join(t.TempDir(), "tasks.jsonl")
	os.WriteFile(file, []byte(`{"title":"review the MSA","minutes":60}`+"\nnot a task\n"+`{"minutes":30}`+"\n"+`{"title":"book flights","minutes":20}`+"\n"), 0o600)
	out, errb, code = run(t, home, "", "plan", "--tasks", file)
	if code != exitPartial {
		t.Errorf("pam plan with bad lines: exit %d, want %d", code, exitPartial)
	}
	if !strings.Contains(errb, "line 2") || !strings.Contains(errb, "line 3") {
		t.Errorf("stderr = %q, want lines 2 and 3 named", errb)
	}
	if !strings.Contains(out, "review the MSA") || !strings.Contains(out, "book flights") {
		t.Errorf("plan = %q, want the two good tasks placed", out)
	}
}
