#!/usr/bin/env bash
# Issue #10's GPU check, on a lent GPU machine (after scripts/gpu-deps.sh here): builds core and the
# CLI (no Qt there) against the machine's CUDA LibTorch (python3's torch), then measures the median
# formula time with the LibTorch CUDA backend against the CPU kernels (US panel and a 750 x 5,000
# synthetic one) and the searches' evaluations/s with the GPU and with --cpu. Each step logs into
# gpu-out/ as it finishes; on exit (a failure too) the logs and pools are packed into
# $OUT/gpu-check.tar.gz beside $OUT/steps.txt (the device tool brings back at most 8 files), so a
# run cut short still reports the steps before. No measurement starts later than $MEASURE seconds
# (default 300) after the build, so that with the build the script fits one 10-minute device call.
# From the device tool: run with carry [".gpu-deps"], command "bash scripts/gpu-check.sh".
set -uo pipefail
root="$(cd "$(dirname "${BASH_SOURCE[0]}")/.." && pwd)"
cd "$root"
out="$root/gpu-out"
measure="${MEASURE:-300}"
rm -rf "$out"
mkdir -p "$out"
pack() {
    [[ -n "${OUT:-}" ]] || return 0
    mkdir -p "$OUT"
    cp "$out/steps.txt" "$OUT/" 2> /dev/null
    tar czf "$OUT/gpu-check.tar.gz" -C "$out" .
}
trap pack EXIT
start=$SECONDS
step() { echo "[$((SECONDS - start)) s] $*" | tee -a "$out/steps.txt"; }
timeLeft() { ((SECONDS - built < measure)); } # $built: set when the build is done

py="${PYTHON:-python3}" # the Python that holds the CUDA PyTorch (python3 there)
step "machine"
{
    nvidia-smi --query-gpu=name,memory.total,driver_version --format=csv
    "$py" -c 'import torch; print("torch", torch.__version__, "cuda", torch.version.cuda, "available", torch.cuda.is_available(), "cxx11 abi", torch.compiled_with_cxx11_abi())'
    nvcc --version | tail -1
    cmake --version | head -1
    c++ --version | head -1
    echo "cores $(nproc)"
} > "$out/machine.txt" 2>&1
cat "$out/machine.txt"

step "packages"
deps=/opt/alphascope-deps
libdir="$deps/usr/lib/x86_64-linux-gnu"
if ! ls .gpu-deps/debs/*.deb > /dev/null 2>&1; then
    step "no .gpu-deps/debs: run scripts/gpu-deps.sh here first and carry .gpu-deps"
    exit 1
fi
mkdir -p "$deps"
for f in .gpu-deps/debs/*.deb; do dpkg -x "$f" "$deps"; done
# pkgconf from the packages, with its library, reading only their .pc files (paths under $deps).
cat > "$deps/pkg-config" << EOF
#!/bin/sh
export LD_LIBRARY_PATH="$libdir" PKG_CONFIG_SYSROOT_DIR="$deps"
export PKG_CONFIG_LIBDIR="$libdir/pkgconfig:$deps/usr/share/pkgconfig"
exec "$deps/usr/bin/pkgconf" "\$@"
EOF
chmod +x "$deps/pkg-config"

step "configure"
export TORCH_CUDA_ARCH_LIST=9.0 # Hopper (H100, H200): no architecture probing
if ! torch_prefix="$("$py" -c 'import torch; print(torch.utils.cmake_prefix_path)')" ||
    ! abi="$("$py" -c 'import torch; print(int(torch.compiled_with_cxx11_abi()))')"; then
    step "no PyTorch in $py (PYTHON names another)"
    exit 1
fi
# The packages' libraries before the machine's (DT_RPATH reaches Graphviz's own dependencies too).
link="-Wl,--disable-new-dtags -Wl,-rpath,$libdir -Wl,-rpath-link,$libdir"
if ! cmake -S . -B build-gpu -G Ninja -DCMAKE_BUILD_TYPE=Release -DALPHASCOPE_GUI=OFF -DALPHASCOPE_TESTS=OFF \
    -DALPHASCOPE_BENCH=OFF -DALPHASCOPE_TORCH=ON -DCMAKE_PREFIX_PATH="$torch_prefix;$deps/usr" \
    -DPKG_CONFIG_EXECUTABLE="$deps/pkg-config" -DCMAKE_CUDA_ARCHITECTURES=90 \
    -DCMAKE_CXX_FLAGS="-D_GLIBCXX_USE_CXX11_ABI=$abi" -DCMAKE_EXE_LINKER_FLAGS="$link" \
    -DCMAKE_SHARED_LINKER_FLAGS="$link" > "$out/configure.txt" 2>&1; then
    tail -40 "$out/configure.txt"
    step "configure failed (configure.txt)"
    exit 1
fi

step "build"
if ! cmake --build build-gpu --target alphascope-cli -j "$(nproc)" > "$out/build.txt" 2>&1; then
    grep -m 20 -B 2 -A 6 'error' "$out/build.txt" | head -80
    step "build failed (build.txt)"
    exit 1
fi
built=$SECONDS
cli=build-gpu/app/alphascope-cli
ldd "$cli" build-gpu/core/nn/libalphascope_nn.so > "$out/ldd.txt" 2>&1

data=(--data "$root/.gpu-deps/data/prices.csv.xz" --sectors "$root/.gpu-deps/data/sectors.csv")
[[ -f "$root/.gpu-deps/data/prices.csv.xz" ]] || data=()
us=(--train 2015-01-01:2017-12-31 --valid 2018-01-01:2018-12-31 --test 2019-01-01:2019-12-31)
[[ ${#data[@]} -gt 0 ]] || us=()

# The median formula of the 38-formula AlphaGen set on the US panel and on 750 x 5,000.
medians() { # the median "eval ms" of each panel's formula table
    "$py" - "$1" << 'PY'
import re, statistics, sys
panel, times = None, []
def flush():
    if panel and times:
        print(f"  median formula {statistics.median(times):.2f} ms over {len(times)} formulas: {panel}")
for line in open(sys.argv[1]):
    if re.match(r"^\S.*instruments x \d+ days", line):
        flush(); panel, times = line.strip(), []
    m = re.match(r"^  (\S+)\s+([0-9.]+)\s+([0-9.]+)\s+([0-9.]+)\s*$", line)
    if panel and m and "(" in m.group(1):
        times.append(float(m.group(2)))
flush()
PY
}
for engine in cuda cpu; do
    timeLeft || break
    step "bench --engine $engine"
    timeout 150 "$cli" bench "${data[@]}" --engine "$engine" --formulas scripts/bench_formulas.txt --repeat 3 \
        --synthetic-days 5000 --synthetic-instruments 750 > "$out/bench-$engine.txt" 2>&1
    echo "exit $?" >> "$out/bench-$engine.txt"
    head -2 "$out/bench-$engine.txt"
    medians "$out/bench-$engine.txt" | tee -a "$out/steps.txt"
done

# Each search with the GPU (networks and formula evaluation on CUDA) and with --cpu (every core).
for algo in gfn random gp mcts; do
    for where in gpu cpu; do
        timeLeft || break 2
        step "mine --algo $algo ($where)"
        flag=()
        [[ $where == cpu ]] && flag=(--cpu)
        timeout 60 "$cli" mine "${data[@]}" "${us[@]}" --algo "$algo" --budget-evals 5000 --budget-seconds 30 \
            --seed 0 "${flag[@]}" --out "$out/pool-$algo-$where.json" > "$out/mine-$algo-$where.txt" 2>&1
        echo "exit $?" >> "$out/mine-$algo-$where.txt"
        grep -E '^(Search|Work)' "$out/mine-$algo-$where.txt"
    done
done
step "done"
