//===- CodeFingerprint.cpp - What a loop's resume depends on --------------===//
#include "CodeFingerprint.h"
#include "WriteEffects.h"

#include "clang/AST/DeclCXX.h"
#include "clang/Basic/SourceManager.h"
#include "clang/Lex/Lexer.h"
#include "llvm/ADT/StringExtras.h"
#include "llvm/Support/xxhash.h"

#include <map>

using namespace clang;

namespace pl {
namespace {

/// The tokens of `D`'s source, one space apart: comments and layout do not count.
std::string tokensOf(const Decl *D, const ASTContext &Ctx) {
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
    Out.append(SM.getCharacterData(Tok.getLocation()), Tok.getLength());
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

} // namespace

void runCodeFingerprint(ASTContext &Ctx, std::vector<LoopRecord> &Loops) {
  WriteEffects Calls(Ctx);
  std::map<const FunctionDecl *, std::string> CodeOf; // function and its callees' tokens
  for (LoopRecord &R : Loops) {
    if (!R.Instrumentable) continue;
    const FunctionDecl *Fn = outermostFunction(R.Context);
    auto [It, Fresh] = CodeOf.try_emplace(Fn);
    if (Fresh && Fn) {
      std::string &Code = It->second;
      Code = tokensOf(Fn, Ctx);
      if (const Stmt *Body = Fn->getBody())
        for (const FunctionDecl *Callee : Calls.calleesOf(Body))
          if (Callee != Fn) Code += "\n" + tokensOf(Callee, Ctx);
    }
    std::string Layout;
    for (const StateVar &S : R.State)
      Layout += S.Name + ":" + S.Type + ":" + std::to_string(int(S.Saveable)) + ",";
    R.CodeHash = llvm::utohexstr(llvm::xxh3_64bits(It->second + "\nstate " + Layout));
  }
}

} // namespace pl
