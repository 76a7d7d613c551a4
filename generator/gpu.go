package generator

import (
	"strings"

	"github.com/build2cmake-go/build2cmake/generator/config"
)

// cudaDefaults are the capabilities a CUDA build compiles by default (with
// BUILD_ALL_SUPPORTED_ARCHS, or when no GPU is visible) for nvcc MinNVCC
// and newer.
type cudaDefaults struct {
	// MinNVCC is empty for the last entry, which covers older nvcc.
	MinNVCC      string
	Capabilities []string
}

// cudaDefaultCapabilities is ordered newest nvcc first, as the generated
// if/elseif chain tests it. Without the +PTX suffixes, the entry of the
// nvcc in use is also the list of capabilities a kernel's
// cuda-capabilities are matched against.
var cudaDefaultCapabilities = []cudaDefaults{
	{MinNVCC: "13.0", Capabilities: []string{"7.5", "8.0", "8.6", "8.7", "8.9", "9.0", "10.0", "11.0", "12.0+PTX"}},
	{MinNVCC: "12.8", Capabilities: []string{"7.0", "7.2", "7.5", "8.0", "8.6", "8.7", "8.9", "9.0", "10.0", "10.1", "12.0+PTX"}},
	{Capabilities: []string{"7.0", "7.2", "7.5", "8.0", "8.6", "8.7", "8.9", "9.0+PTX"}},
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
	MinNVCC      string
	Capabilities string
}

func newUtilsData() utilsData {
	d := utilsData{
		ROCmArchs:        strings.Join(config.ROCmArchs, ";"),
		CUDACapabilities: strings.Join(config.CUDACapabilities, ";"),
	}
	for _, c := range cudaDefaultCapabilities {
		d.CUDADefaults = append(d.CUDADefaults, cmakeCUDADefaults{
			MinNVCC:      c.MinNVCC,
			Capabilities: strings.Join(c.Capabilities, ";"),
		})
	}
	return d
}
