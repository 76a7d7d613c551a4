package config

import (
	"fmt"
	"os"
	"slices"
	"strings"
)

// Loaded is a successfully parsed build.toml.
type Loaded struct {
	Path   string
	Format Format
	Build  *Build
	// KernelPos maps every kernel of Build to the position of the table
	// that defines it (for the ROCm twin of a v1 cuda-hipify kernel, the
	// table of the CUDA kernel), for later messages about a kernel.
	KernelPos map[string]Position

	doc *document
}

// document is the positioned view of a loaded file, kept for Lint.
type document struct {
	data  []byte
	lines *lineIndex
	root  *node
	// origins maps each kernel of the Build to the name of the
	// [kernel.NAME] table it came from.
	origins map[string]string
}

// Load reads and parses the build.toml at path. Bad input gives an Errors
// value naming every problem with its position; I/O failures give a
// wrapped error.
func Load(path string) (*Loaded, error) {
	data, err := os.ReadFile(path)
	if err != nil {
		return nil, fmt.Errorf("reading build file: %w", err)
	}
	return Parse(path, data)
}

// Parse is Load for bytes already read; path is used in messages. The
// format is detected (v1, then v2, then v3) and the build converted to the
// internal model.
func Parse(path string, data []byte) (*Loaded, error) {
	lines := newLineIndex(data)
	root, errs := parseTree(data)
	if len(errs) > 0 {
		return nil, toErrors(path, lines, errs)
	}
	format, errs := detect(root)
	if len(errs) > 0 {
		return nil, toErrors(path, lines, errs)
	}
	var build *Build
	var origins map[string]string
	switch format {
	case V1:
		build, origins, errs = decodeV1(root).build()
		if len(errs) > 0 {
			return nil, toErrors(path, lines, errs)
		}
	case V2:
		build = decodeV2(root).build()
	default:
		build = decodeV3(root)
	}
	if origins == nil {
		origins = make(map[string]string, len(build.Kernels))
		for _, k := range build.Kernels {
			origins[k.Name] = k.Name
		}
	}
	l := &Loaded{
		Path:      path,
		Format:    format,
		Build:     build,
		KernelPos: make(map[string]Position, len(build.Kernels)),
		doc:       &document{data: data, lines: lines, root: root, origins: origins},
	}
	// Tables come in document order, which keeps the cursor linear.
	tablePos := map[string]Position{}
	cursor := posCursor{x: lines}
	root.namedTables("kernel", func(name string, t *node) {
		tablePos[name] = cursor.position(t.off)
	})
	for _, k := range build.Kernels {
		l.KernelPos[k.Name] = tablePos[origins[k.Name]]
	}
	return l, nil
}

// toErrors turns positioned problems into sorted diagnostics.
func toErrors(path string, lines *lineIndex, errs []posError) Errors {
	return Errors(toDiagnostics(path, lines, errs, Error))
}

// toDiagnostics sorts problems by position (then message) and drops exact
// duplicates, which arise when one table stands for several kernels.
func toDiagnostics(path string, lines *lineIndex, errs []posError, sev Severity) []Diagnostic {
	slices.SortFunc(errs, func(a, b posError) int {
		if a.off != b.off {
			return a.off - b.off
		}
		return strings.Compare(a.msg, b.msg)
	})
	errs = slices.Compact(errs)
	diags := make([]Diagnostic, len(errs))
	cursor := posCursor{x: lines}
	for i, e := range errs {
		pos := cursor.position(e.off)
		diags[i] = Diagnostic{Path: path, Line: pos.Line, Col: pos.Col, Severity: sev, Message: e.msg}
	}
	return diags
}
