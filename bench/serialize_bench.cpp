// Generated serializers next to hand-written ones (issue 12): save and load
// throughput of a class of Eigen matrices whose serializer pl-instrument
// writes (gen::Net: private fields, a constructor, no pl code) and of the
// same class with a hand-written friend pl_serialize (hand::Net), and the
// bytes each writes per byte of state. This file is instrumented
// (pl_instrument in bench/CMakeLists.txt): train() below makes both classes
// checkpoint state, so pass generate-serializers writes gen::Net's.
#include <benchmark/benchmark.h>
#include <pl/abi.h>
#include <pl/serialize.h>

#include <Eigen/Dense>

namespace hand {
class Net {
 public:
  Net(int in, int hidden, int out)
      : W1_(Eigen::MatrixXf::Random(hidden, in)),
        b1_(Eigen::VectorXf::Zero(hidden)),
        W2_(Eigen::MatrixXf::Random(out, hidden)),
        b2_(Eigen::VectorXf::Zero(out)) {}
  void step() {
    W1_(0, 0) += 1e-3f;
    ++steps_;
  }
  std::size_t state_bytes() const {
    return sizeof(float) * std::size_t(W1_.size() + b1_.size() + W2_.size() + b2_.size()) +
           sizeof(steps_);
  }
  template <class Ar>
  friend void pl_serialize(Ar& ar, Net& n) {
    ar(n.W1_, n.b1_, n.W2_, n.b2_, n.steps_);
  }

 private:
  Eigen::MatrixXf W1_;
  Eigen::VectorXf b1_;
  Eigen::MatrixXf W2_;
  Eigen::VectorXf b2_;
  long steps_ = 0;
};
}  // namespace hand

namespace gen {
class Net {  // the same class, no serializer: pl-instrument writes one
 public:
  Net(int in, int hidden, int out)
      : W1_(Eigen::MatrixXf::Random(hidden, in)),
        b1_(Eigen::VectorXf::Zero(hidden)),
        W2_(Eigen::MatrixXf::Random(out, hidden)),
        b2_(Eigen::VectorXf::Zero(out)) {}
  void step() {
    W1_(0, 0) += 1e-3f;
    ++steps_;
  }
  std::size_t state_bytes() const {
    return sizeof(float) * std::size_t(W1_.size() + b1_.size() + W2_.size() + b2_.size()) +
           sizeof(steps_);
  }

 private:
  Eigen::MatrixXf W1_;
  Eigen::VectorXf b1_;
  Eigen::MatrixXf W2_;
  Eigen::VectorXf b2_;
  long steps_ = 0;
};
}  // namespace gen

// Makes both classes checkpoint state of an instrumented loop.
void train(gen::Net& g, hand::Net& h, int steps) {
  for (int i = 0; i < steps; ++i) {
    g.step();
    h.step();
  }
}

namespace {

template <class Net>
void save_bench(benchmark::State& state) {
  const int hidden = int(state.range(0));
  Net net(784, hidden, 10);
  std::size_t written = 0;
  for (auto _ : state) {
    pl::Writer w;
    pl::save(w, net);
    written = w.size();
    benchmark::DoNotOptimize(w.data().data());
  }
  state.SetBytesProcessed(std::int64_t(state.iterations()) * std::int64_t(net.state_bytes()));
  state.counters["bytes_per_state_byte"] = double(written) / double(net.state_bytes());
}

template <class Net>
void load_bench(benchmark::State& state) {
  const int hidden = int(state.range(0));
  Net net(784, hidden, 10);
  pl::Writer w;
  pl::save(w, net);
  const std::vector<unsigned char> bytes = w.take();
  for (auto _ : state) {
    pl::Reader r(bytes.data(), bytes.size());
    pl::load(r, net);
    benchmark::ClobberMemory();
  }
  state.SetBytesProcessed(std::int64_t(state.iterations()) * std::int64_t(net.state_bytes()));
}

// What recording array lengths costs (pass track-arrays): `new T[n]` and
// `delete[]` as instrumented code does them, next to plain ones, and a plain
// delete[] while arrays are recorded (libpl's operator delete[] looks it up).
// (`::new` and `::delete[]`: track-arrays leaves those alone, and libpl's
// operator delete[] still runs.)
void array_plain(benchmark::State& state) {
  for (auto _ : state) {
    double* p = ::new double[16];
    benchmark::DoNotOptimize(p);
    ::delete[] p;
  }
}
void array_tracked(benchmark::State& state) {
  for (auto _ : state) {
    double* p = pl::abi::new_array<double>(16);
    benchmark::DoNotOptimize(p);
    pl::abi::delete_array(p);
  }
}
void array_plain_while_recorded(benchmark::State& state) {
  double* recorded = pl::abi::new_array<double>(4);
  for (auto _ : state) {
    double* p = ::new double[16];
    benchmark::DoNotOptimize(p);
    ::delete[] p;
  }
  pl::abi::delete_array(recorded);
}
BENCHMARK(array_plain)->Name("array/new_delete_plain");
BENCHMARK(array_tracked)->Name("array/new_delete_tracked");
BENCHMARK(array_plain_while_recorded)->Name("array/new_delete_plain_while_one_recorded");

BENCHMARK(save_bench<hand::Net>)->Name("save/hand_written")->Arg(64)->Arg(512);
BENCHMARK(load_bench<hand::Net>)->Name("load/hand_written")->Arg(64)->Arg(512);
// gen::Net has a serializer only in the instrumented file (pl/abi_state.h
// is included first there); pl-instrument itself reads the file without it.
#ifdef PL_ABI_STATE_H
BENCHMARK(save_bench<gen::Net>)->Name("save/generated")->Arg(64)->Arg(512);
BENCHMARK(load_bench<gen::Net>)->Name("load/generated")->Arg(64)->Arg(512);
#endif

}  // namespace

BENCHMARK_MAIN();
