#!/usr/bin/env bash
# Installs what is missing (Debian 12), builds, and starts the AlphaScope workbench on the
# bundled sample data. Extra arguments go to the workbench (e.g. --data FILE --sectors FILE).
set -euo pipefail
root="$(cd "$(dirname "${BASH_SOURCE[0]}")/.." && pwd)"
bash "$root/scripts/setup-debian.sh"
bash "$root/scripts/build.sh"
app="$root/${ALPHASCOPE_BUILD_DIR:-build}/app/alphascope"
if [[ -z "${DISPLAY:-}" && -z "${WAYLAND_DISPLAY:-}" ]]; then
    shot="$root/${ALPHASCOPE_BUILD_DIR:-build}/alphascope-start.png"
    echo "start.sh: no display found; running the workbench offscreen once and saving a screenshot to $shot"
    QT_QPA_PLATFORM=offscreen "$app" --screenshot "$shot" "$@"
    exit $?
fi
exec "$app" "$@"
