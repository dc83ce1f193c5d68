package cli

import (
	"context"
	"fmt"

	"github.com/pam-ai/pam/internal/demo"
	"github.com/pam-ai/pam/internal/mail"
)

func init() {
	registerDemoStep(demoStep{Order: 80, Title: "Privacy: what escalation would send", Run: demoPrivacy})
}

// demoComposeIntent is the user's intent in the demo.
const demoComposeIntent = "say yes, Thursday afternoon works for me"

// demoPrivacy shows, for one message that needs a reply, the exact
// redacted payload a cloud escalation would send (a dry run: nothing is
// sent, the demo is offline) and the reply composed locally.
func demoPrivacy(ctx context.Context, d *demoRun) error {
	id := ""
	for _, m := range demo.Messages(d.Now) {
		if m.Kind != demo.KindPerson || !m.NeedsReply || m.Malformed != "" || m.Folder != "INBOX" {
			continue
		}
		pm, err := mail.Parse(m.Raw)
		if err != nil || len(pm.Text) < 200 {
			continue
		}
		id = pm.ID
		break
	}
	if id == "" {
		return fmt.Errorf("no demo message needs a reply")
	}
	p, err := openPrivacy(d.Env, true)
	if err != nil {
		return err
	}
	defer p.close()
	fmt.Fprintf(d.Out, "$ pam compose --dry-run %s %q\n", clipID(id), demoComposeIntent)
	res, err := compose(ctx, p, storeSource{d.Store}, id, demoComposeIntent, composeOpts{dryRun: true})
	if err != nil {
		return err
	}
	fmt.Fprintf(d.Out, "Escalation is off (policy never, budget 0, offline). Dry run — nothing sent. These are the exact bytes\nthat would go to %s: names, addresses and numbers replaced by pseudonyms\nthat only this device can map back:\n\n%s\n\n", p.dryRun.BaseURL(), res.Payload)
	fmt.Fprintf(d.Out, "Reply composed locally (%s), for you to review — nothing is sent:\n\n%s", res.Tier, res.Draft)
	entries, err := ledgerCount(d)
	if err != nil {
		return err
	}
	fmt.Fprintf(d.Out, "\n$ pam privacy ledger\n%d entries: nothing has left this device\n", entries)
	return nil
}

func ledgerCount(d *demoRun) (int, error) {
	entries, _, err := llmReadLedger(d.Env)
	return len(entries), err
}

func clipID(id string) string {
	if len(id) > 12 {
		return id[:12]
	}
	return id
}
