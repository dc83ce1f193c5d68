package cli

import (
	"bytes"
	"context"
	"errors"
	"fmt"
	"os"
	"path/filepath"
	"strings"
	"testing"

	"github.com/pam-ai/pam/internal/ml"
)

// writeMsgs writes n synthetic messages (fixtures made here) into dir.
func writeMsgs(t *testing.T, dir string, n int, from, subject, body string) {
	t.Helper()
	if err := os.MkdirAll(dir, 0o755); err != nil {
		t.Fatal(err)
	}
	for i := 0; i < n; i++ {
		raw := fmt.Sprintf("From: %s\r\nTo: me@example.org\r\nSubject: %s %d\r\nMessage-ID: <%d.%s@example.org>\r\n\r\n%s %d\r\n",
			from, subject, i, i, filepath.Base(dir), body, i)
		if err := os.WriteFile(filepath.Join(dir, fmt.Sprintf("%d.eml", i)), []byte(raw), 0o644); err != nil {
			t.Fatal(err)
		}
	}
}

func TestTrainFoldersAndSpam(t *testing.T) {
	root := t.TempDir()
	writeMsgs(t, filepath.Join(root, "tree", "Work"), 30, "boss@corp.example", "quarterly budget review", "please review the budget draft before the meeting")
	writeMsgs(t, filepath.Join(root, "tree", "Family"), 30, "mum@home.example", "sunday lunch", "come over for lunch on sunday with the kids")
	var out, errOut bytes.Buffer
	env := &Env{Stdout: &out, Stderr: &errOut}
	model := filepath.Join(root, "folders.pam")
	if err := runTrain(context.Background(), env, []string{"folders", "--maildir", filepath.Join(root, "tree"), "--out", model}); err != nil {
		t.Fatalf("pam train folders: %v (%s)", err, errOut.String())
	}
	f, err := os.Open(model)
	if err != nil {
		t.Fatal(err)
	}
	m, err := ml.Load(f)
	f.Close()
	if err != nil {
		t.Fatal(err)
	}
	if got := strings.Join(m.Info().Classes, ","); got != "Family,Work" {
		t.Errorf("folders model classes = %s, want Family,Work", got)
	}
	if !strings.Contains(out.String(), "trained folders@1 on 60 messages") {
		t.Errorf("pam train folders output = %q", out.String())
	}

	writeMsgs(t, filepath.Join(root, "spam"), 30, "winner@prize.example", "you won a free prize", "click here to claim your free cash prize now")
	out.Reset()
	spamModel := filepath.Join(root, "spam.pam")
	err = runTrain(context.Background(), env, []string{"spam", "--ham", filepath.Join(root, "tree", "Work"), "--ham", filepath.Join(root, "tree", "Family"),
		"--spam", filepath.Join(root, "spam"), "--out", spamModel})
	if err != nil {
		t.Fatalf("pam train spam: %v", err)
	}
	if !strings.Contains(out.String(), "ham                              60") || !strings.Contains(out.String(), "spam                             30") {
		t.Errorf("pam train spam output = %q, want 60 ham and 30 spam", out.String())
	}
}

func TestTrainUsage(t *testing.T) {
	env := &Env{Stdout: &bytes.Buffer{}, Stderr: &bytes.Buffer{}}
	for _, args := range [][]string{
		nil,
		{"bogus"},
		{"spam", "--ham", "x", "--out", "y"},
		{"folders", "--out", "y"},
	} {
		err := runTrain(context.Background(), env, args)
		var u usageError
		if !errors.As(err, &u) {
			t.Errorf("pam train %v = %v, want a usage error", args, err)
		}
	}
	// No spam found: invalid input, not a usage error.
	dir := t.TempDir()
	writeMsgs(t, filepath.Join(dir, "ham"), 3, "a@b.example", "hi", "hello")
	os.MkdirAll(filepath.Join(dir, "empty"), 0o755)
	err := runTrain(context.Background(), env, []string{"spam", "--ham", filepath.Join(dir, "ham"), "--spam", filepath.Join(dir, "empty"), "--out", filepath.Join(dir, "m.pam")})
	if err == nil || !strings.Contains(err.Error(), "need both ham and spam") {
		t.Errorf("pam train spam with no spam = %v, want a need-both error", err)
	}
	if _, err := os.Stat(filepath.Join(dir, "m.pam")); err == nil {
		t.Errorf("a model file was written although training failed")
	}
}
