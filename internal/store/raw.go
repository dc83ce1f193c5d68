package store

import (
	"bytes"
	"compress/flate"
	"fmt"
	"io"
	"sync"
)

// Codecs for raw message bodies.
const (
	CodecNone    = 0
	CodecDeflate = 1
)

var flaters = sync.Pool{New: func() any {
	w, _ := flate.NewWriter(nil, flate.BestSpeed)
	return w
}}

// Compress returns raw compressed with DEFLATE (fast level). It is safe to
// call from many goroutines; importers call it while parsing, off the
// writer's critical path.
func Compress(raw []byte) []byte {
	var buf bytes.Buffer
	buf.Grow(len(raw)/2 + 64)
	w := flaters.Get().(*flate.Writer)
	w.Reset(&buf)
	w.Write(raw)
	w.Close()
	flaters.Put(w)
	return buf.Bytes()
}

func decompress(codec int, data []byte) ([]byte, error) {
	switch codec {
	case CodecNone:
		return data, nil
	case CodecDeflate:
		r := flate.NewReader(bytes.NewReader(data))
		defer r.Close()
		b, err := io.ReadAll(r)
		if err != nil {
			return nil, fmt.Errorf("raw message: %w", err)
		}
		return b, nil
	default:
		return nil, fmt.Errorf("raw message: unknown codec %d", codec)
	}
}
