//===- RewriteSafety.cpp - Loops that must be left alone ------------------===//
#include "RewriteSafety.h"
#include "utils/PassUtils.h"

#include "clang/AST/ASTLambda.h"
#include "clang/AST/ExprCXX.h"
#include "clang/AST/RecursiveASTVisitor.h"
#include "clang/AST/StmtCXX.h"
#include "clang/Lex/Lexer.h"

#include <map>
#include <set>

using namespace clang;

namespace pl {

namespace {

/// Jumps within one function body: who targets which label.
struct JumpIndex : RecursiveASTVisitor<JumpIndex> {
  std::multimap<const LabelDecl *, const Stmt *> Gotos; // target -> goto stmt
  std::set<const LabelDecl *> AddressTaken;
  std::vector<const LabelStmt *> LabelStmts;
  std::vector<const SwitchStmt *> Switches;
  bool VisitGotoStmt(GotoStmt *G) {
    Gotos.emplace(G->getLabel(), G);
    return true;
  }
  bool VisitAddrLabelExpr(AddrLabelExpr *A) {
    AddressTaken.insert(A->getLabel());
    return true;
  }
  bool VisitLabelStmt(LabelStmt *L) {
    LabelStmts.push_back(L);
    return true;
  }
  bool VisitSwitchStmt(SwitchStmt *S) {
    Switches.push_back(S);
    return true;
  }
};

bool within(const SourceManager &SM, SourceRange Outer, SourceLocation L) {
  return !SM.isBeforeInTranslationUnit(L, Outer.getBegin()) &&
         !SM.isBeforeInTranslationUnit(Outer.getEnd(), L);
}

bool followsOpenMPPragma(const SourceManager &SM, SourceLocation Loc) {
  Loc = SM.getFileLoc(Loc);
  auto [FID, Off] = SM.getDecomposedLoc(Loc);
  StringRef Buf = SM.getBufferData(FID);
  size_t LineStart = startOfOwnLine(SM, Loc);
  if (LineStart == StringRef::npos) return false;
  // The pragma lines directly above the loop (blank lines in between too).
  for (size_t End = Buf.find('\n', Off); LineStart > 0 || End == StringRef::npos;) {
    StringRef Line = Buf.slice(LineStart, End).trim();
    if (Line.consume_front("#")) {
      Line = Line.ltrim();
      if (!Line.consume_front("pragma")) return false;
      if (Line.ltrim().starts_with("omp")) return true;
    } else if (!Line.empty() && LineStart != Buf.rfind('\n', Off) + 1) {
      return false;
    }
    if (LineStart == 0) return false;
    End = LineStart - 1;
    LineStart = Buf.rfind('\n', End) + 1;
  }
  return false;
}

bool lambdaSpellsConstexpr(const FunctionDecl *FD, const SourceManager &SM, const LangOptions &LO) {
  if (!FD->getBody()) return false;
  CharSourceRange Head = CharSourceRange::getCharRange(SM.getFileLoc(FD->getBeginLoc()),
                                                       SM.getFileLoc(FD->getBody()->getBeginLoc()));
  StringRef Text = Lexer::getSourceText(Head, SM, LO);
  for (StringRef Word : {"constexpr", "consteval"}) {
    for (size_t At = Text.find(Word); At != StringRef::npos; At = Text.find(Word, At + 1)) {
      bool Start = At == 0 || !isAsciiIdentifierContinue(Text[At - 1]);
      bool End =
          At + Word.size() >= Text.size() || !isAsciiIdentifierContinue(Text[At + Word.size()]);
      if (Start && End) return true;
    }
  }
  return false;
}

/// True when constant evaluation may run FD's body: FD is spelled
/// constexpr/consteval, or it is a lambda (implicitly constexpr when it can
/// be) inside such a function, where calling it is part of the evaluation.
bool mayRunAtCompileTime(const FunctionDecl *FD, const SourceManager &SM, const LangOptions &LO) {
  while (FD && FD->isConstexpr()) {
    if (!isLambdaCallOperator(FD) || lambdaSpellsConstexpr(FD, SM, LO)) return true;
    FD = dyn_cast<FunctionDecl>(FD->getParent()->getParent()); // operator() -> closure -> scope
  }
  return false;
}

std::string whyNotRewritable(ASTContext &Ctx, const LoopRecord &R, const JumpIndex &J) {
  const SourceManager &SM = Ctx.getSourceManager();
  const LangOptions &LO = Ctx.getLangOpts();
  const Stmt *Body = loopBody(R.Loop);
  if (R.Outer->getBeginLoc().isMacroID() || R.Loop->getBeginLoc().isMacroID())
    return "the loop comes from a macro expansion; write the loop in the source, or "
           "instrument the code that defines the macro";
  if (!Body || Body->getBeginLoc().isMacroID() || endOfStatement(R.Loop, SM, LO).isInvalid())
    return "the loop body begins or ends inside a macro expansion";
  if (auto *CS = dyn_cast<CompoundStmt>(Body); CS && CS->getRBracLoc().isMacroID())
    return "the loop body's closing brace comes from a macro";
  if (mayRunAtCompileTime(dyn_cast_or_null<FunctionDecl>(R.Context), SM, LO))
    return "the loop is in a constexpr or consteval function, where runtime calls are not "
           "allowed";
  for (const ContinuePoint &C : R.Continues)
    if (C.Stmt->getBeginLoc().isMacroID())
      return "a `continue` of this loop comes from a macro expansion (line " +
             std::to_string(SM.getSpellingLineNumber(SM.getFileLoc(C.Stmt->getBeginLoc()))) + ")";
  SourceRange Range(R.Outer->getBeginLoc(), R.Loop->getEndLoc());
  for (const LabelStmt *L : J.LabelStmts) {
    if (!within(SM, Range, L->getBeginLoc())) continue;
    if (J.AddressTaken.count(L->getDecl()))
      return "label '" + std::string(L->getName()) +
             "' inside the loop has its address taken "
             "(computed goto could enter the loop)";
    auto [B, E] = J.Gotos.equal_range(L->getDecl());
    for (auto It = B; It != E; ++It)
      if (!within(SM, Range, It->second->getBeginLoc()))
        return "a goto at line " +
               std::to_string(SM.getSpellingLineNumber(SM.getFileLoc(It->second->getBeginLoc()))) +
               " jumps into the loop (to label '" + std::string(L->getName()) + "')";
  }
  for (const SwitchStmt *S : J.Switches) {
    if (within(SM, Range, S->getBeginLoc())) continue;
    for (const SwitchCase *C = S->getSwitchCaseList(); C; C = C->getNextSwitchCase())
      if (within(SM, Range, C->getBeginLoc()))
        return "a case label of an enclosing switch is inside the loop (the switch jumps into "
               "the loop body)";
  }
  if (followsOpenMPPragma(SM, R.Outer->getBeginLoc()))
    return "OpenMP work-sharing loop: its iterations run on several threads (loops inside it "
           "are instrumented)";
  return {};
}

} // namespace

void runRewriteSafety(ASTContext &Ctx, std::vector<LoopRecord> &Loops,
                      std::vector<ToolNote> &Notes) {
  // A note for each of the first few skipped loops of a file, then one line
  // for the rest (third-party code can have dozens of loops in macros).
  constexpr unsigned kNotesPerFile = 3;
  const SourceManager &SM = Ctx.getSourceManager();
  struct Rest {
    unsigned Shown = 0, Hidden = 0;
    SourceLocation First;
  };
  std::map<FileID, Rest> PerFile;
  std::map<const Stmt *, JumpIndex> Jumps;
  for (LoopRecord &R : Loops) {
    auto It = Jumps.find(R.ContextBody);
    if (It == Jumps.end()) {
      It = Jumps.emplace(R.ContextBody, JumpIndex()).first;
      It->second.TraverseStmt(const_cast<Stmt *>(R.ContextBody));
    }
    std::string Why = whyNotRewritable(Ctx, R, It->second);
    if (Why.empty()) continue;
    R.Instrumentable = false;
    R.SkipReason = Why;
    Rest &F = PerFile[SM.getFileID(SM.getFileLoc(R.Loop->getBeginLoc()))];
    if (F.Shown < kNotesPerFile) {
      ++F.Shown;
      Notes.push_back(makeNote(SM, R.Loop->getBeginLoc(), "note",
                               "loop '" + R.FullName + "' not instrumented: " + Why));
    } else if (F.Hidden++ == 0) {
      F.First = R.Loop->getBeginLoc();
    }
  }
  for (const auto &[File, F] : PerFile)
    if (F.Hidden > 0)
      Notes.push_back(makeNote(SM, F.First, "note",
                               std::to_string(F.Hidden) + " more loop" +
                                   (F.Hidden == 1 ? "" : "s") +
                                   " of this file not instrumented; pl-instrument --list "
                                   "shows which and why"));
}

} // namespace pl
