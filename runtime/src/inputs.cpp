// Arguments and input files of the run (inputs.h), and the open/fopen
// interposers that see the files.
//
// The interposers run in every open of the process, from its first
// constructor on, on any thread: they call the real function first, record
// only after a successful open of a regular file, never re-enter themselves
// (a thread-local guard: recording may allocate), ignore /proc, /sys, /dev
// and shared objects before allocating anything (allocators open those while they start),
// and keep their table in a leaked object made when first needed. The real
// functions are found with dlsym without a static guard; should dlsym itself
// open a file, that open goes straight to the system call.
#undef _FORTIFY_SOURCE  // the fortified open() is an inline wrapper: it must not shadow ours
#include "inputs.h"

#include <dlfcn.h>
#include <fcntl.h>
#include <link.h>
#include <sys/auxv.h>
#include <sys/stat.h>
#include <sys/syscall.h>
#include <unistd.h>

#include <atomic>
#include <cstdarg>
#include <cstdio>
#include <cstdlib>
#include <cstring>
#include <fstream>
#include <iterator>
#include <mutex>
#include <optional>
#include <set>
#include <sstream>

namespace pl::detail {
namespace {

__attribute__((tls_model("initial-exec"))) thread_local bool t_recording = false;
__attribute__((tls_model("initial-exec"))) thread_local bool t_resolving = false;

// Files that are never inputs, decided from the name before anything is
// allocated: pseudo-files, and shared objects and their debug files — code,
// which the code fingerprint covers, not data. Shared objects are also what
// a sanitizer's symbolizer opens while it prints a report, from inside its
// own locks: recording them there (a mutex the sanitizer no longer sees,
// memory it checks) deadlocked ThreadSanitizer.
bool pseudo_file(const char* path) {
  if (std::strncmp(path, "/proc/", 6) == 0 || std::strncmp(path, "/sys/", 5) == 0 ||
      std::strncmp(path, "/dev/", 5) == 0 || std::strncmp(path, "/usr/lib/debug/", 15) == 0)
    return true;
  const char* name = std::strrchr(path, '/');
  name = name ? name + 1 : path;
  for (const char* so = std::strstr(name, ".so"); so; so = std::strstr(so + 3, ".so"))
    if (so[3] == '\0' || so[3] == '.') return true;  // lib.so, lib.so.6
  return false;
}

struct Table {
  std::mutex mu;
  std::vector<InputFile> inputs;
  std::set<std::string> seen, written;
  std::vector<std::string> env;  // environment variables read, in order
  std::set<std::string> env_seen;
};

Table& table() {
  static Table* t = new Table;  // leaked: opens may happen during exit
  return *t;
}

std::string absolute(int dirfd, const char* path) {
  if (path[0] == '/') return path;
  char base[4096];
  ssize_t n = -1;
  if (dirfd == AT_FDCWD) {
    if (::getcwd(base, sizeof base)) n = ssize_t(std::char_traits<char>::length(base));
  } else {
    char link[64];
    std::snprintf(link, sizeof link, "/proc/self/fd/%d", dirfd);
    n = ::readlink(link, base, sizeof base - 1);
  }
  return n > 0 ? std::string(base, std::size_t(n)) + "/" + path : std::string(path);
}

// pl's own files and pseudo-files are never inputs.
bool ignored(const std::string& path) {
  for (const char* prefix : {"/proc/", "/sys/", "/dev/"})
    if (path.rfind(prefix, 0) == 0) return true;
  const std::string name = path.substr(path.rfind('/') + 1);
  if (name.rfind("ckpt-", 0) == 0 && name.find(".plck") != std::string::npos) return true;
  static const std::string config = [] {
    const char* c = std::getenv("PL_CONFIG");
    return c && *c ? absolute(AT_FDCWD, c) : std::string();
  }();
  return path == config;
}

void note_open(int dirfd, const char* path, bool writes, int fd) {
  if (fd < 0 || !path || !*path || t_recording || pseudo_file(path)) return;
  t_recording = true;
  try {
    struct stat st {};
    const std::string abs = absolute(dirfd, path);
    if (::fstat(fd, &st) == 0 && S_ISREG(st.st_mode) && !ignored(abs)) {
      Table& t = table();
      std::lock_guard lock(t.mu);
      if (writes)
        t.written.insert(abs);
      else if (t.seen.insert(abs).second)
        t.inputs.push_back({abs, std::uint64_t(st.st_size),
                            std::int64_t(st.st_mtim.tv_sec) * 1000000000 + st.st_mtim.tv_nsec});
    }
  } catch (...) {  // out of memory: the open itself succeeded
  }
  t_recording = false;
}

bool mode_writes(const char* mode) {
  for (const char* m = mode; m && *m; ++m)
    if (*m == 'w' || *m == 'a' || *m == '+') return true;
  return false;
}

// The next definition of each function (libc's), resolved on first use.
enum Real {
  kOpen,
  kOpen64,
  kOpenAt,
  kOpenAt64,
  kFopen,
  kFopen64,
  kUnlink,
  kUnlinkAt,
  kRemove,
  kReals
};
constexpr const char* kRealNames[kReals] = {"open",    "open64", "openat",   "openat64", "fopen",
                                            "fopen64", "unlink", "unlinkat", "remove"};
std::atomic<void*> g_real[kReals];

void* real(Real which) {
  void* f = g_real[which].load(std::memory_order_acquire);
  if (f || t_resolving) return f;  // null while resolving: dlsym opened a file
  t_resolving = true;
  f = ::dlsym(RTLD_NEXT, kRealNames[which]);
  t_resolving = false;
  g_real[which].store(f, std::memory_order_release);
  return f;
}

using OpenFn = int (*)(const char*, int, ...);
using OpenAtFn = int (*)(int, const char*, int, ...);
using FopenFn = std::FILE* (*)(const char*, const char*);

mode_t mode_of(int flags, va_list ap) {
  return (flags & O_CREAT) || (flags & O_TMPFILE) == O_TMPFILE ? mode_t(va_arg(ap, int)) : 0;
}

int call_openat(Real which, int dirfd, const char* path, int flags, mode_t mode) {
  int fd;
  if (void* f = real(which))
    fd = which == kOpen || which == kOpen64
             ? reinterpret_cast<OpenFn>(f)(path, flags, mode)
             : reinterpret_cast<OpenAtFn>(f)(dirfd, path, flags, mode);
  else
    fd = int(::syscall(SYS_openat, dirfd, path, flags, mode));
  note_open(dirfd, path, (flags & O_ACCMODE) != O_RDONLY, fd);
  return fd;
}

// fopen's mode as open flags (for the system-call path only).
int fopen_flags(const char* mode) {
  const bool plus = mode && std::strchr(mode, '+');
  switch (mode ? mode[0] : 'r') {
    case 'w':
      return (plus ? O_RDWR : O_WRONLY) | O_CREAT | O_TRUNC;
    case 'a':
      return (plus ? O_RDWR : O_WRONLY) | O_CREAT | O_APPEND;
    default:
      return plus ? O_RDWR : O_RDONLY;
  }
}

std::FILE* call_fopen(Real which, const char* path, const char* mode) {
  std::FILE* file = nullptr;
  if (void* f = real(which)) {
    file = reinterpret_cast<FopenFn>(f)(path, mode);
  } else {
    const int fd = int(::syscall(SYS_openat, AT_FDCWD, path, fopen_flags(mode) | O_CLOEXEC, 0666));
    if (fd >= 0 && !(file = ::fdopen(fd, mode))) ::close(fd);
  }
  if (file) note_open(AT_FDCWD, path, mode_writes(mode), ::fileno(file));
  return file;
}

// A file the process deletes was its own (a temporary file): not an input.
int call_unlink(Real which, int dirfd, const char* path, int flags) {
  int rc;
  if (void* f = real(which))
    rc = which == kUnlinkAt
             ? reinterpret_cast<int (*)(int, const char*, int)>(f)(dirfd, path, flags)
             : reinterpret_cast<int (*)(const char*)>(f)(path);
  else
    rc = int(::syscall(SYS_unlinkat, dirfd, path, flags));
  if (rc == 0 && path && *path && !t_recording && !pseudo_file(path)) {
    t_recording = true;
    try {
      const std::string abs = absolute(dirfd, path);
      Table& t = table();
      std::lock_guard lock(t.mu);
      t.written.insert(abs);
    } catch (...) {
    }
    t_recording = false;
  }
  return rc;
}

// ---- Environment variables ----
// A variable read with getenv by the program's own code (the main program or
// an object holding instrumented code) is an input: its value in the
// process's initial environment (/proc/self/environ, so a later setenv by
// the program itself changes nothing) is recorded. Reads by libraries
// (libc, oneTBB, Open MPI, libpl) are not: their variables describe the
// machine or the launch (a rank, a job id), not the experiment.

// Objects holding instrumented code: an address inside each (its manifest).
constexpr int kMaxObjects = 256;
std::atomic<const void*> g_instrumented[kMaxObjects];
std::atomic<int> g_instrumented_count{0};

struct Caller {
  std::uintptr_t addr;
  bool own = false;  // the main program, or an object with instrumented code
};

bool in_object(const dl_phdr_info* info, std::uintptr_t addr) {
  for (int i = 0; i < info->dlpi_phnum; ++i) {
    const ElfW(Phdr)& ph = info->dlpi_phdr[i];
    if (ph.p_type != PT_LOAD) continue;
    const std::uintptr_t lo = info->dlpi_addr + ph.p_vaddr;
    if (addr >= lo && addr < lo + ph.p_memsz) return true;
  }
  return false;
}

// The main program is the object whose name glibc leaves empty.
int find_caller(dl_phdr_info* info, std::size_t, void* data) {
  auto* c = static_cast<Caller*>(data);
  if (!in_object(info, c->addr)) return 0;
  c->own = true;
  if (info->dlpi_name && info->dlpi_name[0] != '\0') {  // a shared object
    c->own = false;
    const int n = std::min(g_instrumented_count.load(std::memory_order_acquire), kMaxObjects);
    for (int i = 0; i < n && !c->own; ++i)
      c->own = in_object(info, reinterpret_cast<std::uintptr_t>(
                                   g_instrumented[i].load(std::memory_order_relaxed)));
  }
  return 1;
}

bool own_code(const void* ret) {
  Caller c{reinterpret_cast<std::uintptr_t>(ret)};
  dl_iterate_phdr(find_caller, &c);
  return c.own;
}

// NAME=value pairs of the initial environment.
const std::vector<std::string>& initial_environment() {
  static const std::vector<std::string>* env = [] {
    auto* v = new std::vector<std::string>;  // leaked: read during exit too
    std::ifstream in("/proc/self/environ", std::ios::binary);
    for (std::string entry; std::getline(in, entry, '\0');) v->push_back(entry);
    return v;
  }();
  return *env;
}

// The variable's value in the initial environment; false when it was not set.
bool initial_value(const std::string& name, std::string& value) {
  for (const std::string& e : initial_environment())
    if (e.size() > name.size() && e[name.size()] == '=' && e.compare(0, name.size(), name) == 0) {
      value = e.substr(name.size() + 1);
      return true;
    }
  return false;
}

char* lookup_env(const char* name) {
  if (!name || !*name || std::strchr(name, '=')) return nullptr;
  const std::size_t n = std::strlen(name);
  for (char** e = environ; e && *e; ++e)
    if (std::strncmp(*e, name, n) == 0 && (*e)[n] == '=') return *e + n + 1;
  return nullptr;
}

// PL_ENV_IGNORE=NAME,NAME...: variables the user says do not change results
// (a log level, a test's fault injection).
bool ignored_env(const char* name) {
  const char* list = lookup_env("PL_ENV_IGNORE");
  const std::size_t n = std::strlen(name);
  for (const char* p = list; p && *p;) {
    const char* end = std::strchr(p, ',');
    const std::size_t len = end ? std::size_t(end - p) : std::strlen(p);
    if (len == n && std::strncmp(p, name, n) == 0) return true;
    p = end ? end + 1 : nullptr;
  }
  return false;
}

void note_env(const char* name, const void* caller) {
  if (!name || !*name || t_recording || std::strncmp(name, "PL_", 3) == 0) return;
  t_recording = true;
  try {
    Table& t = table();
    const auto recorded = [&t, name] {
      std::lock_guard lock(t.mu);
      return t.env_seen.count(name) != 0;
    };
    // Read again (in a loop, say): nothing to look up.
    if (!recorded() && !ignored_env(name) && own_code(caller)) {
      std::lock_guard lock(t.mu);
      if (t.env_seen.insert(name).second) t.env.push_back(name);
    }
  } catch (...) {
  }
  t_recording = false;
}

// Read before main() can reorder argv (GNU getopt permutes it in place).
const std::vector<std::string> kArguments = [] {
  std::vector<std::string> args;
  std::ifstream in("/proc/self/cmdline", std::ios::binary);
  std::string all((std::istreambuf_iterator<char>(in)), std::istreambuf_iterator<char>());
  std::size_t start = 0;
  while (start < all.size()) {
    std::size_t end = all.find('\0', start);
    if (end == std::string::npos) end = all.size();
    args.push_back(all.substr(start, end - start));
    start = end + 1;
  }
  if (!args.empty()) args.erase(args.begin());
  return args;
}();

}  // namespace
}  // namespace pl::detail

extern "C" {
// The interposers: exported by libpl, found before libc's by every caller.
// getenv reads `environ` as libc's does (no dlsym: it runs while libraries
// start), and records the read (note_env).
__attribute__((visibility("default"), noinline)) char* getenv(const char* name) noexcept {
  char* value = pl::detail::lookup_env(name);
  pl::detail::note_env(name, __builtin_return_address(0));
  return value;
}
__attribute__((visibility("default"), noinline)) char* secure_getenv(const char* name) noexcept {
  if (::getauxval(AT_SECURE)) return nullptr;
  char* value = pl::detail::lookup_env(name);
  pl::detail::note_env(name, __builtin_return_address(0));
  return value;
}
__attribute__((visibility("default"))) int open(const char* path, int flags, ...) {
  va_list ap;
  va_start(ap, flags);
  const mode_t mode = pl::detail::mode_of(flags, ap);
  va_end(ap);
  return pl::detail::call_openat(pl::detail::kOpen, AT_FDCWD, path, flags, mode);
}
__attribute__((visibility("default"))) int open64(const char* path, int flags, ...) {
  va_list ap;
  va_start(ap, flags);
  const mode_t mode = pl::detail::mode_of(flags, ap);
  va_end(ap);
  return pl::detail::call_openat(pl::detail::kOpen64, AT_FDCWD, path, flags, mode);
}
__attribute__((visibility("default"))) int openat(int dirfd, const char* path, int flags, ...) {
  va_list ap;
  va_start(ap, flags);
  const mode_t mode = pl::detail::mode_of(flags, ap);
  va_end(ap);
  return pl::detail::call_openat(pl::detail::kOpenAt, dirfd, path, flags, mode);
}
__attribute__((visibility("default"))) int openat64(int dirfd, const char* path, int flags, ...) {
  va_list ap;
  va_start(ap, flags);
  const mode_t mode = pl::detail::mode_of(flags, ap);
  va_end(ap);
  return pl::detail::call_openat(pl::detail::kOpenAt64, dirfd, path, flags, mode);
}
__attribute__((visibility("default"))) std::FILE* fopen(const char* path, const char* mode) {
  return pl::detail::call_fopen(pl::detail::kFopen, path, mode);
}
__attribute__((visibility("default"))) std::FILE* fopen64(const char* path, const char* mode) {
  return pl::detail::call_fopen(pl::detail::kFopen64, path, mode);
}
__attribute__((visibility("default"))) int unlink(const char* path) noexcept {
  return pl::detail::call_unlink(pl::detail::kUnlink, AT_FDCWD, path, 0);
}
__attribute__((visibility("default"))) int unlinkat(int dirfd, const char* path,
                                                    int flags) noexcept {
  return pl::detail::call_unlink(pl::detail::kUnlinkAt, dirfd, path, flags);
}
__attribute__((visibility("default"))) int remove(const char* path) noexcept {
  return pl::detail::call_unlink(pl::detail::kRemove, AT_FDCWD, path, 0);
}
}  // extern "C"

namespace pl::detail {
namespace {

std::string escape(const std::string& s) {
  std::string out;
  for (char c : s) {
    if (c == '\\')
      out += "\\\\";
    else if (c == '\n')
      out += "\\n";
    else
      out += c;
  }
  return out;
}

std::string unescape(const std::string& s) {
  std::string out;
  for (std::size_t i = 0; i < s.size(); ++i) {
    if (s[i] == '\\' && i + 1 < s.size()) {
      out += s[i + 1] == 'n' ? '\n' : s[i + 1];
      ++i;
    } else {
      out += s[i];
    }
  }
  return out;
}

std::string seconds(std::int64_t ns) {
  char buf[48];
  std::snprintf(buf, sizeof buf, "%lld.%09lld", (long long)(ns / 1000000000),
                (long long)(ns % 1000000000));
  return buf;
}

}  // namespace

std::vector<std::string> program_arguments() { return kArguments; }

void note_instrumented_object(const void* inside) {
  const int i = g_instrumented_count.fetch_add(1, std::memory_order_acq_rel);
  if (i < kMaxObjects) g_instrumented[i].store(inside, std::memory_order_release);
}

std::vector<std::string> environment_read() {
  Table& t = table();
  std::lock_guard lock(t.mu);
  return t.env;
}

std::vector<InputFile> input_files() {
  Table& t = table();
  std::lock_guard lock(t.mu);
  std::vector<InputFile> out;
  for (const InputFile& f : t.inputs)
    if (!t.written.count(f.path)) out.push_back(f);
  return out;
}

std::uint64_t inputs_generation() {
  Table& t = table();
  std::lock_guard lock(t.mu);
  // All three only grow: a new input, an input the run then wrote, a
  // variable read.
  return std::uint64_t(t.inputs.size()) << 42 | std::uint64_t(t.written.size()) << 21 |
         t.env.size();
}

std::string render_inputs() {
  std::string s;
  const std::vector<std::string> args = program_arguments();
  for (std::size_t i = 0; i < args.size(); ++i)
    s += "arg " + std::to_string(i + 1) + " " + escape(args[i]) + "\n";
  for (const InputFile& f : input_files())
    s += "input " + std::to_string(f.size) + " " + std::to_string(f.mtime_ns) + " " +
         escape(f.path) + "\n";
  for (const std::string& name : environment_read()) {
    std::string value;
    s += "env " + escape(name) + (initial_value(name, value) ? "=" + escape(value) : "") + "\n";
  }
  return s;
}

std::vector<std::string> input_differences(const std::string& fingerprint) {
  std::vector<std::string> saved_args, out;
  std::vector<InputFile> saved_inputs;
  std::vector<std::pair<std::string, std::optional<std::string>>> saved_env;  // nullopt: not set
  std::istringstream in(fingerprint);
  for (std::string line; std::getline(in, line);) {
    if (line.rfind("arg ", 0) == 0) {
      const std::size_t sp = line.find(' ', 4);
      saved_args.push_back(sp == std::string::npos ? "" : unescape(line.substr(sp + 1)));
    } else if (line.rfind("input ", 0) == 0) {
      std::istringstream f(line.substr(6));
      InputFile file;
      f >> file.size >> file.mtime_ns;
      std::getline(f >> std::ws, file.path);
      file.path = unescape(file.path);
      saved_inputs.push_back(std::move(file));
    } else if (line.rfind("env ", 0) == 0) {
      const std::string entry = unescape(line.substr(4));
      const std::size_t eq = entry.find('=');
      if (eq == std::string::npos)
        saved_env.emplace_back(entry, std::nullopt);
      else
        saved_env.emplace_back(entry.substr(0, eq), entry.substr(eq + 1));
    }
  }
  const std::vector<std::string> now = program_arguments();
  for (std::size_t i = 0; i < std::max(saved_args.size(), now.size()); ++i) {
    if (i < saved_args.size() && i < now.size() && saved_args[i] == now[i]) continue;
    out.push_back("argument " + std::to_string(i + 1) + " was " +
                  (i < saved_args.size() ? "'" + saved_args[i] + "'" : "not given") + ", now " +
                  (i < now.size() ? "'" + now[i] + "'" : "not given"));
    break;  // the first difference: the others usually follow from it
  }
  const auto shown = [](const std::optional<std::string>& v) {
    return v ? "'" + *v + "'" : std::string("not set");
  };
  for (const auto& [name, was] : saved_env) {
    if (ignored_env(name.c_str())) continue;
    std::string value;
    const std::optional<std::string> now =
        initial_value(name, value) ? std::optional(value) : std::nullopt;
    if (now != was)
      out.push_back("environment variable " + name + " was " + shown(was) + ", now " + shown(now));
  }
  for (const InputFile& f : saved_inputs) {
    struct stat st {};
    if (::stat(f.path.c_str(), &st) != 0) {
      out.push_back("input " + f.path + " is gone (it had " + std::to_string(f.size) + " bytes)");
      continue;
    }
    const std::int64_t mtime = std::int64_t(st.st_mtim.tv_sec) * 1000000000 + st.st_mtim.tv_nsec;
    if (std::uint64_t(st.st_size) != f.size)
      out.push_back("input " + f.path + " changed: size " + std::to_string(f.size) + " -> " +
                    std::to_string(st.st_size));
    else if (mtime != f.mtime_ns)
      out.push_back("input " + f.path + " changed: modified at " + seconds(mtime) + " s, it was " +
                    seconds(f.mtime_ns) + " s when the checkpointed run read it");
  }
  return out;
}

}  // namespace pl::detail
