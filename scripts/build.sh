#!/usr/bin/env bash
# Configures and builds AlphaScope (GUI + LibTorch) into build/ with ccache when present.
# Usage: scripts/build.sh [extra cmake -D options]
set -euo pipefail
root="$(cd "$(dirname "${BASH_SOURCE[0]}")/.." && pwd)"
cd "$root"
build_dir="${ALPHASCOPE_BUILD_DIR:-build}"
jobs="${ALPHASCOPE_JOBS:-$(nproc)}"
export CCACHE_BASEDIR="$root" CCACHE_NOHASHDIR=1   # cache hits across clones at other paths
generator=()
if command -v ninja >/dev/null 2>&1 && [[ ! -f "$build_dir/CMakeCache.txt" || -f "$build_dir/build.ninja" ]]; then
    generator=(-G Ninja)
fi
cmake -S . -B "$build_dir" "${generator[@]}" -DCMAKE_BUILD_TYPE=RelWithDebInfo \
    -DALPHASCOPE_GUI=ON -DALPHASCOPE_TORCH=ON -DALPHASCOPE_TESTS=ON "$@"
cmake --build "$build_dir" -j "$jobs"
