#!/usr/bin/env bash
# The house format: every C++ source under app/ core/ plugins/ tests/ ui/ as clang-format 14
# (Debian 12's) writes it with the repository's .clang-format.
# Usage: scripts/format.sh          rewrites the files that differ
#        scripts/format.sh --check  lists them and fails (CTest's test "format" runs this)
# Exit 77 (CTest: skipped) when clang-format 14 is not installed (`apt install clang-format`).
set -euo pipefail
cd "$(dirname "${BASH_SOURCE[0]}")/.."

check=0
case "${1:-}" in
    "") ;;
    --check) check=1 ;;
    *) echo "format.sh: unknown option '$1' (usage: scripts/format.sh [--check])" >&2; exit 2 ;;
esac

cf=$(command -v clang-format-14 || command -v clang-format || true)
if [[ -z $cf ]]; then
    echo "format.sh: clang-format is not installed (Debian: apt install clang-format)"
    exit 77
fi
major=$("$cf" --version | sed -n 's/.*version \([0-9][0-9]*\).*/\1/p')
if [[ $major != 14 ]]; then
    # Another version breaks some lines differently: the house format is version 14's.
    echo "format.sh: $cf is version ${major:-unknown}; the house format is clang-format 14's (Debian 12)"
    exit 77
fi

mapfile -t files < <(find app core plugins tests ui -type f \( -name '*.cpp' -o -name '*.h' \) | LC_ALL=C sort)
if [[ $check == 0 ]]; then
    printf '%s\0' "${files[@]}" | xargs -0 -n 16 -P "$(nproc)" "$cf" -i
    echo "format.sh: ${#files[@]} files formatted with $("$cf" --version)"
    exit 0
fi

differ=()
for f in "${files[@]}"; do
    if ! "$cf" --dry-run -Werror "$f" >/dev/null 2>&1; then differ+=("$f"); fi
done
if ((${#differ[@]} > 0)); then
    echo "format.sh: ${#differ[@]} of ${#files[@]} files differ from .clang-format (run scripts/format.sh):"
    printf '  %s\n' "${differ[@]}"
    "$cf" --dry-run "${differ[0]}" 2>&1 | head -20 || true
    exit 1
fi
echo "format.sh: all ${#files[@]} files follow .clang-format"
