package generator

import (
	"fmt"
	"strconv"
	"strings"

	"github.com/build2cmake-go/build2cmake/generator/config"
)

// Variant holds the facts a build variant name is made of.
type Variant struct {
	// TorchVersion is the Torch the extension is built against, such as
	// "2.9.1"; only its major and minor parts count. Ignored when
	// StableABI is set.
	TorchVersion string
	// StableABI is the Torch stable-ABI version the extension targets,
	// such as "2.11", or "" for a build against Torch's full C++ API.
	StableABI string
	// TVMFFIVersion is the Apache TVM FFI a [tvm-ffi] kernel is built
	// against, such as "0.1.9"; when set, the name is a tvm-ffi one and
	// TorchVersion and StableABI are ignored.
	TVMFFIVersion string
	Backend       config.Backend
	// ComputeVersion is the toolkit version for cuda ("12.8"), rocm
	// ("6.4") and xpu (the DPC++ version "2025.2"); unused otherwise.
	ComputeVersion string
	// Arch is the CPU architecture as CMake's CMAKE_SYSTEM_PROCESSOR or Go's
	// GOARCH names it: x86_64, amd64, AMD64, aarch64, arm64 or ARM64.
	Arch string
	// OS is linux, darwin or windows (Go's GOOS spelling).
	OS string
}

// VariantName returns the name of the folder a build is installed into in
// the kernels hub layout (SPEC D3), the name huggingface/kernels' loader
// matches against the running system:
//
//	torch<MAJ><MIN>[-cxx11]-<compute>-<arch>-<os>
//	torch-stable-abi<MAJ><MIN>-<compute>-<arch>-<os>
//	tvm-ffi<MAJ><MIN>-<compute>-<arch>-<os>
//
// compute is cu<MAJ><MIN> (CUDA), rocm<MAJ><MIN>, xpu<YEAR><RELEASE>, cpu
// or metal; arch is x86_64 or aarch64; os is linux, darwin or windows.
// -cxx11 (the C++11 string ABI every Torch 2 wheel uses) appears on Linux
// only, and never in stable-ABI names, matching today's kernel-builder
// (build-variants.cmake's generate_build_name); tvm-ffi names never have
// it either. A one-part version counts as <MAJ>.0. For example:
// torch29-cxx11-cu128-x86_64-linux, torch29-cu128-x86_64-windows,
// torch29-metal-aarch64-darwin, torch-stable-abi211-cu130-aarch64-linux,
// tvm-ffi01-cpu-x86_64-linux.
func VariantName(v Variant) (string, error) {
	var prefix string
	if v.TVMFFIVersion != "" {
		mm, err := majorMinor(v.TVMFFIVersion)
		if err != nil {
			return "", fmt.Errorf("tvm-ffi version: %w", err)
		}
		prefix = "tvm-ffi" + mm
	} else if v.StableABI != "" {
		mm, err := majorMinor(v.StableABI)
		if err != nil {
			return "", fmt.Errorf("stable ABI version: %w", err)
		}
		prefix = "torch-stable-abi" + mm
	} else {
		mm, err := majorMinor(v.TorchVersion)
		if err != nil {
			return "", fmt.Errorf("torch version: %w", err)
		}
		prefix = "torch" + mm
	}

	var compute string
	switch v.Backend {
	case config.CUDA, config.ROCm, config.XPU:
		mm, err := majorMinor(v.ComputeVersion)
		if err != nil {
			return "", fmt.Errorf("%s version: %w", v.Backend, err)
		}
		compute = map[config.Backend]string{config.CUDA: "cu", config.ROCm: "rocm", config.XPU: "xpu"}[v.Backend] + mm
	case config.CPU, config.Metal:
		compute = string(v.Backend)
	default:
		return "", fmt.Errorf("no build variant for backend %q", v.Backend)
	}

	var arch string
	switch v.Arch {
	case "x86_64", "amd64", "AMD64":
		arch = "x86_64"
	case "aarch64", "arm64", "ARM64":
		arch = "aarch64"
	default:
		return "", fmt.Errorf("unsupported CPU architecture %q; build variants exist for x86_64 and aarch64", v.Arch)
	}
	switch v.OS {
	case "linux", "darwin", "windows":
	default:
		return "", fmt.Errorf("unsupported operating system %q; build variants exist for linux, darwin and windows", v.OS)
	}

	if v.TVMFFIVersion == "" && v.StableABI == "" && v.OS == "linux" {
		prefix += "-cxx11"
	}
	return prefix + "-" + compute + "-" + arch + "-" + v.OS, nil
}

// majorMinor turns "2.9.1" into "29" and "13" into "130": the first two
// numeric parts, joined.
func majorMinor(version string) (string, error) {
	parts := strings.Split(version, ".")
	if len(parts) < 2 {
		parts = append(parts, "0")
	}
	for _, p := range parts[:2] {
		if _, err := strconv.ParseUint(p, 10, 32); err != nil {
			return "", fmt.Errorf("malformed version %q; expected MAJOR.MINOR", version)
		}
	}
	return parts[0] + parts[1], nil
}
