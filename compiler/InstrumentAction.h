// InstrumentAction — runs the passes on one translation unit.
//
// Preprocessor callbacks (PL_LOOP markers, local includes) are installed
// before parsing; after parsing, the passes run in order on the AST:
//   loop-labels -> visible-vars -> rewrite-safety -> trip-count
//   -> state-markers -> modified-vars -> uncaptured-effects -> state-types
//   -> instrument-loops + include-paths + emit-manifest
// and the rewritten main file is kept in memory. Nothing is written here:
// the driver writes results atomically, and only for TUs that parsed.
#ifndef PL_COMPILER_INSTRUMENTACTION_H
#define PL_COMPILER_INSTRUMENTACTION_H

#include "IncludePaths.h"
#include "LoopModel.h"
#include "StateMarkers.h"

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

struct InstrumentOptions {
  std::string AbiHeader = "pl/abi.h";
  /// Globs over absolute header paths whose loops are instrumented too.
  std::vector<std::string> HeaderGlobs;
  /// Innermost loops also get an uninstrumented copy for when nothing
  /// listens (instrument-loops, "Versioning").
  bool Versioning = true;
  /// A state variable pl cannot save is an error (in any loop), not a
  /// warning (in a labeled loop) or a note (per file, for the others).
  bool RequireResumable = false;
};

/// Installs what the passes need the preprocessor to record while a TU is
/// parsed: PL_LOOP markers, PL_TRANSIENT/PL_PERSIST markers, local includes.
void addPreprocessorRecorders(clang::CompilerInstance &CI, std::vector<LoopMarker> &Markers,
                              std::vector<StateMarker> &StateMarkers,
                              std::vector<LocalInclude> &Includes);

/// Glob over paths: `*` and `?` stay within a path segment, `**` crosses.
bool pathGlobMatches(llvm::StringRef Glob, llvm::StringRef Path);

std::unique_ptr<clang::tooling::FrontendActionFactory>
makeInstrumentActionFactory(std::vector<TuResult> &Results, const InstrumentOptions &Opts);

} // namespace pl

#endif // PL_COMPILER_INSTRUMENTACTION_H
