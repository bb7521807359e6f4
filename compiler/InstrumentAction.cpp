// InstrumentAction — runs the pass pipeline on one translation unit.
#include "InstrumentAction.h"

#include "Pipeline.h"
#include "utils/PassUtils.h"

#include "clang/AST/ASTConsumer.h"
#include "clang/Frontend/CompilerInstance.h"
#include "clang/Frontend/FrontendAction.h"
#include "clang/Lex/HeaderSearchOptions.h"
#include "llvm/ADT/STLExtras.h"
#include "llvm/Support/FileSystem.h"
#include "llvm/Support/Path.h"

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

/// Loop `R` as the manifest lists it (AST pointers do not outlive the TU).
ListedLoop listedLoop(const LoopRecord &R, const std::vector<LoopRecord> &Loops) {
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
  // One explanation per reason: a state variable's, or none (the reasons
  // of pass pointee-effects explain themselves).
  for (const std::string &U : R.Unsaveable) {
    auto It = llvm::find_if(R.State, [&](const StateVar &S) {
      return S.Saveable == Saving::No && S.Name + ": " + S.Type == U;
    });
    L.UnsaveableWhy.push_back(It == R.State.end() ? "" : It->Why);
  }
  for (const StateVar &S : R.State)
    if (!S.How.empty()) L.SavedAs.push_back({S.Name, S.How});
  for (const StateVar &S : R.State)
    if (S.Saveable == Saving::AtInstantiation || S.Saveable == Saving::AssertAtInstantiation)
      L.AtInstantiation.push_back(S.Name + ": " + S.Type);
  L.Uncaptured = R.Uncaptured;
  L.RestoredBy = R.RestoredBy;
  return L;
}

/// Which files' loops are instrumented: the main file, and the headers
/// whose absolute path matches one of Opts.HeaderGlobs. Remembers each
/// answer, so the driver can later rewrite exactly the files it chose.
class FileSelection {
public:
  FileSelection(const SourceManager &SM, const PassOptions &Opts) : SM(SM), Opts(Opts) {}

  bool operator()(FileID F) {
    if (F == SM.getMainFileID()) return true;
    auto It = Chosen.find(F);
    if (It != Chosen.end()) return It->second;
    bool Pick = false;
    if (!Opts.HeaderGlobs.empty() && F.isValid()) {
      std::string Path = absolutePath(SM, F);
      for (const std::string &G : Opts.HeaderGlobs)
        Pick |= pathGlobMatches(G, Path);
    }
    return Chosen[F] = Pick;
  }

  /// The headers chosen so far.
  std::vector<FileID> headers() const {
    std::vector<FileID> Out;
    for (auto &[F, Pick] : Chosen)
      if (Pick && F != SM.getMainFileID()) Out.push_back(F);
    return Out;
  }

private:
  const SourceManager &SM;
  const PassOptions &Opts;
  std::map<FileID, bool> Chosen;
};

class Consumer : public ASTConsumer {
public:
  Consumer(CompilerInstance &CI, TuResult &Result, const PassOptions &Opts,
           const PreprocessorRecords &Records)
      : CI(CI), Result(Result), Opts(Opts), Records(Records) {}

  void HandleTranslationUnit(ASTContext &Ctx) override {
    if (CI.getDiagnostics().hasErrorOccurred()) return;
    SourceManager &SM = Ctx.getSourceManager();
    FileSelection Selection(SM, Opts);
    PassState S(Ctx, Opts, Records, [&Selection](FileID F) { return Selection(F); });
    runPipeline(S);
    Result.Instrumented = S.Instrumented;
    Result.Output = rewrittenText(S, SM.getMainFileID());
    for (FileID F : Selection.headers())
      instrumentHeader(S, F);
    Result.Notes = std::move(S.Notes);
    for (const LoopRecord &R : S.Loops)
      Result.Loops.push_back(listedLoop(R, S.Loops));
    for (auto It = SM.fileinfo_begin(); It != SM.fileinfo_end(); ++It)
      Result.Dependencies.push_back(absolutePath(SM, SM.translateFile(It->first)));
    Result.Parsed = true;
  }

private:
  /// Runs the transforms on header `F` and keeps its text for the shadow
  /// tree, if it has instrumented loops.
  void instrumentHeader(PassState &S, FileID F) {
    HeaderResult H;
    H.Path = absolutePath(S.Ctx.getSourceManager(), F);
    H.IncludeRoot = includeRootOf(H.Path);
    runHeaderTransforms(S, F);
    H.Instrumented = S.Instrumented;
    if (H.Instrumented == 0) return; // nothing to shadow
    if (H.IncludeRoot.empty()) {
      S.Notes.push_back({H.Path, 1, 1, "error",
                         "header selected with --headers is not under any -I/-isystem "
                         "directory of this compile, so no shadow copy can take its place"});
      return;
    }
    H.Output = rewrittenText(S, F);
    Result.Headers.push_back(std::move(H));
  }

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
  const PassOptions &Opts;
  const PreprocessorRecords &Records;
};

class Action : public ASTFrontendAction {
public:
  Action(std::vector<TuResult> &Results, const PassOptions &Opts) : Results(Results), Opts(Opts) {}

  bool BeginSourceFileAction(CompilerInstance &CI) override {
    if (!CI.getLangOpts().CPlusPlus) {
      CI.getDiagnostics().Report(CI.getDiagnostics().getCustomDiagID(
          DiagnosticsEngine::Error,
          "pl-instrument handles C++ only; compile this file as C++ (-x c++)"));
      return false;
    }
    addPreprocessorRecorders(CI, Records);
    return true;
  }

  std::unique_ptr<ASTConsumer> CreateASTConsumer(CompilerInstance &CI, StringRef) override {
    Results.emplace_back();
    TuResult &R = Results.back();
    R.MainFile = absolutePath(CI.getSourceManager(), CI.getSourceManager().getMainFileID());
    return std::make_unique<Consumer>(CI, R, Opts, Records);
  }

private:
  std::vector<TuResult> &Results;
  const PassOptions &Opts;
  PreprocessorRecords Records;
};

class Factory : public tooling::FrontendActionFactory {
public:
  Factory(std::vector<TuResult> &Results, const PassOptions &Opts) : Results(Results), Opts(Opts) {}
  std::unique_ptr<FrontendAction> create() override {
    return std::make_unique<Action>(Results, Opts);
  }

private:
  std::vector<TuResult> &Results;
  PassOptions Opts;
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
makeInstrumentActionFactory(std::vector<TuResult> &Results, const PassOptions &Opts) {
  return std::make_unique<Factory>(Results, Opts);
}

} // namespace pl
