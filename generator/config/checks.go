package config

import (
	"fmt"
	"slices"
)

// Checks that hold in every format and that a schema cannot express.

// cmakeSpecial are the characters CMake would expand or split on in a
// path written into a generated CMakeLists.txt.
const cmakeSpecial = "$\\;\""

// isCMakeSpecial marks the bytes of cmakeSpecial: checkPaths looks at every
// byte of every path, tens of thousands in a big build.
var isCMakeSpecial = func() (t [256]bool) {
	for i := 0; i < len(cmakeSpecial); i++ {
		t[cmakeSpecial[i]] = true
	}
	return t
}()

// checkPaths rejects source and include paths that CMake would
// re-expand: generated CMake quotes them, but $, \, ; and " change
// meaning inside CMake strings and lists.
func checkPaths(root *node) []posError {
	var errs []posError
	// The table's path is built only for a message.
	check := func(t *node, path func() []string) {
		for _, key := range [...]string{"src", "include"} {
			v := t.get(key)
			if v == nil || v.kind != nodeArray {
				continue
			}
			for _, item := range v.elems() {
				if item.kind != nodeString {
					continue
				}
				for i := 0; i < len(item.str); i++ {
					if isCMakeSpecial[item.str[i]] {
						errs = append(errs, posError{off: item.off, msg: fmt.Sprintf(
							"path %s in key %s contains %s, which CMake would expand or split on; rename the file or directory",
							TOMLString(item.str), keyRef(key, path()), TOMLString(item.str[i:i+1]))})
						break
					}
				}
			}
		}
	}
	for _, t := range []string{"torch", "tvm-ffi"} {
		if n := root.get(t); n != nil {
			check(n, func() []string { return []string{t} })
		}
	}
	if k := root.get("kernel"); k != nil && k.kind == nodeTable {
		root.namedTables("kernel", func(name string, t *node) {
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
