//go:build unix

package cli

import (
	"bufio"
	"errors"
	"io/fs"
	"os"
	"os/exec"
	"path/filepath"
	"reflect"
	"strings"
	"sync"
	"syscall"
	"testing"
	"time"

	"github.com/build2cmake-go/build2cmake/generator/outdir"
)

// clean's prompt holds no lock, and Ctrl-C there ends the run with
// nothing deleted and no lock file in the folder.
func TestCleanInterruptedAtThePrompt(t *testing.T) {
	dir := kernelFolder(t)
	path := filepath.Join(dir, "build.toml")
	if code, _, stderr := runMain([]string{"generate-torch", "--backend", "cpu", "--ops-id", "x", path}); code != 0 {
		t.Fatalf("generate-torch: %s", stderr)
	}
	before := listTree(t, dir)
	cmd := exec.Command(os.Args[0], "clean", path)
	cmd.Env = append(os.Environ(), runMainEnv+"=1", typedEnv+"=1")
	stdin, err := cmd.StdinPipe()
	if err != nil {
		t.Fatal(err)
	}
	defer stdin.Close()
	stderr, err := cmd.StderrPipe()
	if err != nil {
		t.Fatal(err)
	}
	if err := cmd.Start(); err != nil {
		t.Fatal(err)
	}
	defer cmd.Process.Kill()
	// Read up to the question, which ends without a newline.
	r := bufio.NewReader(stderr)
	var seen strings.Builder
	for !strings.HasSuffix(seen.String(), "Continue? [y/N] ") {
		b, err := r.ReadByte()
		if err != nil {
			t.Fatalf("clean ended before its prompt: %v\n%s", err, seen.String())
		}
		seen.WriteByte(b)
	}
	// The folder is free while the user thinks.
	l, err := outdir.Lock(dir, func() {
		t.Error("clean holds the lock while it waits at its prompt")
		cmd.Process.Kill()
	})
	if err != nil {
		t.Fatal(err)
	}
	l.Unlock()
	if err := cmd.Process.Signal(syscall.SIGINT); err != nil {
		t.Fatal(err)
	}
	err = cmd.Wait()
	var exit *exec.ExitError
	if !errors.As(err, &exit) || exit.Sys().(syscall.WaitStatus).Signal() != syscall.SIGINT {
		t.Errorf("clean ended with %v, want death by SIGINT", err)
	}
	if _, err := os.Lstat(filepath.Join(dir, outdir.LockName)); !errors.Is(err, fs.ErrNotExist) {
		t.Errorf("Ctrl-C at the prompt left %s (%v)", outdir.LockName, err)
	}
	if after := listTree(t, dir); !reflect.DeepEqual(after, before) {
		t.Errorf("Ctrl-C at the prompt changed the folder")
	}
}

// signalWriter is a stderr that tells when a given text has been written.
type signalWriter struct {
	mu   sync.Mutex
	buf  strings.Builder
	want string
	seen chan struct{}
}

func (w *signalWriter) Write(p []byte) (int, error) {
	w.mu.Lock()
	defer w.mu.Unlock()
	had := strings.Contains(w.buf.String(), w.want)
	w.buf.Write(p)
	if !had && strings.Contains(w.buf.String(), w.want) {
		close(w.seen)
	}
	return len(p), nil
}

func (w *signalWriter) String() string {
	w.mu.Lock()
	defer w.mu.Unlock()
	return w.buf.String()
}

// A run that finds another holding the folder's lock says so, then goes
// on when the lock is released.
func TestWaitingForAnotherRun(t *testing.T) {
	early := []string{"generate-torch", "--backend", "cpu", "--ops-id", "x", "build.toml"}
	today := []string{"create-pyproject", "--unique-id", "x", "."}
	for _, tc := range []struct{ args, before []string }{
		{early, nil},
		{today, nil},
		{[]string{"clean", "--force", "build.toml"}, early},
		{[]string{"clean-pyproject", "--force", "."}, today},
		{[]string{"update-build", "--license", "MIT", "."}, nil},
	} {
		args := tc.args
		t.Run(args[0], func(t *testing.T) {
			dir := kernelFolder(t)
			// Something for the clean commands to delete.
			if tc.before != nil {
				gen := append(append([]string{}, tc.before[:len(tc.before)-1]...), filepath.Join(dir, tc.before[len(tc.before)-1]))
				if code, _, stderr := runMain(gen); code != 0 {
					t.Fatalf("%s: %s", gen[0], stderr)
				}
			}
			held, err := outdir.Lock(dir, nil)
			if err != nil {
				t.Fatal(err)
			}
			defer held.Unlock()
			want := "build2cmake: waiting for another build2cmake run in " + dir + " to finish...\n"
			stderr := &signalWriter{want: want, seen: make(chan struct{})}
			var stdout strings.Builder
			done := make(chan int, 1)
			run := append(append([]string{}, args[:len(args)-1]...), filepath.Join(dir, args[len(args)-1]))
			go func() { done <- Main(run, strings.NewReader(""), &stdout, stderr) }()
			select {
			case <-stderr.seen:
			case code := <-done:
				t.Fatalf("ran to exit %d while the lock was held; stderr:\n%s", code, stderr.String())
			case <-time.After(10 * time.Second):
				t.Fatalf("no word of waiting after 10 s; stderr:\n%s", stderr.String())
			}
			held.Unlock()
			if code := <-done; code != 0 {
				t.Errorf("exit %d after the wait; stderr:\n%s", code, stderr.String())
			}
			if !strings.HasPrefix(stderr.String(), want) {
				t.Errorf("stderr:\n%s\nwant it to start with:\n%s", stderr.String(), want)
			}
		})
	}
}

// Read-only modes take no lock: they run to the end while another run
// holds it, and create no lock file of their own.
func TestReadOnlyModesTakeNoLock(t *testing.T) {
	dir := kernelFolder(t)
	path := filepath.Join(dir, "build.toml")
	for _, args := range [][]string{
		{"generate-torch", "--backend", "cpu", "--ops-id", "x", "--check", path},
		{"generate-torch", "--backend", "cpu", "--ops-id", "x", "--dry-run", path},
		{"create-pyproject", "--unique-id", "x", "--check", dir},
		{"create-pyproject", "--unique-id", "x", "--dry-run", dir},
		{"clean", "--dry-run", path},
		{"clean-pyproject", "--dry-run", dir},
		{"update-build", "--diff", "--license", "MIT", dir},
		{"validate", path},
		{"check-config", dir},
	} {
		// Free: no lock file appears.
		done := make(chan struct{})
		go func() { runMain(args); close(done) }()
		select {
		case <-done:
		case <-time.After(10 * time.Second):
			t.Fatalf("%q did not finish", args)
		}
		if _, err := os.Lstat(filepath.Join(dir, outdir.LockName)); !errors.Is(err, fs.ErrNotExist) {
			t.Errorf("%q left %s (%v)", args, outdir.LockName, err)
		}
		// Held by another run: it still finishes, without waiting.
		held, err := outdir.Lock(dir, nil)
		if err != nil {
			t.Fatal(err)
		}
		done = make(chan struct{})
		var stderr string
		go func() { _, _, stderr = runMain(args); close(done) }()
		select {
		case <-done:
			if strings.Contains(stderr, "waiting") {
				t.Errorf("%q waited for the lock: %s", args, stderr)
			}
		case <-time.After(10 * time.Second):
			t.Errorf("%q waits for the lock", args)
		}
		held.Unlock()
		<-done
	}
}
