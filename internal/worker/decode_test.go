package worker

import (
	"encoding/json"
	"os"
	"path/filepath"
	"reflect"
	"testing"

	"github.com/pam-ai/pam/internal/mail"
	"github.com/pam-ai/pam/internal/testdata"
	"github.com/pam-ai/pam/internal/worker/wire"
)

// checkDecode decodes b with decodeClassifyRequest and json.Unmarshal and
// fails unless both give the same request (or both an error). It reports
// whether the fast reader answered.
func checkDecode(t *testing.T, b []byte) bool {
	t.Helper()
	var want wire.ClassifyRequest
	werr := json.Unmarshal(b, &want)
	var fast wire.ClassifyRequest
	d := reqDecoder{b: b}
	answered := d.request(&fast)
	if answered {
		if werr != nil {
			t.Fatalf("fast reader accepted %q, json.Unmarshal: %v", b, werr)
		}
		if !reflect.DeepEqual(fast, want) {
			t.Fatalf("fast reader of %q = %#v, json.Unmarshal %#v", b, fast, want)
		}
	}
	var got wire.ClassifyRequest
	err := decodeClassifyRequest(b, &got)
	if (err != nil) != (werr != nil) {
		t.Fatalf("decodeClassifyRequest(%q) error %v, json.Unmarshal %v", b, err, werr)
	}
	if err == nil && !reflect.DeepEqual(got, want) {
		t.Fatalf("decodeClassifyRequest(%q) = %#v, json.Unmarshal %#v", b, got, want)
	}
	return answered
}

// TestDecodeClassifyRequestMatchesJSON sends the SpamAssassin and Enron
// messages (as the parent does: FromMessage, batches of 64, json.Marshal)
// through decodeClassifyRequest and json.Unmarshal: the same requests, and
// the fast reader answered every one.
func TestDecodeClassifyRequestMatchesJSON(t *testing.T) {
	root := testdata.Dir(t, "mail")
	var msgs []wire.Message
	for _, dir := range []string{"spamassassin/easy-ham-1", "spamassassin/hard-ham-1", "spamassassin/spam-1", "enron/kaminski-v/inbox"} {
		ents, err := os.ReadDir(filepath.Join(root, dir))
		if err != nil {
			t.Fatal(err)
		}
		for _, e := range ents {
			if !e.Type().IsRegular() || e.Name() == "cmds" {
				continue
			}
			raw, err := os.ReadFile(filepath.Join(root, dir, e.Name()))
			if err != nil {
				t.Fatal(err)
			}
			pm, err := mail.Parse(raw)
			if err != nil {
				continue
			}
			w := FromMessage(pm, []string{"vince.kaminski@enron.com"})
			w.ID = e.Name()
			msgs = append(msgs, w)
		}
	}
	if len(msgs) < 3000 {
		t.Fatalf("read %d messages, want the corpora", len(msgs))
	}
	batches := 0
	for lo := 0; lo < len(msgs); lo += 64 {
		req := wire.ClassifyRequest{Messages: msgs[lo:min(lo+64, len(msgs))]}
		if batches%2 == 0 {
			req.Models = []string{"builtin:spam", "/tmp/a \"model\".pam"}
		}
		b, err := json.Marshal(req)
		if err != nil {
			t.Fatal(err)
		}
		if !checkDecode(t, b) {
			t.Fatalf("batch %d: the fast reader did not answer", batches)
		}
		batches++
	}
	t.Logf("%d messages in %d batches", len(msgs), batches)
}

var decodeSeeds = []string{
	`{"messages":[{"id":"a","from":"x@y","subject":"s","text":"t"}]}`,
	`{"messages":[{"id":"a","from":"","to":["b@c","d"],"cc":[],"subject":"\u003cb\u003e \"q\" \\ \/ \b\f\n\r\t \u00e9 \u2028","text":"é😀","html":true,"headers":{"List-Id":"<l>","X":""},"attachments":2,"links":-3,"user_addresses":["u@v"]}],"models":["builtin:kind"]}`,
	`{"messages":[]}`,
	`{}`,
	` { "messages" : [ { } , {"html":false} ] , "models" : [ ] } `,
	`{"messages":null}`,
	`{"Messages":[{"ID":"a"}]}`,
	`{"messages":[{"id":"a","id":"b"}]}`,
	`{"messages":[{"headers":{"a":"1","a":"2"}}]}`,
	`{"messages":[{"links":1e2}]}`,
	`{"messages":[{"links":01}]}`,
	`{"messages":[{"links":99999999999999999999}]}`,
	`{"messages":[{"text":"\ud83d\ude00 \udc00"}]}`,
	"{\"messages\":[{\"text\":\"\xff\xfe\"}]}",
	`{"messages":[{"html":truex}]}`,
	`{"messages":[{"text":"a"}]`,
	`{"messages":[{"extra":1}]}`,
	`{"messages":[{"to":null}]}`,
}

func TestDecodeClassifyRequestEdges(t *testing.T) {
	answered := 0
	for _, s := range decodeSeeds {
		if checkDecode(t, []byte(s)) {
			answered++
		}
	}
	if answered < 5 {
		t.Fatalf("the fast reader answered %d of the seeds, want the plain ones", answered)
	}
}

// FuzzDecodeClassifyRequest: on any body, decodeClassifyRequest gives what
// json.Unmarshal gives, and the fast reader answers only where
// json.Unmarshal succeeds with the same request.
func FuzzDecodeClassifyRequest(f *testing.F) {
	for _, s := range decodeSeeds {
		f.Add([]byte(s))
	}
	f.Fuzz(func(t *testing.T, b []byte) {
		checkDecode(t, b)
	})
}

// BenchmarkDecodeClassifyRequest times the decoding of the SpamAssassin
// messages in batches of 64, with the fast reader (fast) and with
// json.Unmarshal (json).
func BenchmarkDecodeClassifyRequest(b *testing.B) {
	dir := filepath.Join(testdata.Dir(b, "mail"), "spamassassin", "easy-ham-1")
	ents, err := os.ReadDir(dir)
	if err != nil {
		b.Fatal(err)
	}
	var bodies [][]byte
	var batch []wire.Message
	for _, e := range ents {
		raw, err := os.ReadFile(filepath.Join(dir, e.Name()))
		if err != nil {
			b.Fatal(err)
		}
		pm, err := mail.Parse(raw)
		if err != nil {
			continue
		}
		batch = append(batch, FromMessage(pm, nil))
		if len(batch) == 64 {
			body, _ := json.Marshal(wire.ClassifyRequest{Messages: batch})
			bodies = append(bodies, body)
			batch = nil
		}
	}
	b.Run("fast", func(b *testing.B) {
		for i := 0; i < b.N; i++ {
			for _, body := range bodies {
				var req wire.ClassifyRequest
				if err := decodeClassifyRequest(body, &req); err != nil {
					b.Fatal(err)
				}
			}
		}
	})
	b.Run("json", func(b *testing.B) {
		for i := 0; i < b.N; i++ {
			for _, body := range bodies {
				var req wire.ClassifyRequest
				if err := json.Unmarshal(body, &req); err != nil {
					b.Fatal(err)
				}
			}
		}
	})
}
