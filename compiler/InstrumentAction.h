// InstrumentAction — runs the pass pipeline on one translation unit.
//
// Preprocessor callbacks (PL_LOOP markers, local includes) are installed
// before parsing; after parsing, the passes of passes/Pipeline.h run in
// table order on the AST, then the transforms again on each header selected
// with --headers, and the rewritten files are kept in memory. Nothing is
// written here: the driver writes results atomically, and only for TUs that
// parsed.
#ifndef PL_COMPILER_INSTRUMENTACTION_H
#define PL_COMPILER_INSTRUMENTACTION_H

#include "LoopModel.h"
#include "PassOptions.h"

#include "clang/Tooling/Tooling.h"

#include <memory>
#include <string>
#include <vector>

namespace pl {

/// A variable as listed in the manifest (AST pointers do not outlive the TU).
struct ListedVar {
  std::string Name, Type;
};

/// A loop as listed in the manifest.
struct ListedLoop {
  std::string FullName, Function, Label, File, Kind, Parent, LabelSource, SkipReason;
  unsigned Line = 0, Column = 0;
  bool Instrumented = false;
  bool Counted = false;
  std::vector<ListedVar> EnterVars, BeginVars, EndVars;
  std::vector<ListedVar> State;             // what a checkpoint at the loop holds
  std::vector<ListedVar> SavedAs;           // {name, how}: how each saveable one is saved
  std::vector<std::string> Unsaveable;      // "fp: FILE *": why it cannot be checkpointed
  std::vector<std::string> UnsaveableWhy;   // per Unsaveable entry: why pl cannot save it
  std::vector<std::string> AtInstantiation; // "acc: T": saved if the instantiation's type can be
  std::vector<std::string> Uncaptured;      // "calls std::rand": why resume re-runs it
  std::string RestoredBy;                   // the next loop, whose state holds all it changes
};

/// An instrumented header (selected with --headers), to be written into the
/// shadow include tree.
struct HeaderResult {
  std::string Path;        // absolute path of the original
  std::string IncludeRoot; // the -I/-isystem directory it lies under
  std::string Output;
  unsigned Instrumented = 0;
};

struct TuResult {
  std::string MainFile; // absolute
  bool Parsed = false;
  std::vector<HeaderResult> Headers;
  std::vector<ListedLoop> Loops;
  std::vector<ToolNote> Notes;
  std::string Output;                    // the instrumented text
  std::vector<std::string> Dependencies; // every file the TU read
  unsigned Instrumented = 0;
};

/// Glob over paths: `*` and `?` stay within a path segment, `**` crosses.
bool pathGlobMatches(llvm::StringRef Glob, llvm::StringRef Path);

std::unique_ptr<clang::tooling::FrontendActionFactory>
makeInstrumentActionFactory(std::vector<TuResult> &Results, const PassOptions &Opts);

} // namespace pl

#endif // PL_COMPILER_INSTRUMENTACTION_H
