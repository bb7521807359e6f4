#!/usr/bin/env bash
# Kill -9 the deeplearning example during fine-tuning, resume it (KILLS
# times: each resumed run is killed again after its next checkpoint), and
# require that
#   - every resume skipped pretraining: the runtime restored what the
#     completed `dl::pretrain/layer` loop produced instead of re-running it
#     (its message on stderr, and no new rows in the pretraining log),
#   - the final output and logs are identical to an uninterrupted run's.
#
#   resume_skips_pretraining.sh WORKDIR KILLS CONFIG SAME_ROWS_PY -- PROGRAM ARGS...
set -uo pipefail
work=$1 kills=$2 config=$3 same_rows=$4
shift 4
[[ $1 == -- ]] && shift
rm -rf "$work" && mkdir -p "$work/ref" "$work/run"
fails=0
fail() { echo "FAIL: $*" >&2; fails=$((fails + 1)); }

newest_seq() {  # the highest checkpoint sequence number in run/ckpt, 0 if none
  local f
  f=$(ls "$work/run/ckpt"/ckpt-*.plck 2> /dev/null | sort | tail -1)
  [[ -n $f ]] && { f=${f##*ckpt-}; echo $((10#${f%.plck})); } || echo 0
}

# kill_after_checkpoint SEQ RESUME PROGRAM...: starts the program in run/
# (PL_RESUME=RESUME, appending to run/err), waits until a checkpoint newer
# than sequence SEQ exists, and kills it with SIGKILL.
kill_after_checkpoint() {
  local after=$1 resume=$2 pid
  shift 2
  (cd "$work/run" && exec env PL_CONFIG="$config" PL_RESUME="$resume" "$@") > "$work/run/out" \
    2>> "$work/run/err" &
  pid=$!
  while (( $(newest_seq) <= after )); do
    if ! kill -0 "$pid" 2> /dev/null; then
      fail "the run finished before writing a checkpoint after sequence $after"
      return
    fi
    sleep 0.01
  done
  kill -9 "$pid"
  wait "$pid" 2> /dev/null
  echo "--- killed after checkpoint $(newest_seq)" >> "$work/run/err"
}

(cd "$work/ref" && exec env PL_CONFIG="$config" "$@") > "$work/ref/out" 2> "$work/ref/err" ||
  fail "the uninterrupted run failed"

for ((k = 0; k < kills; ++k)); do
  kill_after_checkpoint "$(newest_seq)" $((k > 0)) "$@"
done
(cd "$work/run" && exec env PL_CONFIG="$config" PL_RESUME=1 "$@") > "$work/run/out" \
  2>> "$work/run/err" || fail "the last resumed run failed"

skips=$(grep -c "^pl: resume: skipped completed loop 'dl::pretrain/layer'" "$work/run/err")
(( skips == kills )) || fail "pretraining was skipped on $skips of $kills resumes"
cmp -s "$work/ref/out" "$work/run/out" || fail "output differs from the uninterrupted run's"
for log in pretrain.csv finetune.csv; do
  python3 "$same_rows" "$work/ref/$log" "$work/run/$log" > /dev/null || fail "$log differs"
done
echo "--- stderr of the interrupted and resumed runs:"
grep '^pl: resum\|^---' "$work/run/err"
if (( fails > 0 )); then
  echo "--- full stderr:" >&2
  cat "$work/run/err" >&2
  exit 1
fi
echo "resumed $kills time(s), never pretraining again; identical: $(tail -1 "$work/run/out")"
