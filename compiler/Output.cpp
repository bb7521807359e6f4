// Output — how pl-instrument writes files: atomically (a temporary file
// renamed into place, so a killed run leaves the old file or the new one,
// never half of one), and the shadow include tree for --headers.
#include "Output.h"

#include "llvm/Support/FileSystem.h"
#include "llvm/Support/MemoryBuffer.h"
#include "llvm/Support/Path.h"
#include "llvm/Support/Process.h"
#include "llvm/Support/raw_ostream.h"

namespace pl {

bool fail(const llvm::Twine &Msg) {
  llvm::errs() << "pl-instrument: error: " << Msg << "\n";
  return false;
}

/// Writes `Data` to `Path` through a temporary file and a rename.
bool writeAtomically(const std::string &Path, llvm::StringRef Data) {
  if (auto EC = llvm::sys::fs::create_directories(llvm::sys::path::parent_path(Path)))
    return fail("cannot create the directory for '" + Path + "': " + EC.message());
  std::string Tmp = Path + ".tmp" + std::to_string(llvm::sys::Process::getProcessId());
  {
    std::error_code EC;
    llvm::raw_fd_ostream OS(Tmp, EC);
    if (EC) return fail("cannot write '" + Tmp + "': " + EC.message());
    OS << Data;
    OS.close();
    if (OS.has_error()) {
      fail("writing '" + Tmp + "' failed: " + OS.error().message());
      OS.clear_error();
      llvm::sys::fs::remove(Tmp);
      return false;
    }
  }
  if (auto EC = llvm::sys::fs::rename(Tmp, Path)) {
    fail("cannot rename '" + Tmp + "' to '" + Path + "': " + EC.message());
    llvm::sys::fs::remove(Tmp);
    return false;
  }
  return true;
}

/// Copies into the shadow tree (under `Shadow` + original path) every file
/// of `Files` that lies under include directory `Root`, so that quoted
/// includes between headers resolve inside the shadow tree. Copies, not
/// symbolic links: GCC canonicalizes the paths of system headers, which
/// would lead it back out of the tree. A copy is refreshed when its
/// original is newer; every copy is written atomically, so concurrent runs
/// (one per translation unit) are safe.
bool mirrorIncludedFiles(const std::string &Root, const std::vector<std::string> &Files,
                         const std::string &Shadow) {
  for (const std::string &F : Files) {
    if (F.size() <= Root.size() || F.compare(0, Root.size(), Root) != 0 || F[Root.size()] != '/')
      continue;
    llvm::SmallString<256> Copy(Shadow);
    llvm::sys::path::append(Copy, F);
    llvm::sys::fs::file_status Orig, Mine;
    if (llvm::sys::fs::status(F, Orig)) continue;
    if (!llvm::sys::fs::status(Copy, Mine) &&
        Mine.getLastModificationTime() >= Orig.getLastModificationTime())
      continue;
    auto Buf = llvm::MemoryBuffer::getFile(F);
    if (!Buf) return fail("cannot read '" + F + "' to shadow it: " + Buf.getError().message());
    if (!writeAtomically(std::string(Copy), (*Buf)->getBuffer())) return false;
  }
  return true;
}

} // namespace pl
