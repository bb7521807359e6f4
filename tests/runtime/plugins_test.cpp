// What happens when libpl loads (PL_PLUGINS, PL_CONFIG, PL_HOOKS, PL_STRICT),
// observed in child processes as a user would see it.
#include <gtest/gtest.h>
#include <pl/pl.h>
#include <sys/wait.h>
#include <unistd.h>

#include <cstdio>
#include <cstdlib>
#include <string>

#include "loops.h"

namespace {

// As a child (PL_TEST_CHILD set), this binary only runs one instrumented
// loop and prints its result; plugins were loaded when libpl loaded, before.
const bool kChild = [] {
  const char* mode = std::getenv("PL_TEST_CHILD");
  if (!mode) return false;
  std::printf("probe-result %d\n", loops::sum(4));
  std::fflush(stdout);
  if (std::string(mode) == "exit") std::exit(0);  // a normal exit: atexit handlers run
  std::_Exit(0);
}();

std::string self_path() {
  char buf[4096];
  ssize_t n = readlink("/proc/self/exe", buf, sizeof buf - 1);
  return std::string(buf, n > 0 ? std::size_t(n) : 0);
}

std::string run_command(const std::string& cmd, int& status) {
  FILE* p = popen(cmd.c_str(), "r");
  std::string out;
  char buf[512];
  while (p && fgets(buf, sizeof buf, p)) out += buf;
  status = p ? pclose(p) : -1;
  return out;
}

// Runs this test binary again with PL_PLUGINS set, in a child process, so the
// plugin loads at start-up as it would for a user.
std::string run_child(const std::string& plugins, int& status) {
  return run_command("PL_PLUGINS='" + plugins + "' PL_TEST_CHILD=1 '" + self_path() + "' 2>&1",
                     status);
}

// Runs this binary as a child that exits normally, with `env` prepended.
std::string run_child_env(const std::string& env, int& status) {
  return run_command(env + " PL_TEST_CHILD=exit '" + self_path() + "' 2>&1", status);
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
  EXPECT_NE(out.find("pl: cannot load plugin '/nonexistent/libnope.so'"), std::string::npos) << out;
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

TEST(Startup, ConfigErrorsAreReportedAndTheRunGoesOn) {
  int status = 0;
  std::string out = run_child_env("PL_HOOKS='log loops::sum/loop0 vars=s evry=2'", status);
  EXPECT_EQ(WEXITSTATUS(status), 0) << out;
  EXPECT_NE(out.find("pl: error: PL_HOOKS:1:29: unknown option 'evry'"), std::string::npos) << out;
  EXPECT_NE(out.find("continuing without the hooks of PL_HOOKS"), std::string::npos) << out;
  EXPECT_NE(out.find("probe-result 6"), std::string::npos) << out;
}

TEST(Startup, StrictModeRefusesToStartWithABadConfig) {
  int status = 0;
  std::string out = run_child_env("PL_STRICT=1 PL_CONFIG=/nonexistent/hooks.conf", status);
  EXPECT_EQ(WEXITSTATUS(status), 2) << out;
  EXPECT_NE(out.find("PL_CONFIG='/nonexistent/hooks.conf' cannot be read"), std::string::npos)
      << out;
  EXPECT_EQ(out.find("probe-result"), std::string::npos) << out;
}

TEST(Startup, StrictModeStopsTheRunWhenAHookFails) {
  int status = 0;
  std::string out =
      run_child_env("PL_STRICT=1 PL_HOOKS='set loops::sum/loop0 var=nope value=1'", status);
  EXPECT_EQ(WEXITSTATUS(status), 3) << out;
  EXPECT_NE(out.find("hook 'set loops::sum/loop0' failed at loops::sum/loop0"), std::string::npos)
      << out;
  EXPECT_NE(out.find("PL_STRICT is set: stopping the run"), std::string::npos) << out;
  EXPECT_NE(out.find("probe-result 0"), std::string::npos) << "the loop must stop at once: " << out;
}

TEST(Startup, WithoutStrictModeAFailingHookIsDisabledOnce) {
  int status = 0;
  std::string out = run_child_env("PL_HOOKS='set loops::sum/loop0 var=nope value=1'", status);
  EXPECT_EQ(WEXITSTATUS(status), 0) << out;
  EXPECT_NE(out.find("hook disabled"), std::string::npos) << out;
  EXPECT_NE(out.find("probe-result 6"), std::string::npos) << out;
}

}  // namespace
