package generator

import (
	"strings"
	"testing"
)

// TestSourcePathsAreNotReevaluated passes paths holding CMake's special
// characters through the shipped functions up to the extension target:
// each must arrive exactly as written in the generated call
// (docs/safety.md, "Values written into generated files").
// Python3_add_library re-evaluates its arguments, so sources handed to it
// had ${CMAKE_COMMAND} expanded into /usr/bin/cmake.
func TestSourcePathsAreNotReevaluated(t *testing.T) {
	t.Parallel()
	sources := []string{"k/a${CMAKE_COMMAND}b.cpp", "k/$ENV{HOME}.cpp", "k/dollar$.cpp"}
	files := map[string]string{}
	for _, s := range sources {
		files[s] = ""
	}
	call := &cmakeCall{name: "kernel_cpu"}
	call.word("k")
	call.quoted("SOURCES", sources)
	call.quoted("CXX_FLAGS", []string{"-DX=${CMAKE_COMMAND}"})
	out, ok := configureWithPython(t, files, "set(KERNEL_BACKEND cpu)\n"+call.String()+`
kernel_extension(_ops)
get_target_property(sources _ops SOURCES)
get_source_file_property(flags "k/dollar$.cpp" COMPILE_OPTIONS)
message(NOTICE "case0=${sources}")
message(NOTICE "case1=${flags}")
`)
	if !ok {
		t.Fatalf("configure failed:\n%s", out)
	}
	r := resultLines(t, out)
	want := map[string]string{
		"case0": strings.Join(sources, ";"),
		"case1": "$<$<COMPILE_LANGUAGE:CXX>:-DX=${CMAKE_COMMAND}>",
	}
	for k, w := range want {
		if r[k] != w {
			t.Errorf("%s: got %q\nwant %q", k, r[k], w)
		}
	}
}

// TestExtensionIncludesCSrc: the project's csrc/ folder is a private
// include directory of the extension, as in the reference, so a binding
// may include its headers without listing them (megablocks does).
func TestExtensionIncludesCSrc(t *testing.T) {
	t.Parallel()
	out, ok := configureWithPython(t, map[string]string{"torch-ext/b.cpp": ""}, `set(KERNEL_BACKEND cpu)
kernel_torch_binding(SOURCES "torch-ext/b.cpp")
kernel_extension(_ops)
get_target_property(includes _ops INCLUDE_DIRECTORIES)
get_target_property(interface _ops INTERFACE_INCLUDE_DIRECTORIES)
message(NOTICE "case0=${includes}")
message(NOTICE "case1=${interface}")
`)
	if !ok {
		t.Fatalf("configure failed:\n%s", out)
	}
	r := resultLines(t, out)
	if got := r["case0"]; !strings.HasSuffix(got, "$DIR/csrc") || strings.Count(got, "csrc") != 1 {
		t.Errorf("INCLUDE_DIRECTORIES = %q, want it to hold $DIR/csrc once", got)
	}
	if got := r["case1"]; strings.Contains(got, "csrc") {
		t.Errorf("INTERFACE_INCLUDE_DIRECTORIES = %q: csrc must be PRIVATE", got)
	}
}
