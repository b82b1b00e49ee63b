#!/usr/bin/env python3
# The 101 Formulaic Alphas on a dataset (default: the shared US data) through alphascope-cli eval, in
# WorldQuant's notation as printed in the paper: the ten with the largest valid |Rank IC| (train
# 2015-2017, valid 2018, test 2019), with their test IC; those needing cap or a subindustry grouping
# (which the US data lacks) are listed and left out.
# Usage: python3 scripts/alpha101_ic.py [DATA_DIR]  (after scripts/build.sh)
import json, os, re, subprocess, sys
ROOT = os.path.dirname(os.path.dirname(os.path.abspath(__file__)))
src = open(os.path.join(ROOT, 'tests/support/alpha101.h')).read()
items = re.findall(r'\{"(Alpha#\d+)", "([^"]+)"\}', src)
assert len(items) == 101, len(items)
D = sys.argv[1] if len(sys.argv) > 1 else os.path.join(ROOT, '../shared/data/us_sp500_2015_2020')
base = [os.path.join(ROOT, 'build/app/alphascope-cli'), 'eval', '--data', D + '/prices.csv.xz', '--sectors', D + '/sectors.csv',
        '--train', '2015-01-01:2017-12-31', '--valid', '2018-01-01:2018-12-31', '--test', '2019-01-01:2019-12-31', '--json']
usable, missing = [], []
for name, text in items:  # one at a time first: which ones the data supports, and why not
    out = subprocess.run(base + ['-f', text], capture_output=True, text=True)
    if out.returncode == 0:
        usable.append((name, text, json.loads(out.stdout)))
    else:
        lines = out.stderr.strip().splitlines() or ['?']
        missing.append((name, next((l for l in lines if 'error' in l), lines[0])))
print('evaluated: %d of 101' % len(usable))
for name, why in missing:
    print('  not evaluated: %s: %s' % (name, why))
rows = []
for name, text, j in usable:
    f = (j['factors'] if 'factors' in j else j)[0]
    s = {x['name']: x for x in f['splits']}
    val = lambda k, m: s[k][m] if s[k][m] is not None else float('nan')
    rows.append((name, val('valid', 'rank_ic'), val('valid', 'ic'), val('test', 'ic'), val('test', 'rank_ic')))
rows = [r for r in rows if r[1] == r[1]]  # a defined valid Rank IC
rows.sort(key=lambda r: -abs(r[1]))
print('| alpha | valid IC / Rank IC | test IC / Rank IC |')
print('|---|---|---|')
for r in rows[:10]:
    print('| %s | %.4f / %.4f | %.4f / %.4f |' % (r[0], r[2], r[1], r[3], r[4]))
same = sum(1 for r in rows[:10] if (r[1] > 0) == (r[4] > 0))
print('same sign in test (Rank IC):', same, 'of 10')
