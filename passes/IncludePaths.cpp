//===- IncludePaths.cpp - Keep quoted includes working --------------------===//
#include "IncludePaths.h"
#include "utils/PassUtils.h"

#include "llvm/Support/FileSystem.h"
#include "llvm/Support/Path.h"

using namespace clang;

namespace pl {
namespace {

class IncludeRecorder : public PPCallbacks {
public:
  IncludeRecorder(const SourceManager &SM, std::vector<LocalInclude> &Out) : SM(SM), Out(Out) {}

  void InclusionDirective(SourceLocation HashLoc, const Token &, StringRef, bool IsAngled,
                          CharSourceRange FilenameRange, OptionalFileEntryRef File,
                          StringRef SearchPath, StringRef RelativePath, const Module *, bool,
                          SrcMgr::CharacteristicKind) override {
    if (IsAngled || !File || HashLoc.isMacroID() || FilenameRange.getBegin().isMacroID()) return;
    OptionalFileEntryRef Includer = SM.getFileEntryRefForID(SM.getFileID(HashLoc));
    if (!Includer) return;
    llvm::SmallString<256> IncluderDir(llvm::sys::path::parent_path(Includer->getName()));
    llvm::SmallString<256> Searched(SearchPath);
    llvm::sys::fs::make_absolute(IncluderDir);
    llvm::sys::fs::make_absolute(Searched);
    llvm::sys::path::remove_dots(IncluderDir, true);
    llvm::sys::path::remove_dots(Searched, true);
    if (IncluderDir != Searched) return; // found via -I: resolves the same from anywhere
    llvm::SmallString<256> Abs(Searched);
    llvm::sys::path::append(Abs, RelativePath);
    llvm::sys::path::remove_dots(Abs, true);
    Out.push_back({FilenameRange, std::string(Abs)});
  }

private:
  const SourceManager &SM;
  std::vector<LocalInclude> &Out;
};

} // namespace

std::unique_ptr<PPCallbacks> makeIncludeRecorder(const SourceManager &SM,
                                                 std::vector<LocalInclude> &Out) {
  return std::make_unique<IncludeRecorder>(SM, Out);
}

void runIncludePaths(const SourceManager &SM, const std::vector<LocalInclude> &Includes,
                     FileID File, Rewriter &RW) {
  for (const LocalInclude &I : Includes)
    if (SM.getFileID(I.FilenameRange.getBegin()) == File)
      RW.ReplaceText(I.FilenameRange, cxxStringLiteral(I.AbsolutePath));
}

} // namespace pl
