// Package probe asks a Python interpreter, in one run, what its Torch is:
// version, which GPU stack it was built for, its C++ ABI and the GPU it
// sees. `build2cmake doctor` reports it, and generate-torch uses it to pick
// the backend when build.toml lists several.
//
// Which Python: the one the generated build would use. The generated CMake
// finds Python with FindPython3, which takes Python3_EXECUTABLE when it is
// given, and setup.py passes the Python running it, which is the python3
// found on PATH when a user types `python3 -m pip install -e .` or `pip`
// from the same environment. So the rule is, first match wins:
//
//  1. an explicit path (--python);
//  2. the environment variable Python3_EXECUTABLE;
//  3. -DPython3_EXECUTABLE=PATH (or :FILEPATH=/:STRING=) in CMAKE_ARGS, which
//     setup.py forwards to CMake;
//  4. the first python3 on PATH (python on Windows, where python3 is
//     usually absent).
package probe

import (
	"encoding/json"
	"errors"
	"fmt"
	"io/fs"
	"os"
	"os/exec"
	"runtime"
	"strings"
	"time"

	"github.com/build2cmake-go/build2cmake/generator/config"
	"github.com/build2cmake-go/build2cmake/internal/child"
)

// Env is what Resolve and Run look at; tests replace it with stand-ins.
type Env struct {
	Getenv   func(string) string
	LookPath func(string) (string, error)
	// Timeout bounds one probe run; importing Torch can take many seconds
	// on a cold disk, so it is generous.
	Timeout time.Duration
}

// System is the Env of the running process.
func System() Env {
	return Env{Getenv: os.Getenv, LookPath: exec.LookPath, Timeout: 2 * time.Minute}
}

// Python is the interpreter a build would use and why.
type Python struct {
	Path string
	// Origin says where Path came from, for messages: "--python",
	// "Python3_EXECUTABLE", "CMAKE_ARGS" or "PATH".
	Origin string
}

// ErrNoPython means no interpreter was given and none is on PATH.
var ErrNoPython = errors.New("no python3 on PATH")

// Resolve applies the package's rule to find the Python a build would use.
// explicit is the --python flag, "" when not given.
func (e Env) Resolve(explicit string) (Python, error) {
	if explicit != "" {
		return Python{Path: explicit, Origin: "--python"}, nil
	}
	if p := e.Getenv("Python3_EXECUTABLE"); p != "" {
		return Python{Path: p, Origin: "Python3_EXECUTABLE"}, nil
	}
	if p := pythonFromCMakeArgs(e.Getenv("CMAKE_ARGS")); p != "" {
		return Python{Path: p, Origin: "CMAKE_ARGS"}, nil
	}
	name := "python3"
	if runtime.GOOS == "windows" {
		name = "python"
	}
	p, err := e.LookPath(name)
	if err != nil {
		return Python{}, ErrNoPython
	}
	return Python{Path: p, Origin: "PATH"}, nil
}

// pythonFromCMakeArgs finds -DPython3_EXECUTABLE[:TYPE]=PATH among the
// space-separated CMAKE_ARGS (setup.py splits them the same way); the last
// one wins, as it does for CMake.
func pythonFromCMakeArgs(args string) string {
	found := ""
	for _, arg := range strings.Fields(args) {
		rest, ok := strings.CutPrefix(arg, "-DPython3_EXECUTABLE")
		if !ok {
			continue
		}
		if typ, value, ok := strings.Cut(rest, "="); ok && (typ == "" || strings.HasPrefix(typ, ":")) {
			found = value
		}
	}
	return found
}

// Torch is what one probe run reports.
type Torch struct {
	Python Python `json:"-"`
	// PythonVersion is sys.version's first word, such as "3.11.2".
	PythonVersion string `json:"python_version"`
	// ImportError is set when Torch could not be imported; the other Torch
	// fields are then empty.
	ImportError string `json:"import_error"`
	// Version is torch.__version__ without its +local part.
	Version string `json:"torch_version"`
	// CUDA, HIP and XPU are the toolkit versions Torch was built with
	// (torch.version.cuda, .hip, .xpu), "" when it was not.
	CUDA string `json:"cuda"`
	HIP  string `json:"hip"`
	XPU  string `json:"xpu"`
	// MPS: Torch was built with Metal Performance Shaders.
	MPS bool `json:"mps"`
	// CXX11ABI is torch.compiled_with_cxx11_abi(); nil when unknown.
	CXX11ABI *bool `json:"cxx11_abi"`
	// GPU is the name of the first GPU Torch sees, "" when none.
	GPU string `json:"gpu"`
	// Capability is the first CUDA GPU's compute capability ("8.6"), or
	// the first ROCm GPU's gfx architecture; "" when none.
	Capability string `json:"capability"`
}

// Found reports whether Torch could be imported.
func (t *Torch) Found() bool { return t.ImportError == "" && t.Version != "" }

// Backend is the backend of this Torch build, in the order the generated
// CMake detects it: CUDA, ROCm, XPU, Metal, else CPU.
func (t *Torch) Backend() config.Backend {
	switch {
	case t.CUDA != "":
		return config.CUDA
	case t.HIP != "":
		return config.ROCm
	case t.XPU != "":
		return config.XPU
	case t.MPS:
		return config.Metal
	}
	return config.CPU
}

// Build describes the Torch build for messages: "a CUDA 12.8 build".
func (t *Torch) Build() string {
	switch t.Backend() {
	case config.CUDA:
		return "a CUDA " + t.CUDA + " build"
	case config.ROCm:
		return "a ROCm " + t.HIP + " build"
	case config.XPU:
		return "an XPU " + t.XPU + " build"
	case config.Metal:
		return "a Metal (MPS) build"
	}
	return "a CPU-only build"
}

// script prints one JSON object. It never fails on a missing Torch: that is
// an answer too. Importing Torch is the slow part, so everything is asked
// in this one run.
const script = `
import json, sys
out = {"python_version": sys.version.split()[0], "import_error": ""}
try:
    import torch
except Exception as e:
    out["import_error"] = "%s: %s" % (type(e).__name__, e)
    print(json.dumps(out))
    sys.exit(0)
out["torch_version"] = torch.__version__.split("+")[0]
version = getattr(torch, "version", None)
out["cuda"] = getattr(version, "cuda", None) or ""
out["hip"] = getattr(version, "hip", None) or ""
out["xpu"] = getattr(version, "xpu", None) or ""
try:
    out["mps"] = bool(torch.backends.mps.is_built())
except Exception:
    out["mps"] = False
try:
    out["cxx11_abi"] = bool(torch.compiled_with_cxx11_abi())
except Exception:
    out["cxx11_abi"] = None
out["gpu"] = ""
out["capability"] = ""
try:
    if torch.cuda.is_available():
        props = torch.cuda.get_device_properties(0)
        out["gpu"] = props.name
        if out["hip"]:
            out["capability"] = getattr(props, "gcnArchName", "").split(":")[0]
        else:
            out["capability"] = "%d.%d" % (props.major, props.minor)
except Exception:
    pass
print(json.dumps(out))
`

// maxAnswer bounds what is read of the probe's output: the answer is one
// short JSON line, and a few warnings may come before it.
const maxAnswer = 1 << 20

// Run probes python once. A Python that does not answer within the
// Timeout, or prints more than maxAnswer, is stopped with everything it
// started (see package child).
func (e Env) Run(python Python) (*Torch, error) {
	var t Torch
	if err := e.ask(python, script, &t); err != nil {
		return nil, err
	}
	t.printable()
	t.Python = python
	return &t, nil
}

// ask runs python with script, bounded as Run says, and decodes the JSON
// object it prints last into answer.
func (e Env) ask(python Python, script string, answer any) error {
	timeout := e.Timeout
	if timeout == 0 {
		timeout = 2 * time.Minute
	}
	res, err := child.Output(python.Path, []string{"-c", script}, child.Limits{Timeout: timeout, MaxOutput: maxAnswer})
	var late *child.TimeoutError
	var tooMuch *child.TooMuchOutputError
	switch {
	case err == nil:
	case errors.Is(err, fs.ErrNotExist):
		return fmt.Errorf("%s (from %s) does not exist", python.Path, python.Origin)
	case errors.As(err, &late):
		return fmt.Errorf("%s (from %s): Python did not answer within %s", python.Path, python.Origin, child.Seconds(late.After))
	case errors.As(err, &tooMuch):
		return fmt.Errorf("%s (from %s): Python printed more than %s on %s instead of one line of JSON", python.Path, python.Origin, child.Size(tooMuch.Limit), tooMuch.Stream)
	default:
		if msg := lastLine(string(res.Stderr)); msg != "" {
			return fmt.Errorf("run %s (from %s): %w: %s", python.Path, python.Origin, err, child.Printable(msg))
		}
		return fmt.Errorf("run %s (from %s): %w", python.Path, python.Origin, err)
	}
	// Python may print warnings first (Torch does, about NumPy); the
	// answer is the last line.
	if err := json.Unmarshal([]byte(lastLine(string(res.Stdout))), answer); err != nil {
		return fmt.Errorf("read the answer of %s (from %s): %w", python.Path, python.Origin, err)
	}
	return nil
}

// printable strips control characters from every text the probed Python
// reported: each is echoed by doctor and in generate-torch's notes.
func (t *Torch) printable() {
	for _, s := range []*string{&t.PythonVersion, &t.ImportError, &t.Version, &t.CUDA, &t.HIP, &t.XPU, &t.GPU, &t.Capability} {
		*s = child.Printable(*s)
	}
}

func lastLine(s string) string {
	s = strings.TrimRight(s, "\r\n")
	if i := strings.LastIndexAny(s, "\n"); i >= 0 {
		return strings.TrimSpace(s[i+1:])
	}
	return strings.TrimSpace(s)
}
