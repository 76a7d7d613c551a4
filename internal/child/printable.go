package child

import (
	"strings"
	"unicode"
	"unicode/utf8"
)

// Printable makes text a program printed safe to echo on one line of a
// terminal: escape sequences (ESC [ ... and the like) are dropped whole,
// line breaks and tabs become spaces, and every other control character,
// the invisible marks that reorder text (bidirectional overrides), and
// invalid UTF-8 are dropped. A Python, compiler or driver is not trusted
// to print plain text: an escape sequence echoed as is can recolour,
// retitle or clear the user's terminal, or hide text.
func Printable(s string) string { return printable(s, false) }

// PrintableLines is Printable for text of several lines, which it keeps:
// "\n" stays, so a caller can still pick a line.
func PrintableLines(s string) string { return printable(s, true) }

func printable(s string, keepLines bool) string {
	var b strings.Builder
	for i := 0; i < len(s); {
		r, size := utf8.DecodeRuneInString(s[i:])
		switch {
		case r == utf8.RuneError && size <= 1:
			// invalid UTF-8: dropped
		case r == '\x1b':
			i += escapeLen(s[i:])
			continue
		case r == '\n' && keepLines:
			b.WriteByte('\n')
		case r == '\n' || r == '\r' || r == '\t':
			b.WriteByte(' ')
		case unicode.IsControl(r) || isBidiControl(r):
			// dropped
		default:
			b.WriteString(s[i : i+size])
		}
		i += size
	}
	return b.String()
}

// escapeLen is the length of the escape sequence at the start of s, which
// starts with ESC: a CSI sequence (ESC [ parameters, final byte 0x40-0x7e),
// an OSC/DCS/... string (ESC ] ... ended by BEL or ESC \), or ESC and one
// more character. An unfinished sequence runs to the end of s.
func escapeLen(s string) int {
	if len(s) < 2 {
		return len(s)
	}
	switch s[1] {
	case '[':
		for j := 2; j < len(s); j++ {
			if s[j] >= 0x40 && s[j] <= 0x7e {
				return j + 1
			}
		}
		return len(s)
	case ']', 'P', 'X', '^', '_':
		for j := 2; j < len(s); j++ {
			if s[j] == '\a' {
				return j + 1
			}
			if s[j] == '\x1b' && j+1 < len(s) && s[j+1] == '\\' {
				return j + 2
			}
		}
		return len(s)
	}
	_, size := utf8.DecodeRuneInString(s[1:])
	return 1 + size
}

// isBidiControl reports the marks that change the display order of text
// around them (U+202A-U+202E, U+2066-U+2069).
func isBidiControl(r rune) bool {
	return r >= 0x202a && r <= 0x202e || r >= 0x2066 && r <= 0x2069
}
