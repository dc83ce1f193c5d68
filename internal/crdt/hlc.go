package crdt

import (
	"errors"
	"fmt"
	"math"
	"strings"
	"sync"
	"time"
)

// DefaultMaxDrift is how far ahead of local physical time a remote stamp may
// be before Observe refuses it.
const DefaultMaxDrift = time.Hour

// ErrClockDrift is returned by HLC.Observe for a remote stamp too far ahead of
// local physical time; the clock does not move.
var ErrClockDrift = errors.New("crdt: remote clock too far ahead")

// MaxDeviceLen bounds the length of a device id in bytes.
const MaxDeviceLen = 64

// Stamp is a hybrid logical clock reading: wall time in milliseconds since the
// Unix epoch, a logical counter for events within one millisecond, and the
// device that made it. Stamps are totally ordered by (Wall, Logical, Device);
// an HLC never issues the same stamp twice, so a stamp identifies one op.
type Stamp struct {
	Wall    int64  // milliseconds since the Unix epoch
	Logical uint32 // counter within Wall
	Device  string // device id; ties broken by byte order
}

// Compare returns -1, 0 or +1 as a sorts before, equal to or after b.
func (a Stamp) Compare(b Stamp) int {
	switch {
	case a.Wall < b.Wall:
		return -1
	case a.Wall > b.Wall:
		return 1
	case a.Logical < b.Logical:
		return -1
	case a.Logical > b.Logical:
		return 1
	}
	return strings.Compare(a.Device, b.Device)
}

// Less reports whether a sorts before b.
func (a Stamp) Less(b Stamp) bool { return a.Compare(b) < 0 }

// IsZero reports whether a is the zero stamp, which sorts before every issued
// stamp.
func (a Stamp) IsZero() bool { return a == Stamp{} }

// Time returns the wall part of the stamp.
func (a Stamp) Time() time.Time { return time.UnixMilli(a.Wall).UTC() }

func (a Stamp) String() string { return fmt.Sprintf("%d.%d@%s", a.Wall, a.Logical, a.Device) }

// HLC is a hybrid logical clock for one device. It is safe for concurrent
// use.
type HLC struct {
	mu       sync.Mutex
	device   string
	now      func() time.Time
	maxDrift time.Duration
	last     Stamp
}

// NewHLC returns a clock for device reading physical time from now
// (time.Now when nil). A maxDrift of zero means DefaultMaxDrift.
func NewHLC(device string, now func() time.Time, maxDrift time.Duration) *HLC {
	if now == nil {
		now = time.Now
	}
	if maxDrift <= 0 {
		maxDrift = DefaultMaxDrift
	}
	return &HLC{device: device, now: now, maxDrift: maxDrift, last: Stamp{Device: device}}
}

// Device returns the clock's device id.
func (h *HLC) Device() string { return h.device }

// Last returns the last stamp issued or observed, with this clock's device.
func (h *HLC) Last() Stamp {
	h.mu.Lock()
	defer h.mu.Unlock()
	return h.last
}

// Restore moves the clock forward to at least s, for example after a restart
// with the highest stamp the device persisted. It never moves the clock back.
func (h *HLC) Restore(s Stamp) {
	h.mu.Lock()
	defer h.mu.Unlock()
	if s.Wall > h.last.Wall || (s.Wall == h.last.Wall && s.Logical > h.last.Logical) {
		h.last.Wall, h.last.Logical = s.Wall, s.Logical
	}
}

// Now returns a new stamp, strictly greater than every stamp this clock has
// issued or observed.
func (h *HLC) Now() Stamp {
	h.mu.Lock()
	defer h.mu.Unlock()
	pt := h.now().UnixMilli()
	if pt > h.last.Wall {
		h.last.Wall, h.last.Logical = pt, 0
	} else {
		h.tick()
	}
	return h.last
}

// tick advances the logical counter, carrying into the wall part on overflow
// so that the clock stays strictly monotonic.
func (h *HLC) tick() {
	if h.last.Logical == math.MaxUint32 {
		h.last.Wall++
		h.last.Logical = 0
		return
	}
	h.last.Logical++
}

// Observe merges a remote stamp into the clock so that later stamps sort
// after it. A remote stamp more than the drift bound ahead of local physical
// time returns ErrClockDrift and leaves the clock unchanged.
func (h *HLC) Observe(remote Stamp) error {
	h.mu.Lock()
	defer h.mu.Unlock()
	pt := h.now().UnixMilli()
	if remote.Wall > pt+h.maxDrift.Milliseconds() {
		return fmt.Errorf("%w: stamp %s is %v ahead of local time (bound %v)",
			ErrClockDrift, remote, time.Duration(remote.Wall-pt)*time.Millisecond, h.maxDrift)
	}
	switch {
	case pt > h.last.Wall && pt > remote.Wall:
		h.last.Wall, h.last.Logical = pt, 0
	case remote.Wall > h.last.Wall:
		h.last.Wall, h.last.Logical = remote.Wall, remote.Logical
		h.tick()
	case remote.Wall == h.last.Wall:
		if remote.Logical > h.last.Logical {
			h.last.Logical = remote.Logical
		}
		h.tick()
	default: // local wall ahead of remote
		h.tick()
	}
	return nil
}
