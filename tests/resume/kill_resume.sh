#!/usr/bin/env bash
# Kill -9 a checkpointing run at random moments, resume it each time with
# PL_RESUME=1 until it finishes, and require the final output (and every
# compared file) to be byte-identical to an uninterrupted run's.
#
#   kill_resume.sh WORKDIR KILLS CONFIG 'FILES' -- PROGRAM ARGS...
#
# CONFIG is a hook configuration; @DIR@ in it becomes the run's directory.
# FILES are files the run writes (relative to its directory) that must match
# too, e.g. a metrics log. The checkpoint directory must be @DIR@/ckpt. Kill
# delays are random (seeded by KILL_SEED).
set -euo pipefail
work=$1 kills=$2 config=$3 files=$4
shift 4
[[ $1 == -- ]] && shift
rm -rf "$work" && mkdir -p "$work/ref" "$work/run"
seed=${KILL_SEED:-$RANDOM}
RANDOM=$seed
echo "kill_resume: seed $seed (set KILL_SEED=$seed to repeat), $kills kills"

run() {  # run DIR PROGRAM...: in DIR, with the config; call it in a subshell
  local dir=$1        # (it becomes the program: `kill` must reach the program
  shift               # itself, not a shell that would leave it running)
  sed "s|@DIR@|$dir|g" "$config" > "$dir/hooks.conf"
  cd "$dir"
  exec env PL_CONFIG="$dir/hooks.conf" "$@"
}

start=$(date +%s%N)
(run "$work/ref" "$@") > "$work/ref/out" 2> "$work/ref/err"
ref_ms=$(( ($(date +%s%N) - start) / 1000000 ))
echo "kill_resume: uninterrupted run took ${ref_ms} ms"

# Kill points: each attempt is killed at a random moment (up to a share of
# the run) after it wrote its first new checkpoint, so the kills spread over
# the run — during replay, computation and writes — and every attempt still
# makes progress, however long the program takes to start (loading a data
# set is replayed on every resume). The share leaves room for the time each
# attempt spends reaching its first new checkpoint, which can be long where
# checkpoints are sparse (a slow last loop): with half the run per kill, a
# program whose checkpoints thin out at the end finished before its 20th
# kill about one run in three.
share=$(( ref_ms / (4 * kills) + 5 ))
newest_seq() {
  local f
  f=$(ls "$work/run/ckpt" 2> /dev/null | grep -E '^ckpt-[0-9]+\.plck$' | sort | tail -1)
  if [[ -z $f ]]; then echo 0; else echo $(( 10#${f:5:6} )); fi
}
# A run that finishes before its KILLS kills (the machine ran it faster than
# the reference, or checkpoints thinned out) starts over from nothing with
# half the share, up to three times: every kill count reported is of one
# whole sequence.
for round in 1 2 3; do
  killed=0 attempts=0 torn=0
  while true; do
    attempts=$((attempts + 1))
    before=$(newest_seq)
    (run "$work/run" "$@") > "$work/run/out" 2>> "$work/run/err" &
    pid=$!
    if (( killed < kills )); then
      while kill -0 "$pid" 2> /dev/null && (( $(newest_seq) <= before )); do sleep 0.01; done
      delay=$(( RANDOM % share ))
      sleep "$(printf '%d.%03d' $((delay / 1000)) $((delay % 1000)))"
      if kill -9 "$pid" 2> /dev/null; then
        wait "$pid" 2> /dev/null || true
        killed=$((killed + 1))
        # A kill during a write leaves the temporary file behind.
        if compgen -G "$work/run/ckpt/*.tmp*" > /dev/null; then torn=$((torn + 1)); fi
        echo "--- killed ${delay} ms after checkpoint $(newest_seq)" >> "$work/run/err"
        export PL_RESUME=1
        continue
      fi
    fi
    if ! wait "$pid"; then
      echo "kill_resume: the resumed run failed (attempt $attempts); its stderr:" >&2
      tail -30 "$work/run/err" >&2
      exit 1
    fi
    break
  done
  echo "kill_resume: $killed kills ($torn during a checkpoint write), $attempts runs"
  (( killed >= kills || round == 3 )) && break
  if ! cmp -s "$work/ref/out" "$work/run/out"; then  # never discard a wrong result
    echo "kill_resume: FAIL: output differs from the uninterrupted run (after $killed kills)" >&2
    diff "$work/ref/out" "$work/run/out" >&2 || true
    exit 1
  fi
  echo "kill_resume: the run finished after $killed of $kills kills; starting over with a shorter share"
  rm -rf "$work/run" && mkdir -p "$work/run"
  unset PL_RESUME
  share=$(( share / 2 + 1 ))
done
if (( killed < kills )); then
  echo "kill_resume: FAIL: the run finished after $killed of $kills kills" >&2
  exit 1
fi
grep -c '^pl: resuming from' "$work/run/err" | sed 's/^/kill_resume: resumed from a checkpoint /; s/$/ times/'
status=0
if ! cmp -s "$work/ref/out" "$work/run/out"; then
  echo "kill_resume: FAIL: output differs from the uninterrupted run" >&2
  diff "$work/ref/out" "$work/run/out" >&2 || true
  status=1
fi
for f in $files; do  # logs: the same rows, but for the wall-clock column
  if ! python3 "$(dirname "$0")/same_rows.py" "$work/ref/$f" "$work/run/$f"; then
    echo "kill_resume: FAIL: $f differs from the uninterrupted run's" >&2
    status=1
  fi
done
(( status == 0 )) && echo "kill_resume: identical: $(cat "$work/run/out")"
exit $status
