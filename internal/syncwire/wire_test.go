package syncwire

import (
	"bytes"
	"testing"
)

func sample() []byte {
	b := []byte{1, 1, 1, 4, 'a', 'c', 'c', 't', 3, 'd', 'e', 'v', 0, 0, 0, 2, 0, 0, 0, 0, 0, 0, 0, 9}
	b = append(b, bytes.Repeat([]byte{7}, 32)...)
	return append(b, make([]byte, minSealedTail)...)
}

func TestParseHeader(t *testing.T) {
	h, err := ParseHeader(sample())
	if err != nil || h.Account != "acct" || h.Device != "dev" || h.Epoch != 2 || h.Seq != 9 || h.Prev[0] != 7 || h.Snapshot {
		t.Fatalf("ParseHeader(sample) = %+v, %v", h, err)
	}
	bad := map[string][]byte{
		"empty":     nil,
		"suite":     append([]byte{2}, sample()[1:]...),
		"kind":      append([]byte{1, 9}, sample()[2:]...),
		"protocol":  append([]byte{1, 1, 2}, sample()[3:]...),
		"truncated": sample()[:len(sample())-1],
		"zero id":   append([]byte{1, 1, 1, 0}, sample()[4:]...),
	}
	for name, b := range bad {
		if _, err := ParseHeader(b); err == nil {
			t.Errorf("ParseHeader(%s) = nil error, want one", name)
		}
	}
}

func FuzzParseHeader(f *testing.F) {
	f.Add(sample())
	f.Add([]byte{1, 2, 1, 1, 'a', 1, 'b'})
	f.Fuzz(func(t *testing.T, b []byte) {
		h, err := ParseHeader(b)
		if err != nil {
			return
		}
		if h.Seq == 0 || CheckIDLen(h.Account) || CheckIDLen(h.Device) {
			t.Fatalf("accepted header %+v", h)
		}
	})
}

func CheckIDLen(s string) bool { return len(s) == 0 || len(s) > MaxIDLen }

func TestCheckID(t *testing.T) {
	cases := map[string]bool{"abc": true, "a-b_c.d": true, "": false, "@recovery": false, ".x": false, "a/b": false, "a b": false, string(make([]byte, 65)): false}
	for in, ok := range cases {
		if err := CheckID("id", in); (err == nil) != ok {
			t.Errorf("CheckID(%q) = %v, want ok %v", in, err, ok)
		}
	}
}

func TestCoverHashOrderIndependent(t *testing.T) {
	a := map[string]Head{"x": {Seq: 1}, "y": {Seq: 2, Hash: Hash{1}}}
	b := map[string]Head{"y": {Seq: 2, Hash: Hash{1}}, "x": {Seq: 1}}
	if CoverHash(a) != CoverHash(b) {
		t.Error("CoverHash depends on map order")
	}
	b["x"] = Head{Seq: 2}
	if CoverHash(a) == CoverHash(b) {
		t.Error("CoverHash ignores a head's sequence")
	}
}
