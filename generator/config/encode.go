package config

import (
	"slices"
	"strconv"
	"strings"
)

// EncodeEdition5 writes a build in edition 5 with a fixed order of tables
// and keys (update-build):
//
//	[general]          name, version, edition, license, upstream, source,
//	                   backends, python-depends, kernel-depends
//	[general.cuda]     minver, maxver, python-depends, kernel-depends
//	[general.hub]      repo-id, branch
//	[general.neuron]   python-depends, kernel-depends
//	[general.tpu]      python-depends
//	[general.xpu]      python-depends, kernel-depends
//	[torch]            src, include, pyext, minver, maxver, cxx-flags, stable-abi
//	[torch.stable-abi] one version per backend
//	  or [torch-noarch] pyext, cuda_capabilities, rocm_archs
//	  or [tvm-ffi]      src, include, pyext, cxx-flags
//	[kernel.NAME]      by name; backend, depends, src, include, cxx-flags,
//	                   then the backend's own keys
//
// This is today's tool's order of keys within [general]; tables come in
// name order. Unset optional keys are left out, required ones always
// written; a [general.hub] key set to "" is kept. b must be valid in
// edition 5 (see ToEdition5): parsing the output gives the same Build, and
// encoding that again gives the same bytes.
func EncodeEdition5(b *Build) []byte {
	return EncodeEdition5WithLayout(b, nil)
}

// EncodeEdition5WithLayout is EncodeEdition5 that keeps the layout of the
// file b was loaded from: its comments, each next to the table, key or
// element it belongs to, and the text of every array whose values stay
// the same (see Layout); nil keeps nothing.
func EncodeEdition5WithLayout(b *Build, l *Layout) []byte {
	return encodeWithLayout(l, func(w *tomlWriter) { encodeEdition5(w, b) })
}

func encodeEdition5(w *tomlWriter, b *Build) {
	g := b.General
	w.table([]string{"general"})
	w.str("name", g.Name)
	var version uint64
	if g.Version != nil {
		version = *g.Version
	}
	w.raw("version", strconv.FormatUint(version, 10))
	w.raw("edition", strconv.Itoa(int(Edition5)))
	w.str("license", g.License)
	w.nonEmpty("upstream", g.Upstream)
	w.nonEmpty("source", g.Source)
	backends := make([]string, len(g.Backends))
	for i, be := range g.Backends {
		backends[i] = string(be)
	}
	w.list("backends", backends, true)
	w.list("python-depends", g.PythonDepends, false)
	w.kernelDepends(g.KernelDepends)
	if c := g.CUDA; c != nil {
		w.table([]string{"general", "cuda"})
		w.version("minver", c.MinVer)
		w.version("maxver", c.MaxVer)
		w.list("python-depends", c.PythonDepends, false)
		w.kernelDepends(c.KernelDepends)
	}
	if h := g.Hub; h != nil {
		w.table([]string{"general", "hub"})
		w.optionalStr("repo-id", h.RepoID)
		w.optionalStr("branch", h.Branch)
	}
	if n := g.Neuron; n != nil {
		w.table([]string{"general", "neuron"})
		w.list("python-depends", n.PythonDepends, false)
		w.kernelDepends(n.KernelDepends)
	}
	if t := g.TPU; t != nil {
		w.table([]string{"general", "tpu"})
		w.list("python-depends", t.PythonDepends, false)
	}
	if x := g.XPU; x != nil {
		w.table([]string{"general", "xpu"})
		w.list("python-depends", x.PythonDepends, false)
		w.kernelDepends(x.KernelDepends)
	}
	switch {
	case b.TorchNoarch != nil:
		t := b.TorchNoarch
		w.table([]string{"torch-noarch"})
		w.list("pyext", t.PyExt, false)
		w.list("cuda_capabilities", t.CUDACapabilities, false)
		w.list("rocm_archs", t.ROCmArchs, false)
	case b.TVMFFI != nil:
		t := b.TVMFFI
		w.table([]string{"tvm-ffi"})
		w.list("src", t.Src, true)
		w.list("include", t.Include, false)
		w.list("pyext", t.PyExt, false)
		w.list("cxx-flags", t.CXXFlags, false)
	case b.Torch != nil:
		t := b.Torch
		w.table([]string{"torch"})
		w.list("src", t.Src, false)
		w.list("include", t.Include, false)
		w.list("pyext", t.PyExt, false)
		w.version("minver", t.MinVer)
		w.version("maxver", t.MaxVer)
		w.list("cxx-flags", t.CXXFlags, false)
		if s := t.StableABI; s != nil && s.PerBackend == nil {
			w.str("stable-abi", s.All.String())
		} else if s != nil {
			w.table([]string{"torch", "stable-abi"})
			for _, be := range AllBackends {
				w.version(string(be), s.PerBackend[be])
			}
		}
	}
	kernels := slices.Clone(b.Kernels)
	slices.SortStableFunc(kernels, func(x, y Kernel) int { return strings.Compare(x.Name, y.Name) })
	for i := range kernels {
		w.kernel(&kernels[i])
	}
}

// kernelDepends writes a kernel-depends list as inline tables, one per
// line, or as the file wrote it when it has the same entries.
func (w *tomlWriter) kernelDepends(deps []KernelDependency) {
	if len(deps) == 0 {
		return
	}
	const key = "kernel-depends"
	a := anchor{table: w.cur, key: key}
	// An entry's comments go with its repo-id.
	ids := make([]string, len(deps))
	for i, d := range deps {
		ids[i] = d.RepoID
	}
	if text, ok := arrayText(w, a, deps, ids, sameDependency); ok {
		w.raw(key, text)
		return
	}
	w.leading(a, "")
	w.buf.WriteString(key + " = [" + w.trailingOpen(a) + "\n")
	for _, d := range deps {
		e := anchor{table: w.cur, key: key, elem: d.RepoID, isElem: true}
		w.leading(e, "    ")
		w.buf.WriteString("    { repo-id = " + TOMLString(d.RepoID))
		if d.Version != nil {
			w.buf.WriteString(", version = " + strconv.FormatUint(*d.Version, 10))
		} else {
			w.buf.WriteString(", revision = " + TOMLString(d.Revision))
		}
		w.buf.WriteString(" }," + w.trailing(e) + "\n")
		w.closing(e, "    ")
	}
	w.closing(a, "    ")
	w.buf.WriteString("]" + w.trailingClose(a) + "\n")
}

// kernel writes one [kernel.NAME] table with the keys its backend allows,
// in schema order, so a key that does not apply is never written.
func (w *tomlWriter) kernel(k *Kernel) {
	w.table([]string{"kernel", k.Name})
	keys := kernelSpec.tag.full[string(k.Backend)]
	if keys == nil {
		keys = kernelSpec.keys
	}
	for _, ks := range keys {
		switch ks.name {
		case "backend":
			w.str(ks.name, string(k.Backend))
		case "cuda-minver":
			w.version(ks.name, k.CUDAMinVer)
		case "cuda-capabilities":
			// nil means "use the defaults" and an empty list means none:
			// keep the difference.
			if k.CUDACapabilities != nil {
				w.list(ks.name, k.CUDACapabilities, true)
			}
		default:
			w.list(ks.name, kernelList(k, ks.name), ks.required)
		}
	}
}

// kernelList returns a kernel's list-valued field by its build.toml key.
func kernelList(k *Kernel, key string) []string {
	switch key {
	case "depends":
		return k.Depends
	case "src":
		return k.Src
	case "include":
		return k.Include
	case "cxx-flags":
		return k.CXXFlags
	case "cuda-flags":
		return k.CUDAFlags
	case "rocm-archs":
		return k.ROCmArchs
	case "hip-flags":
		return k.HIPFlags
	case "sycl-flags":
		return k.SYCLFlags
	}
	return nil
}

// tomlWriter writes the small subset of TOML that build.toml needs, with
// the layout of the file being converted.
type tomlWriter struct {
	buf strings.Builder
	// cur is the dotted path of the table being written; started is set
	// once the first table is.
	cur     string
	started bool
	// layout is the file being converted; never nil.
	layout *Layout
	// notes are the comments to write; nil writes none.
	notes *notes
	// written records every anchor written, and tables the tables in the
	// order written, when set (the first pass).
	written map[anchor]bool
	tables  []string
}

// table starts a table, separated from the previous one by a blank line.
func (w *tomlWriter) table(path []string) {
	w.endTable()
	if w.started {
		w.buf.WriteByte('\n')
	}
	w.cur, w.started = dottedKey(path), true
	a := anchor{table: w.cur}
	w.leading(a, "")
	w.buf.WriteString("[" + w.cur + "]" + w.trailing(a) + "\n")
}

func (w *tomlWriter) str(key, value string) {
	w.raw(key, TOMLString(value))
}

// raw writes a value that is already TOML (an integer), with the key's
// comments.
func (w *tomlWriter) raw(key, value string) {
	a := anchor{table: w.cur, key: key}
	w.leading(a, "")
	w.buf.WriteString(key + " = " + value + w.trailing(a) + "\n")
	w.closing(a, "")
}

// nonEmpty writes key unless value is empty.
func (w *tomlWriter) nonEmpty(key, value string) {
	if value != "" {
		w.str(key, value)
	}
}

// optionalStr writes key when it was set, even to "".
func (w *tomlWriter) optionalStr(key string, value *string) {
	if value != nil {
		w.str(key, *value)
	}
}

func (w *tomlWriter) version(key string, v Version) {
	if v != nil {
		w.str(key, v.String())
	}
}

// list writes an array of strings as the file wrote it when its values
// stay the same; else inline when it has at most one element and no
// comments inside, or one element per line. Empty lists are written only
// when required or when the file's list holds comments.
func (w *tomlWriter) list(key string, values []string, required bool) {
	a := anchor{table: w.cur, key: key}
	if len(values) == 0 && !required && !w.keepsEmpty(a) {
		return
	}
	if text, ok := arrayText(w, a, values, values, sameString); ok {
		w.raw(key, text)
		return
	}
	multiLine := len(values) > 1 || w.hasElementNotes(key, values) || w.hasNotes(a, placeEnd)
	switch {
	case !multiLine && len(values) == 0:
		w.raw(key, "[]")
	case !multiLine:
		w.mark(anchor{table: w.cur, key: key, elem: values[0], isElem: true})
		w.raw(key, "["+TOMLString(values[0])+"]")
	default:
		w.leading(a, "")
		w.buf.WriteString(key + " = [" + w.trailingOpen(a) + "\n")
		for _, v := range values {
			e := anchor{table: w.cur, key: key, elem: v, isElem: true}
			w.leading(e, "    ")
			w.buf.WriteString("    " + TOMLString(v) + "," + w.trailing(e) + "\n")
			w.closing(e, "    ")
		}
		w.closing(a, "    ")
		w.buf.WriteString("]" + w.trailingClose(a) + "\n")
	}
}
