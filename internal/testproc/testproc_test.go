//go:build unix

package testproc

import (
	"os"
	"os/exec"
	"path/filepath"
	"strconv"
	"strings"
	"syscall"
	"testing"
	"time"
)

// The tests run this package's test binary again as a child "test
// package" (childEnv set) that uses Main, starts a long child process,
// makes a t.TempDir and adopts a mktemp folder, and then ends the way the
// parent asks: passing, killed, or stopped by -timeout. Afterwards nothing
// of it may be left.
const (
	childEnv  = "TESTPROC_TEST_CHILD"  // how the child ends: pass, kill or timeout
	reportEnv = "TESTPROC_TEST_REPORT" // file the child lists what it made in
	prefixEnv = "TESTPROC_TEST_PREFIX" // scratch prefix of the child
)

func TestMain(m *testing.M) {
	if os.Getenv(childEnv) != "" {
		os.Exit(Main(m, os.Getenv(prefixEnv)))
	}
	os.Exit(m.Run())
}

// TestChildPackage is the child's test; it does nothing in a normal run.
func TestChildPackage(t *testing.T) {
	end := os.Getenv(childEnv)
	if end == "" {
		return
	}
	report, err := os.OpenFile(os.Getenv(reportEnv), os.O_WRONLY|os.O_APPEND, 0)
	if err != nil {
		t.Fatal(err)
	}
	note := func(key, value string) {
		if _, err := report.WriteString(key + "=" + value + "\n"); err != nil {
			t.Fatal(err)
		}
	}
	note("scratch", ScratchDir())
	note("tempdir", t.TempDir())
	// A compiler that would run on: a shell that starts a grandchild.
	sleeper := Command("sh", "-c", "sleep 600 & echo $!; wait")
	out, err := sleeper.StdoutPipe()
	if err != nil {
		t.Fatal(err)
	}
	if err := sleeper.Start(); err != nil {
		t.Fatal(err)
	}
	var buf [32]byte
	n, _ := out.Read(buf[:])
	note("child", strconv.Itoa(sleeper.Process.Pid))
	note("grandchild", strings.TrimSpace(string(buf[:n])))
	// A folder made outside the scratch folder, as README blocks do.
	list, err := AdoptionList()
	if err != nil {
		t.Fatal(err)
	}
	dir, err := exec.Command("env", "-u", "TMPDIR", "mktemp", "-d").Output()
	if err != nil {
		t.Fatal(err)
	}
	adopted := strings.TrimSpace(string(dir))
	list.WriteString(adopted + "\n")
	list.Close()
	note("adopted", adopted)
	report.Close()

	switch end {
	case "kill":
		syscall.Kill(os.Getpid(), syscall.SIGKILL)
	case "timeout":
		time.Sleep(time.Minute) // past the parent's -test.timeout
	}
}

func TestNothingOutlivesThePackage(t *testing.T) {
	for _, end := range []string{"pass", "kill", "timeout"} {
		t.Run(end, func(t *testing.T) {
			made := runChild(t, end, "testproc-test-"+end+"-")
			for _, key := range []string{"scratch", "tempdir", "child", "grandchild", "adopted"} {
				if made[key] == "" {
					t.Fatalf("the child reported no %s: %v", key, made)
				}
			}
			if !strings.HasPrefix(made["tempdir"], made["scratch"]+"/") {
				t.Errorf("t.TempDir() = %s, want it inside the scratch folder %s", made["tempdir"], made["scratch"])
			}
			// The keeper cleans up after the child's exit; give it time.
			deadline := time.Now().Add(15 * time.Second)
			for {
				left := leftovers(made)
				if len(left) == 0 {
					break
				}
				if time.Now().After(deadline) {
					t.Fatalf("after the child package ended (%s), these are left: %s", end, strings.Join(left, "; "))
				}
				time.Sleep(100 * time.Millisecond)
			}
		})
	}
}

// TestSweepRemovesAbandonedScratch: a scratch folder whose keeper died
// (its lock file is not locked) goes at the next run of its prefix; one
// whose keeper lives, or without a lock file, stays.
func TestSweepRemovesAbandonedScratch(t *testing.T) {
	prefix := "testproc-test-sweep-"
	abandonedDir, err := os.MkdirTemp("", prefix)
	if err != nil {
		t.Fatal(err)
	}
	defer os.RemoveAll(abandonedDir)
	writeFile(t, filepath.Join(abandonedDir, lockName), "")
	writeFile(t, filepath.Join(abandonedDir, "tmp", "leftover"), "x")

	live, err := os.MkdirTemp("", prefix)
	if err != nil {
		t.Fatal(err)
	}
	defer os.RemoveAll(live)
	unlock, err := lockRoot(live)
	if err != nil {
		t.Fatal(err)
	}
	defer unlock()

	settingUp, err := os.MkdirTemp("", prefix)
	if err != nil {
		t.Fatal(err)
	}
	defer os.RemoveAll(settingUp)

	runChild(t, "pass", prefix)
	if _, err := os.Stat(abandonedDir); !os.IsNotExist(err) {
		t.Errorf("the abandoned scratch folder %s is still there (%v)", abandonedDir, err)
	}
	for _, dir := range []string{live, settingUp} {
		if _, err := os.Stat(dir); err != nil {
			t.Errorf("the sweep removed %s, which is not abandoned: %v", dir, err)
		}
	}
}

func TestAdoptable(t *testing.T) {
	for dir, want := range map[string]bool{
		"/tmp/tmp.AbCdEf1234": true,
		"/tmp/tmp.":           false,
		"/tmp":                false,
		"/tmp/other":          false,
		"/tmp/x/tmp.abc":      false,
		"/tmp/tmp.abc/../..":  false,
		"tmp/tmp.abc":         false,
		"/":                   false,
		"":                    false,
	} {
		if got := adoptable(dir); got != want {
			t.Errorf("adoptable(%q) = %v, want %v", dir, got, want)
		}
	}
}

// runChild runs this test binary as a child package that ends as end, and
// returns what it reported making.
func runChild(t *testing.T, end, prefix string) map[string]string {
	t.Helper()
	report := filepath.Join(t.TempDir(), "report")
	writeFile(t, report, "")
	cmd := exec.Command(os.Args[0], "-test.run=^TestChildPackage$", "-test.timeout=3s")
	cmd.Env = append(os.Environ(), childEnv+"="+end, reportEnv+"="+report, prefixEnv+"="+prefix)
	out, err := cmd.CombinedOutput()
	if (err == nil) != (end == "pass") {
		t.Fatalf("child package (%s): %v\n%s", end, err, out)
	}
	data, err := os.ReadFile(report)
	if err != nil {
		t.Fatal(err)
	}
	made := map[string]string{}
	for _, line := range strings.Split(strings.TrimSpace(string(data)), "\n") {
		if key, value, ok := strings.Cut(line, "="); ok {
			made[key] = value
		}
	}
	return made
}

// leftovers lists what of made still exists.
func leftovers(made map[string]string) []string {
	var left []string
	for _, key := range []string{"scratch", "tempdir", "adopted"} {
		if _, err := os.Stat(made[key]); !os.IsNotExist(err) {
			left = append(left, key+" "+made[key])
		}
	}
	for _, key := range []string{"child", "grandchild"} {
		if pid, err := strconv.Atoi(made[key]); err == nil && running(pid) {
			left = append(left, key+" process "+made[key])
		}
	}
	return left
}

// running reports whether pid is a live process (a zombie that nobody
// reaps counts as gone).
func running(pid int) bool {
	data, err := os.ReadFile(filepath.Join("/proc", strconv.Itoa(pid), "stat"))
	if err != nil {
		return syscall.Kill(pid, 0) == nil && !os.IsNotExist(err)
	}
	rest := string(data)
	if i := strings.LastIndexByte(rest, ')'); i >= 0 {
		rest = rest[i+1:]
	}
	fields := strings.Fields(rest)
	return len(fields) > 0 && fields[0] != "Z"
}

func writeFile(t *testing.T, path, content string) {
	t.Helper()
	if err := os.MkdirAll(filepath.Dir(path), 0o755); err != nil {
		t.Fatal(err)
	}
	if err := os.WriteFile(path, []byte(content), 0o644); err != nil {
		t.Fatal(err)
	}
}
