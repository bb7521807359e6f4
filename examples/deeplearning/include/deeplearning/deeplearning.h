// deeplearning/deeplearning.h — a small deep-learning library: greedy
// layer-wise autoencoder pretraining, then supervised fine-tuning.
//
//   images ──► autoencoder 1 (784→256) ──codes──► autoencoder 2 (256→64)    dl::pretrain
//                  │ W1, b1                            │ W2, b2
//                  ▼                                   ▼
//   images ──► sigmoid(W1·) ──► sigmoid(W2·) ──► softmax(Wo·) ──► class      dl::finetune
//
// Each autoencoder has tied weights (decoder = W^T) and is trained with
// minibatch SGD with momentum on the codes of the layers below it; its
// encoder then initializes one hidden layer of the classifier, which is
// fine-tuned end to end with cross-entropy.
//
// Everything is single-threaded and seeded (std::mt19937, raw output only),
// so two runs with the same Options produce bit-identical weights.
// The types are plain aggregates of Eigen matrices and std::vectors: a
// checkpoint can save them as they are, without any serialization code.
#ifndef DEEPLEARNING_DEEPLEARNING_H
#define DEEPLEARNING_DEEPLEARNING_H

#include <Eigen/Dense>
#include <cstdint>
#include <vector>

namespace dl {

// A fully connected layer: y = W x + b.
struct Dense {
  Eigen::MatrixXf W;  // outputs x inputs
  Eigen::VectorXf b;  // outputs
};

// Sigmoid hidden layers, then a softmax output layer.
struct Network {
  std::vector<Dense> hidden;
  Dense output;
};

// Samples one per column; labels are class ids 0..classes-1.
struct Dataset {
  Eigen::MatrixXf images;  // inputs x N, values in [0,1]
  Eigen::VectorXi labels;  // N
};

struct Options {
  std::vector<int> layers = {256, 64};  // hidden layer widths, bottom up
  int classes = 10;
  int pretrain_epochs = 4;  // per layer
  int finetune_epochs = 6;
  int batch = 64;
  float pretrain_lr = 0.1f;
  float finetune_lr = 1.0f;
  float momentum = 0.9f;    // v = m*v + (1-m)*grad; w -= lr*v
  std::uint32_t seed = 42;  // initialization and shuffling
};

// One fine-tuning epoch: its mean training loss, the test accuracy after it.
struct EpochResult {
  double loss = 0.0;
  double test_accuracy = 0.0;
};

struct Report {
  Network net;
  std::vector<double> reconstruction;  // last-epoch reconstruction loss, per hidden layer
  std::vector<EpochResult> finetune;   // per fine-tuning epoch
  double test_accuracy = 0.0;
};

// Pretrains one encoder per entry of o.layers (loops dl::pretrain/layer,
// .../layer/epoch, .../layer/epoch/batch) and appends each layer's final
// reconstruction loss to `losses`.
std::vector<Dense> pretrain(const Eigen::MatrixXf& images, const Options& o,
                            std::vector<double>& losses);

// Trains `net` on `train` (loops dl::finetune/epoch, dl::finetune/epoch/batch),
// evaluating on `test` after every epoch.
std::vector<EpochResult> finetune(Network& net, const Dataset& train, const Dataset& test,
                                  const Options& o);

// The whole recipe: pretrain, stack the encoders under a fresh output layer,
// fine-tune, evaluate.
Report deeplearning(const Dataset& train, const Dataset& test, const Options& o);

// Class probabilities (classes x N).
Eigen::MatrixXf predict(const Network& net, const Eigen::MatrixXf& images);

// Fraction of samples whose most probable class is their label.
double accuracy(const Network& net, const Dataset& data);

// FNV-1a 64 over the bytes of every weight and bias, bottom layer first.
std::uint64_t checksum(const Network& net);

}  // namespace dl

#endif  // DEEPLEARNING_DEEPLEARNING_H
