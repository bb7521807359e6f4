#!/usr/bin/env python3
"""Compares the state sets in a pl-instrument manifest with the
`// STATE <loop>: a, b` and `// NOT <loop>: c` comments of the input.
usage: check_state.py <input.cpp> <manifest.json>"""
import json, re, sys

src, manifest = sys.argv[1], sys.argv[2]
want, must_not = {}, {}
for line in open(src):
    m = re.search(r"//\s*(STATE|NOT)\s+(\S+):(.*)$", line)
    if m:
        names = [n.strip() for n in m.group(3).split(",") if n.strip()]
        (want if m.group(1) == "STATE" else must_not)[m.group(2)] = names
loops = {l["name"]: l for l in json.load(open(manifest))["loops"]}
passed = failed = 0
for name, expected in want.items():
    if name not in loops:
        print(f"FAIL: no loop '{name}' in the manifest (have: {', '.join(loops)})")
        failed += 1
        continue
    got = [v["name"] for v in loops[name]["state"]]
    if got != expected:
        print(f"FAIL: {name}: state {got}, expected {expected}")
        failed += 1
    else:
        passed += 1
    wrong = set(got) & set(must_not.get(name, []))
    if wrong:
        print(f"FAIL: {name}: {sorted(wrong)} must not be state")
        failed += 1
print(f"state selection: {passed} passed, {failed} failed")
sys.exit(1 if failed else 0)
