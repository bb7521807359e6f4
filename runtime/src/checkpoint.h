// Internal: checkpoints at loop boundaries and exact resume (docs/CHECKPOINTS.md),
// as the rest of the runtime sees them.
//
// The engine (checkpoint.cpp) follows this thread's activation stack
// (activation_stack.h) at every event of a tracked loop; policies
// (ckpt_policy.h) ask it for checkpoints at the ends of iterations, which are
// taken (ckpt_capture.h) from that stack and written on the writer thread
// (ckpt_writer.h) as records (ckpt_records.h) in a checkpoint file
// (checkpoint_file.h). On resume (ckpt_resume.h) the saved position is
// walked: loops on it restore their state at their first iteration and skip
// the iterations before the checkpoint.
#ifndef PL_RUNTIME_CHECKPOINT_H
#define PL_RUNTIME_CHECKPOINT_H

#include <pl/pl.h>

#include <atomic>
#include <cstdint>
#include <functional>
#include <string>

#include "activation_stack.h"

namespace pl::detail {

struct SiteRt;
class ConfigEntry;

// Set once a checkpoint policy was attached; read on every dispatched event.
extern std::atomic<bool> g_checkpointing;

// A policy was attached: the engine writes into its directory, resumes
// from it when asked to (PL_RESUME), and follows every tracked loop.
void start_checkpoint_engine(const CheckpointPolicy& policy);

// While this thread saves, loads or measures checkpoint state — a user's
// pl_serialize may run instrumented loops — their events are hidden from
// hooks and checkpoints: they are no checkpoint points and do not move the
// position (nor take the engine's locks: no deadlock on resume). Held for
// the whole of the engine's and the policies' work at an event.
class CheckpointMachineryScope {
 public:
  CheckpointMachineryScope();
  ~CheckpointMachineryScope();
  CheckpointMachineryScope(const CheckpointMachineryScope&) = delete;
  CheckpointMachineryScope& operator=(const CheckpointMachineryScope&) = delete;
};
bool inside_checkpoint_machinery();

// Called by dispatch for every event while g_checkpointing is set; returns
// actions (kBreak to leave a completed loop whose exit state was restored,
// kSkip to skip an iteration before the resumed one).
std::uint32_t checkpoint_event(SiteRt& rt, abi::Loop& loop, abi::Event ev,
                               const abi::PointDesc* point, void* const* addrs);
// The loop's activation ends (from loop_exit): pops the engine's record.
void checkpoint_pop(abi::Loop& loop);

// The built-in `checkpoint` policy of the configuration language (ckpt_policy.cpp).
void attach_checkpoint(ConfigEntry& e);

// A hook wrote local `var` (Frame::set_number and friends): its value is
// saved with every checkpoint, as hook-written state.
void note_hook_write(const abi::Loop& loop, std::string_view var);

// Files that hooks append to (the log): a checkpoint records their length,
// a resume truncates them to it. `tell` flushes and returns the length;
// `truncate` cuts the file (0 when the run starts over).
void register_output(std::string key, std::function<std::uint64_t()> tell,
                     std::function<void(std::uint64_t)> truncate);
// True when this run was asked to resume (PL_RESUME): outputs must not be
// truncated when they are opened, only once the checkpoint is known.
bool resume_requested();

// Once PL_CONFIG/PL_HOOKS are applied: a resume without any checkpoint
// policy starts over (and says so).
void checkpoint_after_config();

// Waits for the checkpoint write in flight (at exit).
void checkpoint_finish();

}  // namespace pl::detail

#endif  // PL_RUNTIME_CHECKPOINT_H
