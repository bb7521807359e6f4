// mlp.h — a 784-128-10 multilayer perceptron (ReLU hidden layer, softmax +
// cross-entropy) trained with minibatch SGD with momentum, using Eigen.
// Momentum is the moving-average form v = m*v + (1-m)*grad, w -= lr*v, so lr
// keeps the meaning of a plain-SGD step size (0.1 works with or without it).
//
// Everything is single-threaded and seeded, so two runs with the same Config
// produce bit-identical weights (compare with mlp::checksum).
#ifndef MLP_H
#define MLP_H

#include <Eigen/Dense>
#include <cstdint>
#include <vector>

#include "fashion_mnist.h"

namespace mlp {

using fashion_mnist::Dataset;

inline constexpr int kInputs = fashion_mnist::kImageSize;  // 784
inline constexpr int kHidden = 128;
inline constexpr int kOutputs = fashion_mnist::kClasses;  // 10

struct Net {
  Eigen::MatrixXf W1;  // kHidden x kInputs
  Eigen::VectorXf b1;  // kHidden
  Eigen::MatrixXf W2;  // kOutputs x kHidden
  Eigen::VectorXf b2;  // kOutputs
};

struct Config {
  int epochs = 15;
  int batch = 64;
  float lr = 0.1f;
  float momentum = 0.9f;    // 0 gives plain SGD
  std::uint32_t seed = 42;  // for weight init and shuffling
  bool verbose = true;      // print one line per epoch to stdout
};

struct TrainResult {
  std::vector<double> epoch_loss;      // running mean training loss per epoch
  std::vector<double> epoch_accuracy;  // test accuracy after each epoch
  double final_accuracy = 0.0;
};

// He-uniform init for W1, Glorot-uniform for W2, zero biases.
Net init(std::uint32_t seed);

// Output probabilities (kOutputs x N) for images X (kInputs x N).
Eigen::MatrixXf forward(const Net& net, const Eigen::MatrixXf& X);

// Fraction of samples in `data` whose argmax prediction equals the label.
double evaluate(const Net& net, const Dataset& data);

// Trains `net` in place; evaluates on `test` after every epoch.
TrainResult train(Net& net, const Dataset& train, const Dataset& test, const Config& cfg);

// FNV-1a 64 over the raw bytes of W1, b1, W2, b2 (in that order).
std::uint64_t checksum(const Net& net);

}  // namespace mlp

#endif  // MLP_H
