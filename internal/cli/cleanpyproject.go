package cli

import (
	"cmp"
	"encoding/json"
	"fmt"
	"os"
	"path"
	"slices"
	"strings"

	"github.com/spf13/cobra"

	"github.com/build2cmake-go/build2cmake/generator"
	"github.com/build2cmake-go/build2cmake/generator/config"
	"github.com/build2cmake-go/build2cmake/generator/outdir"
)

func (a *app) cleanPyprojectCommand() *cobra.Command {
	var f cleanFlags
	cmd := &cobra.Command{
		Use:   "clean-pyproject [flags] [KERNEL_DIR | BUILD_TOML] [TARGET_DIR]",
		Short: "Delete the files create-pyproject writes",
		Long: "Delete the files create-pyproject writes from TARGET_DIR (default: KERNEL_DIR,\n" +
			"which defaults to the current directory), then the folders that are left\n" +
			"empty. Files at those paths that build2cmake did not write are kept unless\n" +
			"--force. Without --force it asks first on the terminal (answering no exits\n" +
			"1); without a terminal it deletes nothing and exits 2.",
		Args: positional(0, "KERNEL_DIR", "TARGET_DIR"),
		RunE: func(cmd *cobra.Command, args []string) error {
			if err := generator.ValidateID("--ops-id", f.opsID); err != nil {
				return &usageError{command: cmd.CommandPath(), err: err}
			}
			return a.cleanPyproject(f, args)
		},
	}
	fl := cmd.Flags()
	fl.BoolVarP(&f.dryRun, "dry-run", "d", false, "list what would be deleted; delete nothing")
	fl.BoolVarP(&f.force, "force", "f", false, "delete without asking, including files build2cmake did not write")
	idFlag(cmd, &f.opsID, "ops-id", "unique id of the ops names (accepted for symmetry with create-pyproject; the files to delete do not depend on it)")
	return cmd
}

func (a *app) cleanPyproject(f cleanFlags, args []string) error {
	p, err := a.openKernelProject(args)
	if err != nil {
		return err
	}
	build := p.loaded.Build
	// The paths do not depend on the id, but rendering needs one. A fixed
	// one keeps clean-pyproject from running git in the user's repository,
	// as clean does.
	files, err := generator.RenderPyproject(build, generator.PyprojectOptions{UniqueID: cmp.Or(f.opsID, "clean")})
	if err != nil {
		return fmt.Errorf("clean-pyproject: %w", err)
	}
	// JSON has no header, and the metadata's provenance changes with the
	// git state: a metadata-<backend>.json is ours when it reads as the
	// metadata of this kernel and backend.
	ours := func(rel string) bool {
		full, err := outdir.Resolve(p.dir, rel)
		return err == nil && ourMetadata(full, rel, build.General.Name, build.General.PythonName())
	}
	return a.cleanFiles(&p.project, files, f, ours)
}

// ourMetadata reports whether the regular file full, at the generated path
// rel (metadata-<backend>.json), is metadata create-pyproject wrote for the
// kernel name: an object with only the keys it writes, this name, this
// backend and an ops name of this kernel and backend.
func ourMetadata(full, rel, name, pythonName string) bool {
	backend, ok := strings.CutPrefix(path.Base(rel), "metadata-")
	if !ok || path.Dir(rel) != "." {
		return false
	}
	backend = strings.TrimSuffix(backend, ".json")
	info, err := os.Lstat(full)
	if err != nil || !info.Mode().IsRegular() {
		return false
	}
	data, err := os.ReadFile(full)
	if err != nil {
		return false
	}
	var m map[string]json.RawMessage
	if json.Unmarshal(data, &m) != nil {
		return false
	}
	allowed := []string{"name", "id", "version", "license", "upstream", "source",
		"python-depends", "kernel-depends", "backend", "provenance"}
	for k := range m {
		if !slices.Contains(allowed, k) {
			return false
		}
	}
	var fields struct {
		Name    string `json:"name"`
		ID      string `json:"id"`
		Backend struct {
			Type string `json:"type"`
		} `json:"backend"`
	}
	if json.Unmarshal(data, &fields) != nil {
		return false
	}
	// update-build renames layer_norm to layer-norm: files written
	// before keep the old spelling of the same package.
	return (fields.Name == name || config.PythonName(fields.Name) == pythonName) && fields.Backend.Type == backend &&
		strings.HasPrefix(fields.ID, "_"+pythonName+"_"+backend+"_")
}
