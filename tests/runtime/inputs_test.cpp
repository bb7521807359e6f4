// What the fingerprint records of a run's arguments and input files, and how
// a later run's differences are named (runtime/src/inputs.h).
#include "../../runtime/src/inputs.h"

#include <fcntl.h>
#include <gtest/gtest.h>
#include <sys/syscall.h>
#include <unistd.h>

#include <algorithm>
#include <cstdio>
#include <fstream>
#include <string>

namespace {

using pl::detail::input_differences;
using pl::detail::input_files;
using pl::detail::render_inputs;

bool recorded(const std::string& path) {
  auto files = input_files();
  return std::any_of(files.begin(), files.end(), [&](auto& f) { return f.path == path; });
}

// A file made as another program would: not through the interposed open.
std::string scratch(const std::string& name, const std::string& text) {
  std::string path = testing::TempDir() + "pl_inputs_" + std::to_string(::getpid()) + "_" + name;
  int fd = int(::syscall(SYS_openat, AT_FDCWD, path.c_str(), O_WRONLY | O_CREAT | O_TRUNC, 0644));
  EXPECT_EQ(::write(fd, text.data(), text.size()), ssize_t(text.size()));
  ::close(fd);
  return path;
}

TEST(Inputs, FilesReadAreRecordedWrittenOnesAndPseudoFilesAreNot) {
  const std::string by_open = scratch("open", "1"), by_fopen = scratch("fopen", "22");
  const std::string by_stream = scratch("stream", "333"), output = scratch("output", "4");
  std::ofstream(output, std::ios::app) << "5";  // this process writes it: its own output
  int fd = ::open(by_open.c_str(), O_RDONLY);
  ASSERT_GE(fd, 0);
  ::close(fd);
  std::FILE* f = std::fopen(by_fopen.c_str(), "r");
  ASSERT_NE(f, nullptr);
  std::fclose(f);
  std::ifstream in(by_stream);
  std::ifstream read_back(output);
  std::ifstream pseudo("/proc/self/status");
  EXPECT_TRUE(recorded(by_open));
  EXPECT_TRUE(recorded(by_fopen));
  EXPECT_TRUE(recorded(by_stream));
  EXPECT_FALSE(recorded(output));
  EXPECT_FALSE(recorded("/proc/self/status"));
  for (auto& file : input_files())
    if (file.path == by_fopen) EXPECT_EQ(file.size, 2u);
}

// Shared objects are code, not data (the code fingerprint covers code); they
// are also what a sanitizer's symbolizer opens from inside its own locks.
TEST(Inputs, SharedObjectsAreNotInputs) {
  const std::string lib = scratch("libthing.so", "ELF"), versioned = scratch("libthing.so.6", "E");
  const std::string data = scratch("weights.sol", "x");  // ".so" inside a longer suffix: data
  for (const std::string& path : {lib, versioned, data}) {
    int fd = ::open(path.c_str(), O_RDONLY);
    ASSERT_GE(fd, 0);
    ::close(fd);
  }
  EXPECT_FALSE(recorded(lib));
  EXPECT_FALSE(recorded(versioned));
  EXPECT_TRUE(recorded(data));
  for (const std::string& path : {lib, versioned, data}) std::remove(path.c_str());
}

TEST(Inputs, DifferencesAreNamed) {
  const std::string input = scratch("changing", "12");
  std::ifstream(input).get();
  const std::string saved = render_inputs();
  EXPECT_NE(saved.find("input 2 "), std::string::npos) << saved;
  EXPECT_TRUE(input_differences(saved).empty()) << input_differences(saved).front();
  scratch("changing", "123");  // another program rewrites it
  auto diffs = input_differences(saved);
  ASSERT_FALSE(diffs.empty());
  EXPECT_EQ(diffs.back(), "input " + input + " changed: size 2 -> 3");
  std::remove(input.c_str());
  diffs = input_differences(saved);
  EXPECT_EQ(diffs.back(), "input " + input + " is gone (it had 2 bytes)");
  // Arguments: the first that differs, quoted, with what it is now.
  diffs = input_differences("arg 1 --epochs\narg 2 4\n");
  ASSERT_FALSE(diffs.empty());
  EXPECT_EQ(diffs.front().rfind("argument 1 was '--epochs', now ", 0), 0u) << diffs.front();
  EXPECT_EQ(input_differences("arg 1 a\\nb\n").front().rfind("argument 1 was 'a\nb'", 0), 0u);
}

}  // namespace
