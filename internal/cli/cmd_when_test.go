package cli

import (
	"bytes"
	"context"
	"encoding/json"
	"errors"
	"strings"
	"testing"
)

func runWhenArgs(t *testing.T, stdin string, args ...string) (string, string, error) {
	t.Helper()
	var out, errOut bytes.Buffer
	env := &Env{Stdin: strings.NewReader(stdin), Stdout: &out, Stderr: &errOut}
	err := runWhen(context.Background(), env, args)
	return out.String(), errOut.String(), err
}

func TestWhenJSON(t *testing.T) {
	out, _, err := runWhen2(t, "--ref", "2013-02-12T04:30:00-02:00", "--json", "next", "Tuesday", "3pm")
	if err != nil {
		t.Fatal(err)
	}
	var got map[string]any
	if err := json.Unmarshal([]byte(out), &got); err != nil {
		t.Fatalf("pam when --json printed %q: %v", out, err)
	}
	want := map[string]any{"text": "next Tuesday 3pm", "start": "2013-02-19T15:00:00-02:00", "end": "2013-02-19T16:00:00-02:00", "grain": "hour"}
	for k, v := range want {
		if got[k] != v {
			t.Errorf("pam when --json: %s = %v, want %v", k, got[k], v)
		}
	}
}

func runWhen2(t *testing.T, args ...string) (string, string, error) {
	return runWhenArgs(t, "", args...)
}

func TestWhenTZ(t *testing.T) {
	out, _, err := runWhen2(t, "--ref", "2013-02-12T04:30:00-02:00", "--tz", "UTC", "--json", "tomorrow")
	if err != nil {
		t.Fatal(err)
	}
	if !strings.Contains(out, `"start":"2013-02-13T00:00:00Z"`) {
		t.Errorf("pam when --tz UTC tomorrow = %s, want start 2013-02-13T00:00:00Z", out)
	}
	if _, _, err := runWhen2(t, "--tz", "Not/AZone", "today"); err == nil {
		t.Errorf("pam when --tz Not/AZone: no error")
	}
}

func TestWhenBatch(t *testing.T) {
	in := "2013-02-12T04:30:00-02:00\tby EOD\n2013-02-12T04:30:00-02:00\tlaughing out loud\nbad line\n"
	out, errOut, err := runWhenArgs(t, in, "--batch", "--json")
	var pe partialError
	if !errors.As(err, &pe) {
		t.Errorf("pam when --batch with a bad line: err = %v, want partialError", err)
	}
	if !strings.Contains(errOut, "line 3") {
		t.Errorf("pam when --batch: stderr = %q, want it to name line 3", errOut)
	}
	lines := strings.Split(strings.TrimSpace(out), "\n")
	if len(lines) != 2 {
		t.Fatalf("pam when --batch printed %d lines, want 2: %q", len(lines), out)
	}
	if want := `{"text":"by EOD","start":"2013-02-12T04:30:00-02:00","end":"2013-02-13T00:00:00-02:00","grain":"second"}`; lines[0] != want {
		t.Errorf("line 1 = %s, want %s", lines[0], want)
	}
	if want := `{"text":"laughing out loud","none":true}`; lines[1] != want {
		t.Errorf("line 2 = %s, want %s", lines[1], want)
	}
}

func TestWhenOpenAndHuman(t *testing.T) {
	out, _, err := runWhen2(t, "--ref", "2013-02-12T04:30:00-02:00", "--json", "until 2pm")
	if err != nil {
		t.Fatal(err)
	}
	if want := `{"text":"until 2pm","start":"2013-02-12T14:00:00-02:00","grain":"hour","open":"before"}`; strings.TrimSpace(out) != want {
		t.Errorf("pam when --json until 2pm = %s, want %s", out, want)
	}
	out, _, err = runWhen2(t, "--ref", "2013-02-12T04:30:00-02:00", "tomorrow")
	if err != nil {
		t.Fatal(err)
	}
	if want := "tomorrow\t2013-02-13T00:00:00-02:00 – 2013-02-14T00:00:00-02:00 (day)\n"; out != want {
		t.Errorf("pam when tomorrow = %q, want %q", out, want)
	}
	if _, _, err := runWhen2(t); err == nil {
		t.Errorf("pam when with no text: no error")
	}
}
