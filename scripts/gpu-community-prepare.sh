#!/usr/bin/env bash
# Prepares scripts/gpu-community.sh on this (CPU-only) machine: packs what
# the GPU machine cannot download into one archive, and checks here every
# kernel it will build, so that no generator or CMake error costs GPU time.
#
#   KC_MIRROR=<kernels-community git dir> KERNELS_MIRROR=<huggingface/kernels git dir> \
#   CUTLASS_MIRROR=<NVIDIA/cutlass git dir> [KERNEL_BUILDER=<today's kernel-builder>] \
#     scripts/gpu-community-prepare.sh
#
# Writes .bin/gpu-community.tar.xz (carry it to the GPU machine; .bin/ must
# be ignored by git), holding:
#   build2cmake                 this tree's tool, for linux/amd64
#   kernel-builder, lib/        today's tool, when KERNEL_BUILDER is given, and
#                               the shared libraries it needs beyond glibc
#   kernels-community/<kernel>  every kernel of scripts/gpu-community/kernels.txt,
#                               at KC_COMMIT (default: the mirror's HEAD)
#   kernels-v0.13.0/            the `kernels` loader, with a dist-info
#   cutlass/<version>/          include/ and tools/util/include of each CUTLASS
#                               release the built kernels name, with the
#                               CMakeLists.txt of scripts/gpu-community/cutlass-headers.cmake
#   kernels.txt                 the kernel list, with each kernel's CUTLASS version
# and checks, for every kernel: create-pyproject with build2cmake and with
# today's tool, then (CUDA kernels) a configure of build2cmake's project
# with scripts/gpu-community/cuda-standin.cmake (nvcc 13.0, a GPU of
# capability 9.0), which prints each kernel's capability report. The report
# of every kernel goes to .bin/gpu-community-prepare/, and a summary of the
# compile units (CUDA sources times capabilities) to stdout.
set -euo pipefail

root=$(cd "$(dirname "$0")/.." && pwd)
cd "$root"
for v in KC_MIRROR KERNELS_MIRROR CUTLASS_MIRROR; do
  if [ -z "${!v:-}" ]; then
    echo "gpu-community-prepare: set $v (see the header of this script)" >&2
    exit 2
  fi
done
KC_COMMIT=${KC_COMMIT:-$(git --git-dir="$KC_MIRROR" rev-parse HEAD)}
list=scripts/gpu-community/kernels.txt
standin=$root/scripts/gpu-community/cuda-standin.cmake
PY=${PYTHON:-/usr/bin/python3}

mkdir -p .bin
if ! git check-ignore -q .bin/gpu-community.tar.xz; then
  echo "gpu-community-prepare: .bin/ is not ignored by git; add '/.bin/' to .git/info/exclude" >&2
  exit 2
fi
stage=.bin/gpu-community
reports=.bin/gpu-community-prepare
rm -rf "$stage" "$reports"
mkdir -p "$stage/kernels-community" "$stage/cutlass" "$reports"

GOOS=linux GOARCH=amd64 CGO_ENABLED=0 go build -trimpath -o "$stage/build2cmake" ./cmd/build2cmake
b2c=$stage/build2cmake
if [ "$(go env GOHOSTOS)/$(go env GOHOSTARCH)" != linux/amd64 ]; then
  b2c=$reports/build2cmake
  go build -o "$b2c" ./cmd/build2cmake
fi
b2c=$(cd "$(dirname "$b2c")" && pwd)/$(basename "$b2c")
if [ -n "${KERNEL_BUILDER:-}" ]; then
  cp "$KERNEL_BUILDER" "$stage/kernel-builder"
  # Its shared libraries (libgit2 and what that needs) may be missing on
  # the GPU machine: all but glibc's go along, into lib/.
  mkdir -p "$stage/lib"
  ldd "$KERNEL_BUILDER" | awk '$2 == "=>" && $3 ~ /^\// {print $3}' |
    grep -vE '/(libc|libm|libdl|libpthread|librt|libresolv|libgcc_s)\.so|/ld-linux' |
    while read -r lib; do cp -L "$lib" "$stage/lib/"; done
fi

# The kernels loader v0.13.0; it reads its own version from a dist-info.
git --git-dir="$KERNELS_MIRROR" archive v0.13.0 kernels/src/kernels | tar -x -C "$reports"
mkdir -p "$stage/kernels-v0.13.0/kernels-0.13.0.dist-info"
mv "$reports/kernels/src/kernels" "$stage/kernels-v0.13.0/kernels"
rm -rf "$reports/kernels"
printf 'Metadata-Version: 2.1\nName: kernels\nVersion: 0.13.0\n' \
  >"$stage/kernels-v0.13.0/kernels-0.13.0.dist-info/METADATA"

# cutlass_X_Y in a build.toml means release X.Y.0.
cutlass_of() {
  { grep -oE '"cutlass_[0-9]+_[0-9]+"' "$1" || true; } | head -n 1 | tr -d '"' |
    sed 's/cutlass_\([0-9]*\)_\([0-9]*\)/\1.\2.0/'
}

status=0
: >"$stage/kernels.txt"
printf '%-20s %-9s %-8s %-6s %-6s %s\n' kernel mode cutlass ours today "compile units (CUDA sources x capabilities, nvcc 13.0 (reject: 12.9), GPU 9.0)"
while read -r kernel mode; do
  case $kernel in '' | '#'*) continue ;; esac
  git --git-dir="$KC_MIRROR" archive "$KC_COMMIT" "$kernel" | tar -x -C "$stage/kernels-community"
  src=$stage/kernels-community/$kernel
  cutlass=$(cutlass_of "$src/build.toml")
  if [ -n "$cutlass" ] && [ ! -d "$stage/cutlass/$cutlass" ]; then
    dir=$stage/cutlass/$cutlass
    mkdir -p "$dir"
    git --git-dir="$CUTLASS_MIRROR" archive "v$cutlass" include tools/util/include 2>"$reports/cutlass-$cutlass.log" |
      tar -x -C "$dir"
    want=$(git --git-dir="$CUTLASS_MIRROR" ls-tree -r --name-only "v$cutlass" include tools/util/include | wc -l)
    if [ "$(find "$dir" -type f | wc -l)" -ne "$want" ]; then
      echo "gpu-community-prepare: CUTLASS v$cutlass: incomplete header tree" >&2
      status=1
    fi
    cp scripts/gpu-community/cutlass-headers.cmake "$dir/CMakeLists.txt"
    echo "$cutlass" >"$dir/VERSION"
  fi
  printf '%s %s %s\n' "$kernel" "$mode" "${cutlass:--}" >>"$stage/kernels.txt"

  ours=ok today=-
  work=$reports/$kernel
  cp -r "$src" "$work.ours"
  if ! "$b2c" create-pyproject --unique-id gpu0001 "$work.ours" >"$work.ours.log" 2>&1; then
    ours=FAIL status=1
  fi
  if [ -n "${KERNEL_BUILDER:-}" ]; then
    cp -r "$src" "$work.today"
    if "$KERNEL_BUILDER" create-pyproject --unique-id gpu0001 "$work.today" >"$work.today.log" 2>&1; then
      today=ok
    else
      today=FAIL status=1
    fi
  fi
  units=-
  if [ "$ours" = ok ] && [ -f "$work.ours/CMakeLists.txt" ] && grep -q 'kernel_cuda(' "$work.ours/CMakeLists.txt"; then
    args=(-DCMAKE_PROJECT_INCLUDE="$standin" -DPython3_EXECUTABLE="$PY" --warn-uninitialized)
    if [ -n "$cutlass" ]; then args+=(-DCUTLASS_SRC_DIR="$(pwd)/$stage/cutlass/$cutlass"); fi
    if [ "$mode" = reject ]; then
      # nvcc 13 must be refused (general.cuda.maxver); the rest is checked
      # with nvcc 12.9.
      if cmake -S "$work.ours" -B "$work.ours/cmake-standin-13" -G Ninja "${args[@]}" >"$work.configure-13.log" 2>&1 ||
        ! grep -q 'is too new' "$work.configure-13.log"; then
        echo "gpu-community-prepare: $kernel: nvcc 13.0 is not refused: $work.configure-13.log" >&2
        status=1
      fi
      args+=(-DSTANDIN_NVCC=12.9)
    fi
    if cmake -S "$work.ours" -B "$work.ours/cmake-standin" -G Ninja "${args[@]}" >"$work.configure.log" 2>&1 &&
      ! grep -q 'CMake Warning' "$work.configure.log"; then
      # Compile units: each kernel's .cu sources times its SASS capabilities.
      units=$("$PY" - "$work.ours" "$work.configure.log" <<'PYEOF'
import re, sys, tomllib
kernel_dir, log = sys.argv[1], open(sys.argv[2]).read()
build = tomllib.load(open(kernel_dir + "/build.toml", "rb"))
total, parts = 0, []
for name, k in (build.get("kernel") or {}).items():
    if k.get("backend") != "cuda":
        continue
    m = re.search(r"Kernel %s: CUDA capabilities built: SASS (\S+), PTX" % re.escape(name), log)
    if not m:
        continue  # left out (cuda-minver)
    sass = [] if m.group(1) == "none" else m.group(1).split(";")
    cu = sum(1 for s in k.get("src", []) if s.endswith(".cu"))
    total += cu * len(sass)
    parts.append("%s %dx%d" % (name, cu, len(sass)))
print("%d (%s)" % (total, ", ".join(parts)))
PYEOF
)
    else
      units="configure FAILED: $work.configure.log"
      status=1
    fi
  fi
  printf '%-20s %-9s %-8s %-6s %-6s %s\n' "$kernel" "$mode" "${cutlass:--}" "$ours" "$today" "$units"
done <"$list"

tar -C "$stage" -cf - . | xz -T0 -6 >.bin/gpu-community.tar.xz
rm -rf "$stage"
size=$(du -b .bin/gpu-community.tar.xz | cut -f1)
tree=$(git ls-files -z | xargs -0 du -cb 2>/dev/null | tail -n 1 | cut -f1)
echo "gpu-community-prepare: .bin/gpu-community.tar.xz $((size / 1024)) KiB; working tree $((tree / 1024)) KiB; carry limit 65536 KiB"
if [ $((size + tree)) -gt $((64 * 1024 * 1024)) ]; then
  echo "gpu-community-prepare: over the carry limit" >&2
  status=1
fi
exit $status
