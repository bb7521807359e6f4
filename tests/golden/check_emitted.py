#!/usr/bin/env python3
"""check_emitted.py: check pl-instrument's output against CHECK comments.

A rewriter test is C++ in which each loop is followed by the lines
pl-instrument must emit for it, as comments (the shape of clang-tidy's tests,
with FileCheck's directive names):

  // CHECK:      PATTERN   a later line contains PATTERN
  // CHECK-NEXT: PATTERN   the line after the last match contains PATTERN
  // CHECK-SAME: PATTERN   the last match's line goes on with PATTERN (only
                           blanks between), so a long line reads in pieces
  // CHECK-NOT:  PATTERN   no text between the last match and the next one
                           (or the end) contains PATTERN
  // CHECK-UNCHANGED-BEGIN ... // CHECK-UNCHANGED-END
                           the source lines between them are in the output,
                           verbatim and in one piece: code pl must leave alone

Unlike FileCheck, CHECK-SAME must follow its match directly. In a pattern,
{{regex}} is a Python regular expression; everything else is literal, and
blanks at both ends of a pattern are ignored.

  check_emitted.py strip TEST INPUT    TEST without its CHECK lines (they become
                                       blank lines, so line numbers stay)
  check_emitted.py check TEST OUTPUT   exit 1 at the first check OUTPUT fails
"""
import re
import sys

DIRECTIVE = re.compile(r"^\s*//\s*(CHECK(?:-[A-Z]+)*)\s*(?::(.*))?$")
KINDS = {"CHECK", "CHECK-NEXT", "CHECK-SAME", "CHECK-NOT", "CHECK-UNCHANGED-BEGIN",
         "CHECK-UNCHANGED-END"}


class CheckError(Exception):
    pass


class Pattern:
    """A compiled PATTERN that remembers how it was written, for messages."""

    def __init__(self, text, regex):
        self.text, self.regex = text, regex

    def search(self, line, *span):
        return self.regex.search(line, *span)

    def match(self, line, start):
        return self.regex.match(line, start)


def pattern(text):
    """Compiles PATTERN: literal text with {{regex}} parts."""
    parts, pos = [], 0
    for m in re.finditer(r"\{\{(.*?)\}\}", text):
        parts.append(re.escape(text[pos:m.start()]) + "(?:" + m.group(1) + ")")
        pos = m.end()
    parts.append(re.escape(text[pos:]))
    return Pattern(text, re.compile("".join(parts)))


def parse(test_lines, name):
    """The checks of a test, as (kind, line number, pattern or lines)."""
    checks, block = [], None
    for number, line in enumerate(test_lines, 1):
        m = DIRECTIVE.match(line)
        if not m:
            if block is not None:
                block.append(line)
            continue
        kind, text = m.group(1), (m.group(2) or "").strip()
        where = "%s:%d" % (name, number)
        if kind not in KINDS:
            raise CheckError("%s: unknown directive %s" % (where, kind))
        if kind == "CHECK-UNCHANGED-BEGIN":
            block = []
            checks.append((kind, where, block))
        elif kind == "CHECK-UNCHANGED-END":
            if block is None:
                raise CheckError("%s: CHECK-UNCHANGED-END without a BEGIN" % where)
            if not any(l.strip() for l in block):
                raise CheckError("%s: an empty CHECK-UNCHANGED block checks nothing" % where)
            block = None
        elif not text:
            raise CheckError("%s: %s without a pattern" % (where, kind))
        else:
            checks.append((kind, where, pattern(text)))
    if block is not None:
        raise CheckError("%s: CHECK-UNCHANGED-BEGIN without an END" % name)
    if not checks:
        raise CheckError("%s: no CHECK lines: a test must check something" % name)
    return checks


class Output:
    """The output being checked and the end of the last match (line, column)."""

    def __init__(self, lines):
        self.lines, self.line, self.col = lines, 0, 0
        self.matched = False  # nothing matched yet: "next line" is the first
        self.nots = []  # CHECK-NOT patterns waiting for the next match

    def next_line(self):
        return self.line + 1 if self.matched else 0

    def show(self, index):
        if index >= len(self.lines):
            return "end of output"
        return "output line %d: %s" % (index + 1, self.lines[index])

    def expect_none(self, upto_line, upto_col):
        """The waiting CHECK-NOTs: none occurs before (upto_line, upto_col)."""
        for where, pat in self.nots:
            for i in range(self.line, min(upto_line + 1, len(self.lines))):
                start = self.col if i == self.line else 0
                end = upto_col if i == upto_line else len(self.lines[i])
                m = pat.search(self.lines[i], start, end)
                if m:
                    raise CheckError("%s: CHECK-NOT: '%s' occurs at %s" %
                                     (where, m.group(0), self.show(i)))
        self.nots = []

    def found(self, line, m):
        self.expect_none(line, m.start())
        self.line, self.col, self.matched = line, m.end(), True

    def check(self, kind, where, pat):
        if kind == "CHECK-NOT":
            self.nots.append((where, pat))
        elif kind == "CHECK":
            for i in range(self.line, len(self.lines)):
                m = pat.search(self.lines[i], self.col if i == self.line else 0)
                if m:
                    return self.found(i, m)
            raise CheckError("%s: CHECK: '%s' not found after %s" %
                             (where, pat.text, self.show(self.line)))
        elif kind == "CHECK-NEXT":
            i = self.next_line()
            m = pat.search(self.lines[i]) if i < len(self.lines) else None
            if not m:
                raise CheckError("%s: CHECK-NEXT: '%s' is not on the next line, %s" %
                                 (where, pat.text, self.show(i)))
            self.found(i, m)
        elif kind == "CHECK-SAME":
            if not self.matched:
                raise CheckError("%s: CHECK-SAME before any match" % where)
            text = self.lines[self.line]
            start = len(text) - len(text[self.col:].lstrip())
            m = pat.match(text, start)
            if not m:
                raise CheckError("%s: CHECK-SAME: '%s' does not follow at column %d of %s" %
                                 (where, pat.text, start + 1, self.show(self.line)))
            self.found(self.line, m)
        else:
            self.unchanged(where, pat)

    def unchanged(self, where, block):
        for i in range(self.next_line(), len(self.lines) - len(block) + 1):
            if self.lines[i:i + len(block)] == block:
                self.expect_none(i, 0)
                last = i + len(block) - 1
                self.line, self.col, self.matched = last, len(self.lines[last]), True
                return
        raise CheckError("%s: CHECK-UNCHANGED: these %d lines are not in the output, verbatim "
                         "and in one piece, after %s:\n%s" %
                         (where, len(block), self.show(self.line), "\n".join(block)))


def main(argv):
    if len(argv) != 4 or argv[1] not in ("strip", "check"):
        sys.stderr.write(__doc__)
        return 2
    with open(argv[2]) as f:
        test_lines = f.read().split("\n")
    if argv[1] == "strip":
        with open(argv[3], "w") as f:
            f.write("\n".join("" if DIRECTIVE.match(l) else l for l in test_lines))
        return 0
    with open(argv[3]) as f:
        out = Output(f.read().split("\n"))
    try:
        for check in parse(test_lines, argv[2]):
            out.check(*check)
        out.expect_none(len(out.lines), 0)
    except CheckError as e:
        sys.stderr.write("error: %s\n" % e)
        return 1
    return 0


if __name__ == "__main__":
    sys.exit(main(sys.argv))
