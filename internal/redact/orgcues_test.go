package redact

import "testing"

// TestOrgCues covers the fifth round's organisation evidence, with names
// made up for the test (not from the evaluation data or a name generator).
func TestOrgCues(t *testing.T) {
	for _, tc := range []struct {
		text, value, typ string
	}{
		{"Brantley's headquarters are in Ohio.", "Brantley", TypeOrg},
		{"Brantley's customers love the product.", "Brantley", TypeOrg},
		{"Dunmore has announced record profits.", "Dunmore", TypeOrg},
		{"Ashworth is hiring engineers.", "Ashworth", TypeOrg},
		{"Kessler-Dunn is a great place to work.", "Kessler-Dunn", TypeOrg},
		{"Please call Hale and Sons about the order.", "Hale and Sons", TypeOrg},
		{"Garrity & Lowe sent the invoice.", "Garrity & Lowe", TypeOrg},
		{"Ravenscroft, the bank, lost money.", "Ravenscroft", TypeOrg},
		{"Our vendor is Pennock Group.", "Pennock Group", TypeOrg},
		{"Dunmore shares rose 5% today.", "Dunmore", TypeOrg},
		{"Pellham was acquired by Dunmore.", "Dunmore", TypeOrg},
		{"He founded Pellham in 2005.", "Pellham", TypeOrg},
		{"Pellham employs 300 people.", "Pellham", TypeOrg},
		{"Pellham (NASDAQ: PLM) reported earnings.", "Pellham", TypeOrg},
		{"Dunmore Brothers delivered the goods.", "Dunmore Brothers", TypeOrg},
		{"Ostrander is a regional bank.", "Ostrander", TypeOrg},
		{"The Dunmore office in Leeds is closed.", "Dunmore", TypeOrg},
		{"unlike the Quarrington novel, it is short", "Quarrington", TypePerson},
		{"Yesterday Dunmore raised its forecast.", "Dunmore", TypeOrg},
		{"Please ask Quarrington about its status.", "Quarrington", TypePerson},
		{"Oliver Brandt\nKing & Halloway\n555-0142", "King & Halloway", TypeOrg},
		{"the ties between Trancoria and its shippers", "Trancoria", TypeOrg},
		{"Mary Smith-Jones called yesterday.", "Mary Smith-Jones", TypePerson},
		{"Ravenscroft said he would come.", "Ravenscroft", TypePerson},
		{"Mr. Ravenscroft is here.", "Mr. Ravenscroft", TypePerson},
		{"Thanks Anna & Tom for the help", "Anna", TypePerson},
		{"Ship it to 12 Harbour Road\n Suite 4\n Springfield\n Republic of Utopia 12345", "12 Harbour Road\n Suite 4\n Springfield\n Republic of Utopia 12345", TypeAddress},
		{"Address: 251 Pindou Str.\n Suite 108\n Larisa\n Greece 41222", "251 Pindou Str.\n Suite 108\n Larisa\n Greece 41222", TypeAddress},
		{"The contract went to Hale, Morrow and Finch.", "Hale, Morrow and Finch", TypeOrg},
		{"Please update it with 63 Agip u. 96.\n Apt. 808\n Nagyváty\n Chile 79370", "63 Agip u. 96.\n Apt. 808\n Nagyváty\n Chile 79370", TypeAddress},
	} {
		found := false
		for _, s := range Detect(tc.text, Hints{}) {
			found = found || s.Value == tc.value && s.Type == tc.typ
		}
		if !found {
			t.Errorf("Detect(%q) = %v, want %s %q", tc.text, Detect(tc.text, Hints{}), tc.typ, tc.value)
		}
	}
	for _, text := range []string{"Hartley O&M Agreement was signed.", "The R&D budget is set."} {
		for _, s := range Detect(text, Hints{}) {
			if s.Type == TypeOrg && len(s.Value) < 4 {
				t.Errorf("Detect(%q) has %s %q, want no short organisation from an abbreviation with &", text, s.Type, s.Value)
			}
		}
	}
	for _, text := range []string{"I bought a Peloton for Christmas.", "Our Grafana dashboard is down.", "We sell in Asia and Europe.",
		"He bought a shiny Zorbatron yesterday."} {
		for _, s := range Detect(text, Hints{}) {
			if s.Type == TypePerson {
				t.Errorf("Detect(%q) has %s %q, want no person (after an article, or a continent)", text, s.Type, s.Value)
			}
		}
	}
}

// TestUnifyNameTypes: a name found as an organisation by a cue is an
// organisation everywhere in the text, unless a person cue types it there.
func TestUnifyNameTypes(t *testing.T) {
	for _, tc := range []struct {
		text string
		want []string // types of the spans whose value is name, in order
		name string
	}{
		{"She joined Dunmore in May. I think Dunmore pays well.", []string{TypeOrg, TypeOrg}, "Dunmore"},
		{"She joined Dunmore in May. Thanks Dunmore for the help.", []string{TypeOrg, TypePerson}, "Dunmore"},
		{"Pellham said no. Pellham was acquired by Dunmore.", []string{TypePerson, TypeOrg}, "Pellham"},
	} {
		var got []string
		for _, s := range Detect(tc.text, Hints{}) {
			if s.Value == tc.name {
				got = append(got, s.Type)
			}
		}
		if len(got) != len(tc.want) {
			t.Errorf("Detect(%q) types of %q = %v, want %v", tc.text, tc.name, got, tc.want)
			continue
		}
		for i := range got {
			if got[i] != tc.want[i] {
				t.Errorf("Detect(%q) types of %q = %v, want %v", tc.text, tc.name, got, tc.want)
				break
			}
		}
	}
}

func TestHyphenPair(t *testing.T) {
	for _, tc := range []struct {
		word string
		want bool
	}{
		{"Kessler-Dunn", true},
		{"Anne-Lise", false},    // given names
		{"Bar-le-Duc", false},   // lower-case part, three parts
		{"Self-Service", false}, // plain words
		{"Kessler-dunn", false}, // second part not capitalised
		{"Kessler", false},      // no hyphen
	} {
		toks := tokenize(tc.word)
		if got := len(toks) == 1 && hyphenPair(toks[0]); got != tc.want {
			t.Errorf("hyphenPair(%q) = %v, want %v", tc.word, got, tc.want)
		}
	}
}
