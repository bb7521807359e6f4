// ops.h — the numerical pieces shared by pretraining and fine-tuning
// (internal to the library): seeded initialization and shuffling,
// activations, minibatch slicing and the momentum update.
//
// Random numbers come from raw std::mt19937 output only: the std::
// distributions and std::shuffle are not specified bit for bit, and the
// library promises bit-identical runs.
#ifndef DEEPLEARNING_OPS_H
#define DEEPLEARNING_OPS_H

#include <Eigen/Dense>
#include <random>
#include <vector>

#include "deeplearning/deeplearning.h"

namespace dl::ops {

// A rows x cols layer with weights uniform in [-scale*r, scale*r), r the
// Glorot range sqrt(6 / (rows + cols)), and zero biases.
Dense glorot(int rows, int cols, float scale, std::mt19937& rng);

// Fisher-Yates with `rng() % (i + 1)`.
void shuffle(Eigen::VectorXi& order, std::mt19937& rng);

// Number of minibatches of size `batch` covering n samples (the last may be short).
int batch_count(int n, int batch);
// The sample ids of minibatch b.
Eigen::VectorXi batch_indices(const Eigen::VectorXi& order, int b, int batch);

// W X + b, per column.
Eigen::MatrixXf affine(const Dense& layer, const Eigen::MatrixXf& X);
Eigen::MatrixXf sigmoid(const Eigen::MatrixXf& Z);
// d sigmoid / dz expressed through its output: s (1 - s).
Eigen::MatrixXf sigmoid_slope(const Eigen::MatrixXf& S);
// Column-wise log-softmax, shifted by the column max for stability.
Eigen::MatrixXf log_softmax(const Eigen::MatrixXf& Z);
// classes x N, a 1 in row labels(i) of column i.
Eigen::MatrixXf one_hot(const Eigen::VectorXi& labels, int classes);

// The codes of X after the given sigmoid layers (X itself for none).
Eigen::MatrixXf encode(const std::vector<Dense>& layers, const Eigen::MatrixXf& X);

// SGD with momentum as a moving average of gradients:
// v = momentum * v + (1 - momentum) * grad;  w -= lr * v.
template <class Param, class Grad>
void momentum_step(Param& w, Param& v, const Grad& grad, float lr, float momentum) {
  v = momentum * v + (1.0f - momentum) * grad;
  w -= lr * v;
}

// The same for a dense layer, given the loss gradient with respect to its
// outputs (delta, outputs x m) and its inputs (inputs x m).
void momentum_step(Dense& layer, Dense& velocity, const Eigen::MatrixXf& delta,
                   const Eigen::MatrixXf& input, float lr, float momentum);

// A layer of the same shape, all zeros (momentum buffers).
Dense zeros_like(const Dense& layer);

}  // namespace dl::ops

#endif  // DEEPLEARNING_OPS_H
