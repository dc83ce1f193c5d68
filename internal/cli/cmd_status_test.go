package cli

import (
	"encoding/json"
	"os"
	"path/filepath"
	"strings"
	"testing"
)

func statusOf(t *testing.T, home string) statusReport {
	t.Helper()
	out, errb, code := run(t, home, "", "status", "--json")
	var r statusReport
	if code != 0 || json.Unmarshal([]byte(out), &r) != nil {
		t.Fatalf("pam status --json = %q, %q (exit %d)", out, errb, code)
	}
	return r
}

func TestStatus(t *testing.T) {
	home := filepath.Join(t.TempDir(), "home")
	if out, _, code := run(t, home, "", "status"); code != 0 || !strings.Contains(out, "no PAM data") {
		t.Fatalf("status of an empty home = %q (exit %d)", out, code)
	}
	if _, errb, code := run(t, home, "", "import", "--no-ai", demoMaildir(t)); code != 0 {
		t.Fatalf("import: %s", errb)
	}
	if _, errb, code := run(t, home, "", "task", "add", "renew the passport by yesterday"); code != 0 {
		t.Fatalf("task add: %s", errb)
	}
	os.WriteFile(filepath.Join(home, "privacy.json"), []byte(`{"monthly_budget_usd": 5, "policies": {"compose": "auto", "schedule": "never"}}`), 0o600)
	r := statusOf(t, home)
	if r.Messages != 179 || r.AIQueue != 179 || r.OpenTasks != 1 || r.Overdue != 1 {
		t.Errorf("status = %d messages, %d queued for AI, %d open tasks (%d overdue); want 179, 179 (imported with --no-ai), 1, 1",
			r.Messages, r.AIQueue, r.OpenTasks, r.Overdue)
	}
	if r.Daemon != "not running" || r.Sync != "off" || len(r.Accounts) != 0 {
		t.Errorf("status daemon %q, sync %q, accounts %v", r.Daemon, r.Sync, r.Accounts)
	}
	if strings.Join(r.Escalation, ";") != "compose: auto" || r.BudgetUSD != 5 {
		t.Errorf("status escalation %q budget %v, want compose: auto and 5", r.Escalation, r.BudgetUSD)
	}
	if len(r.Models) < 3 {
		t.Errorf("status models = %v, want the active spam, kind and needs_reply", r.Models)
	}
	os.WriteFile(filepath.Join(home, "privacy.json"), []byte(`{"policies": `), 0o600)
	if r := statusOf(t, home); len(r.Problems) == 0 || !strings.Contains(strings.Join(r.Problems, " "), "privacy settings") {
		t.Errorf("status with a broken privacy.json: problems %q, want it named", r.Problems)
	}
}
