// Writing checkpoints on a worker, atomically, keeping the last N; see ckpt_writer.h.
#include "ckpt_writer.h"

#include <dirent.h>
#include <pthread.h>
#include <sys/stat.h>
#include <unistd.h>

#include <algorithm>
#include <cstdio>
#include <cstdlib>
#include <memory>
#include <thread>

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
  if (!wait && in_flight_.exchange(true)) {
    skipped_.fetch_add(1);
    return false;
  }
  const std::string dir = this->dir();
  char name[64];
  std::snprintf(name, sizeof name, "/ckpt-%06llu.plck", (unsigned long long)seq);
  const std::string path = dir + name;
  std::unique_lock lock(jobs_mu_);
  if (wait) {
    wait_idle(lock);  // the write in flight, or another thread's final one
    in_flight_.store(true);
  }
  job_ = std::make_unique<Job>(Job{std::move(data), path, dir});
  if (!thread_started_) {
    thread_started_ = true;
    // Detached: the writer is never destroyed (loops may run during exit);
    // an exit waits for the write in flight in finish().
    std::thread([this] { run_writer(); }).detach();
    // A forked child has no writer thread: it starts its own on its first
    // write (the mutex is held across fork, so the child's copy is sane).
    static std::once_flag at_fork;
    std::call_once(at_fork, [] {
      ::pthread_atfork([] { get().jobs_mu_.lock(); }, [] { get().jobs_mu_.unlock(); },
                       [] {
                         CheckpointWriter& w = get();
                         w.thread_started_ = w.writing_ = false;
                         w.job_.reset();
                         w.in_flight_.store(false);
                         w.jobs_mu_.unlock();
                       });
    });
  }
  job_ready_.notify_one();
  if (!wait) return true;
  wait_idle(lock);
  lock.unlock();
  return last_good() == path;
}

void CheckpointWriter::wait_idle(std::unique_lock<std::mutex>& lock) {
  job_done_.wait(lock, [this] { return !job_ && !writing_; });
}

void CheckpointWriter::run_writer() {
  std::unique_lock lock(jobs_mu_);
  for (;;) {
    job_ready_.wait(lock, [this] { return job_ != nullptr; });
    std::unique_ptr<Job> job = std::move(job_);
    writing_ = true;
    lock.unlock();
    write_one(job->data, job->path, job->dir);
    job.reset();
    lock.lock();
    writing_ = false;
    in_flight_.store(false);
    job_done_.notify_all();
  }
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
  written_ += 1;
  write_seconds_ += seconds;
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
  // The write in flight, if any, ends before the process does.
  {
    std::unique_lock lock(jobs_mu_);
    wait_idle(lock);
  }
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
  if (skipped == 0) return;
  std::fprintf(stderr,
               "pl: %llu checkpoint(s) were skipped because the previous one was still "
               "being written\n",
               (unsigned long long)skipped);
  std::lock_guard lock(mu_);
  if (written_ > 0)  // what would have written each one it asked for
    std::fprintf(stderr,
                 "pl: a checkpoint took %.3g s to write on average (%llu written): a policy with "
                 "every=%.2gs, or a larger every=N, asks only for checkpoints it writes\n",
                 write_seconds_ / double(written_), (unsigned long long)written_,
                 std::max(0.01, 2 * write_seconds_ / double(written_)));
}

}  // namespace pl::detail
