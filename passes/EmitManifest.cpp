//===- EmitManifest.cpp - Tell the runtime which loops exist --------------===//
#include "EmitManifest.h"
#include "utils/PassUtils.h"

#include <algorithm>

#include "clang/Basic/SourceManager.h"
#include "llvm/ADT/StringExtras.h"
#include "llvm/Support/xxhash.h"

#include <set>

using namespace clang;

namespace pl {

namespace {

std::string joined(const std::vector<std::string> &Calls) {
  return cxxStringLiteral(llvm::join(Calls, ";"));
}

/// The call graph's rows: what each function of the file can call.
std::string callTable(const std::vector<CallRow> &Rows, const std::string &Id) {
  if (Rows.empty()) return "";
  std::string Text = "const ::pl::abi::ManifestFunction pl_calls_" + Id + "[] = {";
  for (const CallRow &R : Rows) {
    std::vector<std::string> Calls = R.Calls;
    if (!R.Hidden.empty()) {
      std::string Effect = R.Hidden;
      std::replace(Effect.begin(), Effect.end(), ';', ',');
      Calls.push_back("!" + Id + ":" + Effect);
    }
    if (!R.CodeHash.empty()) Calls.push_back("#" + R.CodeHash);
    Text += "\n  {" + cxxStringLiteral(R.Key) + ", " + joined(Calls) + "},";
  }
  return Text + "\n};\n__attribute__((unused)) const bool pl_calls_registered_" + Id +
         " =\n    ::pl::abi::register_calls(pl_calls_" + Id + ", " + std::to_string(Rows.size()) +
         ");\n";
}

/// What the runtime prints when it refuses a checkpoint through the loop:
/// each unsaveable variable with the reason and the fixes pl-instrument
/// gave (state-types), not only its name and type.
std::vector<std::string> unsaveableWithReasons(const LoopRecord &R) {
  std::vector<std::string> Out;
  for (const std::string &U : R.Unsaveable) {
    std::string Text = U;
    for (const StateVar &S : R.State)
      if (S.Saveable == Saving::No && !S.Why.empty() && U == S.Name + ": " + S.Type) {
        Text += " " + S.Why;
        break;
      }
    Out.push_back(Text);
  }
  return Out;
}

} // namespace

bool runEmitManifest(const std::vector<LoopRecord> &Loops, const std::vector<CallRow> &Calls,
                     FileID File, Rewriter &RW) {
  const SourceManager &SM = RW.getSourceMgr();
  // Named after the file's contents (not its path, so the text is the same
  // in every checkout); also each row's source hash.
  std::string Id = llvm::utohexstr(llvm::xxh3_64bits(SM.getBufferData(File)));
  std::string Rows;
  unsigned N = 0;
  for (const LoopRecord &R : Loops) {
    if (!R.Instrumentable || SM.getFileID(SM.getFileLoc(R.Loop->getBeginLoc())) != File) continue;
    std::set<std::string> Seen;
    std::string Vars;
    auto Add = [&](const std::vector<VisibleVar> &Vs) {
      for (const VisibleVar &V : Vs)
        if (Seen.insert(V.Name).second) Vars += (Vars.empty() ? "" : ",") + V.Name;
    };
    Add(R.EnterVars);
    Add(R.BeginVars);
    Add(R.EndVars);
    for (const ContinuePoint &C : R.Continues)
      Add(C.Vars);
    std::vector<std::string> State;
    for (const StateVar &S : R.State)
      State.push_back(S.Name + ":" + S.Type);
    Rows += "\n  {" + cxxStringLiteral(R.FullName) + ", " + cxxStringLiteral(R.File) + ", " +
            std::to_string(R.Line) + ", " + cxxStringLiteral(Vars) + ",\n   " +
            cxxStringLiteral(llvm::join(State, ",")) + ", " +
            cxxStringLiteral(llvm::join(unsaveableWithReasons(R), "; ")) + ", " +
            cxxStringLiteral(llvm::join(R.Uncaptured, "; ")) + ", \"" + Id + "\", " +
            cxxStringLiteral(R.RestoredBy) + ", \"" + R.CodeHash + "\",\n   " +
            cxxStringLiteral(R.FunctionKey) + ", " + joined(R.Calls) + "},";
    ++N;
  }
  if (N == 0 && Calls.empty()) return false;
  std::string LoopTable =
      N == 0 ? ""
             : "const ::pl::abi::ManifestLoop pl_manifest_" + Id + "[] = {" + Rows +
                   "\n};\n__attribute__((unused)) const bool pl_manifest_registered_" + Id +
                   " =\n    ::pl::abi::register_manifest(pl_manifest_" + Id + ", " +
                   std::to_string(N) + ");\n";
  // Guarded: a header's table follows its own include guard, and the header
  // may be included more than once.
  RW.InsertTextAfter(SM.getLocForEndOfFile(File),
                     "\n// pl-instrument: the loops of this file, for the runtime's checks.\n"
                     "#ifndef PL_MANIFEST_" +
                         Id + "\n#define PL_MANIFEST_" + Id + "\nnamespace {\n" + LoopTable +
                         callTable(Calls, Id) + "}  // namespace\n#endif\n");
  return true;
}

} // namespace pl
