//===- Pipeline.cpp - The passes of pl-instrument, in order ---------------===//
#include "Pipeline.h"

#include "CallGraph.h"
#include "CodeFingerprint.h"
#include "EmitManifest.h"
#include "GenerateSerializers.h"
#include "IncludePaths.h"
#include "InstrumentLoops.h"
#include "LoopLabels.h"
#include "ModifiedVars.h"
#include "PointeeEffects.h"
#include "RestoredLater.h"
#include "RewriteSafety.h"
#include "StateMarkers.h"
#include "StateTypes.h"
#include "TrackArrays.h"
#include "TripCount.h"
#include "UncapturedEffects.h"
#include "VisibleVars.h"
#include "utils/PassUtils.h"

#include "clang/Lex/Preprocessor.h"

using namespace clang;

namespace pl {
namespace {

using Scope = PassScope;

// The pipeline. A pass reads what the passes above it wrote; the analyses
// all come before the transforms (pipeline_test checks it).
const PassInfo Pipeline[] = {
    {"loop-labels", "find every loop, name it <function>/<enclosing loops>/<label>, nest it",
     Scope::TranslationUnit,
     [](PassState &S) {
       S.Loops = runLoopLabels(S.Ctx, S.Selected, S.Records.LoopMarkers, S.Notes);
     }},
    {"visible-vars", "the locals in scope at each event point of each loop", Scope::TranslationUnit,
     [](PassState &S) { runVisibleVars(S.Ctx, S.Loops); }},
    {"rewrite-safety",
     "skip, with a note, loops from macros, in constexpr code, jumped into or under OpenMP",
     Scope::TranslationUnit, [](PassState &S) { runRewriteSafety(S.Ctx, S.Loops, S.Notes); }},
    {"trip-count", "a side-effect-free trip-count expression for counted loops",
     Scope::TranslationUnit, [](PassState &S) { runTripCount(S.Ctx, S.Loops); }},
    {"state-markers", "the variables PL_TRANSIENT(x) and PL_PERSIST(x) name",
     Scope::TranslationUnit,
     [](PassState &S) {
       runStateMarkers(S.Ctx, S.Records.StateMarkers, S.Loops, S.Notes, S.Options.TransientFields,
                       &S.TransientFields);
     }},
    {"pointee-effects",
     "writes through pointers and references, callees included: state, or refused",
     Scope::TranslationUnit, [](PassState &S) { runPointeeEffects(S.Ctx, S.Loops, S.Notes); }},
    {"modified-vars", "the checkpoint state: what each loop nest may modify",
     Scope::TranslationUnit, [](PassState &S) { runModifiedVars(S.Ctx, S.Loops); }},
    {"uncaptured-effects",
     "effects the state misses (rand, time, foreign globals, opaque calls): resume re-runs",
     Scope::TranslationUnit, [](PassState &S) { runUncapturedEffects(S.Ctx, S.Loops); }},
    {"state-types", "which state pl/serialize.h can save; warn (or fail) on the rest",
     Scope::TranslationUnit,
     [](PassState &S) {
       runStateTypes(S.Ctx, S.Loops, S.Notes, S.Generated, S.Options.RequireResumable,
                     S.TransientFields);
     }},
    {"restored-later", "completed loops the next loop's state restores: skipped on resume",
     Scope::TranslationUnit, [](PassState &S) { runRestoredLater(S.Ctx, S.Loops); }},
    {"code-fingerprint", "per loop: hash of the tokens of its code and callees, and its state",
     Scope::TranslationUnit,
     [](PassState &S) { runCodeFingerprint(S.Ctx, S.Loops, S.Records.Macros); }},
    {"call-graph", "what each loop and function can call, for the runtime's tracking decisions",
     Scope::TranslationUnit,
     [](PassState &S) { runCallGraph(S.Ctx, S.Loops, S.CallRows, S.Records.Macros); }},
    {"instrument-loops", "insert the loop-boundary points (same lines, #line for copies)",
     Scope::EachFile,
     [](PassState &S) {
       S.Instrumented = runInstrumentLoops(S.Ctx, S.Loops, S.File, S.RW, S.Options.Versioning,
                                           &S.NeedsSerializers);
     }},
    {"track-arrays", "new T[n] and delete[] record the array's length (array state's extent)",
     Scope::EachFile, [](PassState &S) { S.TrackedArrays = runTrackArrays(S.Ctx, S.File, S.RW); }},
    {"include-paths", "keep quoted includes resolving from the output directory", Scope::MainFile,
     [](PassState &S) {
       runIncludePaths(S.Ctx.getSourceManager(), S.Records.Includes, S.File, S.RW);
     }},
    {"generate-serializers", "write pl_serialize for the classes of state that have none",
     Scope::MainFile,
     [](PassState &S) { runGenerateSerializers(S.Ctx, S.Generated, S.File, S.RW); }},
    {"emit-manifest", "append the table of loops the runtime checks hooks against", Scope::EachFile,
     [](PassState &S) {
       const bool Main = S.File == S.Ctx.getSourceManager().getMainFileID();
       S.EmittedManifest =
           runEmitManifest(S.Loops, Main ? S.CallRows : std::vector<CallRow>{}, S.File, S.RW);
     }},
};

} // namespace

void addPreprocessorRecorders(CompilerInstance &CI, PreprocessorRecords &Records) {
  Preprocessor &PP = CI.getPreprocessor();
  PP.addPPCallbacks(makeMarkerCollector(Records.LoopMarkers));
  PP.addPPCallbacks(makeStateMarkerCollector(Records.StateMarkers));
  PP.addPPCallbacks(makeIncludeRecorder(CI.getSourceManager(), Records.Includes));
  PP.addPPCallbacks(makeMacroRecorder(PP, Records.Macros));
}

PassState::PassState(ASTContext &Ctx, const PassOptions &Options,
                     const PreprocessorRecords &Records, FileFilter Selected)
    : Ctx(Ctx), Options(Options), Records(Records), Selected(std::move(Selected)),
      RW(Ctx.getSourceManager(), Ctx.getLangOpts()) {}

llvm::ArrayRef<PassInfo> passPipeline() { return Pipeline; }

const PassInfo *findPass(llvm::StringRef Id) {
  for (const PassInfo &P : Pipeline)
    if (Id == P.Id) return &P;
  return nullptr;
}

void runPipeline(PassState &S, llvm::StringRef StopAfter) {
  S.File = S.Ctx.getSourceManager().getMainFileID();
  S.Instrumented = 0;
  S.NeedsSerializers = false;
  S.EmittedManifest = false;
  S.TrackedArrays = 0;
  for (const PassInfo &P : Pipeline) {
    P.Run(S);
    if (StopAfter == P.Id) return;
  }
}

void runHeaderTransforms(PassState &S, FileID Header) {
  S.File = Header;
  S.Instrumented = 0;
  S.NeedsSerializers = false;
  S.EmittedManifest = false;
  S.TrackedArrays = 0;
  for (const PassInfo &P : Pipeline)
    if (P.Scope == PassScope::EachFile) P.Run(S);
}

std::string rewrittenText(PassState &S, FileID File) {
  SourceManager &SM = S.Ctx.getSourceManager();
  // The contract header only where a loop was instrumented or a table
  // emitted, and its state half only where some point declares state saved
  // by pl/serialize.h: each costs compile time.
  std::string Head = S.NeedsSerializers ? "#include <pl/abi_state.h>\n"
                     : S.Instrumented || S.EmittedManifest || S.TrackedArrays
                         ? "#include <pl/abi.h>\n"
                         : "";
  S.RW.InsertText(SM.getLocForStartOfFile(File),
                  Head + "#line 1 " + cxxStringLiteral(absolutePath(SM, File)) + "\n", false);
  // The standard containers' serializers, for the headers the file included
  // (pl/abi_state.h): at the end, where all of them are known.
  const bool Main = File == SM.getMainFileID();
  if (S.NeedsSerializers || (Main && !S.Generated.empty()))
    S.RW.InsertTextAfter(SM.getLocForEndOfFile(File),
                         "\n// pl-instrument: serializers of the standard types this file uses.\n"
                         "#include <pl/detail/serialize_std.h>\n");
  return S.RW.getRewrittenText(
      SourceRange(SM.getLocForStartOfFile(File), SM.getLocForEndOfFile(File)));
}

} // namespace pl
