#!/usr/bin/python3
"""Times formulas and IC + Rank IC the way AlphaGen computes them (PyTorch, float32, `unfold`
windows, `normalize_by_day`, per-day Pearson and Spearman), next to `alphascope-cli bench` on the
same formulas, market and CPU threads, in one run: each formula is timed by `bench` alone right
before AlphaGen's timing of it, so that both sides see the same moment of a shared host's load.

The operators follow AlphaGen's semantics as ../shared/design/PEERS.md (sections 1.5 and 1.6)
records them; this is our own code written from that description, not AlphaGen's. Its purpose is
the comparison of issue #10 ("median formula evaluation >= 20x faster than AlphaGen's torch
operators on the same CPU in the same run", "IC + Rank IC >= 50x AlphaGen's").

Needs Debian's python3-torch (apt-get install python3-torch; not a dependency of AlphaScope).

    /usr/bin/python3 scripts/bench_alphagen.py \
        --data ../shared/data/us_sp500_2015_2020/prices.csv.xz \
        --formulas scripts/bench_formulas.txt --cli build/app/alphascope-cli
"""

import argparse
import csv
import json
import lzma
import re
import statistics
import subprocess
import sys
import tempfile
import time

import numpy as np
import torch

FIELDS = ("open", "high", "low", "close", "volume")


def load_panel(path):
    """Long CSV (date, ticker, fields...) -> {field: float32 tensor [days, instruments]}."""
    opener = lzma.open if path.endswith(".xz") else open
    with opener(path, "rt", newline="") as f:
        rows = list(csv.DictReader(f))
    dates = sorted({r["date"] for r in rows})
    tickers = sorted({r["ticker"] for r in rows})
    di = {d: i for i, d in enumerate(dates)}
    ti = {t: i for i, t in enumerate(tickers)}
    out = {}
    for field in FIELDS:
        a = np.full((len(dates), len(tickers)), np.nan, dtype=np.float32)
        for r in rows:
            v = r.get(field, "")
            if v != "":
                a[di[r["date"]], ti[r["ticker"]]] = float(v)
        out[field] = torch.from_numpy(a)
    return out


# ---- a parser for AlphaScope's formula syntax: Op(arg, ...), $field, numbers ----

TOKEN = re.compile(r"\s*(\$?[A-Za-z_][A-Za-z0-9_]*|-?\d+(?:\.\d+)?|[(),])")


def parse(text):
    tokens = TOKEN.findall(text)
    pos = 0

    def node():
        nonlocal pos
        tok = tokens[pos]
        pos += 1
        if tok.startswith("$"):
            return ("field", tok[1:])
        if re.fullmatch(r"-?\d+(?:\.\d+)?", tok):
            return ("const", float(tok))
        if pos < len(tokens) and tokens[pos] == "(":
            pos += 1
            args = [node()]
            while tokens[pos] == ",":
                pos += 1
                args.append(node())
            assert tokens[pos] == ")", text
            pos += 1
            return ("op", tok, args)
        raise ValueError(f"cannot parse {text!r} at {tok!r}")

    tree = node()
    assert pos == len(tokens), text
    return tree


# ---- AlphaGen's operator semantics (PEERS.md 1.5) ----


def pad(values, window):
    """Rolling results cover days window-1.. ; the first window-1 days are NaN."""
    head = torch.full((window - 1, values.shape[1]), float("nan"), dtype=values.dtype)
    return torch.cat((head, values), dim=0)


def ref(x, d):
    """x d days earlier (d < 0: later), NaN where that day is outside the panel."""
    gap = torch.full((abs(d), x.shape[1]), float("nan"), dtype=x.dtype)
    return torch.cat((gap, x[:-d]), dim=0) if d > 0 else torch.cat((x[-d:], gap), dim=0)


def rolling(op, x, w):
    v = x.unfold(0, w, 1)  # [days - w + 1, instruments, w]
    if op == "Mean":
        r = v.mean(dim=-1)
    elif op == "Sum":
        r = v.sum(dim=-1)
    elif op == "Std":
        r = v.std(dim=-1)
    elif op == "Var":
        r = v.var(dim=-1)
    elif op == "Skew":
        central = v - v.mean(dim=-1, keepdim=True)
        r = (central**3).mean(dim=-1) / v.std(dim=-1, unbiased=False) ** 3
    elif op == "Kurt":
        central = v - v.mean(dim=-1, keepdim=True)
        r = (central**4).mean(dim=-1) / v.var(dim=-1) ** 2 - 3
    elif op == "Max":
        r = v.max(dim=-1)[0]
    elif op == "Min":
        r = v.min(dim=-1)[0]
    elif op == "Med":
        r = v.median(dim=-1)[0]
    elif op == "Mad":
        central = v - v.mean(dim=-1, keepdim=True)
        r = central.abs().mean(dim=-1)
    elif op == "Rank":
        last = v[:, :, -1, None]
        left = (last < v).count_nonzero(dim=-1)
        right = (last <= v).count_nonzero(dim=-1)
        r = (right + left + (right > left)) / (2 * w)
    elif op == "WMA":
        weights = torch.arange(w, dtype=v.dtype)
        weights /= weights.sum()
        r = (weights * v).sum(dim=-1)
    elif op == "EMA":
        alpha = 1 - 2 / (1 + w)
        weights = alpha ** torch.arange(w, 0, -1, dtype=v.dtype)
        weights /= weights.sum()
        r = (weights * v).sum(dim=-1)
    else:
        raise ValueError(op)
    return pad(r, w)


def pair_rolling(op, x, y, w):
    a = x.unfold(0, w, 1)
    b = y.unfold(0, w, 1)
    ca = a - a.mean(dim=-1, keepdim=True)
    cb = b - b.mean(dim=-1, keepdim=True)
    if op == "Cov":
        r = (ca * cb).sum(dim=-1) / (w - 1)
    else:
        l = (ca**2).sum(dim=-1)
        rr = (cb**2).sum(dim=-1)
        denom = (l * rr).sqrt()
        denom[(l < 1e-6) | (rr < 1e-6)] = 1
        r = (ca * cb).sum(dim=-1) / denom
    return pad(r, w)


def cs_rank(x):
    nan = x.isnan()
    n = (~nan).sum(dim=1, keepdim=True)
    r = x.argsort(dim=1).argsort(dim=1) / n
    r[nan] = float("nan")
    return r


ROLLING = {"Mean", "Sum", "Std", "Var", "Skew", "Kurt", "Max", "Min", "Med", "Mad", "Rank", "WMA", "EMA"}


def evaluate(tree, data):
    kind = tree[0]
    if kind == "field":
        return data[tree[1]]
    if kind == "const":
        return tree[1]
    _, op, args = tree
    if op in ROLLING:
        return rolling(op, evaluate(args[0], data), int(args[1][1]))
    if op in ("Cov", "Corr"):
        return pair_rolling(op, evaluate(args[0], data), evaluate(args[1], data), int(args[2][1]))
    if op == "Ref":
        return ref(evaluate(args[0], data), int(args[1][1]))
    if op == "Delta":  # x(t) - x(t - d)
        x = evaluate(args[0], data)
        return x - ref(x, int(args[1][1]))
    if op in ("Abs", "Sign", "Log", "CSRank"):
        x = evaluate(args[0], data)
        return {"Abs": torch.abs, "Sign": torch.sign, "Log": torch.log, "CSRank": cs_rank}[op](x)
    a = evaluate(args[0], data)
    b = evaluate(args[1], data)
    if not torch.is_tensor(a):
        a = torch.full_like(b, a)
    if op == "Add":
        return a + b
    if op == "Sub":
        return a - b
    if op == "Mul":
        return a * b
    if op == "Div":
        return a / b
    if op == "Pow":
        return a**b
    if op == "Greater":
        return a.max(b) if torch.is_tensor(b) else a.clamp(min=b)
    if op == "Less":
        return a.min(b) if torch.is_tensor(b) else a.clamp(max=b)
    raise ValueError(f"operator {op} is not one of AlphaGen's")


# ---- AlphaGen's IC and Rank IC (PEERS.md 1.6) ----


def masked_mean_std(x, n=None, mask=None):
    if mask is None:
        mask = torch.isnan(x)
    if n is None:
        n = (~mask).sum(dim=1)
    x = x.clone()
    x[mask] = 0.0
    mean = x.sum(dim=1) / n
    std = ((((x - mean[:, None]) * ~mask) ** 2).sum(dim=1) / n).sqrt()
    return mean, std


def normalize_by_day(value):
    mean, std = masked_mean_std(value)
    value = (value - mean[:, None]) / std[:, None]
    value[torch.isnan(value)] = 0.0
    return value


def mask_either_nan(x, y, fill_with=float("nan")):
    x = x.clone()
    y = y.clone()
    nan_mask = x.isnan() | y.isnan()
    x[nan_mask] = fill_with
    y[nan_mask] = fill_with
    n = (~nan_mask).sum(dim=1)
    return x, y, n, nan_mask


def pearson_given_mask(x, y, n, mask):
    x_mean, x_std = masked_mean_std(x, n, mask)
    y_mean, y_std = masked_mean_std(y, n, mask)
    cov = (x * y).sum(dim=1) / n - x_mean * y_mean
    stdmul = x_std * y_std
    stdmul[(x_std < 1e-3) | (y_std < 1e-3)] = 1
    return cov / stdmul


def rank_row(x):
    """Average ranks of one day (AlphaGen's current code: a Python loop over days, `unique`)."""
    _, inv, counts = x.unique(return_inverse=True, return_counts=True)
    cs = torch.cat((torch.zeros(1, dtype=x.dtype), counts.cumsum(dim=0).to(x.dtype)))
    return ((cs[:-1] + cs[1:] - 1) / 2)[inv]


def rank_loop(x, nan_mask):
    r = torch.stack([rank_row(row) for row in x])
    r[nan_mask] = 0
    return r


def rank_matrix(x, nan_mask):
    """Average ranks through a [days, S, S] equality matrix (AlphaGen-KDD's and AlphaSAGE's code)."""
    rank = x.argsort().argsort().float()
    eq = x[:, None] == x[:, :, None]
    eq = eq / eq.sum(dim=2, keepdim=True)
    rank = (eq @ rank[:, :, None]).squeeze(dim=2)
    rank[nan_mask] = 0
    return rank


def ic_and_rank_ic(factor, target_normalized, ranker):
    value = normalize_by_day(factor)
    ic = pearson_given_mask(*mask_either_nan(value, target_normalized, fill_with=0.0)).mean().item()
    x, y, n, mask = mask_either_nan(value, target_normalized)
    ric = pearson_given_mask(ranker(x, mask), ranker(y, mask), n, mask).mean().item()
    return ic, ric


def median_ms(repeat, fn):
    fn()  # warm-up
    times = []
    for _ in range(repeat):
        t0 = time.perf_counter()
        fn()
        times.append((time.perf_counter() - t0) * 1e3)
    return statistics.median(times)


def main():
    p = argparse.ArgumentParser(description=__doc__, formatter_class=argparse.RawDescriptionHelpFormatter)
    p.add_argument("--data", required=True)
    p.add_argument("--formulas", required=True)
    p.add_argument("--cli", help="alphascope-cli to time the same formulas with (bench --json)")
    p.add_argument("--threads", type=int, default=2)
    p.add_argument("--repeat", type=int, default=7)
    p.add_argument("--no-interleave", dest="interleave", action="store_false",
                   help="time all our formulas in one bench call first, instead of each one next to AlphaGen's")
    p.add_argument("--matrix-rank", action="store_true",
                   help="also time Rank IC with the [days, S, S] equality matrix (1.5 GB on the US panel)")
    a = p.parse_args()
    torch.set_num_threads(a.threads)
    torch.set_grad_enabled(False)

    formulas = [l.strip() for l in open(a.formulas) if l.strip() and not l.lstrip().startswith("#")]
    t0 = time.perf_counter()
    data = load_panel(a.data)
    days, inst = data["close"].shape
    print(f"{a.data}: {inst} instruments x {days} days, loaded in {time.perf_counter() - t0:.1f} s; "
          f"torch {torch.__version__}, {torch.get_num_threads()} threads, median of {a.repeat}")
    # The target, 20-day forward return (Ref($close, -20) / $close - 1), normalised once as AlphaGen's
    # calculator does.
    target = normalize_by_day(ref(data["close"], -20) / data["close"] - 1)

    def time_ours(formulas_file):
        out = subprocess.run([a.cli, "bench", "--data", a.data, "--formulas", formulas_file, "--no-synthetic",
                              "--repeat", str(a.repeat), "--json"], check=True, capture_output=True, text=True)
        return {f["formula"]: f for f in json.loads(out.stdout)["datasets"][0]["formulas"]}

    ours = {}
    if a.cli and not a.interleave:
        ours = time_ours(a.formulas)

    rows = []
    for f in formulas:
        if a.cli and a.interleave:
            # This formula alone, right before AlphaGen's timing of it: the host's load drifts over the
            # minutes of a run, and one side timed at a busy moment would bias every ratio.
            with tempfile.NamedTemporaryFile("w", suffix=".txt") as one:
                one.write(f + "\n")
                one.flush()
                ours.update(time_ours(one.name))
        tree = parse(f)
        values = evaluate(tree, data)
        eval_ms = median_ms(a.repeat, lambda: evaluate(tree, data))
        ic_ms = median_ms(a.repeat, lambda: ic_and_rank_ic(values, target, rank_loop))
        ic, ric = ic_and_rank_ic(values, target, rank_loop)
        mat_ms = median_ms(max(1, a.repeat // 3), lambda: ic_and_rank_ic(values, target, rank_matrix)) if a.matrix_rank else None
        rows.append((f, eval_ms, ic_ms, mat_ms, ic, ric))

    print(f"{'formula':<48} {'AG eval':>8} {'ours':>6} {'x':>6}   {'AG IC+RIC':>9} {'ours':>6} {'x':>6}"
          + (f" {'AG matrix':>9}" if a.matrix_rank else "") + f"   {'AG IC':>7} {'AG RIC':>7}")
    speedups, ic_speedups = [], []
    for f, eval_ms, ic_ms, mat_ms, ic, ric in rows:
        o = ours.get(f, {})
        oe, oi = o.get("eval_ms"), o.get("ic_rank_ic_ms")
        se = eval_ms / oe if oe else None
        si = ic_ms / oi if oi else None
        if se: speedups.append(se)
        if si: ic_speedups.append(si)
        fmt = lambda v, p=2: f"{v:.{p}f}" if v is not None else "-"
        print(f"{f:<48} {eval_ms:8.2f} {fmt(oe):>6} {fmt(se, 1):>6}   {ic_ms:9.2f} {fmt(oi):>6} {fmt(si, 1):>6}"
              + (f" {mat_ms:9.1f}" if a.matrix_rank else "") + f"   {ic:7.4f} {ric:7.4f}")
    ag_eval = statistics.median(r[1] for r in rows)
    ag_ic = statistics.median(r[2] for r in rows)
    print(f"median: AlphaGen-style eval {ag_eval:.2f} ms, IC + Rank IC {ag_ic:.2f} ms")
    if ours:
        oe = statistics.median(ours[f]["eval_ms"] for f in formulas if f in ours)
        oi = statistics.median(ours[f]["ic_rank_ic_ms"] for f in formulas if f in ours)
        print(f"median: AlphaScope eval {oe:.2f} ms, IC + Rank IC {oi:.2f} ms; median ratio per formula "
              f"eval {statistics.median(speedups):.1f}x, IC + Rank IC {statistics.median(ic_speedups):.1f}x; "
              f"ratio of medians eval {ag_eval / oe:.1f}x, IC + Rank IC {ag_ic / oi:.1f}x")
    return 0


if __name__ == "__main__":
    sys.exit(main())
