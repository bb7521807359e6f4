#!/usr/bin/env bash
# ratio.sh — whole-program cost ratios of pl (see docs/BENCHMARKS.md).
#
#   bench/ratio.sh [options] <build-dir>
#
# (a) Fashion-MNIST: wall time of the instrumented trainer with no hook
#     attached (PL_PLUGINS, PL_CONFIG, PL_HOOKS unset) divided by the plain
#     build, over N pairs of runs. The order inside a pair alternates (plain
#     first, then instrumented first, ...) so a drift in machine load hits
#     both sides.
#     Reports the median of the per-pair ratios and the median times; also
#     checks that both builds print the same results. Goal: <= 1.01.
#     With hooks (the same pairs, hooks attached from outside with PL_HOOKS):
#       progress on epoch+batch and a log of the loss at every batch ÷ plain
#       (goal <= 1.02), and a trace of every epoch and batch ÷ plain (<= 1.05).
# (b) pl-instrument on examples/fashion_mnist/mlp.cpp divided by
#     clang++-19 -fsyntax-only on it with the same flags, R alternating
#     repetitions, medians. Goal: <= 1.5.
#
# Options:
#   --epochs E        epochs per training run (default 15, the example's default)
#   --runs N          pairs of training runs (default 5)
#   --reps R          repetitions of (b) (default 7)
#   --data DIR        Fashion-MNIST directory (default: the example's default)
#   --clang PATH      the clang++ for the baseline of (b) (default clang++-19)
#   --only-mnist      run (a) only
#   --only-instrument run (b) only
#   --no-hooks        skip the with-hooks ratios of (a)
#
# Needs a Release build with examples: cmake -S . -B <build-dir> -G Ninja &&
# ninja -C <build-dir> fashion_mnist fashion_mnist_plain pl-instrument.
set -euo pipefail

epochs=15
runs=5
reps=7
data=""
clang=clang++-19
do_mnist=1
do_instrument=1
do_hooks=1
build=""

usage() { sed -n '2,27p' "$0" | sed 's/^# \{0,1\}//'; }
while [[ $# -gt 0 ]]; do
  case "$1" in
    --epochs) epochs="$2"; shift 2 ;;
    --epochs=*) epochs="${1#*=}"; shift ;;
    --runs) runs="$2"; shift 2 ;;
    --runs=*) runs="${1#*=}"; shift ;;
    --reps) reps="$2"; shift 2 ;;
    --reps=*) reps="${1#*=}"; shift ;;
    --data) data="$2"; shift 2 ;;
    --data=*) data="${1#*=}"; shift ;;
    --clang) clang="$2"; shift 2 ;;
    --clang=*) clang="${1#*=}"; shift ;;
    --only-mnist) do_instrument=0; shift ;;
    --only-instrument) do_mnist=0; shift ;;
    --no-hooks) do_hooks=0; shift ;;
    -h|--help) usage; exit 0 ;;
    -*) echo "ratio.sh: unknown option '$1' (try --help)" >&2; exit 2 ;;
    *) [[ -z "$build" ]] || { echo "ratio.sh: one build dir only" >&2; exit 2; }
       build="$1"; shift ;;
  esac
done
[[ -n "$build" ]] || { usage >&2; exit 2; }
for v in epochs runs reps; do
  [[ "${!v}" =~ ^[0-9]+$ && "${!v}" -ge 1 ]] || { echo "ratio.sh: --$v must be a positive integer" >&2; exit 2; }
done

repo="$(cd "$(dirname "${BASH_SOURCE[0]}")/.." && pwd)"
build="$(cd "$build" && pwd)"
plain_exe="$build/examples/fashion_mnist/fashion_mnist_plain"
instr_exe="$build/examples/fashion_mnist/fashion_mnist"
tool="$build/compiler/pl-instrument"
tmp="$(mktemp -d)"
trap 'rm -rf "$tmp"' EXIT

now() { echo "$EPOCHREALTIME"; }  # bash 5: seconds with microseconds
median() { sort -g | awk '{ v[NR] = $1 } END { if (NR % 2) print v[(NR + 1) / 2]; else print (v[NR / 2] + v[NR / 2 + 1]) / 2 }'; }
verdict() { awk -v r="$1" -v g="$2" 'BEGIN { print (r <= g) ? "met" : "**missed**" }'; }

rows=()
echo "# pl whole-program ratios — $(date -u '+%Y-%m-%d %H:%M UTC'), $(nproc) cores, load $(cut -d' ' -f1-3 /proc/loadavg)"
echo

# ---- (a) Fashion-MNIST, instrumented (idle) / plain ---------------------------
if (( do_mnist )); then
  for exe in "$plain_exe" "$instr_exe"; do
    [[ -x "$exe" ]] || { echo "ratio.sh: missing $exe (build the examples)" >&2; exit 1; }
  done
  args=(--epochs "$epochs")
  [[ -n "$data" ]] && args+=(--data "$data")
  # One timed run: wall time of the whole process; training time from stderr.
  run() {  # run <exe> <tag> [VAR=value...] -> prints "<wall> <train>"
    local exe=$1 tag=$2 t0 t1
    shift 2
    t0=$(now)
    env -u PL_PLUGINS -u PL_CONFIG -u PL_HOOKS -u PL_STRICT "$@" "$exe" "${args[@]}" \
      >"$tmp/$tag.out" 2>"$tmp/$tag.err"
    t1=$(now)
    awk -v a="$t0" -v b="$t1" -v f="$tmp/$tag.err" 'BEGIN {
      train = -1
      while ((getline line < f) > 0) if (line ~ /^time /) { split(line, w, " "); train = w[2] }
      printf "%.4f %s\n", b - a, train }'
  }
  # pairs <what> <goal> [VAR=value...]: N alternating pairs plain / instrumented.
  pairs() {
    local what=$1 goal=$2 i p n pw pt nw nt
    shift 2
    echo "Fashion-MNIST, $what: $runs pairs of $epochs-epoch runs" >&2
    : >"$tmp/pairs"
    for ((i = 1; i <= runs; ++i)); do
      if (( i % 2 )); then p=$(run "$plain_exe" plain); n=$(run "$instr_exe" instr "$@")
      else n=$(run "$instr_exe" instr "$@"); p=$(run "$plain_exe" plain); fi
      if ! cmp -s "$tmp/plain.out" "$tmp/instr.out"; then
        echo "ratio.sh: the instrumented trainer printed different results:" >&2
        diff "$tmp/plain.out" "$tmp/instr.out" >&2 || true
        exit 1
      fi
      read -r pw pt <<<"$p"
      read -r nw nt <<<"$n"
      echo "$pw $nw $pt $nt" >>"$tmp/pairs"
      awk -v i="$i" -v pw="$pw" -v nw="$nw" -v pt="$pt" -v nt="$nt" 'BEGIN {
        printf "  pair %d: plain %.3f s, instrumented %.3f s, ratio %.4f (training %.2f / %.2f s)\n",
               i, pw, nw, nw / pw, pt, nt }' >&2
    done
    local pw_med nw_med pt_med nt_med r_med rt_med r_min r_max
    pw_med=$(awk '{ print $1 }' "$tmp/pairs" | median)
    nw_med=$(awk '{ print $2 }' "$tmp/pairs" | median)
    pt_med=$(awk '{ print $3 }' "$tmp/pairs" | median)
    nt_med=$(awk '{ print $4 }' "$tmp/pairs" | median)
    r_med=$(awk '{ printf "%.6f\n", $2 / $1 }' "$tmp/pairs" | median)
    rt_med=$(awk '$3 > 0 { printf "%.6f\n", $4 / $3 }' "$tmp/pairs" | median)
    r_min=$(awk '{ printf "%.6f\n", $2 / $1 }' "$tmp/pairs" | sort -g | head -1)
    r_max=$(awk '{ printf "%.6f\n", $2 / $1 }' "$tmp/pairs" | sort -g | tail -1)
    rows+=("$(printf '| Fashion-MNIST wall time, instrumented, %s ÷ plain, %d × %d epochs | %.3f s | %.3f s | **%.4f** (pairs %.4f–%.4f) | ≤ %s | %s |' \
      "$what" "$runs" "$epochs" "$pw_med" "$nw_med" "$r_med" "$r_min" "$r_max" "$goal" "$(verdict "$r_med" "$goal")")")
    rows+=("$(printf '| (training loop only, from the trainer'"'"'s stderr) | %.3f s | %.3f s | %.4f | — | — |' \
      "$pt_med" "$nt_med" "$rt_med")")
  }
  pairs "no hook" 1.01
  if (( do_hooks )); then
    pairs "progress on epoch+batch, log of loss every batch" 1.02 \
      "PL_HOOKS=progress mlp::train/epoch,mlp::train/epoch/batch vars=loss; log mlp::train/epoch/batch vars=loss file=$tmp/log.jsonl"
    pairs "trace of every epoch and batch" 1.05 \
      "PL_HOOKS=trace mlp::train/epoch,mlp::train/epoch/batch file=$tmp/trace.json"
  fi
fi

# ---- (b) pl-instrument / clang++ -fsyntax-only --------------------------------
if (( do_instrument )); then
  [[ -x "$tool" ]] || { echo "ratio.sh: missing $tool (build pl-instrument)" >&2; exit 1; }
  command -v "$clang" >/dev/null || { echo "ratio.sh: no '$clang' (use --clang)" >&2; exit 1; }
  src="$repo/examples/fashion_mnist/mlp.cpp"
  flags=(-std=c++20 -DNDEBUG -I/usr/include/eigen3 -I"$repo/runtime/include")
  echo "pl-instrument vs $clang -fsyntax-only on mlp.cpp: $reps repetitions" >&2
  : >"$tmp/tu"
  timed() { local t0 t1; t0=$(now); "$@" >/dev/null 2>"$tmp/tu.err" || { cat "$tmp/tu.err" >&2; exit 1; }; t1=$(now); awk -v a="$t0" -v b="$t1" 'BEGIN { printf "%.4f\n", b - a }'; }
  # One untimed run of each to warm the page cache.
  timed "$clang" -fsyntax-only "${flags[@]}" "$src" >/dev/null
  timed "$tool" --source-root "$repo" -o "$tmp/out" "$src" -- "${flags[@]}" >/dev/null
  for ((i = 1; i <= reps; ++i)); do
    if (( i % 2 )); then
      c=$(timed "$clang" -fsyntax-only "${flags[@]}" "$src")
      t=$(timed "$tool" --source-root "$repo" -o "$tmp/out" "$src" -- "${flags[@]}")
    else
      t=$(timed "$tool" --source-root "$repo" -o "$tmp/out" "$src" -- "${flags[@]}")
      c=$(timed "$clang" -fsyntax-only "${flags[@]}" "$src")
    fi
    echo "$c $t" >>"$tmp/tu"
    awk -v i="$i" -v c="$c" -v t="$t" 'BEGIN { printf "  rep %d: clang %.3f s, pl-instrument %.3f s, ratio %.3f\n", i, c, t, t / c }' >&2
  done
  c_med=$(awk '{ print $1 }' "$tmp/tu" | median)
  t_med=$(awk '{ print $2 }' "$tmp/tu" | median)
  r_med=$(awk '{ printf "%.6f\n", $2 / $1 }' "$tmp/tu" | median)
  rows+=("$(printf '| pl-instrument ÷ %s -fsyntax-only, mlp.cpp, %d reps | %.3f s | %.3f s | **%.3f** | ≤ 1.5 | %s |' \
    "$(basename "$clang")" "$reps" "$c_med" "$t_med" "$r_med" "$(verdict "$r_med" 1.5)")")
fi

echo "| measure | baseline (median) | pl (median) | ratio (median of pairs) | goal | |"
echo "|---|---:|---:|---:|---:|---|"
printf '%s\n' "${rows[@]}"
