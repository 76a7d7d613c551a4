#!/usr/bin/env bash
# GPU end-to-end test: builds the CUDA kernel cases for real on a machine with
# an NVIDIA GPU, nvcc, PyTorch with CUDA, CMake, Ninja and pytest, and checks
# what a kernel author and the Nix builder rely on. docs/gpu.md explains it.
#
#   scripts/gpu-e2e.sh [BUILD2CMAKE]        (or B2C=path; default .bin/build2cmake)
#
# Run from anywhere; it reads the cases from this repository's
# testdata/kernels/cuda-{relu,caps,minver,cutlass} and builds copies in a
# scratch folder. For each case:
#   1. build2cmake generate-torch $(cat args) build.toml
#   2. cmake configure + build (Ninja) for the GPU present (no
#      BUILD_ALL_SUPPORTED_ARCHS); cuobjdump: each kernel's object holds
#      exactly the code its capabilities call for
#   3. pip install -e . twice (the second must compile nothing: "Fast
#      rebuilds with pip" in docs/design.md),
#      cuda-relu also after touching its .cu (one object recompiles)
#   4. pytest tests/ against the editable install
#   5. a second build folder with -DBUILD_ALL_SUPPORTED_ARCHS=ON, as the Nix
#      builder configures; cuobjdump again; cmake --install into a prefix and
#      check <prefix>/<ops_name>/<ops_name>*.so; lay the package out as the
#      Nix builder does (torch-ext/<python_name>/* + module + metadata.json)
#      and run pytest against that
#   6. cuda-relu only: cmake/hipify.py on relu.cu yields a .hip source with
#      HIP names (ROCm itself is not there; only the source transform)
# Then a summary: PASS/FAIL counts, capabilities found per kernel, and the
# wall time of each step (configure, build, pip install -e first/second).
#
# Environment:
#   OUT        folder for the summary, timings and a tarball of all logs
#   WORK       scratch folder (default /tmp/gpu-e2e; emptied first)
#   CASES      cases to run (default: all four)
#   PARALLEL   1 (default): cuda-relu runs alone until its configure, build
#              and first two pip installs are timed, then the other cases
#              run concurrently with the rest of it; 0: one case after
#              another (slower, every timing clean)
#   MAX_JOBS   compile jobs (default: CPU count), NVCC_THREADS_ALL nvcc
#              --threads for the all-capabilities build (default 4)
#   TIME_LIMIT seconds after which unfinished cases are stopped and reported
#              as failures (default 540, inside a 600 s limit on the command)
#   PYPROJECT  1: afterwards run scripts/gpu-e2e-pyproject.sh (today's layout
#              on kernels-community relu, activation, rotary); OUT is shared
# Exit status: 0 when every check passed, 1 otherwise, 2 on bad usage.
set -uo pipefail

REPO=$(cd "$(dirname "${BASH_SOURCE[0]}")/.." && pwd)
. "$REPO/scripts/scratch.sh"
B2C=${1:-${B2C:-$REPO/.bin/build2cmake}}
if [ ! -x "$B2C" ]; then
  echo "gpu-e2e: build2cmake binary '$B2C' not found or not executable" >&2
  echo "usage: $0 [BUILD2CMAKE]   (scripts/gpu-prepare.sh builds .bin/build2cmake)" >&2
  exit 2
fi
B2C=$(cd "$(dirname "$B2C")" && pwd)/$(basename "$B2C")

WORK=${WORK:-/tmp/gpu-e2e}
CASES=${CASES:-cuda-relu cuda-caps cuda-minver cuda-cutlass}
PARALLEL=${PARALLEL:-1}
MAX_JOBS=${MAX_JOBS:-$(nproc)}
NVCC_THREADS_ALL=${NVCC_THREADS_ALL:-4}
CUTLASS_MINI=$REPO/testdata/cutlass-mini
CHECK_OBJ=$REPO/scripts/cuobjdump-check.py
export MAX_JOBS PIP_NO_INDEX=1 PIP_DISABLE_PIP_VERSION_CHECK=1 PYTHONDONTWRITEBYTECODE=1
unset PYTHONPATH CUTLASS_SRC_DIR CMAKE_ARGS DEBUG TORCH_CUDA_ARCH_LIST

find_nvcc # nvcc may be installed without being on PATH
PY=$(command -v python3)

fresh_scratch gpu-e2e "$WORK"
mkdir "$WORK/logs"
LOGS=$WORK/logs
RESULTS=$WORK/results.txt   # PASS|FAIL <case> <what>
TIMINGS=$WORK/timings.tsv   # case step seconds exit
CAPS=$WORK/caps.txt         # case build object sass ptx
: >"$RESULTS"
printf 'case\tstep\tseconds\texit\n' >"$TIMINGS"
: >"$CAPS"

say() { printf '[%s] %s\n' "$1" "$2"; }
pass() { printf 'PASS %s %s\n' "$1" "$2" >>"$RESULTS"; say "$1" "PASS $2"; }
fail() { printf 'FAIL %s %s\n' "$1" "$2" >>"$RESULTS"; say "$1" "FAIL $2"; }
# check CASE WHAT CMD...: a PASS/FAIL line for a quiet command.
check() {
  local c=$1 what=$2
  shift 2
  if "$@"; then pass "$c" "$what"; else fail "$c" "$what"; fi
}

# step CASE NAME CMD...: runs CMD with its output in $LOGS/CASE.NAME.log,
# records its wall time, prints PASS/FAIL and, on failure, the log's tail.
step() {
  local c=$1 name=$2 log start end secs rc
  shift 2
  log=$LOGS/$c.$name.log
  start=$(date +%s.%N)
  "$@" >"$log" 2>&1
  rc=$?
  end=$(date +%s.%N)
  secs=$(awk -v a="$start" -v b="$end" 'BEGIN { printf "%.1f", b - a }')
  printf '%s\t%s\t%s\t%s\n' "$c" "$name" "$secs" "$rc" >>"$TIMINGS"
  if [ "$rc" -eq 0 ]; then
    pass "$c" "$name (${secs}s)"
  else
    fail "$c" "$name (exit $rc after ${secs}s; log $(basename "$log"))"
    tail -n 40 "$log" | sed "s/^/    [$c] /"
  fi
  return "$rc"
}

# ---------------------------------------------------------------- preflight
echo "== gpu-e2e: machine"
{
  nvidia-smi -L 2>&1 | head -n 4
  echo "nvcc: $(command -v nvcc)"
  nvcc --version 2>&1 | tail -n 2
  cmake --version 2>&1 | head -n 1
  echo "ninja $(ninja --version 2>&1)"
  cuobjdump --version 2>&1 | tail -n 1
  "$PY" -c 'import sys, torch; print("python", sys.version.split()[0], sys.executable); print("torch", torch.__version__, "cuda", torch.version.cuda, "gpu", torch.cuda.is_available() and torch.cuda.get_device_name(0))' 2>&1
  "$PY" -c 'import os, sysconfig; h = os.path.join(sysconfig.get_paths()["include"], "Python.h"); print("Python.h:", h, "" if os.path.exists(h) else "(MISSING)")' 2>&1
  "$PY" -m pytest --version 2>&1
  echo "build2cmake: $("$B2C" --version 2>&1)"
  echo "MAX_JOBS=$MAX_JOBS NVCC_THREADS_ALL=$NVCC_THREADS_ALL PARALLEL=$PARALLEL"
} | sed 's/^/  /'
for tool in nvcc cuobjdump cmake ninja; do
  command -v "$tool" >/dev/null || { echo "gpu-e2e: $tool not found" >&2; exit 2; }
done

NVCC_VERSION=$(nvcc --version | sed -n 's/.*release \([0-9]*\.[0-9]*\).*/\1/p')
GPU_CAP=$("$PY" -c 'import torch; print("%d%d" % torch.cuda.get_device_capability())' 2>/dev/null)
if [ -z "$GPU_CAP" ]; then
  echo "gpu-e2e: PyTorch sees no CUDA GPU" >&2
  exit 2
fi

# Expected code for a kernel without cuda-capabilities: with
# BUILD_ALL_SUPPORTED_ARCHS, nvcc's default list (SASS for each, PTX for the
# +PTX one); without it, the GPU's own capability, SASS only. 10.3 is a
# default from nvcc 12.9 (huggingface/kernels #783).
version_ge() { [ "$(printf '%s\n%s\n' "$2" "$1" | sort -V | head -n1)" = "$2" ]; }
if version_ge "$NVCC_VERSION" 13.0; then
  ALL_SASS=75,80,86,87,89,90,100,103,110,120 ALL_PTX=120
elif version_ge "$NVCC_VERSION" 12.9; then
  ALL_SASS=70,72,75,80,86,87,89,90,100,101,103,120 ALL_PTX=120
elif version_ge "$NVCC_VERSION" 12.8; then
  ALL_SASS=70,72,75,80,86,87,89,90,100,101,120 ALL_PTX=120
else
  ALL_SASS=70,72,75,80,86,87,89,90 ALL_PTX=90
fi
# Kernel scale: cuda-capabilities ["8.0", "9.0+PTX"] loosely intersected with
# the base list of every row above gives 8.0 and 9.0+PTX, with or without
# BUILD_ALL_SUPPORTED_ARCHS (the intersection is taken with the supported
# base capabilities, not with the GPU's).
SCALE_SASS=80,90 SCALE_PTX=90
echo "  nvcc $NVCC_VERSION: all-capabilities default sass=$ALL_SASS ptx=$ALL_PTX; GPU capability $GPU_CAP"

# expected_objects CASE MODE: "object sass ptx" per kernel source; ptx/sass
# ABSENT means the object must not exist (the kernel is not built).
expected_objects() {
  local sass ptx
  if [ "$2" = all ]; then sass=$ALL_SASS ptx=$ALL_PTX; else sass=$GPU_CAP ptx=none; fi
  case $1 in
  cuda-relu) echo "relu.cu.o $sass $ptx" ;;
  cuda-caps)
    echo "scale.cu.o $SCALE_SASS $SCALE_PTX"
    echo "shift.cu.o $sass $ptx"
    ;;
  cuda-minver)
    echo "present.cu.o $sass $ptx"
    echo "future.cu.o ABSENT ABSENT"
    ;;
  cuda-cutlass) echo "probe.cu.o $sass $ptx" ;;
  esac
}

# check_objects CASE BUILD_DIR MODE: cuobjdump each kernel's object file.
check_objects() {
  local c=$1 dir=$2 mode=$3 obj sass ptx found line
  while read -r obj sass ptx; do
    mapfile -t found < <(find "$dir" -name "$obj" -type f)
    if [ "$sass" = ABSENT ]; then
      if [ ${#found[@]} -eq 0 ]; then
        pass "$c" "$mode: $obj not built"
        printf '%s\t%s\t%s\tnot built\t\n' "$c" "$mode" "$obj" >>"$CAPS"
      else
        fail "$c" "$mode: $obj was built: ${found[*]}"
      fi
      continue
    fi
    if [ ${#found[@]} -ne 1 ]; then
      fail "$c" "$mode: expected one $obj under $dir, found ${#found[@]}"
      continue
    fi
    line=$("$PY" "$CHECK_OBJ" --sass "$sass" --ptx "$ptx" "${found[0]}")
    local rc=$?
    line=${line#"${found[0]}": }
    printf '%s\t%s\t%s\t%s\n' "$c" "$mode" "$obj" "$line" >>"$CAPS"
    if [ $rc -eq 0 ]; then
      pass "$c" "$mode: $obj $line"
    else
      fail "$c" "$mode: $obj $line"
    fi
  done < <(expected_objects "$c" "$mode")
}

# ninja_logs DIR: the .ninja_log of each build folder pip created, sorted.
# (FetchContent sub-builds under _deps have logs of their own.)
ninja_logs() {
  find "$1" \( -path "$1/build-ext" -o -path "$1/build-all" -o -name _deps \) -prune -o \
    -name .ninja_log -type f -print 2>/dev/null | sort
}

# compiled_since LOG N: object files Ninja built after line N of LOG.
compiled_since() {
  tail -n +"$(($2 + 1))" "$1" | awk '$4 ~ /\.o$/ { print $4 }' | sed 's|.*/||' | sort -u | tr '\n' ' '
}

# ---------------------------------------------------------------- one case
run_case() {
  local c=$1
  local src=$REPO/testdata/kernels/$c dir=$WORK/$c
  local name py ops_id ops prefix nix so logs log before built
  local -a cmake_extra=()

  if [ ! -f "$src/build.toml" ] || [ ! -f "$src/args" ]; then
    fail "$c" "no build.toml and args in $src"
    return
  fi
  mkdir -p "$dir"
  cp -a "$src/." "$dir/"
  rm -rf "$dir/expected" "$dir/build" "$dir/build-ext" "$dir/build-all"
  cd "$dir" || return

  name=$("$PY" -c 'import tomllib; print(tomllib.load(open("build.toml", "rb"))["general"]["name"])')
  py=${name//-/_}
  ops_id=$(sed -n 's/.*--ops-id[ =]\([^ ]*\).*/\1/p' args)
  ops=_${py}_${ops_id}

  if [ "$c" = cuda-cutlass ]; then
    # The cache variable for the direct CMake builds, the environment
    # variable for pip (setup.py passes no -D of its own for it).
    cmake_extra=(-DCUTLASS_SRC_DIR="$CUTLASS_MINI")
    export CUTLASS_SRC_DIR=$CUTLASS_MINI
  fi

  # 1. generate
  # shellcheck disable=SC2046 # args holds flags split on spaces on purpose
  step "$c" generate "$B2C" generate-torch $(cat args) build.toml || return
  local f missing=()
  for f in CMakeLists.txt setup.py pyproject.toml metadata.json cmake/utils.cmake \
    cmake/hipify.py torch-ext/registration.h "torch-ext/$py/_ops.py"; do
    [ -f "$f" ] || missing+=("$f")
  done
  check "$c" "generated files present${missing:+ (missing: ${missing[*]})}" test ${#missing[@]} -eq 0

  # 2. build for the GPU present
  step "$c" configure cmake -S . -B build-ext -G Ninja -DPython3_EXECUTABLE="$PY" \
    -DCMAKE_BUILD_TYPE=Release "${cmake_extra[@]}" || return
  if [ "$c" = cuda-cutlass ]; then
    check "$c" "configure used testdata/cutlass-mini" grep -q "cutlass-mini 3.6.0: headers in" "$LOGS/$c.configure.log"
  fi
  step "$c" build cmake --build build-ext -j "$MAX_JOBS" || return
  check_objects "$c" build-ext default
  if [ "$c" = cuda-caps ]; then
    # scale's cuda-flags and include directory reach scale.cu, not shift.cu.
    ninja -C build-ext -t commands >"$LOGS/$c.commands.log"
    local scale_cmd shift_cmd
    scale_cmd=$(grep -E -e '-c [^ ]*scale/scale\.cu( |$)' "$LOGS/$c.commands.log")
    shift_cmd=$(grep -E -e '-c [^ ]*shift/shift\.cu( |$)' "$LOGS/$c.commands.log")
    check "$c" "scale.cu compiles with -DSCALE_BY=2.0f and -I.../scale/include" \
      grep -q -E -e '-DSCALE_BY=2\.0f .*-I[^ ]*/scale/include|-I[^ ]*/scale/include .*-DSCALE_BY=2\.0f' <<<"$scale_cmd"
    check "$c" "shift.cu compiles without scale's flag and include directory" \
      test -n "$shift_cmd" -a -z "$(grep -E -e 'SCALE_BY|/scale/include' <<<"$shift_cmd")"
  fi

  # 3. editable installs: first, unchanged again, (relu) one file touched
  step "$c" pip-install-1 "$PY" -m pip install --no-build-isolation --no-deps --no-index -e . || return
  logs=$(ninja_logs "$dir")
  log=$(head -n 1 <<<"$logs")
  before=$([ -n "$log" ] && wc -l <"$log" || echo 0)
  step "$c" pip-install-2 "$PY" -m pip install --no-build-isolation --no-deps --no-index -e . || return
  if [ -z "$log" ]; then
    fail "$c" "pip install -e: no persistent Ninja build folder found (docs/design.md: fast rebuilds)"
  elif [ "$(ninja_logs "$dir")" != "$logs" ]; then
    fail "$c" "unchanged reinstall built in a new folder: $(ninja_logs "$dir" | tr '\n' ' ')"
  else
    built=$(compiled_since "$log" "$before")
    check "$c" "unchanged reinstall compiled nothing${built:+ (compiled: $built)}" test -z "$built"
  fi
  # The other cases wait for this (PARALLEL=1): timings up to here are clean.
  [ "$c" = cuda-relu ] && touch "$WORK/relu-timed"
  if [ "$c" = cuda-relu ] && [ -n "$log" ]; then
    before=$(wc -l <"$log")
    touch relu_cuda/relu.cu
    step "$c" pip-install-touched "$PY" -m pip install --no-build-isolation --no-deps --no-index -e .
    built=$(compiled_since "$log" "$before")
    check "$c" "touched relu.cu recompiled only it (compiled: ${built:-nothing})" test "$built" = "relu.cu.o "
  fi

  # 4. tests against the editable install
  step "$c" pytest "$PY" -m pytest -q -p no:cacheprovider -rfEs tests

  # 5. all capabilities, as the Nix builder configures
  step "$c" configure-all cmake -S . -B build-all -G Ninja -DPython3_EXECUTABLE="$PY" \
    -DCMAKE_BUILD_TYPE=Release -DBUILD_ALL_SUPPORTED_ARCHS=ON \
    -DNVCC_THREADS="$NVCC_THREADS_ALL" "${cmake_extra[@]}" || return
  step "$c" build-all cmake --build build-all -j "$MAX_JOBS" || return
  check_objects "$c" build-all all

  prefix=$WORK/$c-prefix
  step "$c" install cmake --install build-all --prefix "$prefix" || return
  so=$(find "$prefix/$ops" -maxdepth 1 -name "$ops*.so" -type f 2>/dev/null | head -n 1)
  check "$c" "installed module <prefix>/$ops/$(basename "${so:-$ops*.so}")" test -n "$so"
  say "$c" "installed files: $(cd "$prefix" && find . -type f | sort | tr '\n' ' ')"
  [ -n "$so" ] || return

  # The Nix builder's output: the Python package, the module, metadata.json.
  nix=$WORK/$c-nix
  mkdir -p "$nix/$py"
  cp -a "torch-ext/$py/." "$nix/$py/"
  find "$nix/$py" \( -name '*.so' -o -name __pycache__ \) -prune -exec rm -rf {} +
  cp "$so" "$nix/$py/"
  cp metadata.json "$nix/$py/"
  step "$c" nix-layout-import env PYTHONPATH="$nix" "$PY" -c "
import $py, sys
assert $py.__file__.startswith('$nix/'), $py.__file__
print($py.__file__)" || return
  step "$c" pytest-all-archs env PYTHONPATH="$nix" "$PY" -m pytest -q -p no:cacheprovider -rfEs tests

  # 6. hipify as a source transform
  if [ "$c" = cuda-relu ]; then
    hipify_check "$dir"
  fi
}

# hipify_check DIR: run DIR's generated cmake/hipify.py on a pristine copy of
# cuda-relu, as the ROCm build does at build time. The generated CMake
# expects relu_cuda/relu.cu to come out as relu_hip/relu.hip.
hipify_check() {
  local c=cuda-relu gen=$1 src=$WORK/hipify-src out=$WORK/hipify-out
  local hip=$out/relu_hip/relu.hip
  rm -rf "$src" "$out"
  cp -a "$REPO/testdata/kernels/cuda-relu" "$src"
  rm -rf "$src/expected"
  step "$c" hipify "$PY" "$gen/cmake/hipify.py" --project-dir "$src" --output-dir "$out" \
    relu_cuda/relu.cu || return
  check "$c" "hipify wrote relu_hip/relu.hip" test -f "$hip"
  [ -f "$hip" ] || return
  check "$c" "hipified source uses HIP names (hipStream_t)" grep -q 'hipStream_t' "$hip"
  check "$c" "hipified source has no CUDA runtime names left" \
    bash -c "! grep -nE 'cudaStream_t|cuda_runtime|<ATen/cuda/|<c10/cuda/' '$hip'"
  say "$c" "hipified lines: $(grep -n 'hip' "$hip" | head -n 5 | tr '\n' '|')"
}

# ---------------------------------------------------------------- run
# Every case runs under `timeout` (which kills its whole process group:
# cmake, ninja, nvcc, pytest) so that the summary and logs are written before
# TIME_LIMIT seconds have passed, even when a build hangs.
START=$(date +%s)
DEADLINE=$((START + ${TIME_LIMIT:-540}))
export REPO B2C WORK LOGS RESULTS TIMINGS CAPS PY CUTLASS_MINI CHECK_OBJ \
  ALL_SASS ALL_PTX SCALE_SASS SCALE_PTX GPU_CAP NVCC_THREADS_ALL
export -f say pass fail check step expected_objects check_objects ninja_logs \
  compiled_since run_case hipify_check
declare -A case_of=()
pids=()
# launch CASE: start it in the background with what is left of the deadline.
launch() {
  local left=$((DEADLINE - $(date +%s)))
  if [ "$left" -le 10 ]; then
    fail "$1" "not started: TIME_LIMIT reached"
    return 1
  fi
  # shellcheck disable=SC2016 # $1 belongs to the inner shell
  timeout -k 10 "$left" bash -c 'set -uo pipefail; run_case "$1"' _ "$1" &
  pids+=($!)
  case_of[$!]=$1
}
# finish: wait for every launched case; a timeout is a failure.
finish() {
  local p rc
  for p in "${pids[@]}"; do
    wait "$p"
    rc=$?
    if [ "$rc" -eq 124 ] || [ "$rc" -eq 137 ]; then
      fail "${case_of[$p]}" "stopped at TIME_LIMIT=${TIME_LIMIT:-540}s (see its last step's log)"
    fi
  done
  pids=()
}

echo "== gpu-e2e: cases: $CASES"
if [ "$PARALLEL" = 1 ] && [[ " $CASES " == *" cuda-relu "* ]]; then
  # Timings for configure/build/pip are taken from cuda-relu while it runs
  # alone; the others start once those are done.
  launch cuda-relu
  relu_pid=${pids[0]:-}
  while [ -n "$relu_pid" ] && [ ! -e "$WORK/relu-timed" ] && kill -0 "$relu_pid" 2>/dev/null; do
    sleep 1
  done
  for c in $CASES; do
    [ "$c" = cuda-relu ] || launch "$c"
  done
  finish
elif [ "$PARALLEL" = 1 ]; then
  for c in $CASES; do launch "$c"; done
  finish
else
  for c in $CASES; do
    launch "$c"
    finish
  done
fi
ELAPSED=$(($(date +%s) - START))

# ---------------------------------------------------------------- summary
{
  echo
  echo "== gpu-e2e summary (nvcc $NVCC_VERSION, GPU capability $GPU_CAP, $ELAPSED s in all, PARALLEL=$PARALLEL)"
  echo "-- capabilities found per kernel object (cuobjdump)"
  sort "$CAPS" | awk -F'\t' '{ printf "  %-13s %-9s %-13s %s\n", $1, $2, $3, $4 }'
  echo "-- wall time per step, seconds"
  tail -n +2 "$TIMINGS" | sort -s -t "$(printf '\t')" -k1,1 |
    awk -F'\t' '{ printf "  %-13s %-20s %7s%s\n", $1, $2, $3, ($4 == 0 ? "" : "  (exit " $4 ")") }'
  awk -F'\t' '$2 == "pip-install-1" { a[$1] = $3 } $2 == "pip-install-2" { b[$1] = $3 }
    END { for (c in a) if (c in b && a[c] > 0) printf "  %-13s pip install -e: second/first = %.3f (%ss / %ss)\n", c, b[c] / a[c], b[c], a[c] }' "$TIMINGS" | sort
  if [ "$PARALLEL" = 1 ]; then
    echo "  (cuda-relu's steps up to pip-install-2 ran alone; later steps and other cases ran concurrently)"
  fi
  echo "-- failures"
  grep '^FAIL' "$RESULTS" | sed 's/^/  /' || echo "  none"
  npass=$(grep -c '^PASS' "$RESULTS")
  nfail=$(grep -c '^FAIL' "$RESULTS")
  echo "$npass passed, $nfail failed"
} | tee "$WORK/summary.txt"

if [ -n "${OUT:-}" ]; then
  mkdir -p "$OUT"
  cp "$WORK/summary.txt" "$TIMINGS" "$RESULTS" "$CAPS" "$OUT/"
  tar -C "$WORK" -czf "$OUT/gpu-e2e-logs.tar.gz" logs
fi

nfail=$(grep -c '^FAIL' "$RESULTS")
status=0
[ "$nfail" -eq 0 ] && [ -s "$RESULTS" ] || status=1

# PYPROJECT=1: also today's layout on kernels-community kernels.
if [ "${PYPROJECT:-0}" = 1 ]; then
  echo
  WORK=$WORK-pyproject bash "$REPO/scripts/gpu-e2e-pyproject.sh" "$B2C" || status=1
fi
exit $status
