package generator

import (
	"bytes"
	"crypto/rand"
	"encoding/base32"
	"fmt"
	"os/exec"
	"strings"
)

// OpsName returns the name of the compiled extension module and of its Torch
// op namespace: "_<pythonName>_<id>".
//
// The id is opsID when it is not empty (the Nix builder always passes one).
// Otherwise it is derived from the git repository that holds targetDir: the
// first 7 hex digits of the tree of HEAD, plus "_dirty" when tracked files
// differ from HEAD. Using the tree rather than the commit gives the same name
// for the same sources whatever the history. Outside a repository (or without
// a git binary, or before the first commit) the id is random, so two
// unrelated builds loaded into one Python process never share a namespace.
func OpsName(pythonName, opsID, targetDir string) string {
	id := opsID
	if id == "" {
		var err error
		if id, err = gitID(targetDir); err != nil {
			id = randomID()
		}
	}
	return "_" + pythonName + "_" + id
}

// gitID computes the repository-derived id described at OpsName.
func gitID(dir string) (string, error) {
	tree, err := git(dir, "rev-parse", "--verify", "--quiet", "HEAD^{tree}")
	if err != nil {
		return "", err
	}
	tree = strings.TrimSpace(tree)
	if len(tree) < 7 {
		return "", fmt.Errorf("unexpected tree id %q", tree)
	}
	// Untracked files are left out because the generated files themselves
	// are usually untracked; submodules are left out as the reference does.
	status, err := git(dir, "status", "--porcelain", "--untracked-files=no", "--ignore-submodules=all")
	if err != nil {
		return "", err
	}
	id := tree[:7]
	if strings.TrimSpace(status) != "" {
		id += "_dirty"
	}
	return id, nil
}

// git runs a read-only git command in dir and returns its standard output.
func git(dir string, args ...string) (string, error) {
	// --no-optional-locks keeps `git status` from refreshing the index, so
	// computing a name never writes to the user's repository.
	cmd := exec.Command("git", append([]string{"--no-optional-locks", "-C", dir}, args...)...)
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

// randomID returns 8 random bytes as lowercase, unpadded RFC 4648 base32
// (13 characters), the reference's fallback id.
func randomID() string {
	var b [8]byte
	// Since Go 1.24 crypto/rand.Read never returns an error.
	rand.Read(b[:])
	enc := base32.StdEncoding.WithPadding(base32.NoPadding)
	return strings.ToLower(enc.EncodeToString(b[:]))
}
