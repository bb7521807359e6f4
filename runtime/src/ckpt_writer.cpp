// Writing checkpoints on a worker, atomically, keeping the last N; see ckpt_writer.h.
#include "ckpt_writer.h"

#include <dirent.h>
#include <sys/stat.h>
#include <unistd.h>

#include <algorithm>
#include <cstdio>
#include <cstdlib>
#include <memory>

#include "registry.h"

namespace pl::detail {

CheckpointWriter& CheckpointWriter::get() {
  static CheckpointWriter* w = new CheckpointWriter;  // leaked: loops may run during exit
  return *w;
}

void CheckpointWriter::configure(const std::string& dir, unsigned keep) {
  std::lock_guard lock(mu_);
  configured_ = true;
  dir_ = dir;
  keep_ = keep;
  remove_torn_writes();
  auto files = list_files(dir_);
  next_seq_ = std::max(next_seq_, (files.empty() ? 0 : files.back().first) + 1);
}

bool CheckpointWriter::configured() const {
  std::lock_guard lock(mu_);
  return configured_;
}

std::string CheckpointWriter::dir() const {
  std::lock_guard lock(mu_);
  return dir_;
}

std::uint64_t CheckpointWriter::next_sequence() {
  std::lock_guard lock(mu_);
  return next_seq_++;
}

std::string CheckpointWriter::last_good() const {
  std::lock_guard lock(mu_);
  return last_good_;
}

bool CheckpointWriter::submit(CheckpointData data, std::uint64_t seq, bool wait) {
  if (wait) {
    writes_.wait();
    in_flight_.store(true);
  } else if (in_flight_.exchange(true)) {
    skipped_.fetch_add(1);
    return false;
  }
  const std::string dir = this->dir();
  char name[64];
  std::snprintf(name, sizeof name, "/ckpt-%06llu.plck", (unsigned long long)seq);
  std::string path = dir + name;
  auto shared = std::make_shared<CheckpointData>(std::move(data));
  writes_.run([this, shared, path, dir] {
    write_one(*shared, path, dir);
    in_flight_.store(false);
  });
  // oneTBB's own statics were made by the first run() above, after libpl's
  // exit handler was registered, so they are destroyed before it runs: a
  // write still in flight at exit must be waited for earlier, by a handler
  // registered now (exit handlers run in reverse order of registration).
  if (!exit_wait_registered_.exchange(true))
    std::atexit([] {
      CheckpointWriter& w = CheckpointWriter::get();
      w.writes_.wait();
      w.exit_waited_.store(true);  // oneTBB may be gone when finish() runs
    });
  if (!wait) return true;
  writes_.wait();
  return last_good() == path;
}

void CheckpointWriter::write_one(const CheckpointData& data, const std::string& path,
                                 const std::string& dir) {
  const std::int64_t t0 = steady_now_ns();
  try {
    ::mkdir(dir.c_str(), 0777);
    write_checkpoint(path, data);
  } catch (const std::exception& e) {
    std::lock_guard lock(mu_);
    report_failure(e.what());
    return;
  }
  const double seconds = double(steady_now_ns() - t0) * 1e-9;
  std::size_t bytes = 0;
  for (const CheckpointRecord& r : data.records) bytes += r.payload.size() + 64;
  if (seconds > 0 && bytes > (1u << 20)) bandwidth_.store(double(bytes) / seconds);
  std::lock_guard lock(mu_);
  last_good_ = path;
  prune(dir);
}

// Said once per cause (disk full, permission ...), counted after that.
void CheckpointWriter::report_failure(const std::string& what) {
  const std::size_t colon = what.rfind(": ");
  if (write_errors_.insert(colon == std::string::npos ? what : what.substr(colon + 2)).second)
    std::fprintf(stderr,
                 "pl: checkpoint: %s; the run continues (further failures like this one are "
                 "counted)%s%s\n",
                 what.c_str(), last_good_.empty() ? "" : ", the last good checkpoint is ",
                 last_good_.c_str());
  ++failed_writes_;
}

std::vector<std::pair<std::uint64_t, std::string>> CheckpointWriter::list_files(
    const std::string& dir) {
  std::vector<std::pair<std::uint64_t, std::string>> files;
  if (DIR* d = ::opendir(dir.c_str())) {
    while (dirent* e = ::readdir(d)) {
      unsigned long long seq = 0;
      char tail[8] = {};
      if (std::sscanf(e->d_name, "ckpt-%llu.plc%1s", &seq, tail) == 2 &&
          std::string(e->d_name).size() == 16 && std::string(tail) == "k")
        files.emplace_back(seq, dir + "/" + e->d_name);
    }
    ::closedir(d);
  }
  std::sort(files.begin(), files.end());
  return files;
}

// A process killed while writing leaves its temporary file: never a
// checkpoint (the rename did not happen), so it goes.
void CheckpointWriter::remove_torn_writes() const {
  if (DIR* d = ::opendir(dir_.c_str())) {
    std::vector<std::string> torn;
    while (dirent* e = ::readdir(d)) {
      std::string name = e->d_name;
      if (name.rfind("ckpt-", 0) == 0 && name.find(".plck.tmp") != std::string::npos)
        torn.push_back(dir_ + "/" + name);
    }
    ::closedir(d);
    for (const std::string& t : torn) ::unlink(t.c_str());
  }
}

void CheckpointWriter::prune(const std::string& dir) {
  auto files = list_files(dir);
  for (std::size_t i = 0; i + keep_ < files.size(); ++i) ::unlink(files[i].second.c_str());
}

void CheckpointWriter::finish() {
  // Nothing written: nothing to wait for (and no oneTBB to start at exit).
  // At exit, the handler registered with the first write already waited.
  if (exit_wait_registered_.load() && !exit_waited_.load()) writes_.wait();
  {
    std::lock_guard lock(mu_);
    if (failed_writes_ > 1)
      std::fprintf(stderr, "pl: %llu checkpoint writes failed in this run%s%s\n",
                   (unsigned long long)failed_writes_,
                   last_good_.empty() ? "; there is no checkpoint from it"
                                      : "; the last good one is ",
                   last_good_.c_str());
  }
  const std::uint64_t skipped = skipped_.load();
  if (skipped > 0)
    std::fprintf(stderr,
                 "pl: %llu checkpoint(s) were skipped because the previous one was still "
                 "being written\n",
                 (unsigned long long)skipped);
}

}  // namespace pl::detail
