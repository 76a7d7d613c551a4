package generator

import (
	"encoding/json"
	"fmt"
	"os/exec"
	"path/filepath"
	"strings"
	"testing"

	"github.com/pelletier/go-toml/v2"

	"github.com/build2cmake-go/build2cmake/generator/config"
	"github.com/build2cmake-go/build2cmake/internal/testenv"
)

// hostileValues end strings, comments and commands early in one of the
// languages generated files are written in, or hold characters those
// languages do not allow raw.
var hostileValues = []string{
	`"`, `'`, `"""`, `'''`, `\`, `\"`, `\N{DIGIT ONE}`, "\n", "\r", "\t", "\x00", "\x7f",
	`"); import os; os.system("id"); ("`, "\"\"\"\nimport os\n\"\"\"",
	`${CMAKE_COMMAND}`, `$ENV{HOME}`, `$<1:x>`, `$`, `;`, `#`, `#[[`, `]]`, `]=]`, `(`, `)`,
	`[x]`, `{`, `}`, `{{.}}`, `%s`, "ü", "\u2028", "\xff", " ", "",
	// Generator expressions and CMake list syntax, and flags as kernels
	// write them.
	`>`, `2>&1`, `|`, `:`, `$<`, `a>b,c`, `[`, `a]b`, `[a;b]`, "\x01",
	`-DQ="a b"`, `-Wl,-rpath,$ORIGIN`, `--generate-code=arch=compute_90a,code=[sm_90a,compute_90a]`,
}

// hostileBuild puts v into every free-form value of a build that reaches
// a generated file, in both layouts (config refuses many of them at load,
// and names are validated there; the generated files must stay well-formed
// even if one slipped through, and OpsName is checked by Render itself).
func hostileBuild(v string) *config.Build {
	b := testBuild()
	b.General.Name = "relu" + v
	b.General.Version = new(uint64)
	b.General.PythonDepends = append(b.General.PythonDepends, v)
	b.General.CUDA.PythonDepends = []string{v}
	b.General.XPU.PythonDepends = []string{v}
	b.General.License = v
	b.General.Upstream = v
	b.General.Source = v
	b.General.Hub = &config.Hub{RepoID: &v, Branch: &v}
	b.General.KernelDepends = []config.KernelDependency{{RepoID: v, Revision: v}}
	b.General.CUDA.KernelDepends = []config.KernelDependency{{RepoID: "org/" + v, Revision: v}}
	b.Torch.Src = append(b.Torch.Src, "torch-ext/"+v+".cpp")
	b.Torch.Include = []string{v, "inc/" + v}
	b.Torch.PyExt = append(b.Torch.PyExt, v)
	b.Torch.CXXFlags = []string{v}
	for i := range b.Kernels {
		k := &b.Kernels[i]
		k.Name += v
		k.Depends = append(k.Depends, v)
		k.Src = append(k.Src, k.Name+"/"+v+".h")
		k.Include = []string{v}
		k.CXXFlags = []string{"-D" + v}
		k.CUDAFlags = []string{v}
		k.CUDACapabilities = []string{"8.0", v}
		k.ROCmArchs = []string{"gfx942", v}
		k.HIPFlags = []string{v}
		k.SYCLFlags = []string{v}
	}
	return b
}

// hostileNoarchBuild is a build without compiled kernels ([torch-noarch]
// in today's formats) with v in every value of that table.
func hostileNoarchBuild(v string) *config.Build {
	b := hostileBuild(v)
	b.Kernels = nil
	b.Framework = config.FrameworkTorchNoarch
	b.TorchNoarch = &config.TorchNoarch{PyExt: []string{"py", v}, CUDACapabilities: []string{v}, ROCmArchs: []string{v}}
	b.Torch = nil
	return b
}

// renderHostile renders a hostile build every way: the early layout for
// each backend, and today's layout, with and without compiled kernels. A
// rendering that fails is left out: refusing a value is safe, writing it
// unquoted is not.
func renderHostile(v string) map[string][]File {
	out := map[string][]File{}
	for _, backend := range config.Backends {
		if files, err := Render(hostileBuild(v), Options{Backend: backend, OpsName: "_relu_test_abc", TargetOS: "linux"}); err == nil {
			out[string(backend)] = files
		}
	}
	// RenderPyproject refuses a name that is not an identifier, which
	// would leave every other value untested: those builds keep a valid
	// name, and one more has the hostile one.
	named := func(b *config.Build) *config.Build {
		b.General.Name = "relu-test"
		return b
	}
	for name, b := range map[string]*config.Build{
		"pyproject":        named(hostileBuild(v)),
		"pyproject-noarch": named(hostileNoarchBuild(v)),
		"pyproject-name":   hostileBuild(v),
	} {
		if files, err := RenderPyproject(b, PyprojectOptions{UniqueID: "abc"}); err == nil {
			out[name] = files
		}
	}
	return out
}

// checkParses checks the files of one rendering in pure Go: every path
// stays inside the target directory, JSON and TOML parse, CMake tokenizes.
func checkParses(t testing.TB, label string, files []File) {
	for _, f := range files {
		if !filepath.IsLocal(filepath.FromSlash(f.Path)) {
			t.Errorf("%s: path %q leaves the target directory", label, f.Path)
		}
		switch {
		case strings.HasSuffix(f.Path, ".json"):
			if !json.Valid(f.Content) {
				t.Errorf("%s: %s is not valid JSON:\n%s", label, f.Path, f.Content)
			}
		case strings.HasSuffix(f.Path, ".toml"):
			var v map[string]any
			if err := toml.Unmarshal(f.Content, &v); err != nil {
				t.Errorf("%s: %s does not parse as TOML: %v\n%s", label, f.Path, err, f.Content)
			}
		case strings.HasSuffix(f.Path, ".cmake") || strings.HasSuffix(f.Path, "CMakeLists.txt"):
			if err := tokenizeCMake(string(f.Content)); err != nil {
				t.Errorf("%s: %s does not tokenize as CMake: %v", label, f.Path, err)
			}
		}
	}
}

// TestHostileValuesStayQuoted renders a build full of hostile values for
// every backend, in both layouts: JSON, TOML and CMake files must parse,
// and Python files must compile (py_compile, in one Python run for the
// whole table). TestHostileValuesReachCMakeIntact checks that what config
// lets through reaches the compiler as written.
func TestHostileValuesStayQuoted(t *testing.T) {
	python := testenv.LookPath(t, "/usr/bin/python3")
	dir := t.TempDir()
	var pyFiles []string
	rendered := 0
	for i, v := range hostileValues {
		for layout, files := range renderHostile(v) {
			label := fmt.Sprintf("value %q, %s", v, layout)
			checkParses(t, label, files)
			rendered++
			for j, f := range files {
				if strings.HasSuffix(f.Path, ".py") {
					// Named by position: the path holds the hostile name.
					p := filepath.Join(dir, fmt.Sprintf("%d-%s-%d.py", i, layout, j))
					writeTestFile(t, p, string(f.Content))
					pyFiles = append(pyFiles, p)
				}
			}
		}
	}
	// Most values must get through rendering, or this test proves little.
	if total := len(hostileValues) * (len(config.Backends) + 3); rendered < total/2 {
		t.Errorf("only %d of %d renderings succeeded", rendered, total)
	}
	script := `
import py_compile, sys
bad = 0
for f in sys.argv[1:]:
    try:
        py_compile.compile(f, doraise=True, cfile=f + "c")
    except py_compile.PyCompileError as e:
        bad += 1
        print(e.msg)
sys.exit(1 if bad else 0)
`
	out, err := exec.Command(python, append([]string{"-c", script}, pyFiles...)...).CombinedOutput()
	if err != nil {
		t.Errorf("generated Python does not compile (%v):\n%s", err, out)
	}
}

// TestRenderRefusesBadOpsName: the ops name is written unquoted, so Render
// refuses anything but an identifier, whoever calls it.
func TestRenderRefusesBadOpsName(t *testing.T) {
	for _, name := range []string{"_x\nimport os", "_x-1", "1x", "_x.y", `_x"`} {
		if _, err := Render(testBuild(), Options{Backend: config.CPU, OpsName: name, TargetOS: "linux"}); err == nil {
			t.Errorf("Render with ops name %q succeeded", name)
		}
	}
}

// TestSetupDocstringEscapesName: the kernel name in setup.py's docstring
// cannot end the string, whatever config lets through.
func TestSetupDocstringEscapesName(t *testing.T) {
	for name, want := range map[string]string{
		`a"""b`:  `"""Build the a\"\"\"b kernel`,
		`a\b`:    `"""Build the a\\b kernel`,
		"a\x00b": `"""Build the a\x00b kernel`,
	} {
		got := pythonDocText(name)
		if line := `"""Build the ` + got + ` kernel`; line != want {
			t.Errorf("docstring for %q = %s, want %s", name, line, want)
		}
	}
}

// FuzzRenderOutputParses renders a build holding the fuzzed value every
// way renderHostile does and checks, in pure Go, that the JSON and TOML files parse, the
// CMake files tokenize and no path leaves the target directory.
func FuzzRenderOutputParses(f *testing.F) {
	for _, v := range hostileValues {
		f.Add(v)
	}
	f.Fuzz(func(t *testing.T, v string) {
		for layout, files := range renderHostile(v) {
			checkParses(t, fmt.Sprintf("value %q, %s", v, layout), files)
		}
	})
}

// tokenizeCMake checks that text is a well-formed sequence of CMake
// command invocations, per cmake-language(7): comments (line and bracket),
// and commands whose arguments are bracket, quoted or unquoted arguments
// with balanced parentheses. It returns the first syntax error with its
// line.
func tokenizeCMake(text string) error {
	line := 1
	i := 0
	fail := func(format string, args ...any) error {
		return fmt.Errorf("line %d: %s", line, fmt.Sprintf(format, args...))
	}
	advance := func(n int) {
		line += strings.Count(text[i:i+n], "\n")
		i += n
	}
	// bracket returns the length of a bracket opening "[==[" at text[j:], or 0.
	bracket := func(j int) (int, string) {
		if j >= len(text) || text[j] != '[' {
			return 0, ""
		}
		k := j + 1
		for k < len(text) && text[k] == '=' {
			k++
		}
		if k < len(text) && text[k] == '[' {
			return k + 1 - j, "]" + strings.Repeat("=", k-j-1) + "]"
		}
		return 0, ""
	}
	skipBracket := func(n int, closing string) error {
		end := strings.Index(text[i+n:], closing)
		if end < 0 {
			return fail("unterminated bracket %q", text[i:i+n])
		}
		advance(n + end + len(closing))
		return nil
	}
	skipComment := func() error {
		if n, closing := bracket(i + 1); n > 0 {
			advance(1)
			return skipBracket(n, closing)
		}
		end := strings.IndexByte(text[i:], '\n')
		if end < 0 {
			end = len(text) - i
		}
		advance(end)
		return nil
	}
	for i < len(text) {
		c := text[i]
		switch {
		case c == ' ' || c == '\t' || c == '\n' || c == '\r':
			advance(1)
			continue
		case c == '#':
			if err := skipComment(); err != nil {
				return err
			}
			continue
		case !(c == '_' || c >= 'a' && c <= 'z' || c >= 'A' && c <= 'Z'):
			return fail("expected a command name, found %q", c)
		}
		for i < len(text) && (text[i] == '_' || text[i] >= 'a' && text[i] <= 'z' || text[i] >= 'A' && text[i] <= 'Z' || text[i] >= '0' && text[i] <= '9') {
			advance(1)
		}
		for i < len(text) && (text[i] == ' ' || text[i] == '\t') {
			advance(1)
		}
		if i >= len(text) || text[i] != '(' {
			return fail("expected ( after the command name")
		}
		advance(1)
		depth := 1
		for depth > 0 {
			if i >= len(text) {
				return fail("unterminated argument list")
			}
			c := text[i]
			switch {
			case c == '(':
				depth++
				advance(1)
			case c == ')':
				depth--
				advance(1)
			case c == '#':
				if err := skipComment(); err != nil {
					return err
				}
			case c == '"':
				j := i + 1
				for ; j < len(text) && text[j] != '"'; j++ {
					if text[j] == '\\' {
						j++
						if j < len(text) && !isCMakeEscape(text[j]) {
							return fail("invalid escape \\%c in a quoted argument", text[j])
						}
					}
				}
				if j >= len(text) {
					return fail("unterminated quoted argument")
				}
				advance(j + 1 - i)
			case c == '[':
				if n, closing := bracket(i); n > 0 {
					if err := skipBracket(n, closing); err != nil {
						return err
					}
					continue
				}
				advance(1)
			case c == '\\':
				if i+1 >= len(text) || !isCMakeEscape(text[i+1]) {
					return fail("invalid escape in an unquoted argument")
				}
				advance(2)
			default:
				advance(1)
			}
		}
	}
	return nil
}

// isCMakeEscape reports whether \c is a valid CMake escape sequence: an
// identity escape of a non-alphanumeric character, or \t \r \n \;.
func isCMakeEscape(c byte) bool {
	switch c {
	case 't', 'r', 'n', ';', '\n':
		return true
	}
	return !(c >= 'a' && c <= 'z' || c >= 'A' && c <= 'Z' || c >= '0' && c <= '9')
}

func TestTokenizeCMake(t *testing.T) {
	for text, ok := range map[string]bool{
		"set(x \"a\\\"b\" [[c]] #[[x]] d) # c\nfoo()\n": true,
		"set(x \"a)\n":       false,
		"set(x \"a\\qb\")":   false,
		"set(x [==[a]=]b)":   false,
		"set(x (a)\n":        false,
		"\"x\"()":            false,
		"set(x $<1:${y}>)\n": true,
	} {
		if err := tokenizeCMake(text); (err == nil) != ok {
			t.Errorf("tokenizeCMake(%q) = %v, want ok=%v", text, err, ok)
		}
	}
}
