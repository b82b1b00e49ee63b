#!/usr/bin/env python3
"""Builds the bundled sample (resources/sample) from the shared US S&P 500 dataset.

Selection: the tickers that trade on every day of the calendar and never have a zero-volume row,
stratified by sector (quota proportional to the sector's share of those eligible tickers,
largest-remainder rounding), and within a sector the most liquid by median daily close*volume.
Python 3 standard library only; the output is deterministic.

usage: scripts/make_sample.py [--source DIR] [--out DIR] [--count N]
"""

import argparse
import csv
import io
import lzma
import os
import statistics
import sys
from collections import defaultdict

HERE = os.path.dirname(os.path.abspath(__file__))
DEFAULT_SOURCE = os.path.normpath(os.path.join(HERE, "..", "..", "shared", "data", "us_sp500_2015_2020"))
DEFAULT_OUT = os.path.normpath(os.path.join(HERE, "..", "resources", "sample"))


def largest_remainder(counts, total):
    """Integer quotas proportional to counts summing to total (Hamilton / largest remainder).
    Ties in the remainder go to the larger sector, then alphabetically, so the result is deterministic."""
    whole = sum(counts.values())
    exact = {k: total * v / whole for k, v in counts.items()}
    quota = {k: int(x) for k, x in exact.items()}
    left = total - sum(quota.values())
    order = sorted(counts, key=lambda k: (-(exact[k] - quota[k]), -counts[k], k))
    for k in order[:left]:
        quota[k] += 1
    return quota, exact


def main():
    ap = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    ap.add_argument("--source", default=DEFAULT_SOURCE)
    ap.add_argument("--out", default=DEFAULT_OUT)
    ap.add_argument("--count", type=int, default=150)
    args = ap.parse_args()

    with lzma.open(os.path.join(args.source, "prices.csv.xz"), "rt", newline="") as f:
        lines = f.read().splitlines()
    header = lines[0]
    cols = header.split(",")
    i_date, i_ticker = cols.index("date"), cols.index("ticker")
    i_close, i_volume = cols.index("close"), cols.index("volume")

    dates = set()
    days = defaultdict(int)
    zero = defaultdict(int)
    dollar = defaultdict(list)
    for line in lines[1:]:
        cells = line.split(",")
        t = cells[i_ticker]
        dates.add(cells[i_date])
        days[t] += 1
        volume = float(cells[i_volume])
        if volume == 0:
            zero[t] += 1
        dollar[t].append(float(cells[i_close]) * volume)
    n_days = len(dates)

    with open(os.path.join(args.source, "sectors.csv"), newline="", encoding="utf-8") as f:
        sector_text = f.read()
    sector_lines = sector_text.splitlines()
    sector_rows = list(csv.reader(sector_lines))
    s_header = sector_rows[0]
    i_st, i_sector = s_header.index("ticker"), s_header.index("sector")
    sector_of = {r[i_st]: r[i_sector] for r in sector_rows[1:]}

    eligible = sorted(t for t in days if days[t] == n_days and zero[t] == 0)
    missing_sector = [t for t in eligible if not sector_of.get(t)]
    if missing_sector:
        sys.exit("eligible tickers without a sector: %s" % missing_sector)
    by_sector = defaultdict(list)
    for t in eligible:
        by_sector[sector_of[t]].append(t)
    quota, exact = largest_remainder({s: len(v) for s, v in by_sector.items()}, args.count)

    liquidity = {t: statistics.median(dollar[t]) for t in eligible}
    chosen = []
    for s in sorted(by_sector):
        ranked = sorted(by_sector[s], key=lambda t: (-liquidity[t], t))
        chosen.extend(ranked[: quota[s]])
    chosen_set = set(chosen)
    assert len(chosen_set) == args.count

    os.makedirs(args.out, exist_ok=True)
    out_lines = [header] + [l for l in lines[1:] if l.split(",", i_ticker + 1)[i_ticker] in chosen_set]
    data = ("\n".join(out_lines) + "\n").encode("utf-8")
    with open(os.path.join(args.out, "prices.csv.xz"), "wb") as f:
        f.write(lzma.compress(data, format=lzma.FORMAT_XZ, check=lzma.CHECK_CRC64, preset=9))

    kept = [sector_lines[0]] + [l for l, r in zip(sector_lines[1:], sector_rows[1:]) if r[i_st] in chosen_set]
    with open(os.path.join(args.out, "sectors.csv"), "w", newline="", encoding="utf-8") as f:
        f.write("\n".join(kept) + "\n")

    with open(os.path.join(args.source, "SOURCE.txt"), encoding="utf-8") as f:
        original = f.read()
    rows = len(out_lines) - 1
    table = "\n".join(
        "   %-24s eligible %3d  exact quota %6.2f  chosen %3d" % (s, len(by_sector[s]), exact[s], quota[s])
        for s in sorted(by_sector))
    note = f"""
========================================================================================
Bundled sample (resources/sample) -- a subset of the dataset above, made by scripts/make_sample.py
========================================================================================
Files: prices.csv.xz (same columns and value text as the source prices.csv, rows of the chosen
       tickers only, in the source order; xz preset 9), sectors.csv (same columns, chosen tickers only).

Selection, step by step:
 1. Eligible tickers: present on all {n_days:,} dates of the calendar AND no row with volume == 0.
    {len(days)} tickers in the source -> {len(eligible)} eligible.
 2. Quota per sector (column "sector" of sectors.csv): {args.count} * (eligible in sector / {len(eligible)}),
    rounded by the largest-remainder method (ties: larger sector, then name).
 3. Within a sector, tickers ranked by the median over all days of close * volume (daily dollar
    volume, most liquid first; ties by ticker), and the first <quota> taken.

Per sector:
{table}

Result: {args.count} tickers, {n_days:,} dates ({min(dates)} .. {max(dates)}), {rows:,} rows, no missing cells,
no zero-volume rows.
Tickers: {" ".join(sorted(chosen_set))}
"""
    with open(os.path.join(args.out, "SOURCE.txt"), "w", encoding="utf-8") as f:
        f.write(original.rstrip("\n") + "\n" + note)
    print("wrote %s: %d tickers, %d rows, %d bytes xz" % (
        args.out, args.count, rows, os.path.getsize(os.path.join(args.out, "prices.csv.xz"))))


if __name__ == "__main__":
    main()
