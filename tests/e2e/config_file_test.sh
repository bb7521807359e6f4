#!/usr/bin/env bash
# The README workflow: the instrumented trainer, untouched, gets progress, a
# metrics log, early stopping and an lr schedule from a config file.
# usage: config_file_test.sh <fashion_mnist binary> <hooks.conf> <scratch dir>
set -u
bin=$1 conf=$2 dir=$3
rm -rf "$dir" && mkdir -p "$dir" && cd "$dir" || exit 1
PL_CONFIG=$conf "$bin" --synthetic --epochs 12 >stdout.txt 2>stderr.txt || { cat stderr.txt; exit 1; }
fail=0
expect() { grep -qF -- "$2" "$1" || { echo "FAIL: $1 lacks: $2"; fail=1; }; }
expect stderr.txt "pl progress: epoch  6/12 [##########----------]  50%"
expect stderr.txt "pl: set lr 0.100000 -> 0.05 at mlp::train/epoch iteration 4"
expect stderr.txt "pl: set lr 0.050000 -> 0.025 at mlp::train/epoch iteration 9"
expect metrics.csv "loop,event,epoch,t,loss,accuracy,lr"
[ "$(wc -l <metrics.csv)" -ge 2 ] || { echo "FAIL: metrics.csv has no rows"; fail=1; }
# lr is logged after the set hook ran? No: log comes first in hooks.conf, so
# epoch 4's row still shows 0.1 and epoch 5's the halved 0.05.
expect metrics.csv '"mlp::train/epoch","iteration_end",5,'
awk -F, 'NR==7 && $7 != "0.05000000074505806" { print "FAIL: lr at epoch 5 is " $7; exit 1 }' metrics.csv || fail=1
echo "config file workflow: $([ $fail = 0 ] && echo 1 passed, 0 failed || echo 0 passed, 1 failed)"
exit $fail
