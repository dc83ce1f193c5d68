//go:build !linux

package worker

// TrimExecutablePages does nothing outside Linux.
func TrimExecutablePages() (int64, error) { return 0, nil }
