package config

import (
	"fmt"
	"slices"
	"strings"
)

// Backend is a compute backend a kernel can be built for.
type Backend string

// The backends build2cmake knows, in their canonical (sorted) order.
const (
	CPU   Backend = "cpu"
	CUDA  Backend = "cuda"
	Metal Backend = "metal"
	ROCm  Backend = "rocm"
	XPU   Backend = "xpu"

	// Backends that only v4 and edition 5 know, and only in
	// general.backends: no [kernel.*] table can name them.
	CANN   Backend = "cann"
	Neuron Backend = "neuron"
	TPU    Backend = "tpu"
)

// Backends lists every backend a kernel can be compiled for, in canonical
// order. It is the single source of truth for what "all backends" (v1/v2
// universal builds) means and for what --backend accepts.
var Backends = []Backend{CPU, CUDA, Metal, ROCm, XPU}

// AllBackends lists every backend general.backends may name in v4 and
// edition 5, in canonical order; today's layout writes one
// metadata-<backend>.json for each.
var AllBackends = []Backend{CANN, CPU, CUDA, Metal, Neuron, ROCm, TPU, XPU}

// BackendNames returns the backend names in canonical order, for messages.
func BackendNames() []string {
	names := make([]string, len(Backends))
	for i, b := range Backends {
		names[i] = string(b)
	}
	return names
}

// JoinBackends lists backends for messages, sorted and comma separated
// ("cuda, rocm"); it is empty when bs is.
func JoinBackends(bs []Backend) string {
	sorted := SortBackends(bs)
	names := make([]string, len(sorted))
	for i, b := range sorted {
		names[i] = string(b)
	}
	return strings.Join(names, ", ")
}

// ParseBackend parses a backend name case-insensitively, as the reference's
// --backend flag does.
func ParseBackend(s string) (Backend, error) {
	b := Backend(strings.ToLower(strings.TrimSpace(s)))
	if !slices.Contains(Backends, b) {
		return "", fmt.Errorf("unknown backend %q; expected one of %s", s, strings.Join(BackendNames(), ", "))
	}
	return b, nil
}

// SortBackends sorts backends into canonical order and removes duplicates.
func SortBackends(bs []Backend) []Backend {
	out := slices.Clone(bs)
	slices.SortFunc(out, func(a, b Backend) int { return strings.Compare(string(a), string(b)) })
	return slices.Compact(out)
}
