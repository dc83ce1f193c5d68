package redact

import (
	"reflect"
	"testing"
)

func TestDomainLabels(t *testing.T) {
	text := "Write to a@mail.quorbis.co.uk, b@gmail.com, see www.brantlex.com or c@x.io, https://tarnwell.io/pricing"
	got := domainLabels(text, asciiLower(text))
	want := map[string]bool{"quorbis": true, "brantlex": true, "tarnwell": true}
	if !reflect.DeepEqual(got, want) {
		t.Errorf("domainLabels(%q) = %v, want %v", text, got, want)
	}
}

// TestDomainNames: a name that is the text's e-mail domain is an
// organisation; a person's name is not taken for one.
func TestDomainNames(t *testing.T) {
	for _, tc := range []struct {
		text, value, typ string
	}{
		{"Ask Quorbis about it, billing@quorbis.com answers fast.", "Quorbis", TypeOrg},
		{"We met Open Brantlex today (info@openbrantlex.org).", "Open Brantlex", TypeOrg},
		{"Thanks Anna Okafor (anna@annaokafor.com).", "Anna Okafor", TypePerson},
		{"Quorbis called; reply to sales@gmail.com.", "Quorbis", TypePerson},
	} {
		found := false
		for _, s := range Detect(tc.text, Hints{}) {
			found = found || s.Value == tc.value && s.Type == tc.typ
		}
		if !found {
			t.Errorf("Detect(%q) = %v, want %s %q", tc.text, Detect(tc.text, Hints{}), tc.typ, tc.value)
		}
	}
}
