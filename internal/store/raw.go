package store

import (
	"bytes"
	"compress/flate"
	"fmt"
	"io"

	"github.com/klauspost/compress/zstd"
)

// Codecs for raw message bodies.
const (
	CodecNone    = 0
	CodecDeflate = 1
	CodecZstd    = 2
)

// One encoder and decoder serve every goroutine: EncodeAll and DecodeAll
// are safe for concurrent use.
var (
	zenc, _ = zstd.NewWriter(nil, zstd.WithEncoderLevel(zstd.SpeedFastest), zstd.WithLowerEncoderMem(true), zstd.WithEncoderConcurrency(1))
	zdec, _ = zstd.NewReader(nil, zstd.WithDecoderConcurrency(0), zstd.WithDecoderMaxMemory(256<<20))
)

// Compress returns raw compressed with zstd (fastest level) for storage
// with CodecZstd. It is safe to call from many goroutines; importers call
// it while parsing, off the writer's critical path.
func Compress(raw []byte) []byte {
	return zenc.EncodeAll(raw, make([]byte, 0, len(raw)/3+64))
}

func decompress(codec int, data []byte) ([]byte, error) {
	switch codec {
	case CodecNone:
		return data, nil
	case CodecZstd:
		b, err := zdec.DecodeAll(data, nil)
		if err != nil {
			return nil, fmt.Errorf("raw message: %w", err)
		}
		return b, nil
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
