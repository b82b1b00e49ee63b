#!/usr/bin/env python3
# Alpha158 on a dataset (default: the shared US data) through alphascope-cli eval: the ten factors with
# the largest valid |Rank IC| (train 2015-2017, valid 2018, test 2019), with their test IC.
# Usage: python3 scripts/alpha158_ic.py [DATA_DIR]  (after scripts/build.sh)
import json, os, re, subprocess, sys
ROOT = os.path.dirname(os.path.dirname(os.path.abspath(__file__)))
src = open(os.path.join(ROOT, 'tests/support/alpha158.h')).read()
# Rebuild the list exactly as the header does (fixed entries, then families x windows).
fixed = re.findall(r'\{"([A-Z0-9]+)", "([^"]+)"\}', src.split('struct Family')[0])
fams = []
for m in re.finditer(r'\{"([A-Z]+)", \[\]\(const std::string& d\) \{\s*return (.*?);\s*\}\}', src, re.S):
    fams.append((m.group(1), m.group(2)))
def expand(expr, d):
    parts = re.findall(r'"((?:[^"\\]|\\.)*)"|(\bd\b)', expr)
    return ''.join(p if p else d for p, dd in parts)
items = list(fixed)
for name, expr in fams:
    for d in ['5','10','20','30','60']:
        items.append((name + d, expand(expr, d)))
assert len(items) == 158, len(items)
D = sys.argv[1] if len(sys.argv) > 1 else os.path.join(ROOT, '../shared/data/us_sp500_2015_2020')
args = [os.path.join(ROOT, 'build/app/alphascope-cli'), 'eval', '--data', D + '/prices.csv.xz', '--sectors', D + '/sectors.csv',
        '--train', '2015-01-01:2017-12-31', '--valid', '2018-01-01:2018-12-31', '--test', '2019-01-01:2019-12-31', '--json']
for _, e in items: args += ['-f', e]
out = subprocess.run(args, capture_output=True, text=True)
j = json.loads(out.stdout)
fs = j['factors'] if 'factors' in j else j
rows = []
for (name, expr), f in zip(items, fs):
    s = {x['name']: x for x in f['splits']}
    rows.append((name, s['valid']['rank_ic'], s['valid']['ic'], s['test']['ic'], s['test']['rank_ic']))
rows.sort(key=lambda r: -abs(r[1] or 0))
print('| factor | valid IC / Rank IC | test IC / Rank IC |')
print('|---|---|---|')
for r in rows[:10]:
    print('| %s | %.4f / %.4f | %.4f / %.4f |' % (r[0], r[2], r[1], r[3], r[4]))
# sign-consistency: of the ten, how many keep their valid sign in test
same = sum(1 for r in rows[:10] if (r[1] > 0) == (r[4] > 0))
print('same sign in test (Rank IC):', same, 'of 10')
