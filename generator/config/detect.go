package config

// formatSpecs lists the formats in the order detection tries them, as the
// reference does: the first that fits wins.
var formatSpecs = []struct {
	format Format
	spec   *tableSpec
}{
	{V1, v1Spec},
	{V2, v2Spec},
	{V3, v3Spec},
}

func specOf(f Format) *tableSpec {
	for _, fs := range formatSpecs {
		if fs.format == f {
			return fs.spec
		}
	}
	return v3Spec
}

// detect finds the format of a document. When no format fits, it returns
// every problem against the format the file most likely means, so that a
// typo in a current file never gets a complaint about an old format.
func detect(root *node) (Format, []posError) {
	for _, fs := range formatSpecs {
		// One error is enough to rule a format out.
		v := validator{limit: 1}
		v.table(root, fs.spec, nil)
		if len(v.errs) == 0 {
			return fs.format, nil
		}
	}
	f := likelyFormat(root)
	v := validator{}
	v.table(root, specOf(f), nil)
	return f, v.errs
}

// likelyFormat guesses the format of a document that fits none: v3, unless
// it only shows signs of an older format. general.backends, [general.cuda]
// and [general.xpu] exist only in v3; general.universal, cuda-minver and
// cuda-maxver only in v2; torch.universal, kernel languages and kernels
// without a backend only in v1.
func likelyFormat(root *node) Format {
	general := root.get("general")
	for _, k := range []string{"backends", "cuda", "xpu"} {
		if general.get(k) != nil {
			return V3
		}
	}
	for _, k := range []string{"universal", "cuda-minver", "cuda-maxver"} {
		if general.get(k) != nil {
			return V2
		}
	}
	v1 := root.get("torch").get("universal") != nil
	kernels := root.get("kernel")
	withBackend := false
	if kernels != nil {
		for _, e := range kernels.entries {
			k := e.value
			if k.kind != nodeTable {
				continue
			}
			if k.get("backend") != nil {
				withBackend = true
			} else {
				v1 = true
			}
			if k.get("language") != nil {
				v1 = true
			}
		}
	}
	if v1 && !withBackend {
		return V1
	}
	return V3
}
