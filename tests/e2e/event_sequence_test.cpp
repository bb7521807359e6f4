// Exact event sequences of instrumented programs (programs.cpp, built by
// pl_instrument). Notation, one token per event, by the loop's last name
// segment: `x{` enter, `x[i` iteration i begins, `x]i` it ends, `x}n` exit
// after n iterations began.
#include <gtest/gtest.h>
#include <pl/pl.h>

#include "programs.h"

namespace {

class Events : public ::testing::Test {
 protected:
  void SetUp() override {
    pl::reset();
    pl::on("e2e::**")
        .at({pl::loop_enter, pl::iteration_begin, pl::iteration_end, pl::loop_exit})
        .call([this](pl::Frame& f) { record(f); });
  }
  void TearDown() override { pl::reset(); }

  void record(const pl::Frame& f) {
    std::string_view name = f.loop();
    name = name.substr(name.rfind('/') + 1);
    std::string t(name);
    switch (f.event()) {
      case pl::loop_enter:
        t += "{";
        break;
      case pl::iteration_begin:
        t += "[" + std::to_string(f.iteration());
        break;
      case pl::iteration_end:
        t += "]" + std::to_string(f.iteration());
        break;
      case pl::loop_exit:
        t += "}" + std::to_string(f.iteration());
        break;
    }
    seq += (seq.empty() ? "" : " ") + t;
  }

  std::string seq;
};

TEST_F(Events, NestedLoops) {
  EXPECT_EQ(e2e::nested(2, 1), 2);
  EXPECT_EQ(seq,
            "row{ row[0 col{ col[0 col]0 col}1 row]0 row[1 col{ col[0 col]0 col}1 row]1 row}2");
}

TEST_F(Events, BreakSkipsTheIterationEndAndExitsOnce) {
  EXPECT_EQ(e2e::with_break(5, 2), 2);
  EXPECT_EQ(seq, "loop0{ loop0[0 loop0]0 loop0[1 loop0]1 loop0[2 loop0}3");
}

TEST_F(Events, ContinueEndsTheIterationExactlyOnce) {
  EXPECT_EQ(e2e::with_continue(4), 1 + 3);
  EXPECT_EQ(seq, "loop0{ loop0[0 loop0]0 loop0[1 loop0]1 loop0[2 loop0]2 loop0[3 loop0]3 loop0}4");
}

TEST_F(Events, ReturnFromInsideANestedLoopExitsBothInnermostFirst) {
  EXPECT_EQ(e2e::return_from_nested(3, 4), 101);
  EXPECT_EQ(seq,
            "outer{ outer[0 inner{ inner[0 inner]0 inner[1 inner]1 inner[2 inner]2 inner}3 "
            "outer]0 outer[1 inner{ inner[0 inner]0 inner[1 inner}2 outer}2");
}

TEST_F(Events, ExceptionThroughTwoLoopsExitsBoth) {
  EXPECT_EQ(e2e::throw_through_two(3), 1);
  EXPECT_EQ(seq,
            "outer{ outer[0 inner{ inner[0 inner]0 inner[1 inner]1 inner[2 inner]2 inner}3 "
            "outer]0 outer[1 inner{ inner[0 inner]0 inner[1 inner}2 outer}2");
}

TEST_F(Events, GotoOutOfTwoLoops) {
  EXPECT_EQ(e2e::goto_out(3), 2);
  EXPECT_EQ(seq, "loop0{ loop0[0 loop1{ loop1[0 loop1]0 loop1[1 loop1}2 loop0}1");
}

TEST_F(Events, ALabelThatIsAlsoAGotoTargetStaysValid) {
  // `again:` names the loop and is the target of a goto from inside it:
  // the jump leaves the loop (exit) and enters it anew.
  EXPECT_EQ(e2e::goto_restart(3), (0 + 1 + 0 + 1 + 2) * 10 + 1);
  EXPECT_EQ(seq,
            "again{ again[0 again]0 again[1 again}2 "
            "again{ again[0 again]0 again[1 again]1 again[2 again]2 again}3");
}

TEST_F(Events, SideEffectingConditionRunsExactlyAsOften) {
  int calls = 0;
  EXPECT_EQ(e2e::side_effect_while(3, &calls), 6);
  EXPECT_EQ(calls, 4);
  EXPECT_EQ(seq, "read{ read[0 read]0 read[1 read]1 read[2 read]2 read}3");
  pl::reset();  // and with no hook at all
  calls = 0;
  EXPECT_EQ(e2e::side_effect_while(3, &calls), 6);
  EXPECT_EQ(calls, 4);
}

TEST_F(Events, RangeForOverAMapSeesStructuredBindings) {
  std::string seen;
  std::int64_t trip = 0;
  pl::on("e2e::range_for_map/loop0").at(pl::iteration_begin).call([&](pl::Frame& f) {
    seen += f.get<std::string>("key") + std::to_string(f.get<int>("value"));
    trip = f.trip();
  });
  EXPECT_EQ(e2e::range_for_map({{"a", 1}, {"b", 2}}), "a=1;b=2;");
  EXPECT_EQ(seq, "loop0{ loop0[0 loop0]0 loop0[1 loop0]1 loop0}2");
  EXPECT_EQ(seen, "a1b2");
  EXPECT_EQ(trip, 2);
}

TEST_F(Events, LoopInsideALambdaSeesItsParametersAndCaptures) {
  std::vector<std::string> names;
  pl::on("e2e::lambda_loop/lambda0/loop0").at(pl::loop_enter).call([&](pl::Frame& f) {
    for (std::size_t i = 0; i < f.var_count(); ++i) names.emplace_back(f.var(i).name);
  });
  EXPECT_EQ(e2e::lambda_loop(3), 3);
  EXPECT_EQ(seq, "loop0{ loop0[0 loop0]0 loop0[1 loop0]1 loop0[2 loop0]2 loop0}3");
  EXPECT_EQ(names, (std::vector<std::string>{"k", "total"}));
}

TEST_F(Events, TemplateInstantiatedWithTwoTypesSharesOneName) {
  std::vector<std::string> types;
  pl::on("e2e::accumulate/loop0").at(pl::loop_exit).call([&](pl::Frame& f) {
    for (std::size_t i = 0; i < f.var_count(); ++i)
      if (f.var(i).name == "sum") types.emplace_back(f.var(i).type);
  });
  EXPECT_EQ(e2e::accumulate(std::vector<int>{1, 2}), 3);
  EXPECT_DOUBLE_EQ(e2e::accumulate(std::vector<double>{0.5}), 0.5);
  EXPECT_EQ(seq, "loop0{ loop0[0 loop0]0 loop0[1 loop0]1 loop0}2 loop0{ loop0[0 loop0]0 loop0}1");
  EXPECT_EQ(types, (std::vector<std::string>{"int", "double"}));
}

TEST_F(Events, MacroLoopsAndConstexprLoopsAreLeftAlone) {
  EXPECT_EQ(e2e::macro_and_constexpr(3), 6 + 6);
  EXPECT_EQ(seq, "");
}

TEST_F(Events, BracelessDoWhile) {
  EXPECT_EQ(e2e::do_while_braceless(3), 3);
  EXPECT_EQ(seq, "loop0{ loop0[0 loop0]0 loop0[1 loop0]1 loop0[2 loop0]2 loop0}3");
}

TEST_F(Events, PragmaStaysAttachedAndTheLoopIsInstrumented) {
  EXPECT_EQ(e2e::pragma_unrolled(3), 0 + 1 + 4);
  EXPECT_EQ(seq, "loop0{ loop0[0 loop0]0 loop0[1 loop0]1 loop0[2 loop0]2 loop0}3");
}

TEST_F(Events, MemberFunctionAndClassTemplateLoops) {
  EXPECT_EQ(e2e::Counter().count_to(2), 2);
  EXPECT_EQ(seq, "step{ step[0 step]0 step[1 step]1 step}2");
  seq.clear();
  std::vector<std::string> names;
  pl::on("e2e::Scaler::apply/loop0").at(pl::loop_enter).call([&](pl::Frame& f) {
    names.emplace_back(f.loop());
  });
  EXPECT_EQ(e2e::use_scalers(3), 9 + 3);
  EXPECT_EQ(seq,
            "loop0{ loop0[0 loop0]0 loop0[1 loop0]1 loop0}2 loop0{ loop0[0 loop0]0 loop0[1 loop0]1 "
            "loop0}2");
  EXPECT_EQ(names.size(), 2u);
}

TEST_F(Events, AHookChangesAParameterTheLoopReads) {
  pl::on("e2e::with_break/loop0").at(pl::iteration_begin).call([](pl::Frame& f) {
    f.set<int>("stop_at", 1);
  });
  EXPECT_EQ(e2e::with_break(10, 7), 1);
}

TEST_F(Events, AHookBreaksTheLoopAtABoundary) {
  pl::on("e2e::nested/row").at(pl::iteration_end).call([](pl::Frame& f) { f.request_break(); });
  EXPECT_EQ(e2e::nested(5, 2), 2);
  EXPECT_EQ(seq, "row{ row[0 col{ col[0 col]0 col[1 col]1 col}2 row]0 row}1");
}

}  // namespace
