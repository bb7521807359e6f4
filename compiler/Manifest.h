// Manifest — what `--list` prints and `--manifest FILE` writes: every loop
// with its full name, place, kind, parent, and the locals a hook can read
// at each of its events. It answers "what can my hook see?" without
// reading the code.
#ifndef PL_COMPILER_MANIFEST_H
#define PL_COMPILER_MANIFEST_H

#include "InstrumentAction.h"

#include "llvm/Support/JSON.h"
#include "llvm/Support/raw_ostream.h"

namespace pl {

void printLoopList(llvm::raw_ostream &OS, const std::vector<TuResult> &Results);
llvm::json::Value manifestJson(const std::vector<TuResult> &Results);

} // namespace pl

#endif // PL_COMPILER_MANIFEST_H
