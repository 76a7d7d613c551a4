#!/usr/bin/env python3
"""Embed a Metal library in a C++ header.

Usage: metallib_to_header.py METALLIB HEADER NAME

The header defines, in namespace NAME_metal, the library's bytes
(metallib_data, metallib_data_len) and createLibrary(device, error), which
loads them into a MTLLibrary. It is meant for Objective-C++ sources, which
cmake/compile-metal.cmake points at it with EMBEDDED_METALLIB_HEADER.
"""

import os
import sys

BYTES_PER_LINE = 16

TEMPLATE = """\
// Generated from {library} by metallib_to_header.py; do not edit.
#pragma once

#include <cstddef>

#include <Metal/Metal.h>

namespace {name}_metal {{

static const unsigned char metallib_data[] = {{
{data}
}};
static const size_t metallib_data_len = {size};

// Loads the embedded library on device. Returns nil on failure and then,
// when error is not null, stores the reason in *error.
inline id<MTLLibrary> createLibrary(id<MTLDevice> device, NSError** error = nullptr) {{
  // The default destructor makes dispatch copy the bytes, which keeps the
  // data object independent of this translation unit.
  dispatch_data_t data = dispatch_data_create(
      metallib_data, metallib_data_len, nullptr, DISPATCH_DATA_DESTRUCTOR_DEFAULT);
  NSError* load_error = nil;
  id<MTLLibrary> library = [device newLibraryWithData:data error:&load_error];
  if (error != nullptr) {{
    *error = load_error;
  }}
  return library;
}}

}}  // namespace {name}_metal
"""


def render(library_name, data, name):
    """Return the header text for the library bytes DATA."""
    lines = []
    for start in range(0, len(data), BYTES_PER_LINE):
        chunk = data[start : start + BYTES_PER_LINE]
        lines.append("    " + ", ".join("0x%02x" % byte for byte in chunk) + ",")
    return TEMPLATE.format(
        library=library_name, name=name, data="\n".join(lines), size=len(data)
    )


def main(argv):
    if len(argv) != 3:
        print("usage: metallib_to_header.py METALLIB HEADER NAME", file=sys.stderr)
        return 2
    library, header, name = argv
    with open(library, "rb") as file:
        data = file.read()
    if not data:
        print("metallib_to_header.py: %s is empty" % library, file=sys.stderr)
        return 1
    folder = os.path.dirname(header)
    if folder:
        os.makedirs(folder, exist_ok=True)
    with open(header, "w", encoding="utf-8") as file:
        file.write(render(os.path.basename(library), data, name))
    print("Embedded %s (%d bytes) in %s" % (library, len(data), header))
    return 0


if __name__ == "__main__":
    sys.exit(main(sys.argv[1:]))
