package generator

import (
	"fmt"
	"maps"
	"os/exec"
	"path/filepath"
	"slices"
	"strings"
	"testing"
	"unicode/utf8"

	"github.com/build2cmake-go/build2cmake/generator/config"
	"github.com/build2cmake-go/build2cmake/internal/testenv"
)

// TestSourcePathsAreNotReevaluated passes paths holding CMake's special
// characters through the shipped functions up to the extension target:
// each must arrive exactly as written in the generated call (SPEC E).
// Python3_add_library re-evaluates its arguments, so sources handed to it
// had ${CMAKE_COMMAND} expanded into /usr/bin/cmake.
func TestSourcePathsAreNotReevaluated(t *testing.T) {
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
		// The $ escaped for the generator expression around the flag.
		"case1": "$<$<COMPILE_LANGUAGE:CXX>:-DX=$<1:$>{CMAKE_COMMAND}>",
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

// hostileTOMLBuild is a v3 build.toml with one CPU kernel k<i> whose
// field key holds value in the way kind says.
func hostileTOMLBuild(key, value string) string {
	list := config.TOMLString(value)
	if key == "src" {
		list = `"k/a` + strings.TrimPrefix(config.TOMLString(value), `"`)
		list = strings.TrimSuffix(list, `"`) + `b.cpp"`
	}
	src := ""
	if key != "src" {
		src = "src = [\"k/k.cpp\"]\n"
	}
	return "[general]\nname = \"hostile\"\nbackends = [\"cpu\"]\n\n[torch]\nsrc = [\"torch-ext/torch_binding.cpp\"]\n\n" +
		"[kernel.k]\nbackend = \"cpu\"\ndepends = [\"torch\"]\n" + src + key + " = [" + list + "]\n"
}

// TestHostileValuesReachCMakeIntact holds the rule of config's
// checkCMakeValues to a real build: every hostile value is either refused
// when build.toml loads, or, as a source path, an include directory and a
// C++ flag, reaches the compiler exactly as written. The generated project
// is configured against Debian's Torch, and each compile command Ninja
// would run is split by /bin/sh.
func TestHostileValuesReachCMakeIntact(t *testing.T) {
	if testing.Short() {
		t.Skip("skipping under -short: configuring against Torch takes seconds")
	}
	python := requireTorchPython(t)
	testenv.LookPath(t, "c++")
	type want struct{ value, source, include, flag string }
	b := &config.Build{
		General: config.General{Name: "hostile", Backends: []config.Backend{config.CPU}},
		Torch:   &config.Torch{Src: []string{"torch-ext/torch_binding.cpp"}},
	}
	var wants []want
	refused := 0
	for i, v := range hostileValues {
		accepted := func(key string) bool {
			_, err := config.Parse("build.toml", []byte(hostileTOMLBuild(key, v)))
			if err != nil {
				refused++
				if !strings.Contains(err.Error(), "build.toml:") {
					t.Errorf("value %q in %s refused without a position: %v", v, key, err)
				}
			}
			return err == nil
		}
		if !utf8.ValidString(v) {
			continue // no TOML file holds it
		}
		k := config.Kernel{Name: fmt.Sprintf("k%d", i), Backend: config.CPU, Depends: []string{"torch"}}
		w := want{value: v}
		w.source = fmt.Sprintf("k%d/k.cpp", i)
		if accepted("src") {
			w.source = fmt.Sprintf("k%d/a%sb.cpp", i, v)
		}
		k.Src = []string{w.source}
		if accepted("include") {
			w.include = fmt.Sprintf("k%d/%s", i, v)
			k.Include = []string{w.include}
		}
		if accepted("cxx-flags") {
			w.flag = v
			k.CXXFlags = []string{v}
		}
		b.Kernels = append(b.Kernels, k)
		wants = append(wants, w)
	}
	if refused == 0 || len(wants) == 0 {
		t.Fatalf("%d values refused, %d kernels: the table proves nothing", refused, len(wants))
	}
	dir := t.TempDir()
	for _, f := range mustRender(t, b, Options{Backend: config.CPU, OpsName: "_hostile_x", TargetOS: "linux"}) {
		writeTestFile(t, filepath.Join(dir, f.Path), string(f.Content))
	}
	writeTestFile(t, filepath.Join(dir, "torch-ext", "torch_binding.cpp"), "")
	for _, w := range wants {
		writeTestFile(t, filepath.Join(dir, w.source), "")
	}
	configure(t, dir, nil, "-DPython3_EXECUTABLE="+python)

	// The arguments of each compile command Ninja would run, as /bin/sh
	// (which Ninja runs them with) splits them, keyed by the source
	// after -c. (compile_commands.json does not quote every -o path, so
	// it is not read.)
	ninja, err := exec.Command("ninja", "-C", filepath.Join(dir, "build"), "-t", "commands").Output()
	if err != nil {
		t.Fatalf("ninja -t commands: %v", err)
	}
	commands := map[string][]string{}
	for _, line := range strings.Split(string(ninja), "\n") {
		if !strings.Contains(line, " -c ") {
			continue
		}
		split := exec.Command("/bin/sh", "-c", `printf '%s\0' `+line)
		split.Dir = t.TempDir() // where a stray redirection would write
		out, err := split.Output()
		if err != nil {
			t.Fatalf("splitting %s: %v", line, err)
		}
		args := strings.Split(strings.TrimSuffix(string(out), "\x00"), "\x00")
		if c := slices.Index(args, "-c"); c >= 0 && c+1 < len(args) {
			commands[args[c+1]] = args
		}
	}
	for _, w := range wants {
		args, ok := commands[filepath.Join(dir, w.source)]
		if !ok {
			t.Errorf("value %q: no compile command for source %q in %q", w.value, w.source, slices.Sorted(maps.Keys(commands)))
			continue
		}
		if w.include != "" && !slices.Contains(args, "-I"+filepath.Join(dir, w.include)) {
			t.Errorf("value %q: include directory %q did not arrive intact: %q", w.value, w.include, args)
		}
		if w.flag != "" && !slices.Contains(args, w.flag) {
			t.Errorf("value %q: flag did not arrive intact: %q", w.value, args)
		}
	}
}
