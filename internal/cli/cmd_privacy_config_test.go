package cli

import (
	"encoding/json"
	"os"
	"path/filepath"
	"strings"
	"testing"

	"github.com/pam-ai/pam/internal/router"
)

func TestPrivacyConfig(t *testing.T) {
	home := t.TempDir()
	out, _, code := run(t, home, "", "privacy", "config")
	if code != 0 || !strings.Contains(out, "compose=never") || !strings.Contains(out, "budget       $0.00") {
		t.Fatalf("default settings = %q (exit %d)", out, code)
	}
	if _, errb, code := run(t, home, "", "privacy", "config", "--policy", "all=auto", "--policy", "classify=never", "--budget", "7.5",
		"--cloud", "claude", "--cloud-model", "claude-test", "--host", "llm.lan=192.168.1.20", "--threshold", "0.8"); code != 0 {
		t.Fatalf("privacy config (set): exit %d %s", code, errb)
	}
	cfg, err := router.LoadConfig(filepath.Join(home, router.ConfigFile))
	if err != nil {
		t.Fatal(err)
	}
	if cfg.PolicyFor(router.JobCompose) != router.Auto || cfg.PolicyFor(router.JobClassify) != router.Never || cfg.MonthlyBudgetUSD != 7.5 ||
		cfg.Cloud == nil || cfg.Cloud.Model != "claude-test" || cfg.Hosts["llm.lan"] != "192.168.1.20" || cfg.Threshold != 0.8 {
		t.Errorf("saved settings = %+v", cfg)
	}
	if fi, _ := os.Stat(filepath.Join(home, router.ConfigFile)); fi.Mode().Perm() != 0o600 {
		t.Errorf("privacy.json mode %v, want 0600", fi.Mode().Perm())
	}
	before, _ := os.ReadFile(filepath.Join(home, router.ConfigFile))
	for _, bad := range [][]string{{"--policy", "compose=sometimes"}, {"--budget", "-1"}, {"--threshold", "2"}, {"--host", "x=not-ip"}, {"--offline", "maybe"}, {"--cloud-model", "m", "--cloud", "gpt"}} {
		if _, errb, code := run(t, home, "", append([]string{"privacy", "config"}, bad...)...); code != exitUsage {
			t.Errorf("privacy config %v: exit %d (%s), want %d", bad, code, errb, exitUsage)
		}
	}
	if after, _ := os.ReadFile(filepath.Join(home, router.ConfigFile)); string(after) != string(before) {
		t.Error("a refused change altered privacy.json")
	}
	out, _, _ = run(t, home, "", "privacy", "config", "--offline", "on", "--cloud", "none", "--json")
	var got router.Config
	if json.Unmarshal([]byte(out), &got) != nil || !got.Offline || got.Cloud != nil {
		t.Errorf("privacy config --offline on --cloud none --json = %q", out)
	}
	st, err := openStore(t.Context(), &Env{Home: home})
	if err != nil {
		t.Fatal(err)
	}
	st.Close()
	if r := statusOf(t, home); !r.Offline {
		t.Error("pam status does not show the offline setting")
	}
}
