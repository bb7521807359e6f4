// A second ordinary training program, written by a new user in a trial of
// generated serializers (kept as written): a Trainer holding a const Dataset&,
// a const Config, a Model with std::mt19937, Adam behind an abstract
// Optimizer (C-array member, protected fields), a RunningStat<double>
// template, a scheduler with const fields and a nested History struct.
// No line for pl; killed and resumed, it must print what it prints unkilled.
// Ordinary C++ training program: linear regression with a pluggable optimizer.
#include <algorithm>
#include <cmath>
#include <cstdio>
#include <random>
#include <vector>

struct Config {
  int epochs = 40;
  int batch = 16;
  double lr = 0.05;
};

class Dataset {
 public:
  Dataset(int n, int d, unsigned seed) : n_(n), d_(d), x_(n * d), y_(n) {
    std::mt19937 g(seed);
    std::normal_distribution<double> nd(0.0, 1.0);
    std::vector<double> w(d);
    for (int j = 0; j < d; ++j) w[j] = 0.5 * (j + 1);
    for (int i = 0; i < n; ++i) {
      double s = 0;
      for (int j = 0; j < d; ++j) { x_[i * d + j] = nd(g); s += w[j] * x_[i * d + j]; }
      y_[i] = s + 0.1 * nd(g);
    }
  }
  int size() const { return n_; }
  int dim() const { return d_; }
  const double* row(int i) const { return &x_[i * d_]; }
  double target(int i) const { return y_[i]; }
 private:
  int n_, d_;
  std::vector<double> x_, y_;
};

template <typename T>
class RunningStat {
 public:
  void push(T v) {
    ++n_;
    T delta = v - mean_;
    mean_ += delta / static_cast<T>(n_);
    m2_ += delta * (v - mean_);
    if (v < min_) min_ = v;
  }
  T mean() const { return mean_; }
  T var() const { return n_ > 1 ? m2_ / static_cast<T>(n_ - 1) : T(0); }
  long count() const { return n_; }
  T min() const { return min_; }
 private:
  long n_ = 0;
  T mean_ = T(0);
  T m2_ = T(0);
  T min_ = T(1e30);
};

class Optimizer {
 public:
  explicit Optimizer(double lr) : lr_(lr) {}
  virtual ~Optimizer() = default;
  virtual void step(std::vector<double>& w, const std::vector<double>& g) = 0;
  void set_lr(double lr) { lr_ = lr; }
  double lr() const { return lr_; }
  long steps() const { return steps_; }
 protected:
  double lr_;
  long steps_ = 0;
};

class Adam : public Optimizer {
 public:
  Adam(double lr, std::size_t n) : Optimizer(lr), m_(n, 0.0), v_(n, 0.0) {}
  void step(std::vector<double>& w, const std::vector<double>& g) override {
    ++steps_;
    b1t_ *= kBeta[0];
    b2t_ *= kBeta[1];
    for (std::size_t i = 0; i < w.size(); ++i) {
      m_[i] = kBeta[0] * m_[i] + (1 - kBeta[0]) * g[i];
      v_[i] = kBeta[1] * v_[i] + (1 - kBeta[1]) * g[i] * g[i];
      double mh = m_[i] / (1 - b1t_), vh = v_[i] / (1 - b2t_);
      w[i] -= lr_ * mh / (std::sqrt(vh) + 1e-8);
    }
  }
 private:
  double kBeta[2] = {0.9, 0.999};  // C array member
  double b1t_ = 1.0, b2t_ = 1.0;
  std::vector<double> m_, v_;
};

class StepScheduler {
 public:
  StepScheduler(double base, int every, double gamma) : base_(base), every_(every), gamma_(gamma) {}
  double next() {
    ++epoch_;
    if (epoch_ % every_ == 0) base_ *= gamma_;
    return base_;
  }
 private:
  double base_;
  const int every_;
  const double gamma_;
  int epoch_ = 0;
};

class Model {
 public:
  Model(int d, unsigned seed) : w_(d + 1), rng_(seed) {
    std::uniform_real_distribution<double> u(-0.1, 0.1);
    for (auto& v : w_) v = u(rng_);
  }
  double predict(const double* x) const {
    double s = w_.back();
    for (std::size_t j = 0; j + 1 < w_.size(); ++j) s += w_[j] * x[j];
    return s;
  }
  std::vector<double>& weights() { return w_; }
  const std::vector<double>& weights() const { return w_; }
  std::mt19937& rng() { return rng_; }
 private:
  std::vector<double> w_;
  std::mt19937 rng_;
};

class Trainer {
 public:
  struct History {
    std::vector<double> loss;
    int best_epoch = -1;
  };
  Trainer(const Dataset& data, const Config& cfg)
      : data_(data), cfg_(cfg), model_(data.dim(), 7), opt_(cfg.lr, data.dim() + 1),
        sched_(cfg.lr, 10, 0.5), order_(data.size()) {
    for (int i = 0; i < data.size(); ++i) order_[i] = i;
  }
  void fit() {
    for (int epoch = 0; epoch < cfg_.epochs; ++epoch) {
      std::shuffle(order_.begin(), order_.end(), model_.rng());
      RunningStat<double> batch_loss;
      for (int b = 0; b + cfg_.batch <= data_.size(); b += cfg_.batch) {
        std::vector<double> g(model_.weights().size(), 0.0);
        double loss = 0;
        for (int k = 0; k < cfg_.batch; ++k) {
          int i = order_[b + k];
          const double* x = data_.row(i);
          double err = model_.predict(x) - data_.target(i);
          loss += err * err;
          for (int j = 0; j < data_.dim(); ++j) g[j] += 2 * err * x[j] / cfg_.batch;
          g.back() += 2 * err / cfg_.batch;
        }
        opt_.step(model_.weights(), g);
        batch_loss.push(loss / cfg_.batch);
        busy_ += burn(1600);
      }
      hist_.loss.push_back(batch_loss.mean());
      if (hist_.best_epoch < 0 || batch_loss.mean() < hist_.loss[hist_.best_epoch]) hist_.best_epoch = epoch;
      epoch_stats_.push(batch_loss.mean());
      opt_.set_lr(sched_.next());
    }
  }
  void report() const {
    for (std::size_t e = 0; e < hist_.loss.size(); ++e) std::printf("epoch %zu loss %.17g\n", e, hist_.loss[e]);
    std::printf("best epoch %d\n", hist_.best_epoch);
    for (double w : model_.weights()) std::printf("w %.17g\n", w);
    std::printf("steps %ld lr %.17g stats n=%ld mean=%.17g var=%.17g min=%.17g busy=%.6g\n", opt_.steps(), opt_.lr(),
                epoch_stats_.count(), epoch_stats_.mean(), epoch_stats_.var(), epoch_stats_.min(), busy_);
  }
 private:
  static double burn(int n) {
    double s = 0;
    for (int i = 0; i < n * 100; ++i) s += std::sin(i * 1e-3);
    return s * 1e-9;
  }
  const Dataset& data_;
  const Config cfg_;
  Model model_;
  Adam opt_;
  StepScheduler sched_;
  std::vector<int> order_;
  History hist_;
  RunningStat<double> epoch_stats_;
  double busy_ = 0;
};

int main() {
  Dataset data(512, 5, 123);
  Config cfg;
  Trainer t(data, cfg);
  t.fit();
  t.report();
  return 0;
}
