package extract

import (
	"bufio"
	"bytes"
	"compress/flate"
	_ "embed"
	"encoding/binary"
	"encoding/json"
	"errors"
	"fmt"
	"io"
	"math"
	"sync"
	"time"
)

// Model is a trained action-sentence detector: logistic regression over
// hashed features. It is safe for concurrent use.
type Model struct {
	info    ModelInfo
	weights []float32 // 1<<Bits weights; the bias is the "bias" feature

	pool sync.Pool // *featurizer
}

// ModelInfo describes a model; it is stored in the model file.
type ModelInfo struct {
	Name     string          `json:"name"`
	Version  int             `json:"version"`
	Features FeatureSettings `json:"features"`
	// Threshold is the probability from which a sentence counts as an
	// action when a yes/no answer is needed.
	Threshold float64 `json:"threshold"`
	Examples  int     `json:"examples"`
	Data      string  `json:"data,omitempty"`   // SHA-256 of the training file
	Params    string  `json:"params,omitempty"` // training parameters
}

// modelMagic starts a model file; the byte after it is the format version.
const (
	modelMagic   = "PAMACT"
	modelVersion = 1
)

//go:embed action.model
var embeddedModel []byte

var (
	defaultOnce  sync.Once
	defaultModel *Model
	defaultErr   error
)

// Default returns the embedded model (loaded once).
func Default() (*Model, error) {
	defaultOnce.Do(func() {
		defaultModel, defaultErr = Load(bytes.NewReader(embeddedModel))
		if defaultErr != nil {
			defaultErr = fmt.Errorf("embedded action model: %w", defaultErr)
		}
	})
	return defaultModel, defaultErr
}

// LoadDefault reads a fresh copy of the embedded model, not shared with
// Default: a worker that drops its model when idle loads it with this, so
// that the memory is freed.
func LoadDefault() (*Model, error) {
	m, err := Load(bytes.NewReader(embeddedModel))
	if err != nil {
		return nil, fmt.Errorf("embedded action model: %w", err)
	}
	return m, nil
}

// Info returns the model's description.
func (m *Model) Info() ModelInfo { return m.info }

// Prob returns the probability that sentence asks the reader to do
// something.
func (m *Model) Prob(sentence string) float64 {
	f, _ := m.pool.Get().(*featurizer)
	if f == nil {
		f = newFeaturizer(m.info.Features)
	}
	z := m.dot(f.vectorInto(sentence, cueRef))
	m.pool.Put(f)
	return sigmoid(z)
}

// cueRef anchors the date cue; only whether a date is found matters.
var cueRef = time.Date(2024, 6, 5, 10, 0, 0, 0, time.UTC)

func (m *Model) dot(v sparse) float64 {
	var z float64
	for i, ix := range v.idx {
		z += float64(m.weights[ix]) * float64(v.val[i])
	}
	return z
}

func sigmoid(z float64) float64 {
	if z < -30 {
		z = -30
	} else if z > 30 {
		z = 30
	}
	return 1 / (1 + math.Exp(-z))
}

// Save writes the model: magic, version byte, a JSON header, then the
// non-zero weights as (index uint32, weight float32) pairs, DEFLATE
// compressed.
func (m *Model) Save(w io.Writer) error {
	hdr, err := json.Marshal(m.info)
	if err != nil {
		return err
	}
	bw := bufio.NewWriter(w)
	bw.WriteString(modelMagic)
	bw.WriteByte(modelVersion)
	binary.Write(bw, binary.LittleEndian, uint32(len(hdr)))
	bw.Write(hdr)
	zw, err := flate.NewWriter(bw, flate.BestCompression)
	if err != nil {
		return err
	}
	var buf [8]byte
	for i, x := range m.weights {
		if x == 0 {
			continue
		}
		binary.LittleEndian.PutUint32(buf[:4], uint32(i))
		binary.LittleEndian.PutUint32(buf[4:], math.Float32bits(x))
		if _, err := zw.Write(buf[:]); err != nil {
			return err
		}
	}
	if err := zw.Close(); err != nil {
		return err
	}
	return bw.Flush()
}

// Load reads a model written by Save.
func Load(r io.Reader) (*Model, error) {
	br := bufio.NewReader(r)
	head := make([]byte, len(modelMagic)+1+4)
	if _, err := io.ReadFull(br, head); err != nil {
		return nil, fmt.Errorf("action model: short header: %w", err)
	}
	if string(head[:len(modelMagic)]) != modelMagic {
		return nil, errors.New("action model: not a model file")
	}
	if v := head[len(modelMagic)]; v != modelVersion {
		return nil, fmt.Errorf("action model: format version %d, want %d", v, modelVersion)
	}
	n := binary.LittleEndian.Uint32(head[len(modelMagic)+1:])
	if n > 1<<20 {
		return nil, errors.New("action model: header too large")
	}
	hdr := make([]byte, n)
	if _, err := io.ReadFull(br, hdr); err != nil {
		return nil, fmt.Errorf("action model: header: %w", err)
	}
	m := &Model{}
	if err := json.Unmarshal(hdr, &m.info); err != nil {
		return nil, fmt.Errorf("action model: header: %w", err)
	}
	if b := m.info.Features.Bits; b < 8 || b > 24 || m.info.Features.NGrams < 1 || m.info.Features.NGrams > 5 {
		return nil, fmt.Errorf("action model: bad feature settings %+v", m.info.Features)
	}
	m.weights = make([]float32, 1<<m.info.Features.Bits)
	zr := flate.NewReader(br)
	defer zr.Close()
	var buf [8]byte
	for {
		_, err := io.ReadFull(zr, buf[:])
		if err == io.EOF {
			break
		}
		if err != nil {
			return nil, fmt.Errorf("action model: weights: %w", err)
		}
		i := binary.LittleEndian.Uint32(buf[:4])
		if int(i) >= len(m.weights) {
			return nil, fmt.Errorf("action model: weight index %d out of range", i)
		}
		x := math.Float32frombits(binary.LittleEndian.Uint32(buf[4:]))
		if math.IsNaN(float64(x)) || math.IsInf(float64(x), 0) {
			return nil, errors.New("action model: weight is not finite")
		}
		m.weights[i] = x
	}
	return m, nil
}
