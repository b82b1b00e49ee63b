#!/usr/bin/env python3
# Would ranking formulas by how steadily they hold across the training years select better than
# ranking them by their training Rank IC? Reads the CSV of `alphascope-cli persistence --csv` (each
# random formula's mean daily Rank IC per calendar year) and, for each origin (training years,
# validation year, test year), ranks the formulas by several scores over the training years,
# keeps the top K, signs each by the mean of its training years (as a search's pool does) and
# prints their mean signed Rank IC in valid and test, the share of them with that sign in test, and
# the Spearman across every formula of the signed score with valid and test.
#   |mean|          |mean over the training years|  (one year, one weight: the search's ranking)
#   t               |mean| / sd over the years
#   min signed      the worst year, signed by the mean
#   |mean| - c sd   a mean-variance score
# Usage: python3 scripts/robust_scores.py PERSISTENCE.csv [K=50] [ORIGINS=0-2:3:4,0-1:2:3,1-2:3:4]
#   ORIGINS: train:valid:test as indices (ranges a-b) of the CSV's year columns.
# docs/persistence/robust-scores.md has the figures on the shared US data.
import csv, math, statistics as st, sys

if len(sys.argv) < 2:
    sys.exit(__doc__ or 'usage: robust_scores.py PERSISTENCE.csv [K] [ORIGINS]')
path = sys.argv[1]
K = int(sys.argv[2]) if len(sys.argv) > 2 else 50
origins = sys.argv[3] if len(sys.argv) > 3 else '0-2:3:4,0-1:2:3,1-2:3:4'

rows = list(csv.reader(open(path, newline='')))
header, data = rows[0][1:], rows[1:]
values = [[float(x) if x != '' else math.nan for x in r[1:]] for r in data]
column = {c: i for i, c in enumerate(header)}
years = [c for c in header if not c.startswith(('train', 'valid', 'test'))]


def ranks(x):
    order = sorted(range(len(x)), key=lambda i: x[i])
    r = [0.0] * len(x)
    i = 0
    while i < len(order):
        j = i
        while j + 1 < len(order) and x[order[j + 1]] == x[order[i]]:
            j += 1
        for k in range(i, j + 1):
            r[order[k]] = (i + j) / 2  # ties share their mean rank
        i = j + 1
    return r


def pearson(a, b):
    ma, mb = st.fmean(a), st.fmean(b)
    num = sum((x - ma) * (y - mb) for x, y in zip(a, b))
    den = math.sqrt(sum((x - ma) ** 2 for x in a) * sum((y - mb) ** 2 for y in b))
    return num / den if den > 0 else math.nan


def spearman(a, b):
    return pearson(ranks(a), ranks(b))


SCORES = {
    '|mean|': lambda d: abs(d['mean']),
    't = |mean| / sd': lambda d: abs(d['mean']) / d['sd'] if d['sd'] > 0 else math.inf,
    'min signed': lambda d: min(x * d['sign'] for x in d['years']),
    '|mean| - 0.5 sd': lambda d: abs(d['mean']) - 0.5 * d['sd'],
    '|mean| - sd': lambda d: abs(d['mean']) - d['sd'],
}


def span(text):
    lo, hi = (int(v) for v in text.split('-')) if '-' in text else (int(text), int(text))
    return years[lo:hi + 1]


print(f'{path}: {len(values)} formulas, years {", ".join(years)}; top {K}')
for origin in origins.split(','):
    train, valid, test = (span(p) for p in origin.split(':'))
    if len(valid) != 1 or len(test) != 1:
        sys.exit(f'{origin}: valid and test are one year each')
    records = []
    for row in values:
        t = [row[column[y]] for y in train]
        v, te = row[column[valid[0]]], row[column[test[0]]]
        if any(math.isnan(x) for x in t) or math.isnan(v) or math.isnan(te):
            continue
        mean = st.fmean(t)
        records.append({'years': t, 'mean': mean, 'sign': 1.0 if mean >= 0 else -1.0,
                        'sd': st.stdev(t) if len(t) > 1 else 0.0, 'valid': v, 'test': te})
    print(f'\ntrain {train[0]}-{train[-1]}, valid {valid[0]}, test {test[0]}: {len(records)} formulas')
    print('| score | top: valid | top: test | top: same sign in test | Spearman with valid | with test |')
    print('|---|---|---|---|---|---|')
    for name, score in SCORES.items():
        if len(train) < 2 and name != '|mean|':
            continue
        s = [score(d) for d in records]
        top = sorted(range(len(records)), key=lambda i: -s[i])[:K]
        signed = [s[i] * records[i]['sign'] if math.isfinite(s[i]) else records[i]['sign'] * 1e9 for i in range(len(records))]
        tv = st.fmean(records[i]['sign'] * records[i]['valid'] for i in top)
        tt = st.fmean(records[i]['sign'] * records[i]['test'] for i in top)
        same = st.fmean(1.0 if records[i]['sign'] * records[i]['test'] > 0 else 0.0 for i in top)
        print(f'| {name} | {tv:+.4f} | {tt:+.4f} | {same:.2f} | {spearman(signed, [d["valid"] for d in records]):+.2f} '
              f'| {spearman(signed, [d["test"] for d in records]):+.2f} |')
