// run_pass.h — run pl-instrument's pass pipeline on an in-memory file.
//
// The pass-test counterpart of clang-tidy's runCheckOnCode<Check>(Code):
//
//   PassRun R = runPassOnCode("trip-count", "void f(int n) { for (int i = 0; i < n; ++i); }");
//   EXPECT_EQ(R.loop("f/loop0")->TripExpr, "...");
//
// The code is parsed as C++20 with Clang's resource dir, so <vector>, <map>
// and friends work; the passes of the pipeline table (passes/Pipeline.h) run
// as the driver runs them, up to and including the one named by its id.
// Everything is copied out as strings: AST pointers die with the AST. This
// header includes no Clang headers, so the test files that use it compile
// quickly.
#ifndef PL_TESTS_PASSES_RUN_PASS_H
#define PL_TESTS_PASSES_RUN_PASS_H

#include "PassOptions.h"

#include <filesystem>
#include <string>
#include <string_view>
#include <vector>

namespace pl::test {

/// Name of the in-memory input file unless a test gives another one.
inline constexpr const char *kInputFile = "/pl-test/input.cc";

struct Var {
  std::string Name, Type;
};

struct Continue {
  unsigned Line = 0;
  std::vector<Var> Vars;
};

/// A LoopRecord with its AST pointers dropped.
struct Loop {
  std::string FullName, Function, Label;
  std::string Source; ///< "automatic", "label" or "PL_LOOP"
  std::string Kind;   ///< loopKindName(): "for", "range-for", "while", "do-while"
  std::string Parent; ///< full name of the enclosing loop, or ""
  unsigned Line = 0, Column = 0;
  bool Instrumentable = true;
  std::string SkipReason;
  std::vector<Var> EnterVars, BeginVars, EndVars;
  std::vector<Continue> Continues;
  std::string TripExpr;
  std::vector<std::string> State;           ///< names, in order
  std::vector<Var> StateVars;               ///< with their types
  std::vector<std::string> Saved;           ///< the state declared PL_S_ (state-types and later)
  std::vector<std::string> AtInstantiation; ///< the state declared PL_SD_ or PL_SR_
  std::vector<std::string> Arrays;          ///< the state declared PL_SA_ (saved as arrays)
  std::vector<std::string> Unsaveable;      ///< "fp: FILE *"
  std::vector<std::string> Uncaptured;      ///< "calls std::rand"
  std::string RestoredBy;                   ///< restored-later: the next loop, or ""
  std::vector<std::string> WrittenThrough;  ///< pointee-effects: state it adds, by name
  std::vector<std::string> ArrayWrites;     ///< pointee-effects: pointers saved as arrays, why
  std::string CodeHash;                     ///< code-fingerprint
  std::string FunctionKey;                  ///< call-graph: the loop's function
  std::vector<std::string> Calls;           ///< call-graph: what its body can call
};

/// A CallRow (call-graph).
struct CallRow {
  std::string Key;
  std::vector<std::string> Calls;
  std::string Hidden;   ///< effects a loop of another file cannot hold
  std::string CodeHash; ///< its code, for loops of other files
};

/// A ToolNote.
struct Note {
  std::string File;
  unsigned Line = 0, Column = 0;
  std::string Kind, Message;
};

struct PassRun {
  std::vector<std::string> Errors; ///< Clang errors in the input ("line:col: message")
  std::vector<Loop> Loops;         ///< in source order
  std::vector<Note> Notes;
  std::vector<CallRow> CallRows; ///< call-graph's rows for the file
  /// The rewritten file (instrument-loops and later), with the contract
  /// include and #line header the driver adds.
  std::string Output;

  /// The loop with this full name, or nullptr.
  const Loop *loop(std::string_view FullName) const;
  /// The notes of this kind ("warning", "error"), as "line:col: message".
  std::vector<std::string> notes(std::string_view Kind) const;
  std::vector<std::string> fullNames() const;
  /// The call-graph row of function `Key`, or nullptr.
  const CallRow *row(std::string_view Key) const;
};

/// The options the pass tests run with unless they say otherwise: the
/// driver's defaults, but without versioning, so that tests see one
/// instrumented copy of each loop (the versioning tests turn it on).
inline PassOptions testOptions() {
  PassOptions O;
  O.Versioning = false;
  return O;
}

/// Runs the pipeline on `Code` up to and including the pass with id `UpTo`
/// ("trip-count"); an id the pipeline lacks is a test failure.
PassRun runPassOnCode(std::string_view UpTo, const std::string &Code,
                      const std::vector<std::string> &ExtraArgs = {},
                      const std::string &FileName = kInputFile,
                      const PassOptions &Options = testOptions());

/// The output of the real driver (makeInstrumentActionFactory) for `Code`.
std::string instrumentWithDriver(const std::string &Code,
                                 const std::vector<std::string> &ExtraArgs = {},
                                 const std::string &FileName = kInputFile,
                                 const PassOptions &Options = testOptions());

/// The notes of the real driver for `Code`.
std::vector<Note> driverNotes(const std::string &Code, const PassOptions &Options = testOptions());

/// Instruments `Code` with the whole pipeline, then compiles the result with
/// -fsyntax-only against the runtime headers; a test failure if it does not.
void expectOutputCompiles(const std::string &Code, const std::vector<std::string> &ExtraArgs = {});

/// Compiles `Code` with -fsyntax-only against the runtime's headers
/// (-I runtime/include) and returns its errors; empty means it compiles.
std::vector<std::string> compileErrors(const std::string &Code,
                                       const std::vector<std::string> &ExtraArgs = {},
                                       const std::string &FileName = kInputFile);

/// The names of `Vars`, in order.
std::vector<std::string> names(const std::vector<Var> &Vars);

/// Number of times `Needle` occurs in `Text`.
std::size_t countOf(std::string_view Text, std::string_view Needle);

/// A fresh directory of real files, removed with the object.
class TempDir {
public:
  TempDir();
  ~TempDir();
  TempDir(const TempDir &) = delete;
  TempDir &operator=(const TempDir &) = delete;

  /// Writes `Text` to `Relative` (directories created) and returns its path.
  std::string write(const std::string &Relative, const std::string &Text) const;
  std::string path(const std::string &Relative = "") const;

private:
  std::filesystem::path Root;
};

} // namespace pl::test

#endif // PL_TESTS_PASSES_RUN_PASS_H
