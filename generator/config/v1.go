package config

import "slices"

// v1Build is a v1 build.toml: [general] holds only the name, universal
// lives in [torch], and kernels have a language instead of a backend.
type v1Build struct {
	Name    string
	Torch   *v1Torch
	Kernels []v1Kernel
}

// v1Torch is the v1 [torch] table.
type v1Torch struct {
	Src, Include, PyExt []string
	Universal           bool
}

// v1Kernel is a v1 [kernel.NAME] table.
type v1Kernel struct {
	Name             string
	Language         string // cuda, cuda-hipify or metal
	CUDACapabilities []string
	ROCmArchs        []string
	Depends          []string
	Include          []string
	Src              []string
	off              int // table position, for conversion errors
}

// The v1 kernel languages.
const (
	langCUDA       = "cuda"
	langCUDAHipify = "cuda-hipify"
	langMetal      = "metal"
)

var languageValues = &valueSet{noun: "language", names: []string{langCUDA, langCUDAHipify, langMetal}}

// v1Spec is a whole v1 document.
var v1Spec = &tableSpec{keys: []keySpec{
	{name: "general", typ: typeTable, required: true, table: &tableSpec{keys: []keySpec{
		{name: "name", typ: typeString, required: true},
	}}},
	{name: "torch", typ: typeTable, table: &tableSpec{keys: []keySpec{
		{name: "src", typ: typeStrings},
		{name: "include", typ: typeStrings},
		{name: "pyext", typ: typeStrings},
		{name: "universal", typ: typeBool},
	}}},
	{name: "kernel", typ: typeTables, table: &tableSpec{keys: []keySpec{
		{name: "depends", typ: typeStrings, required: true, values: dependValues},
		{name: "src", typ: typeStrings, required: true},
		{name: "include", typ: typeStrings},
		{name: "language", typ: typeString, values: languageValues},
		{name: "cuda-capabilities", typ: typeStrings},
		{name: "rocm-archs", typ: typeStrings},
	}}},
}}

// decodeV1 reads a document that validated against v1Spec.
func decodeV1(root *node) v1Build {
	b := v1Build{Name: root.get("general").stringAt("name")}
	if t := root.get("torch"); t != nil {
		b.Torch = &v1Torch{
			Src:       t.listAt("src"),
			Include:   t.listAt("include"),
			PyExt:     t.listAt("pyext"),
			Universal: t.boolAt("universal"),
		}
	}
	root.namedTables("kernel", func(name string, t *node) {
		lang := t.stringAt("language")
		if lang == "" {
			lang = langCUDA
		}
		b.Kernels = append(b.Kernels, v1Kernel{
			Name:             name,
			Language:         lang,
			CUDACapabilities: t.exactListAt("cuda-capabilities"),
			ROCmArchs:        t.listAt("rocm-archs"),
			Depends:          t.listAt("depends"),
			Include:          t.listAt("include"),
			Src:              t.listAt("src"),
			off:              t.off,
		})
	})
	return b
}

// build converts to the internal model. Each kernel becomes a CUDA kernel,
// except that metal kernels become Metal kernels (the reference makes them
// CUDA kernels; docs/design.md, "v1 Metal kernels stay Metal"); cuda-hipify kernels also get a ROCm twin named
// NAME_rocm. origins maps every kernel to the table it came from.
func (v v1Build) build() (b *Build, origins map[string]string, errs []posError) {
	b = &Build{General: General{Name: v.Name}}
	origins = make(map[string]string, len(v.Kernels))
	for _, k := range v.Kernels {
		origins[k.Name] = k.Name
	}
	for _, k := range v.Kernels {
		kernel := Kernel{Name: k.Name, Backend: CUDA, Depends: k.Depends, Include: k.Include, Src: k.Src}
		switch k.Language {
		case langMetal:
			kernel.Backend = Metal
		default:
			kernel.CUDACapabilities = k.CUDACapabilities
		}
		b.Kernels = append(b.Kernels, kernel)
		if k.Language != langCUDAHipify {
			continue
		}
		twin := k.Name + "_rocm"
		if _, taken := origins[twin]; taken {
			errs = append(errs, posError{off: k.off, msg: "cannot add ROCm kernel " + TOMLString(twin) + " for cuda-hipify kernel " + tableName([]string{"kernel", k.Name}) + ": a kernel of that name already exists; rename one of them"})
			continue
		}
		origins[twin] = k.Name
		b.Kernels = append(b.Kernels, Kernel{
			Name:      twin,
			Backend:   ROCm,
			Depends:   slices.Clone(k.Depends),
			Include:   slices.Clone(k.Include),
			Src:       slices.Clone(k.Src),
			ROCmArchs: k.ROCmArchs,
		})
	}
	universal := false
	if v.Torch != nil {
		universal = v.Torch.Universal
		b.Torch = &Torch{Src: v.Torch.Src, Include: v.Torch.Include, PyExt: v.Torch.PyExt}
	}
	b.General.Backends = derivedBackends(universal, b.Kernels)
	b.SortKernels()
	return b, origins, errs
}
