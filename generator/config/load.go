package config

import (
	"bytes"
	"fmt"
	"io"
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
	data, err := ReadFile(path)
	if err != nil {
		return nil, err
	}
	return Parse(path, data)
}

// MaxFileSize is the largest build.toml read. Real files are a few
// kilobytes; a runaway one would otherwise cost gigabytes of memory.
const MaxFileSize = 16 << 20

// ReadFile reads a build.toml, refusing files above MaxFileSize before
// reading them whole.
func ReadFile(path string) ([]byte, error) {
	f, err := os.Open(path)
	if err != nil {
		return nil, fmt.Errorf("read build file: %w", err)
	}
	defer f.Close()
	data, err := io.ReadAll(io.LimitReader(f, MaxFileSize+1))
	if err != nil {
		return nil, fmt.Errorf("read build file: %w", err)
	}
	if len(data) > MaxFileSize {
		return nil, fmt.Errorf("%s is larger than %d MiB; refusing to read it (a build.toml is a few kilobytes)", path, MaxFileSize>>20)
	}
	return data, nil
}

// utf8BOM is the byte order mark some Windows editors put at the start of
// UTF-8 files.
var utf8BOM = []byte{0xEF, 0xBB, 0xBF}

// Parse is Load for bytes already read; path is used in messages. The
// format is detected (edition 5 by general.edition, else v4, v1, v2, v3)
// and the build converted to the internal model.
func Parse(path string, data []byte) (*Loaded, error) {
	return parse(path, data, false)
}

// ParseForUpdate is Parse as update-build reads a file: a v4 general.name
// that today's pattern refuses (kernels-community's v4 files once had
// "layer_norm") is read as v1–v3 names are, a Python package name with
// "-" as "_", so that ToEdition5 renames it as it renames theirs. Every
// other command refuses such a file.
func ParseForUpdate(path string, data []byte) (*Loaded, error) {
	return parse(path, data, true)
}

// parse is Parse; oldV4Names reads v4 names as ParseForUpdate does.
func parse(path string, data []byte, oldV4Names bool) (*Loaded, error) {
	// A byte order mark is invisible in editors, so dropping it keeps
	// every line and column as the user sees them.
	data = bytes.TrimPrefix(data, utf8BOM)
	lines := newLineIndex(data)
	root, errs := parseTree(data)
	if len(errs) > 0 {
		return nil, toErrors(path, lines, errs)
	}
	// Rules beyond the schema are checked even when the schema finds
	// problems, so that one run reports everything.
	format, errs := detect(root)
	switch {
	case format == V4 && oldV4Names, format > 0 && format < V4:
		errs = append(errs, checkLegacyName(root)...)
	case format >= V4:
		errs = append(errs, checkName(root)...)
	}
	if format >= V4 {
		errs = append(errs, checkNewFormat(root)...)
	}
	errs = append(errs, checkUpstream(root)...)
	errs = append(errs, checkCMakeValues(root)...)
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
	case V3:
		build = decodeV3(root)
	default:
		build = decodeNew(root)
	}
	if build.Framework == "" {
		build.Framework = FrameworkTorch
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
