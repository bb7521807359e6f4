#!/usr/bin/env bash
# What goes wrong around checkpoints, end to end on tests/resume/resume_program:
#   SIGTERM   -> a checkpoint at the next boundary, exit 143, a message; resume is exact
#   corrupt / truncated newest file -> named, the previous one used, result exact
#   no valid file at all            -> said, the run starts over, result exact
#   another program's checkpoint    -> refused, naming what differs (exit 2);
#                                      PL_RESUME_FORCE=1 accepts a code-only change
#   file-size limit / unwritable dir -> one clear error, the run finishes, result exact
#
#   failure_modes.sh WORKDIR CONFIG PROGRAM CHANGED_SOURCE_PROGRAM CHANGED_STATE_PROGRAM
set -uo pipefail
work=$1 config=$2 prog=$3 changed_src=$4 changed_state=$5
rm -rf "$work" && mkdir -p "$work"
source "$(dirname "$0")/lib.sh"
setup() {  # setup NAME: a fresh run directory with the config
  mkdir -p "$work/$1"
  sed "s|@DIR@|$work/$1|g" "$config" > "$work/$1/hooks.conf"
}
run() {  # run NAME [env...] -- program args: exit status in $status
  local name=$1
  shift
  local envs=()
  while [[ $1 != -- ]]; do envs+=("$1"); shift; done
  shift
  (cd "$work/$name" && exec env PL_CONFIG="$work/$name/hooks.conf" "${envs[@]}" "$@") \
    > "$work/$name/out" 2> "$work/$name/err"
  status=$?
}
newest() { ls "$work/$1/ckpt"/ckpt-*.plck | sort | tail -1; }
# until_training_checkpointed NAME PID [N]: waits until run NAME (still running
# as PID) has written N checkpoints (default 1), which are in train/epoch/batch
# (the program trains first); a fixed sleep raced the program's speed.
until_training_checkpointed() {
  local files
  for _ in $(seq 1200); do
    files=("$work/$1/ckpt"/ckpt-*.plck)
    [[ -e ${files[0]} && ${#files[@]} -ge ${3:-1} ]] && return 0
    kill -0 "$2" 2> /dev/null || { fail "$1: the run ended before its first checkpoint"; return 1; }
    sleep 0.05
  done
  fail "$1: no checkpoint after 60 s"
}

setup ref
run ref -- "$prog"
[[ $status == 0 ]] || fail "reference run exited $status"
expected=$(cat "$work/ref/out")

# -- SIGTERM: checkpoint at the next boundary, clean exit, exact resume.
setup term
(cd "$work/term" && exec env PL_CONFIG="$work/term/hooks.conf" "$prog") \
  > "$work/term/out" 2> "$work/term/err" &
pid=$!
until_training_checkpointed term "$pid"
kill -TERM "$pid"
wait "$pid"
status=$?
[[ $status == 143 ]] || fail "SIGTERM: exit status $status, expected 143"
expect "$work/term/err" "SIGTERM received: checkpoint .*ckpt-[0-9]+\.plck written at .*; resume with PL_RESUME=1" "SIGTERM"
run term PL_RESUME=1 -- "$prog"
expect "$work/term/err" "pl: resuming from .*\(signal checkpoint at" "resume after SIGTERM"
[[ $(cat "$work/term/out") == "$expected" ]] || fail "resume after SIGTERM: result differs"

# -- Corrupt, then truncated newest checkpoints: the previous one is used.
for damage in corrupt truncate; do
  setup $damage
  (cd "$work/$damage" && exec env PL_CONFIG="$work/$damage/hooks.conf" "$prog") \
    > /dev/null 2>&1 &
  pid=$!
  until_training_checkpointed $damage "$pid" 2  # one to damage, one to fall back to
  kill -9 "$pid"
  wait "$pid" 2> /dev/null
  file=$(newest $damage)
  size=$(stat -c %s "$file")
  if [[ $damage == corrupt ]]; then
    printf '\xff' | dd of="$file" bs=1 seek=$((size / 2)) conv=notrunc status=none
  else
    truncate -s $((size - 7)) "$file"
  fi
  run $damage PL_RESUME=1 -- "$prog"
  expect "$work/$damage/err" "pl: resume: .*$(basename "$file") is unusable \(.*\); falling back to the previous checkpoint" "$damage"
  expect "$work/$damage/err" "pl: resuming from " "$damage: resumed from the previous one"
  [[ $(cat "$work/$damage/out") == "$expected" ]] || fail "$damage: result differs"
done

# -- Nothing valid: start over, and say so.
setup none
mkdir -p "$work/none/ckpt"
echo "not a checkpoint" > "$work/none/ckpt/ckpt-000001.plck"
run none PL_RESUME=1 -- "$prog"
expect "$work/none/err" "no valid checkpoint in .*; starting from the beginning" "no valid checkpoint"
[[ $(cat "$work/none/out") == "$expected" ]] || fail "start over: result differs"

# -- Another program's checkpoints.
setup other
(cd "$work/other" && exec env PL_CONFIG="$work/other/hooks.conf" "$prog") > /dev/null 2>&1 &
pid=$!
until_training_checkpointed other "$pid"
kill -9 "$pid"
wait "$pid" 2> /dev/null
run other PL_RESUME=1 -- "$changed_state"
[[ $status == 2 ]] || fail "changed state layout: exit status $status, expected 2"
expect "$work/other/err" "resume refused: .* was written by a different program" "changed state"
expect "$work/other/err" "the state of loop 'train/epoch/batch' changed from \{.*\} to \{.*\}" "changed state: names the loop"
run other PL_RESUME=1 PL_RESUME_FORCE=1 -- "$changed_state"
[[ $status == 2 ]] || fail "changed state layout with PL_RESUME_FORCE: exit status $status, expected 2"
run other PL_RESUME=1 -- "$changed_src"
[[ $status == 2 ]] || fail "changed source: exit status $status, expected 2"
expect "$work/other/err" "the code of loop '.*' changed" "changed source"
expect "$work/other/err" "PL_RESUME_FORCE=1" "changed source: names the override"
run other PL_RESUME=1 PL_RESUME_FORCE=1 -- "$changed_src"
[[ $status == 0 ]] || fail "changed source with PL_RESUME_FORCE: exit status $status"
expect "$work/other/err" "PL_RESUME_FORCE is set; accepting: the code of loop" "forced"
[[ $(cat "$work/other/out") == "$expected" ]] || fail "forced resume: result differs"

# -- Disk full (a file-size limit below one checkpoint) and a read-only directory.
setup full
(ulimit -f 8 && cd "$work/full" && exec env PL_CONFIG="$work/full/hooks.conf" "$prog") \
  > "$work/full/out" 2> "$work/full/err"
status=$?
[[ $status == 0 ]] || fail "file-size limit: exit status $status"
expect "$work/full/err" "pl: checkpoint: .*File too large; the run continues" "file-size limit"
[[ $(grep -c "File too large; the run continues" "$work/full/err") == 1 ]] ||
  fail "file-size limit: not exactly one error message"
[[ $(cat "$work/full/out") == "$expected" ]] || fail "file-size limit: result differs"
# A directory that cannot be written (a file in its place: as root, a
# read-only mode would not stop the writes).
setup unwritable
echo "in the way" > "$work/unwritable/ckpt"
run unwritable -- "$prog"
[[ $status == 0 ]] || fail "unwritable directory: exit status $status"
expect "$work/unwritable/err" "pl: checkpoint: .*Not a directory; the run continues" "unwritable directory"
[[ $(grep -c "the run continues" "$work/unwritable/err") == 1 ]] ||
  fail "unwritable directory: not exactly one error message"
[[ $(cat "$work/unwritable/out") == "$expected" ]] || fail "unwritable directory: result differs"

# -- A period its loop never reaches in one activation (every=N counts the
# iterations of one activation): nothing is written, and pl says so at exit
# with the period that would have worked; a policy that fell due says nothing.
mkdir -p "$work/never"
printf 'checkpoint **/batch every=1000000 dir=%s/never/ckpt\n' "$work" > "$work/never/hooks.conf"
run never -- "$prog"
[[ $status == 0 ]] || fail "never due: exit status $status"
expect "$work/never/err" "pl: warning: checkpoint \*\*/batch every=1000000 never fell due: .* at most [0-9]+ per activation; no periodic checkpoint was written \(use every=[0-9]+ or less" "never due"
! compgen -G "$work/never/ckpt/ckpt-*.plck" > /dev/null || fail "never due: a checkpoint was written"
[[ $(cat "$work/never/out") == "$expected" ]] || fail "never due: result differs"
! grep -q "never fell due" "$work/ref/err" || fail "a policy that fell due reported as never due"

(( fails == 0 )) && echo "failure_modes: all cases behaved"
exit $((fails > 0))
