package ml

import "testing"

// Settings that a version-1 featurizer would silently misread carry
// version 2; the rest stay version 1 and load in older builds.
func TestFeaturizerVersion(t *testing.T) {
	for _, c := range []struct {
		task string
		want int
	}{{TaskSpam, 2}, {TaskKind, 1}, {TaskNeedsReply, 1}} {
		if got := DefaultFeatures(c.task).Version; got != c.want {
			t.Errorf("DefaultFeatures(%s).Version = %d, want %d", c.task, got, c.want)
		}
	}
	s := DefaultFeatures(TaskSpam)
	s.Version = 1
	if err := s.validate(); err == nil {
		t.Errorf("version 1 with from_chars %g validated", s.FromChars)
	}
	s.Version = FeaturizerVersion + 1
	if err := s.validate(); err == nil {
		t.Errorf("version %d validated by a build of %d", s.Version, FeaturizerVersion)
	}
	k := DefaultFeatures(TaskKind)
	k.Version = 2
	if err := k.validate(); err != nil {
		t.Errorf("version 2 without the new settings: %v", err)
	}
	// Training with the new settings on, given as version 1, writes 2.
	opts := smallOpts()
	opts.Features.FromChars, opts.Features.MinDF, opts.Features.Version = 0, 1, 1
	m, err := Train(TaskSpam, synthExamples(20), opts)
	if err != nil {
		t.Fatal(err)
	}
	if m.Info().Features.Version != 2 {
		t.Errorf("trained with min_df: version %d, want 2", m.Info().Features.Version)
	}
}
