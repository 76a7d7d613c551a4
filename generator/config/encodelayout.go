package config

import (
	"bytes"
	"cmp"
	"strings"
)

// encodeWithLayout runs an encoder and writes the comments and array
// texts of l. A first pass finds which anchors the encoder writes, so that
// comments whose key or element did not survive the conversion move to the
// nearest thing that did (the key, then its table) instead of being lost;
// anything left goes to the end of the file.
func encodeWithLayout(l *Layout, encode func(w *tomlWriter)) []byte {
	if l == nil {
		l = &Layout{}
	}
	if len(l.groups) == 0 {
		w := tomlWriter{layout: l}
		encode(&w)
		return []byte(w.buf.String())
	}
	probe := tomlWriter{layout: l, written: make(map[anchor]bool, l.anchors)}
	encode(&probe)
	w := tomlWriter{layout: l, notes: l.relocate(&probe)}
	w.writeGroups(w.notes.top, "")
	encode(&w)
	w.endTable()
	var tail []string
	for _, g := range w.notes.all {
		if !g.written {
			tail = append(tail, g.lines...)
		}
	}
	if len(tail) > 0 {
		if w.buf.Len() > 0 {
			w.buf.WriteByte('\n')
		}
		w.buf.WriteString(strings.Join(tail, "\n") + "\n")
	}
	return []byte(w.buf.String())
}

// notes are the comment groups of a Layout, each tied to an anchor the
// encoder writes.
type notes struct {
	all      []*commentGroup
	byAnchor map[anchor][]*commentGroup
	// byArray lists the comments written inside each array of the file.
	byArray map[*node][]*commentGroup
	top     []*commentGroup
}

func (n *notes) add(g *commentGroup) {
	n.all = append(n.all, g)
	switch g.place {
	case placeTop:
		n.top = append(n.top, g)
	case placeBottom:
	default:
		n.byAnchor[g.at] = append(n.byAnchor[g.at], g)
	}
	if g.array != nil {
		n.byArray[g.array] = append(n.byArray[g.array], g)
	}
}

// relocate returns the comments of l with every group tied to an anchor
// that the probe pass wrote, falling back from an element to its key,
// from a key to its table, from a table that is gone to the table that
// took its place, and else to the end of the file.
func (l *Layout) relocate(probe *tomlWriter) *notes {
	out := &notes{byAnchor: make(map[anchor][]*commentGroup, len(l.groups)), byArray: make(map[*node][]*commentGroup, len(l.hasComments))}
	moved := map[string]string{} // table that is gone -> its replacement, "" for none
	for _, g := range l.groups {
		g2 := *g
		g2.written = false
		if (g2.place == placeBefore || g2.place == placeAfter || g2.place == placeEnd) && !probe.written[g2.at] {
			at, ok := g2.at, false
			if at.isElem {
				at = anchor{table: at.table, key: at.key}
				ok = probe.written[at]
			}
			if !ok && at.key != "" {
				at = anchor{table: at.table}
				ok = probe.written[at]
			}
			if !ok {
				to, seen := moved[at.table]
				if !seen {
					to = probe.replacement(at.table)
					moved[at.table] = to
				}
				at, ok = anchor{table: to}, to != ""
			}
			// A comment that moved stands on its own line.
			g2.at, g2.place = at, placeBefore
			if !ok {
				g2.place = placeBottom
			}
		}
		out.add(&g2)
	}
	return out
}

// replacement names the written table that stands for a table the
// conversion removed: [torch-noarch] for a [torch] that became it, the
// first of its subtables for a parent such as [kernel]; "" when none.
func (w *tomlWriter) replacement(table string) string {
	if table == "torch" && w.written[anchor{table: "torch-noarch"}] {
		return "torch-noarch"
	}
	if table == "" {
		return ""
	}
	for _, t := range w.tables {
		if strings.HasPrefix(t, table+".") {
			return t
		}
	}
	return ""
}

// mark records that anchor a was written.
func (w *tomlWriter) mark(a anchor) {
	if w.written == nil {
		return
	}
	w.written[a] = true
	if a.key == "" {
		w.tables = append(w.tables, a.table)
	}
}

// leading writes the own-line comments that come before anchor a.
func (w *tomlWriter) leading(a anchor, indent string) {
	w.mark(a)
	if w.notes == nil {
		return
	}
	for _, g := range w.notes.byAnchor[a] {
		if g.place == placeBefore && !g.written {
			w.writeGroup(g, indent)
		}
	}
}

// closing writes the own-line comments that close anchor a.
func (w *tomlWriter) closing(a anchor, indent string) {
	if w.notes == nil {
		return
	}
	for _, g := range w.notes.byAnchor[a] {
		if g.place == placeEnd && !g.written {
			w.writeGroup(g, indent)
		}
	}
}

func (w *tomlWriter) writeGroups(gs []*commentGroup, indent string) {
	for _, g := range gs {
		w.writeGroup(g, indent)
	}
}

func (w *tomlWriter) writeGroup(g *commentGroup, indent string) {
	g.written = true
	for _, l := range g.lines {
		w.buf.WriteString(indent + l + "\n")
	}
	if g.blankAfter {
		w.buf.WriteString("\n")
	}
}

// trailing returns the comment to put at the end of anchor a's line, with
// its separating spaces; several become one.
func (w *tomlWriter) trailing(a anchor) string {
	return w.trailingOf(a, func(*commentGroup) bool { return true })
}

// trailingOpen and trailingClose split the trailing comments of a key
// whose list is written on several lines: those written after the
// closing bracket go there again, the others after the opening one.
func (w *tomlWriter) trailingOpen(a anchor) string {
	return w.trailingOf(a, func(g *commentGroup) bool { return !g.afterClose })
}

func (w *tomlWriter) trailingClose(a anchor) string {
	return w.trailingOf(a, func(g *commentGroup) bool { return g.afterClose })
}

func (w *tomlWriter) trailingOf(a anchor, match func(*commentGroup) bool) string {
	if w.notes == nil {
		return ""
	}
	var parts []string
	gap := ""
	for _, g := range w.notes.byAnchor[a] {
		if g.place == placeAfter && !g.written && match(g) {
			g.written = true
			parts = append(parts, g.lines...)
			if gap == "" {
				gap = g.gap
			}
		}
	}
	if len(parts) == 0 {
		return ""
	}
	return cmp.Or(gap, "  ") + strings.Join(parts, " ")
}

// hasNotes reports whether anchor a has comments of the given place.
func (w *tomlWriter) hasNotes(a anchor, place commentPlace) bool {
	if w.notes == nil {
		return false
	}
	for _, g := range w.notes.byAnchor[a] {
		if g.place == place {
			return true
		}
	}
	return false
}

// hasElementNotes reports whether any element of key's list has comments,
// which makes the list multi-line.
func (w *tomlWriter) hasElementNotes(key string, elems []string) bool {
	if w.notes == nil {
		return false
	}
	for _, e := range elems {
		if len(w.notes.byAnchor[anchor{table: w.cur, key: key, elem: e, isElem: true}]) > 0 {
			return true
		}
	}
	return false
}

// arrayText returns the text of the file's array for key a when
// writing it as it stands says the same as values (same means: equal
// reports so for each element), so that the user's formatting and the
// comments inside stay. Every comment tied to the array's elements must be
// inside that text; an array with a carriage return keeps to the
// encoder's line ends.
func arrayText[T any](w *tomlWriter, a anchor, values []T, elems []string, equal func(*node, T) bool) (string, bool) {
	n := w.layout.arrays[a]
	if n == nil || n.end() <= n.off || len(n.elems()) != len(values) {
		return "", false
	}
	for i, it := range n.elems() {
		if !equal(it, values[i]) {
			return "", false
		}
	}
	text := w.layout.data[n.off:n.end()]
	if bytes.IndexByte(text, '\r') >= 0 {
		return "", false
	}
	if w.notes != nil {
		for _, e := range elems {
			for _, g := range w.notes.byAnchor[anchor{table: a.table, key: a.key, elem: e, isElem: true}] {
				if g.array != n {
					return "", false
				}
			}
		}
		for _, g := range w.notes.byAnchor[a] {
			if g.place == placeEnd && g.array != n {
				return "", false
			}
		}
		for _, g := range w.notes.byArray[n] {
			g.written = true
		}
	}
	for _, e := range elems {
		w.mark(anchor{table: a.table, key: a.key, elem: e, isElem: true})
	}
	return string(text), true
}

// keepsEmpty reports whether an empty optional array of the file is
// written anyway, because comments are written inside it (a list of
// commented-out sources).
func (w *tomlWriter) keepsEmpty(a anchor) bool {
	n := w.layout.arrays[a]
	return n != nil && len(n.elems()) == 0 && w.layout.hasComments[n]
}

func sameString(n *node, s string) bool { return n.kind == nodeString && n.str == s }

func sameDependency(n *node, d KernelDependency) bool {
	return n.kind == nodeTable && n.inline && len(n.fields()) == 2 && n.stringAt("repo-id") == d.RepoID &&
		n.stringAt("revision") == d.Revision && equalUint(n.uintAt("version"), d.Version)
}

func equalUint(a, b *uint64) bool {
	return a == nil && b == nil || a != nil && b != nil && *a == *b
}

// endTable writes the comments that close the table being written.
func (w *tomlWriter) endTable() {
	if w.started {
		w.closing(anchor{table: w.cur}, "")
	}
}
