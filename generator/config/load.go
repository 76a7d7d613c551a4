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
	// [kernel.NAME] table it came from, where the two differ (v1's ROCm
	// twins of cuda-hipify kernels); nil when every kernel has its own.
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
	data, err := readAtMost(f, MaxFileSize+1)
	if err != nil {
		return nil, fmt.Errorf("read build file: %w", err)
	}
	if len(data) > MaxFileSize {
		return nil, fmt.Errorf("%s is larger than %d MiB; refusing to read it (a build.toml is a few kilobytes)", path, MaxFileSize>>20)
	}
	return data, nil
}

// readAtMost reads f to its end or to limit bytes, whichever comes first.
// The buffer starts at the file's size, so a regular file takes one read
// instead of a growing buffer's dozens of reads and copies; pipes and
// special files, whose size says nothing, still stop at limit.
func readAtMost(f *os.File, limit int) ([]byte, error) {
	size := 512
	if info, err := f.Stat(); err == nil && info.Mode().IsRegular() && info.Size() < int64(limit) {
		size = int(info.Size()) + 1 // +1: room for the read that finds the end
	}
	data := make([]byte, 0, size)
	for len(data) < limit {
		if len(data) == cap(data) {
			data = append(data, 0)[:len(data)]
		}
		n, err := f.Read(data[len(data):min(cap(data), limit)])
		data = data[:len(data)+n]
		if err == io.EOF {
			return data, nil
		}
		if err != nil {
			return nil, err
		}
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
	l := &Loaded{
		Path:      path,
		Format:    format,
		Build:     build,
		KernelPos: kernelPositions(root, lines, build.Kernels, origins),
		doc:       &document{data: data, lines: lines, root: root, origins: origins},
	}
	return l, nil
}

// kernelPositions finds the table each kernel was read from. The tables
// are visited in document order, which keeps the cursor linear.
func kernelPositions(root *node, lines *lineIndex, kernels []Kernel, origins map[string]string) map[string]Position {
	type table struct {
		off    int
		kernel string
	}
	tables := root.get("kernel")
	found := make([]table, 0, len(kernels))
	pos := make(map[string]Position, len(kernels))
	for _, k := range kernels {
		origin := k.Name
		if o, ok := origins[k.Name]; ok {
			origin = o
		}
		if t := tables.get(origin); t != nil {
			found = append(found, table{t.off, k.Name})
		} else {
			pos[k.Name] = Position{}
		}
	}
	byOffset := func(a, b table) int { return a.off - b.off }
	if !slices.IsSortedFunc(found, byOffset) {
		slices.SortStableFunc(found, byOffset)
	}
	cursor := posCursor{x: lines}
	for _, t := range found {
		pos[t.kernel] = cursor.position(t.off)
	}
	return pos
}

// toErrors turns positioned problems into sorted diagnostics.
func toErrors(path string, lines *lineIndex, errs []posError) Errors {
	return Errors(toDiagnostics(path, lines, errs, Error))
}

// toDiagnostics sorts problems by position (then message) and drops exact
// duplicates, which arise when one table stands for several kernels.
func toDiagnostics(path string, lines *lineIndex, errs []posError, sev Severity) []Diagnostic {
	// Sorting small keys instead of the problems themselves moves no
	// strings: a big project without its sources has tens of thousands.
	type key struct{ off, i int }
	keys := make([]key, len(errs))
	for i, e := range errs {
		keys[i] = key{e.off, i}
	}
	slices.SortFunc(keys, func(a, b key) int {
		if a.off != b.off {
			return a.off - b.off
		}
		return strings.Compare(errs[a.i].msg, errs[b.i].msg)
	})
	diags := make([]Diagnostic, 0, len(errs))
	cursor := posCursor{x: lines}
	var last posError
	for n, k := range keys {
		e := errs[k.i]
		if n > 0 && e == last {
			continue
		}
		last = e
		pos := cursor.position(e.off)
		diags = append(diags, Diagnostic{Path: path, Line: pos.Line, Col: pos.Col, Severity: sev, Message: e.msg})
	}
	return diags
}
