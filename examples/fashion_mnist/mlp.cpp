// mlp.cpp — forward pass, evaluation and minibatch-SGD training of the
// 784-128-10 MLP. train() holds exactly two loops (epoch, batch), marked with
// PL_LOOP so pl-instrument can name them; everything else is Eigen ops.
#include "mlp.h"

#include <pl/marker.h>

#include <algorithm>
#include <cmath>
#include <cstdio>
#include <random>
#include <stdexcept>
#include <utility>

namespace mlp {
namespace {

// Uniform float in [-a, a) from raw engine output (portable across standard
// libraries, unlike std::uniform_real_distribution).
float uniform(std::mt19937& rng, float a) {
  const float u = static_cast<float>(rng() >> 8) * (1.0f / 16777216.0f);
  return (2.0f * u - 1.0f) * a;
}

void fill_uniform(Eigen::MatrixXf& m, std::mt19937& rng, float a) {
  for (Eigen::Index j = 0; j < m.cols(); ++j)
    for (Eigen::Index i = 0; i < m.rows(); ++i) m(i, j) = uniform(rng, a);
}

// Fisher-Yates with `rng() % (i + 1)`: bit-reproducible everywhere (the
// std:: distributions and std::shuffle are not specified exactly).
void shuffle(Eigen::VectorXi& order, std::mt19937& rng) {
  for (Eigen::Index i = order.size() - 1; i > 0; --i) {
    const auto j = static_cast<Eigen::Index>(rng() % static_cast<std::uint32_t>(i + 1));
    std::swap(order(i), order(j));
  }
}

// kOutputs x N one-hot matrix for the given labels.
Eigen::MatrixXf one_hot(const Eigen::VectorXi& labels) {
  Eigen::MatrixXf Y = Eigen::MatrixXf::Zero(kOutputs, labels.size());
  for (Eigen::Index i = 0; i < labels.size(); ++i) Y(labels(i), i) = 1.0f;
  return Y;
}

// Column-wise log-softmax, shifted by the column max for stability.
Eigen::MatrixXf log_softmax(const Eigen::MatrixXf& Z) {
  const Eigen::MatrixXf S = Z.rowwise() - Z.colwise().maxCoeff();
  const Eigen::RowVectorXf lse = S.array().exp().colwise().sum().log().matrix();
  return S.rowwise() - lse;
}

Eigen::MatrixXf hidden(const Net& net, const Eigen::MatrixXf& X) {
  return ((net.W1 * X).colwise() + net.b1).cwiseMax(0.0f);
}

Eigen::MatrixXf logits(const Net& net, const Eigen::MatrixXf& H) {
  return (net.W2 * H).colwise() + net.b2;
}

}  // namespace

Net init(std::uint32_t seed) {
  std::mt19937 rng(seed);
  Net net;
  net.W1.resize(kHidden, kInputs);
  net.W2.resize(kOutputs, kHidden);
  fill_uniform(net.W1, rng, std::sqrt(6.0f / kInputs));               // He
  fill_uniform(net.W2, rng, std::sqrt(6.0f / (kHidden + kOutputs)));  // Glorot
  net.b1 = Eigen::VectorXf::Zero(kHidden);
  net.b2 = Eigen::VectorXf::Zero(kOutputs);
  return net;
}

Eigen::MatrixXf forward(const Net& net, const Eigen::MatrixXf& X) {
  return log_softmax(logits(net, hidden(net, X))).array().exp().matrix();
}

double evaluate(const Net& net, const Dataset& data) {
  if (data.size() == 0) return 0.0;
  const Eigen::MatrixXf Z = logits(net, hidden(net, data.images));
  int correct = 0;
  for (Eigen::Index i = 0; i < Z.cols(); ++i) {
    Eigen::Index predicted = 0;
    Z.col(i).maxCoeff(&predicted);
    correct += predicted == data.labels(i) ? 1 : 0;
  }
  return static_cast<double>(correct) / static_cast<double>(data.size());
}

TrainResult train(Net& net, const Dataset& train, const Dataset& test, const Config& cfg) {
  if (cfg.batch <= 0) throw std::invalid_argument("mlp::train: batch size must be positive");
  if (cfg.epochs < 0) throw std::invalid_argument("mlp::train: epochs must be >= 0");
  if (train.size() == 0) throw std::invalid_argument("mlp::train: empty training set");

  const int n = train.size();
  const int n_batches = (n + cfg.batch - 1) / cfg.batch;
  std::mt19937 rng(cfg.seed ^ 0x9e3779b9u);  // shuffling stream, distinct from init
  Eigen::VectorXi order = Eigen::VectorXi::LinSpaced(n, 0, n - 1);
  float lr = cfg.lr;  // local copy: the updates read this, so a hook may change it
  const float momentum = cfg.momentum;
  const float damp = 1.0f - momentum;

  Eigen::MatrixXf vW1 = Eigen::MatrixXf::Zero(kHidden, kInputs);
  Eigen::VectorXf vb1 = Eigen::VectorXf::Zero(kHidden);
  Eigen::MatrixXf vW2 = Eigen::MatrixXf::Zero(kOutputs, kHidden);
  Eigen::VectorXf vb2 = Eigen::VectorXf::Zero(kOutputs);

  TrainResult result;
  PL_LOOP(epoch) for (int epoch = 0; epoch < cfg.epochs; ++epoch) {
    shuffle(order, rng);
    double loss = 0.0;  // running mean of batch_loss over this epoch

    PL_LOOP(batch) for (int b = 0; b < n_batches; ++b) {
      const int start = b * cfg.batch;
      const int count = std::min(cfg.batch, n - start);
      const Eigen::VectorXi idx = order.segment(start, count);
      const Eigen::MatrixXf X = train.images(Eigen::all, idx);
      const Eigen::MatrixXf Y = one_hot(train.labels(idx));

      // Forward.
      const Eigen::MatrixXf Z1 = (net.W1 * X).colwise() + net.b1;
      const Eigen::MatrixXf H = Z1.cwiseMax(0.0f);
      const Eigen::MatrixXf logP = log_softmax(logits(net, H));
      const double batch_loss = -static_cast<double>(Y.cwiseProduct(logP).sum()) / count;
      loss += (batch_loss - loss) / (b + 1);

      // Backward: gradients of the mean cross-entropy.
      const Eigen::MatrixXf G2 = (logP.array().exp().matrix() - Y) / static_cast<float>(count);
      const Eigen::MatrixXf G1 =
          (net.W2.transpose() * G2).cwiseProduct((Z1.array() > 0.0f).cast<float>().matrix());

      // SGD with momentum as a moving average of gradients:
      // v = momentum * v + (1 - momentum) * grad; w -= lr * v.
      vW2 *= momentum;
      vW2.noalias() += damp * (G2 * H.transpose());
      vb2 = momentum * vb2 + damp * G2.rowwise().sum();
      vW1 *= momentum;
      vW1.noalias() += damp * (G1 * X.transpose());
      vb1 = momentum * vb1 + damp * G1.rowwise().sum();
      net.W2 -= lr * vW2;
      net.b2 -= lr * vb2;
      net.W1 -= lr * vW1;
      net.b1 -= lr * vb1;
    }

    double accuracy = evaluate(net, test);
    result.epoch_loss.push_back(loss);
    result.epoch_accuracy.push_back(accuracy);
    result.final_accuracy = accuracy;
    if (cfg.verbose) {
      std::printf("epoch %d loss %.4f accuracy %.4f\n", epoch + 1, loss, accuracy);
      std::fflush(stdout);
    }
  }
  return result;
}

std::uint64_t checksum(const Net& net) {
  std::uint64_t h = 0xcbf29ce484222325ull;  // FNV-1a 64 offset basis
  auto mix = [&h](const float* data, Eigen::Index count) {
    const auto* bytes = reinterpret_cast<const unsigned char*>(data);
    const std::size_t n = static_cast<std::size_t>(count) * sizeof(float);
    for (std::size_t i = 0; i < n; ++i) {
      h ^= bytes[i];
      h *= 0x100000001b3ull;  // FNV-1a 64 prime
    }
  };
  mix(net.W1.data(), net.W1.size());
  mix(net.b1.data(), net.b1.size());
  mix(net.W2.data(), net.W2.size());
  mix(net.b2.data(), net.b2.size());
  return h;
}

}  // namespace mlp
