#!/usr/bin/env bash
# Real code nobody here wrote: libsvm, from Debian's source package.
# Builds svm-train and svm-predict plain and instrumented (svm.cpp as C++,
# the two K&R-flavoured C programs compiled as C++), and checks that
#   - models and predictions are byte-identical on libsvm's heart_scale and
#     on two Fashion-MNIST classes in libsvm format;
#   - a hook attached by label inside the SMO solver loop sees its locals;
#   - a checkpoint policy there is refused with the reason (its state is not
#     all saveable yet), no checkpoint is written, the model is unchanged.
# When the source cannot be had, it says why and exits 77 (CTest: skipped),
# never reporting a pass.
# usage: libsvm.sh <pl-instrument> <runtime include dir> <libpl dir> <work dir> [samples]
set -u
tool=$1 inc=$2 libdir=$3 work=$4 samples=${5:-600}
here=$(cd "$(dirname "$0")" && pwd)
skip() { echo "SKIPPED: $*"; exit 77; }
mkdir -p "$work" && cd "$work" || exit 1

src=$(ls -d "$work"/libsvm-*/ 2>/dev/null | head -n 1)
if [ -z "$src" ]; then
  # The .orig tarball is all we need; apt-get may fail on the Debian part.
  apt-get source --download-only libsvm >fetch.log 2>&1
  tarball=$(ls libsvm_*.orig.tar.* 2>/dev/null | head -n 1)
  [ -n "$tarball" ] ||
    skip "cannot fetch libsvm's source (apt-get source libsvm; are deb-src entries enabled?): $(tail -n 1 fetch.log)"
  tar xf "$tarball" || skip "cannot unpack $tarball"
  src=$(ls -d "$work"/libsvm-*/ | head -n 1)
fi
src=${src%/}
[ -f "$src/svm.cpp" ] || skip "no svm.cpp in $src"

pass=0 fail=0
ok() { if "$@"; then pass=$((pass + 1)); else echo "FAIL: $*"; fail=$((fail + 1)); fi; }
flags=(-O2 -std=c++17)
build() {  # build <dir> <svm.cpp> <svm-train.c> <svm-predict.c> [extra flags...]
  local d=$1 svm=$2 train=$3 predict=$4
  shift 4
  mkdir -p "$d" &&
    g++ "${flags[@]}" -I"$src" "$@" -c "$svm" -o "$d/svm.o" &&
    g++ "${flags[@]}" -I"$src" "$@" -x c++ "$train" -x none "$d/svm.o" -o "$d/svm-train" "${libs[@]}" &&
    g++ "${flags[@]}" -I"$src" "$@" -x c++ "$predict" -x none "$d/svm.o" -o "$d/svm-predict" "${libs[@]}"
}
libs=()
ok build plain "$src/svm.cpp" "$src/svm-train.c" "$src/svm-predict.c"
rm -rf inst
ok "$tool" "$src/svm.cpp" "$src/svm-train.c" "$src/svm-predict.c" --source-root "$src" -o inst \
  -- -std=c++17 -x c++ -I"$src"
libs=(-L"$libdir" -lpl -Wl,-rpath,"$libdir")
ok build inst inst/svm.cpp inst/svm-train.c inst/svm-predict.c -I"$inc"
ok grep -q "PL_SITE_(pl_s[0-9]*, \"Solver::Solve/" inst/svm.cpp

same_run() {  # same_run <data>: train and predict with both builds, compare bytes
  local data=$1 tag
  tag=$(basename "$data")
  plain/svm-train -q "$data" "$tag.plain.model" && inst/svm-train -q "$data" "$tag.inst.model" &&
    cmp "$tag.plain.model" "$tag.inst.model" &&
    plain/svm-predict "$data" "$tag.plain.model" "$tag.plain.out" >/dev/null &&
    inst/svm-predict "$data" "$tag.inst.model" "$tag.inst.out" >/dev/null &&
    cmp "$tag.plain.out" "$tag.inst.out"
}
ok same_run "$src/heart_scale"
data=/usr/share/datasets/fashion-mnist
if [ -f "$data/train-images-idx3-ubyte.gz" ]; then
  ok python3 "$here/fashion_to_libsvm.py" "$data" "$samples" fashion2
  ok same_run fashion2
fi

# A hook inside the SMO solver's main loop, by label, reading its locals.
PL_HOOKS="log Solver::Solve/loop6 vars=iter,i,j,delta_alpha_i file=hook.jsonl" \
  inst/svm-train -q "$src/heart_scale" hook.model 2>hook.err
# (the enclosing loops of the caller, svm_train's one-vs-one loops, come first in a row, by full name)
ok grep -q '"loop": "Solver::Solve/loop6", "event": "iteration_end", "svm_train/[a-z0-9/]*": 0, .*"loop6": 0, "t": [0-9.]*, "iter": 1, "i": [0-9]*, "j": [0-9]*, "delta_alpha_i": ' hook.jsonl
ok cmp hook.model "heart_scale.plain.model"

# Exact or refused on code nobody here wrote: a checkpoint policy inside the
# SMO solver loop. Its own state (the Solver's raw arrays G, alpha, ...) is
# saved as arrays, but the state around it is not saveable: the kernel matrix
# behind `this->Q`, which virtual calls permute, svm_train's malloc'd arrays
# (`nonzero`, `decision_function` with pointer fields) whose length pl does
# not know, and calls to rand() in the enclosing loops. pl must refuse with
# the reason, write no checkpoint, and the model must be the uninterrupted
# run's.
rm -rf smo_ckpt
PL_HOOKS="checkpoint Solver::Solve/loop6 every=1 dir=$work/smo_ckpt" \
  inst/svm-train -q "$src/heart_scale" smo.model 2>smo.err
ok grep -q "loop '[^']*' cannot be \(checkpointed\|saved\): " smo.err
ok test -z "$(ls smo_ckpt 2>/dev/null)"
ok cmp smo.model "heart_scale.plain.model"

echo "libsvm corpus: $pass passed, $fail failed"
[ "$fail" = 0 ]
