package ml

import (
	"bufio"
	"bytes"
	"compress/flate"
	"crypto/sha256"
	"encoding/binary"
	"encoding/json"
	"errors"
	"fmt"
	"io"
	"io/fs"
	"math"
	"path"
	"strings"
	"time"

	"github.com/pam-ai/pam/internal/worker/wire"
)

// Tasks a model can be trained for.
const (
	TaskSpam       = "spam"        // classes ham, spam
	TaskKind       = "kind"        // classes: Kinds
	TaskNeedsReply = "needs_reply" // classes no, yes
	TaskFolders    = "folders"     // classes: the user's folder paths
)

// Kinds are the classes of the kind task, as wire.Classification.Kind names them.
var Kinds = []string{"person", "forum", "newsletter", "promotion", "notification", "social", "spam"}

// Info describes a model; it is the header of a model file.
type Info struct {
	Name       string             `json:"name"`
	Version    int                `json:"version"`
	Task       string             `json:"task"`
	Classes    []string           `json:"classes"`
	Features   FeatureSettings    `json:"features"`
	DataDigest string             `json:"data_digest"` // SHA-256 (hex) over the training examples' features and labels
	Examples   int                `json:"examples"`
	Metrics    map[string]float64 `json:"metrics,omitempty"`
	Created    time.Time          `json:"created"`
	// Calibration maps a raw score to a probability: Platt
	// sigmoid(A*z+B) for binary tasks, softmax(z/T) with T = Temperature
	// for the others.
	PlattA      float64 `json:"platt_a,omitempty"`
	PlattB      float64 `json:"platt_b,omitempty"`
	Temperature float64 `json:"temperature,omitempty"`
	// Undecided band: a binary probability in [UndecidedLo, UndecidedHi],
	// or a top class probability below MinTop, is reported as undecided.
	UndecidedLo float64 `json:"undecided_lo,omitempty"`
	UndecidedHi float64 `json:"undecided_hi,omitempty"`
	MinTop      float64 `json:"min_top,omitempty"`
	// Threshold is, for binary tasks, the probability from which the
	// answer is "yes" (spam, needs reply): 0.5 for spam; for the others
	// the F1-best threshold on the calibration part, or 0.5 when
	// TrainOptions.Threshold moved the decision point there.
	Threshold float64 `json:"threshold,omitempty"`
}

// ID is name@version, as wire.Classification.Models lists it.
func (i Info) ID() string { return fmt.Sprintf("%s@%d", i.Name, i.Version) }

// Model is one trained classifier (spam, kind, needs_reply or folders). It
// is immutable once built and safe for concurrent use.
type Model struct {
	info Info
	nOut int       // 1 for binary tasks, len(Classes) otherwise
	w    []float32 // feature-major: w[f*nOut+k]; nil in a compact model
	// A compact model (LoadCompact) keeps the weights as the file stores
	// them: w[i] = float32(q[i]) * scale[i%nOut], computed as it scores,
	// which gives exactly the scores of the float32 model Load returns at
	// half its memory.
	q     []int16
	scale []float32
	bias  []float32
	idf   []float32 // per bucket when info.Features.IDF; nil in a compact model
	// A compact model keeps the IDF table as the file stores it too: a
	// byte per bucket, idf[i] = idfTab[idfQ[i]] = float32(idfQ[i]) * the
	// file's scale, the float32 Load computes. A quarter of the memory
	// (1 MB for the spam model instead of 4), and of the cache misses of
	// the lookups.
	idfQ   []uint8
	idfTab *[256]float32
}

func (m *Model) featurizer() *featurizer {
	f := newFeaturizer(m.info.Features)
	f.idf, f.idfQ, f.idfTab = m.idf, m.idfQ, m.idfTab
	return f
}

// Info returns the model's description.
func (m *Model) Info() Info {
	i := m.info
	i.Classes = append([]string(nil), i.Classes...)
	if m.info.Metrics != nil {
		i.Metrics = make(map[string]float64, len(m.info.Metrics))
		for k, v := range m.info.Metrics {
			i.Metrics[k] = v
		}
	}
	return i
}

func (m *Model) binary() bool { return m.nOut == 1 }

// File format (all integers big-endian):
//
//	magic    8 bytes "PAMMODEL"
//	version  1 byte  (FormatVersion)
//	hlen     4 bytes, then hlen bytes of JSON: fileHeader
//	wlen     4 bytes, then wlen bytes: DEFLATE of the quantised weights
//	sum      32 bytes: SHA-256 of everything before it
//
// Weights are int16, one scale per output (max |w| / 32767), feature-major,
// followed by the biases as float32.
const (
	magic         = "PAMMODEL"
	FormatVersion = 1
	maxHeader     = 1 << 20
	maxWeights    = 64 << 20
)

type fileHeader struct {
	Info
	Outputs  int       `json:"outputs"`
	Scales   []float32 `json:"scales"`
	IDFScale float32   `json:"idf_scale,omitempty"` // IDF bytes × IDFScale = weight
}

var (
	// ErrNotModel means the data is not a PAM model file.
	ErrNotModel = errors.New("not a PAM model file")
	// ErrNewerFormat means the file was written by a newer PAM.
	ErrNewerFormat = errors.New("model file format is newer than this PAM supports")
	// ErrCorrupt means the file is damaged (checksum or structure).
	ErrCorrupt = errors.New("model file is corrupt")
)

func errorf(format string, args ...any) error { return fmt.Errorf("ml: "+format, args...) }

// Compact reports whether m keeps its weights compactly (LoadCompact).
func (m *Model) Compact() bool { return m.w == nil && m.q != nil }

// Trainable returns m with float32 weights, as training (Update) needs
// them: m itself, or for a compact model a copy with the weights expanded
// (scores unchanged).
func (m *Model) Trainable() *Model {
	if !m.Compact() {
		return m
	}
	c := *m
	c.w = make([]float32, len(m.q))
	for i, q := range m.q {
		c.w[i] = float32(q) * m.scale[i%m.nOut]
	}
	c.q, c.scale = nil, nil
	if m.idfQ != nil {
		c.idf = make([]float32, len(m.idfQ))
		for i, q := range m.idfQ {
			c.idf[i] = m.idfTab[q]
		}
		c.idfQ, c.idfTab = nil, nil
	}
	return &c
}

// Save writes the model in the file format above.
func (m *Model) Save(w io.Writer) error {
	m = m.Trainable()
	scales := make([]float32, m.nOut)
	for i, v := range m.w {
		a := float32(math.Abs(float64(v)))
		if k := i % m.nOut; a > scales[k] {
			scales[k] = a
		}
	}
	for k := range scales {
		scales[k] /= 32767
	}
	var wb bytes.Buffer
	zw, err := flate.NewWriter(&wb, flate.BestCompression)
	if err != nil {
		return err
	}
	bw := bufio.NewWriter(zw)
	var b2 [2]byte
	for i, v := range m.w {
		var q int16
		if s := scales[i%m.nOut]; s > 0 {
			q = int16(math.Round(float64(v / s)))
		}
		binary.BigEndian.PutUint16(b2[:], uint16(q))
		bw.Write(b2[:])
	}
	var b4 [4]byte
	for _, v := range m.bias {
		binary.BigEndian.PutUint32(b4[:], math.Float32bits(v))
		bw.Write(b4[:])
	}
	var idfScale float32
	if m.info.Features.IDF {
		for _, v := range m.idf {
			idfScale = max(idfScale, v)
		}
		idfScale /= 255
		for _, v := range m.idf {
			q := 0.0
			if idfScale > 0 {
				q = math.Round(float64(v / idfScale))
			}
			bw.WriteByte(byte(q))
		}
	}
	if err := bw.Flush(); err != nil {
		return err
	}
	if err := zw.Close(); err != nil {
		return err
	}
	hdr, err := json.Marshal(fileHeader{Info: m.info, Outputs: m.nOut, Scales: scales, IDFScale: idfScale})
	if err != nil {
		return fmt.Errorf("encode model header: %w", err)
	}
	var out bytes.Buffer
	out.WriteString(magic)
	out.WriteByte(FormatVersion)
	binary.BigEndian.PutUint32(b4[:], uint32(len(hdr)))
	out.Write(b4[:])
	out.Write(hdr)
	binary.BigEndian.PutUint32(b4[:], uint32(wb.Len()))
	out.Write(b4[:])
	out.Write(wb.Bytes())
	sum := sha256.Sum256(out.Bytes())
	out.Write(sum[:])
	_, err = w.Write(out.Bytes())
	return err
}

// Load reads a model file. A file that is not a model, was written by a
// newer PAM, or is damaged gives an error wrapping ErrNotModel,
// ErrNewerFormat or ErrCorrupt.
func Load(r io.Reader) (*Model, error) { return loadReader(r, false) }

// LoadCompact is Load for a model that will only classify: its weights
// stay 16-bit as in the file (half the memory of Load's float32) and its
// scores are exactly those of the model Load returns. Training it
// (Update) needs m.Trainable().
func LoadCompact(r io.Reader) (*Model, error) { return loadReader(r, true) }

func loadReader(r io.Reader, compact bool) (*Model, error) {
	if ra, ok := r.(readerAtSized); ok {
		// Read what is left of it, in place, as io.ReadAll would.
		n := int64(ra.Len())
		return load(io.NewSectionReader(ra, ra.Size()-n, n), n, compact)
	}
	data, err := io.ReadAll(io.LimitReader(r, int64(maxFile)+1))
	if err != nil {
		return nil, fmt.Errorf("read model: %w", err)
	}
	return load(bytes.NewReader(data), int64(len(data)), compact)
}

// readerAtSized is what bytes.Reader and strings.Reader offer: Load reads
// those in place instead of copying them.
type readerAtSized interface {
	io.ReaderAt
	Size() int64 // the whole data
	Len() int    // the part not read yet
}

// maxDeflateRatio bounds how much DEFLATE data can expand (1032:1 at
// most, for long runs of one byte).
const maxDeflateRatio = 1040

// maxFile bounds a model file's size.
const maxFile = len(magic) + 1 + 4 + maxHeader + 4 + maxWeights + 32

// load reads a model file of size bytes from ra. It streams the weights
// from the DEFLATE data into their final slices, so that loading needs no
// copy of the file nor of the decompressed weights (which showed in a
// worker's peak memory).
func load(ra io.ReaderAt, size int64, compact bool) (*Model, error) {
	if size > int64(maxFile) {
		return nil, fmt.Errorf("%w: file too large", ErrCorrupt)
	}
	var head [len(magic) + 1 + 4]byte
	n, err := ra.ReadAt(head[:], 0)
	if n < len(magic)+1 && err != nil && err != io.EOF {
		return nil, fmt.Errorf("read model: %w", err)
	}
	if n < len(magic)+1 || string(head[:len(magic)]) != magic {
		return nil, ErrNotModel
	}
	if v := head[len(magic)]; v != FormatVersion {
		if v > FormatVersion {
			return nil, fmt.Errorf("%w (file version %d, supported %d)", ErrNewerFormat, v, FormatVersion)
		}
		return nil, fmt.Errorf("%w: unknown format version %d", ErrCorrupt, v)
	}
	if size < int64(len(magic)+1+4+4+32) {
		return nil, fmt.Errorf("%w: truncated", ErrCorrupt)
	}
	body := size - 32
	h := sha256.New()
	if _, err := io.Copy(h, io.NewSectionReader(ra, 0, body)); err != nil {
		return nil, fmt.Errorf("read model: %w", err)
	}
	var sum [32]byte
	if _, err := ra.ReadAt(sum[:], body); err != nil && err != io.EOF {
		return nil, fmt.Errorf("read model: %w", err)
	}
	if !bytes.Equal(h.Sum(nil), sum[:]) {
		return nil, fmt.Errorf("%w: checksum mismatch", ErrCorrupt)
	}
	off := int64(len(magic) + 1)
	hlen := int64(binary.BigEndian.Uint32(head[off:]))
	off += 4
	if hlen > maxHeader || hlen > body-off-4 {
		return nil, fmt.Errorf("%w: bad header length", ErrCorrupt)
	}
	hb := make([]byte, hlen+4)
	if _, err := ra.ReadAt(hb, off); err != nil {
		return nil, fmt.Errorf("read model: %w", err)
	}
	var hdr fileHeader
	if err := json.Unmarshal(hb[:hlen], &hdr); err != nil {
		return nil, fmt.Errorf("%w: header: %v", ErrCorrupt, err)
	}
	off += hlen
	wlen := int64(binary.BigEndian.Uint32(hb[hlen:]))
	off += 4
	if wlen != body-off {
		return nil, fmt.Errorf("%w: bad weights length", ErrCorrupt)
	}
	if hdr.Features.Version > FeaturizerVersion {
		return nil, fmt.Errorf("%w (featurizer version %d, supported %d)", ErrNewerFormat, hdr.Features.Version, FeaturizerVersion)
	}
	if err := hdr.Features.validate(); err != nil {
		return nil, fmt.Errorf("%w: %v", ErrCorrupt, err)
	}
	nc := len(hdr.Classes)
	want := nc
	if nc == 2 {
		want = 1
	}
	if nc < 2 || nc > 4096 || hdr.Outputs != want || len(hdr.Scales) != want {
		return nil, fmt.Errorf("%w: %d classes, %d outputs", ErrCorrupt, nc, hdr.Outputs)
	}
	dim := 1 << uint(hdr.Features.Bits)
	nw := dim * want
	wsize := nw*2 + want*4
	if hdr.Features.IDF {
		wsize += dim
	}
	if wsize > maxWeights {
		return nil, fmt.Errorf("%w: model too large", ErrCorrupt)
	}
	if int64(wsize) > wlen*maxDeflateRatio+1024 {
		// No DEFLATE stream expands that much: do not allocate for it.
		return nil, fmt.Errorf("%w: %d bytes of weights cannot hold %d", ErrCorrupt, wlen, wsize)
	}
	zr := flate.NewReader(io.NewSectionReader(ra, off, wlen))
	defer zr.Close()
	br := bufio.NewReaderSize(zr, 32<<10)
	m := &Model{info: hdr.Info, nOut: want, bias: make([]float32, want)}
	short := func(err error) error {
		if err == io.EOF || err == io.ErrUnexpectedEOF {
			return fmt.Errorf("%w: weights shorter than %d bytes", ErrCorrupt, wsize)
		}
		return fmt.Errorf("%w: weights: %v", ErrCorrupt, err)
	}
	// Decode in chunks straight into the weights.
	var buf [8 << 10]byte
	if compact {
		m.q, m.scale = make([]int16, nw), append([]float32(nil), hdr.Scales...)
	} else {
		m.w = make([]float32, nw)
	}
	for i := 0; i < nw; {
		k := min(len(buf)/2, nw-i)
		if _, err := io.ReadFull(br, buf[:2*k]); err != nil {
			return nil, short(err)
		}
		for j := 0; j < k; j++ {
			q := int16(binary.BigEndian.Uint16(buf[2*j:]))
			if compact {
				m.q[i+j] = q
			} else {
				m.w[i+j] = float32(q) * hdr.Scales[(i+j)%want]
			}
		}
		i += k
	}
	for k := range m.bias {
		if _, err := io.ReadFull(br, buf[:4]); err != nil {
			return nil, short(err)
		}
		m.bias[k] = math.Float32frombits(binary.BigEndian.Uint32(buf[:4]))
	}
	if hdr.Features.IDF && compact {
		m.idfQ, m.idfTab = make([]uint8, dim), new([256]float32)
		for b := range m.idfTab {
			m.idfTab[b] = float32(b) * hdr.IDFScale
		}
		if _, err := io.ReadFull(br, m.idfQ); err != nil {
			return nil, short(err)
		}
	} else if hdr.Features.IDF {
		m.idf = make([]float32, dim)
		for i := 0; i < dim; {
			k := min(len(buf), dim-i)
			if _, err := io.ReadFull(br, buf[:k]); err != nil {
				return nil, short(err)
			}
			for j := 0; j < k; j++ {
				m.idf[i+j] = float32(buf[j]) * hdr.IDFScale
			}
			i += k
		}
	}
	if _, err := br.ReadByte(); err != io.EOF {
		if err == nil {
			return nil, fmt.Errorf("%w: weights longer than %d bytes", ErrCorrupt, wsize)
		}
		return nil, fmt.Errorf("%w: weights: %v", ErrCorrupt, err)
	}
	if m.info.Temperature <= 0 {
		m.info.Temperature = 1
	}
	return m, nil
}

// scores computes the raw outputs for x into out (len nOut).
func (m *Model) scores(x *vec, out []float64) {
	for k := range out {
		out[k] = float64(m.bias[k])
	}
	if m.w == nil {
		m.scoresCompact(x, out)
		return
	}
	n := m.nOut
	if n == 1 {
		s := out[0]
		for i, f := range x.idx {
			s += float64(m.w[f] * x.val[i])
		}
		out[0] = s
		return
	}
	for i, f := range x.idx {
		v := x.val[i]
		row := m.w[int(f)*n : int(f)*n+n]
		for k, w := range row {
			out[k] += float64(w * v)
		}
	}
}

// scoresCompact is scores for a compact model. Each weight is expanded
// to the float32 Load would have stored, then used as scores uses it, so
// the results are identical.
func (m *Model) scoresCompact(x *vec, out []float64) {
	n := m.nOut
	if n == 1 {
		var touched int16
		for _, f := range x.idx {
			touched |= m.q[f] // as below: the cache misses overlap
		}
		if touched == math.MinInt16 && len(out) == 0 {
			return // never: keeps the loads
		}
		s, sc := out[0], m.scale[0]
		for i, f := range x.idx {
			w := float32(m.q[f]) * sc
			s += float64(w * x.val[i])
		}
		out[0] = s
		return
	}
	// Touch every row first, in a loop of independent loads: the weights
	// are megabytes and x's rows are scattered, so this lets the cache
	// misses overlap instead of waiting for each row in the loop below.
	var touched int16
	for _, f := range x.idx {
		i := int(f) * n
		touched |= m.q[i] | m.q[i+n-1]
	}
	if touched == math.MinInt16 && n == 0 {
		return // never: keeps the loads
	}
	scale := m.scale[:n]
	for i, f := range x.idx {
		v := x.val[i]
		row := m.q[int(f)*n : int(f)*n+n]
		for k, q := range row {
			w := float32(q) * scale[k]
			out[k] += float64(w * v)
		}
	}
}

// probs turns raw scores into calibrated class probabilities.
func (m *Model) probs(raw []float64, p []float64) {
	if m.binary() {
		a, b := m.info.PlattA, m.info.PlattB
		if a == 0 && b == 0 {
			a = 1
		}
		q := sigmoid(a*raw[0] + b)
		p[0], p[1] = 1-q, q
		return
	}
	softmax(raw, m.info.Temperature, p)
}

func sigmoid(z float64) float64 {
	if z >= 0 {
		return 1 / (1 + math.Exp(-z))
	}
	e := math.Exp(z)
	return e / (1 + e)
}

func softmax(raw []float64, t float64, p []float64) {
	if t <= 0 {
		t = 1
	}
	mx := math.Inf(-1)
	for _, v := range raw {
		if v/t > mx {
			mx = v / t
		}
	}
	sum := 0.0
	for k, v := range raw {
		p[k] = math.Exp(v/t - mx)
		sum += p[k]
	}
	for k := range p {
		p[k] /= sum
	}
}

// Predict returns the calibrated class probabilities of one message, in the
// order of Info().Classes.
func (m *Model) Predict(msg wire.Message) []float64 {
	f := m.featurizer()
	var x vec
	f.extract(&msg, &x)
	raw := make([]float64, m.nOut)
	m.scores(&x, raw)
	p := make([]float64, len(m.info.Classes))
	m.probs(raw, p)
	return p
}

// CompactDefaults is Defaults with compact models (see LoadCompact), as a
// classifier worker holds them. The embedded files are read in place
// (embed's ReadFile, which Defaults uses, copies each one).
func CompactDefaults() (map[string]*Model, error) {
	ents, err := fs.ReadDir(embedded, "models")
	if err != nil {
		return nil, fmt.Errorf("default models: %w", err)
	}
	out := map[string]*Model{}
	for _, e := range ents {
		if e.IsDir() || !strings.HasSuffix(e.Name(), ".pam") {
			continue
		}
		m, err := loadEmbedded(path.Join("models", e.Name()))
		if err != nil {
			return nil, fmt.Errorf("default model %s: %w", e.Name(), err)
		}
		out[m.info.Name] = m
	}
	return out, nil
}

func loadEmbedded(name string) (*Model, error) {
	f, err := embedded.Open(name)
	if err != nil {
		return nil, err
	}
	defer f.Close()
	fi, err := f.Stat()
	if err != nil {
		return nil, err
	}
	ra, ok := f.(io.ReaderAt)
	if !ok {
		return nil, errorf("embedded file %s cannot be read in place", name)
	}
	return load(ra, fi.Size(), true)
}
