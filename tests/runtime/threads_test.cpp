// Loops running on several threads deliver their events correctly.
#include <gtest/gtest.h>
#include <pl/pl.h>
#include <tbb/parallel_for.h>

#include <atomic>
#include <mutex>
#include <set>
#include <thread>

#include "loops.h"

namespace {

TEST(Threads, ParallelForDeliversEveryEventWithPerThreadNesting) {
  pl::reset();
  std::atomic<long> batch_ends{0}, epoch_ends{0}, wrong_parent{0};
  std::mutex mu;
  std::set<std::thread::id> threads;
  pl::on("loops::nested/epoch/batch").at(pl::iteration_end).call([&](pl::Frame& f) {
    batch_ends.fetch_add(1, std::memory_order_relaxed);
    if (f.depth() != 2 || f.enclosing(1).name != "loops::nested/epoch") ++wrong_parent;
    std::lock_guard lock(mu);
    threads.insert(std::this_thread::get_id());
  });
  pl::on("loops::nested/epoch").at(pl::iteration_end).call([&](pl::Frame&) { ++epoch_ends; });
  constexpr int kTasks = 400;
  std::atomic<long> total{0};
  tbb::parallel_for(0, kTasks, [&](int) { total += long(loops::nested(3)); });
  EXPECT_EQ(batch_ends.load(), kTasks * 3L * 4L);
  EXPECT_EQ(epoch_ends.load(), kTasks * 3L);
  EXPECT_EQ(wrong_parent.load(), 0);
  EXPECT_EQ(total.load(), kTasks * long(1 + 3 * 4 * 2));
  pl::reset();
}

TEST(Threads, AttachingAndDetachingWhileLoopsRun) {
  pl::reset();
  std::atomic<bool> done{false};
  std::atomic<long> fired{0};
  std::thread churn([&] {
    while (!done) {
      pl::Hook h = pl::on("loops::sum/**").at(pl::iteration_end).call([&](pl::Frame&) { ++fired; });
      std::this_thread::yield();
      h.remove();
    }
  });
  long sum = 0;
  tbb::parallel_for(0, 2000, [&](int) {
    int s = loops::sum(50);
    if (s != 1225) ADD_FAILURE() << "wrong sum " << s;
  });
  done = true;
  churn.join();
  (void)sum;
  pl::reset();
}

}  // namespace
