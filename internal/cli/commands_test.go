package cli

import (
	"bytes"
	"errors"
	"os"
	"path/filepath"
	"runtime/debug"
	"strings"
	"testing"

	"github.com/build2cmake-go/build2cmake/generator/config"
)

func TestUpdateBuild(t *testing.T) {
	path := fakeProject(t, "v2")
	if err := os.Chmod(path, 0o640); err != nil {
		t.Fatal(err)
	}
	r := runFake(t, "", "update-build", "--license", "MIT", path)
	if want := "converted " + path + " from v2 to edition 5\n"; r.code != 0 || r.stdout != want || r.stderr != "" {
		t.Fatalf("update-build v2: %+v, want exit 0 and stdout %q", r, want)
	}
	if got := readFile(t, path); got != "e5 of v2\n" {
		t.Errorf("build.toml = %q, want the encoder's output", got)
	}
	if info, err := os.Stat(path); err != nil || info.Mode().Perm() != 0o640 {
		t.Errorf("mode after update = %v (%v), want 0640 kept", info.Mode().Perm(), err)
	}
	if got := listTree(t, filepath.Dir(path)); len(got) != 1 {
		t.Errorf("directory holds %q, want only build.toml (no temporary files)", got)
	}

	// Running again finds edition 5: the file is not even rewritten.
	ageTree(t, filepath.Dir(path))
	r = runFake(t, "", "update-build", path)
	if want := path + " is already in edition 5; nothing to do\n"; r.code != 0 || r.stdout != want {
		t.Errorf("second update-build: %+v, want %q", r, want)
	}
	if got := rewritten(t, filepath.Dir(path)); len(got) != 0 {
		t.Errorf("update-build of an edition 5 file rewrote it")
	}
}

func TestUpdateBuildRefusesBrokenOutput(t *testing.T) {
	path := fakeProject(t, "v1")
	var stdout, stderr strings.Builder
	a := newApp(strings.NewReader(""), &stdout, &stderr)
	a.parse, a.parseForUpdate, a.render = fakeParse, fakeParse, fakeRender
	a.encode = func(*config.Build, *config.Layout) []byte { return []byte("garbage\n") }
	if code := a.run([]string{"update-build", "--license", "MIT", path}); code != 2 {
		t.Fatalf("exit %d, want 2", code)
	}
	want := "build2cmake: converting " + path + " to edition 5 gave a file that does not load; left it unchanged:\n" +
		path + ":1:1: unknown build \"garbage\"\n" + path + ":2:3: second problem\n"
	if stderr.String() != want || stdout.String() != "" {
		t.Errorf("stderr:\n%s\nwant:\n%s", stderr.String(), want)
	}
	if got := readFile(t, path); got != "v1\n" {
		t.Errorf("build.toml = %q, want it unchanged", got)
	}
}

func TestValidate(t *testing.T) {
	path := fakeProject(t, "cpu")
	warnings := []config.Diagnostic{
		{Path: path, Line: 3, Col: 1, Severity: config.Warning, Message: "source file \"x.cpp\" does not exist"},
		{Path: path, Line: 7, Col: 9, Severity: config.Warning, Message: "kernel name is odd"},
	}
	run := func(lint []config.Diagnostic, args ...string) result {
		var stdout, stderr strings.Builder
		a := newApp(strings.NewReader(""), &stdout, &stderr)
		a.parse = fakeParse
		var root string
		a.lint = func(_ *config.Loaded, r string) []config.Diagnostic { root = r; return lint }
		code := a.run(args)
		if want := filepath.Dir(args[len(args)-1]); code == 0 && root != want {
			t.Errorf("lint root = %q, want the directory of build.toml", root)
		}
		return result{code, stdout.String(), stderr.String()}
	}

	if r := run(nil, "validate", path); r.code != 0 || r.stdout != path+": valid\n" || r.stderr != "" {
		t.Errorf("clean file: %+v", r)
	}

	r := run(warnings, "validate", path)
	wantErr := path + ":3:1: warning: source file \"x.cpp\" does not exist\n" + path + ":7:9: warning: kernel name is odd\n"
	if r.code != 0 || r.stdout != path+": valid, 2 warnings\n" || r.stderr != wantErr {
		t.Errorf("warnings: %+v\nwant stderr:\n%s", r, wantErr)
	}

	r = run(warnings, "validate", "--strict", path)
	wantErr = path + ":3:1: source file \"x.cpp\" does not exist\n" + path + ":7:9: kernel name is odd\n"
	if r.code != 2 || r.stdout != "" || r.stderr != wantErr {
		t.Errorf("--strict: %+v\nwant exit 2 and stderr:\n%s", r, wantErr)
	}

	bad := fakeProject(t, "nonsense")
	r = run(nil, "validate", bad)
	if r.code != 2 || r.stdout != "" || !strings.HasPrefix(r.stderr, bad+":1:1: unknown build") {
		t.Errorf("invalid file: %+v", r)
	}

	old := fakeProject(t, "v1")
	r = run(nil, "validate", old)
	if r.code != 0 || !strings.Contains(r.stderr, "deprecated v1 format") {
		t.Errorf("v1 file: %+v, want exit 0 and a deprecation warning", r)
	}
}

func TestVersion(t *testing.T) {
	for _, flag := range []string{"--version", "-V"} {
		r := runFake(t, "", flag)
		// go test stamps neither a module version nor VCS data into the
		// test binary; versionFrom's cases below cover stamped builds.
		if r.code != 0 || r.stdout != "build2cmake (devel)\n" || r.stderr != "" {
			t.Errorf("%s: %+v", flag, r)
		}
	}
	for _, tc := range []struct {
		info *debug.BuildInfo
		ok   bool
		want string
	}{
		{nil, false, "(devel)"},
		{&debug.BuildInfo{Main: debug.Module{Version: "v0.9.1"}}, true, "v0.9.1"},
		{&debug.BuildInfo{Main: debug.Module{Version: "(devel)"}, Settings: []debug.BuildSetting{
			{Key: "vcs.revision", Value: "0123456789abcdef0123"}, {Key: "vcs.modified", Value: "true"},
		}}, true, "(devel) (0123456789ab, dirty)"},
		{&debug.BuildInfo{Main: debug.Module{Version: "v1.0.0"}, Settings: []debug.BuildSetting{
			{Key: "vcs.revision", Value: "abc"}, {Key: "vcs.modified", Value: "false"},
		}}, true, "v1.0.0 (abc)"},
	} {
		if got := versionFrom(tc.info, tc.ok); got != tc.want {
			t.Errorf("versionFrom(%+v) = %q, want %q", tc.info, got, tc.want)
		}
	}
}

func TestCompletion(t *testing.T) {
	for _, shell := range []string{"bash", "zsh", "fish", "powershell"} {
		r := runFake(t, "", "completion", shell)
		if r.code != 0 || !strings.Contains(r.stdout, "build2cmake") || r.stderr != "" {
			t.Errorf("completion %s: exit %d, %d bytes on stdout, stderr %q", shell, r.code, len(r.stdout), r.stderr)
		}
	}
}

func TestCompletionUnknownShell(t *testing.T) {
	for args, want := range map[string]string{
		"tcsh": "build2cmake: unknown shell \"tcsh\"; expected one of bash, fish, powershell, zsh\n",
		"":     "build2cmake: missing shell: one of bash, fish, powershell, zsh\n",
	} {
		r := runFake(t, "", strings.Fields("completion "+args)...)
		want += "run `build2cmake completion --help` for usage\n"
		if r.code != 2 || r.stdout != "" || r.stderr != want {
			t.Errorf("completion %s: %+v, want exit 2 and stderr %q", args, r, want)
		}
	}
}

// fullWriter fails every write, as stdout redirected to /dev/full does.
type fullWriter struct{}

func (fullWriter) Write([]byte) (int, error) { return 0, errors.New("no space left on device") }

// TestStdoutWriteErrorFails: output that could not be written is a
// failure, not a silent success.
func TestStdoutWriteErrorFails(t *testing.T) {
	path := fakeProject(t, "cpu")
	for _, args := range [][]string{
		{"generate-torch", "--dry-run", path},
		{"--help"},
		{"completion", "bash"},
	} {
		var stderr bytes.Buffer
		a := newApp(strings.NewReader(""), fullWriter{}, &stderr)
		a.parse, a.encode, a.render = fakeParse, fakeEncode, fakeRender
		a.lint = func(*config.Loaded, string) []config.Diagnostic { return nil }
		code := a.run(args)
		if code != 2 || !strings.Contains(stderr.String(), "no space left on device") {
			t.Errorf("%q with a full stdout: exit %d, stderr %q; want exit 2 naming the error", args, code, stderr.String())
		}
	}
}

func TestHelp(t *testing.T) {
	r := runFake(t, "", "generate-torch", "--help")
	if r.code != 0 || !strings.Contains(r.stdout, "generate-torch [flags] BUILD_TOML [TARGET_DIR]") {
		t.Errorf("--help: %+v", r)
	}
	if strings.Contains(r.stdout, "target-os") {
		t.Errorf("--help shows the hidden --target-os flag")
	}
}

// TestRootUsage: the usage line says what a bare build2cmake does: it
// needs a command, and says so.
func TestRootUsage(t *testing.T) {
	r := runFake(t, "")
	if want := "build2cmake: missing command\nrun `build2cmake --help` for usage\n"; r.code != ExitBadInput || r.stderr != want {
		t.Errorf("bare build2cmake: %+v, want exit 2 and %q", r, want)
	}
	r = runFake(t, "", "--help")
	if want := "\nUsage:\n  build2cmake COMMAND [flags] [arguments]\n  build2cmake --version | --help\n\nAvailable Commands:\n"; r.code != 0 || !strings.Contains(r.stdout, want) {
		t.Errorf("--help: %+v\nwant it to hold %q", r, want)
	}
	if strings.Contains(r.stdout, "build2cmake [flags]") || strings.Contains(r.stdout, "  build2cmake [command]\n") {
		t.Errorf("--help still shows cobra's usage lines:\n%s", r.stdout)
	}
	// Commands keep their own usage line.
	if r := runFake(t, "", "clean", "--help"); !strings.Contains(r.stdout, "Usage:\n  build2cmake clean [flags] BUILD_TOML [TARGET_DIR]\n") {
		t.Errorf("clean --help:\n%s", r.stdout)
	}
}

// TestIDFlagAliases: every command that takes an id takes it as --ops-id
// and as --unique-id; each documents one and names the other.
func TestIDFlagAliases(t *testing.T) {
	for _, tc := range []struct{ command, documented, alias string }{
		{"generate-torch", "--ops-id", "--unique-id"},
		{"clean", "--ops-id", "--unique-id"},
		{"create-pyproject", "--unique-id", "--ops-id"},
		{"clean-pyproject", "--ops-id", "--unique-id"},
	} {
		r := runFake(t, "", tc.command, "--help")
		if !strings.Contains(r.stdout, "      "+tc.documented+" string ") || !strings.Contains(r.stdout, "; "+tc.alias+" is another name for it\n") {
			t.Errorf("%s --help does not document %s with its alias %s:\n%s", tc.command, tc.documented, tc.alias, r.stdout)
		}
		if strings.Contains(r.stdout, "      "+tc.alias+" string ") {
			t.Errorf("%s --help lists the alias %s as a flag of its own", tc.command, tc.alias)
		}
	}

	// The old layout's commands, with the fakes.
	path := fakeProject(t, "cpu")
	dir := filepath.Dir(path)
	if r := runFake(t, "", "generate-torch", "--unique-id", "alias1", path); r.code != 0 {
		t.Fatalf("generate-torch --unique-id: %+v", r)
	}
	if ops := readFile(t, filepath.Join(dir, "torch-ext/relu_kernel/_ops.py")); !strings.Contains(ops, "torch.ops._relu_kernel_alias1\n") {
		t.Errorf("generate-torch --unique-id did not set the id:\n%s", ops)
	}
	if r := runFake(t, "", "clean", "--unique-id", "alias1", "--force", path); r.code != 0 || !strings.HasSuffix(r.stdout, "cleaned 4 generated files\n") {
		t.Errorf("clean --unique-id: %+v", r)
	}

	// Today's layout, for real.
	kernel := kernelFolder(t)
	if r := runReal(t, "", "create-pyproject", "--ops-id", "alias2", kernel); r.code != 0 {
		t.Fatalf("create-pyproject --ops-id: %+v", r)
	}
	if m := readFile(t, filepath.Join(kernel, "metadata-cpu.json")); !strings.Contains(m, `"id": "_my_relu_cpu_alias2"`) {
		t.Errorf("create-pyproject --ops-id did not set the id:\n%s", m)
	}
	if r := runReal(t, "", "clean-pyproject", "--unique-id", "alias2", "--force", kernel); r.code != 0 || !strings.Contains(r.stdout, "cleaned ") {
		t.Errorf("clean-pyproject --unique-id: %+v", r)
	}
}
