#!/usr/bin/env bash
# pl-instrument as a user meets it: errors that say what to fix, no output
# for input that does not compile, #line mapping back to the original, and
# output that compiles warning-free when the input did.
# usage: cli_test.sh <pl-instrument> <runtime include dir>
set -u
export LC_ALL=C  # plain quotes in compiler messages
tool=$1 inc=$2
# Outside any build tree: no compile_commands.json above it.
dir=$(mktemp -d /tmp/pl-cli-test.XXXXXX) || exit 1
trap 'rm -rf "$dir"' EXIT
mkdir -p "$dir/src" "$dir/out" && cd "$dir" || exit 1
failures=0 passes=0
check() {  # check <description> <command...>: the command must succeed
  local what=$1; shift
  if "$@"; then passes=$((passes + 1)); else echo "FAIL: $what"; failures=$((failures + 1)); fi
}
run() { "$tool" "$@" >stdout.txt 2>stderr.txt; echo $? >rc.txt; }
rc_is() { [ "$(cat rc.txt)" = "$1" ] || { echo "  exit code $(cat rc.txt), expected $1"; cat stderr.txt; false; }; }
err_has() { grep -qF -- "$1" stderr.txt || { echo "  stderr lacks: $1"; cat stderr.txt; false; }; }
out_has() { grep -qF -- "$1" stdout.txt || { echo "  stdout lacks: $1"; cat stdout.txt; false; }; }

cat >src/ok.cpp <<'CPP'
#include <pl/marker.h>
#define TWICE(i) for (int i = 0; i < 2; ++i)
int work(int n) {
  int s = 0;
  PL_LOOP(outer) for (int i = 0; i < n; ++i) {
    TWICE(j) s += j;
  }
  return s;
}
int main() { return work(3) == 3 ? 0 : 1; }
CPP
printf 'int broken( {\n  for (;;) {}\n' >src/bad.cpp

run src/ok.cpp -o out
check "no compile database is an error with a fix" rc_is 1
check "  ... naming the fix" err_has "fix: pass -p <build dir containing compile_commands.json>"

run -p "$dir/nowhere" src/ok.cpp -o out
check "unloadable -p is an error" rc_is 1
check "  ... naming the directory" err_has "cannot load a compilation database from '$dir/nowhere'"

printf '[{"directory":"%s","file":"src/other.cpp","command":"c++ -c src/other.cpp"}]\n' "$dir" >compile_commands.json
run -p . src/ok.cpp -o out
check "file missing from the database is an error" rc_is 1
check "  ... naming the file" err_has "'$dir/src/ok.cpp' has no entry in the compilation database"
printf '[{"directory":"%s","file":"src/ok.cpp","command":"c++ -std=c++20 -I%s -c src/ok.cpp"}]\n' "$dir" "$inc" >compile_commands.json
run -p . src/ok.cpp -o out --source-root "$dir"
check "compile database entry works" rc_is 0
check "  ... and mirrors the source path" test -f out/src/ok.cpp
check "  ... and reports the macro loop it leaves alone" \
  err_has "src/ok.cpp:6:5: note: loop 'work/outer/loop1' not instrumented: the loop comes from a macro expansion"
rm -f compile_commands.json

run src/missing.cpp -o out -- -std=c++20
check "missing source is an error" rc_is 1
check "  ... naming it" err_has "no such source file: 'src/missing.cpp'"

run src/ok.cpp -- -std=c++20
check "no output requested is an error" rc_is 1
check "  ... saying what to pass" err_has "nothing to do: pass -o <dir>"

run src/bad.cpp -o out -- -std=c++20
check "a file that does not compile fails" rc_is 1
check "  ... with the compiler's error" err_has "bad.cpp:1:"
check "  ... and writes no output" test ! -e out/bad.cpp
check "  ... not even a temporary" test -z "$(find out -name '*.tmp*')"

run src/ok.cpp -o src --source-root src -- -std=c++20
check "writing over the source is refused" rc_is 1
check "  ... with a reason" err_has "would overwrite its source"

run src/ok.cpp -o out -- -std=c++20 -I"$inc"
check "instruments with flags after --" rc_is 0
check "  output compiles warning-free (-Wall -Wextra -Werror)" \
  g++ -std=c++20 -Wall -Wextra -Werror -I"$inc" -fsyntax-only out/src/ok.cpp
check "  ... with clang++ too" \
  clang++-19 -std=c++20 -Wall -Wextra -Werror -I"$inc" -fsyntax-only out/src/ok.cpp
check "the PL_LOOP marker compiles warning-free without the tool (g++)" \
  g++ -std=c++20 -Wall -Wextra -Werror -I"$inc" -fsyntax-only src/ok.cpp
check "  ... and with clang++" clang++-19 -std=c++20 -Wall -Wextra -Werror -I"$inc" -fsyntax-only src/ok.cpp

cat >src/lines.cpp <<'CPP'
int f(int n) {
  int s = 0;
  for (int i = 0; i < n; ++i)
    s += i;
  while (s > 100) s /= 2;
  int unused_here;
  return s;
}
CPP
run src/lines.cpp -o out -- -std=c++20
g++ -std=c++20 -Wall -I"$inc" -c out/src/lines.cpp -o /dev/null 2>warn.txt
check "#line maps diagnostics to the original file and line" grep -q "src/lines.cpp:6:7: warning: unused variable 'unused_here'" warn.txt
check "  ... with innermost loops also copied uninstrumented" grep -q "if (::pl::abi::idle(pl_s0))" out/src/lines.cpp
run src/lines.cpp -o out --no-versioning -- -std=c++20
check "  ... and every original line keeps its number (2 header lines, manifest appended)" \
  test "$(sed -n "$(($(wc -l <src/lines.cpp) + 2))p" out/src/lines.cpp)" = "}"
check "  ... with the loop manifest after the last original line" \
  grep -q '^  {"f/loop0", ".*src/lines.cpp", 3, "n,s,i",$' out/src/lines.cpp

run src/ok.cpp --list --manifest out/manifest.json -- -std=c++20 -I"$inc"
check "--list names every loop" out_has "work/outer"
check "  ... with its locals and types" out_has "enter/exit  n : int, s : int"
check "  ... and says which are not instrumented" out_has "NOT INSTRUMENTED: the loop comes from a macro expansion"
check "  ... and its checkpoint state with types" out_has "state       s : int, i : int"
check "--manifest writes valid JSON" python3 -m json.tool out/manifest.json /dev/null
check "  ... listing the loops" grep -q '"name": "work/outer/loop1"' out/manifest.json

cat >src/state.cpp <<'CPP'
#include <cstdio>
#include <cstdlib>
int main() {
  FILE *log = std::fopen("/dev/null", "w");
  int sum = 0;
  for (int i = 0; i < 3; ++i) {
    sum += std::rand() % 2;
    log = log ? log : nullptr;
  }
  return sum;
}
CPP
run src/state.cpp --list --manifest out/state.json -- -std=c++20
check "--list says which loop cannot be checkpointed" out_has "not resumable: log: FILE *"
check "  ... and why, with both fixes" \
  out_has "log: FILE *: pl cannot save it ('FILE *' is a pointer, and pl saves data, not addresses); if 'log' is recomputed on resume, mark it PL_TRANSIENT(log), otherwise hold the data itself"
check "  ... and why a resume re-runs it" out_has "always re-run on resume: calls std::rand"
check "a loop without a label gets no warning, one note per file" \
  err_has "src/state.cpp:6:3: note: 1 loop without a label cannot be checkpointed (state of types pl cannot save); pl-instrument --list shows which and why"
check "  ... and nothing else" test "$(grep -c . stderr.txt)" = 1
sed -i 's/^  for (int i/  steps: for (int i/' src/state.cpp
run src/state.cpp -o out -- -std=c++20
check "a labeled loop warns at the variable, with both fixes" \
  err_has "src/state.cpp:4:9: warning: loop 'main/steps' cannot be checkpointed: its state variable 'log' has type 'FILE *'"
check "  ... the first fix" err_has "mark it PL_TRANSIENT(log)"
check "  ... and no note" test "$(grep -c . stderr.txt)" = 1
run src/state.cpp -o out --require-resumable -- -std=c++20
check "--require-resumable makes it an error" err_has "src/state.cpp:4:9: error: loop 'main/steps'"
check "  ... and fails" rc_is 1

cat >src/tmpl.cpp <<'CPP'
#include <vector>
template <class T> T last(const std::vector<T> &v) {
  T acc{};
  walk: for (const T &x : v) acc = x;
  return acc;
}
int main() { return last(std::vector<int>{0}) + (last(std::vector<int *>{nullptr}) ? 1 : 0); }
CPP
run src/tmpl.cpp -o out --list -- -std=c++20
check "a template's state is decided when it is instantiated, without a warning" \
  test ! -s stderr.txt
check "  ... --list says so" \
  out_has "state decided when the template is instantiated: acc: T; x: const T &"
check "  ... and the output compiles, for int * too" \
  g++ -std=c++20 -Wall -Wextra -Werror -Wno-unused-label -I"$inc" -fsyntax-only out/src/tmpl.cpp
run src/tmpl.cpp -o out --require-resumable -- -std=c++20
check "  ... with --require-resumable the int * instantiation does not compile" \
  sh -c "g++ -std=c++20 -I'$inc' -fsyntax-only out/src/tmpl.cpp 2>&1 | grep -q 'pl: --require-resumable'"
check "--manifest lists state, unsaveable and uncaptured" python3 -c '
import json, sys
l = json.load(open(sys.argv[1]))["loops"][0]
assert l["state"] == [{"name": "log", "type": "FILE *"}, {"name": "sum", "type": "int"},
                      {"name": "i", "type": "int"}], l["state"]
assert l["unsaveable"] == ["log: FILE *"] and l["uncaptured"] == ["calls std::rand"], l
' out/state.json

mkdir -p lib/mylib
cat >lib/mylib/algo.h <<'CPP'
#pragma once
inline int algo_sum(int n) {
  int s = 0;
  for (int k = 0; k < n; ++k) s += k;
  return s;
}
CPP
printf '#include <mylib/algo.h>\nint main() { return algo_sum(4) == 6 ? 0 : 1; }\n' >src/uses_lib.cpp
run src/uses_lib.cpp -o out --headers "$dir/lib/**" --shadow-dir shadow -- -std=c++20 -Ilib -I"$inc"
check "--headers instruments a library header into the shadow tree" rc_is 0
check "  ... writing the instrumented copy" grep -q 'PL_SITE_(pl_s0, "algo_sum/loop0"' "shadow$dir/lib/mylib/algo.h"
check "  ... and leaving the original alone" test "$(grep -c PL_SITE_ lib/mylib/algo.h)" = 0
check "  ... which compiles first on the include path" \
  g++ -std=c++20 -Wall -Wextra -Werror -I"shadow$dir/lib" -Ilib -I"$inc" -fsyntax-only out/src/uses_lib.cpp
run src/uses_lib.cpp -o out --headers "$dir/nothing/**" --shadow-dir shadow -- -std=c++20 -Ilib -I"$inc"
check "a --headers glob that matches nothing fails" rc_is 1
check "  ... saying so" err_has "--headers '$dir/nothing/**' matches no file"
run src/uses_lib.cpp -o out --headers "$dir/nothing/**" --shadow-dir shadow --lenient -- -std=c++20 -Ilib -I"$inc"
check "  ... unless --lenient" rc_is 0
run src/uses_lib.cpp -o out --headers "$dir/lib/**" -- -std=c++20 -Ilib
check "--headers without --shadow-dir is an error" err_has "--headers needs --shadow-dir"

echo "cli: $passes passed, $failures failed"
[ "$failures" = 0 ]
