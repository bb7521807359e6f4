// Built-in hooks, driven by the hook language as a user would.
#include <gtest/gtest.h>
#include <pl/pl.h>

#include <cstdio>
#include <fstream>
#include <sstream>

#include "loops.h"

namespace {

std::string read_file(const std::string& path) {
  std::ifstream in(path);
  std::stringstream s;
  s << in.rdbuf();
  return s.str();
}

std::string temp_path(const std::string& name) {
  return ::testing::TempDir() + "pl_builtins_" + name;
}

struct Builtins : ::testing::Test {
  void SetUp() override { pl::reset(); }
  void TearDown() override { pl::reset(); }
};

TEST_F(Builtins, LogWritesJsonLinesWithEnclosingIterations) {
  std::string path = temp_path("log.jsonl");
  pl::configure("log loops::nested/epoch/batch vars=b,scale,w:sum file=" + path, "t");
  loops::nested(2);
  pl::finish();
  std::string text = read_file(path);
  std::istringstream lines(text);
  std::vector<std::string> rows;
  for (std::string l; std::getline(lines, l);) rows.push_back(l);
  ASSERT_EQ(rows.size(), 8u) << text;
  EXPECT_EQ(rows[0].rfind("{\"loop\": \"loops::nested/epoch/batch\", \"event\": \"iteration_end\", "
                          "\"epoch\": 0, \"batch\": 0, \"t\": ",
                          0),
            0u)
      << rows[0];
  EXPECT_NE(rows[0].find("\"b\": 0, \"scale\": 2, \"w:sum\": 5}"), std::string::npos) << rows[0];
  EXPECT_NE(rows[7].find("\"epoch\": 1, \"batch\": 3,"), std::string::npos) << rows[7];
  EXPECT_NE(rows[7].find("\"w:sum\": 19}"), std::string::npos) << rows[7];  // 1 + 8*2 + 1 + 1
}

TEST_F(Builtins, LogWritesCsvWithAHeader) {
  std::string path = temp_path("log.csv");
  pl::configure("log loops::nested/epoch vars=e,scale file=" + path, "t");
  loops::nested(3);
  pl::finish();
  std::string text = read_file(path);
  EXPECT_EQ(text.substr(0, text.find('\n')), "loop,event,epoch,t,e,scale");
  EXPECT_EQ(std::count(text.begin(), text.end(), '\n'), 4);
  EXPECT_NE(text.find("\"loops::nested/epoch\",\"iteration_end\",2,"), std::string::npos) << text;
}

TEST_F(Builtins, EarlyStopLeavesALoopThatStoppedImproving) {
  // s only grows, so with mode=min it "never improves" after iteration 0.
  pl::configure("earlystop loops::sum/loop0 var=s mode=min patience=2", "t");
  testing::internal::CaptureStderr();
  EXPECT_EQ(loops::sum(100), 0 + 1 + 2);
  std::string err = testing::internal::GetCapturedStderr();
  EXPECT_NE(err.find("pl: earlystop: leaving loops::sum/loop0 after iteration 2: s has not "
                     "improved for 2 iterations (best 0 at iteration 0)"),
            std::string::npos)
      << err;
  EXPECT_EQ(loops::sum(100), 3) << "a new activation starts afresh";
}

TEST_F(Builtins, EventsListsEveryEvent) {
  std::string path = temp_path("events.jsonl");
  pl::configure("events loops::sum/** file=" + path, "t");
  loops::sum(1);
  pl::finish();
  std::string text = read_file(path);
  EXPECT_EQ(std::count(text.begin(), text.end(), '\n'), 4) << text;
  EXPECT_NE(
      text.find("{\"loop\": \"loops::sum/loop0\", \"event\": \"loop_exit\", \"iteration\": 1, "
                "\"depth\": 1,"),
      std::string::npos)
      << text;
}

TEST_F(Builtins, TraceIsBoundedAndValidChromeJson) {
  std::string path = temp_path("trace.json");
  pl::configure("trace loops::nested/** capacity=5 file=" + path, "t");
  testing::internal::CaptureStderr();
  loops::nested(2);  // 2 epochs + 8 batches as iterations, 2 + 1 loop spans = 13 spans
  pl::finish();
  std::string err = testing::internal::GetCapturedStderr();
  std::string text = read_file(path);
  EXPECT_NE(text.find("\"otherData\": {\"spans\": 13, \"dropped\": 8}"), std::string::npos) << text;
  EXPECT_EQ(std::count(text.begin(), text.end(), '\n'), 1 + 5 + 1);
  EXPECT_NE(text.find("\"name\": \"loops::nested/epoch\", \"cat\": \"loop\", \"ph\": \"X\""),
            std::string::npos)
      << text;
  EXPECT_NE(err.find("oldest dropped"), std::string::npos);
}

TEST_F(Builtins, ProfileTablesTimePerLoopWithShareOfParent) {
  std::string path = temp_path("profile.txt");
  pl::configure("profile loops::nested/** file=" + path, "t");
  loops::nested(3);
  pl::finish();
  std::string text = read_file(path);
  EXPECT_NE(text.find("loop"), std::string::npos);
  std::istringstream lines(text);
  std::string line, epoch, batch;
  while (std::getline(lines, line)) {
    if (line.rfind("loops::nested/epoch/batch ", 0) == 0)
      batch = line;
    else if (line.rfind("loops::nested/epoch ", 0) == 0)
      epoch = line;
  }
  EXPECT_NE(epoch.find("        1           3"), std::string::npos) << text;
  EXPECT_NE(batch.find("        3          12"), std::string::npos) << text;
  EXPECT_NE(batch.find('%'), std::string::npos) << text;
}

TEST_F(Builtins, ProgressPrintsPlainLinesWhenNotATerminal) {
  testing::internal::CaptureStderr();  // stderr is a pipe here, not a TTY
  pl::configure("progress loops::nested/epoch,loops::nested/*/batch vars=scale", "t");
  loops::nested(2);
  std::string err = testing::internal::GetCapturedStderr();
  EXPECT_NE(err.find("pl progress: epoch 1/2 [##########----------]  50%"), std::string::npos)
      << err;
  EXPECT_NE(err.find("scale=2"), std::string::npos) << err;
  EXPECT_NE(err.find("pl progress: epoch 2/2 [####################] 100%"), std::string::npos)
      << err;
}

TEST_F(Builtins, AsyncHookSeesSnapshotsInOrderUnderBackPressure) {
  std::vector<std::pair<std::uint64_t, int>> seen;  // written by the async hook only
  pl::on("loops::sum/loop0").async(1).reads({"s", "i"}).call([&](pl::Frame& f) {
    std::this_thread::sleep_for(std::chrono::microseconds(200));  // a slow hook
    seen.emplace_back(f.iteration(), f.get<int>("s"));
    EXPECT_FALSE(f.has("n")) << "only declared locals are copied";
  });
  EXPECT_EQ(loops::sum(50), 1225);
  pl::drain();
  ASSERT_EQ(seen.size(), 50u);
  int s = 0;
  for (std::uint64_t k = 0; k < 50; ++k) {
    s += int(k);
    EXPECT_EQ(seen[k], std::make_pair(k, s));
  }
}

TEST_F(Builtins, AsyncHookReadingANonScalarIsDisabledWithOneMessage) {
  int runs = 0;
  pl::on("loops::nested/epoch").async(4).reads({"w"}).named("wants-w").call([&](pl::Frame&) {
    ++runs;
  });
  testing::internal::CaptureStderr();
  loops::nested(3);
  pl::drain();
  std::string err = testing::internal::GetCapturedStderr();
  EXPECT_EQ(runs, 0);
  EXPECT_NE(err.find("hook 'wants-w' failed at loops::nested/epoch"), std::string::npos) << err;
  EXPECT_NE(err.find("asynchronous hooks can read scalar locals only"), std::string::npos) << err;
}

}  // namespace
