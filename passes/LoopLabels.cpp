//===- LoopLabels.cpp - Find, name and nest every loop --------------------===//
#include "LoopLabels.h"
#include "utils/PassUtils.h"

#include "clang/AST/ASTLambda.h"
#include "clang/AST/RecursiveASTVisitor.h"
#include "clang/Basic/SourceManager.h"
#include "clang/Lex/MacroArgs.h"
#include "clang/Lex/Token.h"

#include <algorithm>
#include <map>
#include <set>

using namespace clang;

namespace pl {

namespace {

class MarkerCollector : public PPCallbacks {
public:
  explicit MarkerCollector(std::vector<LoopMarker> &Out) : Out(Out) {}
  void MacroExpands(const Token &Name, const MacroDefinition &, SourceRange Range,
                    const MacroArgs *Args) override {
    const IdentifierInfo *II = Name.getIdentifierInfo();
    if (!II || II->getName() != "PL_LOOP" || !Args || Args->getNumMacroArguments() != 1) return;
    const Token *Arg = Args->getUnexpArgument(0);
    if (!Arg || Arg->is(tok::eof) || !Arg->getIdentifierInfo()) return;
    Out.push_back({Range.getBegin(), Arg->getIdentifierInfo()->getName().str()});
  }

private:
  std::vector<LoopMarker> &Out;
};

/// One function-like body: a function, a method or a lambda.
struct Context {
  const Decl *D;
  const Stmt *Body;
  std::string Name;
  unsigned Loops = 0, Lambdas = 0;
  std::vector<int> LoopStack;
};

class Finder : public RecursiveASTVisitor<Finder> {
public:
  Finder(ASTContext &Ctx, const FileFilter &Selected)
      : Ctx(Ctx), SM(Ctx.getSourceManager()), Selected(Selected) {}

  std::vector<LoopRecord> Loops;
  std::map<const Stmt *, std::string> Labels;    // loop -> C++ label
  std::map<const Stmt *, const Stmt *> Wrappers; // loop -> AttributedStmt

  bool shouldVisitTemplateInstantiations() const { return false; }

  bool TraverseDecl(Decl *D) {
    if (!D) return true;
    // Containers are entered wherever they are; CapturedDecl (the body of
    // an OpenMP region under -fopenmp) has no location of its own.
    if (!isa<TranslationUnitDecl, NamespaceDecl, LinkageSpecDecl, ExportDecl, CapturedDecl>(D)) {
      SourceLocation L = SM.getExpansionLoc(D->getLocation());
      if (L.isInvalid() || !Selected(SM.getFileID(L))) return true;
    }
    if (auto *FD = dyn_cast<FunctionDecl>(D);
        FD && FD->doesThisDeclarationHaveABody() && !isLambdaCallOperator(FD)) {
      if (FD->isTemplateInstantiation())
        return true; // explicit instantiation: its pattern is visited instead
      Contexts.push_back({FD, FD->getBody(), qualifiedName(FD, Ctx), 0, 0, {}});
      bool R = RecursiveASTVisitor::TraverseDecl(D);
      Contexts.pop_back();
      return R;
    }
    return RecursiveASTVisitor::TraverseDecl(D);
  }

  bool TraverseLambdaExpr(LambdaExpr *LE) {
    std::string Name = Contexts.empty() ? "lambda" + std::to_string(TopLambdas++)
                                        : Contexts.back().Name + "/lambda" +
                                              std::to_string(Contexts.back().Lambdas++);
    Contexts.push_back({LE->getCallOperator(), LE->getBody(), Name, 0, 0, {}});
    bool R = RecursiveASTVisitor::TraverseLambdaExpr(LE);
    Contexts.pop_back();
    return R;
  }

  bool TraverseLabelStmt(LabelStmt *LS) {
    const Stmt *Sub = LS->getSubStmt();
    if (auto *AS = dyn_cast<AttributedStmt>(Sub)) Sub = AS->getSubStmt();
    if (isa<ForStmt, CXXForRangeStmt, WhileStmt, DoStmt>(Sub)) Labels[Sub] = LS->getName();
    return RecursiveASTVisitor::TraverseLabelStmt(LS);
  }

  bool TraverseAttributedStmt(AttributedStmt *AS) {
    if (isa<ForStmt, CXXForRangeStmt, WhileStmt, DoStmt>(AS->getSubStmt()))
      Wrappers[AS->getSubStmt()] = AS;
    return RecursiveASTVisitor::TraverseAttributedStmt(AS);
  }

#define PL_LOOP_TRAVERSE(CLASS, KIND)                                                              \
  bool Traverse##CLASS(CLASS *S, DataRecursionQueue * = nullptr) {                                 \
    bool Pushed = enter(S, KIND);                                                                  \
    bool R = RecursiveASTVisitor::Traverse##CLASS(S);                                              \
    if (Pushed) Contexts.back().LoopStack.pop_back();                                              \
    return R;                                                                                      \
  }
  PL_LOOP_TRAVERSE(ForStmt, LoopKind::For)
  PL_LOOP_TRAVERSE(CXXForRangeStmt, LoopKind::RangeFor)
  PL_LOOP_TRAVERSE(WhileStmt, LoopKind::While)
  PL_LOOP_TRAVERSE(DoStmt, LoopKind::DoWhile)
#undef PL_LOOP_TRAVERSE

  bool VisitContinueStmt(ContinueStmt *S) {
    if (!Contexts.empty() && !Contexts.back().LoopStack.empty())
      Loops[Contexts.back().LoopStack.back()].Continues.push_back({S, {}});
    return true;
  }

private:
  bool enter(Stmt *S, LoopKind Kind) {
    if (Contexts.empty() || !Seen.insert(S->getBeginLoc()).second) return false;
    Context &C = Contexts.back();
    LoopRecord R;
    R.Loop = S;
    auto W = Wrappers.find(S);
    R.Outer = W != Wrappers.end() ? W->second : S;
    R.Context = C.D;
    R.ContextBody = C.Body;
    R.Kind = Kind;
    R.Function = C.Name;
    R.Parent = C.LoopStack.empty() ? -1 : C.LoopStack.back();
    auto L = Labels.find(S);
    if (L != Labels.end()) {
      R.Label = L->second;
      R.Source = LabelSource::CxxLabel;
    } else {
      R.Label = "loop" + std::to_string(C.Loops);
    }
    ++C.Loops;
    SourceLocation Loc = SM.getFileLoc(S->getBeginLoc());
    R.File = absolutePath(SM, SM.getFileID(Loc));
    R.Line = SM.getSpellingLineNumber(Loc);
    R.Column = SM.getSpellingColumnNumber(Loc);
    C.LoopStack.push_back(int(Loops.size()));
    Loops.push_back(std::move(R));
    return true;
  }

  ASTContext &Ctx;
  const SourceManager &SM;
  const FileFilter &Selected;
  std::vector<Context> Contexts;
  std::set<SourceLocation> Seen;
  unsigned TopLambdas = 0;
};

/// Applies each PL_LOOP marker to the first loop starting after it in the
/// same function body.
void applyMarkers(const SourceManager &SM, const std::vector<LoopMarker> &Markers,
                  std::vector<LoopRecord> &Loops, std::vector<ToolNote> &Notes) {
  for (const LoopMarker &M : Markers) {
    SourceLocation ML = SM.getFileLoc(M.Loc);
    LoopRecord *Best = nullptr;
    for (LoopRecord &R : Loops) {
      // The loop keyword, not R.Outer: a loop-hint pragma before the marker
      // starts the AttributedStmt (`#pragma GCC unroll 4` / `PL_LOOP(x) for`).
      SourceLocation RL = SM.getFileLoc(R.Loop->getBeginLoc());
      SourceRange Body = R.ContextBody->getSourceRange();
      if (SM.getFileID(RL) != SM.getFileID(ML) || !SM.isBeforeInTranslationUnit(ML, RL)) continue;
      if (!SM.isBeforeInTranslationUnit(SM.getFileLoc(Body.getBegin()), ML) ||
          !SM.isBeforeInTranslationUnit(ML, SM.getFileLoc(Body.getEnd())))
        continue;
      if (!Best || SM.isBeforeInTranslationUnit(RL, SM.getFileLoc(Best->Loop->getBeginLoc())))
        Best = &R;
    }
    if (!Best) {
      Notes.push_back(makeNote(SM, ML, "warning",
                               "PL_LOOP(" + M.Name +
                                   ") is not followed by a loop in the same "
                                   "function; it names nothing (place it right before a loop)"));
      continue;
    }
    if (Best->Source == LabelSource::CxxLabel && Best->Label != M.Name)
      Notes.push_back(makeNote(SM, ML, "warning",
                               "PL_LOOP(" + M.Name + ") overrides the C++ label '" + Best->Label +
                                   "' on the same loop"));
    Best->Label = M.Name;
    Best->Source = LabelSource::Marker;
  }
}

} // namespace

std::unique_ptr<PPCallbacks> makeMarkerCollector(std::vector<LoopMarker> &Out) {
  return std::make_unique<MarkerCollector>(Out);
}

std::vector<LoopRecord> runLoopLabels(ASTContext &Ctx, const FileFilter &Selected,
                                      const std::vector<LoopMarker> &Markers,
                                      std::vector<ToolNote> &Notes) {
  Finder F(Ctx, Selected);
  F.TraverseDecl(Ctx.getTranslationUnitDecl());
  std::vector<LoopRecord> Loops = std::move(F.Loops);
  applyMarkers(Ctx.getSourceManager(), Markers, Loops, Notes);
  std::map<std::string, const LoopRecord *> ByName;
  for (LoopRecord &R : Loops) {
    R.FullName = (R.Parent >= 0 ? Loops[R.Parent].FullName : R.Function) + "/" + R.Label;
    auto [It, Fresh] = ByName.emplace(R.FullName, &R);
    if (!Fresh && It->second->Context == R.Context)
      Notes.push_back(makeNote(Ctx.getSourceManager(), R.Loop->getBeginLoc(), "warning",
                               "two loops are named '" + R.FullName + "' (the other is at line " +
                                   std::to_string(It->second->Line) +
                                   "); a selector naming one attaches to both — rename one"));
  }
  return Loops;
}

} // namespace pl
