package redact

import "testing"

// TestPhoneForms covers phone layouts written from general knowledge of
// how numbers are set out in mail (not taken from the evaluation data).
// want is the exact span text that must be detected as a phone.
func TestPhoneForms(t *testing.T) {
	for _, tc := range []struct{ text, want string }{
		{"ring 555-123-4567 ext. 123 today", "555-123-4567 ext. 123"},
		{"ring 555-123-4567 x123 today", "555-123-4567 x123"},
		{"ring 555-123-4567 ext 12 today", "555-123-4567 ext 12"},
		{"desk 555.123.4567 please", "555.123.4567"},
		{"desk 555 123 4567 please", "555 123 4567"},
		{"Tél 01 23 45 67 89 merci", "01 23 45 67 89"},
		{"Tel 01.23.45.67.89 merci", "01.23.45.67.89"},
		{"call 0044 20 7946 0958 now", "0044 20 7946 0958"},
		{"call 0049 30 12345678 now", "0049 30 12345678"},
		{"call (+44) 20 7946 0958 now", "(+44) 20 7946 0958"},
		{"call (44) 20 7946 0958 now", "(44) 20 7946 0958"},
		{"call +1 (555) 123-4567 now", "+1 (555) 123-4567"},
		{"order at 1-800-FLOWERS today", "1-800-FLOWERS"},
		{"order at +1-800-FLOWERS today", "+1-800-FLOWERS"},
		{"call 1-800-356-9377 now", "1-800-356-9377"},
		{"my number is 555-123-\n4567 thanks", "555-123-\n4567"},
		{"my number is +44 20\n7946 0958 thanks", "+44 20\n7946 0958"},
		{"078 5550 1234 office", "078 5550 1234"},
		{"9555 0142 office", "9555 0142"},
		{"mobile: 07700 900123", "07700 900123"},
		{"(0)20 7946 0958 is the office", "(0)20 7946 0958"},
		{"+44 (0)20 7946 0958 is the office", "+44 (0)20 7946 0958"},
		{"001-555-210-4433x1023 fax", "001-555-210-4433x1023"},
		{"Phone: 555 1234 please", "555 1234"},
		{"Tel: +353 1 234 5678", "+353 1 234 5678"},
		{"call me on +61 2 9876 5432.", "+61 2 9876 5432"},
		{"call me on 020-7946-0958.", "020-7946-0958"},
		{"You can reach me at 5551234567 anytime", "5551234567"},
		{"it is 0123456789 at home", "0123456789"},
		{"it is 13812345678 at home", "13812345678"},
		{"reach me at 555-1234 anytime", "555-1234"},
		{"it is 030 123 456 at home", "030 123 456"},
		{"ring 555-123-4567 extension 89 today", "555-123-4567 extension 89"},
		{"ring (555) 123-4567, ext. 89 today", "(555) 123-4567, ext. 89"},
	} {
		found := false
		for _, s := range Detect(tc.text, Hints{}) {
			found = found || s.Type == TypePhone && s.Value == tc.want
		}
		if !found {
			t.Errorf("Detect(%q) = %v, want PHONE %q", tc.text, Detect(tc.text, Hints{}), tc.want)
		}
	}
}

// TestNotPhones: numbers that must not be taken for phones.
func TestNotPhones(t *testing.T) {
	for _, text := range []string{
		"logged at 1700000000 seconds",
		"sold 1 000 000 units",
		"from 1999-2001 onwards",
		"paid 123 456 789 in total",
		"order 0000123456 shipped",
		"pi is 3.1415926535",
	} {
		for _, s := range Detect(text, Hints{}) {
			if s.Type == TypePhone {
				t.Errorf("Detect(%q) = PHONE %q, want no phone", text, s.Value)
			}
		}
	}
}
