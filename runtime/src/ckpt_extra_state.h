// Internal: what a checkpoint saves besides the loops' state variables.
//
//  - locals a hook wrote (Frame::set and friends): saved as `set/K/VAR`
//    records with every checkpoint of that point, so a resume keeps what a
//    hook decided (a learning rate it lowered);
//  - extra state registered by hooks, one `hook/KEY` record each: the length
//    of a log a hook appends to (register_output in checkpoint.h), ... A
//    resume hands each source its saved payload, or nothing when the run
//    starts over or the checkpoint has no record of it.
//
// Adding a kind of hook-owned state (a hook's memory, say) is one call to
// add_extra_state with its save and restore functions.
#ifndef PL_RUNTIME_CKPT_EXTRA_STATE_H
#define PL_RUNTIME_CKPT_EXTRA_STATE_H

#include <functional>
#include <map>
#include <mutex>
#include <set>
#include <string>
#include <string_view>
#include <vector>

#include "checkpoint_file.h"
#include "ckpt_records.h"

namespace pl::detail {

struct ExtraState {
  std::string key;   // the record is kExtraPrefix + key
  std::string type;  // the record's type, e.g. "pl::FileOffset"
  std::function<Bytes()> save;
  // The payload saved under `key`, or null: the run starts over, or the
  // checkpoint has none. May throw (the resume is then refused).
  std::function<void(const Bytes* saved)> restore;
};

class ExtraStates {
 public:
  static ExtraStates& get();

  void add(ExtraState s);
  // Records of every extra state, appended to `out`.
  void save_all(std::vector<CheckpointRecord>& out);
  // Resume: each source gets its record from `saved` (null when absent).
  void restore_all(const std::vector<CheckpointRecord>& saved);
  // No checkpoint to resume from: every source starts over, now and when added later.
  void start_over();

  void note_hook_write(std::string_view var);
  bool hook_wrote(const std::string& var) const;

 private:
  mutable std::mutex mu_;
  std::vector<ExtraState> sources_;
  bool fresh_start_ = false;
  std::set<std::string> hook_written_;
};

}  // namespace pl::detail

#endif  // PL_RUNTIME_CKPT_EXTRA_STATE_H
