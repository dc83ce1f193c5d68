package redact

import (
	"strings"
	"testing"
)

// TestSignatureCues covers the eighth round's organisation cues and the
// things named with "the", with names made up for the test.
func TestSignatureCues(t *testing.T) {
	for _, tc := range []struct {
		text, value, typ string
	}{
		{"Hi, this is Anna with Velloway.", "Velloway", TypeOrg},
		{"Hi, I'm Tom Brandt with Velloway, following up.", "Velloway", TypeOrg},
		{"She is an engineer for Velloway.", "Velloway", TypeOrg},
		{"He is a consultant for Quellmark in Denver.", "Quellmark", TypeOrg},
		{"Tom Brandt (Velloway) will present.", "Velloway", TypeOrg},
		{"Velloway CTO Tom Brandt will present.", "Velloway", TypeOrg},
		{"Velloway CTO Tom Brandt will present.", "Tom Brandt", TypePerson},
		{"Mira Kell | Velloway | 555-0100", "Velloway", TypeOrg},
		{"Mira Kell, Velloway", "Velloway", TypeOrg},
		{"Anna | Velloway | 555-0100", "Velloway", TypeOrg},
		{"Ada van der Berg | Velloway | 555-0100", "Velloway", TypeOrg},
		{"Mira Kell | Synthetica | 555-0100", "Synthetica", TypeOrg},
		{"Mira Kell, Senior Analyst\nVelloway\n555-0100", "Velloway", TypeOrg},
		{"Kowalski, Zorbek", "Zorbek", TypePerson},
		{"Our CEO, Zorbek, resigned.", "Zorbek", TypePerson},
		{"The letter from Zorbek arrived today.", "Zorbek", TypePerson},
		{"The invoice from Zorbek arrived today.", "Zorbek", TypeOrg},
		{"Thanks\nZorbek\n713 - 555 - 0142", "Zorbek", TypePerson},
		{"Quellmark\n12 Harbour Road\nSpringfield", "Quellmark", TypeOrg},
		{"From: Zorbek\nTo: Anna", "Zorbek", TypePerson},
		{"Senior Analyst, Synthetica", "Synthetica", TypeOrg},
		{"Mira Kell | Senior Analyst | Velloway | 555-0100", "Velloway", TypeOrg},
		{"Mira Kell, Senior Analyst, Velloway", "Velloway", TypeOrg},
		{"hi, this is anna with velloway.", "velloway", TypeOrg},
		{"this is anna from velloway.", "velloway", TypeOrg},
		{"the contract with velloway expires soon.", "velloway", TypeOrg},
		{"he is a consultant for velloway.", "velloway", TypeOrg},
		{"i'm a customer of velloway.", "velloway", TypeOrg},
		{"velloway customer support never replied.", "velloway", TypeOrg},
		{"velloway is hiring engineers.", "velloway", TypeOrg},
		{"My Tarnwell credit card was stolen.", "Tarnwell", TypeOrg},
		{"I was charged by Tarnwell without consent.", "Tarnwell", TypeOrg},
		{"Please confirm the order with Tarnwell.", "Tarnwell", TypeOrg},
		{"I'm an investor in Tarnwell.", "Tarnwell", TypeOrg},
		{"Tarnwell teamed up with a local charity.", "Tarnwell", TypeOrg},
		{"Tarnwell declined to comment.", "Tarnwell", TypeOrg},
		{"Thank you for choosing Tarnwell.", "Tarnwell", TypeOrg},
		{"Your application to Tarnwell has been received.", "Tarnwell", TypeOrg},
		{"Mira Kowalski declined the offer.", "Mira Kowalski", TypePerson},
		{"Best,\nTom Brandt\nHead of Sales, Velloway", "Velloway", TypeOrg},
		{"Regards,\nMira Kell\nSenior Analyst\nVelloway Analytics", "Velloway Analytics", TypeOrg},
		{"Regards,\nMira Kell\nAccount Manager\nQuellmark", "Quellmark", TypeOrg},
		{"The deal between Velloway and Quellmark collapsed.", "Quellmark", TypeOrg},
		{"Velloway and Quellmark announced a merger.", "Velloway", TypeOrg},
		{"Please thank Anna and Quellmark for the help.", "Anna", TypePerson},
		{"Can you resend the Quellmark link?", "", ""},
		{"The sale went through: the Quellmark sale closed.", "Quellmark", TypeOrg},
		{"Unlike the Quellmark novel, it is short.", "Quellmark", TypePerson},
		{"We met the Quellmark family.", "Quellmark", TypePerson},
		{"The Lantern Health clinic is open.", "Lantern Health", TypeOrg},
		{"Velloway is a leading provider of analytics.", "Velloway", TypeOrg},
		{"Velloway is one of our suppliers.", "Velloway", TypeOrg},
		{"Velloway (formerly Quellmark) is growing.", "Quellmark", TypeOrg},
		{"The Velloway company was sold.", "Velloway", TypeOrg},
		{"I'd like to file a claim with Velloway.", "Velloway", TypeOrg},
		{"Velloway technicians are rude.", "Velloway", TypeOrg},
		{"I love Kessler-Dunn.", "Kessler-Dunn", TypeOrg},
		{"I love Garrow, Tenley and Marsh.", "Garrow, Tenley and Marsh", TypeOrg},
		{"Yesterday the Tarnwell Water Coalition (\"TWC\") filed a motion. TWC argued that it was late.", "TWC", TypeOrg},
		{"Yesterday the Tarnwell Water Coalition (\"TWC\") filed a motion.", "Tarnwell Water Coalition", TypeOrg},
		{"Love,\nMira", "Mira", TypePerson},
		{"Best, Zorbek", "Zorbek", TypePerson},
		{"We switched to Pricequest last year.", "Pricequest", TypeOrg},
		{"We switched to Ontrack last year.", "Ontrack", TypeOrg},
		{"We switched to Bluecoldpaper last year.", "Bluecoldpaper", TypeOrg},
	} {
		if tc.value == "" {
			continue // listed with the things below
		}
		found := false
		for _, s := range Detect(tc.text, Hints{}) {
			found = found || s.Value == tc.value && s.Type == tc.typ
		}
		if !found {
			t.Errorf("Detect(%q) = %v, want %s %q", tc.text, Detect(tc.text, Hints{}), tc.typ, tc.value)
		}
	}
	for _, tc := range []struct{ text, value string }{
		{"Regards,\nMira Kell\nSenior Analyst\nVelloway Analytics", "Senior Analyst"},
		{"Mira Kell | Senior Analyst | Velloway | 555-0100", "Senior Analyst"},
		{"The Titanic sank in 1912.", "Titanic"},
		{"The Olympics start on Friday.", "Olympics"},
		{"Can you resend the Quellmark link?", "Quellmark"},
		{"The Quellmark driver was late.", "Quellmark"},
		{"Let's play Quellmark tonight.", "Quellmark"},
		{"I ordered Quellmark for the pain.", "Quellmark"},
		{"The Quellmark sank in 1912.", "Quellmark"},
		{"I booked a room at the Quellmark.", "Quellmark"},
		{"The Quellmark Tower is lit at night.", "Quellmark Tower"},
		{"The song Quellmark Skies is a classic.", "Quellmark Skies"},
		{"The storm Anna hit the coast.", "Anna"},
		{"We use Reliability Centered Maintenance (RCM) on the plant.", "RCM"},
		{"Are there any charges to withdraw money from ATM with my card?", "ATM"},
		{"are there any charges applied to withdraw money from atm?", "withdraw"},
	} {
		for _, s := range Detect(tc.text, Hints{}) {
			if s.Value == tc.value {
				t.Errorf("Detect(%q) has %s %q, want it left as it is", tc.text, s.Type, s.Value)
			}
		}
	}
}

// TestEuropeanStreets covers street words and endings added in the eighth
// round (general knowledge of address forms; the names are made up).
func TestEuropeanStreets(t *testing.T) {
	for _, tc := range []struct{ text, value string }{
		{"Please ship it to Zorvai tér 12.", "Zorvai tér 12"},
		{"Please ship it to Varkony rakpart 79.", "Varkony rakpart 79"},
		{"Please ship it to Kelvanská třída 88.", "Kelvanská třída 88"},
		{"Please ship it to Av. da Quorbia 45.", "Av. da Quorbia 45"},
		{"Please ship it to R. Varela 120.", "R. Varela 120"},
		{"Please ship it to Corso Tarnelli 81.", "Corso Tarnelli 81"},
		{"Please ship it to Quai Morvan 9.", "Quai Morvan 9"},
		{"Please ship it to Zorvabraut 19.", "Zorvabraut 19"},
		{"Please ship it to Kelvapolku 7.", "Kelvapolku 7"},
		{"Please ship it to Tarnhof 26.", "Tarnhof 26"},
		{"Please ship it to al. Zorvańskie 44.", "al. Zorvańskie 44"},
		{"Please ship it to Tarnel Caddesi 112.", "Tarnel Caddesi 112"},
	} {
		found := false
		for _, s := range Detect(tc.text, Hints{}) {
			found = found || s.Type == TypeAddress && strings.Contains(s.Value, tc.value)
		}
		if !found {
			t.Errorf("Detect(%q) = %v, want an ADDRESS holding %q", tc.text, Detect(tc.text, Hints{}), tc.value)
		}
	}
	// A number that ends a sentence is no decimal: the street before it is
	// an address, not a person.
	for _, s := range Detect("Please ship it to Zorvabrat 19.", Hints{}) {
		if s.Type == TypePerson {
			t.Errorf("Detect(%q) has PERSON %q, want the street and its number", "Please ship it to Zorvabrat 19.", s.Value)
		}
	}
}
