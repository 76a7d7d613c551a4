#!/usr/bin/env bash
# GPU end-to-end test of [tvm-ffi] kernels: huggingface/kernels' examples
# relu-tvm-ffi (CUDA kernel) and cutlass-gemm-tvm-ffi (CUTLASS 3.6),
# built against Apache TVM FFI built here from source and loaded through
# the kernels 0.13.0 loader. docs/gpu.md explains it.
#
#   scripts/gpu-tvm-ffi.sh [BUILD2CMAKE]   (default .bin/build2cmake)
#
# Needs what scripts/gpu-prepare-tvm-ffi.sh puts in .bin/:
# tvm-ffi-sources.tar.gz and cutlass-headers.tar.gz. Steps:
#   1. scripts/install-tvm-ffi.sh builds the tvm-ffi wheel (the image's
#      Cython and scikit-build-core) and installs it with kernels 0.13.0
#      into a folder on PYTHONPATH;
#   2. per kernel: create-pyproject --unique-id gpu0001; cmake configure
#      (Ninja; CUTLASS_SRC_DIR for the CUTLASS example), which must choose
#      cuda, name the variant tvm-ffi<MM>-cu<XY>-<cpu>-linux and import no
#      Torch; cmake --build --target local_install, whose build/<variant>/
#      must hold the package, _<name>_cuda_gpu0001.so and metadata.json with
#      backend.archs = the GPU's capability; cuobjdump: SASS for the GPU's
#      capability; the example's own tests with LOCAL_KERNELS pointing
#      the loader at the project;
#   3. relu also through setup.py build_kernel;
#   4. the project `build2cmake init --framework tvm-ffi` creates, built and
#      tested on the GPU.
#
# Environment: WORK (scratch, default /tmp/gpu-tvm-ffi), OUT (receives
# tvm-ffi-summary.txt and tvm-ffi-logs.tar.gz), MAX_JOBS, KERNELS (default
# "relu cutlass init"). Exit status 0 when every check passed.
set -uo pipefail

REPO=$(cd "$(dirname "${BASH_SOURCE[0]}")/.." && pwd)
. "$REPO/scripts/scratch.sh"
B2C=${1:-$REPO/.bin/build2cmake}
WORK=${WORK:-/tmp/gpu-tvm-ffi}
KERNELS=${KERNELS:-relu cutlass init}
MAX_JOBS=${MAX_JOBS:-$(nproc)}
COUNTER=$REPO/scripts/torch-import-counter
export MAX_JOBS PIP_NO_INDEX=1 PIP_DISABLE_PIP_VERSION_CHECK=1 PYTHONDONTWRITEBYTECODE=1
unset PYTHONPATH CMAKE_ARGS LOCAL_KERNELS TORCH_CUDA_ARCH_LIST

for need in "$B2C" "$REPO/.bin/tvm-ffi-sources.tar.gz" "$REPO/.bin/cutlass-headers.tar.gz"; do
  if [ ! -e "$need" ]; then
    echo "gpu-tvm-ffi: $need is missing: run scripts/gpu-prepare-tvm-ffi.sh here and carry .bin" >&2
    exit 2
  fi
done
find_nvcc
PY=$(command -v python3)

fresh_scratch gpu-tvm-ffi "$WORK"
mkdir "$WORK/logs"
SUMMARY=$WORK/tvm-ffi-summary.txt
pass=0
fail=0
check() { # check NAME COMMAND...: run, record PASS/FAIL
  local name=$1
  shift
  if "$@" >>"$WORK/logs/checks.log" 2>&1; then
    echo "PASS $name" | tee -a "$SUMMARY"
    pass=$((pass + 1))
  else
    echo "FAIL $name" | tee -a "$SUMMARY"
    fail=$((fail + 1))
  fi
}
step() { # step NAME LOG COMMAND...: run with its log and wall time
  local name=$1 log=$2 start end status
  shift 2
  start=$(date +%s.%N)
  "$@" >"$log" 2>&1
  status=$?
  end=$(date +%s.%N)
  printf '%-36s %6.1fs  exit %d\n' "$name" "$(awk "BEGIN { print $end - $start }")" "$status" | tee -a "$SUMMARY"
  return $status
}
finish() {
  {
    echo
    echo "$pass passed, $fail failed"
  } | tee -a "$SUMMARY"
  tar -czf "$WORK/tvm-ffi-logs.tar.gz" -C "$WORK" logs
  if [ -n "${OUT:-}" ]; then
    cp "$SUMMARY" "$WORK/tvm-ffi-logs.tar.gz" "$OUT/"
  fi
  [ "$fail" -eq 0 ]
  exit $?
}

{
  echo "gpu-tvm-ffi: $(date -u +%Y-%m-%dT%H:%M:%SZ), repository $(git -C "$REPO" rev-parse --short HEAD 2>/dev/null || echo unknown)"
  nvidia-smi --query-gpu=name,compute_cap,driver_version --format=csv,noheader 2>/dev/null | head -n1
  nvcc --version 2>/dev/null | tail -n2 | head -n1
  "$PY" -c 'import sys, torch; print("python", sys.version.split()[0], "torch", torch.__version__)' 2>/dev/null
  cmake --version | head -n1
  echo
} | tee "$SUMMARY"

mkdir -p "$WORK/sources"
tar -xzf "$REPO/.bin/tvm-ffi-sources.tar.gz" -C "$WORK/sources"
tar -xzf "$REPO/.bin/cutlass-headers.tar.gz" -C "$WORK"
# CUTLASS_SRC_DIR is a source tree for FetchContent: the real headers and
# the stand-in CMakeLists.txt of testdata/cutlass-mini, which exposes them.
cp "$REPO/testdata/cutlass-mini/CMakeLists.txt" "$WORK/cutlass/"
SITE=$WORK/site
if ! step "install tvm-ffi (build the wheel)" "$WORK/logs/install-tvm-ffi.log" \
  env XDG_CACHE_HOME="$WORK/cache" PYTHON="$PY" TARGET="$SITE" JOBS="$MAX_JOBS" \
  bash "$REPO/scripts/install-tvm-ffi.sh" "$WORK/sources"; then
  tail -n 30 "$WORK/logs/install-tvm-ffi.log"
  fail=$((fail + 1))
  finish
fi
export PYTHONPATH=$SITE
export TVM_FFI_CACHE_DIR=$WORK/tvm-ffi-cache
CAP=$("$PY" -c 'import torch; print("%d.%d" % torch.cuda.get_device_capability())' 2>/dev/null)
SM=${CAP/./}
TVM_MM=$("$PY" -c 'import importlib.metadata as m; v = m.version("apache-tvm-ffi").split("."); print(v[0] + v[1])')
CUDA_MM=$(nvcc --version | sed -n 's/.*release \([0-9]*\)\.\([0-9]*\).*/\1\2/p')
VARIANT=tvm-ffi$TVM_MM-cu$CUDA_MM-$(uname -m)-linux
echo "GPU capability $CAP, expected variant $VARIANT" | tee -a "$SUMMARY"

run_kernel() { # run_kernel SHORT CASE NAME REPO_ID [CMAKE ARGS...]
  local short=$1 case=$2 name=$3 repo_id=$4
  shift 4
  local proj=$WORK/$short py=${name//-/_} log=$WORK/logs/$short
  local ops=_${py}_cuda_gpu0001 vdir=$proj/build/$VARIANT
  mkdir -p "$log"
  cp -r "$REPO/testdata/kernels/$case" "$proj"
  rm -rf "$proj/expected" "$proj/shared.txt"
  check "$short: create-pyproject" "$B2C" create-pyproject --unique-id gpu0001 "$proj"
  : >"$log/imports"
  step "$short: cmake configure" "$log/configure.log" \
    env PYTHONPATH="$SITE:$COUNTER" TORCH_IMPORT_LOG="$log/imports" \
    cmake -S "$proj" -B "$proj/cmake-build" -G Ninja -DPython3_EXECUTABLE="$PY" "$@"
  check "$short: configure chose cuda" grep -q -- "-- Backend: cuda (GPU_LANG CUDA)" "$log/configure.log"
  check "$short: variant $VARIANT" grep -q -- "-- Build variant: $VARIANT\$" "$log/configure.log"
  check "$short: configure imported no torch" test ! -s "$log/imports"
  step "$short: local_install" "$log/build.log" \
    cmake --build "$proj/cmake-build" --target local_install --parallel "$MAX_JOBS"
  ls -la "$vdir" >"$log/variant.txt" 2>&1
  check "$short: build/$VARIANT holds the package and $ops.so" \
    test -f "$vdir/__init__.py" -a -f "$vdir/_ops.py" -a -f "$vdir/$ops.so" -a -f "$vdir/metadata.json"
  check "$short: metadata.json names $ops and archs [$CAP]" "$PY" -c '
import json, sys
m = json.load(open(sys.argv[1]))
assert m["id"] == sys.argv[2] and m["backend"] == {"type": "cuda", "archs": [sys.argv[3]]}, m' \
    "$vdir/metadata.json" "$ops" "$CAP"
  cuobjdump --list-elf "$vdir/$ops.so" >"$log/cuobjdump.txt" 2>&1
  check "$short: SASS sm_$SM only" sh -c "grep -q 'sm_$SM' '$log/cuobjdump.txt' && ! grep -v 'sm_$SM' '$log/cuobjdump.txt' | grep -q 'sm_'"
  # The tests are copied next to a link to build/, so that no source
  # folder shadows the package the loader imports.
  mkdir -p "$WORK/tests-$short"
  cp -r "$proj/tests" "$WORK/tests-$short/"
  ln -s "$proj/build" "$WORK/tests-$short/build"
  step "$short: pytest (kernels loader)" "$log/pytest.log" \
    env LOCAL_KERNELS="$repo_id=$WORK/tests-$short" \
    "$PY" -m pytest -v -p no:cacheprovider --rootdir "$WORK/tests-$short" "$WORK/tests-$short/tests"
  check "$short: tests pass through kernels.get_kernel" sh -c "tail -n 3 '$log/pytest.log' | grep -q ' passed' && ! tail -n 3 '$log/pytest.log' | grep -q ' failed'"
  tail -n 1 "$log/pytest.log" | tee -a "$SUMMARY"
}

for k in $KERNELS; do
  case $k in
  relu) run_kernel relu pyproject-tvm-ffi-relu relu-tvm-ffi kernels-test/relu-tvm-ffi ;;
  cutlass) run_kernel cutlass pyproject-tvm-ffi-cutlass-gemm cutlass-gemm-tvm-ffi kernels-test/cutlass-gemm-tvm-ffi \
    -DCUTLASS_SRC_DIR="$WORK/cutlass" ;;
  init)
    # The project `init --framework tvm-ffi` creates, with its CUDA kernel.
    proj=$WORK/init
    check "init: build2cmake init --framework tvm-ffi" "$B2C" init --framework tvm-ffi scale-ffi "$proj"
    check "init: create-pyproject" "$B2C" create-pyproject --unique-id gpu0001 "$proj"
    mkdir -p "$WORK/logs/init"
    step "init: cmake configure" "$WORK/logs/init/configure.log" \
      cmake -S "$proj" -B "$proj/cmake-build" -G Ninja -DPython3_EXECUTABLE="$PY"
    step "init: local_install" "$WORK/logs/init/build.log" \
      cmake --build "$proj/cmake-build" --target local_install --parallel "$MAX_JOBS"
    step "init: pytest" "$WORK/logs/init/pytest.log" sh -c "cd '$proj' && '$PY' -m pytest -q -p no:cacheprovider tests"
    # A CUDA build runs the 14 CUDA tests and skips the 14 CPU ones.
    check "init: the CUDA tests pass" sh -c "tail -n 1 '$WORK/logs/init/pytest.log' | grep -q '14 passed, 14 skipped'"
    tail -n 1 "$WORK/logs/init/pytest.log" | tee -a "$SUMMARY"
    ;;
  *) echo "gpu-tvm-ffi: unknown kernel $k" >&2 ;;
  esac
done

if [[ " $KERNELS " == *" relu "* ]]; then
  rm -rf "$WORK/relu/build"
  step "relu: setup.py build_kernel" "$WORK/logs/relu/build_kernel.log" \
    sh -c "cd '$WORK/relu' && '$PY' setup.py build_kernel"
  check "relu: build_kernel laid out $VARIANT" test -f "$WORK/relu/build/$VARIANT/_relu_tvm_ffi_cuda_gpu0001.so"
fi
finish
