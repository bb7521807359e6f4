// Manifest — what `--list` prints and `--manifest FILE` writes: every loop
// with its full name, place, kind, parent, the locals a hook can read at
// each of its events, and what a checkpoint there holds (or why it cannot,
// or why a resume re-runs it). It answers "what can my hook see?" and "what
// will a checkpoint save?" without reading the code. (JSON version 2:
// "state" lists {name, type} objects.)
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
