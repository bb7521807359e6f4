// progress_plugin.cpp — hooks attached by loop label, from outside the
// training code.
//
// Built as a plugin (libfm_progress.so) and loaded into the instrumented
// trainer with PL_PLUGINS=./libfm_progress.so. Neither mlp.cpp nor main.cpp
// mentions it: the hooks find the loops by their names,
//
//   mlp::train/epoch          (PL_LOOP(epoch) in mlp.cpp)
//   mlp::train/epoch/batch    (PL_LOOP(batch), nested in epoch)
//
// and read the trainer's locals by name and type.
#include <pl/pl.h>

#include <chrono>
#include <cstdio>
#include <unistd.h>

namespace {

using Clock = std::chrono::steady_clock;
Clock::time_point epoch_start;
Clock::time_point last_draw;

void attach() {
  pl::on("mlp::train/epoch").at(pl::iteration_begin).call([](pl::Frame&) {
    epoch_start = last_draw = Clock::now();
  });

  // A progress line per batch, redrawn at most 10 times a second.
  pl::on("mlp::train/epoch/batch").at(pl::iteration_end).call([](pl::Frame& f) {
    auto now = Clock::now();
    bool last = f.trip() >= 0 && f.iteration() + 1 == std::uint64_t(f.trip());
    if (now - last_draw < std::chrono::milliseconds(100) && !last) return;
    last_draw = now;
    if (!isatty(STDERR_FILENO)) return;  // no carriage-return art in logs
    pl::LoopInfo epoch = f.enclosing(1);
    std::fprintf(stderr, "\r  epoch %llu/%lld  batch %llu/%lld  loss %.4f   ",
                 (unsigned long long)epoch.iteration + 1, (long long)epoch.trip,
                 (unsigned long long)f.iteration() + 1, (long long)f.trip(),
                 f.get<double>("loss"));
  });

  pl::on("mlp::train/epoch").at(pl::iteration_end).call([](pl::Frame& f) {
    double secs = std::chrono::duration<double>(Clock::now() - epoch_start).count();
    if (isatty(STDERR_FILENO)) std::fprintf(stderr, "\r%70s\r", "");
    std::fprintf(stderr, "[pl progress] epoch %llu/%lld  loss %.4f  accuracy %.4f  lr %g  %.2fs\n",
                 (unsigned long long)f.iteration() + 1, (long long)f.trip(),
                 f.get<double>("loss"), f.get<double>("accuracy"), double(f.get<float>("lr")),
                 secs);
  });
}

}  // namespace

PL_PLUGIN(attach)
