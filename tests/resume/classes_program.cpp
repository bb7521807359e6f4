// A training loop written the ordinary way, with no line for pl: classes with
// private and protected state and constructors, a class hierarchy with
// virtual functions used through a reference to the base, a polymorphic
// layer list (std::vector<std::unique_ptr<Unit>>, one class without a
// default constructor), a class template, a nested class, a C array member,
// a const member, classes in an anonymous namespace, and a raw `new
// double[n]` buffer the loop writes. pl-instrument writes the serializers
// (pass generate-serializers) and records the buffer's length (pass
// track-arrays); killed and resumed, the run must print exactly what an
// uninterrupted one prints (at the end).
//
// usage: classes_program [spin rounds per step]
#include <cmath>
#include <cstdio>
#include <cstdlib>
#include <memory>
#include <random>
#include <string>
#include <vector>

#include "busy_work.h"

namespace model {

class Layer {
 public:
  Layer(int n, unsigned seed) : w_(std::size_t(n)), rng_(seed) {
    for (double& x : w_) x = dist_(rng_);
  }
  double forward(double x) const {
    double s = bias_[0];
    for (std::size_t i = 0; i < w_.size(); ++i) s += w_[i] * std::sin(x * double(i + 1));
    return std::tanh(s / double(kScale));
  }
  void update(double step) {
    for (std::size_t i = 0; i < w_.size(); ++i) w_[i] -= step * 1e-3 * double(i % 7 + 1);
    bias_[updates_ % 2] += step * 1e-4 + 1e-6 * dist_(rng_);  // the engine is state too
    ++updates_;
  }
  long updates() const { return updates_; }
  double checksum() const {
    double s = bias_[0] + bias_[1];
    for (double x : w_) s += x;
    return s;
  }

 private:
  std::vector<double> w_;
  std::mt19937 rng_;
  std::normal_distribution<double> dist_{0.0, 1.0};
  double bias_[2] = {0.0, 0.0};
  long updates_ = 0;
  const int kScale = 8;  // const: never written, rebuilt by the replay
};

class Optimizer {
 public:
  explicit Optimizer(double lr) : lr_(lr) {}
  virtual ~Optimizer() = default;
  virtual double step(double gradient) = 0;
  long steps() const { return steps_; }

 protected:
  double lr_;
  long steps_ = 0;
};

class Momentum : public Optimizer {
 public:
  Momentum(double lr, double beta) : Optimizer(lr), beta_(beta) {}
  double step(double gradient) override {
    velocity_ = beta_ * velocity_ + gradient;
    ++steps_;
    lr_ *= 0.9995;
    return lr_ * velocity_;
  }

 private:
  double beta_;
  double velocity_ = 0;
};

// Polymorphic units held through unique_ptrs to the abstract base.
class Unit {
 public:
  virtual ~Unit() = default;
  virtual double apply(double x) = 0;
};

class Scale : public Unit {
 public:
  explicit Scale(double s) : s_(s) {}  // no default constructor
  double apply(double x) override {
    s_ = 0.999 * s_ + 0.001;
    return x * s_;
  }

 private:
  double s_;
};

class Shift : public Unit {
 public:
  double apply(double x) override {
    shift_ += 1e-4 * x;
    return x + shift_;
  }

 private:
  double shift_ = 0;
};

template <class T>
class RunningMean {
 public:
  void add(T x) {
    total_ += x;
    ++count_;
  }
  T mean() const { return count_ ? total_ / T(count_) : T(0); }

 private:
  T total_{};
  long count_ = 0;
};

}  // namespace model

namespace {

class Schedule {
 public:
  struct Phase {
    int length;
    double scale;
  };
  explicit Schedule(double base) : base_(base) {}
  double next() {
    if (++t_ % phases_[p_].length == 0) p_ = (p_ + 1) % 2;
    return base_ * phases_[p_].scale;
  }

 private:
  double base_;
  int t_ = 0, p_ = 0;
  Phase phases_[2] = {{50, 1.0}, {30, 0.5}};
};

}  // namespace

int main(int argc, char** argv) {
  const int rounds = argc > 1 ? std::atoi(argv[1]) : 2000;
  model::Layer layer(32, 7);
  model::Momentum opt(0.05, 0.9);
  model::Optimizer& optimizer = opt;  // used through its base
  std::vector<std::unique_ptr<model::Unit>> units;
  units.push_back(std::make_unique<model::Scale>(1.5));
  units.push_back(std::make_unique<model::Shift>());
  double* history = new double[8]();  // a raw buffer the loop writes
  model::RunningMean<double> loss;
  Schedule schedule(1.0);
  std::mt19937 data(42);
  std::uniform_real_distribution<double> input(-1.0, 1.0);
  double drift = 0;
  std::string report;
  for (int epoch = 0; epoch < 12; ++epoch) {
    for (int step = 0; step < 60; ++step) {
      const double x = units[std::size_t(step) % 2]->apply(input(data));
      const double error = layer.forward(x) - 0.25 * std::sin(3 * x);
      layer.update(optimizer.step(error) * schedule.next());
      history[step % 8] += error;
      loss.add(error * error);
      drift = spin(drift + error, rounds);
    }
    char line[160];
    std::snprintf(line, sizeof line,
                  "epoch %d loss %.17g weights %.17g updates %ld steps %ld history %.17g\n", epoch,
                  loss.mean(), layer.checksum(), layer.updates(), opt.steps(),
                  history[0] + history[3] + history[7]);
    report += line;  // printed at the end: a resumed run does not redo earlier epochs' output
  }
  std::printf("%sdrift %.17g\n", report.c_str(), drift);
  delete[] history;
  return 0;
}
