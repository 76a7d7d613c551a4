package cli

import (
	"os"
	"os/exec"
	"path/filepath"
	"strings"
	"syscall"
	"testing"

	"github.com/build2cmake-go/build2cmake/generator/config"
	"github.com/build2cmake-go/build2cmake/internal/testenv"
)

// v3NoLicense is a v3 file without the license edition 5 requires.
const v3NoLicense = "[general]\nname = \"relu\"\nversion = 2\nbackends = [\"cpu\"]\n\n[torch]\nsrc = [\"torch-ext/torch_binding.cpp\"]\n\n[kernel.relu]\nbackend = \"cpu\"\ndepends = [\"torch\"]\nsrc = [\"relu/relu.cpp\"]\n"

// printedCommand returns the command line update-build printed as the
// last line of stderr, split as a POSIX shell splits it (words and
// single-quoted strings, which is all shellQuote writes), without the
// program name.
func printedCommand(t *testing.T, stderr string) []string {
	t.Helper()
	lines := strings.Split(strings.TrimRight(stderr, "\n"), "\n")
	line := strings.TrimSpace(lines[len(lines)-1])
	var words []string
	var cur strings.Builder
	inWord, quoted := false, false
	for _, r := range line {
		switch {
		case quoted && r == '\'':
			quoted = false
		case quoted:
			cur.WriteRune(r)
		case r == '\'':
			quoted, inWord = true, true
		case r == ' ':
			if inWord {
				words = append(words, cur.String())
				cur.Reset()
			}
			inWord = false
		default:
			cur.WriteRune(r)
			inWord = true
		}
	}
	if inWord {
		words = append(words, cur.String())
	}
	if len(words) < 2 || words[0] != "build2cmake" || quoted {
		t.Fatalf("last line of stderr is not a build2cmake command: %q", line)
	}
	return words[1:]
}

// TestRealUpdateBuildDiffNeedsNoLicense: --diff writes nothing, so a file
// without a license shows its conversion with a placeholder, and stderr
// prints the command that converts it; that command works as pasted, in a
// folder whose name needs quotes.
func TestRealUpdateBuildDiffNeedsNoLicense(t *testing.T) {
	dir := filepath.Join(t.TempDir(), "my kernel")
	path := filepath.Join(dir, "build.toml")
	writeFile(t, path, v3NoLicense)
	t.Chdir(filepath.Dir(dir))
	r := runReal(t, "", "update-build", "--diff", "my kernel")
	wantOut := "--- a/build.toml\n+++ b/build.toml\n@@ -1,6 +1,8 @@\n [general]\n name = \"relu\"\n version = 2\n+edition = 5\n+license = \"<pass --license>\"\n backends = [\"cpu\"]\n \n [torch]\n"
	wantErr := "build2cmake: note: my kernel/build.toml has no license, which edition 5 requires; the diff shows \"<pass --license>\" in its place\n" +
		"build2cmake: my kernel/build.toml would change as shown; to convert it, run with the kernel's license:\n" +
		"  build2cmake update-build --license Apache-2.0 'my kernel'\n"
	if r.code != ExitDiffers || r.stdout != wantOut || r.stderr != wantErr {
		t.Fatalf("update-build --diff: exit %d\nstdout:\n%s\nstderr:\n%s\nwant exit 1, stdout:\n%s\nstderr:\n%s", r.code, r.stdout, r.stderr, wantOut, wantErr)
	}
	if readFile(t, path) != v3NoLicense {
		t.Fatal("update-build --diff wrote the file")
	}
	// Without --diff the command stops and prints the same command.
	r = runReal(t, "", "update-build", "my kernel")
	wantErr = "build2cmake: my kernel/build.toml has no license, which edition 5 requires; run with the kernel's license, for example:\n" +
		"  build2cmake update-build --license Apache-2.0 'my kernel'\n"
	if r.code != ExitBadInput || r.stderr != wantErr || readFile(t, path) != v3NoLicense {
		t.Fatalf("update-build without --license: %+v\nwant exit 2 and %q", r, wantErr)
	}
	args := printedCommand(t, r.stderr)
	if r := runReal(t, "", args...); r.code != 0 || r.stdout != "converted my kernel/build.toml from v3 to edition 5\n" {
		t.Fatalf("the printed command %q: %+v", args, r)
	}
	if got := readFile(t, path); !strings.Contains(got, "license = \"Apache-2.0\"") {
		t.Errorf("converted file:\n%s", got)
	}
}

// TestRealUpdateBuildDiffApplies: the diff has a/ and b/ labels like
// --check's, and `git apply` in the kernel folder turns the file into
// exactly what update-build writes. Exit status 1 means "would change";
// an edition 5 file gives an empty diff and 0.
func TestRealUpdateBuildDiffApplies(t *testing.T) {
	git := testenv.LookPath(t, "git")
	dir := t.TempDir()
	path := filepath.Join(dir, "build.toml")
	src := "# Comments and lists stay as written.\n[general]\nname = \"relu\"\nversion = 2\nlicense = \"MIT\"\nbackends = [\n      \"cpu\",\n]\n\n[torch]\nsrc = [\"torch-ext/torch_binding.cpp\"] # binding\n\n[kernel.relu]\nbackend = \"cpu\"\nsrc = [\"relu/relu.cpp\"]\ndepends = [\"torch\"]\n"
	writeFile(t, path, src)
	r := runReal(t, "", "update-build", "--diff", dir)
	wantErr := "build2cmake: " + path + " would change as shown; to convert it, run:\n  build2cmake update-build " + shellQuote(dir) + "\n"
	if r.code != ExitDiffers || !strings.HasPrefix(r.stdout, "--- a/build.toml\n+++ b/build.toml\n") || r.stderr != wantErr {
		t.Fatalf("update-build --diff: %+v", r)
	}
	diff := filepath.Join(t.TempDir(), "update.diff")
	writeFile(t, diff, r.stdout)
	cmd := exec.Command(git, "apply", diff)
	cmd.Dir = dir
	if out, err := cmd.CombinedOutput(); err != nil {
		t.Fatalf("git apply: %v\n%s", err, out)
	}
	applied := readFile(t, path)
	writeFile(t, path, src)
	args := printedCommand(t, r.stderr)
	if r := runReal(t, "", args...); r.code != 0 {
		t.Fatalf("%q: %+v", args, r)
	}
	if converted := readFile(t, path); converted != applied {
		t.Errorf("the diff applied gives:\n%s\nupdate-build writes:\n%s", applied, converted)
	}
	// Unchanged lists keep their indentation.
	if !strings.Contains(applied, "backends = [\n      \"cpu\",\n]\n") {
		t.Errorf("backends re-indented:\n%s", applied)
	}

	r = runReal(t, "", "update-build", "--diff", dir)
	if want := path + " is already in edition 5; nothing to do\n"; r.code != 0 || r.stdout != "" || r.stderr != want {
		t.Errorf("update-build --diff of an edition 5 file: %+v", r)
	}
}

// TestRealUpdateBuildRenames: a name with underscores becomes the dashed
// name today's formats require, with a note on stderr, also under --diff;
// the Python package stays. A name that cannot keep its package is
// refused with a suggestion.
func TestRealUpdateBuildRenames(t *testing.T) {
	dir := t.TempDir()
	path := filepath.Join(dir, "build.toml")
	src := strings.Replace(v2Build, `name = "relu"`, `name = "layer_norm"`, 1)
	writeFile(t, path, src)
	note := "build2cmake: note: renamed kernel \"layer_norm\" to \"layer-norm\", as today's formats require; its Python package stays layer_norm\n"
	r := runReal(t, "", "update-build", "--license", "MIT", "--diff", dir)
	if r.code != ExitDiffers || !strings.HasPrefix(r.stderr, note) || !strings.Contains(r.stdout, "\n-name = \"layer_norm\"\n") || !strings.Contains(r.stdout, "\n+name = \"layer-norm\"\n") {
		t.Fatalf("update-build --diff: %+v", r)
	}
	r = runReal(t, "", "update-build", "--license", "MIT", dir)
	if r.code != 0 || r.stderr != note || r.stdout != "converted "+path+" from v2 to edition 5\n" {
		t.Fatalf("update-build: %+v", r)
	}
	if got := readFile(t, path); !strings.HasPrefix(got, "[general]\nname = \"layer-norm\"\n") {
		t.Errorf("converted file:\n%s", got)
	}

	writeFile(t, path, strings.Replace(v2Build, `name = "relu"`, `name = "Layer_Norm"`, 1))
	r = runReal(t, "", "update-build", "--license", "MIT", dir)
	want := "build2cmake: cannot convert " + path + " to edition 5: kernel name \"Layer_Norm\" is not valid in today's formats: use lowercase letters, digits and dashes, starting with a letter and ending with a letter or digit, at least 2 characters (such as \"my-kernel\"); rename it in build.toml first, for example to \"layer-norm\" (Python package \"layer_norm\")\n"
	if r.code != ExitBadInput || r.stderr != want {
		t.Errorf("update-build of Layer_Norm: %+v\nwant %q", r, want)
	}
}

// TestRealUpdateBuildIgnoredFlags: --license and --version fill in what
// the file lacks; when the file has a different value, each draws a
// warning instead of being dropped silently.
func TestRealUpdateBuildIgnoredFlags(t *testing.T) {
	dir := t.TempDir()
	path := filepath.Join(dir, "build.toml")
	writeFile(t, path, strings.Replace(v3NoLicense, "version = 2\n", "version = 2\nlicense = \"MIT\"\n", 1))
	r := runReal(t, "", "update-build", "--license", "BSD-3-Clause", "--version", "5", "--diff", dir)
	want := "build2cmake: warning: " + path + " already has license \"MIT\"; --license \"BSD-3-Clause\" is ignored\n" +
		"build2cmake: warning: " + path + " already has version 2; --version 5 is ignored\n"
	if r.code != ExitDiffers || !strings.HasPrefix(r.stderr, want) {
		t.Errorf("update-build with other values: %+v\nwant stderr to start with:\n%s", r, want)
	}
	// The same values are no news.
	r = runReal(t, "", "update-build", "--license", "MIT", "--version", "2", dir)
	if r.code != 0 || r.stderr != "" {
		t.Errorf("update-build with the file's values: %+v", r)
	}
}

// TestRealUpdateBuildKeepsOwner: root converting a user's file (sudo, a
// root container on a mounted folder) leaves it the user's, with its
// mode: a 0640 file stays readable to its owner.
func TestRealUpdateBuildKeepsOwner(t *testing.T) {
	if os.Geteuid() != 0 {
		testenv.Missing(t, "giving a file to another user needs root")
	}
	const nobody = 65534
	dir := t.TempDir()
	path := filepath.Join(dir, "build.toml")
	writeFile(t, path, v2Build)
	if err := os.Chown(path, nobody, nobody); err != nil {
		t.Fatal(err)
	}
	if err := os.Chmod(path, 0o640); err != nil {
		t.Fatal(err)
	}
	if r := runReal(t, "", "update-build", "--license", "MIT", dir); r.code != 0 {
		t.Fatalf("update-build: %+v", r)
	}
	info, err := os.Stat(path)
	if err != nil {
		t.Fatal(err)
	}
	st := info.Sys().(*syscall.Stat_t)
	if st.Uid != nobody || st.Gid != nobody || info.Mode().Perm() != 0o640 {
		t.Errorf("after update-build: uid %d gid %d mode %v, want %d %d 0640", st.Uid, st.Gid, info.Mode().Perm(), nobody, nobody)
	}
	if !strings.Contains(readFile(t, path), "edition = 5") {
		t.Error("file not converted")
	}
}

// TestRealUpdateBuildRenameThenCleanPyproject: after update-build renames
// layer_norm to layer-norm, clean-pyproject still knows the metadata files
// create-pyproject wrote under the old spelling of the same package.
func TestRealUpdateBuildRenameThenCleanPyproject(t *testing.T) {
	dir := t.TempDir()
	writeFile(t, filepath.Join(dir, "build.toml"), strings.Replace(v3NoLicense, `name = "relu"`, `name = "layer_norm"`, 1))
	writeFile(t, filepath.Join(dir, "torch-ext", "torch_binding.cpp"), "")
	writeFile(t, filepath.Join(dir, "relu", "relu.cpp"), "")
	if r := runReal(t, "", "create-pyproject", "--unique-id", "x", dir); r.code != 0 {
		t.Fatalf("create-pyproject: %+v", r)
	}
	if r := runReal(t, "", "update-build", "--license", "MIT", dir); r.code != 0 {
		t.Fatalf("update-build: %+v", r)
	}
	r := runReal(t, "", "clean-pyproject", "--dry-run", dir)
	if r.code != 0 || !strings.Contains(r.stdout, filepath.Join(dir, "metadata-cpu.json")+"\n") || strings.Contains(r.stderr, "keeping") {
		t.Errorf("clean-pyproject --dry-run after the rename: %+v", r)
	}
}

// v4Underscore is a v4 file named as kernels-community's layer_norm once
// was: today's pattern refuses the name, which update-build renames.
const v4Underscore = "[general]\nname = \"layer_norm\"\nlicense = \"BSD-3-Clause\"\nversion = 1\nbackends = [\"cpu\"]\n\n[torch]\nsrc = [\"torch-ext/torch_binding.cpp\"]\n\n[kernel.layer_norm]\nbackend = \"cpu\"\ndepends = [\"torch\"]\nsrc = [\"layer_norm/ln.cpp\"]\n"

// TestRealUpdateBuildRenamesV4: a v4 file whose name today's pattern
// refuses is refused by every command but update-build, at the name's
// position and with the update-build command that fixes it; nothing is
// written. update-build converts it, renaming the kernel as it renames
// v1–v3 names, after which the other commands take it. In edition 5,
// which update-build leaves alone, and for a name it cannot rename, no
// command advises it.
func TestRealUpdateBuildRenamesV4(t *testing.T) {
	dir := t.TempDir()
	path := filepath.Join(dir, "build.toml")
	writeFile(t, path, v4Underscore)
	writeFile(t, filepath.Join(dir, "torch-ext", "torch_binding.cpp"), "")
	writeFile(t, filepath.Join(dir, "layer_norm", "ln.cpp"), "")
	refusal := path + ":2:8: invalid kernel name \"layer_norm\" in [general]: " + config.NameRule
	hint := "; run `build2cmake update-build " + path + "` to convert the file to edition 5, which renames the kernel to \"layer-norm\" (its Python package stays layer_norm)\n"
	others := [][]string{
		{"validate", path},
		{"check-config", dir},
		{"generate-torch", "--backend", "cpu", path},
		{"create-pyproject", "--unique-id", "x", dir},
		{"clean", "--dry-run", path},
		{"clean-pyproject", "--dry-run", dir},
	}
	for _, args := range others {
		r := runReal(t, "", args...)
		if r.code != ExitBadInput || r.stderr != refusal+hint {
			t.Errorf("%q: %+v\nwant exit 2 and stderr:\n%s", args, r, refusal+hint)
		}
	}
	if entries, _ := os.ReadDir(dir); len(entries) != 3 {
		t.Errorf("the refused commands wrote files: %v", entries)
	}

	r := runReal(t, "", "update-build", dir)
	note := "build2cmake: note: renamed kernel \"layer_norm\" to \"layer-norm\", as today's formats require; its Python package stays layer_norm\n"
	if r.code != 0 || r.stderr != note || r.stdout != "converted "+path+" from v4 to edition 5\n" {
		t.Fatalf("update-build: %+v", r)
	}
	if got := readFile(t, path); !strings.HasPrefix(got, "[general]\nname = \"layer-norm\"\n") || !strings.Contains(got, "edition = 5\n") {
		t.Errorf("converted file:\n%s", got)
	}
	if r := runReal(t, "", "check-config", dir); r.code != 0 {
		t.Errorf("check-config after update-build: %+v", r)
	}

	// Edition 5: update-build changes nothing, so it is not advised.
	writeFile(t, path, strings.Replace(readFile(t, path), `name = "layer-norm"`, `name = "layer_norm"`, 1))
	for _, args := range [][]string{{"check-config", dir}, {"update-build", dir}} {
		r := runReal(t, "", args...)
		if r.code != ExitBadInput || !strings.HasPrefix(r.stderr, refusal) || strings.Contains(r.stderr, "update-build") {
			t.Errorf("edition 5, %q: %+v", args, r)
		}
	}
	// A name update-build cannot rename is refused as in v1–v3.
	writeFile(t, path, strings.Replace(v4Underscore, `name = "layer_norm"`, `name = "Layer_Norm"`, 1))
	if r := runReal(t, "", "check-config", dir); r.code != ExitBadInput || strings.Contains(r.stderr, "update-build") {
		t.Errorf("v4 Layer_Norm, check-config: %+v", r)
	}
	r = runReal(t, "", "update-build", dir)
	want := "build2cmake: cannot convert " + path + " to edition 5: kernel name \"Layer_Norm\" is not valid in today's formats: " + config.NameRule + "; rename it in build.toml first, for example to \"layer-norm\" (Python package \"layer_norm\")\n"
	if r.code != ExitBadInput || r.stderr != want {
		t.Errorf("v4 Layer_Norm, update-build: %+v\nwant %q", r, want)
	}
}
