#!/usr/bin/env bash
# A resume with other arguments or a changed input file refuses, naming the
# difference; PL_RESUME_FORCE=1 proceeds with a warning; unchanged, it is exact.
#
#   inputs_test.sh WORKDIR CONFIG PROGRAM      (PROGRAM: tests/resume/resume_program)
set -uo pipefail
work=$1 config=$2 prog=$3
rm -rf "$work" && mkdir -p "$work"
cd "$work" || exit 1
sed "s|@DIR@|$work|g" "$config" > hooks.conf
export PL_CONFIG=$work/hooks.conf
fails=0
fail() { echo "FAIL: $*" >&2; fails=$((fails + 1)); }
expect() {  # expect FILE REGEX WHAT
  grep -Eq -- "$2" "$1" || { fail "$3: '$2' not in $1:"; sed 's/^/    /' "$1" >&2; }
}
run() {  # run [env...] -- args: exit status in $status
  local envs=()
  while [[ $1 != -- ]]; do envs+=("$1"); shift; done
  shift
  env "${envs[@]}" "$prog" "$@" > out 2> err
  status=$?
}
interrupted() {  # a run stopped by SIGTERM: it leaves a checkpoint
  rm -rf ckpt
  "$prog" "$@" > out 2> err &
  local pid=$!
  while [[ ! -e ckpt ]] && kill -0 "$pid" 2> /dev/null; do sleep 0.05; done
  sleep 0.5
  kill -TERM "$pid"
  wait "$pid"
  [[ $? == 143 ]] || fail "SIGTERM run: expected exit 143"
}

echo 3 > input.txt
run -- 100000 input.txt
[[ $status == 0 ]] || fail "reference run exited $status"
expected=$(cat out)

# Unchanged arguments and input: the resume is accepted and exact.
interrupted 100000 input.txt
run PL_RESUME=1 -- 100000 input.txt
[[ $status == 0 && $(cat out) == "$expected" ]] || fail "unchanged resume: status $status, $(cat out)"
expect err "pl: resuming from" "unchanged resume"

# Other arguments: refused, naming the first difference.
interrupted 100000 input.txt
run PL_RESUME=1 -- 100001 input.txt
[[ $status == 2 ]] || fail "changed argument: exit status $status, expected 2"
expect err "resume refused" "changed argument"
expect err "argument 1 was '100000', now '100001'" "changed argument named"
run PL_RESUME=1 -- 100000
[[ $status == 2 ]] || fail "missing argument: exit status $status, expected 2"
expect err "argument 2 was '$work/input.txt'|argument 2 was 'input.txt', now not given" \
  "missing argument named"

# A changed input file: refused, naming the file and what changed.
echo 30 > input.txt
run PL_RESUME=1 -- 100000 input.txt
[[ $status == 2 ]] || fail "changed input: exit status $status, expected 2"
expect err "input $work/input.txt changed: size 2 -> 3" "changed input named"
# Same size, new modification time: refused too.
sleep 0.01
echo 4 > input.txt
run PL_RESUME=1 -- 100000 input.txt
[[ $status == 2 ]] || fail "touched input: exit status $status, expected 2"
expect err "input $work/input.txt changed: modified at" "touched input named"

# An environment variable the program read, now set: refused, naming it.
echo 3 > input.txt
interrupted 100000 input.txt
run PL_RESUME=1 RESUME_SEED_SHIFT=1 -- 100000 input.txt
[[ $status == 2 ]] || fail "changed environment: exit status $status, expected 2"
expect err "environment variable RESUME_SEED_SHIFT was not set, now '1'" "changed environment named"
# Set in both runs, to other values.
RESUME_SEED_SHIFT=2 interrupted 100000 input.txt
run PL_RESUME=1 RESUME_SEED_SHIFT=3 -- 100000 input.txt
[[ $status == 2 ]] || fail "changed environment value: exit status $status, expected 2"
expect err "environment variable RESUME_SEED_SHIFT was '2', now '3'" "changed value named"
# A variable only a library reads (oneTBB's, libc's) is not an input.
interrupted 100000 input.txt
run PL_RESUME=1 TBB_VERSION=1 LANG=C.UTF-8 -- 100000 input.txt
[[ $status == 0 && $(cat out) == "$expected" ]] || fail "library variables: status $status, $(cat out)"
sleep 0.01
echo 4 > input.txt

# PL_RESUME_FORCE=1: proceeds, with a warning naming what it accepted.
run PL_RESUME=1 PL_RESUME_FORCE=1 -- 100000 input.txt
[[ $status == 0 ]] || fail "forced resume: exit status $status"
expect err "PL_RESUME_FORCE is set; accepting: input $work/input.txt changed" "forced resume warns"
expect err "pl: resuming from" "forced resume resumes"

echo "inputs: $([[ $fails == 0 ]] && echo 1 passed, 0 failed || echo 0 passed, $fails failed)"
exit $(( fails > 0 ))
