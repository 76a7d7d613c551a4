package cli

import (
	"errors"
	"fmt"

	"github.com/build2cmake-go/build2cmake/generator/config"
	"github.com/build2cmake-go/build2cmake/internal/probe"
)

// chooseBackend is selectBackend, except that when build.toml lists several
// backends and --backend is not given, it asks the Python the build would
// use (see package probe for which one) for its Torch and takes that
// Torch's backend, saying so on stderr. The reference stopped there, which
// made kernel-builder's own documented dev-shell recipe fail on its
// multi-backend examples. Without a usable Torch the reference's error
// stands, after a note saying why no choice was made.
func (a *app) chooseBackend(b *config.Build, flag, python string) (config.Backend, error) {
	backend, err := selectBackend(b, flag)
	if err == nil || flag != "" || len(b.General.Backends) < 2 {
		return backend, err
	}
	t, perr := a.probeTorch(python)
	if perr != nil {
		fmt.Fprintf(a.stderr, "build2cmake: note: cannot choose the backend from Torch: %v\n", perr)
		return "", err
	}
	chosen := t.Backend()
	if !b.SupportsBackend(chosen) {
		fmt.Fprintf(a.stderr, "build2cmake: note: Torch %s of %s (from %s) is %s, but build.toml does not list %s\n",
			t.Version, t.Python.Path, t.Python.Origin, t.Build(), chosen)
		return "", err
	}
	fmt.Fprintf(a.stderr, "build2cmake: using backend %s: Torch %s of %s (from %s) is %s; --backend chooses another\n",
		chosen, t.Version, t.Python.Path, t.Python.Origin, t.Build())
	return chosen, nil
}

// probeTorch resolves and probes the build's Python; a Python without
// Torch is an error here.
func (a *app) probeTorch(python string) (*probe.Torch, error) {
	py, err := a.probe.Resolve(python)
	if err != nil {
		if errors.Is(err, probe.ErrNoPython) {
			return nil, fmt.Errorf("%w; pass --python or set Python3_EXECUTABLE", err)
		}
		return nil, err
	}
	t, err := a.probe.Run(py)
	if err != nil {
		return nil, err
	}
	if !t.Found() {
		return nil, fmt.Errorf("%s (from %s) cannot import torch: %s", py.Path, py.Origin, t.ImportError)
	}
	return t, nil
}
