// Internal: the memory of hooks, saved and restored with checkpoints.
//
// A hook with memory (earlystop's best value and patience counter, the
// counters of first=/every=, the timer of every=T, a profile's totals, a
// user hook's pl::on(...).state(x)) registers a save and a load function
// under a key that is stable across a resume of the same configuration:
// the hook's label (its config entry `<hook> <selector>`, its name=, or a
// user hook's selector) and what the state is, plus an ordinal when several
// hooks share that label. The checkpoint engine saves every registered state
// as one blob per key and, once a resume has reached the saved position,
// loads each blob back into the hook of the same key.
#ifndef PL_RUNTIME_HOOK_STATE_H
#define PL_RUNTIME_HOOK_STATE_H

#include <pl/pl.h>

#include <cstdint>
#include <functional>
#include <string>
#include <utility>
#include <vector>

namespace pl::detail {

struct HookRec;

struct HookStateOps {
  std::function<void(Writer&)> save;
  std::function<void(Reader&)> load;
};

// Registers the state of hook `hook_id` under `key` ("key", or "key #2",
// "key #3" ... when live hooks hold the lower ones). Returns the key used.
std::string register_hook_state(std::uint64_t hook_id, const std::string& key, HookStateOps ops);
// The hook was removed (its state is no longer saved), or all were (pl::reset).
void forget_hook_states(std::uint64_t hook_id);
void forget_all_hook_states();

using HookStateBlobs = std::vector<std::pair<std::string, std::string>>;  // key, bytes

// Every registered state, after asynchronous hooks drained: their queued
// events belong to the checkpoint (the state they lead to, and the rows an
// asynchronous log writes before the engine records its file's length).
HookStateBlobs save_all_hook_states();

// Loads each blob into the hook registered under its key. Returns one note
// per mismatch (a saved hook that is gone, a hook that has no saved state:
// it starts afresh); throws pl::FormatError when a blob does not load.
std::vector<std::string> restore_hook_states(const HookStateBlobs& blobs);

// Registers the memory of a hook's filters (first=K runs, every=N counts at
// enter/exit, the last run of every=T), when it has any.
void register_filter_state(HookRec& hook);

}  // namespace pl::detail

#endif  // PL_RUNTIME_HOOK_STATE_H
