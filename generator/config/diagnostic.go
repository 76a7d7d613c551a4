package config

import (
	"strconv"
	"strings"
)

// Severity says whether a diagnostic stops the command.
type Severity int

const (
	// Error diagnostics reject the file: exit status 2, nothing written.
	Error Severity = iota
	// Warning diagnostics are printed and ignored unless --strict.
	Warning
)

// Diagnostic is one problem found in build.toml, with its position.
type Diagnostic struct {
	Path     string
	Line     int // 1-based; 0 when the problem has no position
	Col      int // 1-based; 0 when unknown
	Severity Severity
	Message  string
}

// String formats the diagnostic as "PATH:LINE:COL: message", or
// "PATH: message" when it has no position. Warnings say so after the
// position.
func (d Diagnostic) String() string {
	return string(d.Append(nil))
}

// Append appends the diagnostic as String formats it to buf; printing
// thousands of warnings then costs no allocation each.
func (d Diagnostic) Append(buf []byte) []byte {
	buf = append(buf, d.Path...)
	if d.Line > 0 {
		buf = strconv.AppendInt(append(buf, ':'), int64(d.Line), 10)
		if d.Col > 0 {
			buf = strconv.AppendInt(append(buf, ':'), int64(d.Col), 10)
		}
	}
	buf = append(buf, ": "...)
	if d.Severity == Warning {
		buf = append(buf, "warning: "...)
	}
	return append(buf, d.Message...)
}

// Errors is the error returned for a build.toml with one or more errors.
// Every entry has Severity Error.
type Errors []Diagnostic

// Error joins the diagnostics, one per line.
func (e Errors) Error() string {
	lines := make([]string, len(e))
	for i, d := range e {
		lines[i] = d.String()
	}
	return strings.Join(lines, "\n")
}
