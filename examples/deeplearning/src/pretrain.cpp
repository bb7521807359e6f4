// pretrain.cpp — greedy layer-wise pretraining: one tied-weight autoencoder
// per hidden layer, each trained on the codes of the layers below it.
//
//   dl::pretrain/layer                one autoencoder per entry of Options::layers
//   dl::pretrain/layer/epoch          a pass over the shuffled codes
//   dl::pretrain/layer/epoch/batch    one SGD-with-momentum step
//
// This is the expensive part a resumed fine-tuning run must not repeat: the
// loops write only `encoders`, `losses` and the shuffling engine (plus
// locals declared inside them), all saveable as they are, so the runtime can
// store what the finished `layer` loop produced and skip it on resume.
#include <pl/marker.h>

#include <algorithm>

#include "deeplearning/deeplearning.h"
#include "ops.h"

namespace dl {
namespace {

// code = sigmoid(W x + b); reconstruction = sigmoid(W^T code + c).
struct Autoencoder {
  Dense encoder;
  Eigen::VectorXf c;  // decoder bias
};

Autoencoder momentum_buffers(const Autoencoder& ae) {
  return {ops::zeros_like(ae.encoder), Eigen::VectorXf::Zero(ae.c.size())};
}

// Mean over the batch of the summed binary cross-entropy between inputs and
// reconstructions (both in [0,1]).
double reconstruction_loss(const Eigen::MatrixXf& X, const Eigen::MatrixXf& R) {
  const Eigen::ArrayXXf r = R.array().min(1.0f - 1e-6f).max(1e-6f);
  const Eigen::ArrayXXf x = X.array();
  const double sum = (x * r.log() + (1.0f - x) * (1.0f - r).log()).sum();
  return -sum / static_cast<double>(X.cols());
}

// One SGD-with-momentum step on the batch X (inputs x m); returns its loss.
double autoencoder_step(Autoencoder& ae, Autoencoder& velocity, const Eigen::MatrixXf& X,
                        const Options& o) {
  const float m = static_cast<float>(X.cols());
  const Eigen::MatrixXf H = ops::sigmoid(ops::affine(ae.encoder, X));
  const Eigen::MatrixXf R = ops::sigmoid((ae.encoder.W.transpose() * H).colwise() + ae.c);
  const double loss = reconstruction_loss(X, R);

  // Sigmoid + cross-entropy: the gradient at the decoder's input is R - X.
  const Eigen::MatrixXf dR = (R - X) / m;
  const Eigen::MatrixXf dH = (ae.encoder.W * dR).cwiseProduct(ops::sigmoid_slope(H));
  // Tied weights: W gets the encoder's and the decoder's gradient.
  const Eigen::MatrixXf gW = dH * X.transpose() + H * dR.transpose();
  ops::momentum_step(ae.encoder.W, velocity.encoder.W, gW, o.pretrain_lr, o.momentum);
  ops::momentum_step(ae.encoder.b, velocity.encoder.b, dH.rowwise().sum(), o.pretrain_lr,
                     o.momentum);
  ops::momentum_step(ae.c, velocity.c, dR.rowwise().sum(), o.pretrain_lr, o.momentum);
  return loss;
}

}  // namespace

std::vector<Dense> pretrain(const Eigen::MatrixXf& images, const Options& o,
                            std::vector<double>& losses) {
  const int n = static_cast<int>(images.cols());
  const int n_batches = ops::batch_count(n, o.batch);
  std::vector<Dense> encoders;
  std::mt19937 rng(o.seed);

  PL_LOOP(layer) for (std::size_t l = 0; l < o.layers.size(); ++l) {
    const Eigen::MatrixXf codes = ops::encode(encoders, images);  // this layer's input
    PL_TRANSIENT(codes);  // recomputed from `encoders` when a run resumes: never saved
    const int inputs = static_cast<int>(codes.rows());
    Autoencoder ae{ops::glorot(o.layers[l], inputs, 4.0f, rng), Eigen::VectorXf::Zero(inputs)};
    Autoencoder velocity = momentum_buffers(ae);
    Eigen::VectorXi order = Eigen::VectorXi::LinSpaced(n, 0, n - 1);
    double loss = 0.0;  // running mean of the batch losses of the current epoch

    PL_LOOP(epoch) for (int epoch = 0; epoch < o.pretrain_epochs; ++epoch) {
      ops::shuffle(order, rng);
      loss = 0.0;
      PL_LOOP(batch) for (int b = 0; b < n_batches; ++b) {
        const Eigen::MatrixXf X = codes(Eigen::all, ops::batch_indices(order, b, o.batch));
        const double batch_loss = autoencoder_step(ae, velocity, X, o);
        loss += (batch_loss - loss) / (b + 1);
      }
    }
    losses.push_back(loss);
    encoders.push_back(ae.encoder);
  }
  return encoders;
}

}  // namespace dl
