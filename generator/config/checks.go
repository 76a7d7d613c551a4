package config

import (
	"fmt"
	"slices"
	"strings"
)

// Checks that hold in every format and that a schema cannot express.

// Every string of build.toml that reaches the generated CMake is written
// as one quoted argument, so CMake receives it as written, with three
// exceptions that no quoting avoids: the shipped functions handle these
// values as CMake lists, where ";" separates elements and "[" and "]"
// group them (an element with an unmatched bracket swallows the elements
// after it), and neither CMake nor Ninja's build files hold a NUL or a
// line break. Such values are refused here, where the error
// can point at them; what remains reaches CMake intact. Paths and pyext
// entries have stricter rules of their own (pathSpecial, isExtension).

// cmakeValueKinds names the keys whose strings reach the generated CMake,
// by kind.
var cmakeValueKinds = map[string]cmakeValueKind{
	"src":               cmakePath,
	"include":           cmakePath,
	"pyext":             cmakeExtension,
	"cxx-flags":         cmakeFlag,
	"cuda-flags":        cmakeFlag,
	"hip-flags":         cmakeFlag,
	"sycl-flags":        cmakeFlag,
	"cuda-capabilities": cmakeElement,
	"rocm-archs":        cmakeElement,
}

type cmakeValueKind int

const (
	// cmakeElement: any list element (capabilities, architectures).
	cmakeElement cmakeValueKind = iota
	// cmakePath: a file or folder of the project.
	cmakePath
	// cmakeFlag: one compiler argument.
	cmakeFlag
	// cmakeExtension: a file extension, which becomes a file pattern.
	cmakeExtension
)

// pathSpecial are the characters refused in paths, besides the list
// characters, with why: $, \ and " have meanings in CMake (variable
// references and generator expressions, escapes, quoting) that paths pass
// through in places the generated CMake does not control (install rules,
// IDE projects, compile databases), and CMake writes a file name holding
// | or : into Ninja's build files without escaping it, so that Ninja reads
// another name. No real source file needs any of them.
var pathSpecial = []struct {
	char, why string
}{
	{"$", "which CMake would expand"},
	{"\\", "which CMake would read as an escape"},
	{`"`, "which CMake would read as a quote"},
	{";", "which separates the elements of a CMake list"},
	{"|", "which Ninja would read as the end of a file name"},
	{":", "which Ninja would read as the end of a file name"},
}

// listProblem says why s cannot be one element of a CMake list, "" when
// it can.
func listProblem(s string) string {
	depth := 0
	for _, r := range s {
		switch {
		case r == ';':
			return `contains ";", which separates the elements of a CMake list`
		case r == '\n' || r == '\r':
			return "contains a line break, which the generated build files cannot hold"
		case r == 0:
			return "contains a NUL character, which CMake cannot hold"
		case r == '[':
			depth++
		case r == ']':
			if depth == 0 {
				return `has a "]" without a "[" before it, which CMake would read as the end of a bracketed list element`
			}
			depth--
		}
	}
	if depth > 0 {
		return `has a "[" without a "]" after it, which CMake would read as the start of a bracketed list element`
	}
	return ""
}

// shellOperators are the arguments CMake leaves unquoted in the commands
// it writes, so that custom commands can redirect and pipe; a flag that is
// exactly one of them would reach the shell, not the compiler.
var shellOperators = []string{"<", ">", "<<", ">>", "|", "||", "&&", "&>", "1>", "2>", "2>&1", "1>&2"}

// isExtension reports whether s is a plain file extension: letters,
// digits, "_", "-" and "+", with single dots between them ("json",
// "tar.gz").
func isExtension(s string) bool {
	for _, part := range strings.Split(s, ".") {
		if part == "" {
			return false
		}
		for _, r := range part {
			if !(r >= 'a' && r <= 'z' || r >= 'A' && r <= 'Z' || r >= '0' && r <= '9' || r == '_' || r == '-' || r == '+') {
				return false
			}
		}
	}
	return true
}

// cmakeValueProblem says what is wrong with the value s of a key of kind,
// with the fix; "" when it reaches CMake intact.
func cmakeValueProblem(kind cmakeValueKind, s string) string {
	if kind != cmakeFlag && kind != cmakeExtension && isPlainCMakeValue(s) {
		return ""
	}
	return cmakeValueRules(kind, s)
}

// cmakeValueRules is cmakeValueProblem without the shortcut for plain
// values.
func cmakeValueRules(kind cmakeValueKind, s string) string {
	switch kind {
	case cmakePath:
		for _, c := range pathSpecial {
			if strings.Contains(s, c.char) {
				return fmt.Sprintf("contains %s, %s; rename the file or directory", TOMLString(c.char), c.why)
			}
		}
		if p := listProblem(s); p != "" {
			return p + "; rename the file or directory"
		}
	case cmakeExtension:
		if !isExtension(s) {
			return `is not a plain file extension (letters, digits, "_", "-" and "+", with dots between them) but would become a file pattern; write the extension alone, such as "json"`
		}
	case cmakeFlag:
		if s == "" {
			return "is empty, which CMake would drop; remove it"
		}
		if p := listProblem(s); p != "" {
			return p + "; write each compiler argument as a string of its own, without line breaks or unbalanced brackets"
		}
		if slices.Contains(shellOperators, s) {
			return "is a shell operator, which CMake writes into the compile command unquoted (as a redirection or pipe); remove it"
		}
		// No compiler argument needs one, and the shipped CMake uses
		// U+0001 as a stand-in while it escapes a flag.
		if i := strings.IndexFunc(s, func(r rune) bool { return r < 0x20 || r == 0x7f }); i >= 0 {
			return fmt.Sprintf("contains the control character U+%04X; remove it", s[i])
		}
	default:
		if p := listProblem(s); p != "" {
			return p + "; write one entry per string"
		}
	}
	return ""
}

// plainCMakeByte marks the bytes that the rules for paths and list
// elements look for (pathSpecial and listProblem; all ASCII, so never part
// of a multi-byte character).
var plainCMakeByte = func() (t [256]bool) {
	for i := range t {
		t[i] = true
	}
	for _, c := range []byte{';', '\n', '\r', 0, '[', ']', '$', '\\', '"', '|', ':'} {
		t[c] = false
	}
	return t
}()

// isPlainCMakeValue reports whether s holds none of the bytes the path and
// list rules look for, so that a big build's tens of thousands of paths
// cost one table lookup per byte.
func isPlainCMakeValue(s string) bool {
	for i := 0; i < len(s); i++ {
		if !plainCMakeByte[s[i]] {
			return false
		}
	}
	return true
}

// cmakeValueNames names the values of each kind in messages.
var cmakeValueNames = map[cmakeValueKind]string{
	cmakeElement:   "value",
	cmakePath:      "path",
	cmakeFlag:      "flag",
	cmakeExtension: "extension",
}

// checkCMakeValues refuses, with their positions, the values that would
// not reach the generated CMake as written (see cmakeValueKinds), and
// kernel names that would not: a kernel name is a CMake list element too.
func checkCMakeValues(root *node) []posError {
	var errs []posError
	// The table's path is built only for a message.
	check := func(t *node, path func() []string) {
		if t == nil || t.kind != nodeTable {
			return
		}
		for _, e := range t.fields() {
			kind, ok := cmakeValueKinds[e.key]
			if !ok || e.value.kind != nodeArray {
				continue
			}
			for _, item := range e.value.elems() {
				if item.kind != nodeString {
					continue
				}
				if p := cmakeValueProblem(kind, item.str); p != "" {
					errs = append(errs, posError{off: item.off, msg: fmt.Sprintf("%s %s in key %s %s",
						cmakeValueNames[kind], TOMLString(item.str), keyRef(e.key, path()), p)})
				}
			}
		}
	}
	for _, t := range []string{"torch", "torch-noarch", "tvm-ffi"} {
		check(root.get(t), func() []string { return []string{t} })
	}
	if k := root.get("kernel"); k != nil && k.kind == nodeTable {
		root.namedTables("kernel", func(name string, t *node) {
			if p := listProblem(name); p != "" {
				errs = append(errs, posError{off: t.keyOff, msg: fmt.Sprintf("kernel name %s %s; rename the kernel (letters, digits and underscores)", TOMLString(name), p)})
			}
			check(t, func() []string { return []string{"kernel", name} })
		})
	}
	return errs
}

// checkLegacyName rejects v1–v3 names that give no Python package name:
// the name (with - as _) is written into generated Python as a module
// name, so anything else would not compile or could inject code. Names
// that are identifiers but break today's rule only draw a warning (Lint).
func checkLegacyName(root *node) []posError {
	n := root.get("general").get("name")
	if n == nil || n.kind != nodeString || isPythonIdentifier(PythonName(n.str)) {
		return nil
	}
	return []posError{{off: n.off, msg: fmt.Sprintf("invalid kernel name %s in [general]: with \"-\" as \"_\" it must be a Python identifier (ASCII letters, digits and underscores, not starting with a digit, not a keyword); %s",
		TOMLString(n.str), nameRule)}}
}

// ValidName reports whether name is valid in v4 and edition 5, with the
// rule in the error.
func ValidName(name string) error {
	if !kernelNamePattern.MatchString(name) {
		return fmt.Errorf("kernel name %s is not valid in today's formats: %s", TOMLString(name), nameRule)
	}
	return nil
}

// pythonKeywords cannot be module names.
var pythonKeywords = []string{
	"False", "None", "True", "and", "as", "assert", "async", "await", "break", "class", "continue",
	"def", "del", "elif", "else", "except", "finally", "for", "from", "global", "if", "import",
	"in", "is", "lambda", "nonlocal", "not", "or", "pass", "raise", "return", "try", "while", "with", "yield",
}

// isPythonIdentifier reports whether s is an ASCII Python identifier
// that is not a keyword.
func isPythonIdentifier(s string) bool {
	return isIdentifier(s) && !slices.Contains(pythonKeywords, s)
}

// checkUpstream checks general.upstream and general.source, in every
// format that has them, as today's tool does.
func checkUpstream(root *node) []posError {
	var errs []posError
	g := root.get("general")
	for _, key := range []string{"upstream", "source"} {
		if n := g.get(key); n != nil && n.kind == nodeString {
			if err := checkGitURL(n.str); err != nil {
				errs = append(errs, posError{off: n.off, msg: fmt.Sprintf("invalid %s: %v", keyRef(key, []string{"general"}), err)})
			}
		}
	}
	return errs
}
