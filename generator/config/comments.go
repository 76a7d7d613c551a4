package config

import (
	"bytes"
	"slices"
	"strings"
)

// Layout is what update-build keeps of the file it converts besides the
// settings: its comments, each tied to the table, key or element it
// belongs to, and the text of its arrays, which is written back as it was
// (indentation, quotes, comments inside) when the conversion leaves the
// array's values as they are.
type Layout struct {
	data   []byte
	groups []*commentGroup
	// arrays maps a key, named as in the newest format, to the array the
	// file gives it.
	arrays map[anchor]*node
	// hasComments marks the arrays with comments inside them.
	hasComments map[*node]bool
	// anchors counts the anchors of the file, to size maps.
	anchors int
}

// anchor names a place in a build.toml independently of its format:
// a table header (key empty), a key of a table, or one element of a key's
// array (elem set).
type anchor struct {
	table string // dotted table path; "" is the top level
	key   string
	elem  string
	// isElem tells an element anchor from a key anchor even for "".
	isElem bool
}

// commentPlace says where a group goes relative to its anchor.
type commentPlace uint8

const (
	// placeBefore: the comment lines come right before the anchor.
	placeBefore commentPlace = iota
	// placeAfter: a trailing comment on the anchor's own line.
	placeAfter
	// placeEnd: comment lines that close the anchor: after a table's
	// last key, before an array's closing bracket, after an element's
	// line.
	placeEnd
	// placeTop: the file's opening comments, before everything else.
	placeTop
	// placeBottom: comments after everything else in the file.
	placeBottom
)

// commentGroup is a run of comment lines (or one trailing comment).
type commentGroup struct {
	at    anchor
	place commentPlace
	lines []string // each starts with '#'
	// blankAfter records a blank line between the group and what follows,
	// such as a file's opening comment block.
	blankAfter bool
	// array is the array the comment is written in, if any: writing that
	// array's text writes the comment.
	array *node
	// afterClose marks a trailing comment written after the closing
	// bracket of its key's array.
	afterClose bool
	// gap is the blank space before a trailing comment, kept as written.
	gap     string
	written bool
}

// Layout returns what update-build keeps of the loaded file, tied to
// anchors in the newest format: keys and tables that update-build renames
// carry their comments along.
func (l *Loaded) Layout() *Layout {
	if l.doc == nil || l.doc.data == nil {
		return &Layout{}
	}
	return newLayout(l.doc.data, l.doc.root, l.Format)
}

// anchorAt is an anchor and the offset of what it names in the source.
type anchorAt struct {
	off int
	at  anchor
}

// container is an array or inline table that spans lines, with the anchor
// its comments fall back to: an array's key, an inline table's table, an
// inline table element of an array (kernel-depends) itself.
type container struct {
	start, end int
	at         anchor
	// element marks an inline table that is an element of an array: it
	// has no anchors inside.
	element bool
	array   *node // set for arrays
}

// layoutIndex lists the anchors, containers and sections of a document,
// each sorted by offset. A section is a table header, or one [[...]]
// entry, and the lines up to the next one.
type layoutIndex struct {
	format     Format
	anchors    []anchorAt
	containers []container
	sections   []anchorAt
	arrays     map[anchor]*node
}

// newLayout ties every comment of data to an anchor of the positioned
// document root, in one pass over the comments in file order.
func newLayout(data []byte, root *node, format Format) *Layout {
	x := &layoutIndex{format: format, arrays: map[anchor]*node{}}
	x.walk(root, nil)
	byOff := func(a, b anchorAt) int { return a.off - b.off }
	slices.SortStableFunc(x.anchors, byOff)
	slices.SortStableFunc(x.containers, func(a, b container) int { return a.start - b.start })
	slices.SortStableFunc(x.sections, byOff)
	l := &Layout{data: data, arrays: x.arrays, hasComments: map[*node]bool{}, anchors: len(x.anchors)}
	p := placer{layoutIndex: x, data: data, si: -1}
	spans := scanComments(data)
	for i := 0; i < len(spans); {
		s := spans[i]
		lineStart := bytes.LastIndexByte(data[:s.start], '\n') + 1
		p.advance(s.start)
		var g *commentGroup
		if isBlank(data[lineStart:s.start]) {
			// Comment lines in a row form one group.
			j := i
			for j+1 < len(spans) && isLineBreak(data[spans[j].end:spans[j+1].start]) {
				j++
			}
			g = p.ownLines(lineStart, spans[j].end)
			for _, sp := range spans[i : j+1] {
				g.lines = append(g.lines, commentText(data, sp))
			}
			i = j + 1
		} else {
			g = p.trailing(lineStart, s.start)
			g.lines = []string{commentText(data, s)}
			g.gap = string(data[len(bytes.TrimRight(data[:s.start], " \t")):s.start])
			i++
		}
		g.array = p.innermostArray()
		if g.array != nil {
			l.hasComments[g.array] = true
		}
		l.groups = append(l.groups, g)
	}
	return l
}

func commentText(data []byte, s commentSpan) string {
	return strings.TrimRight(string(data[s.start:s.end]), " \t\r")
}

// walk lists the anchors, containers and sections of table t at path.
func (x *layoutIndex) walk(t *node, path []string) {
	table := dottedKey(path)
	for _, e := range t.fields() {
		v := e.value
		switch {
		case v.kind == nodeTable:
			child := append(slices.Clone(path), e.key)
			at := x.rename(anchor{table: dottedKey(child)})
			switch {
			case v.origin == originHeader:
				x.anchors = append(x.anchors, anchorAt{v.off, at})
				x.sections = append(x.sections, anchorAt{v.off, at})
			case v.inline:
				// Written as a table of its own: the key naming the
				// inline table stands for its header.
				x.anchors = append(x.anchors, anchorAt{v.keyOff, at})
				if v.end() > 0 {
					x.containers = append(x.containers, container{start: v.off, end: v.end(), at: at})
				}
			}
			// Dotted keys (hub.repo-id = ...) anchor their own keys.
			x.walk(v, child)
		case v.kind == nodeArray && v.aot:
			// [[general.kernel-depends]] entries: each one is an element.
			for _, it := range v.elems() {
				at := x.rename(anchor{table: table, key: e.key, elem: it.stringAt("repo-id"), isElem: true})
				x.anchors = append(x.anchors, anchorAt{it.off, at})
				x.sections = append(x.sections, anchorAt{it.off, at})
			}
		default:
			at := x.rename(anchor{table: table, key: e.key})
			x.anchors = append(x.anchors, anchorAt{v.keyOff, at})
			if v.kind != nodeArray {
				continue
			}
			if v.end() > 0 {
				x.containers = append(x.containers, container{start: v.off, end: v.end(), at: at, array: v})
				x.arrays[at] = v
			}
			for _, it := range v.elems() {
				elem, ok := it.str, it.kind == nodeString
				if it.kind == nodeTable {
					// A kernel-depends entry is known by its repo-id.
					elem, ok = it.stringAt("repo-id"), it.get("repo-id") != nil
				}
				if !ok || it.off == v.off {
					continue
				}
				ea := x.rename(anchor{table: table, key: e.key, elem: elem, isElem: true})
				x.anchors = append(x.anchors, anchorAt{it.off, ea})
				if it.kind == nodeTable && it.end() > 0 {
					x.containers = append(x.containers, container{start: it.off, end: it.end(), at: ea, element: true})
				}
			}
		}
	}
}

func (x *layoutIndex) rename(a anchor) anchor { return renameAnchor(x.format, a) }

// placer walks the document in file order, comment by comment, keeping
// track of the containers open and the section at the current offset. Each
// step moves forward only, so that a file is handled in linear time.
type placer struct {
	*layoutIndex
	data []byte
	// ai is the first anchor at or after the current offset, ci the first
	// container not opened yet, si the current section (-1: before the
	// first table).
	ai, ci, si int
	open       []*container
	// closed is the container that closed last.
	closed *container
}

// advance moves to offset pos.
func (p *placer) advance(pos int) {
	for {
		next := pos
		opening := p.ci < len(p.containers) && p.containers[p.ci].start < pos
		if opening {
			next = p.containers[p.ci].start
		}
		for len(p.open) > 0 && p.open[len(p.open)-1].end <= next {
			p.closed = p.open[len(p.open)-1]
			p.open = p.open[:len(p.open)-1]
		}
		if !opening {
			break
		}
		p.open = append(p.open, &p.containers[p.ci])
		p.ci++
	}
	for p.si+1 < len(p.sections) && p.sections[p.si+1].off < pos {
		p.si++
	}
	for p.ai < len(p.anchors) && p.anchors[p.ai].off < pos {
		p.ai++
	}
}

// next returns the first anchor at or after the current offset.
func (p *placer) next() *anchorAt {
	if p.ai < len(p.anchors) {
		return &p.anchors[p.ai]
	}
	return nil
}

// innermostArray returns the innermost array open at the current offset.
func (p *placer) innermostArray() *node {
	for _, c := range slices.Backward(p.open) {
		if c.array != nil {
			return c.array
		}
	}
	return nil
}

// ownLines places comment lines that stand on their own, from the start
// of the first line to end:
//   - inside an array or inline table, with the next thing in it, else at
//     its end (before the closing bracket);
//   - in a table, with the next key; at the end of the table when nothing
//     of the table follows and the lines follow its last key directly,
//     with a blank line after them (a commented-out key); else with the
//     next table header;
//   - in a kernel-depends entry (inline or [[...]]), which is written on
//     one line, before that entry, or after it at the end of a [[...]]
//     entry;
//   - before anything else and followed by a blank line, at the top of the
//     file; after everything, at the end.
func (p *placer) ownLines(start, end int) *commentGroup {
	g := &commentGroup{place: placeBefore}
	prev, blankBefore := p.prevContent(start)
	next, blankAfter := p.nextContent(end)
	n := p.next()
	before := func() *commentGroup {
		if n == nil {
			g.place = placeBottom
			return g
		}
		g.at, g.blankAfter = n.at, blankAfter
		return g
	}
	atEnd := func(a anchor) *commentGroup {
		g.at, g.place = a, placeEnd
		return g
	}
	if len(p.open) > 0 {
		c := p.open[len(p.open)-1]
		switch {
		case c.element:
			// An inline kernel-depends entry is written on one line:
			// its comments go before it.
			g.at = c.at
			return g
		case n != nil && n.off < c.end:
			return before()
		default:
			return atEnd(c.at)
		}
	}
	sectionEnd := len(p.data)
	if p.si+1 < len(p.sections) {
		sectionEnd = p.sections[p.si+1].off
	}
	switch {
	case n != nil && n.off < sectionEnd:
		return before()
	case prev < 0:
		if blankAfter || n == nil {
			g.place, g.blankAfter = placeTop, blankAfter
			return g
		}
		return before()
	case p.si < 0:
		return before()
	case next < sectionEnd && p.data[next] != '#':
		// Lines of the section without anchors follow: the keys of a
		// [[...]] entry, which is written on one line.
		g.at = p.sections[p.si].at
		return g
	case !blankBefore && (blankAfter || n == nil):
		return atEnd(p.sections[p.si].at)
	}
	return before()
}

// trailing places a comment that follows something on its line, from
// lineStart to the comment at start: with the first thing that starts on
// the line, or the array or inline table that closes on it, or else the
// last thing before it.
func (p *placer) trailing(lineStart, start int) *commentGroup {
	g := &commentGroup{place: placeAfter}
	j := p.ai
	for j > 0 && p.anchors[j-1].off >= lineStart {
		j--
	}
	first := -1
	if j < p.ai {
		first = p.anchors[j].off
	}
	switch c := p.closed; {
	case c != nil && c.end > lineStart && c.end <= start && (first < 0 || first >= c.start):
		// `] # note`: the comment is on the array (or table) that
		// ends here.
		g.at, g.afterClose = c.at, c.array != nil
	case first >= 0:
		g.at = p.anchors[j].at
	case p.ai > 0:
		g.at = p.anchors[p.ai-1].at
	default:
		g.place = placeTop
	}
	return g
}

// prevContent returns the offset of the last byte before the line at
// start that is not blank (-1 at the start of the file), and whether a
// blank line comes in between.
func (p *placer) prevContent(start int) (int, bool) {
	lines := 0
	i := start - 1
	for ; i >= 0 && isSpace(p.data[i]); i-- {
		if p.data[i] == '\n' {
			lines++
		}
	}
	return i, lines >= 2
}

// nextContent returns the offset of the first byte after end that is not
// blank (len(data) at the end), and whether a blank line comes in between.
func (p *placer) nextContent(end int) (int, bool) {
	lines := 0
	i := end
	for ; i < len(p.data) && isSpace(p.data[i]); i++ {
		if p.data[i] == '\n' {
			lines++
		}
	}
	return i, lines >= 2
}

func isSpace(c byte) bool { return c == ' ' || c == '\t' || c == '\r' || c == '\n' }

// isBlank reports whether b holds only spaces and tabs.
func isBlank(b []byte) bool {
	return len(bytes.Trim(b, " \t")) == 0
}

// isLineBreak reports whether b, the text between two comments, is one
// line break with optional indentation: the comments are consecutive lines.
func isLineBreak(b []byte) bool {
	return bytes.Count(b, []byte{'\n'}) == 1 && len(bytes.Trim(b, " \t\r\n")) == 0
}

// commentSpan is the byte range of one comment, '#' included.
type commentSpan struct{ start, end int }

// scanComments finds the comments of a TOML document that already parsed:
// every '#' outside a string, up to the end of its line.
func scanComments(data []byte) []commentSpan {
	var spans []commentSpan
	s := string(data)
	for i := 0; i < len(s); {
		switch {
		case strings.HasPrefix(s[i:], `"""`):
			i = skipMultiline(s, i+3, `"""`, true)
		case strings.HasPrefix(s[i:], `'''`):
			i = skipMultiline(s, i+3, `'''`, false)
		case s[i] == '"':
			i++
			for i < len(s) && s[i] != '"' && s[i] != '\n' {
				if s[i] == '\\' {
					i++
				}
				i++
			}
			i++
		case s[i] == '\'':
			i++
			for i < len(s) && s[i] != '\'' && s[i] != '\n' {
				i++
			}
			i++
		case s[i] == '#':
			end := strings.IndexByte(s[i:], '\n')
			if end < 0 {
				end = len(s) - i
			}
			spans = append(spans, commentSpan{i, i + end})
			i += end
		default:
			i++
		}
	}
	return spans
}

// skipMultiline returns the offset after the delimiter closing a
// multi-line string that starts at i; quotes right before the closing
// delimiter belong to the string.
func skipMultiline(s string, i int, delim string, escapes bool) int {
	for i < len(s) {
		if escapes && s[i] == '\\' {
			i += 2
			continue
		}
		if strings.HasPrefix(s[i:], delim) {
			i += len(delim)
			for i < len(s) && s[i] == delim[0] {
				i++
			}
			return i
		}
		i++
	}
	return len(s)
}

// anchorRename moves the comments of a key that the newest format spells
// or places differently. A "*" table component matches any kernel.
type anchorRename struct {
	from, to anchor
}

// anchorRenames lists, per older format, where its keys went.
var anchorRenames = map[Format][]anchorRename{
	V1: {
		{anchor{table: "torch", key: "universal"}, anchor{table: "general", key: "backends"}},
		{anchor{table: "kernel.*", key: "language"}, anchor{table: "kernel.*", key: "backend"}},
		// A cuda-hipify kernel's ROCm archs go to its ROCm twin; for other
		// kernels the twin does not exist and the comment falls back to
		// the kernel's table.
		{anchor{table: "kernel.*", key: "rocm-archs"}, anchor{table: "kernel.*_rocm", key: "rocm-archs"}},
	},
	V2: {
		{anchor{table: "general", key: "universal"}, anchor{table: "general", key: "backends"}},
		{anchor{table: "general", key: "cuda-minver"}, anchor{table: "general.cuda", key: "minver"}},
		{anchor{table: "general", key: "cuda-maxver"}, anchor{table: "general.cuda", key: "maxver"}},
	},
}

// renameAnchor maps an anchor of a file in format f to where the same
// thing lives in the newest format.
func renameAnchor(f Format, a anchor) anchor {
	if a.table == "torch-noarch" && (a.key == "cuda-capabilities" || a.key == "rocm-archs") {
		// Any format that has [torch-noarch] accepts both spellings.
		a.key = strings.ReplaceAll(a.key, "-", "_")
		return a
	}
	if a.table == "general" && a.key == "python-depends" && a.isElem && a.elem == "nvidia-cutlass-dsl" && f == V2 {
		a.table = "general.cuda"
		return a
	}
	if a.isElem && a.key == "depends" && a.elem == "cutlass_sycl" {
		a.elem = "sycl_tla"
	}
	for _, r := range anchorRenames[f] {
		kernel, ok := matchTable(r.from.table, a.table)
		if !ok || r.from.key != a.key {
			continue
		}
		a.key = r.to.key
		a.table = strings.Replace(r.to.table, "*", kernel, 1)
		if r.to.key == "backends" {
			// universal = true became a list of backends: keep the comment
			// with the key, not with one element.
			a.elem, a.isElem = "", false
		}
		return a
	}
	return a
}

// matchTable matches a dotted table path against a pattern with at most
// one "*" component and returns what the "*" stood for (a kernel name,
// quoted as in the path when it needs quotes).
func matchTable(pattern, table string) (string, bool) {
	prefix, suffix, wild := strings.Cut(pattern, "*")
	if !wild {
		return "", pattern == table
	}
	if !strings.HasPrefix(table, prefix) || !strings.HasSuffix(table, suffix) || len(table) < len(prefix)+len(suffix) {
		return "", false
	}
	mid := table[len(prefix) : len(table)-len(suffix)]
	return mid, mid != ""
}
