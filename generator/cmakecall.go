package generator

import "strings"

// maxLineWidth is where a CMake call is broken into one line per keyword,
// and a keyword's values into one line each.
const maxLineWidth = 80

// cmakeCall is a call of a CMake function with positional arguments
// followed by keyword arguments (cmake_parse_arguments style). Values are
// kept as given and quoted while writing, which keeps the rendering of
// many kernels free of per-value allocations.
type cmakeCall struct {
	name   string
	args   []string // written as words: quoted only when needed
	groups []cmakeGroup
}

// cmakeGroup is one keyword and its values.
type cmakeGroup struct {
	keyword string
	values  []string
	// quote writes every value quoted; otherwise values are words.
	quote bool
}

// word adds a positional argument, quoted only if it needs to be.
func (c *cmakeCall) word(s string) *cmakeCall {
	c.args = append(c.args, s)
	return c
}

// quoted adds keyword with every value quoted; nothing when there are no
// values, since cmake_parse_arguments cannot tell an empty list from an
// absent one.
func (c *cmakeCall) quoted(keyword string, values []string) *cmakeCall {
	if len(values) == 0 {
		return c
	}
	c.groups = append(c.groups, cmakeGroup{keyword: keyword, values: values, quote: true})
	return c
}

// token adds keyword with a single value that needs no quotes, such as a
// version; nothing when value is empty.
func (c *cmakeCall) token(keyword, value string) *cmakeCall {
	if value == "" {
		return c
	}
	c.groups = append(c.groups, cmakeGroup{keyword: keyword, values: []string{value}})
	return c
}

// writeTo writes the call on one line when it fits in maxLineWidth, else
// with one keyword per line, and the values of a keyword that still does
// not fit one per line.
func (c *cmakeCall) writeTo(b *strings.Builder) {
	b.WriteString(c.name)
	b.WriteByte('(')
	for i, a := range c.args {
		if i > 0 {
			b.WriteByte(' ')
		}
		writeWord(b, a)
	}
	if c.oneLineWidth() <= maxLineWidth {
		for i := range c.groups {
			if len(c.args) > 0 || i > 0 {
				b.WriteByte(' ')
			}
			c.groups[i].writeInline(b)
		}
		b.WriteByte(')')
		return
	}
	for i := range c.groups {
		g := &c.groups[i]
		last := i == len(c.groups)-1
		b.WriteString("\n  ")
		if g.inlineWidth()+2+boolInt(last) <= maxLineWidth {
			g.writeInline(b)
		} else {
			b.WriteString(g.keyword)
			for _, v := range g.values {
				b.WriteString("\n    ")
				g.writeValue(b, v)
			}
		}
	}
	b.WriteByte(')')
}

// String returns the call as writeTo writes it.
func (c *cmakeCall) String() string {
	var b strings.Builder
	c.writeTo(&b)
	return b.String()
}

func (c *cmakeCall) oneLineWidth() int {
	n := len(c.name) + 2 // name()
	parts := len(c.args)
	for _, a := range c.args {
		n += wordWidth(a)
	}
	for _, g := range c.groups {
		n += g.inlineWidth()
		parts++
	}
	if parts > 1 {
		n += parts - 1 // separating spaces
	}
	return n
}

func (g *cmakeGroup) inlineWidth() int {
	n := len(g.keyword)
	for _, v := range g.values {
		if g.quote {
			n += 1 + quotedWidth(v)
		} else {
			n += 1 + wordWidth(v)
		}
	}
	return n
}

func (g *cmakeGroup) writeInline(b *strings.Builder) {
	b.WriteString(g.keyword)
	for _, v := range g.values {
		b.WriteByte(' ')
		g.writeValue(b, v)
	}
}

func (g *cmakeGroup) writeValue(b *strings.Builder, v string) {
	if g.quote {
		writeQuoted(b, v)
	} else {
		writeWord(b, v)
	}
}

func boolInt(b bool) int {
	if b {
		return 1
	}
	return 0
}

// cmakeWord returns s as an unquoted argument when it is a plain name or
// version, else quoted.
func cmakeWord(s string) string {
	var b strings.Builder
	writeWord(&b, s)
	return b.String()
}

// isPlainWord reports whether s can be written unquoted: letters, digits
// and _ - . + only.
func isPlainWord(s string) bool {
	if s == "" {
		return false
	}
	for i := 0; i < len(s); i++ {
		c := s[i]
		if !(c >= 'a' && c <= 'z' || c >= 'A' && c <= 'Z' || c >= '0' && c <= '9' ||
			c == '_' || c == '-' || c == '.' || c == '+') {
			return false
		}
	}
	return true
}

func writeWord(b *strings.Builder, s string) {
	if isPlainWord(s) {
		b.WriteString(s)
	} else {
		writeQuoted(b, s)
	}
}

func wordWidth(s string) int {
	if isPlainWord(s) {
		return len(s)
	}
	return quotedWidth(s)
}

// writeQuoted writes s as a quoted CMake argument whose value is s: quotes
// and backslashes are escaped, and so is $, which would otherwise start a
// variable reference. A semicolon stays a list separator, as it is in any
// CMake list.
func writeQuoted(b *strings.Builder, s string) {
	b.WriteByte('"')
	start := 0
	for i := 0; i < len(s); i++ {
		if !escapedBytes[s[i]] {
			continue
		}
		b.WriteString(s[start:i])
		b.WriteString(cmakeEscape(s[i]))
		start = i + 1
	}
	b.WriteString(s[start:])
	b.WriteByte('"')
}

// quotedWidth is the length of s as writeQuoted writes it.
func quotedWidth(s string) int {
	n := len(s) + 2
	for i := 0; i < len(s); i++ {
		if escapedBytes[s[i]] {
			n += len(cmakeEscape(s[i])) - 1
		}
	}
	return n
}

// escapedBytes marks the bytes cmakeEscape escapes, so that the loops over
// every source path of a big build test one table entry per byte.
var escapedBytes = func() (t [256]bool) {
	for c := range t {
		t[c] = cmakeEscape(byte(c)) != ""
	}
	return t
}()

// cmakeEscape returns the escape sequence of c inside a quoted argument, or
// "" when c stands for itself.
func cmakeEscape(c byte) string {
	switch c {
	case '"':
		return `\"`
	case '\\':
		return `\\`
	case '$':
		return `\$`
	case '\n':
		return `\n`
	case '\r':
		return `\r`
	case '\t':
		return `\t`
	}
	return ""
}
