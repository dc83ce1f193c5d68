package redact

import (
	"os"
	"path/filepath"
	"strings"
	"testing"
)

// benchText is a mail-like text written for the benchmark: prose with a
// few values of each kind, repeated to 64 KiB.
func benchText() string {
	para := `Hi Sarah,

Thanks for the update on the Henderson account. I spoke with John Smith at Acme Corp
yesterday and he asked whether we could move the review to Thursday at 10:30. Please call
him on +44 20 7946 0958 or (555) 123-4567, or write to john.smith@acme-corp.example.
The invoice (ref 2024-118) was paid from DE89 3704 0044 0532 0130 00 and the card on file
ends in 4111 1111 1111 1111. The server at 192.168.10.24 rejected the upload; the link
https://files.example.com/share?token=a8F3kz92LmQ0x7Yt expires tomorrow.
Send the signed copy to 221B Baker Street, London NW1 6XE.

Best regards,
Mark Johnson
Director of Operations, Globex Inc.
`
	var b strings.Builder
	for b.Len() < 64<<10 {
		b.WriteString(para)
	}
	return b.String()
}

func BenchmarkDetect(b *testing.B) {
	text := benchText()
	b.SetBytes(int64(len(text)))
	for b.Loop() {
		Detect(text, Hints{})
	}
}

func BenchmarkRedact(b *testing.B) {
	text := benchText()
	h := Hints{People: []string{"Sarah Connor", "Smith, John"}, Emails: []string{"sarah.connor@example.org"}}
	b.SetBytes(int64(len(text)))
	for b.Loop() {
		Redact(text, h, NewMap())
	}
}

// BenchmarkRedactEnron runs over real mail from the shared corpus when it is
// there.
func BenchmarkRedactEnron(b *testing.B) {
	dir := sharedData(b, "mail", "enron")
	var sb strings.Builder
	filepath.WalkDir(dir, func(p string, d os.DirEntry, err error) error {
		if err != nil || d.IsDir() || sb.Len() > 1<<20 {
			return nil
		}
		data, err := os.ReadFile(p)
		if err == nil {
			sb.Write(data)
		}
		return nil
	})
	text := sb.String()
	b.SetBytes(int64(len(text)))
	for b.Loop() {
		Redact(text, Hints{}, NewMap())
	}
}
