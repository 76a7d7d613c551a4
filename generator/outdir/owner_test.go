//go:build unix

package outdir

import (
	"os"
	"path/filepath"
	"syscall"
	"testing"

	"github.com/build2cmake-go/build2cmake/generator"
	"github.com/build2cmake-go/build2cmake/internal/testenv"
)

// TestApplyKeepsOwner: a file replaced by a run as root keeps its owner
// and group, as `sed -i` keeps them; a new file belongs to whoever ran.
func TestApplyKeepsOwner(t *testing.T) {
	if os.Geteuid() != 0 {
		testenv.Missing(t, "giving a file to another user needs root")
	}
	const nobody = 65534
	dir := t.TempDir()
	put(t, dir, "CMakeLists.txt", "old\n", 0o640)
	if err := os.Chown(filepath.Join(dir, "CMakeLists.txt"), nobody, nobody); err != nil {
		t.Fatal(err)
	}
	p, err := Inspect(dir, []generator.File{{Path: "CMakeLists.txt", Content: []byte("new\n")}, {Path: "setup.py", Content: []byte("x\n")}})
	if err != nil {
		t.Fatal(err)
	}
	if _, err := p.Apply(true); err != nil {
		t.Fatal(err)
	}
	me := [2]uint32{uint32(os.Geteuid()), uint32(os.Getegid())}
	for rel, want := range map[string][2]uint32{"CMakeLists.txt": {nobody, nobody}, "setup.py": me} {
		info, err := os.Stat(filepath.Join(dir, rel))
		if err != nil {
			t.Fatal(err)
		}
		st := info.Sys().(*syscall.Stat_t)
		if st.Uid != want[0] || st.Gid != want[1] {
			t.Errorf("%s: owner %d:%d, want %d:%d", rel, st.Uid, st.Gid, want[0], want[1])
		}
	}
	if info, _ := os.Stat(filepath.Join(dir, "CMakeLists.txt")); info.Mode().Perm() != 0o640 {
		t.Errorf("mode %v, want 0640", info.Mode().Perm())
	}
}
