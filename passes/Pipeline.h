//===- Pipeline.h - The passes of pl-instrument, in order -------*- C++ -*-===//
//
/// \file
/// The pass pipeline, defined once: a table of every pass with its id (the
/// kebab-case name its header documents as "pass `id`", its test file
/// tests/passes/<id with _>_test.cpp and `pl-instrument --help` use), a
/// one-line description and the function that runs it. The driver
/// (compiler/InstrumentAction.cpp) and the pass tests (runPassOnCode in
/// tests/passes/run_pass.cpp) both run this table, so they cannot drift.
///
/// \code
///   PreprocessorRecords Records;
///   addPreprocessorRecorders(CI, Records);                 // before parsing
///   ...
///   PassState S(Ctx, Options, Records, IsMainFile);        // after parsing
///   runPipeline(S);                     // analyses, then the main file's transforms
///   std::string Text = rewrittenText(S, SM.getMainFileID());
/// \endcode
///
/// Analyses (scope TranslationUnit) run once and fill in the LoopRecords;
/// transforms (EachFile, MainFile) then edit one file at a time through the
/// shared Rewriter. Every analysis comes before every transform.
//
//===----------------------------------------------------------------------===//
#ifndef PL_PASSES_PIPELINE_H
#define PL_PASSES_PIPELINE_H

#include "CodeFingerprint.h"
#include "IncludePaths.h"
#include "LoopLabels.h"
#include "LoopModel.h"
#include "PassOptions.h"
#include "StateMarkers.h"

#include "clang/AST/ASTContext.h"
#include "clang/Frontend/CompilerInstance.h"
#include "clang/Rewrite/Core/Rewriter.h"
#include "llvm/ADT/ArrayRef.h"
#include "llvm/ADT/StringRef.h"

#include <string>
#include <vector>

namespace pl {

/// What the preprocessor recorded while the translation unit was parsed.
struct PreprocessorRecords {
  std::vector<LoopMarker> LoopMarkers;   ///< PL_LOOP(name), for loop-labels
  std::vector<StateMarker> StateMarkers; ///< PL_TRANSIENT / PL_PERSIST, for state-markers
  std::vector<LocalInclude> Includes;    ///< quoted includes, for include-paths
  MacroDefinitions Macros;               ///< macro definitions, for code-fingerprint
};

/// Installs the preprocessor callbacks that fill `Records`; call before
/// parsing.
void addPreprocessorRecorders(clang::CompilerInstance &CI, PreprocessorRecords &Records);

/// What the passes of one translation unit read and write.
struct PassState {
  PassState(clang::ASTContext &Ctx, const PassOptions &Options, const PreprocessorRecords &Records,
            FileFilter Selected);

  clang::ASTContext &Ctx;
  const PassOptions &Options;
  const PreprocessorRecords &Records;
  FileFilter Selected;           ///< files whose loops are instrumented
  std::vector<LoopRecord> Loops; ///< found by loop-labels, filled in by the analyses
  std::vector<ToolNote> Notes;
  clang::Rewriter RW;        ///< the transforms' edits, for every file
  clang::FileID File;        ///< the file the transforms are editing
  unsigned Instrumented = 0; ///< loops instrument-loops instrumented in File
  bool NeedsSerializers = false; ///< some point in File declares state saved by pl/serialize.h
  bool EmittedManifest = false;  ///< emit-manifest appended a table (loops or call graph) to File
  unsigned TrackedArrays = 0;    ///< track-arrays rewrote array new/delete in File
  std::vector<CallRow> CallRows; ///< call-graph: the functions of the TU the runtime needs
  /// state-types: the classes generate-serializers writes serializers for.
  std::vector<GeneratedClass> Generated;
  /// Fields no checkpoint holds (state-markers: PL_TRANSIENT_FIELD, --transient).
  std::vector<const clang::FieldDecl *> TransientFields;
};

enum class PassScope {
  TranslationUnit, ///< an analysis: runs once, on the whole AST
  EachFile,        ///< a transform of every rewritten file (main file, --headers)
  MainFile,        ///< a transform of the main file only
};

struct PassInfo {
  const char *Id;          ///< "loop-labels"
  const char *Description; ///< one line, for --help
  PassScope Scope;
  void (*Run)(PassState &);
};

/// Every pass, in the order it runs.
llvm::ArrayRef<PassInfo> passPipeline();

/// The pass with this id, or nullptr.
const PassInfo *findPass(llvm::StringRef Id);

/// Runs the analyses, then the transforms on the main file, in table order;
/// stops after pass `StopAfter` when one is named (the pass tests).
void runPipeline(PassState &S, llvm::StringRef StopAfter = {});

/// Runs the transforms of scope EachFile on `Header`, a selected included
/// file, after runPipeline. Sets S.Instrumented for it.
void runHeaderTransforms(PassState &S, clang::FileID Header);

/// The rewritten text of `File`, headed by the contract include and a
/// `#line 1` that points back at the original.
std::string rewrittenText(PassState &S, clang::FileID File);

} // namespace pl

#endif // PL_PASSES_PIPELINE_H
