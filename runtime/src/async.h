// Internal: asynchronous hooks. At the boundary the training thread copies
// the scalar locals the hook declared (a Snapshot) and queues it; one oneTBB
// task at a time drains the hook's queue, so a hook sees its events in
// order. The queue is bounded: when it is full the loop waits for the hook
// (back-pressure) instead of growing memory.
#ifndef PL_RUNTIME_ASYNC_H
#define PL_RUNTIME_ASYNC_H

#include <tbb/concurrent_queue.h>
#include <tbb/task_group.h>

#include <atomic>
#include <memory>
#include <string>
#include <vector>

#include "registry.h"

namespace pl::detail {

class Snapshot {
 public:
  // Copies what `hook` reads from the live frame; throws pl::Error when a
  // declared local is not a scalar.
  Snapshot(const Frame& live, const HookRec& hook);
  Frame frame() const;

 private:
  struct alignas(16) Slot {
    unsigned char bytes[16];
  };
  const abi::SiteDesc* site_;
  abi::Event event_;
  std::uint64_t iterations_;
  std::int64_t trip_;
  std::vector<LoopInfo> enclosing_;
  std::vector<abi::VarDesc> vars_;
  std::vector<Slot> slots_;
  std::vector<void*> addrs_;
  abi::PointDesc point_{};
};

class AsyncRunner {
 public:
  AsyncRunner(HookRec& hook, std::size_t depth);
  ~AsyncRunner();
  void push(std::unique_ptr<Snapshot> s);
  void wait();

 private:
  void drain();

  HookRec& hook_;
  tbb::concurrent_bounded_queue<std::unique_ptr<Snapshot>> queue_;
  std::atomic<long> pending_{0};
  tbb::task_group group_;
};

}  // namespace pl::detail

#endif  // PL_RUNTIME_ASYNC_H
