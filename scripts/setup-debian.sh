#!/usr/bin/env bash
# Installs the Debian 12 packages AlphaScope needs, idempotently and non-interactively.
# Usage: scripts/setup-debian.sh [--no-gui] [--no-torch]
# Only packages that are missing are installed; `apt-get update` runs only when a package has
# no install candidate, or once after a failed install.
set -euo pipefail

gui=1
torch=1
for arg in "$@"; do
    case "$arg" in
        --no-gui) gui=0 ;;
        --no-torch) torch=0 ;;
        *) echo "setup-debian.sh: unknown option '$arg'" >&2; exit 2 ;;
    esac
done

pkgs=(cmake ninja-build g++ pkg-config ccache clang-format
      libeigen3-dev libsqlite3-dev libtbb-dev nlohmann-json3-dev libcli11-dev
      libfast-float-dev liblzma-dev libbenchmark-dev xz-utils libgraphviz-dev)
if [[ $torch == 1 ]]; then
    # OpenBLAS: Debian's libtorch calls the BLAS behind the libblas.so.3 alternative; the reference
    # BLAS made the GFlowNet's network a quarter of its time (27 -> 46 evaluations/s, measured).
    pkgs+=(libtorch-dev libopenblas0-pthread)
fi
if [[ $gui == 1 ]]; then
    pkgs+=(qt6-base-dev libqt6sql6-sqlite qt6-svg-dev qt6-tools-dev qt6-l10n-tools
           libqcustomplot-dev libqcustomplot2.1-qt6 libxkbcommon-dev
           xvfb xauth imagemagick x11-apps fonts-dejavu-core fonts-noto-cjk)
fi

missing=()
for p in "${pkgs[@]}"; do
    if ! dpkg-query -W -f='${Status}' "$p" 2>/dev/null | grep -q "install ok installed"; then
        missing+=("$p")
    fi
done

if [[ ${#missing[@]} -eq 0 ]]; then
    echo "setup-debian.sh: all ${#pkgs[@]} packages already installed"
    exit 0
fi

SUDO=""
if [[ $(id -u) -ne 0 ]]; then
    SUDO="sudo"
fi
export DEBIAN_FRONTEND=noninteractive

need_update=0
for p in "${missing[@]}"; do
    cand=$(apt-cache policy "$p" 2>/dev/null | awk '/Candidate:/ {print $2}')
    if [[ -z "$cand" || "$cand" == "(none)" ]]; then
        need_update=1
        break
    fi
done
if [[ $need_update == 1 ]]; then
    $SUDO apt-get update -q
fi

echo "setup-debian.sh: installing ${missing[*]}"
if ! $SUDO apt-get install -y -q --no-install-recommends "${missing[@]}"; then
    $SUDO apt-get update -q
    $SUDO apt-get install -y -q --no-install-recommends "${missing[@]}"
fi
