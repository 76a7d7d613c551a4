// Lies in csrc/, which build.toml does not list: the generated CMake adds the
// project's csrc folder as a private include directory of the extension, as
// the reference does (kernels such as megablocks rely on it).
#pragma once

#define CPU_MULTI_SCALE_SCHEMA "scale(Tensor! out, Tensor input) -> ()"
