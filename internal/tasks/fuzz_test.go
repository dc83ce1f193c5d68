package tasks

import "testing"

// FuzzSyncBase: the sync base read from a server's VTODO never panics, and
// what it accepts prints back to a value that reads the same.
func FuzzSyncBase(f *testing.F) {
	for _, s := range []string{"open;-;0123456789abcdef", "done;1718000000;abcd", "open;x;", ";;", "done;-1;;", ""} {
		f.Add(s)
	}
	f.Fuzz(func(t *testing.T, s string) {
		b, ok := parseFields(s)
		if !ok {
			return
		}
		b2, ok2 := parseFields(b.String())
		if !ok2 || b2 != b {
			t.Errorf("parseFields(%q) = %+v; its String %q reads %+v, %v", s, b, b.String(), b2, ok2)
		}
	})
}
