package cli

import (
	"context"
	"fmt"

	"github.com/pam-ai/pam/internal/demo"
)

func init() {
	registerDemoStep(demoStep{Order: 90, Title: "Your day", Run: demoToday})
}

// demoToday ends the demo with the daily brief.
func demoToday(ctx context.Context, d *demoRun) error {
	u, err := demoUserContext()
	if err != nil {
		return err
	}
	fmt.Fprintf(d.Out, "$ pam today --tz %s\n", demo.UserZone)
	sc, err := newActionModel(d.Env)
	if err != nil {
		return err
	}
	defer sc.Close()
	b, err := buildBrief(ctx, d.Store, sc, u, d.Now)
	if err != nil {
		return err
	}
	printBrief(d.Out, b, d.Now, u.loc)
	return nil
}
