package config

import "slices"

// v2Build is a v2 build.toml: [general] has universal and cuda-minver /
// cuda-maxver instead of backends and [general.cuda]; [torch] and the
// kernels are as in v3.
type v2Build struct {
	General v2General
	Torch   *Torch
	Kernels []Kernel
}

// v2General is the v2 [general] table.
type v2General struct {
	Name          string
	Universal     bool
	CUDAMinVer    Version
	CUDAMaxVer    Version
	Hub           *Hub
	PythonDepends []string
}

// v2PythonValues are the python-depends values v2 knows; they live in one
// list in v2 and are split by backend when converting.
var v2PythonValues = &valueSet{noun: "python dependency", names: []string{"einops", "nvidia-cutlass-dsl"}}

// v2Spec is a whole v2 document.
var v2Spec = &tableSpec{keys: []keySpec{
	{name: "general", typ: typeTable, required: true, table: &tableSpec{keys: []keySpec{
		{name: "name", typ: typeString, required: true},
		{name: "universal", typ: typeBool},
		{name: "cuda-minver", typ: typeVersion},
		{name: "cuda-maxver", typ: typeVersion},
		{name: "hub", typ: typeTable, table: hubSpec},
		{name: "python-depends", typ: typeStrings, values: v2PythonValues},
	}}},
	{name: "torch", typ: typeTable, table: torchSpec},
	{name: "kernel", typ: typeTables, table: kernelSpec},
}}

// decodeV2 reads a document that validated against v2Spec.
func decodeV2(root *node) v2Build {
	g := root.get("general")
	return v2Build{
		General: v2General{
			Name:          g.stringAt("name"),
			Universal:     g.boolAt("universal"),
			CUDAMinVer:    g.versionAt("cuda-minver"),
			CUDAMaxVer:    g.versionAt("cuda-maxver"),
			Hub:           g.hubAt("hub"),
			PythonDepends: g.listAt("python-depends"),
		},
		Torch:   decodeTorch(root.get("torch")),
		Kernels: decodeKernels(root),
	}
}

// build converts to the internal model. Unlike the reference, which drops
// v2 python-depends (docs/design.md, "v2 Python dependencies are kept"),
// each value goes to the scope that v3 gives
// it: general ones to [general], CUDA ones to [general.cuda].
func (v v2Build) build() *Build {
	b := &Build{
		General: General{Name: v.General.Name, Hub: v.General.Hub},
		Torch:   v.Torch,
		Kernels: v.Kernels,
	}
	var cudaDeps []string
	for _, d := range v.General.PythonDepends {
		if _, ok := LookupPythonDependency(CUDA, d); ok {
			cudaDeps = append(cudaDeps, d)
		} else {
			b.General.PythonDepends = append(b.General.PythonDepends, d)
		}
	}
	if v.General.CUDAMinVer != nil || v.General.CUDAMaxVer != nil || cudaDeps != nil {
		b.General.CUDA = &CUDAGeneral{MinVer: v.General.CUDAMinVer, MaxVer: v.General.CUDAMaxVer, PythonDepends: cudaDeps}
	}
	b.General.Backends = derivedBackends(v.General.Universal, b.Kernels)
	b.SortKernels()
	return b
}

// derivedBackends gives v1 and v2 builds their backends: all of them for
// universal builds, else those of the kernels.
func derivedBackends(universal bool, kernels []Kernel) []Backend {
	if universal {
		return slices.Clone(Backends)
	}
	var bs []Backend
	for _, k := range kernels {
		bs = append(bs, k.Backend)
	}
	if len(bs) == 0 {
		return nil
	}
	return SortBackends(bs)
}
