#!/usr/bin/env bash
# bench/build-libcachesim.sh <src-dir> <build-dir>
# Builds libCacheSim's `cachesim` (the reference simulator of docs/performance-analysis.md) from a
# checkout of https://github.com/1a1a11a/libCacheSim (the comparison used commit aa0fc40):
# Release, tests, GLCache and LRB off; tcmalloc linked when libgoogle-perftools-dev is installed (as
# libCacheSim's own scripts/install_dependency.sh sets it up). The sources are copied to <build-dir>/src
# and its two result lines (bin/cachesim/sim.c, main.c) are patched to print the miss count beside the
# 4-decimal miss ratio ("…, 3157318 misses"), so that exact counts can be compared; nothing else changes.
# The binary is <build-dir>/bin/cachesim; bench/cases/libcachesim.ts looks for it in $LIBCACHESIM_BIN or
# /tmp/libcachesim-build/bin/cachesim.
#
# Debian/Ubuntu packages it needs:
#   apt-get install build-essential cmake pkg-config libglib2.0-dev libzstd-dev libgoogle-perftools-dev
# Example:
#   git clone https://github.com/1a1a11a/libCacheSim /tmp/libCacheSim && git -C /tmp/libCacheSim checkout aa0fc40
#   bench/build-libcachesim.sh /tmp/libCacheSim /tmp/libcachesim-build
# Exit: 0 built, 1 the build failed, 2 bad arguments or a missing tool.
set -euo pipefail

if [[ $# -ne 2 || $1 == -h || $1 == --help ]]; then
  sed -n '2,17p' "$0" | sed 's/^# \{0,1\}//'
  [[ $# -eq 1 && ( $1 == -h || $1 == --help ) ]] && exit 0
  exit 2
fi
src=$1
build=$2
if [[ ! -f $src/CMakeLists.txt || ! -d $src/libCacheSim ]]; then
  echo "build-libcachesim: $src is not a libCacheSim checkout (no CMakeLists.txt and libCacheSim/); clone https://github.com/1a1a11a/libCacheSim there." >&2
  exit 2
fi
for tool in cmake make cc pkg-config; do
  if ! command -v "$tool" >/dev/null; then
    echo "build-libcachesim: $tool not found; install build-essential cmake pkg-config libglib2.0-dev libzstd-dev (apt-get)." >&2
    exit 2
  fi
done
if ! pkg-config --exists glib-2.0; then
  echo "build-libcachesim: glib-2.0 not found; apt-get install libglib2.0-dev." >&2
  exit 2
fi

mkdir -p "$build"
rm -rf "$build/src"
mkdir -p "$build/src"
(cd "$src" && tar --exclude=./.git --exclude=./data -cf - .) | tar -xf - -C "$build/src"
commit=$(git -C "$src" rev-parse --short HEAD 2>/dev/null || echo "unknown commit")
# The miss count beside the ratio: one more printf argument in each result line (single cache: sim.c;
# several caches: main.c). The patch must apply, or the comparison could not check exact counts.
cli=$build/src/libCacheSim/bin/cachesim
perl -0pi -e 's/"%.2lf MQPS\\n",(\s*[^;]*?\/ runtime)\);/"%.2lf MQPS, %lu misses\\n",$1, (unsigned long)miss_cnt);/g' "$cli/sim.c"
perl -0pi -e 's/"ratio %.4lf\\n",(\s*[^;]*?n_req_byte)\);/"ratio %.4lf, %lld misses\\n",$1, (long long)result[i].n_miss);/' "$cli/main.c"
if [[ $(grep -c 'misses\\n' "$cli/sim.c") -ne 2 || $(grep -c 'misses\\n' "$cli/main.c") -ne 1 ]]; then
  echo "build-libcachesim: could not patch the result lines of $cli/sim.c and main.c (printing the miss count); this script knows libCacheSim at aa0fc40." >&2
  exit 1
fi
cmake -S "$build/src" -B "$build" -DCMAKE_BUILD_TYPE=Release -DENABLE_TESTS=OFF -DENABLE_GLCACHE=OFF -DENABLE_LRB=OFF >"$build/cmake.log" 2>&1 \
  || { tail -20 "$build/cmake.log" >&2; echo "build-libcachesim: cmake failed (log: $build/cmake.log)." >&2; exit 1; }
grep -E 'tcmalloc found|ZSTD found|CMAKE_BUILD_TYPE' "$build/cmake.log" >&2 || true
make -C "$build" -j "$(nproc)" cachesim >"$build/make.log" 2>&1 \
  || { tail -20 "$build/make.log" >&2; echo "build-libcachesim: make failed (log: $build/make.log)." >&2; exit 1; }
bin=$(find "$build" -type f -name cachesim -perm -u+x | head -1)
if [[ -z $bin ]]; then
  echo "build-libcachesim: make succeeded but no cachesim binary under $build (log: $build/make.log)." >&2
  exit 1
fi
if [[ $bin != "$build/bin/cachesim" ]]; then
  mkdir -p "$build/bin"
  cp "$bin" "$build/bin/cachesim"
fi
echo "built $build/bin/cachesim from $src ($commit)"
