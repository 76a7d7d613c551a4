# Sourced by the scripts that build kernels in a scratch folder (the GPU
# runs and the build benchmarks); defines two functions.

# fresh_scratch NAME DIR: empties the scratch folder DIR, creating it. A
# DIR whose removal would hurt is refused (exit 2, with NAME in the
# message): /, an empty value, $HOME, or the repository or a path that
# starts with its path.
fresh_scratch() {
  local name=$1 dir=$2 repo
  repo=$(cd "$(dirname "${BASH_SOURCE[0]}")/.." && pwd)
  case $dir in
  / | "" | "$HOME" | "$repo"*)
    echo "$name: refusing to use WORK='$dir' as scratch" >&2
    exit 2
    ;;
  esac
  rm -rf "$dir"
  mkdir -p "$dir"
}

# find_nvcc: puts the CUDA toolkit's bin folder on PATH when nvcc is
# installed there but not on PATH.
find_nvcc() {
  local d
  if command -v nvcc >/dev/null; then
    return
  fi
  for d in /usr/local/cuda/bin /usr/local/cuda-*/bin; do
    if [ -x "$d/nvcc" ]; then
      PATH=$d:$PATH
      return
    fi
  done
}
