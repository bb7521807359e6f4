// Internal: writing checkpoints — the hand-off of a taken snapshot to the
// writer thread, the atomic write (checkpoint_file.h), and pruning to the
// last `keep` files of the directory.
//
// One write is in flight at a time: a periodic checkpoint due while the
// previous one is still being written is skipped (and counted); a final one
// (signal, loop end) waits for it.
//
// The writer is a thread of its own, started with the first write, not a
// oneTBB task: a write blocks on the disk and would take a worker from the
// program's parallel loops, and the hand-over goes through a mutex and a
// condition variable every tool sees (ThreadSanitizer cannot see through
// Debian's uninstrumented oneTBB, and reported each task's captures as
// races).
#ifndef PL_RUNTIME_CKPT_WRITER_H
#define PL_RUNTIME_CKPT_WRITER_H

#include <atomic>
#include <condition_variable>
#include <cstdint>
#include <memory>
#include <mutex>
#include <set>
#include <string>
#include <utility>
#include <vector>

#include "checkpoint_file.h"

namespace pl::detail {

class CheckpointWriter {
 public:
  static CheckpointWriter& get();

  // A policy was attached: write into `dir`, keep `keep` files. Removes
  // files torn by a killed run and continues their sequence numbers.
  void configure(const std::string& dir, unsigned keep);
  bool configured() const;
  std::string dir() const;
  std::uint64_t next_sequence();

  // Writes `data` as checkpoint `seq` on a worker. `wait`: after the write
  // in flight, and until this one is written; returns whether it was.
  // Otherwise returns false when skipped.
  bool submit(CheckpointData data, std::uint64_t seq, bool wait);
  std::string last_good() const;
  // Measured write speed in bytes/s (an estimate until a write was measured).
  double bandwidth() const { return bandwidth_.load(); }

  // The checkpoint files of `dir`, oldest sequence first.
  static std::vector<std::pair<std::uint64_t, std::string>> list_files(const std::string& dir);

  // At exit: waits for the write in flight, reports failures and skips.
  void finish();

 private:
  struct Job {
    CheckpointData data;
    std::string path, dir;
  };
  void run_writer();                                // the writer thread
  void wait_idle(std::unique_lock<std::mutex>& l);  // holds jobs_mu_
  void write_one(const CheckpointData& data, const std::string& path, const std::string& dir);
  void report_failure(const std::string& what);  // holds mu_
  void remove_torn_writes() const;               // holds mu_
  void prune(const std::string& dir);            // holds mu_

  mutable std::mutex mu_;
  bool configured_ = false;
  std::string dir_ = "pl-checkpoints";
  unsigned keep_ = 3;
  std::uint64_t next_seq_ = 1;
  std::string last_good_;
  std::set<std::string> write_errors_;
  std::uint64_t failed_writes_ = 0;
  std::uint64_t written_ = 0;  // and their total time, for the advice at exit
  double write_seconds_ = 0;
  // The writer thread's one job (the write in flight), under jobs_mu_.
  std::mutex jobs_mu_;
  std::condition_variable job_ready_, job_done_;
  std::unique_ptr<Job> job_;
  bool writing_ = false, thread_started_ = false;
  std::atomic<bool> in_flight_{false};
  std::atomic<std::uint64_t> skipped_{0};
  std::atomic<double> bandwidth_{200e6};  // bytes/s until a write was measured
};

}  // namespace pl::detail

#endif  // PL_RUNTIME_CKPT_WRITER_H
