package demo_test

import (
	"fmt"
	"time"

	"github.com/pam-ai/pam/internal/demo"
)

func ExampleMessages() {
	now := time.Date(2025, 6, 11, 14, 30, 0, 0, time.UTC)
	kinds := map[string]int{}
	needReply := 0
	for _, m := range demo.Messages(now) {
		kinds[m.Kind]++
		if m.NeedsReply {
			needReply++
		}
	}
	fmt.Println(kinds)
	fmt.Println("need a reply:", needReply)
	// Output:
	// map[forum:12 newsletter:20 notification:28 person:74 promotion:21 social:10 spam:14]
	// need a reply: 38
}
