package config

// The v3 format is the current one, and the internal Build mirrors it, so
// the v3 "format structs" are Build, General, Torch and Kernel themselves;
// this file holds the v3 schema and the reading of a v3 document.

// hubSpec is [general.hub] (v2 and v3).
var hubSpec = &tableSpec{keys: []keySpec{
	{name: "repo-id", typ: typeString},
	{name: "branch", typ: typeString},
}}

// torchSpec is [torch] in v2 and v3.
var torchSpec = &tableSpec{keys: []keySpec{
	{name: "src", typ: typeStrings},
	{name: "include", typ: typeStrings},
	{name: "pyext", typ: typeStrings},
	{name: "minver", typ: typeVersion},
	{name: "maxver", typ: typeVersion},
}}

// kernelSpec is [kernel.NAME] in v2 and v3.
var kernelSpec = newKernelSpec(dependValues)

// newKernelSpec builds [kernel.NAME] (v2 to edition 5): a union tagged by
// backend. In every format every variant requires depends and src; the
// formats differ in the dependencies they know.
func newKernelSpec(depends *valueSet) *tableSpec {
	return newTaggedTable(
		[]keySpec{
			{name: "backend", typ: typeString, required: true, values: backendValues},
			{name: "depends", typ: typeStrings, required: true, values: depends},
			{name: "src", typ: typeStrings, required: true},
			{name: "include", typ: typeStrings},
			{name: "cxx-flags", typ: typeStrings},
		},
		"backend",
		BackendNames(),
		map[string][]keySpec{
			string(CUDA): {
				{name: "cuda-capabilities", typ: typeStrings},
				{name: "cuda-flags", typ: typeStrings},
				{name: "cuda-minver", typ: typeVersion},
			},
			string(ROCm): {
				{name: "rocm-archs", typ: typeStrings},
				{name: "hip-flags", typ: typeStrings},
			},
			string(XPU): {
				{name: "sycl-flags", typ: typeStrings},
			},
		},
	)
}

// v3Spec is a whole v3 document. Besides the early-2026 keys it takes the
// optional keys today's tool added to v3 before v4 existed (version,
// license, upstream, [general.neuron], [tvm-ffi]), so that the v3 files
// kernels wrote in 2026 still load; early-2026 files are unaffected.
var v3Spec = &tableSpec{keys: []keySpec{
	{name: "general", typ: typeTable, required: true, table: &tableSpec{keys: []keySpec{
		{name: "name", typ: typeString, required: true},
		{name: "backends", typ: typeStrings, required: true, values: backendValues},
		{name: "python-depends", typ: typeStrings, values: generalPythonValues},
		{name: "hub", typ: typeTable, table: hubSpec},
		{name: "cuda", typ: typeTable, table: &tableSpec{keys: []keySpec{
			{name: "minver", typ: typeVersion},
			{name: "maxver", typ: typeVersion},
			{name: "python-depends", typ: typeStrings, values: cudaPythonValues},
		}}},
		{name: "xpu", typ: typeTable, table: &tableSpec{keys: []keySpec{
			{name: "python-depends", typ: typeStrings, values: xpuPythonValues},
		}}},
		{name: "version", typ: typeUint},
		{name: "license", typ: typeString},
		{name: "upstream", typ: typeString},
		{name: "neuron", typ: typeTable, table: &tableSpec{keys: []keySpec{
			{name: "python-depends", typ: typeStrings, values: pythonValues(V3, Neuron)},
		}}},
	}}},
	{name: "torch", typ: typeTable, table: torchSpec},
	{name: "tvm-ffi", typ: typeTable, table: &tableSpec{keys: []keySpec{
		{name: "src", typ: typeStrings, required: true},
		{name: "include", typ: typeStrings},
		{name: "pyext", typ: typeStrings},
	}}},
	{name: "kernel", typ: typeTables, table: kernelSpec},
}}

// decodeV3 reads a document that validated against v3Spec.
func decodeV3(root *node) *Build {
	b := &Build{
		General: decodeGeneral(root.get("general")),
		Torch:   decodeTorch(root.get("torch")),
		Kernels: decodeKernels(root),
	}
	if t := root.get("tvm-ffi"); t != nil {
		b.Framework = FrameworkTVMFFI
		b.TVMFFI = &TVMFFI{Src: t.listAt("src"), Include: t.listAt("include"), PyExt: t.listAt("pyext")}
	}
	b.SortKernels()
	return b
}

// backendsOf converts validated backend names to canonical order.
func backendsOf(names []string) []Backend {
	bs := make([]Backend, len(names))
	for i, n := range names {
		bs[i] = Backend(n)
	}
	if len(bs) == 0 {
		return nil
	}
	return SortBackends(bs)
}

// decodeTorch reads [torch] (v2 and v3); nil when absent.
func decodeTorch(t *node) *Torch {
	if t == nil {
		return nil
	}
	return &Torch{
		Src:     t.listAt("src"),
		Include: t.listAt("include"),
		PyExt:   t.listAt("pyext"),
		MinVer:  t.versionAt("minver"),
		MaxVer:  t.versionAt("maxver"),
	}
}

// decodeKernels reads the [kernel.NAME] tables of v2 and v3, unsorted.
func decodeKernels(root *node) []Kernel {
	var ks []Kernel
	if t := root.get("kernel"); t != nil && len(t.fields()) > 0 {
		ks = make([]Kernel, 0, len(t.fields()))
	}
	root.namedTables("kernel", func(name string, t *node) {
		ks = append(ks, Kernel{
			Name:     name,
			Backend:  Backend(t.stringAt("backend")),
			Depends:  t.listAt("depends"),
			Src:      t.listAt("src"),
			Include:  t.listAt("include"),
			CXXFlags: t.listAt("cxx-flags"),
			// An empty list of capabilities is not "unset": it asks for
			// none, which the generated CMake reports.
			CUDACapabilities: t.exactListAt("cuda-capabilities"),
			CUDAFlags:        t.listAt("cuda-flags"),
			CUDAMinVer:       t.versionAt("cuda-minver"),
			ROCmArchs:        t.listAt("rocm-archs"),
			HIPFlags:         t.listAt("hip-flags"),
			SYCLFlags:        t.listAt("sycl-flags"),
		})
	})
	return ks
}
