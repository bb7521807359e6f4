#!/usr/bin/env bash
# The replay self-check (PL_RESUME_CHECK=1, pl-ckpt check-replay) on a
# program pl resumes exactly: one run writes every checkpoint it can (keep
# raised), then at POINTS checkpoints spread over that run a directory holding
# the checkpoints up to it is checked — resumed from the one before, the
# replay must reach its position with every saved variable identical (exit
# 0). Odd points go through pl-ckpt check-replay, even ones set
# PL_RESUME_CHECK=1 themselves.
#
#   check_replay.sh WORKDIR CONFIG POINTS PL_CKPT -- PROGRAM ARGS...
#
# CONFIG is a hook configuration as for kill_resume.sh: @DIR@ becomes the
# run's directory, whose checkpoints go to @DIR@/ckpt.
set -uo pipefail
work=$1 config=$2 points=$3 pl_ckpt=$4
shift 4
[[ $1 == -- ]] && shift
rm -rf "$work" && mkdir -p "$work/ref"
fails=0
fail() { echo "check_replay: FAIL: $*" >&2; fails=$((fails + 1)); }
configure() { sed -e "s|@DIR@|$1|g" -e 's/keep=[0-9]*/keep=100000/' "$config" > "$1/hooks.conf"; }

configure "$work/ref"
if ! (cd "$work/ref" && exec env PL_CONFIG="$work/ref/hooks.conf" "$@") \
  > "$work/ref/out" 2> "$work/ref/err"; then
  echo "check_replay: FAIL: the reference run failed:" >&2
  cat "$work/ref/err" >&2
  exit 1
fi
mapfile -t files < <(ls "$work/ref/ckpt" | grep -E '^ckpt-[0-9]+\.plck$' | sort)
n=${#files[@]}
if (( n < 2 )); then
  echo "check_replay: FAIL: the run wrote $n checkpoint(s), the check needs two" >&2
  exit 1
fi
echo "check_replay: $n checkpoints; checking at $points of them"
for ((p = 1; p <= points; p++)); do
  i=$(( p * (n - 1) / points ))  # the newest checkpoint of this check, 1 .. n-1
  (( i >= 1 )) || i=1  # a time-based policy on a loaded machine writes few: never only one
  dir="$work/check$p"
  mkdir -p "$dir/ckpt"
  configure "$dir"
  find "$work/ref" -maxdepth 1 -type f ! -name hooks.conf ! -name out ! -name err \
    -exec cp {} "$dir/" \;  # the run's logs, as they were
  for ((j = (i >= 3 ? i - 3 : 0); j <= i; j++)); do cp "$work/ref/ckpt/${files[j]}" "$dir/ckpt/"; done
  if (( p % 2 )); then
    (cd "$dir" && exec env PL_CONFIG="$dir/hooks.conf" timeout 300 "$pl_ckpt" check-replay ckpt -- "$@") \
      > "$dir/out" 2> "$dir/err"
  else
    (cd "$dir" && exec env PL_CONFIG="$dir/hooks.conf" PL_RESUME_CHECK=1 timeout 300 "$@") \
      > "$dir/out" 2> "$dir/err"
  fi
  status=$?
  if [[ $status != 0 ]] || ! grep -q "^pl: resume check passed" "$dir/err"; then
    fail "at ${files[i]} (exit status $status):"
    sed 's/^/    /' "$dir/err" >&2
  else
    grep "^pl: resume check passed" "$dir/err" | sed 's/^/check_replay: /'
  fi
done
(( fails == 0 )) && echo "check_replay: every check passed"
exit $((fails > 0))
