package generator

import (
	"os"
	"os/exec"
	"path/filepath"
	"regexp"
	"strings"
	"testing"
	"time"

	"github.com/build2cmake-go/build2cmake/internal/testenv"
)

// newOpsRepo creates a git repository with one committed file and returns its
// directory. It needs no global git configuration.
func newOpsRepo(t *testing.T) string {
	t.Helper()
	testenv.LookPath(t, "git")
	dir := t.TempDir()
	writeOpsFile(t, filepath.Join(dir, "build.toml"), "[general]\nname = \"relu\"\n")
	opsGit(t, dir, "init", "-q")
	opsGit(t, dir, "add", "build.toml")
	opsGit(t, dir, "commit", "-q", "-m", "initial")
	return dir
}

func opsGit(t *testing.T, dir string, args ...string) string {
	t.Helper()
	cmd := exec.Command("git", append([]string{"-C", dir}, args...)...)
	cmd.Env = append(os.Environ(),
		"GIT_AUTHOR_NAME=test", "GIT_AUTHOR_EMAIL=test@example.com",
		"GIT_COMMITTER_NAME=test", "GIT_COMMITTER_EMAIL=test@example.com",
		"GIT_CONFIG_NOSYSTEM=1", "GIT_CONFIG_GLOBAL=/dev/null",
	)
	out, err := cmd.CombinedOutput()
	if err != nil {
		t.Fatalf("git %s: %v\n%s", strings.Join(args, " "), err, out)
	}
	return strings.TrimSpace(string(out))
}

func writeOpsFile(t *testing.T, path, content string) {
	t.Helper()
	if err := os.WriteFile(path, []byte(content), 0o644); err != nil {
		t.Fatal(err)
	}
}

// opsNameIn is the ops name of the kernel relu, generated into dir
// without --ops-id and without files that carry an id: the git rule, else
// the id derived from an empty build.toml.
func opsNameIn(dir string) string {
	repo, _ := ReadRepoState(dir)
	return OpsName("relu", ChooseID("", repo, "", "relu", nil).ID)
}

func TestOpsNameExplicitID(t *testing.T) {
	// An explicit id wins even inside a repository, and over the files'.
	dir := newOpsRepo(t)
	repo, err := ReadRepoState(dir)
	if err != nil {
		t.Fatal(err)
	}
	got := ChooseID("abc123", repo, "kept1", "relu_kernel", nil)
	if got.ID != "abc123" || got.Source != IDGiven || OpsName("relu_kernel", got.ID) != "_relu_kernel_abc123" {
		t.Errorf("ChooseID = %+v, want abc123 given", got)
	}
}

func TestOpsNameGit(t *testing.T) {
	dir := newOpsRepo(t)
	tree := opsGit(t, dir, "rev-parse", "HEAD^{tree}")
	clean := "_relu_" + tree[:7]

	// A subdirectory finds the repository upwards.
	sub := filepath.Join(dir, "sub")
	if err := os.Mkdir(sub, 0o755); err != nil {
		t.Fatal(err)
	}
	for _, d := range []string{dir, sub} {
		if got := opsNameIn(d); got != clean {
			t.Errorf("clean repo, OpsName(%q) = %q, want %q", d, got, clean)
		}
	}

	// Untracked files (the generated ones, typically) do not count.
	writeOpsFile(t, filepath.Join(dir, "setup.py"), "# untracked\n")
	if got := opsNameIn(dir); got != clean {
		t.Errorf("untracked file: OpsName = %q, want %q", got, clean)
	}

	// A modified tracked file does, whether staged or not.
	writeOpsFile(t, filepath.Join(dir, "build.toml"), "[general]\nname = \"relu2\"\n")
	if got, want := opsNameIn(dir), clean+"_dirty"; got != want {
		t.Errorf("modified file: OpsName = %q, want %q", got, want)
	}
	opsGit(t, dir, "add", "build.toml")
	if got, want := opsNameIn(dir), clean+"_dirty"; got != want {
		t.Errorf("staged file: OpsName = %q, want %q", got, want)
	}

	// Committing gives a new tree and a clean name again.
	opsGit(t, dir, "commit", "-q", "-m", "second")
	tree2 := opsGit(t, dir, "rev-parse", "HEAD^{tree}")
	if got, want := opsNameIn(dir), "_relu_"+tree2[:7]; got != want {
		t.Errorf("after commit: OpsName = %q, want %q", got, want)
	}
}

// TestChooseIDWithoutGit: outside git the id is the one the files carry,
// else derived from the kernel and its build.toml, so that the same
// project gives the same files run after run (the reference's id was
// random, so every run renamed the ops and rebuilt from scratch).
func TestChooseIDWithoutGit(t *testing.T) {
	toml := []byte("[general]\nname = \"relu\"\n")
	derived := ChooseID("", nil, "", "relu", toml)
	if derived.Source != IDDerived || !regexp.MustCompile(`^[a-z2-7]{10}$`).MatchString(derived.ID) {
		t.Errorf("derived id %+v, want 10 lowercase base32 characters", derived)
	}
	if again := ChooseID("", nil, "", "relu", toml); again != derived {
		t.Errorf("the same project gave %q, then %q", derived.ID, again.ID)
	}
	for _, other := range []ChosenID{
		ChooseID("", nil, "", "relu", append(toml, "# edited\n"...)),
		ChooseID("", nil, "", "relu2", toml),
	} {
		if other.ID == derived.ID {
			t.Errorf("another project gets the same id %q", other.ID)
		}
	}
	// The files' id wins over the derived one, so that regenerating after
	// an edit of build.toml keeps the ops' names; git wins over both.
	if kept := ChooseID("", nil, "abc1234", "relu", toml); kept.ID != "abc1234" || kept.Source != IDKept {
		t.Errorf("with files that carry abc1234: %+v", kept)
	}
	repo := &RepoState{Tree: "0123456789abcdef0123456789abcdef01234567"}
	if git := ChooseID("", repo, "abc1234", "relu", toml); git.ID != "0123456" || git.Source != IDGit || git.Repo != repo {
		t.Errorf("with git: %+v", git)
	}
	// Outside a repository, as a whole: t.TempDir lives under the system
	// temporary directory, which is not a git work tree here; stop
	// discovery there regardless so the test holds on any machine.
	dir := t.TempDir()
	t.Setenv("GIT_CEILING_DIRECTORIES", filepath.Dir(dir))
	if a, b := opsNameIn(dir), opsNameIn(dir); a != b || a != "_relu_"+DerivedID("relu", nil) {
		t.Errorf("no repository: %q, then %q; want the derived id twice", a, b)
	}
}

func TestOpsNameRepoWithoutCommits(t *testing.T) {
	dir := newOpsRepo(t)
	empty := filepath.Join(dir, "empty")
	if err := os.Mkdir(empty, 0o755); err != nil {
		t.Fatal(err)
	}
	opsGit(t, empty, "init", "-q")
	if got, want := opsNameIn(empty), "_relu_"+DerivedID("relu", nil); got != want {
		t.Errorf("repository without commits: OpsName = %q, want the derived %q", got, want)
	}
}

// TestOpsNameRunsNoRepositoryCommand: computing the name (which --check and
// --dry-run do too) must not run commands the repository's configuration
// names: an fsmonitor hook, clean and process filters, hooks.
func TestOpsNameRunsNoRepositoryCommand(t *testing.T) {
	dir := newOpsRepo(t)
	marks := t.TempDir()
	hook := filepath.Join(marks, "hook.sh")
	writeOpsFile(t, hook, "#!/bin/sh\ntouch \""+marks+"/ran-$1\"\ncat\n")
	if err := os.Chmod(hook, 0o755); err != nil {
		t.Fatal(err)
	}
	writeOpsFile(t, filepath.Join(dir, ".gitattributes"), "* filter=evil\n")
	opsGit(t, dir, "add", ".gitattributes")
	opsGit(t, dir, "commit", "-q", "-m", "attributes")
	for key, value := range map[string]string{
		"core.fsmonitor":          hook + " fsmonitor",
		"filter.evil.clean":       hook + " clean",
		"filter.evil.process":     hook + " process",
		"filter.evil.required":    "true",
		"filter.a.b.clean":        hook + " dotted",
		"core.hooksPath":          marks,
		"status.submoduleSummary": "true",
	} {
		opsGit(t, dir, "config", key, value)
	}
	// A changed timestamp makes git compare the content, which goes
	// through the clean filter.
	future := time.Now().Add(time.Hour)
	if err := os.Chtimes(filepath.Join(dir, "build.toml"), future, future); err != nil {
		t.Fatal(err)
	}
	tree := opsGit(t, dir, "rev-parse", "HEAD^{tree}")
	if got, want := opsNameIn(dir), "_relu_"+tree[:7]; got != want {
		t.Errorf("OpsName = %q, want %q (the content is unchanged)", got, want)
	}
	entries, err := os.ReadDir(marks)
	if err != nil {
		t.Fatal(err)
	}
	for _, e := range entries {
		if e.Name() != "hook.sh" {
			t.Errorf("git ran a configured command: %s", e.Name())
		}
	}
}

func TestValidateID(t *testing.T) {
	for _, id := range []string{"", "abc123", "A_b_9", "_dirty"} {
		if err := ValidateID("--ops-id", id); err != nil {
			t.Errorf("ValidateID(%q) = %v, want ok", id, err)
		}
	}
	for id, want := range map[string]string{
		"v1.2-3-gabcdef": "invalid --ops-id \"v1.2-3-gabcdef\": it may hold only letters, digits and underscores ([A-Za-z0-9_]), as it becomes part of a Python module name; a `git describe` value has - and . in it: use `git rev-parse --short HEAD`, or replace them with _",
		"x\nimport os":   "invalid --ops-id \"x\\nimport os\": it may hold only letters, digits and underscores ([A-Za-z0-9_]), as it becomes part of a Python module name",
		"a b":            "invalid --ops-id \"a b\": it may hold only letters, digits and underscores ([A-Za-z0-9_]), as it becomes part of a Python module name",
	} {
		if err := ValidateID("--ops-id", id); err == nil || err.Error() != want {
			t.Errorf("ValidateID(%q) = %v\nwant %s", id, err, want)
		}
	}
}

// ReadRepoState gives create-pyproject the kernel's commit for provenance
// and the tree for the id; untracked files do not make it dirty, a changed
// tracked file does.
func TestReadRepoState(t *testing.T) {
	dir := newOpsRepo(t)
	commit := opsGit(t, dir, "rev-parse", "HEAD")
	tree := opsGit(t, dir, "rev-parse", "HEAD^{tree}")
	writeOpsFile(t, filepath.Join(dir, "CMakeLists.txt"), "# generated, untracked\n")
	got, err := ReadRepoState(dir)
	if err != nil {
		t.Fatal(err)
	}
	if want := (RepoState{Commit: commit, Tree: tree}); *got != want {
		t.Errorf("ReadRepoState = %+v, want %+v", *got, want)
	}
	if id := got.ID(); id != tree[:7] {
		t.Errorf("ID = %q, want %q", id, tree[:7])
	}
	writeOpsFile(t, filepath.Join(dir, "build.toml"), "[general]\nname = \"changed\"\n")
	if got, err = ReadRepoState(dir); err != nil || !got.Dirty || got.ID() != tree[:7]+"_dirty" {
		t.Errorf("after a change: %+v, %v; want dirty and id %s_dirty", got, err, tree[:7])
	}
	if _, err := ReadRepoState(t.TempDir()); err == nil {
		t.Error("ReadRepoState outside a repository succeeded")
	}
}
