package redact

import "testing"

// TestDetectForms covers address, organisation and name forms written from
// general knowledge of how they are set out (not from the evaluation data).
func TestDetectForms(t *testing.T) {
	for _, tc := range []struct {
		text, value, typ string
	}{
		{"Jane Doe\n\n12 Harbour Road\n Suite 4\n Springfield\n\n Canada 12345", "12 Harbour Road\n Suite 4\n Springfield\n\n Canada 12345", TypeAddress},
		{"Ship to USS Enterprise\nFPO AP 96601", "USS Enterprise\nFPO AP 96601", TypeAddress},
		{"Please use Unit 1234 Box 5678\nDPO AE 09876", "Unit 1234 Box 5678\nDPO AE 09876", TypeAddress},
		{"meet me at the corner of 12 Elm Street and Oak Avenue", "the corner of 12 Elm Street and Oak Avenue", TypeAddress},
		{"04 44 Rue Victor Hugo, Lyon", "04 44 Rue Victor Hugo, Lyon", TypeAddress},
		{"In 2001, Zorblatt acquired the company.", "Zorblatt", TypeOrg},
		{"She is from Corvale Web Services.", "Corvale Web Services", TypeOrg},
		{"Quuxly\n\n12 Harbour Road\nSpringfield", "Quuxly", TypeOrg},
		{"Dr. Ann Lee\nBlue Harbor Logistics\n12 Harbour Road", "Blue Harbor Logistics", TypeOrg},
		{"sometimes people call me zebulon", "zebulon", TypePerson},
		{"\"it's fine,\" says quenby.", "quenby", TypePerson},
		{"please correct it to mr. yorick blint", "mr. yorick blint", TypePerson},
		{"She works for Quillmark now.", "Quillmark", TypeOrg},
		{"He is the CEO of Brandolix.", "Brandolix", TypeOrg},
		{"We spoke to the Veltrano team about it.", "Veltrano", TypeOrg},
		{"I asked Zorvath's team for the figures.", "Zorvath", TypeOrg},
		{"Yesterday Kestrel Data Systems called back.", "Kestrel Data Systems", TypeOrg},
		{"We met Tamsin Okafor yesterday.", "Tamsin Okafor", TypePerson},
		{"the report was sent to Okonkwo.", "Okonkwo", TypePerson},
		{"the letter from Mr Haldorsen came", "Mr Haldorsen", TypePerson},
		{"Our partner Brindlecast Analytics Group signed.", "Brindlecast Analytics Group", TypeOrg},
		{"Welcome Open Harbour Corporation to the list", "Open Harbour Corporation", TypeOrg},
		{"During 2004, Quillberry acquired a rival.", "Quillberry", TypeOrg},
		{"Prices at SoCalGrid went up.", "SoCalGrid", TypeOrg},
		{"He joined Zentra42 last year.", "Zentra42", TypeOrg},
		{"a note by Tamsin Reading", "Tamsin Reading", TypePerson},
		{"here's yorvald's phone number", "yorvald", TypePerson},
		{"quenbria said it was late", "quenbria", TypePerson},
		{"we had told brannock that it was late", "brannock", TypePerson},
		{"what's your name? pellam quist", "pellam quist", TypePerson},
		{"We spoke with Clearmetric yesterday", "Clearmetric", TypeOrg},
		{"Thanks Anna, Ola and Piotr for the help", "Piotr", TypePerson},
		{"The firm Brackley, Ostrow and Finch replied", "Brackley, Ostrow and Finch", TypeOrg},
		{"a bid by San Telmo Gas for it", "San Telmo Gas", TypeOrg},
		{"Jo Zielinska\nNorvane Public Data Portal\n04 Calle Robledal 12", "Norvane Public Data Portal", TypeOrg},
		{"supply from Marlow Union Gas Company today", "Marlow Union Gas Company", TypeOrg},
	} {
		found := false
		for _, s := range Detect(tc.text, Hints{}) {
			found = found || s.Value == tc.value && s.Type == tc.typ
		}
		if !found {
			t.Errorf("Detect(%q) = %v, want %s %q", tc.text, Detect(tc.text, Hints{}), tc.typ, tc.value)
		}
	}
	for _, text := range []string{"It was shipped from Portugal to Germany.", "We flew to Canada, then Japan.",
		"My name appears incorrectly on the statement.", "The shop is in Zwolle near the station.", "Send it to Brekkegata 12 please.",
		"Please Review the Attached Contracts and Invoices.", "See Schedule Q and F for the Rate Statements.",
		"Summary: Maintenance Reporting for Accounting", "It's under my sister's name", "Lord knows we tried our best",
		"The cargo went to Houston, then Louisiana and Texas.", "Beginning Monday, Inventory Counts resume.",
		"the plant near Mont Verrac and the office in Ashgrove Hills", "gas from the San Ternaro basin",
		"Please see the Common Ledger Migration plan and the Natural Fibre Strategy."} {
		for _, s := range Detect(text, Hints{}) {
			if s.Type == TypePerson || s.Type == TypeOrg {
				t.Errorf("Detect(%q) has %s %q, want no name (a country, a common word or a lone letter is not a name)", text, s.Type, s.Value)
			}
		}
	}
}
