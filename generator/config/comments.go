package config

import (
	"bytes"
	"slices"
	"strings"
)

// Comments are the comments of a build.toml, each tied to what it belongs
// to: the table header, key or array element written right after it (a
// comment on a line of its own), or the one it follows on the same line (a
// trailing comment). update-build carries them into the converted file, so
// that the notes authors leave next to pins and flags survive an upgrade.
type Comments struct {
	groups []*commentGroup
	// byAnchor finds the groups of an anchor in the order written.
	byAnchor map[anchor][]*commentGroup
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
	// placeEnd: comments after everything else in the file.
	placeEnd
)

// commentGroup is a run of comment lines (or one trailing comment).
type commentGroup struct {
	at    anchor
	place commentPlace
	lines []string // each starts with '#'
	// blankAfter records a blank line between the group and what follows,
	// such as a file's opening comment block.
	blankAfter bool
	written    bool
}

// Comments returns the comments of the loaded file, tied to anchors in the
// newest format: keys and tables that update-build renames carry their
// comments along.
func (l *Loaded) Comments() *Comments {
	if l.doc == nil || l.doc.data == nil {
		return &Comments{}
	}
	return extractComments(l.doc.data, l.doc.root, l.Format)
}

// anchorAt is an anchor and the offset of what it names in the source.
type anchorAt struct {
	off int
	at  anchor
}

// extractComments scans data for comments and ties each to an anchor of
// the positioned document root.
func extractComments(data []byte, root *node, format Format) *Comments {
	spans := scanComments(data)
	c := &Comments{byAnchor: map[anchor][]*commentGroup{}}
	if len(spans) == 0 {
		return c
	}
	anchors := collectAnchors(root)
	slices.SortStableFunc(anchors, func(a, b anchorAt) int { return a.off - b.off })

	var pending *commentGroup // leading lines waiting for their anchor
	pendingEnd := 0
	flush := func() {
		if pending == nil {
			return
		}
		i, _ := slices.BinarySearchFunc(anchors, pendingEnd, func(a anchorAt, off int) int { return a.off - off })
		if i < len(anchors) {
			pending.at = renameAnchor(format, anchors[i].at)
			pending.blankAfter = hasBlankLine(data[pendingEnd:anchors[i].off])
		} else {
			pending.place = placeEnd
		}
		c.add(pending)
		pending = nil
	}
	for _, s := range spans {
		text := strings.TrimRight(string(data[s.start:s.end]), " \t\r")
		// Searching the bytes, not a string copy of everything before the
		// comment, keeps a file with many comments linear.
		lineStart := bytes.LastIndexByte(data[:s.start], '\n') + 1
		if len(bytes.TrimSpace(data[lineStart:s.start])) != 0 {
			// Trailing: tie it to the last anchor that starts before it.
			flush()
			// Tie it to the first anchor of its line: the key of
			// `src = ["a.cu"] # note`, the element of `"a.cu", # note`.
			i, _ := slices.BinarySearchFunc(anchors, s.start, func(a anchorAt, off int) int { return a.off - off })
			for i > 0 && anchors[i-1].off >= lineStart {
				i--
			}
			if i == len(anchors) || anchors[i].off >= s.start {
				// Nothing starts on this line (a closing bracket): the
				// comment belongs to the last thing before it.
				i--
			}
			if i < 0 {
				pending = &commentGroup{place: placeBefore, lines: []string{text}}
				pendingEnd = s.end
				continue
			}
			c.add(&commentGroup{place: placeAfter, at: renameAnchor(format, anchors[i].at), lines: []string{text}})
			continue
		}
		if pending != nil && (hasBlankLine(data[pendingEnd:s.start]) || nextAnchorBetween(anchors, pendingEnd, s.start)) {
			flush()
		}
		if pending == nil {
			pending = &commentGroup{place: placeBefore}
		}
		pending.lines = append(pending.lines, text)
		pendingEnd = s.end
	}
	flush()
	return c
}

// add records a group under its anchor.
func (c *Comments) add(g *commentGroup) {
	c.groups = append(c.groups, g)
	if g.place != placeEnd {
		c.byAnchor[g.at] = append(c.byAnchor[g.at], g)
	}
}

// nextAnchorBetween reports whether an anchor starts in [from, to).
func nextAnchorBetween(anchors []anchorAt, from, to int) bool {
	i, _ := slices.BinarySearchFunc(anchors, from, func(a anchorAt, off int) int { return a.off - off })
	return i < len(anchors) && anchors[i].off < to
}

// hasBlankLine reports whether b, the text between two things, holds an
// empty line.
func hasBlankLine(b []byte) bool {
	lines := strings.Split(string(b), "\n")
	// The first piece ends the previous line and the last starts the next
	// one; only whole lines in between can be blank.
	for i := 1; i < len(lines)-1; i++ {
		if strings.TrimSpace(lines[i]) == "" {
			return true
		}
	}
	return false
}

// collectAnchors lists every table header, key and string array element of
// the document with its offset.
func collectAnchors(root *node) []anchorAt {
	var out []anchorAt
	var walk func(t *node, path []string)
	walk = func(t *node, path []string) {
		table := dottedKey(path)
		for _, e := range t.fields() {
			v := e.value
			switch {
			case v.kind == nodeTable && v.origin == originHeader:
				child := append(slices.Clone(path), e.key)
				out = append(out, anchorAt{off: v.off, at: anchor{table: dottedKey(child)}})
				walk(v, child)
			case v.kind == nodeTable && v.origin == originImplicit:
				walk(v, append(slices.Clone(path), e.key))
			default:
				out = append(out, anchorAt{off: v.keyOff, at: anchor{table: table, key: e.key}})
				if v.kind == nodeArray {
					for _, it := range v.elems() {
						elem, ok := it.str, it.kind == nodeString
						if it.kind == nodeTable {
							// A kernel-depends entry is known by its repo-id.
							elem, ok = it.stringAt("repo-id"), it.get("repo-id") != nil
						}
						if ok && it.off != v.off {
							out = append(out, anchorAt{off: it.off, at: anchor{table: table, key: e.key, elem: elem, isElem: true}})
						}
					}
				}
			}
		}
	}
	walk(root, nil)
	return out
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

// encodeWithComments runs an encoder and places the comments in c. A first
// pass finds which anchors the encoder writes, so that comments whose key
// or element did not survive the conversion move to the nearest thing that
// did (the key, then its table) instead of being lost; anything left goes
// to the end of the file.
func encodeWithComments(c *Comments, encode func(w *tomlWriter)) []byte {
	if c == nil || len(c.groups) == 0 {
		var w tomlWriter
		encode(&w)
		return []byte(w.buf.String())
	}
	probe := tomlWriter{written: map[anchor]bool{}}
	encode(&probe)
	placed := c.relocate(probe.written)
	w := tomlWriter{notes: placed}
	encode(&w)
	var tail []string
	for _, g := range placed.groups {
		if !g.written {
			tail = append(tail, g.lines...)
		}
	}
	if len(tail) > 0 {
		w.buf.WriteString("\n" + strings.Join(tail, "\n") + "\n")
	}
	return []byte(w.buf.String())
}

// relocate returns a copy of c in which every group is tied to an anchor
// in written, falling back from an element to its key, from a key to its
// table, and from a table to the end of the file.
func (c *Comments) relocate(written map[anchor]bool) *Comments {
	out := &Comments{byAnchor: map[anchor][]*commentGroup{}}
	for _, g := range c.groups {
		g2 := *g
		g2.written = false
		if g2.place != placeEnd && !written[g2.at] {
			candidates := []anchor{
				{table: g2.at.table, key: g2.at.key},
				{table: g2.at.table},
			}
			g2.place = placeEnd
			for _, a := range candidates {
				if written[a] {
					// A comment that moved stands on its own line.
					g2.at, g2.place = a, placeBefore
					break
				}
			}
		}
		out.add(&g2)
	}
	return out
}

// hasElementComments reports whether any element of key's list has
// comments, which makes the list multi-line.
func (w *tomlWriter) hasElementComments(key string, values []string) bool {
	if w.notes == nil {
		return false
	}
	for _, v := range values {
		if len(w.notes.byAnchor[anchor{table: w.cur, key: key, elem: v, isElem: true}]) > 0 {
			return true
		}
	}
	return false
}

// mark records that anchor a was written.
func (w *tomlWriter) mark(a anchor) {
	if w.written != nil {
		w.written[a] = true
	}
}

// leading writes the own-line comments that come before anchor a.
func (w *tomlWriter) leading(a anchor, indent string) {
	w.mark(a)
	if w.notes == nil {
		return
	}
	for _, g := range w.notes.byAnchor[a] {
		if g.place != placeBefore || g.written {
			continue
		}
		g.written = true
		for _, l := range g.lines {
			w.buf.WriteString(indent + l + "\n")
		}
		if g.blankAfter {
			w.buf.WriteString("\n")
		}
	}
}

// trailing returns the comment to put at the end of anchor a's line, with
// its separating spaces; several become one.
func (w *tomlWriter) trailing(a anchor) string {
	if w.notes == nil {
		return ""
	}
	var parts []string
	for _, g := range w.notes.byAnchor[a] {
		if g.place == placeAfter && !g.written {
			g.written = true
			parts = append(parts, g.lines...)
		}
	}
	if len(parts) == 0 {
		return ""
	}
	return "  " + strings.Join(parts, " ")
}
