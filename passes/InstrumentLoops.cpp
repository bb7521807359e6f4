//===- InstrumentLoops.cpp - Emit the loop-boundary calls -----------------===//
#include "InstrumentLoops.h"
#include "utils/PassUtils.h"

#include "clang/AST/RecursiveASTVisitor.h"
#include "clang/AST/StmtCXX.h"
#include "clang/Lex/Lexer.h"

#include <map>
#include <set>

using namespace clang;

namespace pl {

namespace {

/// Where text that must precede statement S goes. Usually S's first
/// character; if `#pragma` lines directly precede S, the start of the first
/// of them (the text then ends with a newline and a #line directive).
struct InsertPoint {
  SourceLocation Loc;
  bool NeedsLine = false;
  unsigned Line = 0;
};

InsertPoint pointBefore(const Stmt *S, const SourceManager &SM) {
  InsertPoint P{SM.getFileLoc(S->getBeginLoc())};

  auto [FID, Off] = SM.getDecomposedLoc(P.Loc);
  StringRef Buf = SM.getBufferData(FID);
  size_t LineStart = startOfOwnLine(SM, P.Loc);
  if (LineStart == StringRef::npos) return P;
  auto IsPragma = [](StringRef Line) {
    Line = Line.trim();
    return Line.consume_front("#") && Line.ltrim().starts_with("pragma");
  };
  // A statement may begin at its own pragma (clang's loop-hint attributes).
  size_t Best = IsPragma(Buf.substr(Off, Buf.find('\n', Off) - Off)) ? LineStart : StringRef::npos;
  while (LineStart > 0) {
    size_t Begin = Buf.rfind('\n', LineStart - 1) + 1;
    if (!IsPragma(Buf.slice(Begin, LineStart - 1))) break;
    Best = LineStart = Begin;
  }
  if (Best == StringRef::npos) return P;
  P.Loc = SM.getComposedLoc(FID, unsigned(Best));
  P.NeedsLine = true;
  P.Line = SM.getLineNumber(FID, unsigned(Best));
  return P;
}

/// Can this loop be emitted twice (see the header)? Innermost, and nothing
/// in it that must exist once per function: labels, static locals, lambdas.
bool duplicable(const LoopRecord &R, const SourceManager &SM, const LangOptions &LO) {
  struct Finder : RecursiveASTVisitor<Finder> {
    const Stmt *Self;
    bool Bad = false;
    bool VisitStmt(Stmt *S) {
      if (S != Self && isa<ForStmt, CXXForRangeStmt, WhileStmt, DoStmt, LabelStmt, LambdaExpr,
                           AddrLabelExpr, IndirectGotoStmt>(S))
        Bad = true;
      return !Bad;
    }
    bool VisitVarDecl(VarDecl *V) {
      Bad |= V->isStaticLocal() || V->getTSCSpec() != TSCS_unspecified;
      return !Bad;
    }
  } F;
  F.Self = R.Loop;
  F.TraverseStmt(const_cast<Stmt *>(R.Loop));
  if (F.Bad) return false;
  SourceLocation End = endOfStatement(R.Loop, SM, LO);
  SourceLocation Begin = SM.getFileLoc(R.Outer->getBeginLoc());
  return End.isValid() && SM.getFileID(End) == SM.getFileID(Begin) &&
         SM.getFileOffset(End) - SM.getFileOffset(Begin) <= 4000;
}

class Emitter {
public:
  Emitter(ASTContext &Ctx, Rewriter &RW)
      : SM(Ctx.getSourceManager()), LO(Ctx.getLangOpts()), RW(RW) {}

  void emit(const LoopRecord &R, unsigned K, bool Version) {
    Id = std::to_string(K);
    Macro.clear();
    for (const StateVar &S : R.State) {
      // Before C++17 (no pl/serialize.h), state a template decides is saved
      // only when it is a number or an enum (state-types refused the rest).
      const bool Decided =
          S.Saveable == Saving::AtInstantiation || S.Saveable == Saving::AssertAtInstantiation;
      if (!LO.CPlusPlus17 && Decided) {
        Macro[S.Decl] = "PL_SN_";
        continue;
      }
      Macro[S.Decl] = stateMacro(S.Saveable);
      QualType T = S.Decl->getType().getNonReferenceType();
      if (S.Saveable == Saving::Array) T = T->getPointeeType(); // its elements
      if (S.Saveable != Saving::No && !savedAsBytes(T)) Serialized.insert(S.Decl);
    }
    const Stmt *Body = loopBody(R.Loop);
    std::string Enter = "pl_p" + Id + "e";
    InsertPoint At = pointBefore(R.Outer, SM);

    // Block, site, [the original loop, for when nothing listens,] activation,
    // loop_enter.
    std::string Site = "{ PL_SITE_(pl_s" + Id + ", " + cxxStringLiteral(R.FullName) + ", " +
                       cxxStringLiteral(R.File) + ", " + std::to_string(R.Line) + ", " +
                       abiLoopKind(R.Kind) + "); ";
    std::string Open = vars(Enter, R.Line, R.EnterVars) + "::pl::abi::Loop pl_l" + Id + "(pl_s" +
                       Id + "); PL_ENTER_(pl_l" + Id + ", " + Enter + ", pl_x" + Id + ", " +
                       R.TripExpr + args(R.EnterVars) + "); ";
    if (Version) {
      SourceLocation End = endOfStatement(R.Loop, SM, LO);
      std::string Original =
          Lexer::getSourceText(CharSourceRange::getCharRange(At.Loc, End), SM, LO).str();
      unsigned Line = SM.getSpellingLineNumber(At.Loc);
      std::string Pad(SM.getSpellingColumnNumber(At.Loc) - 1, ' ');
      std::string LineDirective =
          "\n#line " + std::to_string(Line) + " " + cxxStringLiteral(R.File) + "\n";
      RW.InsertText(At.Loc,
                    Site + "if (::pl::abi::idle(pl_s" + Id + ")) {" + LineDirective + Pad +
                        Original + "\n} else { " + Open + LineDirective + Pad,
                    true);
    } else {
      insertBefore(At, Site + Open, R.File);
    }

    // Closing-side texts that share a location appear in reverse order of
    // insertion; emit the outermost first: loop exit, then body end, then
    // the `continue` points, so the file reads continue } / END / exit.
    RW.InsertText(endOfStatement(R.Loop, SM, LO),
                  " pl_x" + Id + ": PL_EXIT_(pl_l" + Id + ", " + Enter + args(R.EnterVars) +
                      "); }" + (Version ? " }" : ""),
                  false);

    // iteration_begin / iteration_end.
    std::string Begin = point("b", line(Body->getBeginLoc()), "PL_BEGIN_", R.BeginVars);
    const auto *CS = dyn_cast<CompoundStmt>(Body);
    SourceLocation BodyEnd = CS ? CS->getRBracLoc() : endOfStatement(Body, SM, LO);
    std::string End = point("n", line(BodyEnd), "PL_END_", R.EndVars);
    if (CS) {
      RW.InsertText(CS->getLBracLoc().getLocWithOffset(1), " " + Begin, true);
      // After Begin when the body is empty (`{}`: both at one location);
      // still before what inner loops and `continue`s insert here later.
      RW.InsertText(BodyEnd, End, true);
    } else {
      insertBefore(pointBefore(Body, SM), "{ " + Begin, R.File);
      RW.InsertText(BodyEnd, " " + End + "}", false);
    }

    // `continue` ends the iteration too.
    unsigned C = 0;
    for (const ContinuePoint &CP : R.Continues) {
      std::string Tag = "c" + std::to_string(C++);
      RW.InsertText(SM.getFileLoc(CP.Stmt->getBeginLoc()),
                    "{ " + point(Tag, line(CP.Stmt->getBeginLoc()), "PL_END_", CP.Vars), true);
      RW.InsertText(endOfStatement(CP.Stmt, SM, LO), " }", false);
    }
  }

private:
  unsigned line(SourceLocation L) const { return SM.getSpellingLineNumber(SM.getFileLoc(L)); }

  void insertBefore(const InsertPoint &P, std::string Text, const std::string &File) {
    if (P.NeedsLine)
      Text += "\n#line " + std::to_string(P.Line) + " " + cxxStringLiteral(File) + "\n";
    RW.InsertText(P.Loc, Text, true);
  }

  /// A number or an enum: pl/abi.h saves it as its bytes (abi::state_ops),
  /// without pl/serialize.h. The standard arithmetic types only, as
  /// std::is_arithmetic sees them in any language mode.
  static bool savedAsBytes(QualType T) {
    T = T.getNonReferenceType().getCanonicalType();
    if (T->isEnumeralType()) return true;
    const auto *B = dyn_cast<BuiltinType>(T.getTypePtr());
    if (!B) return false;
    switch (B->getKind()) {
    case BuiltinType::Int128:
    case BuiltinType::UInt128:
    case BuiltinType::Float16:
    case BuiltinType::Float128:
    case BuiltinType::BFloat16:
    case BuiltinType::Ibm128: return false;
    default: return B->isInteger() || B->isFloatingPoint();
    }
  }

  static const char *stateMacro(Saving S) {
    switch (S) {
    case Saving::Yes: return "PL_S_";
    case Saving::No: return "PL_V_";
    case Saving::AtInstantiation: return "PL_SD_";
    case Saving::AssertAtInstantiation: return "PL_SR_";
    case Saving::Array: return "PL_SA_";
    }
    return "PL_V_";
  }

  /// The variable table of a point: checkpoint state that pl can save is
  /// declared with PL_S_, state decided at instantiation with PL_SD_ or
  /// PL_SR_ (by declaration: a body local that shadows a state variable is
  /// not state), everything else with PL_V_.
  std::string vars(const std::string &Name, unsigned Line, const std::vector<VisibleVar> &Vs) {
    if (Vs.empty()) return "PL_NOVARS_(" + Name + ", " + std::to_string(Line) + "); ";
    std::string S = "PL_VARS_(" + Name + ", " + std::to_string(Line);
    for (const VisibleVar &V : Vs) {
      auto It = Macro.find(V.Decl);
      const char *M = It == Macro.end() ? "PL_V_" : It->second;
      NeedsSerializers |= M != std::string_view("PL_V_") && Serialized.count(V.Decl);
      S += std::string(", ") + M + "(" + V.Name + ")";
    }
    return S + "); ";
  }

  static std::string args(const std::vector<VisibleVar> &Vs) {
    std::string S;
    for (const VisibleVar &V : Vs)
      S += ", " + V.Name;
    return S;
  }

  std::string point(const std::string &Tag, unsigned Line, const char *Macro,
                    const std::vector<VisibleVar> &Vs) {
    std::string Name = "pl_p" + Id + Tag;
    return vars(Name, Line, Vs) + Macro + "(pl_l" + Id + ", " + Name + ", pl_x" + Id + args(Vs) +
           "); ";
  }

  const SourceManager &SM;
  const LangOptions &LO;
  Rewriter &RW;
  std::string Id;
  std::map<const ValueDecl *, const char *> Macro; ///< of the state of the loop being emitted
  std::set<const ValueDecl *> Serialized;          ///< state saved through pl/serialize.h

public:
  bool NeedsSerializers = false; ///< some point declares a state variable (PL_S_, ...)
};

} // namespace

unsigned runInstrumentLoops(ASTContext &Ctx, const std::vector<LoopRecord> &Loops, FileID File,
                            Rewriter &RW, bool Versioning, bool *NeedsSerializers) {
  const SourceManager &SM = Ctx.getSourceManager();
  Emitter E(Ctx, RW);
  unsigned K = 0;
  for (const LoopRecord &R : Loops) {
    if (!R.Instrumentable || SM.getFileID(SM.getFileLoc(R.Loop->getBeginLoc())) != File) continue;
    E.emit(R, K++, Versioning && duplicable(R, SM, Ctx.getLangOpts()));
  }
  if (NeedsSerializers) *NeedsSerializers = E.NeedsSerializers;
  return K;
}

} // namespace pl
