// The memory of hooks round-trips through the hook-state registry: saved in
// one run, loaded into freshly attached hooks, they go on exactly as the
// uninterrupted hooks would have (what a checkpoint and resume do with it).
#include "../../runtime/src/hook_state.h"

#include <gtest/gtest.h>
#include <pl/pl.h>

#include "../../runtime/src/config.h"
#include "loops.h"

namespace {

using pl::detail::HookStateBlobs;
using pl::detail::restore_hook_states;
using pl::detail::save_all_hook_states;

struct HookState : ::testing::Test {
  void SetUp() override { pl::reset(); }
  void TearDown() override { pl::reset(); }
};

// Saves every hook's state at the end of iteration `at` of loops::sum.
HookStateBlobs save_at(std::uint64_t at, int n) {
  HookStateBlobs blobs;
  pl::on("loops::sum/loop0").once_at(at).call([&](pl::Frame&) { blobs = save_all_hook_states(); });
  testing::internal::CaptureStderr();
  loops::sum(n);
  testing::internal::GetCapturedStderr();
  return blobs;
}

// Loads `blobs` at the start of iteration 0 (as a resume does at the
// iteration after the checkpoint): the new run's iteration k stands for the
// saved run's iteration k + 1 + the iteration saved at.
void load_at_start(const HookStateBlobs& blobs) {
  pl::on("loops::sum/loop0").at(pl::iteration_begin).once_at(0).call([&](pl::Frame&) {
    for (const std::string& note : restore_hook_states(blobs)) ADD_FAILURE() << note;
  });
}

TEST_F(HookState, KeysAreStableAndNotesNameMismatches) {
  int a = 1, b = 2;
  pl::Hook h = pl::on("*/x").state(a).state(b).call([](pl::Frame&) {});
  HookStateBlobs blobs = save_all_hook_states();
  ASSERT_EQ(blobs.size(), 2u);
  EXPECT_EQ(blobs[0].first, "*/x | state");
  EXPECT_EQ(blobs[1].first, "*/x | state #2");
  a = 10;
  b = 20;
  EXPECT_TRUE(restore_hook_states(blobs).empty());
  EXPECT_EQ(a, 1);
  EXPECT_EQ(b, 2);
  h.remove();
  auto notes = restore_hook_states(blobs);
  ASSERT_EQ(notes.size(), 2u);
  EXPECT_NE(notes[0].find("which this run does not have"), std::string::npos) << notes[0];
  blobs[0].second += "x";  // a blob that does not fit its hook
  pl::on("*/x").state(a).state(b).call([](pl::Frame&) {});
  EXPECT_THROW(restore_hook_states(blobs), pl::FormatError);
}

TEST_F(HookState, EarlystopGoesOnFromItsSavedPatience) {
  // s = 0, 1, 3, 6 ... never improves on 0 (mode=min): patience 4 runs out
  // at iteration 4. Saved after iteration 2 (2 bad iterations so far), the
  // resumed hook must stop 2 iterations later (after its iteration 1), not 4.
  const char* conf = "earlystop loops::sum/loop0 var=s mode=min patience=4";
  pl::configure(conf);
  HookStateBlobs blobs = save_at(2, 100);
  pl::reset();
  pl::configure(conf);
  load_at_start(blobs);
  testing::internal::CaptureStderr();
  EXPECT_EQ(loops::sum(100), 0 + 1) << "left after iteration 1: 4 bad iterations in all";
  std::string err = testing::internal::GetCapturedStderr();
  EXPECT_NE(err.find("after iteration 1: s has not improved for 4 iterations (best 0"),
            std::string::npos)
      << err;
}

TEST_F(HookState, FirstCountersAndTimersGoOn) {
  int runs = 0, timed = 0;
  auto attach = [&] {
    pl::on("loops::sum/loop0").first(3).call([&](pl::Frame&) { ++runs; });
    pl::on("loops::sum/loop0").every_seconds(3600).call([&](pl::Frame&) { ++timed; });
  };
  attach();
  HookStateBlobs blobs = save_at(1, 2);  // first(3) ran twice, the timed hook once
  EXPECT_EQ(runs, 2);
  EXPECT_EQ(timed, 1);
  pl::reset();
  runs = timed = 0;
  attach();
  load_at_start(blobs);
  loops::sum(10);
  EXPECT_EQ(runs, 1) << "first(3) had one run left";
  EXPECT_EQ(timed, 0) << "within the hour of its last run, the timed hook must not run again";
}

TEST_F(HookState, UserHookStateIsSavedAndRestored) {
  double total = 0;
  auto attach = [&] {
    pl::on("loops::sum/loop0").state(total).call([&](pl::Frame& f) { total += f.number("s"); });
  };
  attach();
  HookStateBlobs blobs = save_at(2, 3);  // total = 0 + 1 + 3
  EXPECT_EQ(total, 4);
  pl::reset();
  total = -1;
  attach();
  load_at_start(blobs);
  loops::sum(3);  // from the saved 4: + 0 + 1 + 3
  EXPECT_EQ(total, 4 + 0 + 1 + 3);
}

}  // namespace
