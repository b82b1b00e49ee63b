#!/usr/bin/env bash
# Prepares, here, what scripts/gpu-check.sh needs on a lent GPU machine, which has CUDA, nvcc,
# CMake, ninja and a CUDA build of PyTorch but no apt and no network: the Debian packages core and
# the CLI build against (downloaded, not installed) and the US data, in .gpu-deps/ (ignored by git;
# the device tool takes it along with carry [".gpu-deps"], about 17 MB).
# Usage, in the project root: scripts/gpu-deps.sh
set -euo pipefail
root="$(cd "$(dirname "${BASH_SOURCE[0]}")/.." && pwd)"
cd "$root"
mkdir -p .gpu-deps/debs .gpu-deps/data
# Headers and CMake configs (-dev), their runtime libraries, Graphviz's link closure (its layout
# plugins are loaded only when a graph is laid out, which the check does not do) and pkgconf.
packages=(
    libeigen3-dev nlohmann-json3-dev libcli11-dev libfast-float-dev
    libtbb-dev libtbb12 libtbbmalloc2 libtbbbind-2-5
    libsqlite3-dev libsqlite3-0 liblzma-dev liblzma5
    libgraphviz-dev libgvc6 libcgraph6 libcdt5 libpathplan4 libxdot4 libltdl-dev libltdl7 libexpat1 zlib1g
    pkgconf pkgconf-bin libpkgconf3
)
(cd .gpu-deps/debs && rm -f ./*.deb && apt-get download "${packages[@]}" 2>&1 | grep -v '^W: Download is performed unsandboxed')
data="$root/../shared/data/us_sp500_2015_2020"
if [[ -f "$data/prices.csv.xz" ]]; then
    cp "$data/prices.csv.xz" "$data/sectors.csv" .gpu-deps/data/
else
    echo "no US data at $data: the check will use the bundled sample" >&2
fi
du -sh .gpu-deps
