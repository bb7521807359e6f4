// InstrumentAction — runs the passes on one translation unit.
#include "InstrumentAction.h"

#include "EmitManifest.h"
#include "IncludePaths.h"
#include "InstrumentLoops.h"
#include "LoopLabels.h"
#include "ModifiedVars.h"
#include "RewriteSafety.h"
#include "StateMarkers.h"
#include "StateTypes.h"
#include "TripCount.h"
#include "RestoredLater.h"
#include "UncapturedEffects.h"
#include "VisibleVars.h"

#include "clang/AST/ASTConsumer.h"
#include "clang/Frontend/CompilerInstance.h"
#include "clang/Frontend/FrontendAction.h"
#include "clang/Lex/HeaderSearchOptions.h"
#include "clang/Lex/Preprocessor.h"
#include "clang/Rewrite/Core/Rewriter.h"
#include "llvm/Support/FileSystem.h"
#include "llvm/Support/Path.h"

#include <algorithm>
#include <map>

using namespace clang;

namespace pl {
namespace {

template <class Var> std::vector<ListedVar> listed(const std::vector<Var> &Vs) {
  std::vector<ListedVar> Out;
  for (const VisibleVar &V : Vs)
    Out.push_back({V.Name, V.Type});
  return Out;
}

/// The rewritten text of file F, with the contract include and a #line
/// directive pointing back at the original.
std::string rewritten(SourceManager &SM, FileID F, Rewriter &RW, const std::string &Path) {
  RW.InsertText(SM.getLocForStartOfFile(F),
                "#include <pl/abi.h>\n#line 1 " + cxxStringLiteral(Path) + "\n", false);
  return RW.getRewrittenText(SourceRange(SM.getLocForStartOfFile(F), SM.getLocForEndOfFile(F)));
}

class Consumer : public ASTConsumer {
public:
  Consumer(CompilerInstance &CI, TuResult &Result, const InstrumentOptions &Opts,
           std::vector<LoopMarker> &Markers, std::vector<StateMarker> &StateMarkers,
           std::vector<LocalInclude> &Includes)
      : CI(CI), Result(Result), Opts(Opts), Markers(Markers), StateMarkers(StateMarkers),
        Includes(Includes) {}

  void HandleTranslationUnit(ASTContext &Ctx) override {
    if (CI.getDiagnostics().hasErrorOccurred()) return;
    SourceManager &SM = Ctx.getSourceManager();
    FileID Main = SM.getMainFileID();
    std::map<FileID, bool> Chosen;
    auto Selected = [&](FileID F) {
      if (F == Main) return true;
      auto It = Chosen.find(F);
      if (It != Chosen.end()) return It->second;
      bool Pick = false;
      if (!Opts.HeaderGlobs.empty() && F.isValid()) {
        std::string Path = absolutePath(SM, F);
        for (const std::string &G : Opts.HeaderGlobs)
          Pick |= pathGlobMatches(G, Path);
      }
      return Chosen[F] = Pick;
    };

    std::vector<LoopRecord> Loops = runLoopLabels(Ctx, Selected, Markers, Result.Notes);
    runVisibleVars(Ctx, Loops);
    runRewriteSafety(Ctx, Loops, Result.Notes);
    runTripCount(Ctx, Loops);
    runStateMarkers(Ctx, StateMarkers, Loops, Result.Notes);
    runModifiedVars(Ctx, Loops);
    runUncapturedEffects(Ctx, Loops);
    runStateTypes(Ctx, Loops, Result.Notes, Opts.RequireResumable);
    runRestoredLater(Ctx, Loops);

    Rewriter RW(SM, Ctx.getLangOpts());
    Result.Instrumented = runInstrumentLoops(Ctx, Loops, Main, RW, Opts.Versioning);
    runIncludePaths(SM, Includes, Main, RW);
    runEmitManifest(Loops, Main, RW);
    Result.Output = rewritten(SM, Main, RW, Result.MainFile);

    for (auto &[F, Pick] : Chosen) {
      if (!Pick || F == Main) continue;
      HeaderResult H;
      H.Path = absolutePath(SM, F);
      H.IncludeRoot = includeRootOf(H.Path);
      H.Instrumented = runInstrumentLoops(Ctx, Loops, F, RW, Opts.Versioning);
      if (H.Instrumented == 0) continue; // nothing to shadow
      if (H.IncludeRoot.empty()) {
        Result.Notes.push_back({H.Path, 1, 1, "error",
                                "header selected with --headers is not under any -I/-isystem "
                                "directory of this compile, so no shadow copy can take its place"});
        continue;
      }
      runEmitManifest(Loops, F, RW);
      H.Output = rewritten(SM, F, RW, H.Path);
      Result.Headers.push_back(std::move(H));
    }
    for (const LoopRecord &R : Loops) {
      ListedLoop L;
      L.FullName = R.FullName;
      L.Function = R.Function;
      L.Label = R.Label;
      L.File = R.File;
      L.Line = R.Line;
      L.Column = R.Column;
      L.Kind = loopKindName(R.Kind);
      L.Parent = R.Parent >= 0 ? Loops[R.Parent].FullName : "";
      L.LabelSource = labelSourceName(R.Source);
      L.Instrumented = R.Instrumentable;
      L.SkipReason = R.SkipReason;
      L.Counted = R.TripExpr != "-1";
      L.EnterVars = listed(R.EnterVars);
      L.BeginVars = listed(R.BeginVars);
      L.EndVars = listed(R.EndVars);
      L.State = listed(R.State);
      L.Unsaveable = R.Unsaveable;
      for (const StateVar &S : R.State) {
        if (S.Saveable == Saving::No) L.UnsaveableWhy.push_back(S.Why);
        if (S.Saveable == Saving::AtInstantiation || S.Saveable == Saving::AssertAtInstantiation)
          L.AtInstantiation.push_back(S.Name + ": " + S.Type);
      }
      L.Uncaptured = R.Uncaptured;
      L.RestoredBy = R.RestoredBy;
      Result.Loops.push_back(std::move(L));
    }
    for (auto It = SM.fileinfo_begin(); It != SM.fileinfo_end(); ++It)
      Result.Dependencies.push_back(absolutePath(SM, SM.translateFile(It->first)));
    Result.Parsed = true;
  }

private:
  /// The longest header search directory that contains `Path`.
  std::string includeRootOf(const std::string &Path) const {
    std::string Best;
    for (const auto &E : CI.getHeaderSearchOpts().UserEntries) {
      llvm::SmallString<256> Dir(E.Path);
      llvm::sys::fs::make_absolute(Dir);
      llvm::sys::path::remove_dots(Dir, true);
      llvm::StringRef D(Dir);
      if (Path.size() > D.size() && llvm::StringRef(Path).starts_with(D) && Path[D.size()] == '/' &&
          D.size() > Best.size())
        Best = std::string(D);
    }
    return Best;
  }

  CompilerInstance &CI;
  TuResult &Result;
  const InstrumentOptions &Opts;
  std::vector<LoopMarker> &Markers;
  std::vector<StateMarker> &StateMarkers;
  std::vector<LocalInclude> &Includes;
};

} // namespace

void addPreprocessorRecorders(CompilerInstance &CI, std::vector<LoopMarker> &Markers,
                              std::vector<StateMarker> &StateMarkers,
                              std::vector<LocalInclude> &Includes) {
  Preprocessor &PP = CI.getPreprocessor();
  PP.addPPCallbacks(makeMarkerCollector(Markers));
  PP.addPPCallbacks(makeStateMarkerCollector(StateMarkers));
  PP.addPPCallbacks(makeIncludeRecorder(CI.getSourceManager(), Includes));
}

namespace {

class Action : public ASTFrontendAction {
public:
  Action(std::vector<TuResult> &Results, const InstrumentOptions &Opts)
      : Results(Results), Opts(Opts) {}

  bool BeginSourceFileAction(CompilerInstance &CI) override {
    if (!CI.getLangOpts().CPlusPlus) {
      CI.getDiagnostics().Report(CI.getDiagnostics().getCustomDiagID(
          DiagnosticsEngine::Error,
          "pl-instrument handles C++ only; compile this file as C++ (-x c++)"));
      return false;
    }
    addPreprocessorRecorders(CI, Markers, StateMarkers, Includes);
    return true;
  }

  std::unique_ptr<ASTConsumer> CreateASTConsumer(CompilerInstance &CI, StringRef) override {
    Results.emplace_back();
    TuResult &R = Results.back();
    R.MainFile = absolutePath(CI.getSourceManager(), CI.getSourceManager().getMainFileID());
    return std::make_unique<Consumer>(CI, R, Opts, Markers, StateMarkers, Includes);
  }

private:
  std::vector<TuResult> &Results;
  const InstrumentOptions &Opts;
  std::vector<LoopMarker> Markers;
  std::vector<StateMarker> StateMarkers;
  std::vector<LocalInclude> Includes;
};

class Factory : public tooling::FrontendActionFactory {
public:
  Factory(std::vector<TuResult> &Results, const InstrumentOptions &Opts)
      : Results(Results), Opts(Opts) {}
  std::unique_ptr<FrontendAction> create() override {
    return std::make_unique<Action>(Results, Opts);
  }

private:
  std::vector<TuResult> &Results;
  InstrumentOptions Opts;
};

} // namespace

bool pathGlobMatches(llvm::StringRef G, llvm::StringRef P) {
  if (G.empty()) return P.empty();
  if (G.starts_with("**")) {
    for (size_t I = 0; I <= P.size(); ++I)
      if (pathGlobMatches(G.drop_front(2), P.drop_front(I))) return true;
    return false;
  }
  if (G.front() == '*') {
    for (size_t I = 0; I <= P.size(); ++I) {
      if (pathGlobMatches(G.drop_front(), P.drop_front(I))) return true;
      if (I < P.size() && P[I] == '/') return false;
    }
    return false;
  }
  if (P.empty() || (G.front() == '?' ? P.front() == '/' : G.front() != P.front())) return false;
  return pathGlobMatches(G.drop_front(), P.drop_front());
}

std::unique_ptr<tooling::FrontendActionFactory>
makeInstrumentActionFactory(std::vector<TuResult> &Results, const InstrumentOptions &Opts) {
  return std::make_unique<Factory>(Results, Opts);
}

} // namespace pl
