// Internal: taking a checkpoint on the thread that asks for it.
//
// A checkpoint is this thread's activation stack — the position (each
// loop's site, activation and iterations), the loops completed in the
// current iterations, the begin states of enclosing loops in other
// functions — plus the asking loop's locals now, the locals hooks wrote and
// the extra state (ckpt_extra_state.h). It is built here, synchronously,
// and handed to the writer (ckpt_writer.h).
#ifndef PL_RUNTIME_CKPT_CAPTURE_H
#define PL_RUNTIME_CKPT_CAPTURE_H

#include <pl/abi.h>

#include <string>
#include <vector>

#include "activation_stack.h"
#include "checkpoint_file.h"

namespace pl::detail {

struct CheckpointRequest {
  abi::Loop* loop = nullptr;
  abi::Event event = abi::kEnd;  // kEnd, or kExit (a checkpoint after the loop)
  const abi::PointDesc* point = nullptr;
  void* const* addrs = nullptr;
  const char* reason = "every";  // pl.meta's reason
  bool wait = false;             // for the write in flight and for this one
  // Set to true when no checkpoint can be taken here yet but one can at a
  // later boundary (an enclosing loop lacks its begin state this iteration).
  bool* not_yet = nullptr;
  // Non-null: the checkpoint is built into *capture, not written (the
  // replay self-check compares it with a file).
  CheckpointData* capture = nullptr;
};

// Returns whether the checkpoint was written (wait) or handed to the writer;
// says once per loop why one cannot be taken there.
bool take_checkpoint(const CheckpointRequest& request);

// The saveable locals of a point, as saved now.
std::vector<SavedVar> save_point(const abi::PointDesc& point, void* const* addrs);
// The first state variable at a point whose type, known only when its
// template was instantiated, has no serializer (abi::kUnsaveable), or null.
const char* unsaveable_at(const abi::PointDesc& point);

}  // namespace pl::detail

#endif  // PL_RUNTIME_CKPT_CAPTURE_H
