#!/usr/bin/env bash
# Serializers that run instrumented code, and SIGINT, end to end on
# tests/resume/serializer_program (every run under `timeout`: a deadlock
# fails instead of hanging):
#   SIGINT before any periodic checkpoint, where an enclosing loop has no
#     begin state yet -> a checkpoint at the next boundary where one can be
#     taken, exit 130; the resume (its pl_serialize runs an instrumented loop
#     while loading) is exact
#   a second SIGINT while waiting for that boundary -> exits at once (130,
#     killed by SIGINT), no checkpoint
#   SIGINT after the last checkpointed loop -> the program finishes (0) and
#     says that no checkpoint was written for the signal
#   a second SIGINT while a checkpoint is being saved -> the same, and the
#     checkpoint is not written; a resume (from a periodic checkpoint, if
#     one was written in time, else from the start) is exact
#
#   serializer_signals.sh WORKDIR PROGRAM PL_CKPT
set -uo pipefail
# The fault injection below does not change results: not an input.
export PL_ENV_IGNORE=SERIAL_RAISE_AT,SERIAL_RAISE_AGAIN
work=$1 prog=$2 pl_ckpt=$3
rm -rf "$work" && mkdir -p "$work"
source "$(dirname "$0")/expect.sh"
run() {  # run NAME CONFIG-LINE [env...]: exit status in $status
  local name=$1 line=$2
  shift 2
  mkdir -p "$work/$name"
  echo "${line//@DIR@/$work/$name}" > "$work/$name/hooks.conf"
  (cd "$work/$name" && exec env PL_CONFIG="$work/$name/hooks.conf" "$@" timeout -k 5 60 "$prog" 20000) \
    > "$work/$name/out" 2>> "$work/$name/err"
  status=$?
  [[ $status == 124 || $status == 137 ]] && fail "$name: the run hung (killed after 60 s)"
}
signals() { ls "$work/$1/ckpt" 2> /dev/null | grep -c plck; }

run ref "# no checkpoints"
[[ $status == 0 ]] || fail "reference run exited $status"
expected=$(cat "$work/ref/out")

# -- SIGINT in trial 0, epoch 1, batch 3: no periodic checkpoint (every=1000),
# and run_trial's epoch loop, not at the top level, kept no begin state.
rarely="checkpoint **/batch every=1000 dir=@DIR@/ckpt"
run first "$rarely" SERIAL_RAISE_AT=0,1,3
[[ $status == 130 ]] || fail "SIGINT: exit status $status, expected 130"
expect "$work/first/err" "SIGINT received: checkpoint .*ckpt-[0-9]+\.plck written at train_epoch/batch" "SIGINT"
"$pl_ckpt" list "$work/first/ckpt" > "$work/first/list" 2>&1
expect "$work/first/list" "signal .*VALID" "SIGINT: a signal checkpoint"
run first "$rarely" PL_RESUME=1
[[ $status == 0 ]] || fail "resume after SIGINT: exit status $status"
expect "$work/first/err" "pl: resuming from .*\(signal checkpoint at" "resume after SIGINT"
[[ $(cat "$work/first/out") == "$expected" ]] || fail "resume after SIGINT: result differs"

# -- A second SIGINT while waiting for a boundary where a checkpoint can be taken.
run waiting "$rarely" SERIAL_RAISE_AT=0,1,3 SERIAL_RAISE_AGAIN=body
[[ $status == 130 ]] || fail "second SIGINT while waiting: exit status $status, expected 130"
expect "$work/waiting/err" "second SIGINT: exiting now, without a checkpoint" "second SIGINT while waiting"
[[ $(signals waiting) == 0 ]] || fail "second SIGINT while waiting: a checkpoint was written"
[[ -s $work/waiting/out ]] && fail "second SIGINT while waiting: the run went on to print a result"

# -- A second SIGINT while the signal checkpoint saves History (with every=6
# the epoch loop keeps begin states from epoch 1 on: at epoch 2, batch 3 the
# signal checkpoint can be taken at once).
often="checkpoint **/batch every=6 dir=@DIR@/ckpt keep=100"
run saving "$often" SERIAL_RAISE_AT=0,2,3 SERIAL_RAISE_AGAIN=save
[[ $status == 130 ]] || fail "second SIGINT while saving: exit status $status, expected 130"
expect "$work/saving/err" "second SIGINT: exiting now, without a checkpoint" "second SIGINT while saving"
"$pl_ckpt" list "$work/saving/ckpt" > "$work/saving/list" 2>&1
grep -q " signal " "$work/saving/list" && fail "second SIGINT while saving: the checkpoint was written"
run saving "$often" PL_RESUME=1
[[ $status == 0 ]] || fail "resume after the second SIGINT: exit status $status"
[[ $(cat "$work/saving/out") == "$expected" ]] || fail "resume after the second SIGINT: result differs"

# -- SIGINT when no checkpointed loop runs any more: the program finishes.
run late "$rarely" SERIAL_RAISE_AT=end
[[ $status == 0 ]] || fail "SIGINT after the loops: exit status $status, expected 0"
[[ $(cat "$work/late/out") == "$expected" ]] || fail "SIGINT after the loops: result differs"
expect "$work/late/err" "SIGINT was received, but no loop with a checkpoint policy ended an iteration before the program finished" "SIGINT after the loops"

(( fails == 0 )) && echo "serializer_signals: all cases behaved"
exit $((fails > 0))
