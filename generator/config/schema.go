package config

// valueType is what a key of a build.toml table must hold.
type valueType uint8

const (
	typeString         valueType = iota
	typeBool                     // true or false
	typeStrings                  // array of strings
	typeVersion                  // string holding a version such as "12.8"
	typeTable                    // table described by keySpec.table
	typeTables                   // table of named tables, each described by keySpec.table
	typeUint                     // non-negative integer
	typeTableArray               // array of tables, each described by keySpec.table
	typeVersionOrTable           // version string, or a table described by keySpec.table
)

// expected names the type for messages ("must be an array of strings").
func (t valueType) expected() string {
	switch t {
	case typeString:
		return "a string"
	case typeBool:
		return "a boolean"
	case typeStrings:
		return "an array of strings"
	case typeVersion:
		return "a version string such as \"12.8\""
	case typeUint:
		return "a non-negative integer"
	case typeTableArray:
		return "an array of tables"
	case typeVersionOrTable:
		return "a version string such as \"2.10\" or a table of versions by backend"
	default:
		return "a table"
	}
}

// keySpec describes one key of a table: its name, type, whether it must be
// present and, for strings and arrays of strings, the allowed values.
type keySpec struct {
	name     string
	typ      valueType
	required bool
	values   *valueSet  // nil: any value
	table    *tableSpec // for typeTable, typeTables, typeTableArray, typeVersionOrTable
	// needs names the format a key of a newer format needs (v4 files
	// with edition 5 keys); such a key is always an error, with a hint.
	needs string
	// hint is added to a wrong-type message.
	hint string
}

// valueSet is a closed set of allowed string values, with the noun used in
// messages ("unknown backend ...").
type valueSet struct {
	noun  string
	names []string
	// renamed maps old names to their new ones, for hints that edit
	// distance cannot find (cutlass_sycl is sycl_tla now).
	renamed map[string]string
	// empty explains why names is empty (tpu has no python
	// dependencies).
	empty string
}

// tableSpec lists the keys a table accepts, in the order messages list
// them. A tagged table (kernels) also accepts the keys of the variant that
// its tag key selects.
type tableSpec struct {
	keys []keySpec
	tag  *tagSpec
}

// tagSpec describes a tagged union: the value of key selects extra keys.
type tagSpec struct {
	key      string
	variants map[string][]keySpec
	// order lists the variants in canonical order, so that the union of
	// keys is listed deterministically.
	order []string

	full  map[string][]keySpec // common keys plus the variant's, by tag
	union []keySpec            // common keys plus every variant's
}

// newTaggedTable builds a tagged tableSpec and precomputes the key list of
// each variant, so validating a kernel allocates nothing.
func newTaggedTable(common []keySpec, tag string, order []string, variants map[string][]keySpec) *tableSpec {
	t := &tagSpec{key: tag, variants: variants, order: order, full: map[string][]keySpec{}}
	t.union = append(t.union, common...)
	for _, v := range order {
		t.full[v] = append(append([]keySpec(nil), common...), variants[v]...)
		for _, k := range variants[v] {
			if findKey(t.union, k.name) == nil {
				t.union = append(t.union, k)
			}
		}
	}
	return &tableSpec{keys: common, tag: t}
}

// findKey returns the spec of name, or nil. Tables have at most a dozen
// keys, so a scan is as fast as a map.
func findKey(keys []keySpec, name string) *keySpec {
	for i := range keys {
		if keys[i].name == name {
			return &keys[i]
		}
	}
	return nil
}

func keyNames(keys []keySpec) []string {
	names := make([]string, len(keys))
	for i, k := range keys {
		names[i] = k.name
	}
	return names
}

// Value sets shared by v1–v3.
var (
	backendValues = &valueSet{noun: "backend", names: BackendNames()}
	dependValues  = &valueSet{noun: "dependency", names: DependencyNames(V3)}

	generalPythonValues = pythonValues(V3, "")
	cudaPythonValues    = pythonValues(V3, CUDA)
	xpuPythonValues     = pythonValues(V3, XPU)
)

// pythonValues is the set of python-depends values of one scope in format
// f.
func pythonValues(f Format, backend Backend) *valueSet {
	set := &valueSet{noun: "python dependency", names: PythonDependencyNames(f, backend)}
	if len(set.names) == 0 {
		set.empty = "no python dependencies are known for " + string(backend) + "; remove the key"
	}
	return set
}
