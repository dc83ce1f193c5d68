package redact

import "testing"

// TestAddressNames: names inside an address block are the address, not
// people (made-up street and town names).
func TestAddressNames(t *testing.T) {
	for _, tc := range []struct {
		text, value string
	}{
		{"Send it to:\n12 Brantmoor Quellig\n Apt. 4\n Utopia 12345", "12 Brantmoor Quellig\n Apt. 4\n Utopia 12345"},
		{"Ship to 77 Ostrava Velk\n Suite 12\n Zorbia 45678", "77 Ostrava Velk\n Suite 12\n Zorbia 45678"},
		{"Ship to 7 Oak Street\n Apt. 4\n Brantmoor\n Utopia 12345", "7 Oak Street\n Apt. 4\n Brantmoor\n Utopia 12345"},
	} {
		found := false
		var people []string
		for _, s := range Detect(tc.text, Hints{}) {
			found = found || s.Value == tc.value && s.Type == TypeAddress
			if s.Type == TypePerson {
				people = append(people, s.Value)
			}
		}
		if !found || len(people) > 0 {
			t.Errorf("Detect(%q) = %v, want ADDRESS %q and no person", tc.text, Detect(tc.text, Hints{}), tc.value)
		}
	}
	// A person above a street stays a person.
	text := "Anna Brantmoor\n12 Oak Street\n Apt. 4\n Utopia 12345"
	found := false
	for _, s := range Detect(text, Hints{}) {
		found = found || s.Type == TypePerson && s.Value == "Anna Brantmoor"
	}
	if !found {
		t.Errorf("Detect(%q) = %v, want PERSON %q", text, Detect(text, Hints{}), "Anna Brantmoor")
	}
}

func TestStreetOrFirm(t *testing.T) {
	text := "Call Hill Street Capital today."
	found := false
	for _, s := range Detect(text, Hints{}) {
		found = found || s.Type == TypeOrg && s.Value == "Hill Street Capital"
	}
	if !found {
		t.Errorf("Detect(%q) = %v, want ORG %q", text, Detect(text, Hints{}), "Hill Street Capital")
	}
}

func TestMergeAddresses(t *testing.T) {
	text := "12 Oak St,\n Springfield and 9 Elm Rd"
	in := []bspan{{0, 9, TypeAddress, prioAddress}, {12, 23, TypeAddress, prioPerson}, {28, 36, TypeAddress, prioAddress}}
	got := mergeAddresses(text, in)
	if len(got) != 2 || got[0].start != 0 || got[0].end != 23 || got[1].start != 28 {
		t.Errorf("mergeAddresses(%q) = %v, want [0,23) and [28,36)", text, got)
	}
}

// TestStreetLead: a name right before a street belongs to the address.
func TestStreetLead(t *testing.T) {
	for _, tc := range []struct{ text, want string }{
		{"Take me to Valdrin and 22 Quarry Lane, please.", "Valdrin and 22 Quarry Lane"},
		{"Ship it to Torvald Hagens vei 41 tomorrow.", "Torvald Hagens vei 41"},
		{"Send it to 71 Avenue des Ormeaux, Vireux.", "71 Avenue des Ormeaux, Vireux"},
		{"I live at 22 Calle de los Pinos, Tarvela.", "22 Calle de los Pinos, Tarvela"},
	} {
		var got []string
		for _, s := range Detect(tc.text, Hints{}) {
			got = append(got, s.Type+" "+s.Value)
		}
		if len(got) != 1 || got[0] != TypeAddress+" "+tc.want {
			t.Errorf("Detect(%q) = %q, want one ADDRESS %q", tc.text, got, tc.want)
		}
	}
}
