// ops.cpp — initialization, shuffling, activations and the momentum update
// shared by dl::pretrain and dl::finetune.
#include "ops.h"

#include <algorithm>
#include <cmath>
#include <utility>

namespace dl::ops {

Dense glorot(int rows, int cols, float scale, std::mt19937& rng) {
  const float range = scale * std::sqrt(6.0f / static_cast<float>(rows + cols));
  Dense layer{Eigen::MatrixXf(rows, cols), Eigen::VectorXf::Zero(rows)};
  for (Eigen::Index j = 0; j < layer.W.cols(); ++j)
    for (Eigen::Index i = 0; i < layer.W.rows(); ++i) {
      const float u = static_cast<float>(rng() >> 8) * (1.0f / 16777216.0f);  // [0, 1)
      layer.W(i, j) = (2.0f * u - 1.0f) * range;
    }
  return layer;
}

void shuffle(Eigen::VectorXi& order, std::mt19937& rng) {
  for (Eigen::Index i = order.size() - 1; i > 0; --i) {
    const auto j = static_cast<Eigen::Index>(rng() % static_cast<std::uint32_t>(i + 1));
    std::swap(order(i), order(j));
  }
}

int batch_count(int n, int batch) { return (n + batch - 1) / batch; }

Eigen::VectorXi batch_indices(const Eigen::VectorXi& order, int b, int batch) {
  const int start = b * batch;
  return order.segment(start, std::min(batch, static_cast<int>(order.size()) - start));
}

Eigen::MatrixXf affine(const Dense& layer, const Eigen::MatrixXf& X) {
  return (layer.W * X).colwise() + layer.b;
}

Eigen::MatrixXf sigmoid(const Eigen::MatrixXf& Z) {
  return (1.0f + (-Z.array()).exp()).inverse().matrix();
}

Eigen::MatrixXf sigmoid_slope(const Eigen::MatrixXf& S) {
  return (S.array() * (1.0f - S.array())).matrix();
}

Eigen::MatrixXf log_softmax(const Eigen::MatrixXf& Z) {
  const Eigen::MatrixXf shifted = Z.rowwise() - Z.colwise().maxCoeff();
  const Eigen::RowVectorXf lse = shifted.array().exp().colwise().sum().log().matrix();
  return shifted.rowwise() - lse;
}

Eigen::MatrixXf one_hot(const Eigen::VectorXi& labels, int classes) {
  Eigen::MatrixXf Y = Eigen::MatrixXf::Zero(classes, labels.size());
  for (Eigen::Index i = 0; i < labels.size(); ++i) Y(labels(i), i) = 1.0f;
  return Y;
}

Eigen::MatrixXf encode(const std::vector<Dense>& layers, const Eigen::MatrixXf& X) {
  Eigen::MatrixXf codes = X;
  for (const Dense& layer : layers) codes = sigmoid(affine(layer, codes));
  return codes;
}

void momentum_step(Dense& layer, Dense& velocity, const Eigen::MatrixXf& delta,
                   const Eigen::MatrixXf& input, float lr, float momentum) {
  momentum_step(layer.W, velocity.W, delta * input.transpose(), lr, momentum);
  momentum_step(layer.b, velocity.b, delta.rowwise().sum(), lr, momentum);
}

Dense zeros_like(const Dense& layer) {
  return {Eigen::MatrixXf::Zero(layer.W.rows(), layer.W.cols()),
          Eigen::VectorXf::Zero(layer.b.size())};
}

}  // namespace dl::ops
