package probe

import "github.com/build2cmake-go/build2cmake/internal/child"

// TVMFFI is what one probe run reports about the Apache TVM FFI a [tvm-ffi]
// kernel is built against.
type TVMFFI struct {
	Python Python `json:"-"`
	// PythonVersion is sys.version's first word, such as "3.11.2".
	PythonVersion string `json:"python_version"`
	// ImportError says why tvm_ffi cannot be found; the other fields are
	// then empty.
	ImportError string `json:"import_error"`
	// Version is the installed apache-tvm-ffi's version.
	Version string `json:"tvm_ffi_version"`
	// Capability is the compute capability of the first GPU the CUDA
	// driver shows ("9.0"), "" when none: the GPU the generated CMake
	// builds for.
	Capability string `json:"capability"`
}

// Found reports whether tvm_ffi is installed.
func (t *TVMFFI) Found() bool { return t.ImportError == "" && t.Version != "" }

// tvmFFIScript prints one JSON object. Like the generated CMake, it finds
// tvm_ffi without importing it (its package imports Torch first) and asks
// the CUDA driver, not Torch, for the GPU.
const tvmFFIScript = `
import ctypes, ctypes.util, importlib.metadata, importlib.util, json, sys
out = {"python_version": sys.version.split()[0], "import_error": ""}
try:
    if importlib.util.find_spec("tvm_ffi") is None:
        raise ImportError("No module named 'tvm_ffi'")
    out["tvm_ffi_version"] = importlib.metadata.version("apache-tvm-ffi")
except Exception as e:
    out["import_error"] = "%s: %s" % (type(e).__name__, e)
    print(json.dumps(out))
    sys.exit(0)
out["capability"] = ""
for name in ["libcuda.so.1", "libcuda.so", "nvcuda.dll", ctypes.util.find_library("cuda")]:
    if not name:
        continue
    try:
        driver = ctypes.CDLL(name)
    except OSError:
        continue
    device, major, minor = ctypes.c_int(), ctypes.c_int(), ctypes.c_int()
    if (driver.cuInit(0) == 0 and driver.cuDeviceGet(ctypes.byref(device), 0) == 0
            and driver.cuDeviceGetAttribute(ctypes.byref(major), 75, device) == 0
            and driver.cuDeviceGetAttribute(ctypes.byref(minor), 76, device) == 0):
        out["capability"] = "%d.%d" % (major.value, minor.value)
    break
print(json.dumps(out))
`

// RunTVMFFI probes python once for its tvm-ffi.
func (e Env) RunTVMFFI(python Python) (*TVMFFI, error) {
	var t TVMFFI
	if err := e.ask(python, tvmFFIScript, &t); err != nil {
		return nil, err
	}
	// doctor echoes them.
	for _, s := range []*string{&t.PythonVersion, &t.ImportError, &t.Version, &t.Capability} {
		*s = child.Printable(*s)
	}
	t.Python = python
	return &t, nil
}
