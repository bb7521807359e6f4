// State saved besides the loops' variables; see ckpt_extra_state.h.
#include "ckpt_extra_state.h"

namespace pl::detail {

ExtraStates& ExtraStates::get() {
  static ExtraStates* e = new ExtraStates;  // leaked: loops may run during exit
  return *e;
}

void ExtraStates::add(ExtraState s) {
  std::lock_guard lock(mu_);
  if (fresh_start_) s.restore(nullptr);  // PL_RESUME, but nothing to resume from
  sources_.push_back(std::move(s));
}

void ExtraStates::save_all(std::vector<CheckpointRecord>& out) {
  std::lock_guard lock(mu_);
  for (ExtraState& s : sources_) out.push_back({kExtraPrefix + s.key, s.type, s.save()});
}

void ExtraStates::restore_all(const std::vector<CheckpointRecord>& saved) {
  std::lock_guard lock(mu_);
  for (ExtraState& s : sources_) {
    const Bytes* payload = nullptr;
    for (const CheckpointRecord& r : saved)
      if (r.name == kExtraPrefix + s.key) payload = &r.payload;
    s.restore(payload);
  }
}

void ExtraStates::start_over() {
  std::lock_guard lock(mu_);
  fresh_start_ = true;
  for (ExtraState& s : sources_) s.restore(nullptr);
}

void ExtraStates::note_hook_write(std::string_view var) {
  std::lock_guard lock(mu_);
  hook_written_.insert(std::string(var));
}

bool ExtraStates::hook_wrote(const std::string& var) const {
  std::lock_guard lock(mu_);
  return hook_written_.count(var) != 0;
}

}  // namespace pl::detail
