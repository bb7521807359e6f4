#!/usr/bin/env python3
"""Two metric logs (CSV) hold the same rows, ignoring the wall-clock column `t`."""
import csv
import sys


def rows(path):
    with open(path, newline="") as f:
        r = list(csv.reader(f))
    if not r:
        return []
    keep = [i for i, name in enumerate(r[0]) if name != "t"]
    return [[row[i] for i in keep] for row in r]


a, b = rows(sys.argv[1]), rows(sys.argv[2])
if a != b:
    print(f"{sys.argv[2]}: {len(b)} rows, expected {len(a)} as in {sys.argv[1]}", file=sys.stderr)
    for i, (x, y) in enumerate(zip(a, b)):
        if x != y:
            print(f"first difference at row {i}: {x} vs {y}", file=sys.stderr)
            break
    sys.exit(1)
print(f"same {len(a)} rows")
