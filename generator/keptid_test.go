package generator

import (
	"testing"

	"github.com/build2cmake-go/build2cmake/generator/config"
)

// TestKeptID reads the id back from the _ops.py each layout renders, and
// from nothing else: another layout's file, or one without our header.
func TestKeptID(t *testing.T) {
	b := &config.Build{
		General: config.General{Name: "my-relu", Backends: []config.Backend{config.CPU}},
		Torch:   &config.Torch{},
		Kernels: []config.Kernel{{Name: "relu", Backend: config.CPU, Depends: []string{"torch"}, Src: []string{"relu.cpp"}}},
	}
	early, err := Render(b, Options{Backend: config.CPU, OpsName: OpsName("my_relu", "abc_123"), TargetOS: "linux"})
	if err != nil {
		t.Fatal(err)
	}
	today, err := RenderPyproject(b, PyprojectOptions{UniqueID: "def456"})
	if err != nil {
		t.Fatal(err)
	}
	ops := func(files []File) []byte {
		for _, f := range files {
			if f.Path == OpsPath("my_relu") {
				return f.Content
			}
		}
		t.Fatalf("no %s among the files", OpsPath("my_relu"))
		return nil
	}
	for _, tc := range []struct {
		name    string
		layout  Layout
		content []byte
		want    string
	}{
		{"generate-torch's", EarlyLayout, ops(early), "abc_123"},
		{"create-pyproject's", TodayLayout, ops(today), "def456"},
		{"create-pyproject's as generate-torch's", EarlyLayout, ops(today), ""},
		{"generate-torch's as create-pyproject's", TodayLayout, ops(early), ""},
		{"the user's", EarlyLayout, []byte("ops = torch.ops._my_relu_abc\n"), ""},
		{"an empty", EarlyLayout, []byte{}, ""},
		{"none", TodayLayout, nil, ""},
	} {
		if got := KeptID(tc.layout, tc.content, "my_relu"); got != tc.want {
			t.Errorf("%s _ops.py: KeptID = %q, want %q", tc.name, got, tc.want)
		}
	}
	if got := KeptID(EarlyLayout, ops(early), "other"); got != "" {
		t.Errorf("another kernel's _ops.py gave %q", got)
	}
}
