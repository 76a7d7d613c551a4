#!/usr/bin/env bash
# Prepares scripts/bench-first-build.sh for a machine that cannot download
# anything (the GPU machine): everything it needs goes into .bin/first-build
# (carry .bin; it must be ignored by git):
#   build2cmake                 this tree's tool, for linux/amd64
#   kernel-builder              today's tool, through a wrapper that finds the
#                               shared libraries it needs beyond glibc in lib/
#   kernels-community/<kernel>  the kernels to build (default: relu activation
#                               rotary), at KC_COMMIT (default: the mirror's HEAD)
#   ccache/bin/ccache           Debian's ccache with the libraries it needs,
#                               run through the dynamic loader so that the
#                               compilers it starts keep their own library path
#
#   KC_MIRROR=<kernels-community git dir> KERNEL_BUILDER=<today's kernel-builder> \
#     [CCACHE_DEBS=<folder with the ccache, libzstd1 and libhiredis .debs>] \
#     scripts/bench-first-build-prepare.sh [kernel...]
#
# Without CCACHE_DEBS the .debs come from `apt-get download`. Then, on the
# GPU machine, from the repository root:
#   PATH=$PWD/.bin/first-build/ccache/bin:$PATH WORK=/tmp/bench-first-build \
#     bash scripts/bench-first-build.sh .bin/first-build/build2cmake \
#     .bin/first-build/kernel-builder .bin/first-build/kernels-community/relu
set -euo pipefail

root=$(cd "$(dirname "$0")/.." && pwd)
cd "$root"
for v in KC_MIRROR KERNEL_BUILDER; do
  if [ -z "${!v:-}" ]; then
    echo "bench-first-build-prepare: set $v (see the header of this script)" >&2
    exit 2
  fi
done
KC_COMMIT=${KC_COMMIT:-$(git --git-dir="$KC_MIRROR" rev-parse HEAD)}
kernels=("$@")
if [ ${#kernels[@]} -eq 0 ]; then
  kernels=(relu activation rotary)
fi

mkdir -p .bin
if ! git check-ignore -q .bin/first-build; then
  echo "bench-first-build-prepare: .bin/ is not ignored by git; add '/.bin/' to .git/info/exclude" >&2
  exit 2
fi
stage=.bin/first-build
rm -rf "$stage"
mkdir -p "$stage/lib" "$stage/kernels-community" "$stage/ccache/bin" "$stage/ccache/lib"

GOOS=linux GOARCH=amd64 CGO_ENABLED=0 go build -trimpath -o "$stage/build2cmake" ./cmd/build2cmake

# Today's tool and the libraries it needs beyond glibc (libgit2 and what
# that needs), which the GPU machine may lack.
cp "$KERNEL_BUILDER" "$stage/lib/kernel-builder"
ldd "$KERNEL_BUILDER" | awk '$2 == "=>" && $3 ~ /^\// {print $3}' |
  grep -vE '/(libc|libm|libdl|libpthread|librt|libresolv|libgcc_s)\.so|/ld-linux' |
  while read -r lib; do cp -L "$lib" "$stage/lib/"; done
cat >"$stage/kernel-builder" <<'EOF'
#!/bin/sh
here=$(dirname "$(readlink -f "$0")")
LD_LIBRARY_PATH=$here/lib${LD_LIBRARY_PATH:+:$LD_LIBRARY_PATH} exec "$here/lib/kernel-builder" "$@"
EOF
chmod +x "$stage/kernel-builder"

for k in "${kernels[@]}"; do
  git --git-dir="$KC_MIRROR" archive "$KC_COMMIT" "$k" | tar -x -C "$stage/kernels-community"
done

# ccache from Debian's packages, unpacked.
debs=${CCACHE_DEBS:-}
if [ -z "$debs" ]; then
  debs=$(mktemp -d)
  trap 'rm -rf "$debs"' EXIT
  (cd "$debs" && apt-get download ccache libzstd1 libhiredis0.14 >/dev/null)
fi
unpacked=$(mktemp -d)
for deb in "$debs"/ccache_*.deb "$debs"/libzstd1_*.deb "$debs"/libhiredis0.14_*.deb; do
  dpkg -x "$deb" "$unpacked"
done
cp "$unpacked/usr/bin/ccache" "$stage/ccache/lib/ccache"
cp -L "$unpacked"/usr/lib/x86_64-linux-gnu/libzstd.so.1 "$unpacked"/usr/lib/x86_64-linux-gnu/libhiredis.so.0.14 "$stage/ccache/lib/"
rm -rf "$unpacked"
cat >"$stage/ccache/bin/ccache" <<'EOF'
#!/bin/sh
# Debian's ccache with the two libraries it needs beside it. The dynamic
# loader gets them for ccache alone, so the compilers ccache runs keep
# their own library search path.
lib=$(dirname "$(dirname "$(readlink -f "$0")")")/lib
for loader in /lib64/ld-linux-x86-64.so.2 /lib/x86_64-linux-gnu/ld-linux-x86-64.so.2; do
  [ -x "$loader" ] && exec "$loader" --library-path "$lib" "$lib/ccache" "$@"
done
echo "ccache: no x86-64 dynamic loader found" >&2
exit 127
EOF
chmod +x "$stage/ccache/bin/ccache"

"$stage/ccache/bin/ccache" --version | head -n 1
"$stage/kernel-builder" --version
echo "bench-first-build-prepare: $stage ($(du -sh "$stage" | cut -f1)): kernels ${kernels[*]} at $(git --git-dir="$KC_MIRROR" rev-parse --short "$KC_COMMIT")"
