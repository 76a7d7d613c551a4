#!/usr/bin/env bash
# GPU end-to-end test of today's layout (create-pyproject) on real
# kernels-community kernels, loaded by the real `kernels` package. Run by
# scripts/gpu-e2e.sh when PYPROJECT=1, or on its own; docs/gpu.md explains it.
#
#   scripts/gpu-e2e-pyproject.sh [BUILD2CMAKE]   (default .bin/build2cmake)
#
# Needs what scripts/gpu-prepare.sh puts in .bin/ (carry .bin to the GPU
# machine): .bin/kernels-community/{relu,activation,rotary} (sources of
# kernels-community at the exported commit) and .bin/kernels-v0.13.0 (the
# Python package `kernels` v0.13.0 from huggingface/kernels; it needs
# huggingface_hub, pyyaml, packaging and tomlkit installed). For each kernel:
#   1. build2cmake create-pyproject --unique-id gpu0001
#   2. cmake configure (Ninja, the GPU present), counting the Python
#      processes that import torch (must be 1)
#   3. cmake --build --target local_install; build/<variant>/ must hold the
#      package, the extension and metadata.json with backend.archs = the
#      GPU's capability; activation (stable ABI for cuda) must be a
#      torch-stable-abi210-... variant
#   4. cuobjdump: each kernel object holds SASS for the GPU only
#   5. the kernel's own tests, with the kernel loaded through `kernels`:
#      relu with LOCAL_KERNELS=kernels-community/relu=<repo> (kernels picks
#      the variant under build/), activation with LOCAL_KERNELS=...=<variant
#      dir> (kernels 0.13.0 does not parse stable-ABI variant names, so it
#      is given the variant folder itself), rotary through the
#      get_local_kernel(<repo>) its tests call
# relu is also configured with -DBUILD_ALL_SUPPORTED_ARCHS=ON: with CUDA 13
# its object must hold SASS 7.5 ... 12.1 (10.3 included) and PTX 12.1
# (today's defaults).
#
# Environment: WORK (scratch, default /tmp/gpu-e2e-pyproject), OUT (copies
# the summary and logs there), KERNELS (default: relu activation rotary),
# ALL_ARCHS=0 (skip the all-capabilities build of relu),
# MAX_JOBS. Exit status: 0 when every check passed, 1 otherwise, 2 on bad
# usage.
set -uo pipefail

REPO=$(cd "$(dirname "${BASH_SOURCE[0]}")/.." && pwd)
. "$REPO/scripts/scratch.sh"
B2C=${1:-${B2C:-$REPO/.bin/build2cmake}}
KC=${KC:-$REPO/.bin/kernels-community}
KERNELS_SRC=${KERNELS_SRC:-$REPO/.bin/kernels-v0.13.0}
WORK=${WORK:-/tmp/gpu-e2e-pyproject}
KERNELS=${KERNELS:-relu activation rotary}
MAX_JOBS=${MAX_JOBS:-$(nproc)}
CHECK_OBJ=$REPO/scripts/cuobjdump-check.py
COUNTER=$REPO/scripts/torch-import-counter
export MAX_JOBS PIP_NO_INDEX=1 PIP_DISABLE_PIP_VERSION_CHECK=1 PYTHONDONTWRITEBYTECODE=1
unset PYTHONPATH CMAKE_ARGS LOCAL_KERNELS TORCH_CUDA_ARCH_LIST

for need in "$B2C" "$KC" "$KERNELS_SRC/kernels/__init__.py"; do
  if [ ! -e "$need" ]; then
    echo "gpu-e2e-pyproject: $need is missing: run scripts/gpu-prepare.sh here and carry .bin" >&2
    exit 2
  fi
done
find_nvcc
PY=$(command -v python3)
fresh_scratch gpu-e2e-pyproject "$WORK"
mkdir "$WORK/logs"
LOGS=$WORK/logs RESULTS=$WORK/results.txt TIMINGS=$WORK/timings.tsv
: >"$RESULTS"
printf 'kernel\tstep\tseconds\texit\n' >"$TIMINGS"

say() { printf '[%s] %s\n' "$1" "$2"; }
pass() { printf 'PASS %s %s\n' "$1" "$2" >>"$RESULTS"; say "$1" "PASS $2"; }
fail() { printf 'FAIL %s %s\n' "$1" "$2" >>"$RESULTS"; say "$1" "FAIL $2"; }
step() {
  local k=$1 name=$2 log start end secs rc
  shift 2
  log=$LOGS/$k.$name.log
  start=$(date +%s.%N)
  "$@" >"$log" 2>&1
  rc=$?
  end=$(date +%s.%N)
  secs=$(awk -v a="$start" -v b="$end" 'BEGIN { printf "%.1f", b - a }')
  printf '%s\t%s\t%s\t%s\n' "$k" "$name" "$secs" "$rc" >>"$TIMINGS"
  if [ "$rc" -eq 0 ]; then pass "$k" "$name (${secs}s)"; else
    fail "$k" "$name (exit $rc after ${secs}s)"
    tail -n 40 "$log" | sed "s/^/    [$k] /"
  fi
  return "$rc"
}

echo "== gpu-e2e-pyproject: machine"
{
  nvidia-smi -L 2>&1 | head -n 2
  nvcc --version 2>&1 | tail -n 1
  "$PY" -c 'import torch; print("torch", torch.__version__, "cuda", torch.version.cuda)'
  PYTHONPATH=$KERNELS_SRC "$PY" -c 'import kernels, huggingface_hub; print("kernels from", kernels.__file__, "huggingface_hub", huggingface_hub.__version__)' 2>&1 | tail -n 1
  echo "build2cmake: $("$B2C" --version 2>&1)"
} | sed 's/^/  /'
NVCC_VERSION=$(nvcc --version | sed -n 's/.*release \([0-9]*\.[0-9]*\).*/\1/p')
GPU_CAP=$("$PY" -c 'import torch; print("%d.%d" % torch.cuda.get_device_capability())')
GPU_SASS=${GPU_CAP/./}

# variant_dir KERNEL: the one folder under build/ that local_install made.
variant_dir() {
  find "$WORK/$1/build" -mindepth 1 -maxdepth 1 -type d -name 'torch*' | head -n 1
}

run_kernel() {
  local k=$1 dir=$WORK/$1 variant imports obj line
  cp -r "$KC/$k" "$dir"
  step "$k" create-pyproject "$B2C" create-pyproject --unique-id gpu0001 "$dir" || return
  local log=$WORK/$k.imports.log
  step "$k" configure env PYTHONPATH="$COUNTER" TORCH_IMPORT_LOG="$log" \
    cmake -S "$dir" -B "$dir/cmake-build" -G Ninja -DPython3_EXECUTABLE="$PY" || return
  imports=$(wc -l <"$log" 2>/dev/null || echo 0)
  if [ "$imports" -eq 1 ]; then pass "$k" "configure imported torch in 1 process"; else
    fail "$k" "configure imported torch in $imports processes"; fi
  step "$k" local_install cmake --build "$dir/cmake-build" --target local_install || return
  step "$k" local_install-again cmake --build "$dir/cmake-build" --target local_install

  variant=$(variant_dir "$k")
  say "$k" "variant $(basename "$variant")"
  case $k in
  activation) [[ $(basename "$variant") == torch-stable-abi210-cu* ]] ;;
  *) [[ $(basename "$variant") == torch*-cxx11-cu* ]] ;;
  esac && pass "$k" "variant name $(basename "$variant")" || fail "$k" "variant name $(basename "$variant")"
  if [ -f "$variant/__init__.py" ] && ls "$variant"/_"$k"_cuda_gpu0001.*so >/dev/null 2>&1; then
    pass "$k" "variant holds the package and _${k}_cuda_gpu0001"
  else
    fail "$k" "variant lacks __init__.py or the extension: $(ls "$variant")"
  fi
  line=$("$PY" -c 'import json, sys; m = json.load(open(sys.argv[1])); print(m["id"], m["backend"]["type"], m["backend"].get("archs"))' "$variant/metadata.json" 2>&1)
  if [ "$line" = "_${k}_cuda_gpu0001 cuda ['$GPU_CAP']" ]; then
    pass "$k" "metadata.json: $line"
  else
    fail "$k" "metadata.json: $line (want archs ['$GPU_CAP'])"
  fi
  while read -r obj; do
    line=$("$PY" "$CHECK_OBJ" --sass "$GPU_SASS" --ptx none "$obj")
    if [ $? -eq 0 ]; then pass "$k" "cuobjdump $(basename "$obj"): ${line#*: }"; else
      fail "$k" "cuobjdump $(basename "$obj"): ${line#*: }"; fi
  done < <(find "$dir/cmake-build" -name '*.cu.o' -not -path '*/_deps/*')

  # The kernel's own tests, with the kernel loaded by `kernels`.
  local run=$WORK/run-$k
  mkdir -p "$run"
  cp -r "$dir/tests" "$run/tests"
  ln -s "$dir/build" "$run/build"
  (
    cd "$run" || exit 1
    export PYTHONPATH=$KERNELS_SRC
    case $k in
    rotary) ;; # its tests call get_local_kernel(<repo>) themselves
    # kernels 0.13.0 cannot parse stable-ABI variant names: the folder itself.
    activation) export LOCAL_KERNELS=kernels-community/$k=$variant ;;
    # The repository: kernels picks the variant under build/ itself.
    *) export LOCAL_KERNELS=kernels-community/$k=$run ;;
    esac
    step "$k" pytest "$PY" -m pytest -q -p no:cacheprovider tests
  )
}

run_all_archs() {
  local k=relu dir=$WORK/relu want_sass want_ptx obj line
  if [ "${NVCC_VERSION%%.*}" -ge 13 ]; then
    want_sass=75,80,86,87,89,90,100,103,110,120,121 want_ptx=121
  else
    say relu "nvcc $NVCC_VERSION: the CUDA 13 defaults cannot be checked"
    return
  fi
  step relu configure-all-archs cmake -S "$dir" -B "$dir/cmake-build-all" -G Ninja \
    -DPython3_EXECUTABLE="$PY" -DBUILD_ALL_SUPPORTED_ARCHS=ON || return
  step relu build-all-archs cmake --build "$dir/cmake-build-all" || return
  obj=$(find "$dir/cmake-build-all" -name 'relu.cu.o' | head -n 1)
  line=$("$PY" "$CHECK_OBJ" --sass "$want_sass" --ptx "$want_ptx" "$obj")
  if [ $? -eq 0 ]; then pass relu "all archs: ${line#*: }"; else fail relu "all archs: ${line#*: }"; fi
}

START=$(date +%s)
for k in $KERNELS; do
  run_kernel "$k"
done
if [[ " $KERNELS " == *" relu "* ]] && [ "${ALL_ARCHS:-1}" != 0 ]; then run_all_archs; fi

{
  echo
  echo "== gpu-e2e-pyproject summary (nvcc $NVCC_VERSION, GPU $GPU_CAP, $(($(date +%s) - START)) s)"
  tail -n +2 "$TIMINGS" | awk -F'\t' '{ printf "  %-11s %-22s %7s%s\n", $1, $2, $3, ($4 == 0 ? "" : "  (exit " $4 ")") }'
  echo "-- failures"
  grep '^FAIL' "$RESULTS" | sed 's/^/  /' || echo "  none"
  echo "$(grep -c '^PASS' "$RESULTS") passed, $(grep -c '^FAIL' "$RESULTS") failed"
} | tee "$WORK/summary.txt"
if [ -n "${OUT:-}" ]; then
  mkdir -p "$OUT"
  # Prefixed: scripts/gpu-e2e.sh writes summary.txt etc. into the same OUT.
  for f in summary.txt timings.tsv results.txt; do cp "$WORK/$f" "$OUT/pyproject-$f"; done
  tar -C "$WORK" -czf "$OUT/gpu-e2e-pyproject-logs.tar.gz" logs
fi
[ "$(grep -c '^FAIL' "$RESULTS")" -eq 0 ] && [ -s "$RESULTS" ]
