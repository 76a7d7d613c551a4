#!/usr/bin/env bash
# Prepares the GPU run of the [tvm-ffi] kernels (scripts/gpu-tvm-ffi.sh) on
# this machine, which needs no GPU:
#   1. cross-builds build2cmake for the GPU machine (linux/amd64) into
#      .bin/build2cmake;
#   2. packs the staged sources (scripts/stage-sources.sh) into
#      .bin/tvm-ffi-sources.tar.gz (tvm-ffi with its DLPack headers, Cython,
#      kernels 0.13.0, huggingface_hub) and .bin/cutlass-headers.tar.gz
#      (the CUTLASS 3.6.0 headers the CUTLASS example needs);
#   3. renders both CUDA cases once here, so that a generator error costs
#      no GPU time.
# .bin/ is ignored by git and carried to the GPU machine (docs/gpu.md).
#
# Usage: scripts/gpu-prepare-tvm-ffi.sh [SOURCES]
#   SOURCES  default ${XDG_CACHE_HOME:-$HOME/.cache}/build2cmake/sources
set -euo pipefail

root=$(cd "$(dirname "$0")/.." && pwd)
cd "$root"
sources=${1:-${XDG_CACHE_HOME:-$HOME/.cache}/build2cmake/sources}
if [ ! -f "$sources/REVISIONS" ]; then
  echo "gpu-prepare-tvm-ffi: no staged sources in $sources; run scripts/stage-sources.sh MIRROR_DIR first" >&2
  exit 1
fi

mkdir -p .bin
GOOS=linux GOARCH=amd64 CGO_ENABLED=0 go build -trimpath -o .bin/build2cmake ./cmd/build2cmake
tar -czf .bin/tvm-ffi-sources.tar.gz -C "$sources" REVISIONS tvm-ffi cython kernels huggingface_hub
tar -czf .bin/cutlass-headers.tar.gz -C "$sources" cutlass
if ! git check-ignore -q .bin/build2cmake; then
  echo "gpu-prepare-tvm-ffi: note: .bin/ is not ignored by git" >&2
fi

work=$(mktemp -d "${TMPDIR:-/tmp}/gpu-prepare-tvm-ffi.XXXXXX")
trap 'rm -rf "$work"' EXIT
b2c=$work/build2cmake
go build -o "$b2c" ./cmd/build2cmake
for c in pyproject-tvm-ffi-relu pyproject-tvm-ffi-cutlass-gemm; do
  cp -r "testdata/kernels/$c" "$work/$c"
  rm -rf "$work/$c/expected"
  "$b2c" check-config "$work/$c" >/dev/null
  "$b2c" create-pyproject --unique-id gpu0001 "$work/$c" >/dev/null
  echo "gpu-prepare-tvm-ffi: $c renders"
done
echo "gpu-prepare-tvm-ffi: .bin holds $(du -sh .bin | cut -f1):"
ls -l .bin/build2cmake .bin/tvm-ffi-sources.tar.gz .bin/cutlass-headers.tar.gz
echo "gpu-prepare-tvm-ffi: on the GPU machine, carrying .bin: bash scripts/gpu-tvm-ffi.sh"
