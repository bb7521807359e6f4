// run_pass.cpp — run pl-instrument's pass pipeline on an in-memory file.
#include "run_pass.h"

#include <gmock/gmock.h>

#include "InstrumentAction.h"
#include "Pipeline.h"

#include "clang/AST/ASTConsumer.h"
#include "clang/Frontend/CompilerInstance.h"
#include "clang/Frontend/FrontendActions.h"
#include "clang/Tooling/Tooling.h"
#include "llvm/Support/FileSystem.h"
#include "llvm/Support/VirtualFileSystem.h"

#include <gtest/gtest.h>

#include <fstream>

using namespace clang;

namespace pl::test {
namespace {

/// Keeps the errors ("line:col: message", physical lines of the parsed
/// text) and drops everything else, so a test's output stays quiet.
class ErrorCollector : public DiagnosticConsumer {
public:
  explicit ErrorCollector(std::vector<std::string> &Out) : Out(Out) {}

  void HandleDiagnostic(DiagnosticsEngine::Level Level, const Diagnostic &Info) override {
    DiagnosticConsumer::HandleDiagnostic(Level, Info);
    if (Level < DiagnosticsEngine::Error) return;
    llvm::SmallString<256> Message;
    Info.FormatDiagnostic(Message);
    std::string Where;
    if (Info.hasSourceManager() && Info.getLocation().isValid()) {
      const SourceManager &SM = Info.getSourceManager();
      PresumedLoc P = SM.getPresumedLoc(SM.getFileLoc(Info.getLocation()), false);
      if (P.isValid())
        Where = std::to_string(P.getLine()) + ":" + std::to_string(P.getColumn()) + ": ";
    }
    Out.push_back(Where + std::string(Message));
  }

private:
  std::vector<std::string> &Out;
};

/// Runs `Action` on `Code`, mapped in memory at `FileName` over the real
/// file system (so headers beside a real directory are found).
void runOnCode(std::unique_ptr<FrontendAction> Action, const std::string &Code,
               const std::vector<std::string> &ExtraArgs, const std::string &FileName,
               std::vector<std::string> &Errors) {
  auto Overlay =
      llvm::makeIntrusiveRefCnt<llvm::vfs::OverlayFileSystem>(llvm::vfs::getRealFileSystem());
  auto Memory = llvm::makeIntrusiveRefCnt<llvm::vfs::InMemoryFileSystem>();
  Overlay->pushOverlay(Memory);
  Memory->addFile(FileName, 0, llvm::MemoryBuffer::getMemBufferCopy(Code, FileName));
  auto Files = llvm::makeIntrusiveRefCnt<FileManager>(FileSystemOptions(), Overlay);

  // No carets: also keeps clang from printing "N errors generated".
  std::vector<std::string> Args = {"pl-passes-test", "-fsyntax-only", "-std=c++20",
                                   "-fno-caret-diagnostics",
                                   "-resource-dir=" PL_CLANG_RESOURCE_DIR};
  Args.insert(Args.end(), ExtraArgs.begin(), ExtraArgs.end());
  Args.push_back(FileName);
  tooling::ToolInvocation Invocation(std::move(Args), std::move(Action), Files.get());
  ErrorCollector Diags(Errors);
  Invocation.setDiagnosticConsumer(&Diags);
  if (!Invocation.run() && Errors.empty()) Errors.push_back("the tool failed to run");
}

std::vector<Var> copied(const std::vector<VisibleVar> &Vs) {
  std::vector<Var> Out;
  for (const VisibleVar &V : Vs)
    Out.push_back({V.Name, V.Type});
  return Out;
}

Loop copied(const LoopRecord &R, const std::vector<LoopRecord> &All, const SourceManager &SM) {
  Loop L;
  L.FullName = R.FullName;
  L.Function = R.Function;
  L.Label = R.Label;
  L.Source = labelSourceName(R.Source);
  L.Kind = loopKindName(R.Kind);
  L.Parent = R.Parent >= 0 ? All[R.Parent].FullName : "";
  L.Line = R.Line;
  L.Column = R.Column;
  L.Instrumentable = R.Instrumentable;
  L.SkipReason = R.SkipReason;
  L.EnterVars = copied(R.EnterVars);
  L.BeginVars = copied(R.BeginVars);
  L.EndVars = copied(R.EndVars);
  for (const ContinuePoint &C : R.Continues)
    L.Continues.push_back(
        {SM.getSpellingLineNumber(SM.getFileLoc(C.Stmt->getBeginLoc())), copied(C.Vars)});
  L.TripExpr = R.TripExpr;
  for (const StateVar &S : R.State) {
    L.State.push_back(S.Name);
    L.StateVars.push_back({S.Name, S.Type});
    if (S.Saveable == Saving::Yes) L.Saved.push_back(S.Name);
    if (S.Saveable == Saving::Array) L.Arrays.push_back(S.Name);
    if (S.Saveable == Saving::AtInstantiation || S.Saveable == Saving::AssertAtInstantiation)
      L.AtInstantiation.push_back(S.Name);
  }
  L.Unsaveable = R.Unsaveable;
  L.Uncaptured = R.Uncaptured;
  L.RestoredBy = R.RestoredBy;
  for (const clang::ValueDecl *D : R.WrittenThrough)
    L.WrittenThrough.push_back(D->getNameAsString());
  L.ArrayWrites = R.ArrayWrites;
  L.CodeHash = R.CodeHash;
  L.FunctionKey = R.FunctionKey;
  L.Calls = R.Calls;
  return L;
}

/// Runs the pipeline as the driver does, stopping after pass `UpTo`, and
/// copies out what the passes found before the AST goes.
class PipelineConsumer : public ASTConsumer {
public:
  PipelineConsumer(CompilerInstance &CI, const PassInfo &UpTo, const PassOptions &Options,
                   const PreprocessorRecords &Records, PassRun &Run)
      : CI(CI), UpTo(UpTo), Options(Options), Records(Records), Run(Run) {}

  void HandleTranslationUnit(ASTContext &Ctx) override {
    if (CI.getDiagnostics().hasErrorOccurred()) return;
    SourceManager &SM = Ctx.getSourceManager();
    FileID Main = SM.getMainFileID();
    PassState S(Ctx, Options, Records, [Main](FileID F) { return F == Main; });
    runPipeline(S, UpTo.Id);
    if (UpTo.Scope != PassScope::TranslationUnit) Run.Output = rewrittenText(S, Main);
    for (const LoopRecord &R : S.Loops)
      Run.Loops.push_back(copied(R, S.Loops, SM));
    for (const ToolNote &N : S.Notes)
      Run.Notes.push_back({N.File, N.Line, N.Column, N.Kind, N.Message});
    for (const pl::CallRow &C : S.CallRows)
      Run.CallRows.push_back({C.Key, C.Calls, C.Hidden, C.CodeHash});
  }

private:
  CompilerInstance &CI;
  const PassInfo &UpTo;
  const PassOptions &Options;
  const PreprocessorRecords &Records;
  PassRun &Run;
};

class PipelineAction : public ASTFrontendAction {
public:
  PipelineAction(const PassInfo &UpTo, const PassOptions &Options, PassRun &Run)
      : UpTo(UpTo), Options(Options), Run(Run) {}

  bool BeginSourceFileAction(CompilerInstance &CI) override {
    addPreprocessorRecorders(CI, Records);
    return true;
  }

  std::unique_ptr<ASTConsumer> CreateASTConsumer(CompilerInstance &CI, StringRef) override {
    return std::make_unique<PipelineConsumer>(CI, UpTo, Options, Records, Run);
  }

private:
  const PassInfo &UpTo;
  const PassOptions &Options;
  PassRun &Run;
  PreprocessorRecords Records;
};

} // namespace

const Loop *PassRun::loop(std::string_view FullName) const {
  for (const Loop &L : Loops)
    if (L.FullName == FullName) return &L;
  return nullptr;
}

std::vector<std::string> PassRun::notes(std::string_view Kind) const {
  std::vector<std::string> Out;
  for (const Note &N : Notes)
    if (N.Kind == Kind)
      Out.push_back(std::to_string(N.Line) + ":" + std::to_string(N.Column) + ": " + N.Message);
  return Out;
}

const CallRow *PassRun::row(std::string_view Key) const {
  for (const CallRow &R : CallRows)
    if (R.Key == Key) return &R;
  return nullptr;
}

std::vector<std::string> PassRun::fullNames() const {
  std::vector<std::string> Out;
  for (const Loop &L : Loops)
    Out.push_back(L.FullName);
  return Out;
}

PassRun runPassOnCode(std::string_view UpTo, const std::string &Code,
                      const std::vector<std::string> &ExtraArgs, const std::string &FileName,
                      const PassOptions &Options) {
  PassRun Run;
  const PassInfo *Pass = findPass(llvm::StringRef(UpTo.data(), UpTo.size()));
  if (!Pass) {
    std::string Ids;
    for (const PassInfo &P : passPipeline())
      Ids += std::string(" ") + P.Id;
    ADD_FAILURE() << "no pass '" << UpTo << "' in the pipeline; its passes are:" << Ids;
    return Run;
  }
  runOnCode(std::make_unique<PipelineAction>(*Pass, Options, Run), Code, ExtraArgs, FileName,
            Run.Errors);
  // Every test input is valid C++: the passes only run on code that parses.
  for (const std::string &E : Run.Errors)
    ADD_FAILURE() << "the test input does not compile: " << E;
  return Run;
}

namespace {

std::vector<TuResult> runDriver(const std::string &Code, const std::vector<std::string> &ExtraArgs,
                                const std::string &FileName, const PassOptions &Opts) {
  std::vector<TuResult> Results;
  std::vector<std::string> Errors;
  runOnCode(makeInstrumentActionFactory(Results, Opts)->create(), Code, ExtraArgs, FileName,
            Errors);
  for (const std::string &E : Errors)
    ADD_FAILURE() << "the test input does not compile: " << E;
  return Results;
}

} // namespace

std::string instrumentWithDriver(const std::string &Code, const std::vector<std::string> &ExtraArgs,
                                 const std::string &FileName, const PassOptions &Options) {
  std::vector<TuResult> Results = runDriver(Code, ExtraArgs, FileName, Options);
  return Results.empty() ? std::string() : Results.front().Output;
}

std::vector<Note> driverNotes(const std::string &Code, const PassOptions &Options) {
  std::vector<Note> Out;
  for (const TuResult &TU : runDriver(Code, {}, kInputFile, Options))
    for (const ToolNote &N : TU.Notes)
      Out.push_back({N.File, N.Line, N.Column, N.Kind, N.Message});
  return Out;
}

void expectOutputCompiles(const std::string &Code, const std::vector<std::string> &Args) {
  PassRun R = runPassOnCode("emit-manifest", Code, Args);
  ASSERT_THAT(compileErrors(Code, Args), ::testing::IsEmpty())
      << "the input itself does not compile";
  std::vector<std::string> Errors = compileErrors(R.Output, Args, "/pl-test/output.cc");
  EXPECT_THAT(Errors, ::testing::IsEmpty()) << R.Output;
}

std::vector<std::string> compileErrors(const std::string &Code,
                                       const std::vector<std::string> &ExtraArgs,
                                       const std::string &FileName) {
  std::vector<std::string> Args = {"-I" PL_RUNTIME_INCLUDE_DIR};
  Args.insert(Args.end(), ExtraArgs.begin(), ExtraArgs.end());
  std::vector<std::string> Errors;
  runOnCode(std::make_unique<SyntaxOnlyAction>(), Code, Args, FileName, Errors);
  return Errors;
}

std::vector<std::string> names(const std::vector<Var> &Vars) {
  std::vector<std::string> Out;
  for (const Var &V : Vars)
    Out.push_back(V.Name);
  return Out;
}

std::size_t countOf(std::string_view Text, std::string_view Needle) {
  std::size_t N = 0;
  for (std::size_t At = Text.find(Needle); At != std::string_view::npos;
       At = Text.find(Needle, At + Needle.size()))
    ++N;
  return N;
}

TempDir::TempDir() {
  llvm::SmallString<128> Dir;
  if (std::error_code EC = llvm::sys::fs::createUniqueDirectory("pl-passes-test", Dir))
    ADD_FAILURE() << "cannot create a temporary directory: " << EC.message();
  Root = std::string(Dir);
}

TempDir::~TempDir() {
  std::error_code EC;
  std::filesystem::remove_all(Root, EC);
}

std::string TempDir::write(const std::string &Relative, const std::string &Text) const {
  std::filesystem::path P = Root / Relative;
  std::filesystem::create_directories(P.parent_path());
  std::ofstream(P) << Text;
  return P.string();
}

std::string TempDir::path(const std::string &Relative) const {
  return Relative.empty() ? Root.string() : (Root / Relative).string();
}

} // namespace pl::test
