// finetune.cpp — supervised fine-tuning of the pretrained stack: sigmoid
// hidden layers and a softmax output, cross-entropy, minibatch SGD with
// momentum, back-propagation through every layer.
//
//   dl::finetune/epoch          a pass over the shuffled training set, then a test evaluation
//   dl::finetune/epoch/batch    one SGD step; `loss` is the epoch's running mean
//
// Hooks attach here from outside (examples/deeplearning/hooks.conf): a log
// of `loss` every 20 batches, a progress bar, checkpoints every 25 batches.
#include <pl/marker.h>

#include <utility>

#include "deeplearning/deeplearning.h"
#include "ops.h"

namespace dl {
namespace {

Network momentum_buffers(const Network& net) {
  Network zero{{}, ops::zeros_like(net.output)};
  for (const Dense& layer : net.hidden) zero.hidden.push_back(ops::zeros_like(layer));
  return zero;
}

// One SGD-with-momentum step on the batch X (inputs x m) with one-hot
// targets Y (classes x m); returns the batch's mean cross-entropy.
double backprop_step(Network& net, Network& velocity, const Eigen::MatrixXf& X,
                     const Eigen::MatrixXf& Y, float lr, float momentum) {
  const float m = static_cast<float>(X.cols());
  std::vector<Eigen::MatrixXf> activations{X};  // the input of each layer
  for (const Dense& layer : net.hidden)
    activations.push_back(ops::sigmoid(ops::affine(layer, activations.back())));
  const Eigen::MatrixXf logP = ops::log_softmax(ops::affine(net.output, activations.back()));
  const double loss = -static_cast<double>(Y.cwiseProduct(logP).sum()) / m;

  // Backward: each layer's delta comes from the weights above it as they
  // were in the forward pass, so it is computed before those are updated.
  Eigen::MatrixXf delta = (logP.array().exp().matrix() - Y) / m;
  Eigen::MatrixXf below =
      (net.output.W.transpose() * delta).cwiseProduct(ops::sigmoid_slope(activations.back()));
  ops::momentum_step(net.output, velocity.output, delta, activations.back(), lr, momentum);
  for (std::size_t k = net.hidden.size(); k-- > 0;) {
    delta = std::move(below);
    if (k > 0)
      below =
          (net.hidden[k].W.transpose() * delta).cwiseProduct(ops::sigmoid_slope(activations[k]));
    ops::momentum_step(net.hidden[k], velocity.hidden[k], delta, activations[k], lr, momentum);
  }
  return loss;
}

}  // namespace

std::vector<EpochResult> finetune(Network& net, const Dataset& train, const Dataset& test,
                                  const Options& o) {
  const int n = static_cast<int>(train.labels.size());
  const int n_batches = ops::batch_count(n, o.batch);
  std::mt19937 rng(o.seed ^ 0x9e3779b9u);  // shuffling, a stream apart from pretraining's
  Network velocity = momentum_buffers(net);
  Eigen::VectorXi order = Eigen::VectorXi::LinSpaced(n, 0, n - 1);
  float lr = o.finetune_lr;  // the steps read this copy, so a hook may change it
  std::vector<EpochResult> history;

  PL_LOOP(epoch) for (int epoch = 0; epoch < o.finetune_epochs; ++epoch) {
    ops::shuffle(order, rng);
    double loss = 0.0;  // running mean of the batch losses of this epoch

    PL_LOOP(batch) for (int b = 0; b < n_batches; ++b) {
      const Eigen::VectorXi idx = ops::batch_indices(order, b, o.batch);
      const double batch_loss =
          backprop_step(net, velocity, train.images(Eigen::all, idx),
                        ops::one_hot(train.labels(idx), o.classes), lr, o.momentum);
      loss += (batch_loss - loss) / (b + 1);
    }
    double accuracy = dl::accuracy(net, test);
    history.push_back({loss, accuracy});
  }
  return history;
}

}  // namespace dl
