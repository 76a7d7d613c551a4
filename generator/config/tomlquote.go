package config

import (
	"fmt"
	"strings"
	"unicode/utf8"
)

// isBareKey reports whether s can be written as a TOML key without quotes.
func isBareKey(s string) bool {
	if s == "" {
		return false
	}
	for i := 0; i < len(s); i++ {
		c := s[i]
		if !(c >= 'A' && c <= 'Z' || c >= 'a' && c <= 'z' || c >= '0' && c <= '9' || c == '-' || c == '_') {
			return false
		}
	}
	return true
}

// TOMLKey writes one TOML key part: bare when it can be, else quoted.
func TOMLKey(s string) string {
	if isBareKey(s) {
		return s
	}
	return TOMLString(s)
}

// dottedKey writes a key path such as kernel."my kernel".
func dottedKey(path []string) string {
	parts := make([]string, len(path))
	for i, p := range path {
		parts[i] = TOMLKey(p)
	}
	return strings.Join(parts, ".")
}

// tableName names a table in messages: [kernel.relu], or "the top level"
// for the document itself.
func tableName(path []string) string {
	if len(path) == 0 {
		return "the top level"
	}
	return "[" + dottedKey(path) + "]"
}

// where says where a key lives, for messages: "in [general]" or "at the
// top level".
func where(path []string) string {
	if len(path) == 0 {
		return "at the top level"
	}
	return "in " + tableName(path)
}

// keyRef names a key of a table in messages: "name" in [general].
func keyRef(key string, path []string) string {
	return fmt.Sprintf("%s %s", TOMLString(key), where(path))
}

// isPlainTOML reports whether s is printable ASCII without quotes or
// backslashes, which a TOML basic string holds as is: the common case,
// and the one big builds repeat in thousands of messages.
func isPlainTOML(s string) bool {
	for i := 0; i < len(s); i++ {
		if c := s[i]; c < 0x20 || c >= 0x7f || c == '"' || c == '\\' {
			return false
		}
	}
	return true
}

// TOMLString writes s as a TOML basic string. Control characters are
// escaped, as TOML requires, and bytes that are not UTF-8 (possible only in
// builds made in code) become U+FFFD, since TOML cannot hold them.
func TOMLString(s string) string {
	if isPlainTOML(s) {
		return `"` + s + `"`
	}
	var b strings.Builder
	b.Grow(len(s) + 2)
	b.WriteByte('"')
	for i := 0; i < len(s); {
		r, size := utf8.DecodeRuneInString(s[i:])
		i += size
		switch {
		case r == '"':
			b.WriteString(`\"`)
		case r == '\\':
			b.WriteString(`\\`)
		case r == '\b':
			b.WriteString(`\b`)
		case r == '\t':
			b.WriteString(`\t`)
		case r == '\n':
			b.WriteString(`\n`)
		case r == '\f':
			b.WriteString(`\f`)
		case r == '\r':
			b.WriteString(`\r`)
		case r < 0x20 || r == 0x7f:
			fmt.Fprintf(&b, `\u%04X`, r)
		default:
			b.WriteRune(r)
		}
	}
	b.WriteByte('"')
	return b.String()
}
