#!/usr/bin/env bash
# pl-ckpt on checkpoints the runtime really wrote, and the at_end policy:
#   - list/verify/show/diff on the files of a finished run
#   - the K-fold example's checkpoint names no data set
#   - at_end=1 writes one "end" checkpoint after the loop; resuming from it
#     skips the loop (its exit state restored) and prints the same result
#
#   ckpt_tools.sh WORKDIR PL_CKPT RESUME_PROGRAM KFOLD_PROGRAM
set -uo pipefail
work=$1 ckpt=$2 prog=$3 kfold=$4
rm -rf "$work" && mkdir -p "$work"
fails=0
fail() { echo "FAIL: $*" >&2; fails=$((fails + 1)); }

# K-fold on synthetic data, checkpoints every 20 batches.
(cd "$work" && PL_HOOKS="checkpoint mlp::train/epoch/batch every=20 dir=$work/k keep=2" \
   "$kfold" --synthetic --epochs 1 > kfold.out 2> kfold.err) || fail "kfold run failed"
files=("$work"/k/ckpt-*.plck)
[[ ${#files[@]} == 2 ]] || fail "keep=2 kept ${#files[@]} files"
"$ckpt" verify "${files[@]}" || fail "verify rejected the runtime's own checkpoints"
"$ckpt" list "$work/k" > "$work/list.out" || fail "list failed"
[[ $(grep -c "VALID" "$work/list.out") == 2 ]] || fail "list: $(cat "$work/list.out")"
"$ckpt" show "${files[1]}" > "$work/show.out" || fail "show failed"
for want in "main/fold" "mlp::train/epoch/batch" "state/2/net" "state/2/vW1" "state/0/accuracy" \
            "enclosing loop in another function"; do
  grep -q -- "$want" "$work/show.out" || fail "show: no '$want'"
done
if grep -Eq "state/[0-9]+/(all|train|validation) " "$work/show.out"; then
  fail "the checkpoint holds a data set:"
  grep -E "state/[0-9]+/(all|train|validation) " "$work/show.out" >&2
fi
"$ckpt" diff "${files[0]}" "${files[1]}" > "$work/diff.out"
[[ $? == 1 ]] || fail "diff of two different checkpoints did not exit 1"
grep -q "state/2/net" "$work/diff.out" || fail "diff does not name the changed network"

# at_end on resume_program's last loop.
mkdir -p "$work/end"
(cd "$work/end" && PL_HOOKS="checkpoint **/sum at_end=1 on_signal=0 dir=$work/end/ckpt" "$prog" 2000 \
   > ref.out 2> ref.err) || fail "at_end run failed"
n=$(ls "$work/end/ckpt" | grep -c plck)
[[ $n == 1 ]] || fail "at_end wrote $n checkpoints, expected 1"
"$ckpt" show "$work"/end/ckpt/ckpt-*.plck | grep -q "after it exited" || fail "at_end: role"
(cd "$work/end" && PL_RESUME=1 PL_HOOKS="checkpoint **/sum at_end=1 on_signal=0 dir=$work/end/ckpt" \
   "$prog" 2000 > resumed.out 2> resumed.err) || fail "resume from at_end failed"
grep -q "resuming from .*(end checkpoint at after the loop" "$work/end/resumed.err" ||
  fail "resume from at_end: $(cat "$work/end/resumed.err")"
cmp -s "$work/end/ref.out" "$work/end/resumed.out" || fail "resume from at_end: result differs"

(( fails == 0 )) && echo "ckpt_tools: all checks passed"
exit $((fails > 0))
