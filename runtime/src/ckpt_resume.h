// Internal: resuming from the newest valid checkpoint (PL_RESUME=1).
//
// Once the first policy is attached, the newest checkpoint of its directory
// that reads back cleanly is loaded (older ones are the fallback). At the
// first loop event every instrumented translation unit has registered its
// manifest, so the program's fingerprint is complete: the checkpoint is
// verified against it (refused with reasons, or accepted). Then the run
// replays its saved position: each loop on it is matched at its kEnter
// (site and activation), restores its state at its first iteration and
// skips to the saved one; loops that had completed are skipped with their
// saved exit state. Anything that does not follow the saved position ends
// the run with status 2 and a message rather than resuming wrongly: a loop
// on it whose trip count (abi::Loop::trip, when pl computes one) differs
// from the saved run's, an iteration of a loop on it that ends without
// entering the next one, a loop on it that ends before the saved iteration,
// and a run that ends before reaching the saved position at all.
#ifndef PL_RUNTIME_CKPT_RESUME_H
#define PL_RUNTIME_CKPT_RESUME_H

#include <pl/abi.h>

#include <atomic>
#include <map>
#include <memory>
#include <mutex>
#include <string>

#include "activation_stack.h"
#include "checkpoint_file.h"
#include "ckpt_loaded.h"
#include "ckpt_records.h"

namespace pl::detail {

class Resumer {
 public:
  static Resumer& get();

  // The first policy was attached: find the checkpoint to resume from in `dir`.
  void load(const std::string& dir);
  // Once the configuration is applied: PL_RESUME without any policy starts over.
  void after_config();

  // Called on every engine event: verifies a loaded checkpoint once.
  void verify_if_pending() {
    if (pending_verify_.load(std::memory_order_acquire)) verify();
  }
  // Between an accepted checkpoint and the iteration it was taken at.
  bool active() const { return resuming_.load(std::memory_order_acquire); }

  // Hooks of the engine's events while active(). `parent` is the record
  // enclosing `r` (the thread's top level for a top-level loop).
  std::uint32_t on_enter(Activation& r, Activation& parent, bool top_level,
                         const abi::PointDesc* point, void* const* addrs);
  std::uint32_t on_begin(Activation& r, const abi::PointDesc* point, void* const* addrs);
  void on_end(const Activation& r);
  void on_drop(const Activation& r);
  // At exit: a resume that never reached the saved position fails (status 2).
  void at_exit();

 private:
  void verify();
  void accept();  // holds mu_
  std::uint32_t match(Activation& r, Activation& parent, std::size_t next,
                      const abi::PointDesc* point, void* const* addrs, bool& finished);
  std::uint32_t skip_completed(Activation& r, Activation& parent, std::size_t next,
                               const abi::PointDesc* point, void* const* addrs);
  std::uint32_t reposition(Activation& r, const abi::PointDesc* point, void* const* addrs,
                           bool& finished);
  void restore(const abi::PointDesc* point, void* const* addrs, const std::string& prefix,
               bool all, const std::string& loop);  // holds mu_
  void finished_at(const std::string& loop, std::uint64_t iterations);  // holds mu_
  void check_trip(const Activation& r, std::size_t k);                  // holds mu_

  std::mutex mu_;
  bool looked_ = false;
  std::atomic<bool> root_matched_{false};  // read without mu_: threads off the path
  std::size_t reached_ = 0;                // position entries matched so far
  std::unique_ptr<LoadedCheckpoint> loaded_;
  std::map<std::string, const CheckpointRecord*> records_;  // by name, into loaded_
  std::atomic<bool> pending_verify_{false}, resuming_{false};
};

}  // namespace pl::detail

#endif  // PL_RUNTIME_CKPT_RESUME_H
