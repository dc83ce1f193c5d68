package redact

import "testing"

// TestLowerOrgs covers organisations in text written without capitals and
// hyphenated firm names after prepositions, with names made up for the
// test (not from the evaluation data or a name generator).
func TestLowerOrgs(t *testing.T) {
	for _, tc := range []struct {
		text, value, typ string
	}{
		{"please pay penrose ltd. by friday", "penrose ltd.", TypeOrg},
		{"the quote from hadlow llc is too high", "hadlow llc", TypeOrg},
		{"we used kessler and sons last time", "kessler and sons", TypeOrg},
		{"i work at quorbis now", "quorbis", TypeOrg},
		{"marta is from brantlyx", "brantlyx", TypeOrg},
		{"he joined vellacorp in may", "vellacorp", TypeOrg},
		{"meet me at hadlow, okafor and brisk tomorrow", "hadlow, okafor and brisk", TypeOrg},
		{"anna lindqvist\nquorbis\n12 oak street", "quorbis", TypeOrg},
		{"anna lindqvist\nwestmoor farm insurance\n12 oak street", "westmoor farm insurance", TypeOrg},
		{"anna lindqvist\ncraig, dunmore and quill\n12 oak street", "craig, dunmore and quill", TypeOrg},
		{"Please send the invoice to Hadley-Penrose by Friday.", "Hadley-Penrose", TypeOrg},
		{"The contract with Hadley-Penrose ends in May.", "Hadley-Penrose", TypeOrg},
		{"Thanks Hadley-Penrose for the quick reply.", "Hadley-Penrose", TypePerson},
		{"I just got off the phone with Quorbis support.", "Quorbis", TypeOrg},
		{"Quorbis has offices in three countries.", "Quorbis", TypeOrg},
		{"The app was developed by Quorbis last year.", "Quorbis", TypeOrg},
		{"I've been a Quorbis customer since 2010.", "Quorbis", TypeOrg},
		{"Brantley's birthday is today.", "Brantley", TypePerson},
		{"Send it to Ekvik 55, then turn left.", "Ekvik 55", TypeAddress},
		{"Please call Kowalski 555 0101 today.", "Kowalski", TypePerson},
		{"She went to Brantmoor after school.", "Brantmoor", TypeOrg},
		{"I'd like to cancel my Quorbis subscription.", "Quorbis", TypeOrg},
		{"We signed a contract with Quorbis last week.", "Quorbis", TypeOrg},
		{"We bank with Quorbis.", "Quorbis", TypeOrg},
		{"She owns shares in Quorbis.", "Quorbis", TypeOrg},
		{"Their insurer, Quorbis, denied the claim.", "Quorbis", TypeOrg},
		{"A Quorbis spokesperson declined to comment.", "Quorbis", TypeOrg},
		{"He is representing Vern Okafor in court.", "Vern Okafor", TypePerson},
		{"I had dinner with Okafor yesterday.", "Okafor", TypePerson},
		{"Please send the file to Brisk-Warren today.", "Brisk-Warren", TypeOrg},
		{"Anne-Lise will join us later.", "Anne-Lise", TypePerson},
		{"I work at Thomas, Lee and Scott.", "Thomas, Lee and Scott", TypeOrg},
		{"Thomas, Lee and Scott is hiring.", "Thomas, Lee and Scott", TypeOrg},
		{"I met Anna, Olivia and Peter at the party.", "Olivia", TypePerson},
		{"James and Sons shipped the order.", "James and Sons", TypeOrg},
		{"I work for Scott & Partners.", "Scott & Partners", TypeOrg},
		{"Quorbis offers a discount for students.", "Quorbis", TypeOrg},
		{"Marta is from Quantiva", "Quantiva", TypeOrg},
		{"Aki shouted at Kayla Brisk: \"What are you doing?\"", "Kayla Brisk", TypePerson},
		{"During the 1990s, Fennel Brisk invested heavily in chips.", "Fennel Brisk", TypeOrg},
		{"during the 1990s, quorbis invested heavily in chips.", "quorbis", TypeOrg},
		{"during the 1990s, hadlow, okafor and brisk invested heavily.", "hadlow, okafor and brisk", TypeOrg},
		{"we'll meet at westmoor web services, 80 p.o. box 15", "westmoor web services", TypeOrg},
		{"marta is from civic data union", "civic data union", TypeOrg},
		{"kian\nwestmoor farm insurance\n46 via roma 74", "westmoor farm insurance", TypeOrg},
		{"We'll meet at Quantiva, 12 Oak Street, Leeds", "Quantiva", TypeOrg},
		{"Marta is from Sas", "Sas", TypeOrg},
		{"we'll meet at hadlow brisk and associates, 80 p.o. box 15", "hadlow brisk and associates", TypeOrg},
		{"anna lindqvist\ngoogle maps\n12 oak street\nleeds", "google maps", TypeOrg},
		{"Hartwell Credit Ratings Agency's website is down.", "Hartwell Credit Ratings Agency", TypeOrg},
		{"Brisk Group's offices are closed.", "Brisk Group", TypeOrg},
		{"Have you heard of Quorbix? They make great software.", "Quorbix", TypeOrg},
		{"I called Quorbix and they said no.", "Quorbix", TypeOrg},
		{"I called Okafor and he said no.", "Okafor", TypePerson},
		{"Our developer Lindqvist fixed it.", "Lindqvist", TypePerson},
		{"Our supplier Quorbix raised prices.", "Quorbix", TypeOrg},
	} {
		found := false
		for _, s := range Detect(tc.text, Hints{}) {
			found = found || s.Value == tc.value && s.Type == tc.typ
		}
		if !found {
			t.Errorf("Detect(%q) = %v, want %s %q", tc.text, Detect(tc.text, Hints{}), tc.typ, tc.value)
		}
	}
	// No person: a word with its number is a street or a product.
	for _, text := range []string{"We still run Zorbatron 10 on the old server.", "The meeting is in Brantmoor 4 on the second floor.",
		"We use Zorbatron and Quellix for chat.", "We flew via Brantmoor and Quellig."} {
		for _, s := range Detect(text, Hints{}) {
			if s.Type == TypePerson {
				t.Errorf("Detect(%q) has %s %q, want no person", text, s.Type, s.Value)
			}
		}
	}
	// No organisation: English words after the cues, capitals elsewhere on
	// the line, lists of people.
	for _, text := range []string{
		"see you at noon at the office",
		"i'm at home all day",
		"she is from ohio",
		"I work at quorbis now", // capitals on the line: lower case is not a name here
		"thanks anna, john and peter",
		"emily\nat work\n",
		"bram shouted at quorbix: \"what are you doing here?\"",
	} {
		for _, s := range Detect(text, Hints{}) {
			if s.Type == TypeOrg {
				t.Errorf("Detect(%q) has %s %q, want no organisation", text, s.Type, s.Value)
			}
		}
	}
}

// TestGroupWords: nationalities, languages, religions and parties are not
// people.
func TestGroupWords(t *testing.T) {
	for _, text := range []string{"He speaks Mandarin, Cantonese and Hindi fluently.", "She is Catholic and he is Jewish; both are Democrats."} {
		for _, s := range Detect(text, Hints{}) {
			if s.Type == TypePerson || s.Type == TypeOrg {
				t.Errorf("Detect(%q) has %s %q, want no name", text, s.Type, s.Value)
			}
		}
	}
}

func TestBrandShape(t *testing.T) {
	for _, tc := range []struct {
		word string
		want bool
	}{
		{"workhands", true}, {"quoranomics", true}, {"zentify", true}, {"okafor", false}, {"lindqvist", false},
		{"robinson", false}, {"marušić", false}, {"jennifer", false},
	} {
		if got := brandShape(tc.word); got != tc.want {
			t.Errorf("brandShape(%q) = %v, want %v", tc.word, got, tc.want)
		}
	}
}
