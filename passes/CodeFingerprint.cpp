//===- CodeFingerprint.cpp - What a loop's resume depends on --------------===//
#include "CodeFingerprint.h"
#include "WriteEffects.h"

#include "clang/AST/DeclCXX.h"
#include "clang/AST/RecursiveASTVisitor.h"
#include "clang/Basic/SourceManager.h"
#include "clang/Lex/Lexer.h"
#include "clang/Lex/PPCallbacks.h"
#include "clang/Lex/Preprocessor.h"
#include "llvm/ADT/StringExtras.h"
#include "llvm/Support/xxhash.h"

#include <map>
#include <set>

using namespace clang;

namespace pl {
namespace {

/// The tokens of `D`'s source, one space apart: comments and layout do not
/// count. Identifiers go to `Names` (if given), to find the macros used.
std::string tokensOf(const Decl *D, const ASTContext &Ctx, std::set<std::string> *Names = nullptr) {
  const SourceManager &SM = Ctx.getSourceManager();
  CharSourceRange Range = SM.getExpansionRange(D->getSourceRange());
  SourceLocation Begin = Range.getBegin(), End = Range.getEnd();
  if (Begin.isInvalid() || End.isInvalid() || SM.getFileID(Begin) != SM.getFileID(End)) return "";
  FileID File = SM.getFileID(Begin);
  llvm::StringRef Buffer = SM.getBufferData(File);
  unsigned To = SM.getFileOffset(End);
  Lexer Raw(SM.getLocForStartOfFile(File), Ctx.getLangOpts(), Buffer.begin(),
            Buffer.begin() + SM.getFileOffset(Begin), Buffer.end());
  std::string Out;
  Token Tok;
  while (true) {
    Raw.LexFromRawLexer(Tok);
    if (Tok.is(tok::eof) || SM.getFileOffset(Tok.getLocation()) > To) break;
    llvm::StringRef Text(SM.getCharacterData(Tok.getLocation()), Tok.getLength());
    if (Names && Tok.is(tok::raw_identifier)) Names->insert(Text.str());
    Out.append(Text.data(), Text.size());
    Out += ' ';
  }
  return Out;
}

/// The function a loop's code is in: through lambdas, the outermost one.
const FunctionDecl *outermostFunction(const Decl *Context) {
  auto *FD = dyn_cast_or_null<FunctionDecl>(Context);
  while (FD) {
    auto *MD = dyn_cast<CXXMethodDecl>(FD);
    if (!MD || !MD->getParent()->isLambda()) break;
    const DeclContext *DC = MD->getParent()->getDeclContext();
    while (DC && !isa<FunctionDecl>(DC))
      DC = DC->getParent();
    if (!DC) break;
    FD = cast<FunctionDecl>(DC);
  }
  return FD;
}

/// The variables of static storage (globals, namespace- and class-scope
/// statics, `static const` tables) and enumerators a body refers to: their
/// initializers are part of what the loop computes.
struct GlobalRefs : RecursiveASTVisitor<GlobalRefs> {
  std::set<const Decl *> Found;
  bool VisitDeclRefExpr(DeclRefExpr *E) {
    const ValueDecl *D = E->getDecl();
    if (const auto *V = dyn_cast<VarDecl>(D)) {
      if (V->hasGlobalStorage() && !V->isStaticLocal()) Found.insert(V->getCanonicalDecl());
    } else if (const auto *C = dyn_cast<EnumConstantDecl>(D)) {
      Found.insert(cast<Decl>(C->getDeclContext()));
    }
    return true;
  }
};

/// The code of `Fn` and of what it may call: their tokens, the declarations
/// (with initializers) of the globals they read, and the definitions of the
/// macros any of that spells, transitively.
std::string codeOf(const FunctionDecl *Fn, WriteEffects &Calls, ASTContext &Ctx,
                   const MacroDefinitions &Macros) {
  std::set<std::string> Names;
  std::vector<const FunctionDecl *> Fns = {Fn};
  if (const Stmt *Body = Fn->getBody())
    for (const FunctionDecl *Callee : Calls.calleesOf(Body))
      if (Callee != Fn) Fns.push_back(Callee);
  std::string Code;
  GlobalRefs Refs;
  for (const FunctionDecl *F : Fns) {
    // The definition's tokens, not a prior declaration's (the callee or the
    // call-graph node may be the first declaration).
    if (const FunctionDecl *Def = F->getDefinition()) F = Def;
    Code += tokensOf(F, Ctx, &Names) + "\n";
    if (const Stmt *Body = F->getBody()) Refs.TraverseStmt(const_cast<Stmt *>(Body));
  }
  for (const Decl *G : Refs.Found) {
    const Decl *Def = G;
    if (const auto *V = dyn_cast<VarDecl>(G))
      if (const VarDecl *D = V->getDefinition()) Def = D;
    Code += "global " + tokensOf(Def, Ctx, &Names) + "\n";
  }
  std::set<std::string> Done;
  std::vector<std::string> Work(Names.begin(), Names.end());
  while (!Work.empty()) {
    std::string Name = std::move(Work.back());
    Work.pop_back();
    auto It = Macros.find(Name);
    if (It == Macros.end() || !Done.insert(Name).second) continue;
    Code += "#define " + Name + " " + It->second.Text + "\n";
    for (const std::string &Used : It->second.Names)
      Work.push_back(Used);
  }
  return Code;
}

/// Records the macros defined outside system headers: name → definition.
class MacroRecorder : public PPCallbacks {
public:
  MacroRecorder(Preprocessor &PP, MacroDefinitions &Out) : PP(PP), Out(Out) {}
  void MacroDefined(const Token &Name, const MacroDirective *MD) override {
    if (PP.getSourceManager().isInSystemHeader(Name.getLocation())) return;
    const MacroInfo *MI = MD->getMacroInfo();
    MacroDefinitions::mapped_type D;
    for (const IdentifierInfo *P : MI->params())
      D.Text += P->getName().str() + ",";
    D.Text += MI->isFunctionLike() ? ") " : " ";
    for (const Token &T : MI->tokens()) {
      D.Text += PP.getSpelling(T) + " ";
      if (const IdentifierInfo *II = T.getIdentifierInfo()) D.Names.push_back(II->getName().str());
    }
    Out[Name.getIdentifierInfo()->getName().str()] = std::move(D);
  }
  void MacroUndefined(const Token &Name, const MacroDefinition &, const MacroDirective *) override {
    Out[Name.getIdentifierInfo()->getName().str()] = {"#undef", {}};
  }

private:
  Preprocessor &PP;
  MacroDefinitions &Out;
};

} // namespace

std::unique_ptr<PPCallbacks> makeMacroRecorder(Preprocessor &PP, MacroDefinitions &Out) {
  return std::make_unique<MacroRecorder>(PP, Out);
}

std::string functionCodeHash(const std::vector<const FunctionDecl *> &Fns, ASTContext &Ctx,
                             const MacroDefinitions &Macros) {
  WriteEffects Calls(Ctx);
  std::set<std::string> Codes; // instantiations of one pattern give the same text
  for (const FunctionDecl *Fn : Fns)
    Codes.insert(codeOf(Fn, Calls, Ctx, Macros));
  std::string All;
  for (const std::string &C : Codes)
    All += C + "\n--\n";
  return llvm::utohexstr(llvm::xxh3_64bits(All));
}

void runCodeFingerprint(ASTContext &Ctx, std::vector<LoopRecord> &Loops,
                        const MacroDefinitions &Macros) {
  WriteEffects Calls(Ctx);
  std::map<const FunctionDecl *, std::string> CodeOf; // function and its callees' tokens
  for (LoopRecord &R : Loops) {
    if (!R.Instrumentable) continue;
    const FunctionDecl *Fn = outermostFunction(R.Context);
    auto [It, Fresh] = CodeOf.try_emplace(Fn);
    if (Fresh && Fn) It->second = codeOf(Fn, Calls, Ctx, Macros);
    std::string Layout;
    for (const StateVar &S : R.State)
      Layout += S.Name + ":" + S.Type + ":" + std::to_string(int(S.Saveable)) + ",";
    R.CodeHash = llvm::utohexstr(llvm::xxh3_64bits(It->second + "\nstate " + Layout));
  }
}

} // namespace pl
