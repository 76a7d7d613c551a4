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
	return EncodeV3WithComments(b, nil)
}

// EncodeV3WithComments is EncodeV3 that also writes the comments of the
// file b was loaded from, each next to the table, key or element it
// belongs to (see Comments); nil writes none.
func EncodeV3WithComments(b *Build, c *Comments) []byte {
	return encodeWithComments(c, func(w *tomlWriter) { encodeV3(w, b) })
}

func encodeV3(w *tomlWriter, b *Build) {
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
// the comments of the file being converted.
type tomlWriter struct {
	buf strings.Builder
	// cur is the dotted path of the table being written.
	cur string
	// notes are the comments to write; nil writes none.
	notes *Comments
	// written records every anchor written, when set.
	written map[anchor]bool
}

// table starts a table, separated from the previous one by a blank line.
func (w *tomlWriter) table(path []string) {
	w.cur = dottedKey(path)
	if w.buf.Len() > 0 {
		w.buf.WriteByte('\n')
	}
	a := anchor{table: w.cur}
	w.leading(a, "")
	w.buf.WriteString("[" + w.cur + "]" + w.trailing(a) + "\n")
}

// keyLine writes key = value with the key's comments.
func (w *tomlWriter) keyLine(key, value string) {
	a := anchor{table: w.cur, key: key}
	w.leading(a, "")
	w.buf.WriteString(key + " = " + value + w.trailing(a) + "\n")
}

func (w *tomlWriter) str(key, value string) {
	w.keyLine(key, TOMLString(value))
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
		w.keyLine(key, "[]")
	case len(values) == 1 && !w.hasElementComments(key, values):
		w.mark(anchor{table: w.cur, key: key, elem: values[0], isElem: true})
		w.keyLine(key, "["+TOMLString(values[0])+"]")
	default:
		a := anchor{table: w.cur, key: key}
		w.leading(a, "")
		w.buf.WriteString(key + " = [" + w.trailing(a) + "\n")
		for _, v := range values {
			e := anchor{table: w.cur, key: key, elem: v, isElem: true}
			w.leading(e, "    ")
			w.buf.WriteString("    " + TOMLString(v) + "," + w.trailing(e) + "\n")
		}
		w.buf.WriteString("]\n")
	}
}
