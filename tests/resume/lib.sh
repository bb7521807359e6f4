# Helpers of the end-to-end resume scripts (tests/resume, tests/soundness):
# source it, then count failures with `fail` and check outputs with `expect`.
fails=0
fail() { echo "FAIL: $*" >&2; fails=$((fails + 1)); }
expect() {  # expect FILE REGEX WHAT
  grep -Eq "$2" "$1" || { fail "$3: '$2' not in $1:"; sed 's/^/    /' "$1" >&2; }
}
