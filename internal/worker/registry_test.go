package worker

import (
	"context"
	"encoding/json"
	"errors"
	"os"
	"path/filepath"
	"slices"
	"testing"

	"github.com/pam-ai/pam/internal/ml"
	"github.com/pam-ai/pam/internal/pam"
	"github.com/pam-ai/pam/internal/worker/wire"
)

func spamExamples() []ml.Example {
	var ex []ml.Example
	for i := 0; i < 40; i++ {
		ex = append(ex,
			ml.Example{Msg: wire.Message{From: "friend@example.com", Subject: "lunch tomorrow", Text: "see you at noon"}, Label: "ham"},
			ml.Example{Msg: wire.Message{From: "win@prize.example", Subject: "YOU WON cash prize", Text: "claim your free money now", HTML: true, Links: 5}, Label: "spam"})
	}
	return ex
}

func saveModel(t *testing.T, path string, m *ml.Model) {
	t.Helper()
	if err := writeAtomic(path, m.Save); err != nil {
		t.Fatal(err)
	}
}

func TestRegistryUseRollback(t *testing.T) {
	reg := Registry{Dir: filepath.Join(t.TempDir(), "models")}
	if v, err := reg.Active("spam"); err != nil || v != Builtin {
		t.Fatalf("Active(spam) = %q, %v; want builtin", v, err)
	}
	m, err := ml.Train(ml.TaskSpam, spamExamples(), ml.TrainOptions{})
	if err != nil {
		t.Fatal(err)
	}
	for i := 0; i < 2; i++ {
		v, path, err := reg.NextVersion("spam")
		if err != nil {
			t.Fatal(err)
		}
		if want := []string{"1", "2"}[i]; v != want {
			t.Fatalf("NextVersion = %q, want %q", v, want)
		}
		saveModel(t, path, m)
		if err := reg.Use("spam", v); err != nil {
			t.Fatal(err)
		}
	}
	specs, err := reg.ActiveSpecs()
	if err != nil {
		t.Fatal(err)
	}
	want := []string{filepath.Join(reg.Dir, "spam", "2.pam"), "builtin:kind", "builtin:needs_reply"}
	if !slices.Equal(specs, want) {
		t.Errorf("ActiveSpecs = %v, want %v", specs, want)
	}
	if err := reg.Use("spam", "9"); !errors.Is(err, pam.ErrNotFound) {
		t.Errorf("Use(spam@9) = %v, want ErrNotFound", err)
	}
	if err := reg.Use("../etc", "1"); !errors.Is(err, pam.ErrInvalid) {
		t.Errorf("Use(../etc@1) = %v, want ErrInvalid", err)
	}
	if err := reg.Use("folders", Builtin); !errors.Is(err, pam.ErrNotFound) {
		t.Errorf("Use(folders@builtin) = %v, want ErrNotFound", err)
	}
	for _, want := range []string{"1", Builtin} {
		if v, err := reg.Rollback("spam"); err != nil || v != want {
			t.Fatalf("Rollback = %q, %v; want %q", v, err, want)
		}
	}
	if _, err := reg.Rollback("spam"); !errors.Is(err, pam.ErrInvalid) {
		t.Errorf("Rollback past builtin = %v, want ErrInvalid", err)
	}
	list, err := reg.List()
	if err != nil {
		t.Fatal(err)
	}
	var files int
	for _, mv := range list {
		if mv.Name == "spam" && mv.Version != Builtin {
			files++
			if mv.Task != ml.TaskSpam || mv.Active {
				t.Errorf("listed %+v, want an inactive spam model", mv)
			}
		}
	}
	if files != 2 {
		t.Errorf("List has %d spam files, want 2 (old versions are kept)", files)
	}
}

func TestClassifyHandlerLoadsLazilyAndUpdates(t *testing.T) {
	ctx := context.Background()
	dir := t.TempDir()
	m, err := ml.Train(ml.TaskSpam, spamExamples(), ml.TrainOptions{})
	if err != nil {
		t.Fatal(err)
	}
	path := filepath.Join(dir, "spam.pam")
	saveModel(t, path, m)
	h := NewClassifyHandler().(*classifyHandler)
	var ping PingResponse
	out, _ := h.Handle(ctx, KindPing, nil)
	if ping = out.(PingResponse); ping.Loaded {
		t.Errorf("models loaded before the first request")
	}
	req := wire.ClassifyRequest{Models: []string{path}, Messages: []wire.Message{
		{ID: "a", From: "win@prize.example", Subject: "YOU WON cash prize", Text: "claim your free money now", HTML: true, Links: 5},
		{ID: "b", From: "friend@example.com", Subject: "lunch tomorrow", Text: "see you at noon"},
	}}
	body, _ := jsonMarshal(req)
	got, err := h.Handle(ctx, KindClassify, body)
	if err != nil {
		t.Fatal(err)
	}
	res := got.(wire.ClassifyResponse).Results
	if len(res) != 2 || res[0].Kind != "spam" || res[1].Spam >= 0.5 {
		t.Fatalf("classify = %+v, want a spam then a ham", res)
	}
	if !slices.Contains(res[0].Models, "spam@1") {
		t.Errorf("models = %v, want spam@1", res[0].Models)
	}
	// A correction: the ham-looking message is spam for this user.
	upd := UpdateRequest{Task: ml.TaskSpam, Base: path, Out: filepath.Join(dir, "spam2.pam"),
		Examples: []LabelledMessage{{Msg: req.Messages[1], Label: "spam"}}}
	body, _ = jsonMarshal(upd)
	got, err = h.Handle(ctx, KindUpdate, body)
	if err != nil {
		t.Fatal(err)
	}
	if id := got.(UpdateResponse).ID; id != "spam@2" {
		t.Errorf("update id = %q, want spam@2", id)
	}
	req.Models = []string{upd.Out}
	body, _ = jsonMarshal(req)
	got, err = h.Handle(ctx, KindClassify, body)
	if err != nil {
		t.Fatal(err)
	}
	if r := got.(wire.ClassifyResponse).Results[1]; r.Spam < 0.5 {
		t.Errorf("after the correction: spam = %.2f, want >= 0.5", r.Spam)
	}
	h.Unload()
	if h.files != nil {
		t.Errorf("Unload kept models")
	}
	if _, err := h.Handle(ctx, KindClassify, []byte(`{"models":["/nonexistent.pam"],"messages":[]}`)); err == nil {
		t.Errorf("classify with a missing model file = nil error")
	}
	if _, err := os.Stat(filepath.Join(dir, "spam2.pam")); err != nil {
		t.Error(err)
	}
}

func jsonMarshal(v any) ([]byte, error) { return json.Marshal(v) }
