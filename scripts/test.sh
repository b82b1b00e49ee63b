#!/usr/bin/env bash
# Installs what is missing (Debian 12), builds, and runs every test with CTest (its summary line
# is the last thing printed).
set -euo pipefail
root="$(cd "$(dirname "${BASH_SOURCE[0]}")/.." && pwd)"
bash "$root/scripts/setup-debian.sh"
bash "$root/scripts/build.sh"
cd "$root/${ALPHASCOPE_BUILD_DIR:-build}"
export QT_QPA_PLATFORM=offscreen
ctest --output-on-failure -j "${ALPHASCOPE_JOBS:-$(nproc)}" --timeout 900
