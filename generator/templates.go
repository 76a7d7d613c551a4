package generator

import (
	"fmt"
	"slices"
	"strconv"
	"strings"
	"sync"
	"text/template"

	"github.com/build2cmake-go/build2cmake/cmake"
	"github.com/build2cmake-go/build2cmake/python"
)

// Templates are parsed once, on first use, and shared by every Render call;
// so are the files that are the same for every build.
var (
	cmakeListsTemplate      = parseTemplate("CMakeLists.txt", cmake.CMakeListsTemplate)
	setupTemplate           = parseTemplate("setup.py", python.SetupTemplate, python.SetupHelpersTemplate)
	pyprojectTemplate       = parseTemplate("pyproject.toml", python.PyprojectTemplate)
	pyprojectNoarchTemplate = parseTemplate("pyproject.toml (noarch)", python.PyprojectNoarchTemplate)
	opsTemplate             = parseTemplate("_ops.py", python.OpsTemplate)
	utilsTemplate           = parseTemplate("cmake/utils.cmake", cmake.UtilsTemplate)
	utilsContent            = sync.OnceValue(func() string { return withHeader(renderUtils(), "#") })
	registrationContent     = sync.OnceValue(func() string { return withHeader(python.RegistrationHeader, "//") })

	// Today's layout (create-pyproject).
	variantCMakeListsTemplate  = parseTemplate("CMakeLists.txt (create-pyproject)", cmake.VariantsCMakeListsTemplate)
	variantsTemplate           = parseTemplate("cmake/variants.cmake", cmake.VariantsTemplate)
	variantSetupTemplate       = parseTemplate("setup.py (create-pyproject)", python.VariantSetupTemplate, python.SetupHelpersTemplate)
	variantNoarchSetupTemplate = parseTemplate("setup.py (create-pyproject, noarch)", python.VariantNoarchSetupTemplate)
	variantOpsTemplate         = parseTemplate("_ops.py (create-pyproject)", python.VariantOpsTemplate)
	variantPyprojectTemplate   = parseTemplate("pyproject.toml (create-pyproject)", python.VariantPyprojectTemplate)
	variantUtilsContent        = sync.OnceValue(func() string { return withHeaderFor(renderUtils(), "#", createCommand) })
	variantsContent            = sync.OnceValue(renderVariants)
	variantRegistrationContent = sync.OnceValue(func() string {
		return withHeaderFor(python.RegistrationHeader, "//", createCommand)
	})
)

// templateFuncs are the helpers templates use to write values in the
// syntax of their file.
var templateFuncs = template.FuncMap{
	"py":    pythonLiteral,
	"pydoc": pythonDocText,
}

// parseTemplate parses an embedded template lazily, with the templates it
// uses ({{template}}) from shared. The templates are part of the program,
// so a parse error is a bug caught by any test that renders.
func parseTemplate(name, text string, shared ...string) func() *template.Template {
	return sync.OnceValue(func() *template.Template {
		t := template.Must(template.New(name).Funcs(templateFuncs).Option("missingkey=error").Parse(text))
		for _, s := range shared {
			template.Must(t.Parse(s))
		}
		return t
	})
}

// execute renders t with data into a string.
func execute(t func() *template.Template, data any) (string, error) {
	var b strings.Builder
	if err := t().Execute(&b, data); err != nil {
		return "", fmt.Errorf("render %s: %w", t().Name(), err)
	}
	return b.String(), nil
}

// renderUtils renders cmake/utils.cmake, which is the same for every
// build, without its header.
func renderUtils() string {
	s, err := execute(utilsTemplate, newUtilsData())
	if err != nil {
		panic(err) // the template and its data are both part of the program
	}
	return s
}

// headerCommand is the command the header of generate-torch's files names.
const headerCommand = "generate-torch"

// headerFor is the comment that starts every generated file whose format
// allows comments; `clean` recognises generated files by Marker in it.
func headerFor(command string) string {
	return "This file is " + Marker + " and rewritten by\n" +
		"`build2cmake " + command + "`: edit build.toml instead.\n"
}

// withHeader puts the header comment of generate-torch at the start of
// content; see withHeaderFor.
func withHeader(content, comment string) string {
	return withHeaderFor(content, comment, headerCommand)
}

// withHeaderFor puts the header comment naming command, written with the
// line comment marker comment, at the start of content, after the shebang
// line if there is one, and separates it from the rest by an empty line.
func withHeaderFor(content, comment, command string) string {
	return string(appendHeader(nil, content, comment, command))
}

// appendHeader appends content with the header of withHeaderFor to buf.
func appendHeader(buf []byte, content, comment, command string) []byte {
	headerText := headerFor(command)
	buf = slices.Grow(buf, len(content)+len(headerText)+8)
	rest := content
	if strings.HasPrefix(content, "#!") {
		line, after, _ := strings.Cut(content, "\n")
		buf = append(append(buf, line...), '\n')
		rest = after
	}
	for _, line := range strings.SplitAfter(strings.TrimSuffix(headerText, "\n"), "\n") {
		buf = append(append(append(buf, comment...), ' '), line...)
	}
	buf = append(buf, "\n\n"...)
	return append(buf, rest...)
}

// pythonDocText writes s for use inside a """docstring""": backslashes and
// quotes are escaped, so no value can end the string early or start an
// escape, and control characters (which Python source may not hold raw,
// such as NUL) become \x escapes.
func pythonDocText(s string) string {
	var b strings.Builder
	for _, r := range s {
		switch {
		case r == '\\' || r == '"':
			b.WriteByte('\\')
			b.WriteRune(r)
		case r < 0x20 || r == 0x7f:
			fmt.Fprintf(&b, "\\x%02x", r)
		default:
			b.WriteRune(r)
		}
	}
	return b.String()
}

// pythonLiteral writes a string, a list of strings or a bool as a Python
// literal. Go's quoted-string escapes are all valid in Python.
func pythonLiteral(v any) (string, error) {
	switch v := v.(type) {
	case string:
		return strconv.Quote(v), nil
	case []string:
		quoted := make([]string, len(v))
		for i, s := range v {
			quoted[i] = strconv.Quote(s)
		}
		return "[" + strings.Join(quoted, ", ") + "]", nil
	case bool:
		if v {
			return "True", nil
		}
		return "False", nil
	}
	return "", fmt.Errorf("no Python literal for %T", v)
}

// headerComments are the line comment markers generated files use.
var headerComments = []string{"#", "//"}

// HasHeader reports whether content starts with the exact header comment
// build2cmake puts at the top of the files it writes (after a shebang line
// if there is one), naming generate-torch or create-pyproject. `clean` deletes only such files: a file merely
// mentioning Marker, such as one saying it is "NOT generated by
// build2cmake", does not qualify.
func HasHeader(content []byte) bool {
	s := string(content)
	if strings.HasPrefix(s, "#!") {
		_, s, _ = strings.Cut(s, "\n")
	}
	for _, command := range []string{headerCommand, createCommand} {
		for _, c := range headerComments {
			if strings.HasPrefix(s, strings.TrimSuffix(withHeaderFor("", c, command), "\n")) {
				return true
			}
		}
	}
	return false
}
