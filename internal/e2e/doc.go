// Package e2e holds the end-to-end tests: they build real kernel projects
// from testdata/kernels with the files build2cmake generates, once with plain
// CMake (as the Nix builder does) and once with `pip install -e .` (as a
// kernel author does), and run each project's own pytest suite.
//
// The tests need cmake >= 3.26, ninja, a C++ compiler and Debian's
// /usr/bin/python3 with torch, venv, setuptools, wheel and pytest
// (scripts/install-deps.sh installs them). Without them the tests skip,
// unless CI=true, where they fail. `go test -short` skips them too.
// scripts/e2e-cpu.sh runs the same flow by hand.
package e2e
