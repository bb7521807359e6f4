#!/usr/bin/env bash
# One case of the soundness suite: a program run uninterrupted, then with a
# checkpoint policy and a `stop` (deterministic, no kill), then resumed with
# PL_RESUME=1. A resume gives the uninterrupted run's bytes, or pl refuses
# with the documented message — never a different result.
#
#   soundness.sh WORKDIR LOOP EXPECTED REGEX PROGRAM [RESUMED_PROGRAM]
#
# EXPECTED: exact          checkpoints are written, the resume is exact
#           refused        no checkpoint is written; the checkpointing run says
#                          "loop LOOP cannot be checkpointed: ...REGEX"
#           refused-at-run-time
#                          as refused, but pl-instrument accepts the loop
#                          (a pointer written through, saved as the array it
#                          points into): the runtime finds no length for that
#                          memory; --list shows how the pointer is saved
#           refused-effects
#                          as refused, for effects no state holds (std::rand);
#                          --list shows them as "always re-run on resume"
#           refused-elsewhere
#                          as refused, for effects of a function in another
#                          file (the runtime joins the files' call graphs)
#           resume-refused checkpoints are written; RESUMED_PROGRAM refuses
#                          them (status 2) with a message matching REGEX
# With PL_LIST="pl-instrument --list command", a refused case also checks
# that --list shows the reason ("not resumable: ...REGEX").
set -uo pipefail
work=$1 loop=$2 expected=$3 regex=$4 prog=$5 resumed=${6:-$5}
source "$(dirname "$0")/../resume/lib.sh"
rm -rf "$work" && mkdir -p "$work"
policy="checkpoint **/$loop every=3 dir=$work/ckpt"

# The reference is the resumed program's own uninterrupted result.
"$resumed" > "$work/ref.out" 2> "$work/ref.err" || fail "uninterrupted run exited $?"
PL_HOOKS="$policy; stop **/$loop once=7" "$prog" > "$work/ckpt.out" 2> "$work/ckpt.err"
written=$(ls "$work"/ckpt/ckpt-*.plck 2> /dev/null | wc -l)
PL_RESUME=1 PL_HOOKS="$policy" "$resumed" > "$work/res.out" 2> "$work/res.err"
status=$?

same() { cmp -s "$work/ref.out" "$work/res.out"; }
# Whatever the case: a run that finished gave the uninterrupted result.
if [[ $status == 0 ]] && ! same; then
  fail "the resumed run finished with a different result:"
  diff "$work/ref.out" "$work/res.out" >&2
fi
case $expected in
  exact)
    (( written > 0 )) || fail "no checkpoint written: $(cat "$work/ckpt.err")"
    [[ $status == 0 ]] || fail "resume exited $status: $(cat "$work/res.err")"
    expect "$work/res.err" "pl: resumed .*$loop at iteration" "resumed at the checkpoint"
    ;;
  refused | refused-at-run-time | refused-effects | refused-elsewhere)
    (( written == 0 )) || fail "$written checkpoint(s) written for a loop pl must refuse"
    expect "$work/ckpt.err" "loop '[^']*$loop' cannot be checkpointed: .*$regex" "refusal"
    same || fail "after a refused checkpoint the run must start over and match"
    case $expected in
      refused) listed="not resumable: .*$regex" ;;
      refused-at-run-time) listed=": saved as the array it points into" ;;
      refused-effects) listed="always re-run on resume: .*$regex" ;;
      *) listed="" ;;  # found in another file: this file's --list cannot show it
    esac
    if [[ -n ${PL_LIST:-} && -n $listed ]]; then
      $PL_LIST > "$work/list.txt" 2>&1 || fail "pl-instrument --list failed"
      expect "$work/list.txt" "$listed" "--list shows it"
    fi
    ;;
  resume-refused)
    (( written > 0 )) || fail "no checkpoint written: $(cat "$work/ckpt.err")"
    [[ $status == 2 ]] || fail "resume exited $status, expected 2 (refused)"
    expect "$work/res.err" "pl: resume refused: .*" "refusal"
    expect "$work/res.err" "$regex" "the refusal names what changed"
    ;;
  *) fail "unknown expectation '$expected'" ;;
esac
(( fails == 0 )) && echo "soundness: $(basename "$prog") $expected as documented"
exit $((fails > 0))
