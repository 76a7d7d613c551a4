package config

import (
	"errors"
	"fmt"

	"github.com/pelletier/go-toml/v2/unstable"
)

// nodeKind is the TOML type of a value in the positioned document.
type nodeKind uint8

const (
	nodeTable nodeKind = iota
	nodeArray
	nodeString
	nodeBool
	nodeInteger
	nodeFloat
	nodeDateTime
)

// article names the kind for messages ("got an integer").
func (k nodeKind) article() string {
	switch k {
	case nodeTable:
		return "a table"
	case nodeArray:
		return "an array"
	case nodeString:
		return "a string"
	case nodeBool:
		return "a boolean"
	case nodeInteger:
		return "an integer"
	case nodeFloat:
		return "a float"
	default:
		return "a date/time"
	}
}

// tableOrigin records how a table came to exist. TOML only lets some kinds
// of tables be extended later, and go-toml's unstable parser leaves these
// rules to its caller.
type tableOrigin uint8

const (
	originImplicit tableOrigin = iota // a prefix of some [a.b.c] header
	originHeader                      // defined by its own [header] or [[header]]
	originDotted                      // created by a dotted key (a.b = 1)
)

// node is a value of the TOML document together with where it was written.
// go-toml's decoder drops positions, so validation works on this view.
type node struct {
	// off is where the value starts: the '[' of a table header, the '{'
	// of an inline table, the opening quote of a string. Messages about
	// the value itself (wrong type, unknown value, missing keys) use it.
	off int
	// keyOff is where the key naming this value starts; messages about
	// the key (unknown key) use it.
	keyOff int
	str    string // string value; "true"/"false" for booleans
	// kids holds the elements of an array and the keys of a table; nil for
	// other values. Most values of a build.toml are strings, which keeps
	// them small: a big build has tens of thousands.
	kids   *children
	kind   nodeKind
	origin tableOrigin
	// sealed tables (inline tables and everything inside them) cannot be
	// extended once their literal ends.
	sealed bool
	// aot marks an array created by [[header]], which later [[header]]s
	// extend; static arrays are sealed.
	aot bool
	// inline marks a table written as an inline table ({ ... }).
	inline bool
}

// children are the contents of an array or a table.
type children struct {
	items   []*node // array elements
	entries []entry // table keys and values in the order written
	// index finds entries of large tables (the kernel table of a big
	// project); small tables are scanned, which beats a map per table.
	index map[string]int
	// end is where an array or inline table value ends, after its
	// closing bracket; 0 when unknown (an array nested in an array, which
	// no build.toml has). update-build uses it to keep what is inside.
	end int
}

// end returns where an array or inline table value ends (see
// children.end); 0 for other values.
func (n *node) end() int {
	if n.kids == nil {
		return 0
	}
	return n.kids.end
}

// elems returns the elements of an array; nil for other values.
func (n *node) elems() []*node {
	if n.kids == nil {
		return nil
	}
	return n.kids.items
}

// fields returns the keys and values of a table in the order written; nil
// for other values.
func (n *node) fields() []entry {
	if n.kids == nil {
		return nil
	}
	return n.kids.entries
}

// entry is one key of a table.
type entry struct {
	key   string
	value *node
}

// indexFrom is the table size from which lookups go through a map.
const indexFrom = 16

func newTable(off, keyOff int, origin tableOrigin) *node {
	return &node{kind: nodeTable, off: off, keyOff: keyOff, origin: origin, kids: &children{}}
}

// set adds a key that the table does not have yet.
func (n *node) set(key string, v *node) {
	c := n.kids
	if c.entries == nil {
		// Room for a kernel table's keys at once, instead of growing
		// the slice three times per table.
		c.entries = make([]entry, 0, 8)
	}
	c.entries = append(c.entries, entry{key, v})
	switch {
	case c.index != nil:
		c.index[key] = len(c.entries) - 1
	case len(c.entries) == indexFrom:
		c.index = make(map[string]int, 2*indexFrom)
		for i, e := range c.entries {
			c.index[e.key] = i
		}
	}
}

// get returns the value of key in table n, or nil; nil tables and values
// that are not tables have no keys.
func (n *node) get(key string) *node {
	if n == nil || n.kind != nodeTable || n.kids == nil {
		return nil
	}
	c := n.kids
	if c.index != nil {
		if i, ok := c.index[key]; ok {
			return c.entries[i].value
		}
		return nil
	}
	for _, e := range c.entries {
		if e.key == key {
			return e.value
		}
	}
	return nil
}

// posError is a problem at a byte offset; offsets become positions only
// when diagnostics are reported.
type posError struct {
	off int
	msg string
}

// keyPart is one component of a possibly dotted key.
type keyPart struct {
	name string
	off  int
}

// treeBuilder turns go-toml's stream of expressions into a tree of nodes,
// enforcing TOML's rules on defining tables and keys only once.
type treeBuilder struct {
	parser *unstable.Parser
	data   []byte
	// text is data as one string: the keys and strings of the document
	// are substrings of it instead of a copy each.
	text string
	// slab hands out nodes from large blocks: one allocation per block
	// instead of one per value, and neighbouring values close in memory.
	slab    []node
	kidSlab []children // the same for the children of arrays and tables
	ptrSlab []*node    // and for the elements of arrays
	root    *node
	cur     *node    // table that key/value lines go into
	path    *keyPath // path of cur, for messages
	errs    []posError
	parts   []keyPart // scratch buffer
}

// parseTree parses data into a positioned tree. Syntax errors and
// redefinitions are returned as posErrors.
func parseTree(data []byte) (*node, []posError) {
	b := &treeBuilder{parser: &unstable.Parser{}, data: data, text: string(data)}
	b.root = b.table(0, 0, originHeader)
	b.cur = b.root
	b.parser.Reset(data)
	lastEnd := 0
	for b.parser.NextExpression() {
		e := b.parser.Expression()
		switch e.Kind {
		case unstable.Table, unstable.ArrayTable:
			b.header(e)
		case unstable.KeyValue:
			b.keyValue(b.cur, b.path, e)
			lastEnd = int(e.Raw.Offset + e.Raw.Length)
		}
	}
	if err := b.parser.Error(); err != nil {
		b.errs = append(b.errs, b.syntaxError(err, lastEnd))
	}
	return b.root, b.errs
}

// syntaxError positions a parser error at its highlighted bytes.
func (b *treeBuilder) syntaxError(err error, fallback int) posError {
	var perr *unstable.ParserError
	off := fallback
	msg := err.Error()
	if errors.As(err, &perr) {
		msg = perr.Message
		// The highlight is a subslice of the input; its offset follows
		// from the capacities of the two slices.
		if o := cap(b.data) - cap(perr.Highlight); perr.Highlight != nil && o >= 0 && o <= len(b.data) {
			off = o
		}
	}
	return posError{off: off, msg: "invalid TOML: " + msg}
}

// slabSize is the number of nodes per block of treeBuilder.slab: a kernel
// table of a typical build.toml takes about twenty.
const slabSize = 256

// node returns a new zero node.
func (b *treeBuilder) node() *node {
	if len(b.slab) == cap(b.slab) {
		b.slab = make([]node, 0, slabSize)
	}
	b.slab = b.slab[:len(b.slab)+1]
	return &b.slab[len(b.slab)-1]
}

// container returns new empty children for an array or a table.
func (b *treeBuilder) container() *children {
	if len(b.kidSlab) == cap(b.kidSlab) {
		b.kidSlab = make([]children, 0, slabSize)
	}
	b.kidSlab = b.kidSlab[:len(b.kidSlab)+1]
	return &b.kidSlab[len(b.kidSlab)-1]
}

// itemSpace returns an empty slice with room for exactly n elements; an
// append beyond them reallocates instead of overwriting a neighbour.
func (b *treeBuilder) itemSpace(n int) []*node {
	if n > slabSize/4 {
		return make([]*node, 0, n)
	}
	if len(b.ptrSlab)+n > cap(b.ptrSlab) {
		b.ptrSlab = make([]*node, 0, 4*slabSize)
	}
	start := len(b.ptrSlab)
	b.ptrSlab = b.ptrSlab[:start+n]
	return b.ptrSlab[start : start : start+n]
}

// table returns a new empty table node.
func (b *treeBuilder) table(off, keyOff int, origin tableOrigin) *node {
	n := b.node()
	n.kind, n.off, n.keyOff, n.origin, n.kids = nodeTable, off, keyOff, origin, b.container()
	return n
}

// str returns s, a key or value the parser found, as a string: a substring
// of text when s lies in the document (every string without escapes),
// else a copy.
func (b *treeBuilder) str(s []byte) string {
	if len(s) == 0 {
		return ""
	}
	// A subslice of data has the capacity data has left at its start.
	if off := cap(b.data) - cap(s); off >= 0 && off+len(s) <= len(b.data) && &b.data[off] == &s[0] {
		return b.text[off : off+len(s)]
	}
	return string(s)
}

func (b *treeBuilder) fail(off int, format string, args ...any) {
	b.errs = append(b.errs, posError{off: off, msg: fmt.Sprintf(format, args...)})
}

// keyParts reads the parts of the key of a KeyValue, Table or ArrayTable
// node into the scratch buffer.
func (b *treeBuilder) keyParts(e *unstable.Node) []keyPart {
	parts := b.parts[:0]
	it := e.Key()
	for it.Next() {
		k := it.Node()
		parts = append(parts, keyPart{name: b.str(k.Data), off: int(k.Raw.Offset)})
	}
	b.parts = parts
	return parts
}

// header handles a [table] or [[array table]] line.
func (b *treeBuilder) header(e *unstable.Node) {
	parts := b.keyParts(e)
	off := b.headerStart(parts[0].off)
	path := make([]string, 0, len(parts))
	t := b.root
	var kp *keyPath
	for _, p := range parts {
		kp = kp.child(p.name)
	}
	// Until the header is accepted, key/value lines go into a detached
	// table so that they cannot cause follow-on errors.
	b.cur, b.path = b.table(off, off, originHeader), kp
	for i, p := range parts {
		last := i == len(parts)-1
		parentPath := path
		path = append(path, p.name)
		child := t.get(p.name)
		if !last {
			switch {
			case child == nil:
				child = b.table(p.off, p.off, originImplicit)
				t.set(p.name, child)
			case child.kind == nodeArray && child.aot:
				items := child.elems()
				child = items[len(items)-1]
			case child.kind != nodeTable || child.sealed:
				b.fail(off, "cannot define table %s: %s is already defined as %s", tableName(pathOf(parts)), keyRef(p.name, parentPath), child.kind.article())
				return
			}
			t = child
			continue
		}
		if e.Kind == unstable.ArrayTable {
			switch {
			case child == nil:
				child = b.node()
				child.kind, child.off, child.keyOff, child.aot, child.kids = nodeArray, off, p.off, true, b.container()
				t.set(p.name, child)
			case child.kind != nodeArray || !child.aot:
				b.fail(off, "cannot define array of tables [[%s]]: %s is already defined as %s", dottedKey(path), keyRef(p.name, parentPath), child.kind.article())
				return
			}
			elem := b.table(off, p.off, originHeader)
			child.kids.items = append(child.kids.items, elem)
			b.cur, b.path = elem, kp
			return
		}
		switch {
		case child == nil:
			child = b.table(off, p.off, originHeader)
			t.set(p.name, child)
		case child.kind == nodeTable && child.origin == originImplicit && !child.sealed:
			child.origin, child.off, child.keyOff = originHeader, off, p.off
		case child.kind == nodeTable:
			b.fail(off, "table %s is already defined", tableName(path))
			return
		default:
			b.fail(off, "cannot define table %s: %s is already defined as %s", tableName(path), keyRef(p.name, parentPath), child.kind.article())
			return
		}
		b.cur, b.path = child, kp
	}
}

// headerStart finds the '[' (or the first of "[[") before a header's first
// key, since the parser records positions of keys only.
func (b *treeBuilder) headerStart(keyOff int) int {
	i := keyOff - 1
	for i >= 0 && (b.data[i] == ' ' || b.data[i] == '\t') {
		i--
	}
	for i > 0 && b.data[i-1] == '[' {
		i--
	}
	return max(i, 0)
}

// valueStart finds where the value of a key/value starts: after the last
// key part, whitespace, '=' and whitespace. Arrays carry no position of
// their own in go-toml's AST, so this is how they get one.
func (b *treeBuilder) valueStart(e *unstable.Node) int {
	var lastRaw unstable.Range
	it := e.Key()
	for it.Next() {
		lastRaw = it.Node().Raw
	}
	i := int(lastRaw.Offset + lastRaw.Length)
	for i < len(b.data) && (b.data[i] == ' ' || b.data[i] == '\t') {
		i++
	}
	if i < len(b.data) && b.data[i] == '=' {
		i++
	}
	for i < len(b.data) && (b.data[i] == ' ' || b.data[i] == '\t') {
		i++
	}
	return i
}

// keyValue adds one key = value line (or inline table entry) to table t.
// Dotted keys may extend tables made by earlier dotted keys, but not tables
// defined by headers nor sealed inline tables.
func (b *treeBuilder) keyValue(t *node, tpath *keyPath, e *unstable.Node) {
	parts := b.keyParts(e)
	// The parts buffer is reused by nested inline tables: copy what is
	// needed before converting the value.
	last := parts[len(parts)-1]
	path := tpath
	for _, p := range parts[:len(parts)-1] {
		child := t.get(p.name)
		switch {
		case child == nil:
			child = b.table(p.off, p.off, originDotted)
			t.set(p.name, child)
		case child.kind != nodeTable || child.sealed || child.origin != originDotted:
			b.fail(p.off, "cannot add keys to %s with a dotted key: it is already defined", keyRef(p.name, path.names()))
			return
		}
		path = path.child(p.name)
		t = child
	}
	if prev := t.get(last.name); prev != nil {
		b.fail(last.off, "duplicate key %s", keyRef(last.name, path.names()))
		return
	}
	v := b.value(e.Value(), b.valueStart(e), last.off, path, last.name)
	if v.kids != nil {
		// The value is the last thing of the key/value.
		v.kids.end = int(e.Raw.Offset + e.Raw.Length)
	}
	t.set(last.name, v)
}

// value converts a parsed value, the value of key name in the table at
// path. off is its start when the AST has no position for it (arrays),
// keyOff the start of the key naming it.
func (b *treeBuilder) value(v *unstable.Node, off, keyOff int, path *keyPath, name string) *node {
	if v.Raw.Length > 0 || v.Kind != unstable.Array {
		off = int(v.Raw.Offset)
	}
	if v.Kind == unstable.InlineTable {
		n := b.table(off, keyOff, originDotted)
		n.inline = true
		// The path of the table is needed only for messages about the
		// keys inside it, so only inline tables build it.
		inner := path.child(name)
		last := off + 1
		it := v.Children()
		for it.Next() {
			if c := it.Node(); c.Kind == unstable.KeyValue {
				b.keyValue(n, inner, c)
				last = int(c.Raw.Offset + c.Raw.Length)
			}
		}
		n.kids.end = b.closeAfter(last, '}')
		seal(n)
		return n
	}
	n := b.node()
	n.off, n.keyOff = off, keyOff
	switch v.Kind {
	case unstable.String:
		n.kind, n.str = nodeString, b.str(v.Data)
	case unstable.Bool:
		n.kind, n.str = nodeBool, b.str(v.Data)
	case unstable.Integer:
		// The text is kept so that unsigned keys (general.version) can
		// be read after validation.
		n.kind, n.str = nodeInteger, b.str(v.Data)
	case unstable.Float:
		n.kind = nodeFloat
	case unstable.Array:
		n.kind, n.sealed = nodeArray, true
		count := 0
		for it := v.Children(); it.Next(); {
			if it.Node().Kind != unstable.Comment {
				count++
			}
		}
		n.kids = b.container()
		items := b.itemSpace(count)
		last := off + 1
		it := v.Children()
		for it.Next() {
			c := it.Node()
			if c.Kind == unstable.Comment {
				continue
			}
			// Elements without a position of their own (nested arrays)
			// point at the enclosing array.
			item := b.value(c, off, off, path, name)
			items = append(items, item)
			switch {
			case item.kind == nodeArray || item.kind == nodeTable:
				last = item.end()
			case c.Raw.Length > 0:
				last = int(c.Raw.Offset + c.Raw.Length)
			}
		}
		n.kids.items = items
		n.kids.end = b.closeAfter(last, ']')
	default:
		n.kind = nodeDateTime
	}
	return n
}

// closeAfter returns the offset after the bracket that closes an array or
// inline table whose last element ends at from: only blanks, newlines,
// commas and comments come in between. It returns 0 when from is unknown
// or something else follows, which a parsed document only has for arrays
// nested in arrays (their elements carry no positions).
func (b *treeBuilder) closeAfter(from int, closer byte) int {
	if from <= 0 {
		return 0
	}
	for i := from; i < len(b.data); i++ {
		switch c := b.data[i]; c {
		case ' ', '\t', '\r', '\n', ',':
		case '#':
			for i < len(b.data) && b.data[i] != '\n' {
				i++
			}
		case closer:
			return i + 1
		default:
			return 0
		}
	}
	return 0
}

// seal closes an inline table and the dotted tables inside it. Nested
// inline tables were sealed when they ended, which keeps this linear.
func seal(t *node) {
	if t.sealed {
		return
	}
	t.sealed = true
	for _, e := range t.fields() {
		if e.value.kind == nodeTable {
			seal(e.value)
		}
	}
}

// keyPath is the path of a table as a linked list, so that descending into
// nested tables costs the same at any depth; it becomes a []string only for
// messages.
type keyPath struct {
	parent *keyPath
	name   string
}

func (p *keyPath) child(name string) *keyPath { return &keyPath{parent: p, name: name} }

// names lists the path from the top; nil is the top level.
func (p *keyPath) names() []string {
	n := 0
	for q := p; q != nil; q = q.parent {
		n++
	}
	names := make([]string, n)
	for q := p; q != nil; q = q.parent {
		n--
		names[n] = q.name
	}
	return names
}

func pathOf(parts []keyPart) []string {
	p := make([]string, len(parts))
	for i, k := range parts {
		p[i] = k.name
	}
	return p
}
