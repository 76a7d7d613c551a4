package config

import (
	"fmt"
	"net/url"
	"regexp"
	"slices"
	"strings"
)

// The v4 format and edition 5 share one schema, built by newFormatSpec:
// edition 5 adds general.edition, kernel-depends, [general.tpu] and a
// per-backend torch.stable-abi table. Both read into the same Build.

// allBackendValues are the backends general.backends may name in v4 and
// edition 5.
var allBackendValues = func() *valueSet {
	names := make([]string, len(AllBackends))
	for i, b := range AllBackends {
		names[i] = string(b)
	}
	return &valueSet{noun: "backend", names: names}
}()

// newDependValues are the kernel dependencies of v4 and edition 5;
// cutlass_sycl gets a hint to its new name.
var newDependValues = &valueSet{noun: "dependency", names: DependencyNames(V4), renamed: renamedDependencies()}

func renamedDependencies() map[string]string {
	m := map[string]string{}
	for _, d := range Dependencies {
		if d.SameAs != "" {
			m[d.SameAs] = d.Name
		}
	}
	return m
}

// v4Spec and edition5Spec are whole documents of the two new formats.
var (
	v4Spec       = newFormatSpec(V4)
	edition5Spec = newFormatSpec(Edition5)
)

// newFormatSpec builds the schema of v4 or edition 5. In v4 the keys that
// only edition 5 knows are listed with needs set, so that using one says
// what to add instead of "unknown key".
func newFormatSpec(f Format) *tableSpec {
	e5 := func(ks keySpec) keySpec {
		if f < Edition5 {
			ks.needs = "edition 5"
			ks.required = false
		}
		return ks
	}
	kernelDepends := e5(keySpec{name: "kernel-depends", typ: typeTableArray, table: &tableSpec{keys: []keySpec{
		{name: "repo-id", typ: typeString, required: true},
		{name: "version", typ: typeUint},
		{name: "revision", typ: typeString},
	}}})
	python := func(b Backend) keySpec {
		return keySpec{name: "python-depends", typ: typeStrings, values: pythonValues(f, b)}
	}
	stableABI := keySpec{name: "stable-abi", typ: typeVersion,
		hint: "; a table of versions by backend needs edition 5 (add `edition = 5` to [general])"}
	if f >= Edition5 {
		byBackend := make([]keySpec, len(AllBackends))
		for i, b := range AllBackends {
			byBackend[i] = keySpec{name: string(b), typ: typeVersion}
		}
		stableABI = keySpec{name: "stable-abi", typ: typeVersionOrTable, table: &tableSpec{keys: byBackend}}
	}
	general := []keySpec{
		{name: "name", typ: typeString, required: true},
		{name: "version", typ: typeUint, required: true},
		e5(keySpec{name: "edition", typ: typeUint, required: true}),
		{name: "license", typ: typeString, required: true},
		{name: "upstream", typ: typeString},
		{name: "source", typ: typeString},
		{name: "backends", typ: typeStrings, required: true, values: allBackendValues},
		{name: "cuda", typ: typeTable, table: &tableSpec{keys: []keySpec{
			{name: "minver", typ: typeVersion},
			{name: "maxver", typ: typeVersion},
			kernelDepends,
			python(CUDA),
		}}},
		{name: "hub", typ: typeTable, table: hubSpec},
		kernelDepends,
		{name: "neuron", typ: typeTable, table: &tableSpec{keys: []keySpec{kernelDepends, python(Neuron)}}},
		python(""),
		e5(keySpec{name: "tpu", typ: typeTable, table: &tableSpec{keys: []keySpec{python(TPU)}}}),
		{name: "xpu", typ: typeTable, table: &tableSpec{keys: []keySpec{kernelDepends, python(XPU)}}},
	}
	if f < Edition5 {
		// v4 has no edition key at all: a file with one is edition 5.
		general = slices.DeleteFunc(general, func(ks keySpec) bool { return ks.name == "edition" })
	}
	return &tableSpec{keys: []keySpec{
		{name: "general", typ: typeTable, required: true, table: &tableSpec{keys: general}},
		{name: "torch", typ: typeTable, table: &tableSpec{keys: []keySpec{
			{name: "src", typ: typeStrings},
			{name: "include", typ: typeStrings},
			{name: "pyext", typ: typeStrings},
			{name: "minver", typ: typeVersion},
			{name: "maxver", typ: typeVersion},
			{name: "cxx-flags", typ: typeStrings},
			stableABI,
		}}},
		// Today's tool reads these two keys in snake_case only; the
		// kebab spelling every other key uses is accepted too.
		{name: "torch-noarch", typ: typeTable, table: &tableSpec{keys: []keySpec{
			{name: "pyext", typ: typeStrings},
			{name: "cuda_capabilities", typ: typeStrings},
			{name: "rocm_archs", typ: typeStrings},
			{name: "cuda-capabilities", typ: typeStrings},
			{name: "rocm-archs", typ: typeStrings},
		}}},
		{name: "tvm-ffi", typ: typeTable, table: &tableSpec{keys: []keySpec{
			{name: "src", typ: typeStrings, required: true},
			{name: "include", typ: typeStrings},
			{name: "pyext", typ: typeStrings},
			{name: "cxx-flags", typ: typeStrings},
		}}},
		{name: "kernel", typ: typeTables, table: newKernelSpec(newDependValues)},
	}}
}

// frameworkTables are the framework tables of v4 and edition 5, of which a
// file has exactly one.
var frameworkTables = []string{"torch", "torch-noarch", "tvm-ffi"}

// kernelNamePattern is the rule today's tool applies to general.name.
var kernelNamePattern = regexp.MustCompile(`^[a-z][-a-z0-9]*[a-z0-9]$`)

// nameRule says what kernelNamePattern means, for messages.
const nameRule = "use lowercase letters, digits and dashes, starting with a letter and ending with a letter or digit, at least 2 characters (such as \"my-kernel\")"

// checkName applies the name pattern of v4 and edition 5.
func checkName(root *node) []posError {
	n := root.get("general").get("name")
	if n == nil || n.kind != nodeString || kernelNamePattern.MatchString(n.str) {
		return nil
	}
	return []posError{{off: n.off, msg: fmt.Sprintf("invalid kernel name %s in [general]: %s", TOMLString(n.str), nameRule)}}
}

// checkNewFormat applies the other rules of v4 and edition 5 that a schema
// cannot express: git URLs, one framework table, version or revision in
// kernel-depends, one spelling per noarch key.
func checkNewFormat(root *node) []posError {
	var errs []posError
	fail := func(off int, format string, args ...any) {
		errs = append(errs, posError{off: off, msg: fmt.Sprintf(format, args...)})
	}
	g := root.get("general")
	if n := g.get("license"); n != nil && n.kind == nodeString && strings.TrimSpace(n.str) == "" {
		fail(n.off, "empty \"license\" in [general]; give the kernel's license, such as \"Apache-2.0\"")
	}
	var found []*node
	var names []string
	for _, t := range frameworkTables {
		if n := root.get(t); n != nil && n.kind == nodeTable {
			found, names = append(found, n), append(names, "["+t+"]")
		}
	}
	switch len(found) {
	case 0:
		fail(0, "missing framework table: add one of [torch], [torch-noarch] or [tvm-ffi]")
	case 1:
	default:
		fail(found[1].off, "only one framework table is allowed, found %s; keep one of them", strings.Join(names, " and "))
	}
	if t := root.get("torch-noarch"); t != nil {
		for _, pair := range [][2]string{{"cuda_capabilities", "cuda-capabilities"}, {"rocm_archs", "rocm-archs"}} {
			if t.kind == nodeTable && t.get(pair[0]) != nil && t.get(pair[1]) != nil {
				fail(t.get(pair[1]).keyOff, "%s and %s in [torch-noarch] are the same key; keep %s",
					TOMLString(pair[0]), TOMLString(pair[1]), TOMLString(pair[0]))
			}
		}
	}
	for _, scope := range [][]string{{"general"}, {"general", "cuda"}, {"general", "neuron"}, {"general", "xpu"}} {
		t := root
		for _, p := range scope {
			t = t.get(p)
		}
		deps := t.get("kernel-depends")
		if deps == nil || deps.kind != nodeArray {
			continue
		}
		path := childPath(scope, "kernel-depends")
		for _, d := range deps.elems() {
			if d.kind != nodeTable {
				continue
			}
			hasVersion, hasRevision := d.get("version") != nil, d.get("revision") != nil
			if r := d.get("revision"); r != nil && r.kind == nodeString && r.str == "" {
				fail(r.off, "empty \"revision\" in kernel dependency %s %s; give a git revision or use \"version\"", TOMLString(d.stringAt("repo-id")), where(path))
			}
			if r := d.get("repo-id"); r != nil && r.kind == nodeString && r.str == "" {
				fail(r.off, "empty \"repo-id\" in a kernel dependency %s; give the Hub repository, such as \"kernels-community/relu\"", where(path))
			}
			switch {
			case hasVersion && hasRevision:
				fail(d.get("revision").keyOff, "kernel dependency %s %s has both \"version\" and \"revision\"; keep one",
					TOMLString(d.stringAt("repo-id")), where(path))
			case !hasVersion && !hasRevision:
				fail(d.off, "kernel dependency %s %s needs \"version\" (an integer) or \"revision\" (a git revision)",
					TOMLString(d.stringAt("repo-id")), where(path))
			}
		}
	}
	return errs
}

// gitSchemes are the URL schemes today's tool accepts in git URLs.
var gitSchemes = []string{"https", "http", "git", "ssh", "git+ssh", "git+https", "git+http"}

// checkGitURL accepts what today's tool accepts as a git URL: a URL with
// one of gitSchemes, or scp-like user@host:path with a relative path.
func checkGitURL(s string) error {
	if u, err := url.Parse(s); err == nil && u.Scheme != "" && (u.Host != "" || u.Opaque == "") && strings.Contains(s, "://") {
		if !slices.Contains(gitSchemes, strings.ToLower(u.Scheme)) {
			return fmt.Errorf("unsupported scheme %s in git URL %s; expected one of %s", TOMLString(u.Scheme), TOMLString(s), strings.Join(gitSchemes, ", "))
		}
		if u.Host == "" {
			return fmt.Errorf("git URL %s has no host", TOMLString(s))
		}
		return nil
	}
	host, path, ok := strings.Cut(s, ":")
	if ok && host != "" && path != "" && !strings.HasPrefix(path, "/") && !strings.ContainsAny(host, "/ \t") && !strings.ContainsAny(path, " \t") {
		return nil
	}
	return fmt.Errorf("%s is not a git URL; use https://host/org/repo.git or git@host:org/repo.git", TOMLString(s))
}

// decodeGeneral reads [general] of v3 (with the keys today's tool added to
// it), v4 and edition 5. A format's schema rejects the keys it lacks, so
// they read as absent.
func decodeGeneral(g *node) General {
	gen := General{
		Name:          g.stringAt("name"),
		Version:       g.uintAt("version"),
		License:       g.stringAt("license"),
		Upstream:      g.stringAt("upstream"),
		Source:        g.stringAt("source"),
		Backends:      backendsOf(g.listAt("backends")),
		Hub:           g.hubAt("hub"),
		PythonDepends: g.listAt("python-depends"),
		KernelDepends: kernelDependsAt(g),
	}
	if c := g.get("cuda"); c != nil {
		gen.CUDA = &CUDAGeneral{
			MinVer:        c.versionAt("minver"),
			MaxVer:        c.versionAt("maxver"),
			PythonDepends: c.listAt("python-depends"),
			KernelDepends: kernelDependsAt(c),
		}
	}
	if x := g.get("xpu"); x != nil {
		gen.XPU = &XPUGeneral{PythonDepends: x.listAt("python-depends"), KernelDepends: kernelDependsAt(x)}
	}
	if n := g.get("neuron"); n != nil {
		gen.Neuron = &NeuronGeneral{PythonDepends: n.listAt("python-depends"), KernelDepends: kernelDependsAt(n)}
	}
	if t := g.get("tpu"); t != nil {
		gen.TPU = &TPUGeneral{PythonDepends: t.listAt("python-depends")}
	}
	return gen
}

// decodeNew reads a document that validated against v4Spec or
// edition5Spec.
func decodeNew(root *node) *Build {
	b := &Build{General: decodeGeneral(root.get("general")), Kernels: decodeKernels(root)}
	switch {
	case root.get("torch") != nil:
		t := root.get("torch")
		b.Framework, b.Torch = FrameworkTorch, decodeTorch(t)
		b.Torch.CXXFlags = t.listAt("cxx-flags")
		if s := t.get("stable-abi"); s != nil {
			if s.kind == nodeTable {
				b.Torch.StableABI = &StableABI{PerBackend: map[Backend]Version{}}
				for _, e := range s.fields() {
					b.Torch.StableABI.PerBackend[Backend(e.key)] = s.versionAt(e.key)
				}
			} else {
				b.Torch.StableABI = &StableABI{All: t.versionAt("stable-abi")}
			}
		}
	case root.get("torch-noarch") != nil:
		t := root.get("torch-noarch")
		b.Framework = FrameworkTorchNoarch
		b.TorchNoarch = &TorchNoarch{
			PyExt:            t.listAt("pyext"),
			CUDACapabilities: firstList(t, "cuda_capabilities", "cuda-capabilities"),
			ROCmArchs:        firstList(t, "rocm_archs", "rocm-archs"),
		}
	case root.get("tvm-ffi") != nil:
		t := root.get("tvm-ffi")
		b.Framework = FrameworkTVMFFI
		b.TVMFFI = &TVMFFI{
			Src:      t.listAt("src"),
			Include:  t.listAt("include"),
			PyExt:    t.listAt("pyext"),
			CXXFlags: t.listAt("cxx-flags"),
		}
	}
	b.SortKernels()
	return b
}

// firstList reads the first of two spellings of a list key.
func firstList(t *node, keys ...string) []string {
	for _, k := range keys {
		if t.get(k) != nil {
			return t.listAt(k)
		}
	}
	return nil
}

// uintAt returns the unsigned integer value of key, or nil when absent.
func (n *node) uintAt(key string) *uint64 {
	v := n.get(key)
	if v == nil || v.kind != nodeInteger {
		return nil
	}
	u, err := parseUint(v.str)
	if err != nil {
		return nil
	}
	return &u
}

// kernelDependsAt reads the kernel-depends of table t.
func kernelDependsAt(t *node) []KernelDependency {
	v := t.get("kernel-depends")
	if v == nil || v.kind != nodeArray {
		return nil
	}
	var deps []KernelDependency
	for _, item := range v.elems() {
		deps = append(deps, KernelDependency{
			RepoID:   item.stringAt("repo-id"),
			Version:  item.uintAt("version"),
			Revision: item.stringAt("revision"),
		})
	}
	return deps
}
