#!/usr/bin/env bash
# pl-plot turns a metrics log (CSV or JSON lines, as the log hook writes
# them) into a PNG or SVG, and rejects what it cannot plot.
# usage: plot_test.sh <pl-plot>
set -u
plot=$1
dir=$(mktemp -d /tmp/pl-plot-test.XXXXXX) && trap 'rm -rf "$dir"' EXIT && cd "$dir" || exit 1
cat >m.csv <<'CSV'
loop,event,epoch,t,loss,accuracy
"f/epoch","iteration_end",0,0.1,2.0,0.5
"f/epoch","iteration_end",1,0.2,1.0,0.7
"f/epoch","iteration_end",2,0.3,0.5,0.8
CSV
cat >m.jsonl <<'JSON'
{"loop": "f/epoch", "event": "iteration_end", "epoch": 0, "t": 0.1, "loss": 2.0}
{"loop": "f/epoch", "event": "iteration_end", "epoch": 1, "t": 0.2, "loss": null}
{"loop": "f/epoch", "event": "iteration_end", "epoch": 2, "t": 0.3, "loss": 0.5}
JSON
pass=0 fail=0
ok() { if "$@"; then pass=$((pass + 1)); else echo "FAIL: $*"; fail=$((fail + 1)); fi; }
png() { [ "$(head -c 8 "$1" | od -An -tx1 | tr -d ' \n')" = "89504e470d0a1a0a" ]; }
ok "$plot" m.csv -o a.png
ok png a.png
ok "$plot" m.jsonl -y loss -o b.svg
ok grep -q "<svg" b.svg
ok "$plot" m.csv -x epoch -y accuracy
ok png m.png
! "$plot" m.csv -y nonexistent -o c.png 2>err.txt; ok grep -q "no column 'nonexistent'" err.txt
! "$plot" m.csv -o c.gif 2>err.txt; ok grep -q "must end in .png or .svg" err.txt
! "$plot" missing.csv 2>err.txt; ok grep -q "cannot read 'missing.csv'" err.txt
echo "pl-plot: $pass passed, $fail failed"
[ "$fail" = 0 ]
