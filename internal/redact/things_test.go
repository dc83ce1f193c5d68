package redact

import (
	"strings"
	"testing"
)

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
		{"Zentrik is a great place to work.", "Zentrik", TypeOrg},
		{"Marvella is my employer.", "Marvella", TypeOrg},
		{"Did you hear that Zentrik laid off 200 people?", "Zentrik", TypeOrg},
		{"Please forward this to the Zentrik legal team.", "Zentrik", TypeOrg},
		{"I interviewed with Marvella yesterday.", "Marvella", TypeOrg},
		{"The merger between Zentrik and Plomba was approved.", "Zentrik", TypeOrg},
		{"Zentrik has been fined by regulators.", "Zentrik", TypeOrg},
		{"I was laid off by Marvella.", "Marvella", TypeOrg},
		{"I applied to Zentrik last week.", "Zentrik", TypeOrg},
		{"I'm quitting Marvella.", "Marvella", TypeOrg},
		{"Sign up for Zentrik today.", "Zentrik", TypeOrg},
		{"Marvella's new products are out.", "Marvella", TypeOrg},
		{"Zentrik laid off 40 staff.", "Zentrik", TypeOrg},
		{"Kaspar Lindqvist was hired last week.", "Kaspar Lindqvist", TypePerson},
		{"My friend works for Continental Harvest.", "Continental Harvest", TypeOrg},
		{"Organic Meadow is hiring.", "Organic Meadow", TypeOrg},
		{"We met the Electronic Quill team.", "Electronic Quill", TypeOrg},
		{"Please contact Urban Pellworths about the order.", "Urban Pellworths", TypeOrg},
		{"Send it to Eager Zentrik today.", "Eager Zentrik", TypeOrg},
		{"She works at Quantum now.", "Quantum", TypeOrg},
		{"I have worked for Vital since May.", "Vital", TypeOrg},
		{"Company: Zentrik Holdings", "Zentrik Holdings", TypeOrg},
		{"Name: Mira Kell\nEmployer: Marvella\nPhone: 555-0100", "Marvella", TypeOrg},
		{"Bank name: Plomba Savings", "Plomba Savings", TypeOrg},
		{"She is the director of Zentrik.", "Zentrik", TypeOrg},
		{"Mira Kell, CEO, Marvella", "Marvella", TypeOrg},
		{"Mira Kell of Zentrik called.", "Zentrik", TypeOrg},
		{"Marvella's Anna Okafor said no.", "Marvella", TypeOrg},
		{"We lost deals to competitors like Zentrik.", "Zentrik", TypeOrg},
		{"Marvella went bankrupt in 2009.", "Marvella", TypeOrg},
		{"My Quorbis Premium plan renewed.", "Quorbis Premium", TypeOrg},
		{"Zentrik Model 3 is sold out.", "Zentrik Model", TypeOrg},
		{"Name: Oduya\nPhone: 555-0100", "Oduya", TypePerson},
		{"Contact person: Oduya Tembe", "Oduya Tembe", TypePerson},
		{"She joined ZTX in 2019.", "ZTX", TypeOrg},
		{"QORVANT is hiring.", "QORVANT", TypeOrg},
		{"I work at The Home Depot.", "Home Depot", TypeOrg},
		{"Blue Harbor, Inc. is based in Ohio.", "Blue Harbor", TypeOrg},
		{"Blue Harbor shares rose.", "Blue Harbor", TypeOrg},
		{"Zentrik has over 500 employees.", "Zentrik", TypeOrg},
		{"Marvella refunded me on Monday.", "Marvella", TypeOrg},
		{"I got an internship with Zentrik.", "Zentrik", TypeOrg},
		{"Marvella's mission is simple.", "Marvella", TypeOrg},
		{"Tell Oduya I said hi.", "Oduya", TypePerson},
		{"Please call Senior Engineer Oduya Tembe today.", "Oduya Tembe", TypePerson},
		{"The deal was signed by Mira Kell yesterday.", "Mira Kell", TypePerson},
		{"Please contact Doctor Mira Kell about it.", "Doctor Mira Kell", TypePerson},
		{"I interviewed with Mira Kell yesterday.", "Mira Kell", TypePerson},
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
	for _, text := range []string{"Insurance Provider: none", "Primary Care Physician: none", "The CEO is hiring. HR is hiring too.",
		"Our CFO joined in May.", "I paid with my Maestro card.", "My Diners Club card was declined.", "Can I pay with Visa Electron?",
		"Provider: Visa", "The office is closed on Labor Day.", "Happy Flag Day!"} {
		for _, s := range Detect(text, Hints{}) {
			t.Errorf("Detect(%q) has %s %q, want nothing (a form label, a common abbreviation or a card network)", text, s.Type, s.Value)
		}
	}
	for _, text := range []string{
		"I will send you a map with a general idea of the site.",
		"He drove to Lorrimer, Kansas on Monday.",
		"The shop moved to Vellby, Norway last year.",
		"Direct Fax: 555-0142",
		"The Embedded Bitmap in the Contingency plan is broken.",
		"We hiked the Grand Canyon in May.",
		"The Harriers won again on Sunday.",
		"Yours Truly,",
		"Platinum Member benefits are listed below.",
		"Our VP of Customer Relations will call.",
		"Happy Memorial Day to all of you!",
		"I have deleted your dad and sister's email addresses.",
		"It is in everyone's e-mail by Thursday.",
		"Date of Birth: unknown",
		"Boarding Pass attached.",
		"We walked over the Harrowgate Bridge.",
		"The plant near La Verana is closed.",
	} {
		for _, s := range Detect(text, Hints{}) {
			if s.Type == TypePerson {
				t.Errorf("Detect(%q) has %s %q, want no person", text, s.Type, s.Value)
			}
		}
	}
}

// TestLetterBeforeAmpersand: "O&M" after a name is an abbreviation, not an
// initial of the name.
func TestLetterBeforeAmpersand(t *testing.T) {
	text := "The Tarnby O&M agreement is signed."
	for _, s := range Detect(text, Hints{}) {
		if strings.HasSuffix(s.Value, " O") || strings.Contains(s.Value, "&") {
			t.Errorf("Detect(%q) has %s %q, want no span over the abbreviation", text, s.Type, s.Value)
		}
	}
}
