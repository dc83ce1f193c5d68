package router

import (
	"regexp"
	"sort"
	"strings"

	"github.com/pam-ai/pam/internal/redact"
)

// Sensitivity categories.
const (
	Health      = "health"
	Finance     = "finance"
	Legal       = "legal"
	Credentials = "credentials"
	DensePII    = "dense-pii"
)

var sensitiveWords = map[string]*regexp.Regexp{
	Health:      regexp.MustCompile(`(?i)\b(diagnos[ie]s|diagnosed|prescription|medication|symptoms?|oncolog\w*|cancer|tumou?r|chemotherapy|hiv|pregnan\w+|miscarriage|therap(y|ist)|psychiatr\w+|depression|blood (test|results)|lab results|biopsy|surgery|hospital(ised|ized)?|medical (record|report|leave)|sick note|health insurance claim)\b`),
	Finance:     regexp.MustCompile(`(?i)\b(salary|payslip|pay slip|tax return|mortgage|loan (agreement|application)|bank statement|account number|routing number|sort code|overdraft|debt collect\w*|credit score|wire transfer|net worth|brokerage)\b`),
	Legal:       regexp.MustCompile(`(?i)\b(lawyer|attorney|solicitor|lawsuit|litigation|subpoena|court (date|hearing|order)|settlement agreement|divorce|custody|plaintiff|defendant|indictment|arrest(ed)?|criminal record|immigration status|visa (application|refusal))\b`),
	Credentials: regexp.MustCompile(`(?i)\b(password|passcode|passphrase|pin (code|number)|one[- ]time (code|password)|verification code|2fa|two[- ]factor|security code|api[ _-]?key|secret key|private key|recovery (code|phrase)|seed phrase|login link|reset your password)\b`),
}

// Sensitivity returns the sensitive categories of text, sorted: keywords
// for health, finance, legal matters and credentials; payment cards, IBANs
// and national ids count as finance or credentials; and dense personal
// data (more than one detected number, address or other non-name value
// per 25 words, with at least 4; names alone do not make a text dense).
func Sensitivity(text string) []string {
	set := map[string]bool{}
	for cat, re := range sensitiveWords {
		if re.MatchString(text) {
			set[cat] = true
		}
	}
	spans := redact.Detect(text, redact.Hints{})
	strong, contact := 0, 0
	for _, s := range spans {
		if s.Type != redact.TypePerson && s.Type != redact.TypeOrg {
			contact++
		}
		switch s.Type {
		case redact.TypeCard, redact.TypeIBAN:
			set[Finance] = true
			strong++
		case redact.TypeID, redact.TypeDOB:
			set[Credentials] = true
			strong++
		}
	}
	words := len(strings.Fields(text))
	if contact >= 4 && contact*25 > words || strong >= 3 {
		set[DensePII] = true
	}
	out := make([]string, 0, len(set))
	for c := range set {
		out = append(out, c)
	}
	sort.Strings(out)
	return out
}
