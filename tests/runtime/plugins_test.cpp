// PL_PLUGINS: plugins are loaded when libpl loads; bad ones are reported.
#include <gtest/gtest.h>
#include <pl/pl.h>

#include <cstdio>
#include <cstdlib>
#include <string>

#include <unistd.h>

#include "loops.h"

namespace {

// As a child (PL_TEST_CHILD set), this binary only runs one instrumented
// loop and prints its result; plugins were loaded when libpl loaded, before.
const bool kChild = [] {
  if (!std::getenv("PL_TEST_CHILD")) return false;
  std::printf("probe-result %d\n", loops::sum(4));
  std::fflush(stdout);
  std::_Exit(0);
}();

std::string self_path() {
  char buf[4096];
  ssize_t n = readlink("/proc/self/exe", buf, sizeof buf - 1);
  return std::string(buf, n > 0 ? std::size_t(n) : 0);
}

// Runs this test binary again with PL_PLUGINS set, in a child process, so the
// plugin loads at start-up as it would for a user.
std::string run_child(const std::string& plugins, int& status) {
  std::string cmd = "PL_PLUGINS='" + plugins + "' PL_TEST_CHILD=1 '" + self_path() + "' 2>&1";
  FILE* p = popen(cmd.c_str(), "r");
  std::string out;
  char buf[512];
  while (p && fgets(buf, sizeof buf, p)) out += buf;
  status = p ? pclose(p) : -1;
  return out;
}

TEST(Plugins, LoadedPluginAttachesItsHooksByLabel) {
  int status = 0;
  std::string out = run_child(PL_TEST_PLUGIN, status);
  EXPECT_EQ(status, 0) << out;
  EXPECT_NE(out.find("probe-result 1006"), std::string::npos) << out;
}

TEST(Plugins, MissingPluginIsReportedAndTheRunContinues) {
  int status = 0;
  std::string out = run_child("/nonexistent/libnope.so", status);
  EXPECT_EQ(status, 0) << out;
  EXPECT_NE(out.find("pl: cannot load plugin '/nonexistent/libnope.so'"), std::string::npos)
      << out;
  EXPECT_NE(out.find("probe-result 6"), std::string::npos) << out;
}

TEST(Plugins, ALibraryThatIsNotAPluginIsRefused) {
  int status = 0;
  std::string out = run_child("libm.so.6", status);  // bare name: taken as ./libm.so.6
  EXPECT_NE(out.find("cannot load plugin './libm.so.6'"), std::string::npos) << out;
  out = run_child("/lib/x86_64-linux-gnu/libm.so.6", status);
  EXPECT_NE(out.find("is not a pl plugin"), std::string::npos) << out;
  EXPECT_NE(out.find("probe-result 6"), std::string::npos) << out;
}

}  // namespace
