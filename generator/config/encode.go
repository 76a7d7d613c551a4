package config

import (
	"slices"
	"strings"
)

// EncodeV3 writes a build in the v3 format with a stable order of tables
// and keys (update-build): [general], [general.cuda], [general.hub],
// [general.xpu], [torch], then the kernels by name. Keys follow the order
// of the v3 schema; unset and empty optional keys are left out, required
// ones always written. Parsing the output gives the same Build, and
// encoding that again gives the same bytes.
func EncodeV3(b *Build) []byte {
	var w tomlWriter
	g := b.General
	w.table([]string{"general"})
	w.str("name", g.Name)
	backends := make([]string, len(g.Backends))
	for i, be := range g.Backends {
		backends[i] = string(be)
	}
	w.list("backends", backends, true)
	w.list("python-depends", g.PythonDepends, false)
	if c := g.CUDA; c != nil {
		w.table([]string{"general", "cuda"})
		w.version("minver", c.MinVer)
		w.version("maxver", c.MaxVer)
		w.list("python-depends", c.PythonDepends, false)
	}
	if h := g.Hub; h != nil {
		w.table([]string{"general", "hub"})
		w.optionalStr("repo-id", h.RepoID)
		w.optionalStr("branch", h.Branch)
	}
	if x := g.XPU; x != nil {
		w.table([]string{"general", "xpu"})
		w.list("python-depends", x.PythonDepends, false)
	}
	if t := b.Torch; t != nil {
		w.table([]string{"torch"})
		w.list("src", t.Src, false)
		w.list("include", t.Include, false)
		w.list("pyext", t.PyExt, false)
		w.version("minver", t.MinVer)
		w.version("maxver", t.MaxVer)
	}
	kernels := slices.Clone(b.Kernels)
	slices.SortStableFunc(kernels, func(x, y Kernel) int { return strings.Compare(x.Name, y.Name) })
	for i := range kernels {
		w.kernel(&kernels[i])
	}
	return []byte(w.buf.String())
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

// tomlWriter writes the small subset of TOML that build.toml needs.
type tomlWriter struct {
	buf strings.Builder
}

// table starts a table, separated from the previous one by a blank line.
func (w *tomlWriter) table(path []string) {
	if w.buf.Len() > 0 {
		w.buf.WriteByte('\n')
	}
	w.buf.WriteString("[" + dottedKey(path) + "]\n")
}

func (w *tomlWriter) str(key, value string) {
	w.buf.WriteString(key + " = " + TOMLString(value) + "\n")
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

// list writes an array of strings: inline when it has at most one element,
// else one element per line. Empty lists are written only when required.
func (w *tomlWriter) list(key string, values []string, required bool) {
	switch {
	case len(values) == 0 && !required:
	case len(values) == 0:
		w.buf.WriteString(key + " = []\n")
	case len(values) == 1:
		w.buf.WriteString(key + " = [" + TOMLString(values[0]) + "]\n")
	default:
		w.buf.WriteString(key + " = [\n")
		for _, v := range values {
			w.buf.WriteString("    " + TOMLString(v) + ",\n")
		}
		w.buf.WriteString("]\n")
	}
}
