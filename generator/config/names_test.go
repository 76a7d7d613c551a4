package config

import "testing"

func TestSuggestName(t *testing.T) {
	for name, want := range map[string]string{
		"relu":        "relu",
		"my-kernel":   "my-kernel",
		"my_kernel":   "my-kernel",
		"MyKernel":    "mykernel",
		"Layer_Norm":  "layer-norm",
		"relu-":       "relu",
		"relu_":       "relu",
		"x":           "x-kernel",
		"X_":          "x-kernel",
		"2relu":       "relu",
		"-relu":       "relu",
		"_relu":       "relu",
		"my kernel":   "my-kernel",
		"my.kernel":   "my-kernel",
		"a/b":         "a-b",
		"my__kernel":  "my--kernel",
		"naïve":       "na-ve",
		"":            "my-kernel",
		"_":           "my-kernel",
		"123":         "my-kernel",
		"relu2":       "relu2",
		"fp8-gemm-v2": "fp8-gemm-v2",
	} {
		got := SuggestName(name)
		if got != want {
			t.Errorf("SuggestName(%q) = %q, want %q", name, got, want)
		}
		if err := ValidName(got); err != nil {
			t.Errorf("SuggestName(%q) = %q, which is not valid: %v", name, got, err)
		}
	}
	// Where only "_" stood in the way, the Python package stays the same.
	for _, name := range []string{"my_kernel", "layer_norm", "a_b_c"} {
		if got := SuggestName(name); PythonName(got) != name {
			t.Errorf("SuggestName(%q) = %q, whose Python package %q differs", name, got, PythonName(got))
		}
	}
}

// update-build's rename is SuggestName where that keeps the Python
// package, and no rename anywhere else: one rule maps old names.
func TestEdition5NameFollowsSuggestName(t *testing.T) {
	for _, name := range []string{
		"relu", "layer_norm", "metal_flash_sdpa", "sdpa_int4", "my__kernel", "a_b_c",
		"Layer_Norm", "MyKernel", "relu_", "_relu", "x", "2relu", "my.kernel", "naïve", "__KERNEL_NAME__",
	} {
		s := SuggestName(name)
		keeps := PythonName(s) == PythonName(name)
		got, err := edition5Name(name)
		switch {
		case keeps && (err != nil || got != s):
			t.Errorf("edition5Name(%q) = %q, %v; want SuggestName's %q, which keeps the package", name, got, err, s)
		case !keeps && err == nil:
			t.Errorf("edition5Name(%q) = %q, but SuggestName's %q changes the package %q", name, got, s, PythonName(name))
		}
	}
}
