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

# A malformed line costs only its own hook; the error names file:line:column.
printf 'progress mlp::train/epoch\nlog mlp::train/epoch vars=loss evry=2\n' > partial.conf
PL_CONFIG=$PWD/partial.conf "$bin" --synthetic --epochs 2 >/dev/null 2>partial.txt || fail=1
expect partial.txt "pl: error: $PWD/partial.conf:2:32: unknown option 'evry'"
expect partial.txt "the 1 entry above is not attached; the other 1 are"
expect partial.txt "pl progress: epoch 2/2"

# One bad line in a file that configures checkpoints: the whole file is
# rejected, loudly, and said again at exit.
printf 'checkpoint mlp::train/epoch every=1 dir=ckpt\nprogress mlp::train/epoch intervl=1\n' \
  > guarded.conf
PL_CONFIG=$PWD/guarded.conf "$bin" --synthetic --epochs 2 >/dev/null 2>guarded.txt || fail=1
expect guarded.txt "pl: error: $PWD/guarded.conf:2:27: unknown option 'intervl'"
expect guarded.txt "NONE of its 2 entries are applied, so NO CHECKPOINTS are written in this run"
expect guarded.txt "pl: reminder: NO CHECKPOINTS were written in this run: $PWD/guarded.conf"
[ ! -e ckpt ] || { echo "FAIL: a rejected file wrote checkpoints"; fail=1; }
[ "$(tail -1 guarded.txt | cut -c1-13)" = "pl: reminder:" ] || { echo "FAIL: reminder not last"; fail=1; }

# Warnings name the entry; PL_STRICT=1 makes a checkpoint selector that
# matches nothing fatal (exit 2) before any work is done.
PL_HOOKS='progress mlp::train/epoch; log */nope vars=loss file=x.csv' \
  "$bin" --synthetic --epochs 1 >/dev/null 2>entry.txt || fail=1
expect entry.txt "pl: warning: PL_HOOKS:entry 2: hook 'log */nope': selector '*/nope' matches no"
printf 'checkpoint mlp::train/epoc every=1 dir=ckpt\n' > strict.conf
PL_STRICT=1 PL_CONFIG=$PWD/strict.conf "$bin" --synthetic --epochs 2 >/dev/null 2>strict.txt
status=$?
[ $status = 2 ] || { echo "FAIL: PL_STRICT with an unmatched checkpoint selector exited $status"; fail=1; }
expect strict.txt "pl: error: $PWD/strict.conf:1: hook 'checkpoint mlp::train/epoc': selector"
expect strict.txt "did you mean 'mlp::train/epoch'"
[ ! -e ckpt ] || { echo "FAIL: the strict run wrote checkpoints"; fail=1; }

echo "config file workflow: $([ $fail = 0 ] && echo 1 passed, 0 failed || echo 0 passed, 1 failed)"
exit $fail
