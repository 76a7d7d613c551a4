package generator

import (
	"fmt"
	"maps"
	"regexp"
	"slices"
	"strings"
	"testing"

	"github.com/build2cmake-go/build2cmake/cmake"
	"github.com/build2cmake-go/build2cmake/generator/config"
)

// These tests read the shipped CMake rather than run it, for mistakes that
// only show on paths no machine here can run.

// Every variable a message of the shipped CMake prints must be set
// somewhere: by the function itself (a parameter, set, foreach,
// cmake_parse_arguments and the like), by another shipped function (the
// KERNEL_* state), or by CMake, Torch or the user (docs/design.md,
// "Messages that say what they mean": the reference printed ${EXECUTABLE}
// and ${ERR_MSG}, which nothing set).
func TestMessagesPrintOnlyDefinedVariables(t *testing.T) {
	sources := map[string]string{
		"utils.cmake":         utilsContent(),
		"compile-metal.cmake": cmake.CompileMetal,
		"windows.cmake":       cmake.Windows,
		"tvm-ffi.cmake":       cmake.TVMFFI,
		"variants.cmake":      variantsContent(),
	}
	// Set outside the shipped files: by CMake, FindPython, Torch's CMake
	// config and the packages it finds, or on the command line.
	external := map[string]bool{
		"CUDA_VERSION": true, "NvidiaCutlass_VERSION": true, "Python3_EXECUTABLE": true,
		"NVCC_THREADS": true, "DPCPP_VERSION": true, "METAL_TOOLCHAIN": true,
		"TARGET_DEVICE": true,
	}
	all := strings.Join(slices.Collect(maps.Values(sources)), "\n")
	globalSet := regexp.MustCompile(`\bset\((KERNEL_[A-Z0-9_]+|TORCH_VERSION)\b`)
	for _, m := range globalSet.FindAllStringSubmatch(all, -1) {
		external[m[1]] = true
	}
	external["KERNEL_TORCH_CMAKE_PREFIX_PATH"] = true // set as KERNEL_TORCH_${key}
	for _, key := range []string{"VERSION", "GPU_FLAGS", "CUDA_CAPABILITY", "HIP_VERSION", "HAS_XPU"} {
		external["KERNEL_TORCH_"+key] = true
	}
	// Set as KERNEL_TVM_FFI_${key} by _kernel_tvm_ffi_query.
	for _, key := range []string{"VERSION", "CMAKE_DIR", "INCLUDE_DIR", "DLPACK_INCLUDE_DIR", "LIBRARY", "CUDA_CAPABILITY"} {
		external["KERNEL_TVM_FFI_"+key] = true
	}

	for file, text := range sources {
		for _, body := range cmakeBodies(text) {
			for _, msg := range messageCalls(body.text) {
				for _, ref := range regexp.MustCompile(`\$\{([A-Za-z0-9_]+)\}`).FindAllStringSubmatch(msg, -1) {
					name := ref[1]
					if strings.HasPrefix(name, "CMAKE_") || external[name] || definedIn(body, name) {
						continue
					}
					t.Errorf("%s: %s prints ${%s}, which nothing sets:\n%s", file, body.name, name, msg)
				}
			}
		}
	}
}

// cmakeBody is a function or macro of a CMake file, or the file's top level.
type cmakeBody struct {
	name   string
	params []string
	text   string
}

var bodyStart = regexp.MustCompile(`(?m)^(function|macro)\(([A-Za-z0-9_]+)([^)]*)\)`)

// cmakeBodies splits a CMake file into its functions and macros.
func cmakeBodies(text string) []cmakeBody {
	var bodies []cmakeBody
	locs := bodyStart.FindAllStringSubmatchIndex(text, -1)
	for i, loc := range locs {
		end := len(text)
		if i+1 < len(locs) {
			end = locs[i+1][0]
		}
		bodies = append(bodies, cmakeBody{
			name:   text[loc[4]:loc[5]],
			params: strings.Fields(text[loc[6]:loc[7]]),
			text:   text[loc[0]:end],
		})
	}
	return bodies
}

// messageCalls returns the text of each message(...) call in body.
func messageCalls(body string) []string {
	var calls []string
	for rest := body; ; {
		i := strings.Index(rest, "message(")
		if i < 0 {
			return calls
		}
		depth, j := 0, i+len("message")
		for ; j < len(rest); j++ {
			if rest[j] == '(' {
				depth++
			} else if rest[j] == ')' {
				depth--
				if depth == 0 {
					break
				}
			}
		}
		calls = append(calls, rest[i:j])
		rest = rest[j:]
	}
}

// definedIn reports whether body gives name a value: as a parameter, through
// a cmake_parse_arguments prefix, or by naming it outside ${...} (set,
// foreach, list, string, get_property, execute_process and so on all take
// the output variable's bare name).
func definedIn(body cmakeBody, name string) bool {
	for _, p := range body.params {
		if p == name {
			return true
		}
	}
	for _, m := range regexp.MustCompile(`cmake_parse_arguments\((?:PARSE_ARGV [0-9]+ )?([A-Za-z0-9_]+)`).FindAllStringSubmatch(body.text, -1) {
		if strings.HasPrefix(name, m[1]+"_") {
			return true
		}
	}
	bare := regexp.MustCompile(`(^|[^{A-Za-z0-9_])` + regexp.QuoteMeta(name) + `($|[^}A-Za-z0-9_])`)
	return bare.MatchString(strings.SplitN(body.text, "\n", 2)[1])
}

// `if(x STREQUAL "")` compares the string "x" when the variable x is not
// defined (get_property on an unset property leaves it so), which made the
// first CUTLASS dependency look like a second one. Empty checks must expand
// the variable: `if("${x}" STREQUAL "")`.
func TestEmptyChecksExpandTheirVariable(t *testing.T) {
	bare := regexp.MustCompile(`\b[A-Za-z_][A-Za-z0-9_]* STREQUAL ""`)
	for file, text := range map[string]string{
		"utils.cmake":         utilsContent(),
		"compile-metal.cmake": cmake.CompileMetal,
		"windows.cmake":       cmake.Windows,
		"tvm-ffi.cmake":       cmake.TVMFFI,
		"variants.cmake":      variantsContent(),
	} {
		for i, line := range strings.Split(text, "\n") {
			if m := bare.FindString(line); m != "" {
				t.Errorf("%s:%d: %q compares a variable name, not its value: %s", file, i+1, m, strings.TrimSpace(line))
			}
		}
	}
}

// cmakeCommand is one command invocation of a CMake file, with its
// arguments as written (quoted arguments without their quotes, bracket
// arguments without their brackets, nothing expanded).
type cmakeCommand struct {
	name string
	args []string
	line int
}

// cmakeCommands lists the command invocations of text, which must be
// well-formed (tokenizeCMake). Parentheses nested in the arguments are
// arguments of their own.
func cmakeCommands(text string) []cmakeCommand {
	var cmds []cmakeCommand
	line, i := 1, 0
	advance := func(n int) {
		line += strings.Count(text[i:i+n], "\n")
		i += n
	}
	bracketClose := func(j int) string {
		if j >= len(text) || text[j] != '[' {
			return ""
		}
		k := j + 1
		for k < len(text) && text[k] == '=' {
			k++
		}
		if k < len(text) && text[k] == '[' {
			return "]" + strings.Repeat("=", k-j-1) + "]"
		}
		return ""
	}
	skipComment := func() {
		if closing := bracketClose(i + 1); closing != "" {
			end := strings.Index(text[i:], closing)
			advance(end + len(closing))
			return
		}
		end := strings.IndexByte(text[i:], '\n')
		if end < 0 {
			end = len(text) - i
		}
		advance(end)
	}
	isName := func(c byte) bool {
		return c == '_' || c >= 'a' && c <= 'z' || c >= 'A' && c <= 'Z' || c >= '0' && c <= '9'
	}
	for i < len(text) {
		switch c := text[i]; {
		case c == ' ' || c == '\t' || c == '\n' || c == '\r':
			advance(1)
			continue
		case c == '#':
			skipComment()
			continue
		}
		start := i
		for i < len(text) && isName(text[i]) {
			advance(1)
		}
		cmd := cmakeCommand{name: strings.ToLower(text[start:i]), line: line}
		for i < len(text) && text[i] != '(' {
			advance(1)
		}
		advance(1)
		for depth := 1; depth > 0 && i < len(text); {
			switch c := text[i]; {
			case c == ' ' || c == '\t' || c == '\n' || c == '\r':
				advance(1)
			case c == '#':
				skipComment()
			case c == '(' || c == ')':
				if c == '(' {
					depth++
				} else {
					depth--
				}
				if depth > 0 {
					cmd.args = append(cmd.args, string(c))
				}
				advance(1)
			case c == '"':
				j := i + 1
				for ; j < len(text) && text[j] != '"'; j++ {
					if text[j] == '\\' {
						j++
					}
				}
				cmd.args = append(cmd.args, text[i+1:j])
				advance(j + 1 - i)
			case bracketClose(i) != "":
				closing := bracketClose(i)
				end := strings.Index(text[i:], closing)
				cmd.args = append(cmd.args, text[i+len(closing):i+end])
				advance(end + len(closing))
			default:
				j := i
				for j < len(text) && !strings.ContainsRune(" \t\r\n()\"#", rune(text[j])) {
					if text[j] == '\\' {
						j++
					}
					j++
				}
				cmd.args = append(cmd.args, text[i:j])
				advance(j - i)
			}
		}
		cmds = append(cmds, cmd)
	}
	return cmds
}

// shippedCMake is every CMake file build2cmake writes, for every backend,
// both target systems and both layouts, by name.
func shippedCMake(t *testing.T) map[string]string {
	t.Helper()
	files := map[string]string{}
	add := func(label string, rendered []File) {
		for _, f := range rendered {
			if strings.HasSuffix(f.Path, ".cmake") || strings.HasSuffix(f.Path, "CMakeLists.txt") {
				files[label+":"+f.Path] = string(f.Content)
			}
		}
	}
	for _, backend := range config.Backends {
		for _, goos := range []string{"linux", "windows", "darwin"} {
			add(string(backend)+"/"+goos, mustRender(t, testBuild(), Options{Backend: backend, OpsName: "_relu_test_abc", TargetOS: goos}))
		}
	}
	rendered, err := RenderPyproject(testBuild(), PyprojectOptions{UniqueID: "abc"})
	if err != nil {
		t.Fatal(err)
	}
	add("pyproject", rendered)
	tvm := testBuild()
	tvm.Framework, tvm.TVMFFI, tvm.Torch = config.FrameworkTVMFFI, &config.TVMFFI{Src: []string{"tvm-ffi-ext/binding.cpp"}}, nil
	if rendered, err = RenderPyproject(tvm, PyprojectOptions{UniqueID: "abc"}); err != nil {
		t.Fatal(err)
	}
	add("tvm-ffi", rendered)
	return files
}

// shellPrograms are programs a command must not run: a shell, or a POSIX
// utility that Windows lacks (cmake -E does the same everywhere).
var shellPrograms = []string{
	"sh", "/bin/sh", "bash", "/bin/bash", "zsh", "cmd", "cmd.exe", "powershell", "pwsh",
	"cp", "mv", "rm", "mkdir", "ln", "touch", "cat", "echo", "test", "true", "false",
	"sed", "awk", "find", "xargs", "chmod", "env", "tar",
}

// shellProblems says what in the custom command or process cmd needs a
// POSIX shell, or runs without VERBATIM (so that a list or a path with a
// space would reach the shell unquoted: today's kernel-builder passed
// "8.0;12.0" to a command that way, and /bin/sh ran "12.0").
func shellProblems(cmd cmakeCommand) []string {
	var problems []string
	hasCommand := slices.Contains(cmd.args, "COMMAND")
	if cmd.name == "add_custom_target" && len(cmd.args) > 1 {
		// add_custom_target(name [ALL] [command args...] ...): a command
		// may come without the COMMAND keyword.
		next := cmd.args[1]
		if next == "ALL" && len(cmd.args) > 2 {
			next = cmd.args[2]
		}
		if !slices.Contains([]string{"ALL", "COMMAND", "DEPENDS", "BYPRODUCTS", "WORKING_DIRECTORY", "COMMENT", "JOB_POOL", "JOB_SERVER_AWARE", "VERBATIM", "USES_TERMINAL", "COMMAND_EXPAND_LISTS", "SOURCES"}, next) {
			hasCommand = true
			problems = append(problems, "a command without the COMMAND keyword")
		}
	}
	if cmd.name != "execute_process" && hasCommand && !slices.Contains(cmd.args, "VERBATIM") {
		problems = append(problems, "no VERBATIM")
	}
	for k, arg := range cmd.args {
		if slices.Contains(shellOperators, arg) || arg == ";" || arg == "&" {
			problems = append(problems, fmt.Sprintf("shell operator %q", arg))
		}
		if strings.Contains(arg, "$(") || strings.Contains(arg, "`") {
			problems = append(problems, fmt.Sprintf("shell substitution in %q", arg))
		}
		if arg == "COMMAND" && k+1 < len(cmd.args) && slices.Contains(shellPrograms, cmd.args[k+1]) {
			problems = append(problems, fmt.Sprintf("runs %q, which needs a POSIX system", cmd.args[k+1]))
		}
	}
	return problems
}

// shellOperators are the words a shell reads as redirections, pipes or
// command lists.
var shellOperators = []string{"<", ">", "<<", ">>", "|", "||", "&&", "&>", "1>", "2>", "2>&1", "1>&2"}

// The commands the generated build runs go through no POSIX shell: each
// runs a program directly with VERBATIM arguments, so that they work the
// same on Windows and with any path or list.
func TestCustomCommandsNeedNoShell(t *testing.T) {
	checked := 0
	for name, text := range shippedCMake(t) {
		for _, cmd := range cmakeCommands(text) {
			switch cmd.name {
			case "add_custom_command", "add_custom_target", "execute_process":
			default:
				continue
			}
			checked++
			for _, p := range shellProblems(cmd) {
				t.Errorf("%s:%d: %s: %s", name, cmd.line, cmd.name, p)
			}
		}
	}
	t.Logf("%d commands checked", checked)
	if checked < 5 {
		t.Errorf("only %d commands found: the parser misses them", checked)
	}
}

// The check itself catches each shell-only construct.
func TestShellProblems(t *testing.T) {
	for text, want := range map[string]string{
		`add_custom_command(TARGET t POST_BUILD COMMAND "${Python3_EXECUTABLE}" x.py --archs "${archs}")`: "no VERBATIM",
		`add_custom_target(t COMMAND sh -c "cp a b" VERBATIM)`:                                            `runs "sh", which needs a POSIX system`,
		`add_custom_target(t COMMAND mkdir -p out VERBATIM)`:                                              `runs "mkdir", which needs a POSIX system`,
		`add_custom_target(t COMMAND x > out.txt VERBATIM)`:                                               `shell operator ">"`,
		`execute_process(COMMAND x && y)`:                                                                 `shell operator "&&"`,
		`add_custom_target(t ALL echo hi)`:                                                                `a command without the COMMAND keyword`,
		`execute_process(COMMAND x "$(pwd)")`:                                                             `shell substitution in "$(pwd)"`,
	} {
		cmds := cmakeCommands(text)
		if len(cmds) != 1 || !slices.Contains(shellProblems(cmds[0]), want) {
			t.Errorf("%s: problems %q, want %q", text, shellProblems(cmds[0]), want)
		}
	}
	ok := `add_custom_target(local_install COMMAND "${CMAKE_COMMAND}" --install "${dir}" --prefix "a b" VERBATIM)`
	if p := shellProblems(cmakeCommands(ok)[0]); len(p) > 0 {
		t.Errorf("%s: problems %q, want none", ok, p)
	}
}
