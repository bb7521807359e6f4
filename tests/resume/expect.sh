# Shared by the resume test scripts (source it): count failures, and check
# that a file says what it must.
fails=0
fail() { echo "FAIL: $*" >&2; fails=$((fails + 1)); }
expect() {  # expect FILE REGEX WHAT
  grep -Eq "$2" "$1" || { fail "$3: '$2' not in $1:"; sed 's/^/    /' "$1" >&2; }
}
