#!/usr/bin/env bash
# One standard of the standards matrix: std_program built plain and
# instrumented with -std=STD (the emitted code and every pl header it
# includes compile under the file's own standard), compared with the C++20
# instrumented build REFERENCE:
#   - no hook: the plain program's output;
#   - every event (`events`), a `log` of locals and a `set` of a local: the
#     same events, rows and output as REFERENCE;
#   - a checkpoint of a loop whose state is numbers (`main/warmup`), stopped
#     and resumed: the uninterrupted output;
#   - a checkpoint of a loop holding a std::vector (`main/epoch`): resumed
#     exactly from C++17 on; before C++17 refused, naming the variable and
#     the standard (pl/serialize.h needs C++17).
#
#   standards.sh WORKDIR STD PLAIN INSTRUMENTED REFERENCE
set -uo pipefail
work=$1 std=$2 plain=$3 inst=$4 ref=$5
source "$(dirname "$0")/../resume/lib.sh"
rm -rf "$work" && mkdir -p "$work" && cd "$work" || exit 1

"$plain" > plain.out 2> plain.err || fail "plain run exited $?"
"$inst" > inst.out 2> inst.err || fail "instrumented run exited $?"
cmp -s plain.out inst.out || fail "instrumented output differs from plain: $(cat inst.out) vs $(cat plain.out)"
[[ -s inst.err ]] && fail "instrumented run printed: $(cat inst.err)"

# Events, a log of locals and a set: as in the reference build.
hooks="events ** file=ev.jsonl; log main/epoch vars=loss,lr,total file=log.csv; set main/epoch var=lr mul=0.5"
for b in inst ref; do
  mkdir -p "$b" && (cd "$b" && PL_HOOKS="$hooks" "${!b}" > out 2> err) || fail "$b with hooks exited $?"
  # Times differ from run to run; everything else must not.
  sed -E 's/, "t": [0-9.e+-]+//' "$b/ev.jsonl" > "$b/ev.txt"
  cut -d, -f1-3,5- "$b/log.csv" > "$b/log.txt"
done
[[ $(wc -l < ref/ev.txt) -gt 100 ]] || fail "the reference build fired $(wc -l < ref/ev.txt) events"
cmp -s inst/ev.txt ref/ev.txt || fail "events differ from the C++20 build: $(diff inst/ev.txt ref/ev.txt | head -5)"
cmp -s inst/log.txt ref/log.txt || fail "log rows differ from the C++20 build: $(diff inst/log.txt ref/log.txt | head -5)"
cmp -s inst/out ref/out || fail "output with a set hook differs: $(cat inst/out) vs $(cat ref/out)"
cmp -s inst/out plain.out && fail "the set hook changed nothing"

# checkpoint_case LOOP STOP_AT: a policy and a stop, then a resume; sets
# dir, status and written.
checkpoint_case() {
  local loop=$1 at=$2
  dir=$work/ckpt_${1//\//_}
  local policy="checkpoint $loop every=2 dir=$dir"
  PL_HOOKS="$policy; stop $loop once=$at" "$inst" > "$dir.stop.out" 2> "$dir.stop.err"
  PL_RESUME=1 PL_HOOKS="$policy" "$inst" > "$dir.res.out" 2> "$dir.res.err"
  status=$?
  written=$(ls "$dir"/ckpt-*.plck 2> /dev/null | wc -l)
}
checkpoint_case main/warmup 200
(( written > 0 )) || fail "warmup: no checkpoint written: $(cat "$dir.stop.err")"
[[ $status == 0 ]] && cmp -s "$dir.res.out" plain.out || fail "warmup: resume exited $status, output $(cat "$dir.res.out")"
expect "$dir.res.err" "pl: resumed main/warmup at iteration" "warmup resumed"

checkpoint_case main/epoch 3
case $std in
  c++11 | c++14 | gnu++11 | gnu++14)
    (( written == 0 )) || fail "epoch: $written checkpoint(s) written under $std"
    expect "$dir.stop.err" "loop 'main/epoch' cannot be checkpointed: w: .*needs C\+\+17, and this file is compiled as (GNU )?C\+\+1[14]" "epoch refused"
    cmp -s "$dir.res.out" plain.out || fail "epoch: the run after a refusal differs"
    ;;
  *)
    (( written > 0 )) || fail "epoch: no checkpoint written: $(cat "$dir.stop.err")"
    [[ $status == 0 ]] && cmp -s "$dir.res.out" plain.out || fail "epoch: resume exited $status, output $(cat "$dir.res.out")"
    expect "$dir.res.err" "pl: resumed main/epoch at iteration" "epoch resumed"
    ;;
esac

(( fails == 0 )) && echo "standards $std: all cases behaved"
exit $((fails > 0))
