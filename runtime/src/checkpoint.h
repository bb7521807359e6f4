// Internal: checkpoints at loop boundaries and exact resume (docs/CHECKPOINTS.md).
//
// The engine follows the per-thread stack of active loops (one record per
// activation), takes checkpoints when a policy hook asks at the end of an
// iteration, writes them on a oneTBB task, and, on resume, walks the saved
// position: loops on it restore their state at their first iteration and
// skip the iterations before the checkpoint.
#ifndef PL_RUNTIME_CHECKPOINT_H
#define PL_RUNTIME_CHECKPOINT_H

#include <pl/pl.h>

#include <atomic>
#include <cstdint>
#include <functional>
#include <string>

namespace pl::detail {

struct SiteRt;
class ConfigEntry;

// Runtime-owned bits of abi::Loop::state.
enum LoopStateBits : std::uint32_t {
  kLinked = 1u << 0,     // on this thread's stack of active loops
  kExitFired = 1u << 1,  // loop_exit hooks ran
  kHasRec = 1u << 2,     // the checkpoint engine keeps a record of it
};

// Set while a checkpoint policy is attached or a resume is in progress; read
// on every dispatched event.
extern std::atomic<bool> g_checkpointing;

// Extra mask bits the engine needs at a site (kTrack, kExit, kBegin ...).
std::uint8_t checkpoint_mask(const SiteRt& rt);
// Whether the engine needs every kBegin of this site (no gate may skip one).
bool checkpoint_needs_every_begin(const SiteRt& rt);

// Called by dispatch for every event while g_checkpointing is set; returns
// actions (kBreak to leave a completed loop whose exit state was restored,
// kSkip to skip an iteration before the resumed one).
std::uint32_t checkpoint_event(SiteRt& rt, abi::Loop& loop, abi::Event ev,
                               const abi::PointDesc* point, void* const* addrs);
// The loop's activation ends (from loop_exit): pops the engine's record.
void checkpoint_pop(abi::Loop& loop);

// The built-in `checkpoint` hook of the configuration language.
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
