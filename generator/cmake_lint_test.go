package generator

import (
	"regexp"
	"strings"
	"testing"

	"github.com/build2cmake-go/build2cmake/cmake"
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
	}
	// Set outside the shipped files: by CMake, FindPython, Torch's CMake
	// config and the packages it finds, or on the command line.
	external := map[string]bool{
		"CUDA_VERSION": true, "NvidiaCutlass_VERSION": true, "Python3_EXECUTABLE": true,
		"NVCC_THREADS": true, "DPCPP_VERSION": true, "METAL_TOOLCHAIN": true,
		"TARGET_DEVICE": true,
	}
	all := strings.Join([]string{sources["utils.cmake"], sources["compile-metal.cmake"], sources["windows.cmake"]}, "\n")
	globalSet := regexp.MustCompile(`\bset\((KERNEL_[A-Z0-9_]+|TORCH_VERSION)\b`)
	for _, m := range globalSet.FindAllStringSubmatch(all, -1) {
		external[m[1]] = true
	}
	external["KERNEL_TORCH_CMAKE_PREFIX_PATH"] = true // set as KERNEL_TORCH_${key}
	for _, key := range []string{"VERSION", "GPU_FLAGS", "CUDA_CAPABILITY", "HIP_VERSION", "HAS_XPU"} {
		external["KERNEL_TORCH_"+key] = true
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
	} {
		for i, line := range strings.Split(text, "\n") {
			if m := bare.FindString(line); m != "" {
				t.Errorf("%s:%d: %q compares a variable name, not its value: %s", file, i+1, m, strings.TrimSpace(line))
			}
		}
	}
}
