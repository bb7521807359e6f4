#!/usr/bin/env bash
# The first iteration of every enclosing loop is checkpointable (issue 10).
# tests/resume/first_iteration.cpp checkpoints train's epoch loop inside the
# single iterations of two enclosing loops in other frames. A full run must
# write a checkpoint at epochs 20, 40 and 60 (none deferred), and resuming
# from the first one must print the uninterrupted run's result.
#
#   first_iteration_test.sh WORKDIR PROGRAM
set -uo pipefail
work=$1 prog=$2
rm -rf "$work" && mkdir -p "$work"
fails=0
fail() { echo "FAIL: $*" >&2; fails=$((fails + 1)); }

"$prog" > "$work/expected" || fail "reference run failed"

conf="checkpoint **/epoch every=20 keep=3 dir=$work/ckpt"
(cd "$work" && PL_HOOKS="$conf" PL_STRICT=1 "$prog") > "$work/out" 2> "$work/err" ||
  fail "run with the policy failed: $(cat "$work/err")"
cmp -s "$work/out" "$work/expected" || fail "the run with the policy printed another result"
grep -q "no saved state for its current iteration" "$work/err" &&
  fail "a checkpoint was deferred: $(cat "$work/err")"
count=$(ls "$work/ckpt"/ckpt-*.plck 2> /dev/null | wc -l)
[[ $count == 3 ]] || fail "expected 3 checkpoints (epochs 20, 40, 60), found $count: $(cat "$work/err")"

# Resume from the first one: the two newer ones go.
ls "$work/ckpt"/ckpt-*.plck | sort | tail -2 | xargs rm -f
(cd "$work" && PL_HOOKS="$conf" PL_RESUME=1 "$prog") > "$work/resumed" 2> "$work/resume_err" ||
  fail "resume failed: $(cat "$work/resume_err")"
grep -q "resumed .*epoch at iteration 20" "$work/resume_err" ||
  fail "did not resume at epoch 20: $(cat "$work/resume_err")"
cmp -s "$work/resumed" "$work/expected" ||
  fail "the resumed run printed '$(cat "$work/resumed")', expected '$(cat "$work/expected")'"

[[ $fails == 0 ]] && echo "first iteration checkpointable: ok"
exit $((fails > 0))
