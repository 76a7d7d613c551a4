#!/usr/bin/env python3
"""Hipify the CUDA sources of a kernel for ROCm, at build time.

Usage: hipify.py --project-dir DIR --output-dir DIR SOURCE...

Torch's hipify reads its input from the output folder and resolves the
includes of a source there, so the project is first mirrored into the
output folder (without hidden folders and CMake build trees). Each SOURCE,
relative to the project, is then hipified, and its hipified copy ends up
where the CMake side expects it: ".cu" becomes ".hip" and "cuda" becomes
"hip" in the path, the rule of _kernel_hipified_path in utils.cmake.

Ninja runs this on every build. Files are only written when their content
changes, so that only sources whose input changed are compiled again.
"""

import argparse
import os
import shutil
import sys

from torch.utils.hipify.hipify_python import hipify


def hipified_path(source):
    """Return where CMake expects the hipified copy of SOURCE."""
    if source.endswith(".cu"):
        source = source[: -len(".cu")] + ".hip"
    return source.replace("cuda", "hip").replace("CUDA", "HIP")


def same_content(path_a, path_b):
    """Tell whether both files exist and hold the same bytes."""
    if not os.path.isfile(path_b) or os.path.getsize(path_a) != os.path.getsize(path_b):
        return False
    with open(path_a, "rb") as file_a, open(path_b, "rb") as file_b:
        return file_a.read() == file_b.read()


def copy_if_changed(source, destination):
    """Copy SOURCE over DESTINATION unless they already hold the same bytes.

    The copy gets a new modification time, so whatever depends on it is
    rebuilt; an unchanged file keeps its time.
    """
    if same_content(source, destination):
        return
    os.makedirs(os.path.dirname(destination), exist_ok=True)
    shutil.copyfile(source, destination)


def mirror(project_dir, output_dir):
    """Copy the project's files that changed into OUTPUT_DIR."""
    skip = os.path.realpath(output_dir)
    for root, dirs, files in os.walk(project_dir):
        kept = []
        for name in sorted(dirs):
            path = os.path.join(root, name)
            # Build trees (the output folder is inside one) and hidden
            # folders such as .git are not sources.
            if name.startswith(".") or os.path.realpath(path) == skip:
                continue
            if os.path.exists(os.path.join(path, "CMakeCache.txt")):
                continue
            kept.append(name)
        dirs[:] = kept
        relative = os.path.relpath(root, project_dir)
        for name in files:
            copy_if_changed(
                os.path.join(root, name), os.path.join(output_dir, relative, name)
            )


def result_path(result):
    """Return the hipified path of a hipify result, of any Torch version."""
    if isinstance(result, dict):
        return result.get("hipified_path")
    return getattr(result, "hipified_path", None)


def main(argv):
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--project-dir", required=True, help="the kernel project")
    parser.add_argument("--output-dir", required=True, help="where hipified files go")
    parser.add_argument("sources", nargs="+", help="CUDA sources, relative to the project")
    args = parser.parse_args(argv)

    project_dir = os.path.abspath(args.project_dir)
    output_dir = os.path.abspath(args.output_dir)
    mirror(project_dir, output_dir)

    inputs = [os.path.join(output_dir, source) for source in args.sources]
    results = hipify(
        project_directory=project_dir,
        output_directory=output_dir,
        header_include_dirs=[],
        includes=[os.path.join(project_dir, "*")],
        extra_files=inputs,
        show_detailed=False,
        show_progress=False,
        is_pytorch_extension=True,
        hipify_extra_files_only=True,
    )

    for source, mirrored in zip(args.sources, inputs):
        produced = result_path(results.get(mirrored)) or mirrored
        expected = os.path.join(output_dir, hipified_path(source))
        if os.path.abspath(produced) != expected:
            copy_if_changed(produced, expected)
    return 0


if __name__ == "__main__":
    sys.exit(main(sys.argv[1:]))
