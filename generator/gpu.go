package generator

import (
	"strings"

	"github.com/build2cmake-go/build2cmake/generator/config"
)

// cudaDefaults are the capabilities nvcc MinNVCC and newer compiles, and
// those a CUDA build compiles by default (with BUILD_ALL_SUPPORTED_ARCHS,
// or when no GPU is visible).
type cudaDefaults struct {
	// MinNVCC is empty for the last entry, which covers older nvcc.
	MinNVCC string
	// Supported are the capabilities this nvcc compiles that build2cmake
	// knows, oldest first: the targets a kernel's cuda-capabilities are
	// matched against, in both layouts.
	Supported []string
	// Capabilities are the defaults of the one-backend layout
	// (generate-torch).
	Capabilities []string
	// VariantCapabilities, when set, replace Capabilities in today's
	// layout (create-pyproject), which follows today's kernel-builder:
	// Supported, with +PTX on the newest.
	VariantCapabilities []string
}

// cudaDefaultCapabilities is ordered newest nvcc first, as the generated
// if/elseif chain tests it. nvcc 12.9 added capabilities 10.3 and 12.1, and
// they are defaults from then on (huggingface/kernels #783); CUDA 13
// dropped 7.0 and 7.2, and renamed 10.1 to 11.0.
var cudaDefaultCapabilities = []cudaDefaults{
	{
		MinNVCC:             "13.0",
		Supported:           []string{"7.5", "8.0", "8.6", "8.7", "8.9", "9.0", "10.0", "10.3", "11.0", "12.0", "12.1"},
		Capabilities:        []string{"7.5", "8.0", "8.6", "8.7", "8.9", "9.0", "10.0", "10.3", "11.0", "12.0+PTX"},
		VariantCapabilities: []string{"7.5", "8.0", "8.6", "8.7", "8.9", "9.0", "10.0", "10.3", "11.0", "12.0", "12.1+PTX"},
	},
	{
		MinNVCC:             "12.9",
		Supported:           []string{"7.0", "7.2", "7.5", "8.0", "8.6", "8.7", "8.9", "9.0", "10.0", "10.1", "10.3", "12.0", "12.1"},
		Capabilities:        []string{"7.0", "7.2", "7.5", "8.0", "8.6", "8.7", "8.9", "9.0", "10.0", "10.1", "10.3", "12.0+PTX"},
		VariantCapabilities: []string{"7.0", "7.2", "7.5", "8.0", "8.6", "8.7", "8.9", "9.0", "10.0", "10.1", "10.3", "12.0", "12.1+PTX"},
	},
	{
		MinNVCC:      "12.8",
		Supported:    []string{"7.0", "7.2", "7.5", "8.0", "8.6", "8.7", "8.9", "9.0", "10.0", "10.1", "12.0"},
		Capabilities: []string{"7.0", "7.2", "7.5", "8.0", "8.6", "8.7", "8.9", "9.0", "10.0", "10.1", "12.0+PTX"},
	},
	{
		Supported:    []string{"7.0", "7.2", "7.5", "8.0", "8.6", "8.7", "8.9", "9.0"},
		Capabilities: []string{"7.0", "7.2", "7.5", "8.0", "8.6", "8.7", "8.9", "9.0+PTX"},
	},
}

// utilsData is the data of the cmake/utils.cmake template.
type utilsData struct {
	CUDADefaults []cmakeCUDADefaults
	// ROCmArchs is a CMake list of the supported ROCm architectures.
	ROCmArchs string
	// CUDACapabilities is a CMake list of the GPU capabilities build2cmake
	// knows (config.CUDACapabilities), for the configure-time report.
	CUDACapabilities string
}

// cmakeCUDADefaults is one cudaDefaults entry with its capabilities as a
// CMake list.
type cmakeCUDADefaults struct {
	MinNVCC             string
	Supported           string
	Capabilities        string
	VariantCapabilities string
}

func newUtilsData() utilsData {
	d := utilsData{
		ROCmArchs:        strings.Join(config.ROCmArchs, ";"),
		CUDACapabilities: strings.Join(config.CUDACapabilities, ";"),
	}
	for _, c := range cudaDefaultCapabilities {
		d.CUDADefaults = append(d.CUDADefaults, cmakeCUDADefaults{
			MinNVCC:             c.MinNVCC,
			Supported:           strings.Join(c.Supported, ";"),
			Capabilities:        strings.Join(c.Capabilities, ";"),
			VariantCapabilities: strings.Join(c.VariantCapabilities, ";"),
		})
	}
	return d
}
