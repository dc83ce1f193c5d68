package corpus

import (
	"testing"

	"github.com/pam-ai/pam/internal/worker/wire"
)

func TestWeakSystemAndShop(t *testing.T) {
	defer func(n, p bool) { WeakNotify, WeakPromo = n, p }(WeakNotify, WeakPromo)
	WeakNotify, WeakPromo = true, true
	user := []string{"pat@corp.example"}
	tests := []struct {
		name   string
		m      wire.Message
		want   string
		wantOK bool
	}{
		{"shared mailbox", wire.Message{From: "mbx_reports@corp.example", To: []string{"pat@corp.example", "sam@corp.example"}, Subject: "daily file", UserAddresses: user}, "notification", true},
		{"delivery report", wire.Message{From: "postmaster@other.example", To: []string{"pat@corp.example"}, Subject: "Undeliverable: lunch", UserAddresses: user}, "notification", true},
		{"approval request from a system", wire.Message{From: "expenses@vendor.example", To: []string{"pat@corp.example"}, Subject: "Expense reports awaiting your approval", UserAddresses: user}, "notification", true},
		{"approval request from a person", wire.Message{From: "sam.lee@other.example", To: []string{"pat@corp.example"}, Subject: "Budget for approval", UserAddresses: user}, "", false},
		{"shop", wire.Message{From: "deals@shop.example", To: []string{"pat@corp.example"}, Subject: "Save up to 60%!", Links: 40, UserAddresses: user}, "promotion", true},
		{"shop from the user's domain", wire.Message{From: "deals@corp.example", To: []string{"pat@corp.example"}, Subject: "Save up to 60%!", Links: 40, UserAddresses: user}, "", false},
		{"few links", wire.Message{From: "deals@shop.example", To: []string{"pat@corp.example"}, Subject: "Save up to 60%!", Links: 3, UserAddresses: user}, "", false},
		{"a note", wire.Message{From: "sam@other.example", To: []string{"pat@corp.example"}, Subject: "Lunch?", UserAddresses: user}, "", false},
	}
	for _, tc := range tests {
		got, ok := WeakKind(tc.m, "g", nil)
		if got != tc.want || ok != tc.wantOK {
			t.Errorf("WeakKind(%s) = %q, %v, want %q, %v", tc.name, got, ok, tc.want, tc.wantOK)
		}
	}
	WeakNotify, WeakPromo = false, false
	for _, tc := range tests[:3] {
		if got, _ := WeakKind(tc.m, "g", nil); got == "notification" && tc.name != "delivery report" {
			t.Errorf("WeakKind(%s) without WeakNotify = %q, want no notification from the new rule", tc.name, got)
		}
	}
}
