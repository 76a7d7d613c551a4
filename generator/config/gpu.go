package config

import (
	"fmt"
	"slices"
	"strconv"
	"strings"
)

// CUDACapabilities lists the compute capabilities of the NVIDIA GPUs
// build2cmake knows, oldest first, without the "a"/"f" suffixes and "+PTX"
// that a kernel's cuda-capabilities may add. It is the single source of
// truth for validation and for the generated CMake.
var CUDACapabilities = []string{
	"7.0", "7.2", "7.5",
	"8.0", "8.6", "8.7", "8.9",
	"9.0",
	"10.0", "10.1", "10.3",
	"11.0",
	"12.0", "12.1",
}

// ROCmArchs lists the AMD GPU architectures that the generated HIP build
// supports; a kernel's rocm-archs are intersected with it. gfx1150 and
// gfx1151 (RDNA 3.5) follow huggingface/kernels #834.
var ROCmArchs = []string{
	"gfx906", "gfx908", "gfx90a", "gfx942", "gfx950",
	"gfx1030", "gfx1100", "gfx1101", "gfx1150", "gfx1151", "gfx1200", "gfx1201",
}

// cudaToolkitVersions are CUDA releases that are not also a GPU capability.
// People sometimes write them in cuda-capabilities by mistake ("11.8"), and
// the warning can then say what the value really is.
var cudaToolkitVersions = []string{
	"9.1", "9.2", "10.2",
	"11.1", "11.2", "11.3", "11.4", "11.5", "11.6", "11.7", "11.8",
	"12.2", "12.4", "12.5", "12.6", "12.8", "12.9",
	"13.0", "13.1",
}

// capabilitySyntax explains the form of a cuda-capabilities entry.
const capabilitySyntax = `expected MAJOR.MINOR with an optional "a" or "f" suffix and "+PTX", such as "9.0a" or "12.0+PTX"`

// CUDACapability is one entry of a kernel's cuda-capabilities, such as
// "9.0a" or "12.0+PTX".
type CUDACapability struct {
	Major, Minor int
	// Suffix is "", "a" (architecture-specific) or "f" (family-specific).
	Suffix string
	// PTX asks for PTX code as well, so newer GPUs can JIT-compile it.
	PTX bool
}

// ParseCUDACapability checks the syntax MAJOR.MINOR, an optional "a" or "f"
// suffix and an optional "+PTX". It does not check that the GPU exists; see
// Known.
func ParseCUDACapability(s string) (CUDACapability, error) {
	var c CUDACapability
	rest, ptx := strings.CutSuffix(s, "+PTX")
	c.PTX = ptx
	if r, ok := strings.CutSuffix(rest, "a"); ok {
		rest, c.Suffix = r, "a"
	} else if r, ok := strings.CutSuffix(rest, "f"); ok {
		rest, c.Suffix = r, "f"
	}
	major, minor, ok := strings.Cut(rest, ".")
	var err1, err2 error
	if ok {
		c.Major, err1 = parseSmallUint(major)
		c.Minor, err2 = parseSmallUint(minor)
	}
	if !ok || err1 != nil || err2 != nil {
		return CUDACapability{}, fmt.Errorf("malformed CUDA capability %s; %s", TOMLString(s), capabilitySyntax)
	}
	return c, nil
}

// parseSmallUint accepts plain decimal digits only (no sign, no spaces).
func parseSmallUint(s string) (int, error) {
	if s == "" || len(s) > 4 || strings.TrimLeft(s, "0123456789") != "" {
		return 0, fmt.Errorf("not a number: %q", s)
	}
	return strconv.Atoi(s)
}

// Base is the capability without suffix and PTX, such as "9.0".
func (c CUDACapability) Base() string { return fmt.Sprintf("%d.%d", c.Major, c.Minor) }

// String formats the capability as written in build.toml.
func (c CUDACapability) String() string {
	s := c.Base() + c.Suffix
	if c.PTX {
		s += "+PTX"
	}
	return s
}

// Known reports whether the base capability is in CUDACapabilities.
func (c CUDACapability) Known() bool { return slices.Contains(CUDACapabilities, c.Base()) }

// isCUDAToolkitVersion reports whether s is a CUDA release number that is
// not a GPU capability.
func isCUDAToolkitVersion(s string) bool { return slices.Contains(cudaToolkitVersions, s) }
