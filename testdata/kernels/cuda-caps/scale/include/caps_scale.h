#pragma once

// Found only through the kernel's `include = ["scale/include"]`; SCALE_BY
// comes only from its `cuda-flags`. Either missing fails the build.
#ifndef SCALE_BY
#error "SCALE_BY is not defined: the kernel's cuda-flags were not applied"
#endif

namespace caps {

constexpr float kScaleBy = SCALE_BY;

} // namespace caps
