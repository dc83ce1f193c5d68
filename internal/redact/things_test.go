package redact

import "testing"

// TestNamedThings covers the seventh round's rules against false people,
// with sentences and names made up for the test.
func TestNamedThings(t *testing.T) {
	for _, tc := range []struct {
		text, value, typ string
	}{
		{"Please see the Quorbis Proposal attached.", "Quorbis Proposal", TypeOrg},
		{"The gas went through Dunmore Pipeline last week.", "Dunmore Pipeline", TypeOrg},
		{"We met at the Varnholt Hub on Friday.", "Varnholt Hub", TypeOrg},
		{"I agree with Trelby's pricing on this.", "Trelby", TypeOrg},
		{"The deal was signed by Mira Kell yesterday.", "Mira Kell", TypePerson},
		{"Ask Henrik Stone about the invoice.", "Henrik Stone", TypePerson},
	} {
		found := false
		for _, s := range Detect(tc.text, Hints{}) {
			found = found || s.Value == tc.value && s.Type == tc.typ
		}
		if !found {
			t.Errorf("Detect(%q) = %v, want %s %q", tc.text, Detect(tc.text, Hints{}), tc.typ, tc.value)
		}
	}
	for _, text := range []string{
		"I will send you a map with a general idea of the site.",
		"He drove to Lorrimer, Kansas on Monday.",
		"The shop moved to Vellby, Norway last year.",
		"Direct Dial: 555-0142",
		"The Embedded Bitmap in the Contingency plan is broken.",
	} {
		for _, s := range Detect(text, Hints{}) {
			if s.Type == TypePerson {
				t.Errorf("Detect(%q) has %s %q, want no person", text, s.Type, s.Value)
			}
		}
	}
}
