// pl-ckpt check-replay; see pl_ckpt_replay.h.
#include "pl_ckpt_replay.h"

#include <sys/wait.h>
#include <unistd.h>

#include <cerrno>
#include <cstdio>
#include <cstdlib>
#include <cstring>
#include <filesystem>
#include <fstream>
#include <iostream>

namespace pl::ckpt {
namespace {

namespace fs = std::filesystem;

int error(const std::string& message) {
  std::cerr << "pl-ckpt check-replay: " << message << '\n';
  return 2;
}

// The program's exit status, or -1 when it could not be run or was killed.
int run(const std::vector<std::string>& command, const std::string& dir,
        const std::string& report) {
  std::vector<char*> argv;
  for (const std::string& a : command) argv.push_back(const_cast<char*>(a.c_str()));
  argv.push_back(nullptr);
  const pid_t pid = ::fork();
  if (pid < 0) return -1;
  if (pid == 0) {
    ::setenv("PL_RESUME_CHECK", "1", 1);
    ::setenv("PL_RESUME_CHECK_DIR", dir.c_str(), 1);
    ::setenv("PL_RESUME_CHECK_REPORT", report.c_str(), 1);
    ::unsetenv("PL_RESUME");
    ::execvp(argv[0], argv.data());
    std::fprintf(stderr, "pl-ckpt check-replay: cannot run '%s': %s\n", argv[0],
                 std::strerror(errno));
    std::_Exit(127);
  }
  int status = 0;
  while (::waitpid(pid, &status, 0) < 0)
    if (errno != EINTR) return -1;
  if (WIFSIGNALED(status))
    std::cerr << "pl-ckpt check-replay: the program was killed by signal " << WTERMSIG(status)
              << '\n';
  return WIFEXITED(status) ? WEXITSTATUS(status) : -1;
}

}  // namespace

int check_replay(const std::vector<std::string>& args) {
  if (args.size() < 3 || args[1] != "--")
    return error("usage: pl-ckpt check-replay DIR -- PROGRAM [ARGS...]");
  std::error_code ec;
  if (!fs::is_directory(args[0], ec)) return error("'" + args[0] + "' is not a directory");
  char report_name[] = "/tmp/pl-check-replay-XXXXXX";
  const int fd = ::mkstemp(report_name);
  if (fd < 0) return error(std::string("cannot create a temporary file: ") + std::strerror(errno));
  ::close(fd);
  const std::string report = report_name;
  const int status = run({args.begin() + 2, args.end()}, fs::absolute(args[0]).string(), report);
  std::ifstream in(report);
  int verdict = -1;
  const bool told = bool(in >> verdict);
  ::unlink(report.c_str());
  if (!told || verdict != status) {
    std::cerr << "pl-ckpt check-replay: the program exited (status " << status
              << ") without running the check: is it instrumented and linked to libpl, with the "
                 "checkpoint policy for "
              << args[0] << " in its PL_CONFIG or PL_HOOKS?\n";
    return 2;
  }
  if (verdict == 0) {
    std::cout << "check-replay: identical\n";
    return 0;
  }
  std::cout << (verdict == 4 ? "check-replay: DIFFERENT (see above)\n"
                             : "check-replay: no check made (see above)\n");
  return verdict == 4 ? 1 : 2;
}

}  // namespace pl::ckpt
