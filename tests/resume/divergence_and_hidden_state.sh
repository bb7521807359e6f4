#!/usr/bin/env bash
# What the fingerprint cannot see, end to end on tests/resume/replay_program
# (its epoch count and a hidden-state switch come from the environment):
#   a resume with REPLAY_EPOCHS set      -> refused, naming the variable
#   with PL_ENV_IGNORE=REPLAY_EPOCHS, a resume whose epoch loop has 5
#     iterations where the checkpoint's run had 8 (saved at epoch 6)
#                                         -> status 2, naming the loop
#   a resume that never enters the saved path's outermost loop -> status 2
#   the same resume with the same environment -> exact (the control)
#   state the analysis cannot see (a counter in another translation unit)
#     -> the replay self-check fails (PL_RESUME_CHECK=1: status 4;
#        pl-ckpt check-replay: status 1), naming the variable and its loop,
#        and leaves the replayed checkpoint for pl-ckpt diff
#
#   divergence_and_hidden_state.sh WORKDIR PROGRAM PL_CKPT
set -uo pipefail
work=$1 prog=$2 pl_ckpt=$3
rm -rf "$work" && mkdir -p "$work"
source "$(dirname "$0")/expect.sh"
run() {  # run NAME [env...] [-- COMMAND...]: the program (or COMMAND) in NAME; status in $status
  local name=$1
  shift
  local envs=() command=("$prog")
  while (($#)) && [[ $1 != -- ]]; do envs+=("$1"); shift; done
  (($#)) && shift && command=("$@")
  mkdir -p "$work/$name"
  # A checkpoint after every epoch's step loop: written synchronously, so
  # the run leaves exactly one per epoch.
  echo "checkpoint **/step at_end=1 dir=$work/$name/ckpt keep=100" > "$work/$name/hooks.conf"
  (cd "$work/$name" && exec env PL_CONFIG="$work/$name/hooks.conf" "${envs[@]}" \
     timeout -k 5 120 "${command[@]}") > "$work/$name/out" 2> "$work/$name/err"
  status=$?
}

run ref
[[ $status == 0 ]] || fail "reference run exited $status"
expected=$(cat "$work/ref/out")
[[ $(ls "$work/ref/ckpt" | wc -l) == 8 ]] || fail "expected one checkpoint per epoch (8)"

# Resume from the checkpoint after epoch 6 (of 8).
for name in fewer skip same; do
  mkdir -p "$work/$name/ckpt"
  cp "$work/ref/ckpt/ckpt-000007.plck" "$work/$name/ckpt/"
done
# The variable that sets the epoch count is an input: refused before the
# replay starts, naming it.
run fewer PL_RESUME=1 REPLAY_EPOCHS=5
[[ $status == 2 ]] || fail "other environment: exit status $status, expected 2"
expect "$work/fewer/err" "environment variable REPLAY_EPOCHS was not set, now '5'" "other environment"
# Declared irrelevant (PL_ENV_IGNORE), it is not recorded: what the
# fingerprint cannot see is caught by the replay itself.
export PL_ENV_IGNORE=REPLAY_EPOCHS,REPLAY_SKIP
run fewer PL_RESUME=1 REPLAY_EPOCHS=5
[[ $status == 2 ]] || fail "fewer epochs: exit status $status, expected 2"
expect "$work/fewer/err" "resume failed: loop 'main/epoch' has 5 iterations in this run but had 8 in the run that wrote .*ckpt-000007.plck" "fewer epochs"
run skip PL_RESUME=1 REPLAY_SKIP=1
[[ $status == 2 ]] || fail "path never reached: exit status $status, expected 2"
expect "$work/skip/err" "resume failed: the run ended without entering loop 'main/epoch', the outermost loop of the position saved in" "path never reached"
run same PL_RESUME=1
[[ $status == 0 ]] || fail "same environment: exit status $status"
[[ $(cat "$work/same/out") == "$expected" ]] || fail "same environment: result differs"
unset PL_ENV_IGNORE

# Hidden state: the resume would be silently wrong; the self-check says so.
run hidden REPLAY_HIDDEN=1
[[ $status == 0 ]] || fail "hidden-state run exited $status"
cp -r "$work/hidden" "$work/hidden2"
run hidden PL_RESUME_CHECK=1 REPLAY_HIDDEN=1
[[ $status == 4 ]] || fail "PL_RESUME_CHECK on hidden state: exit status $status, expected 4"
expect "$work/hidden/err" "resume check FAILED: the replay from .*ckpt-000007.plck reached the position of .*ckpt-000008.plck .*, but variable 'acc' of loop 'main/epoch/step' differs" "PL_RESUME_CHECK names the variable"
"$pl_ckpt" diff "$work/hidden/ckpt/ckpt-000008.plck" "$work/hidden/ckpt/replay-000008.plck" > "$work/hidden/diff"
[[ $? == 1 ]] || fail "pl-ckpt diff of the replayed checkpoint: expected status 1"
expect "$work/hidden/diff" "state/1/acc: value differs" "pl-ckpt diff shows acc"
run hidden2 REPLAY_HIDDEN=1 -- "$pl_ckpt" check-replay "$work/hidden2/ckpt" -- "$prog"
[[ $status == 1 ]] || fail "pl-ckpt check-replay on hidden state: exit status $status, expected 1"
expect "$work/hidden2/err" "variable 'acc' of loop 'main/epoch/step' differs" "check-replay names the variable"
expect "$work/hidden2/out" "check-replay: DIFFERENT" "check-replay's verdict"

(( fails == 0 )) && echo "divergence_and_hidden_state: all cases behaved"
exit $((fails > 0))
