package config

import (
	"errors"
	"fmt"
	"slices"
	"strings"
)

// ErrNoLicense is returned by ToEdition5 for a build without a license
// when none is supplied: edition 5 requires one and no default is right.
var ErrNoLicense = errors.New("build.toml has no license, which edition 5 requires")

// DefaultVersion is the kernel version update-build gives a file that has
// none.
const DefaultVersion uint64 = 1

// ToEdition5 returns a copy of b, read from a file in format from, that
// edition 5 can express, for update-build. license and version fill in a
// missing general.license and general.version (version nil means
// DefaultVersion); values the file has are kept. The conversion keeps
// everything generate-torch reads:
//   - a name that today's rule refuses only for its underscores
//     ("layer_norm") takes dashes instead ("layer-norm"): the Python
//     package, the ops name and everything else derived from it stay the
//     same;
//   - a v1–v3 build without kernels whose [torch] holds at most pyext (or that
//     has no [torch]) becomes [torch-noarch] with the same pyext;
//   - the cutlass_sycl dependency takes its new name, sycl_tla.
//
// It fails for what edition 5 cannot hold: no license, a name that
// breaks today's rule otherwise (renaming it would change its Python
// package), kernels without a [torch] table.
func ToEdition5(b *Build, from Format, license string, version *uint64) (*Build, error) {
	out := *b
	out.General.Backends = slices.Clone(b.General.Backends)
	if out.General.License == "" {
		out.General.License = license
	}
	if out.General.License == "" {
		return nil, ErrNoLicense
	}
	if out.General.Version == nil {
		v := DefaultVersion
		if version != nil {
			v = *version
		}
		out.General.Version = &v
	}
	name, err := edition5Name(out.General.Name)
	if err != nil {
		return nil, err
	}
	out.General.Name = name
	switch {
	case out.TorchNoarch != nil:
		out.Framework = FrameworkTorchNoarch
	case out.TVMFFI != nil:
		out.Framework = FrameworkTVMFFI
	case from < V4 && len(out.Kernels) == 0 && onlyPyExt(out.Torch):
		out.Framework = FrameworkTorchNoarch
		out.TorchNoarch = &TorchNoarch{}
		if out.Torch != nil {
			out.TorchNoarch.PyExt = out.Torch.PyExt
		}
		out.Torch = nil
	case out.Torch == nil:
		return nil, errors.New("build.toml has kernels but no [torch] table, which edition 5 requires; add [torch] with the binding sources")
	default:
		out.Framework = FrameworkTorch
	}
	out.Kernels = slices.Clone(b.Kernels)
	for i := range out.Kernels {
		k := &out.Kernels[i]
		if slices.ContainsFunc(k.Depends, isRenamed) {
			deps := slices.Clone(k.Depends)
			for j, d := range deps {
				if to, ok := renamedDependencies()[d]; ok {
					deps[j] = to
				}
			}
			k.Depends = deps
		}
	}
	out.SortKernels()
	return &out, nil
}

func isRenamed(d string) bool {
	_, ok := renamedDependencies()[d]
	return ok
}

// onlyPyExt reports whether a [torch] table holds nothing but pyext, so
// that [torch-noarch] says the same.
func onlyPyExt(t *Torch) bool {
	return t == nil || len(t.Src) == 0 && len(t.Include) == 0 && t.MinVer == nil && t.MaxVer == nil &&
		len(t.CXXFlags) == 0 && t.StableABI == nil
}

// EarlyLayout returns the build as the early-2026 layout (generate-torch)
// reads it: a [torch-noarch] build is a build without kernels whose
// [torch] holds the pyext. Settings that layout cannot express are
// listed by Unexpressed.
func (b *Build) EarlyLayout() *Build {
	if b.TorchNoarch == nil {
		return b
	}
	out := *b
	out.Torch = &Torch{PyExt: b.TorchNoarch.PyExt}
	// A noarch build compiles nothing; Lint warns about kernels in one.
	out.Kernels = nil
	return &out
}

// Unexpressed names the settings of b that the early-2026 layout of
// backend cannot express, for generate-torch's warning.
func (b *Build) Unexpressed(backend Backend) []string {
	var out []string
	if b.Torch != nil && b.Torch.StableABI.For(backend) != nil {
		out = append(out, "torch.stable-abi")
	}
	if b.Torch != nil && len(b.Torch.CXXFlags) > 0 {
		out = append(out, "torch.cxx-flags")
	}
	if len(b.KernelDependsFor(backend)) > 0 {
		out = append(out, "kernel-depends")
	}
	if b.TorchNoarch != nil && (len(b.TorchNoarch.CUDACapabilities) > 0 || len(b.TorchNoarch.ROCmArchs) > 0) {
		out = append(out, "torch-noarch.cuda_capabilities/rocm_archs")
	}
	return out
}

// KernelDependsFor returns the general and backend's kernel-depends,
// general first.
func (b *Build) KernelDependsFor(backend Backend) []KernelDependency {
	return append(slices.Clone(b.General.KernelDepends), b.General.BackendKernelDepends(backend)...)
}

// edition5Name returns the name a kernel takes in edition 5: the name
// itself when today's rule accepts it, else SuggestName's when that keeps
// the Python package ("layer_norm" becomes "layer-norm", package
// "layer_norm"). Any other name must be renamed by hand: the error says
// so, and offers the suggestion when it is the name in lower case
// ("Layer_Norm": "layer-norm").
func edition5Name(name string) (string, error) {
	err := ValidName(name)
	if err == nil {
		return name, nil
	}
	n := SuggestName(name)
	switch {
	case PythonName(n) == PythonName(name):
		return n, nil
	case PythonName(n) == strings.ToLower(PythonName(name)):
		return "", fmt.Errorf("%w; rename it in build.toml first, for example to %s (Python package %s)", err, TOMLString(n), TOMLString(PythonName(n)))
	default:
		return "", fmt.Errorf("%w; rename it in build.toml first", err)
	}
}
