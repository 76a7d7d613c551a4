// cutlass-mini: version macros under the names CUTLASS uses, so that kernel
// code can be written once for this stand-in and for the real library.
#pragma once

#define CUTLASS_MAJOR 3
#define CUTLASS_MINOR 6
#define CUTLASS_PATCH 0

// Only this tree defines it: lets a test tell the stand-in from the real one.
#define CUTLASS_MINI 1
