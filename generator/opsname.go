package generator

import (
	"bytes"
	"crypto/sha256"
	"encoding/base32"
	"errors"
	"fmt"
	"os"
	"os/exec"
	"regexp"
	"slices"
	"strings"
)

// OpsName returns the name of the compiled extension module and of its
// Torch op namespace in the layout of generate-torch: "_<pythonName>_<id>".
func OpsName(pythonName, id string) string {
	return "_" + pythonName + "_" + id
}

// IDSource says where the unique id of the ops names came from.
type IDSource int

const (
	// IDGiven: --ops-id or --unique-id (the Nix builder always passes one).
	IDGiven IDSource = iota
	// IDGit: the git repository holding the project (RepoState.ID).
	IDGit
	// IDKept: the id the generated files in the target already carry.
	IDKept
	// IDDerived: a hash of the kernel's name and its build.toml.
	IDDerived
)

// ChosenID is the unique id of the ops names and where it came from.
type ChosenID struct {
	ID     string
	Source IDSource
	// Repo is the repository the id came from, for IDGit.
	Repo *RepoState
}

// ChooseID picks the unique id of the ops names, so that the same project
// gives the same files and a rebuild reuses its build folder:
//
//   - given (--ops-id, --unique-id) when not empty;
//   - else the id of repo, the git repository holding the project (the
//     tree of HEAD, see RepoState.ID), when there is one;
//   - else kept, the id the generated files of this layout already carry
//     (see KeptID), when they carry one, so that regenerating after an
//     edit of build.toml keeps the names;
//   - else DerivedID of the kernel and its build.toml, so that the first
//     run is reproducible too.
//
// Outside git the reference used a random id, so every run renamed the ops
// and started a new build.
func ChooseID(given string, repo *RepoState, kept, pythonName string, buildToml []byte) ChosenID {
	switch {
	case given != "":
		return ChosenID{ID: given, Source: IDGiven}
	case repo != nil:
		return ChosenID{ID: repo.ID(), Source: IDGit, Repo: repo}
	case kept != "":
		return ChosenID{ID: kept, Source: IDKept}
	}
	return ChosenID{ID: DerivedID(pythonName, buildToml), Source: IDDerived}
}

// DerivedID is the id of a project without git and without generated
// files: the first 10 characters of the lowercase, unpadded base32 of a
// SHA-256 of the Python name and the build.toml content. Two copies of
// one kernel share it (they build the same ops); two kernels of one name
// but another build.toml do not.
func DerivedID(pythonName string, buildToml []byte) string {
	h := sha256.New()
	h.Write([]byte("build2cmake ops id\x00" + pythonName + "\x00"))
	h.Write(buildToml)
	enc := base32.StdEncoding.WithPadding(base32.NoPadding)
	return strings.ToLower(enc.EncodeToString(h.Sum(nil)))[:10]
}

// IDCharsHelp describes the characters an ops id may hold, for messages.
const IDCharsHelp = "letters, digits and underscores ([A-Za-z0-9_])"

// ValidateID checks a user-given unique id (--ops-id, --unique-id, named
// flag in messages): it becomes part of a Python module name and a Torch op
// namespace, and is written into _ops.py and CMakeLists.txt, so only
// IDCharsHelp are allowed. An empty id is valid: it means "derive one".
func ValidateID(flag, id string) error {
	if id == "" || isID(id) {
		return nil
	}
	hint := ""
	if strings.ContainsAny(id, "-.") {
		hint = "; a `git describe` value has - and . in it: use `git rev-parse --short HEAD`, or replace them with _"
	}
	return fmt.Errorf("invalid %s %q: it may hold only %s, as it becomes part of a Python module name%s", flag, id, IDCharsHelp, hint)
}

// isID reports whether s is a non-empty run of IDCharsHelp, the one rule
// for ids and the names made from them.
func isID(s string) bool {
	for i := 0; i < len(s); i++ {
		if !isIDChar(s[i]) {
			return false
		}
	}
	return s != ""
}

func isIDChar(c byte) bool {
	return c >= 'a' && c <= 'z' || c >= 'A' && c <= 'Z' || c >= '0' && c <= '9' || c == '_'
}

// RepoState is the state of the git repository holding a folder: the
// commit and tree of HEAD, and whether tracked files differ from HEAD
// (untracked files, such as generated ones, and submodules do not count,
// as in the reference).
type RepoState struct {
	Commit, Tree string
	Dirty        bool
}

// ID is the id derived from the repository: the first 7 hex digits of the
// tree of HEAD, plus "_dirty" when tracked files differ. The tree rather
// than the commit gives the same id for the same sources whatever the
// history.
func (r *RepoState) ID() string {
	if r.Dirty {
		return r.Tree[:7] + "_dirty"
	}
	return r.Tree[:7]
}

// objectID is a full git object id (SHA-1 or SHA-256).
var objectID = regexp.MustCompile(`^[0-9a-f]{40}([0-9a-f]{24})?$`)

// ReadRepoState asks git about the repository holding dir; it fails
// outside a repository, without git, or before the first commit.
//
// The repository is the user's, and its configuration may name commands
// (core.fsmonitor, clean/process filters, hooks, ...). Reading the state,
// which --check and --dry-run do too, must not run any of them: see
// safeGitArgs.
func ReadRepoState(dir string) (*RepoState, error) {
	out, err := git(dir, nil, "rev-parse", "HEAD^{commit}", "HEAD^{tree}")
	if err != nil {
		return nil, err
	}
	ids := strings.Fields(out)
	if len(ids) != 2 || !objectID.MatchString(ids[0]) || !objectID.MatchString(ids[1]) {
		return nil, fmt.Errorf("unexpected output of git rev-parse: %q", out)
	}
	safe, err := safeGitArgs(dir)
	if err != nil {
		return nil, err
	}
	status, err := git(dir, safe, "status", "--porcelain", "--untracked-files=no", "--ignore-submodules=all")
	if err != nil {
		return nil, err
	}
	return &RepoState{Commit: ids[0], Tree: ids[1], Dirty: strings.TrimSpace(status) != ""}, nil
}

// noExec are configuration overrides that keep git from running commands
// a repository's configuration names while it computes status: the file
// system monitor, hooks (none should run for status, but an index write
// would trigger post-index-change), submodule summaries, and the pager.
// Diff drivers (diff.external, textconv) are not used by `status
// --porcelain`. Filters are handled by safeGitArgs.
var noExec = []string{
	"-c", "core.fsmonitor=false",
	"-c", "core.hooksPath=/dev/null",
	"-c", "status.submoduleSummary=false",
	"-c", "diff.external=",
	"-c", "core.pager=cat",
}

// safeGitArgs returns the -c options that neutralise every filter driver
// configured for dir's repository. `git status` passes a file through its
// clean filter (or long-running process filter) whenever it must compare
// content, e.g. for a "racily clean" file whose timestamp equals the
// index's; .gitattributes and .git/info/attributes pick the driver, and
// only its configuration names the command. Reading the configuration
// runs nothing. An empty command means "no filter", and required=false
// keeps git from failing for a filter it then lacks. A driver name that
// cannot be written as a -c option is refused rather than risked.
func safeGitArgs(dir string) ([]string, error) {
	out, err := git(dir, nil, "config", "--null", "--name-only", "--get-regexp", `^filter\.`)
	if err != nil {
		// Exit status 1: no filter configured.
		var exit *exec.ExitError
		if !errors.As(err, &exit) || exit.ExitCode() != 1 {
			return nil, err
		}
	}
	args := slices.Clone(noExec)
	seen := map[string]bool{}
	for key := range strings.SplitSeq(out, "\x00") {
		if key == "" {
			continue
		}
		rest := strings.TrimPrefix(key, "filter.")
		i := strings.LastIndexByte(rest, '.')
		if i <= 0 {
			continue // filter.<var> without a driver: not a driver setting
		}
		driver := rest[:i]
		if seen[driver] {
			continue
		}
		seen[driver] = true
		if strings.ContainsAny(driver, "=\n") {
			return nil, fmt.Errorf("filter driver %q cannot be disabled safely", driver)
		}
		for _, v := range []string{".clean=", ".smudge=", ".process=", ".required=false"} {
			args = append(args, "-c", "filter."+driver+v)
		}
	}
	return args, nil
}

// gitEnv keeps the system-wide configuration out (the user's own global
// configuration stays: it may mark the repository safe) and never lets git
// prompt or page.
var gitEnv = []string{"GIT_CONFIG_NOSYSTEM=1", "GIT_TERMINAL_PROMPT=0", "GIT_PAGER=cat", "GIT_OPTIONAL_LOCKS=0"}

// git runs a read-only git command in dir with the extra global options
// pre, and returns its standard output.
func git(dir string, pre []string, args ...string) (string, error) {
	// --no-optional-locks keeps `git status` from refreshing the index, so
	// computing a name never writes to the user's repository.
	full := append([]string{"--no-optional-locks", "-C", dir}, pre...)
	cmd := exec.Command("git", append(full, args...)...)
	cmd.Env = append(os.Environ(), gitEnv...)
	var stdout, stderr bytes.Buffer
	cmd.Stdout, cmd.Stderr = &stdout, &stderr
	if err := cmd.Run(); err != nil {
		msg := strings.TrimSpace(stderr.String())
		if msg == "" {
			return "", fmt.Errorf("git %s: %w", strings.Join(args, " "), err)
		}
		return "", fmt.Errorf("git %s: %w: %s", strings.Join(args, " "), err, msg)
	}
	return stdout.String(), nil
}
