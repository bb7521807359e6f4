// InstrumentAction — runs the passes on one translation unit.
#include "InstrumentAction.h"

#include "EmitManifest.h"
#include "IncludePaths.h"
#include "InstrumentLoops.h"
#include "LoopLabels.h"
#include "ModifiedVars.h"
#include "RewriteSafety.h"
#include "TripCount.h"
#include "VisibleVars.h"

#include "clang/AST/ASTConsumer.h"
#include "clang/Frontend/CompilerInstance.h"
#include "clang/Frontend/FrontendAction.h"
#include "clang/Lex/Preprocessor.h"
#include "clang/Rewrite/Core/Rewriter.h"

using namespace clang;

namespace pl {
namespace {

std::vector<ListedVar> listed(const std::vector<VisibleVar> &Vs) {
  std::vector<ListedVar> Out;
  for (const VisibleVar &V : Vs) Out.push_back({V.Name, V.Type});
  return Out;
}

const char *labelSourceName(LabelSource S) {
  switch (S) {
  case LabelSource::Automatic: return "automatic";
  case LabelSource::CxxLabel: return "label";
  case LabelSource::Marker: return "PL_LOOP";
  }
  return "?";
}

class Consumer : public ASTConsumer {
public:
  Consumer(CompilerInstance &CI, TuResult &Result, const InstrumentOptions &Opts,
           std::vector<LoopMarker> &Markers, std::vector<LocalInclude> &Includes)
      : CI(CI), Result(Result), Opts(Opts), Markers(Markers), Includes(Includes) {}

  void HandleTranslationUnit(ASTContext &Ctx) override {
    if (CI.getDiagnostics().hasErrorOccurred()) return;
    SourceManager &SM = Ctx.getSourceManager();
    FileID Main = SM.getMainFileID();
    auto Selected = [Main](FileID F) { return F == Main; };

    std::vector<LoopRecord> Loops = runLoopLabels(Ctx, Selected, Markers, Result.Notes);
    runVisibleVars(Ctx, Loops);
    runRewriteSafety(Ctx, Loops, Result.Notes);
    runTripCount(Ctx, Loops);
    runModifiedVars(Ctx, Loops);

    Rewriter RW(SM, Ctx.getLangOpts());
    Result.Instrumented = runInstrumentLoops(Ctx, Loops, Main, RW);
    runIncludePaths(SM, Includes, Main, RW);
    runEmitManifest(Loops, Main, RW);
    RW.InsertText(SM.getLocForStartOfFile(Main),
                  "#include <" + Opts.AbiHeader + ">\n#line 1 " +
                      cxxStringLiteral(Result.MainFile) + "\n",
                  false);
    Result.Output = RW.getRewrittenText(SourceRange(SM.getLocForStartOfFile(Main),
                                                    SM.getLocForEndOfFile(Main)));

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
      L.State = R.State;
      Result.Loops.push_back(std::move(L));
    }
    for (auto It = SM.fileinfo_begin(); It != SM.fileinfo_end(); ++It)
      Result.Dependencies.push_back(absolutePath(SM, SM.translateFile(It->first)));
    Result.Parsed = true;
  }

private:
  CompilerInstance &CI;
  TuResult &Result;
  const InstrumentOptions &Opts;
  std::vector<LoopMarker> &Markers;
  std::vector<LocalInclude> &Includes;
};

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
    Preprocessor &PP = CI.getPreprocessor();
    PP.addPPCallbacks(makeMarkerCollector(Markers));
    PP.addPPCallbacks(makeIncludeRecorder(CI.getSourceManager(), Includes));
    return true;
  }

  std::unique_ptr<ASTConsumer> CreateASTConsumer(CompilerInstance &CI, StringRef) override {
    Results.emplace_back();
    TuResult &R = Results.back();
    R.MainFile = absolutePath(CI.getSourceManager(), CI.getSourceManager().getMainFileID());
    return std::make_unique<Consumer>(CI, R, Opts, Markers, Includes);
  }

private:
  std::vector<TuResult> &Results;
  const InstrumentOptions &Opts;
  std::vector<LoopMarker> Markers;
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

std::unique_ptr<tooling::FrontendActionFactory>
makeInstrumentActionFactory(std::vector<TuResult> &Results, const InstrumentOptions &Opts) {
  return std::make_unique<Factory>(Results, Opts);
}

} // namespace pl
