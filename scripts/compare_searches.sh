#!/usr/bin/env bash
# The search comparison of issue #4: gfn, mcts, gp and random at an equal budget of formula
# evaluations on the shared US data (train 2015-2017, valid 2018, test 2019), one seed each.
# Usage: scripts/compare_searches.sh [EVALUATIONS=3000] [SEED=0] [OUT=build/compare]
# Writes OUT/<algo>.json (the pools) and OUT/comparison.md (the table), and prints the table.
set -euo pipefail
here="$(cd "$(dirname "$0")/.." && pwd)"
evals="${1:-3000}"
seed="${2:-0}"
out="${3:-$here/build/compare}"
cli="${ALPHASCOPE_CLI:-$here/build/app/alphascope-cli}"
data="${ALPHASCOPE_US_DATA:-$here/../shared/data/us_sp500_2015_2020}"
[ -x "$cli" ] || { echo "build the CLI first (cmake --build build --target alphascope-cli)" >&2; exit 2; }
[ -f "$data/prices.csv.xz" ] || { echo "no US data at $data" >&2; exit 2; }
mkdir -p "$out"
algos="${ALGOS:-gfn mcts gp random}"
for algo in $algos; do
    echo "== $algo ($evals evaluations, seed $seed)" >&2
    extra=()
    # gplearn's population of 1000 would leave 2-3 generations at this budget; 200 gives about 10-15.
    [ "$algo" = gp ] && extra=(--gp-population 200)
    "$cli" mine --algo "$algo" "${extra[@]}" --data "$data/prices.csv.xz" --sectors "$data/sectors.csv" \
        --train 2015-01-01:2017-12-31 --valid 2018-01-01:2018-12-31 --test 2019-01-01:2019-12-31 \
        --budget-evals "$evals" --seed "$seed" --out "$out/$algo.json" > "$out/$algo.txt"
    tail -n +1 "$out/$algo.txt" | sed -n '1,8p' >&2
done
files=()
for algo in gfn mcts gp random; do [ -f "$out/$algo.json" ] && files+=("$out/$algo.json"); done
"$cli" compare "${files[@]}" | tee "$out/comparison.md"
