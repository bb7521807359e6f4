// Hook registration, event delivery, every(N), actions and failures.
#include <gtest/gtest.h>
#include <pl/pl.h>

#include <string>
#include <vector>

#include "loops.h"

namespace {

struct Runtime : ::testing::Test {
  void SetUp() override { pl::reset(); }
  void TearDown() override { pl::reset(); }
};

std::string trace_of(const pl::Frame& f) {
  return std::string(f.loop()) + " " + std::string(pl::to_string(f.event())) + " " +
         std::to_string(f.iteration());
}

pl::Hook record_all(const std::string& sel, std::vector<std::string>& out) {
  return pl::on(sel)
      .at({pl::loop_enter, pl::iteration_begin, pl::iteration_end, pl::loop_exit})
      .call([&out](pl::Frame& f) { out.push_back(trace_of(f)); });
}

TEST_F(Runtime, IdleSitesGoQuietAfterTheirFirstEvent) {
  EXPECT_EQ(loops::sum(4), 6);
  auto seen = pl::seen_sites();
  ASSERT_FALSE(seen.empty());
  std::vector<std::string> got;
  pl::Hook h = record_all("loops::sum/loop0", got);
  EXPECT_EQ(loops::sum(1), 0);
  EXPECT_EQ(got.size(), 4u);  // enter, begin 0, end 0, exit
  h.remove();
  got.clear();
  EXPECT_EQ(loops::sum(3), 3);
  EXPECT_TRUE(got.empty()) << "a removed hook still fired";
}

TEST_F(Runtime, DeliversEveryEventInOrderWithIterations) {
  std::vector<std::string> got;
  record_all("loops::sum/**", got);
  EXPECT_EQ(loops::sum(2), 1);
  std::vector<std::string> want = {
      "loops::sum/loop0 loop_enter 0",    "loops::sum/loop0 iteration_begin 0",
      "loops::sum/loop0 iteration_end 0", "loops::sum/loop0 iteration_begin 1",
      "loops::sum/loop0 iteration_end 1", "loops::sum/loop0 loop_exit 2"};
  EXPECT_EQ(got, want);
}

TEST_F(Runtime, TripCountAndEnclosingLoops) {
  std::vector<std::string> got;
  pl::on("loops::nested/epoch/batch").at(pl::iteration_end).call([&](pl::Frame& f) {
    ASSERT_EQ(f.depth(), 2u);
    pl::LoopInfo outer = f.enclosing(1);
    got.push_back(std::string(outer.name) + "[" + std::to_string(outer.iteration) + "/" +
                  std::to_string(outer.trip) + "] batch " + std::to_string(f.iteration()) + "/" +
                  std::to_string(f.trip()));
  });
  loops::nested(2);
  ASSERT_EQ(got.size(), 8u);
  EXPECT_EQ(got[0], "loops::nested/epoch[0/2] batch 0/4");
  EXPECT_EQ(got[7], "loops::nested/epoch[1/2] batch 3/4");
}

TEST_F(Runtime, EveryNCountsIterationsNotCalls) {
  std::vector<std::uint64_t> begins, ends;
  pl::on("loops::sum/loop0").at(pl::iteration_begin).every(3).call([&](pl::Frame& f) {
    begins.push_back(f.iteration());
  });
  pl::on("loops::sum/loop0").at(pl::iteration_end).every(3).call([&](pl::Frame& f) {
    ends.push_back(f.iteration());
  });
  loops::sum(7);
  EXPECT_EQ(begins, (std::vector<std::uint64_t>{0, 3, 6}));
  EXPECT_EQ(ends, (std::vector<std::uint64_t>{2, 5}));
  EXPECT_THROW(pl::on("x").every(0), pl::Error);
}

TEST_F(Runtime, HookWritesALocalAndTheLoopSeesIt) {
  // s is an int: copied into a cell, written back after the hook returns.
  pl::on("loops::sum/loop0").at(pl::iteration_end).call([](pl::Frame& f) {
    if (f.iteration() == 1) f.set<int>("s", 100);
  });
  EXPECT_EQ(loops::sum(4), 100 + 2 + 3);
}

TEST_F(Runtime, HookWritesALargeObjectInPlace) {
  pl::on("loops::nested/epoch").at(pl::iteration_begin).call([](pl::Frame& f) {
    f.ref<std::vector<double>>("w")[0] = -100;
  });
  // each epoch: reset to -100, then 4 batches add 2 each.
  EXPECT_DOUBLE_EQ(loops::nested(3), -92);
}

TEST_F(Runtime, BreakRequestLeavesTheLoopAndExitFiresOnce) {
  std::vector<std::string> got;
  record_all("loops::sum/loop0", got);
  pl::on("loops::sum/loop0").at(pl::iteration_begin).call([](pl::Frame& f) {
    if (f.iteration() == 2) f.request_break();
  });
  EXPECT_EQ(loops::sum(10), 0 + 1);
  ASSERT_FALSE(got.empty());
  EXPECT_EQ(got.back(), "loops::sum/loop0 loop_exit 3");
  EXPECT_EQ(std::count_if(got.begin(), got.end(),
                          [](auto& s) { return s.find("loop_exit") != std::string::npos; }),
            1);
}

TEST_F(Runtime, StopRequestBreaksEveryLoopUntilReset) {
  int batches = 0;
  pl::on("loops::nested/epoch/batch").at(pl::iteration_end).call([&](pl::Frame& f) {
    ++batches;
    if (f.enclosing(1).iteration == 1 && f.iteration() == 1) f.request_stop();
  });
  loops::nested(5);
  EXPECT_EQ(batches, 4 + 2);
  EXPECT_EQ(loops::sum(5), 0) << "loops entered after a stop request must not run";
  pl::reset();
  EXPECT_EQ(loops::sum(5), 10);
}

TEST_F(Runtime, ThrowingHookIsDisabledAndTheRunGoesOn) {
  int calls = 0;
  pl::on("loops::sum/loop0").at(pl::iteration_end).named("flaky").call([&](pl::Frame&) {
    ++calls;
    throw std::runtime_error("boom");
  });
  testing::internal::CaptureStderr();
  EXPECT_EQ(loops::sum(5), 10);
  std::string err = testing::internal::GetCapturedStderr();
  EXPECT_EQ(calls, 1);
  EXPECT_NE(err.find("hook 'flaky' failed at loops::sum/loop0"), std::string::npos) << err;
  EXPECT_NE(err.find("boom; hook disabled"), std::string::npos) << err;
}

TEST_F(Runtime, ExitFiresOnceWhenAnExceptionLeavesTheLoop) {
  std::vector<std::string> got;
  record_all("loops::throwing/loop0", got);
  EXPECT_THROW(loops::throwing(10, 2), int);
  std::vector<std::string> want = {
      "loops::throwing/loop0 loop_enter 0",    "loops::throwing/loop0 iteration_begin 0",
      "loops::throwing/loop0 iteration_end 0", "loops::throwing/loop0 iteration_begin 1",
      "loops::throwing/loop0 iteration_end 1", "loops::throwing/loop0 iteration_begin 2",
      "loops::throwing/loop0 loop_exit 3"};
  EXPECT_EQ(got, want);
}

TEST_F(Runtime, HooksAttachedMidRunApplyFromTheNextEvent) {
  int ends = 0;
  pl::Hook late;
  pl::on("loops::nested/epoch").at(pl::iteration_begin).call([&](pl::Frame& f) {
    if (f.iteration() == 1 && !late)
      late = pl::on("loops::nested/epoch/batch").at(pl::iteration_end).call([&](pl::Frame&) {
        ++ends;
      });
  });
  loops::nested(3);
  EXPECT_EQ(ends, 8);  // epochs 1 and 2, four batches each
}

}  // namespace
