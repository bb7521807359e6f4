// fingerprint_bench — what the checkpoint fingerprint costs (issue 10: the
// fingerprint and argument/input recording add <= 1% to checkpoint time).
//
// Each checkpoint carries the program's fingerprint: the contract, one line
// per instrumented loop (state layout, code hash), the arguments and the
// input files. This measures building it for a program of 200 loops that
// read 4 input files, next to saving 1 MB of state the way a checkpoint does
// (the serialization on the training thread; the file write runs on a worker).
#include <benchmark/benchmark.h>
#include <fcntl.h>
#include <pl/abi.h>
#include <pl/serialize.h>
#include <unistd.h>

#include <cstdio>
#include <string>
#include <vector>

#include "ckpt_loaded.h"

namespace {

void register_program() {
  static std::vector<std::string> names, states;
  static std::vector<pl::abi::ManifestLoop> loops;
  if (!loops.empty()) return;
  for (int i = 0; i < 200; ++i) {
    names.push_back("ns::Trainer::fit/loop" + std::to_string(i));
    states.push_back("loss:float,i:int,w:std::vector<float>,rng:std::mt19937");
  }
  for (int i = 0; i < 200; ++i) {
    pl::abi::ManifestLoop m{};
    m.name = names[i].c_str();
    m.file = "/src/train.cpp";
    m.line = 10u + unsigned(i);
    m.vars = "loss,i,w,rng";
    m.state = states[i].c_str();
    m.unsaveable = "";
    m.uncaptured = "";
    m.source_hash = "0123456789abcdef";
    m.restored_by = "";
    m.code_hash = "fedcba9876543210";
    loops.push_back(m);
  }
  pl::abi::register_manifest(loops.data(), std::uint32_t(loops.size()));
  for (int f = 0; f < 4; ++f) {  // input files, seen by libpl's open interposer
    std::string path = "/tmp/pl_fingerprint_bench_" + std::to_string(f);
    if (FILE* out = std::fopen(path.c_str(), "w")) {
      std::fputs("data\n", out);
      std::fclose(out);
    }
    int fd = ::open(path.c_str(), O_RDONLY);
    if (fd >= 0) ::close(fd);
  }
}

void BM_program_fingerprint(benchmark::State& state) {
  register_program();
  for (auto _ : state) benchmark::DoNotOptimize(pl::detail::program_fingerprint());
}
BENCHMARK(BM_program_fingerprint);

// The training thread's part of a checkpoint of 1 MB of state.
void BM_serialize_1MB_state(benchmark::State& state) {
  std::vector<float> w(1 << 18, 0.5f);
  for (auto _ : state) {
    pl::Writer out;
    pl::save(out, w);
    benchmark::DoNotOptimize(out.data().data());
  }
}
BENCHMARK(BM_serialize_1MB_state);

}  // namespace

BENCHMARK_MAIN();
