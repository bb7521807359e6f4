// The checkpoint engine with loops on many threads at once: every worker of
// a tbb::parallel_for runs a checkpointed nest, so checkpoints fall due on
// several threads together (one write in flight, the others skipped). Runs
// in a child process — an accepted policy switches checkpointing on for the
// whole process — and, in the ThreadSanitizer job, under TSan.
#include <dirent.h>
#include <gtest/gtest.h>
#include <pl/abi_state.h>
#include <pl/pl.h>
#include <tbb/parallel_for.h>
#include <unistd.h>

#include <atomic>
#include <cstdio>
#include <cstdlib>
#include <string>
#include <vector>

#include "../../runtime/src/checkpoint_file.h"

namespace {

// std::vector<double> w(3, 1.0);
// PL_LOOP(epoch) for (int e = 0; e < epochs; ++e)
//   PL_LOOP(batch) for (int b = 0; b < 4; ++b) w[0] += 2;
// return w[0];                                  (state: w, e, b)
double nest(int epochs) {
  std::vector<double> w(3, 1.0);
  {
    PL_SITE_(pl_s0, "ckpt::nest/epoch", "checkpoint_threads_test.cpp", 25, kFor);
    PL_VARS_(pl_p0e, 25, PL_V_(epochs), PL_S_(w));
    ::pl::abi::Loop pl_l0(pl_s0);
    PL_ENTER_(pl_l0, pl_p0e, pl_x0, ::pl::abi::trip_count(0, epochs, 1, false), epochs, w);
    for (int e = 0; e < epochs; ++e) {
      PL_VARS_(pl_p0b, 26, PL_V_(epochs), PL_S_(w), PL_S_(e));
      PL_BEGIN_(pl_l0, pl_p0b, pl_x0, epochs, w, e);
      {
        PL_SITE_(pl_s1, "ckpt::nest/epoch/batch", "checkpoint_threads_test.cpp", 26, kFor);
        PL_VARS_(pl_p1e, 26, PL_V_(epochs), PL_S_(w), PL_S_(e));
        ::pl::abi::Loop pl_l1(pl_s1);
        PL_ENTER_(pl_l1, pl_p1e, pl_x1, ::pl::abi::trip_count(0, 4, 1, false), epochs, w, e);
        for (int b = 0; b < 4; ++b) {
          PL_VARS_(pl_p1b, 26, PL_V_(epochs), PL_S_(w), PL_S_(e), PL_S_(b));
          PL_BEGIN_(pl_l1, pl_p1b, pl_x1, epochs, w, e, b);
          w[0] += 2;
          PL_VARS_(pl_p1n, 26, PL_V_(epochs), PL_S_(w), PL_S_(e), PL_S_(b));
          PL_END_(pl_l1, pl_p1n, pl_x1, epochs, w, e, b);
        }
      pl_x1:
        PL_EXIT_(pl_l1, pl_p1e, epochs, w, e);
      }
      PL_VARS_(pl_p0n, 26, PL_V_(epochs), PL_S_(w), PL_S_(e));
      PL_END_(pl_l0, pl_p0n, pl_x0, epochs, w, e);
    }
  pl_x0:
    PL_EXIT_(pl_l0, pl_p0e, epochs, w);
  }
  return w[0];
}

std::string self_path() {
  char buf[4096];
  ssize_t n = readlink("/proc/self/exe", buf, sizeof buf - 1);
  return std::string(buf, n > 0 ? std::size_t(n) : 0);
}

TEST(CheckpointThreads, ChildOfManyThreadsCheckpointTogether) {
  if (!std::getenv("PL_TEST_CKPT_CHILD")) GTEST_SKIP() << "runs as the child of the test below";
  std::atomic<long> total{0};
  tbb::parallel_for(0, 400, [&](int) { total += long(nest(5)); });
  EXPECT_EQ(total.load(), 400L * long(1 + 5 * 4 * 2));
}

TEST(CheckpointThreads, ManyThreadsCheckpointTogether) {
  char tmpl[] = "/tmp/pl_ckpt_threads_XXXXXX";
  ASSERT_NE(mkdtemp(tmpl), nullptr);
  const std::string dir = tmpl;
  const std::string cmd = "PL_TEST_CKPT_CHILD=1 PL_HOOKS='checkpoint ckpt::nest/epoch/batch every=2 "
                          "dir=" + dir + " keep=2' '" + self_path() +
                          "' --gtest_filter=CheckpointThreads.ChildOfManyThreadsCheckpointTogether "
                          "2>&1";
  FILE* p = popen(cmd.c_str(), "r");
  ASSERT_NE(p, nullptr);
  std::string out;
  char buf[512];
  while (fgets(buf, sizeof buf, p)) out += buf;
  const int status = pclose(p);
  EXPECT_EQ(status, 0) << out;
  EXPECT_NE(out.find("[  PASSED  ] 1 test"), std::string::npos) << out;
  // keep=2: at most two files, each a valid checkpoint of the batch loop.
  std::vector<std::string> files;
  if (DIR* d = opendir(dir.c_str())) {
    while (dirent* e = readdir(d))
      if (std::string(e->d_name).rfind("ckpt-", 0) == 0) files.push_back(dir + "/" + e->d_name);
    closedir(d);
  }
  EXPECT_GE(files.size(), 1u);
  EXPECT_LE(files.size(), 2u);
  for (const std::string& f : files) {
    pl::detail::CheckpointData data = pl::detail::read_checkpoint(f);
    bool has_w = false;
    for (const auto& r : data.records) has_w |= r.name == "state/1/w";
    EXPECT_TRUE(has_w) << f;
    std::remove(f.c_str());
  }
  rmdir(dir.c_str());
}

}  // namespace
