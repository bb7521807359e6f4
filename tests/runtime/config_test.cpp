// The hook language: every mistake is reported with source:line:column,
// what was expected and near matches, and a bad configuration attaches
// nothing.
#include "../../runtime/src/config.h"

#include <gtest/gtest.h>
#include <pl/pl.h>

#include <chrono>

#include "loops.h"

namespace {

std::string config_error(const std::string& text, char sep = ';') {
  try {
    pl::configure(text, "PL_HOOKS", sep);
  } catch (const pl::Error& e) {
    return e.what();
  }
  return "(accepted)";
}

struct Config : ::testing::Test {
  void SetUp() override { pl::reset(); }
  void TearDown() override { pl::reset(); }
};

TEST_F(Config, UnknownHookNamesNearMatches) {
  EXPECT_EQ(config_error("progres */epoch"),
            "PL_HOOKS:1:1: unknown hook 'progres' (did you mean 'progress'?); built-in hooks: "
            "break, checkpoint, earlystop, events, log, profile, progress, set, stop, trace");
}

TEST_F(Config, UnknownOptionNamesNearMatchesAndColumn) {
  std::string err = config_error("log */epoch vars=loss evry=2");
  EXPECT_EQ(
      err.rfind("PL_HOOKS:1:23: unknown option 'evry' for hook 'log' (did you mean 'every'", 0), 0u)
      << err;
}

TEST_F(Config, LinesAndColumnsCountAcrossEntries) {
  EXPECT_EQ(config_error("profile **\n\n  set */epoch var=lr mul=x", '\n'),
            "PL_HOOKS:3:22: 'mul=x': expected a number");
  EXPECT_EQ(
      config_error("profile **; log"),
      "PL_HOOKS:1:16: expected a loop selector after 'log' (e.g. '*/epoch' or 'mlp::train/**')");
  EXPECT_EQ(config_error("log vars=loss"),
            "PL_HOOKS:1:5: expected a loop selector before the options, got 'vars=loss'");
}

TEST_F(Config, ValuesAreChecked) {
  EXPECT_EQ(config_error("break */x when=loss"),
            "PL_HOOKS:1:11: 'when=loss': expected a comparison (<, <=, >, >=, ==, !=), e.g. "
            "when=loss<0.3");
  EXPECT_EQ(config_error("log */x vars=a every=0"),
            "PL_HOOKS:1:16: 'every=0': expected a positive amount");
  EXPECT_EQ(config_error("log */x vars=a every=3h"),
            "PL_HOOKS:1:16: 'every=3h': expected N (iterations) or a time such as 2s, 500ms, 1min");
  EXPECT_EQ(
      config_error("log */x vars=a at=middle"),
      "PL_HOOKS:1:16: 'at=middle': unknown event 'middle'; expected enter, begin, end or exit");
  EXPECT_EQ(config_error("earlystop */x var=a mode=up"),
            "PL_HOOKS:1:21: 'mode=up': expected min or max");
  EXPECT_EQ(config_error("set */x var=a add=1 mul=2"),
            "PL_HOOKS:1:1: set needs exactly one of value=, add=, mul=");
  EXPECT_EQ(config_error("log */x vars=a vars=b"), "PL_HOOKS:1:16: option 'vars' given twice");
  EXPECT_EQ(config_error("log */x"),
            "PL_HOOKS:1:1: log needs vars=<locals to log>, e.g. vars=loss,accuracy");
}

TEST_F(Config, ABadEntryAttachesNothing) {
  // The first entry is fine, the second fails: neither may be attached.
  EXPECT_NE(
      config_error(
          "set loops::sum/loop0 var=s value=1000; log */x vars=a file=/nonexistent/dir/x.csv"),
      "(accepted)");
  EXPECT_EQ(loops::sum(4), 6);
}

TEST_F(Config, SetChangesALocalOnASchedule) {
  // Every 2nd iteration end, s *= 10: s = 0,1 -> 10, +2 = 12, +3 -> 150, +4 = 154.
  pl::configure("set loops::sum/loop0 var=s mul=10 every=2", "test");
  testing::internal::CaptureStderr();
  EXPECT_EQ(loops::sum(5), (((0 + 1) * 10 + 2 + 3) * 10) + 4);
  std::string err = testing::internal::GetCapturedStderr();
  EXPECT_NE(err.find("pl: set s 1.000000 -> 10 at loops::sum/loop0 iteration 1"), std::string::npos)
      << err;
}

TEST_F(Config, BreakAndStopWithPredicates) {
  pl::configure("break loops::sum/loop0 when=s>=10", "test");
  testing::internal::CaptureStderr();
  EXPECT_EQ(loops::sum(100), 10);  // 0+1+2+3+4 = 10 at the end of iteration 4
  testing::internal::GetCapturedStderr();
  pl::reset();
  pl::configure("stop loops::nested/epoch/batch once=2", "test");
  testing::internal::CaptureStderr();
  EXPECT_DOUBLE_EQ(loops::nested(3), 1 + 3 * 2);  // three batches of the first epoch only
  EXPECT_EQ(loops::sum(5), 0);
  testing::internal::GetCapturedStderr();
}

TEST_F(Config, FiltersFirstAndOnce) {
  int runs = 0;
  pl::on("loops::sum/loop0").first(2).call([&](pl::Frame&) { ++runs; });
  std::vector<std::uint64_t> at;
  pl::on("loops::sum/loop0").at(pl::iteration_begin).once_at(3).call([&](pl::Frame& f) {
    at.push_back(f.iteration());
  });
  loops::sum(6);
  EXPECT_EQ(runs, 2);
  EXPECT_EQ(at, std::vector<std::uint64_t>{3});
}

TEST_F(Config, ExhaustedAndSleepingHooksLeaveTheLoopIdle) {
  // The predicate counts how often the runtime is asked about the event.
  int asked_first = 0, asked_timed = 0;
  pl::on("loops::sum/loop0")
      .first(2)
      .when([&](const pl::Frame&) { return ++asked_first > 0; })
      .call([](pl::Frame&) {});
  loops::sum(50);
  EXPECT_EQ(asked_first, 2) << "after its last run, a first(K) hook must not be consulted";
  pl::reset();
  pl::on("loops::sum/loop0")
      .every_seconds(3600)
      .when([&](const pl::Frame&) { return ++asked_timed > 0; })
      .call([](pl::Frame&) {});
  loops::sum(50);
  EXPECT_EQ(asked_timed, 1) << "between its periods, a time-filtered hook must not be consulted";
}

TEST_F(Config, TimeFilteredHooksWakeUpForTheirNextPeriod) {
  int runs = 0;
  pl::on("loops::sum/loop0").every_seconds(0.05).call([&](pl::Frame&) { ++runs; });
  auto until = std::chrono::steady_clock::now() + std::chrono::milliseconds(400);
  while (std::chrono::steady_clock::now() < until) loops::sum(100);
  EXPECT_GE(runs, 3) << "the ticker must re-arm the hook every 50 ms";
  EXPECT_LE(runs, 10);
}

TEST_F(Config, GatedFiltersOnOneLoopStillSeeEveryIterationTheyWant) {
  // The emitted gate covers all every/once hooks of an event at once; none
  // of their iterations may be lost.
  std::vector<std::uint64_t> e4, e6, once10, b3;
  pl::on("loops::sum/loop0").every(4).call([&](pl::Frame& f) { e4.push_back(f.iteration()); });
  pl::on("loops::sum/loop0").every(6).call([&](pl::Frame& f) { e6.push_back(f.iteration()); });
  pl::on("loops::sum/loop0").at(pl::iteration_begin).once_at(10).call([&](pl::Frame& f) {
    once10.push_back(f.iteration());
  });
  pl::on("loops::sum/loop0").at(pl::iteration_begin).every(3).call([&](pl::Frame& f) {
    b3.push_back(f.iteration());
  });
  EXPECT_EQ(loops::sum(13), 78);
  EXPECT_EQ(e4, (std::vector<std::uint64_t>{3, 7, 11}));
  EXPECT_EQ(e6, (std::vector<std::uint64_t>{5, 11}));
  EXPECT_EQ(once10, (std::vector<std::uint64_t>{10}));
  EXPECT_EQ(b3, (std::vector<std::uint64_t>{0, 3, 6, 9, 12}));
}

TEST_F(Config, ComparisonGatesRunExactlyWhenTheComparisonHolds) {
  // when(local, op, value) is also checked in the emitted code; the runs
  // must be exactly those where it holds, alone and next to other hooks.
  std::vector<std::uint64_t> ge10, lt3, custom;
  pl::on("loops::sum/loop0").when("s", pl::Compare::ge, 10).call([&](pl::Frame& f) {
    ge10.push_back(f.iteration());
  });
  loops::sum(8);  // s after iteration i: 0 1 3 6 10 15 21 28
  EXPECT_EQ(ge10, (std::vector<std::uint64_t>{4, 5, 6, 7}));
  pl::on("loops::sum/loop0").when("s", pl::Compare::lt, 3).call([&](pl::Frame& f) {
    lt3.push_back(f.iteration());
  });
  pl::on("loops::sum/loop0")
      .when([](const pl::Frame& f) { return f.iteration() == 2; })
      .call([&](pl::Frame& f) { custom.push_back(f.iteration()); });
  ge10.clear();
  loops::sum(8);
  EXPECT_EQ(ge10, (std::vector<std::uint64_t>{4, 5, 6, 7}));
  EXPECT_EQ(lt3, (std::vector<std::uint64_t>{0, 1}));
  EXPECT_EQ(custom, (std::vector<std::uint64_t>{2}));
}

TEST_F(Config, EverySecondsLimitsTheRate) {
  int runs = 0;
  pl::on("loops::sum/loop0").every_seconds(3600).call([&](pl::Frame&) { ++runs; });
  loops::sum(50);
  EXPECT_EQ(runs, 1);
}

}  // namespace

namespace {

// Only refusals here: an accepted policy would switch checkpointing on for
// the whole test process (tests/resume covers accepted ones end to end).
TEST_F(Config, CheckpointPoliciesThatCannotWorkAreRefused) {
  EXPECT_EQ(config_error("checkpoint */batch every=50 keep=0"),
            "PL_HOOKS:1:29: 'keep=0': keep at least one checkpoint (keep=1 or more)");
  EXPECT_EQ(config_error("checkpoint */batch on_signal=0"),
            "PL_HOOKS:1:1: checkpoint needs when to write: every=N, every=10min, on_signal=1 or "
            "at_end=1");
  std::string err = config_error("checkpoint */batch evry=5");
  EXPECT_EQ(err.rfind("PL_HOOKS:1:20: unknown option 'evry' for hook 'checkpoint' (did you mean "
                      "'every'",
                      0),
            0u)
      << err;
  try {
    pl::checkpoint("*/batch").on_signal(false).attach();
    ADD_FAILURE() << "accepted a policy that never writes";
  } catch (const pl::Error& e) {
    EXPECT_STREQ(e.what(),
                 "pl: checkpoint */batch: checkpoint needs when to write: every=N, every=10min, "
                 "on_signal=1 or at_end=1");
  }
}

}  // namespace

// PL_CONFIG and PL_HOOKS are applied entry by entry: a bad line costs only
// its own hook — unless the source configures checkpoints.
namespace {

using pl::detail::apply_config_entries;

TEST_F(Config, ABadLineCostsOnlyItsOwnHook) {
  auto r = apply_config_entries(
      "# metrics\nlog */x vars=a evry=3\nset loops::sum/loop0 var=s value=100 once=3\n",
      "hooks.conf", '\n', false);
  ASSERT_EQ(r.errors.size(), 1u);
  EXPECT_EQ(r.errors[0].rfind("hooks.conf:2:16: unknown option 'evry'", 0), 0u) << r.errors[0];
  EXPECT_FALSE(r.rejected);
  EXPECT_FALSE(r.configures_checkpoints);
  EXPECT_EQ(r.entries, 2u);
  EXPECT_EQ(r.attached, 1u);
  testing::internal::CaptureStderr();
  EXPECT_EQ(loops::sum(5), 100 + 4);  // the good line is attached
  testing::internal::GetCapturedStderr();
}

TEST_F(Config, ABadLineInAFileWithCheckpointsRejectsTheWholeFile) {
  // Broken checkpoint line, good set line; and a good checkpoint line with a
  // broken set line; and a misspelt checkpoint: each time nothing attaches.
  for (const char* text : {"set loops::sum/loop0 var=s value=100\ncheckpoint */x evry=2 dir=d",
                           "checkpoint */x every=2 dir=d\nset loops::sum/loop0 var=s vlue=100",
                           "chekpoint */x every=2\nset loops::sum/loop0 var=s value=100"}) {
    auto r = apply_config_entries(text, "hooks.conf", '\n', false);
    EXPECT_EQ(r.errors.size(), 1u) << text;
    EXPECT_TRUE(r.configures_checkpoints) << text;
    EXPECT_TRUE(r.rejected) << text;
    EXPECT_EQ(r.attached, 0u) << text;
    EXPECT_EQ(loops::sum(4), 6) << text;
  }
}

TEST_F(Config, StrictModeAttachesNothingFromABadSource) {
  auto r =
      apply_config_entries("set loops::sum/loop0 var=s value=100; log */x", "PL_HOOKS", ';', true);
  ASSERT_EQ(r.errors.size(), 1u);
  EXPECT_TRUE(r.rejected);
  EXPECT_EQ(loops::sum(4), 6);
}

TEST_F(Config, EntriesKnowWhereTheyCameFrom) {
  pl::HookSpec from_file, from_env;
  pl::detail::ConfigEntry e;
  e.source = "hooks.conf";
  e.line = 7;
  e.hook = "break";
  e.selector = "*/x";
  EXPECT_EQ(e.spec(pl::abi::kEnd).origin, "hooks.conf:7");
  e.source = "PL_HOOKS";
  e.by_entry = true;
  e.entry = 2;
  EXPECT_EQ(e.spec(pl::abi::kEnd).origin, "PL_HOOKS:entry 2");
}

TEST_F(Config, SetWarnsOnceWhenTheLoopOverwritesWhatItSet) {
  // s += i changes s after every set: warned once, naming the line and variable.
  pl::detail::apply_config_entries("set loops::sum/loop0 var=s value=100 at=begin once=1",
                                   "hooks.conf", '\n', false);
  testing::internal::CaptureStderr();
  loops::sum(8);
  loops::sum(8);
  std::string err = testing::internal::GetCapturedStderr();
  const std::string warning =
      "pl: warning: hooks.conf:1: set s wrote 100 at loops::sum/loop0 "
      "iteration 1, but at the loop's next iteration_begin it was 101";
  EXPECT_NE(err.find(warning), std::string::npos) << err;
  EXPECT_EQ(err.find("pl: warning", err.find(warning) + 1), std::string::npos) << err;
  // A local the loop does not assign: no warning.
  pl::reset();
  pl::detail::apply_config_entries("set loops::nested/epoch var=scale mul=2", "hooks.conf", '\n',
                                   false);
  testing::internal::CaptureStderr();
  loops::nested(4);
  err = testing::internal::GetCapturedStderr();
  EXPECT_EQ(err.find("pl: warning"), std::string::npos) << err;
}

}  // namespace
