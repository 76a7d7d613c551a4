// Package python holds the Python and C files build2cmake writes into a
// kernel project: the templates of setup.py, pyproject.toml and _ops.py,
// torch-ext/registration.h, and the helper scripts the generated CMake runs
// at build time. Package generator renders them; this package only embeds
// them, because go:embed cannot reach files outside the embedding package's
// folder.
package python

import _ "embed" // for go:embed

// SetupTemplate is the text/template of setup.py, shared by every backend.
//
//go:embed setup.py.tmpl
var SetupTemplate string

// SetupHelpersTemplate defines the Python that both setup.py templates
// (SetupTemplate, VariantSetupTemplate) use: parse it with each of them.
//
//go:embed setup-helpers.py.tmpl
var SetupHelpersTemplate string

// PyprojectTemplate is the text/template of pyproject.toml for builds with
// compiled kernels.
//
//go:embed pyproject.toml.tmpl
var PyprojectTemplate string

// PyprojectNoarchTemplate is the text/template of pyproject.toml for builds
// without kernels (pure Python).
//
//go:embed pyproject-noarch.toml.tmpl
var PyprojectNoarchTemplate string

// OpsTemplate is the text/template of torch-ext/<python_name>/_ops.py.
//
//go:embed ops.py.tmpl
var OpsTemplate string

// RegistrationHeader is torch-ext/registration.h, the registration macros
// the Torch binding sources use.
//
//go:embed registration.h
var RegistrationHeader string

// Hipify is cmake/hipify.py, which hipifies CUDA sources at build time
// (cuda and rocm backends).
//
//go:embed hipify.py
var Hipify string

// MetallibToHeader is cmake/metallib_to_header.py, which embeds the Metal
// library in a C++ header (metal backend).
//
//go:embed metallib_to_header.py
var MetallibToHeader string

// VariantSetupTemplate is the text/template of the setup.py that
// create-pyproject writes for a build with kernels.
//
//go:embed variants-setup.py.tmpl
var VariantSetupTemplate string

// VariantNoarchSetupTemplate is the text/template of the setup.py that
// create-pyproject writes for a [torch-noarch] build.
//
//go:embed variants-noarch-setup.py.tmpl
var VariantNoarchSetupTemplate string

// VariantOpsTemplate is the text/template of torch-ext/<python_name>/_ops.py
// in today's layout, which finds the backend when it is imported.
//
//go:embed variants-ops.py.tmpl
var VariantOpsTemplate string

// VariantPyprojectTemplate is the text/template of pyproject.toml in
// today's layout.
//
//go:embed variants-pyproject.toml.tmpl
var VariantPyprojectTemplate string

// TVMFFISetupTemplate is the text/template of the setup.py that
// create-pyproject writes for a [tvm-ffi] kernel.
//
//go:embed tvm-ffi-setup.py.tmpl
var TVMFFISetupTemplate string

// TVMFFIOpsTemplate is the text/template of tvm-ffi-ext/<python_name>/_ops.py,
// which loads the compiled tvm-ffi module next to it.
//
//go:embed tvm-ffi-ops.py.tmpl
var TVMFFIOpsTemplate string
