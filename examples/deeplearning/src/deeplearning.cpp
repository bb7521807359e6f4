// deeplearning.cpp — the library's entry point: pretrain the hidden layers,
// put a fresh softmax layer on top, fine-tune the whole stack, evaluate.
// Also prediction, accuracy and the weights checksum.
#include "deeplearning/deeplearning.h"

#include <stdexcept>
#include <string>

#include "ops.h"

namespace dl {
namespace {

void check(bool ok, const std::string& what) {
  if (!ok) throw std::invalid_argument("dl::deeplearning: " + what);
}

bool labels_within(const Eigen::VectorXi& labels, int classes) {
  return labels.size() == 0 || (labels.minCoeff() >= 0 && labels.maxCoeff() < classes);
}

void validate(const Dataset& train, const Dataset& test, const Options& o) {
  check(!o.layers.empty(), "no hidden layers");
  for (int width : o.layers) check(width > 0, "a hidden layer width is not positive");
  check(o.classes > 1 && o.batch > 0, "need at least 2 classes and a positive batch size");
  check(o.pretrain_epochs >= 0 && o.finetune_epochs >= 0, "negative epoch count");
  check(train.labels.size() > 0 && train.images.cols() == train.labels.size(),
        "the training set is empty or its label count differs from its image count");
  check(test.images.cols() == test.labels.size() && test.images.rows() == train.images.rows(),
        "the test set does not match the training set's shape");
  check(labels_within(train.labels, o.classes) && labels_within(test.labels, o.classes),
        "a label is outside 0.." + std::to_string(o.classes - 1));
}

}  // namespace

Report deeplearning(const Dataset& train, const Dataset& test, const Options& o) {
  validate(train, test, o);
  Report report;
  report.net.hidden = pretrain(train.images, o, report.reconstruction);
  std::mt19937 rng(o.seed + 1);
  report.net.output = ops::glorot(o.classes, o.layers.back(), 1.0f, rng);
  report.finetune = finetune(report.net, train, test, o);
  report.test_accuracy = accuracy(report.net, test);
  return report;
}

Eigen::MatrixXf predict(const Network& net, const Eigen::MatrixXf& images) {
  const Eigen::MatrixXf top = ops::encode(net.hidden, images);
  return ops::log_softmax(ops::affine(net.output, top)).array().exp().matrix();
}

double accuracy(const Network& net, const Dataset& data) {
  if (data.labels.size() == 0) return 0.0;
  const Eigen::MatrixXf P = predict(net, data.images);
  int correct = 0;
  for (Eigen::Index i = 0; i < P.cols(); ++i) {
    Eigen::Index predicted = 0;
    P.col(i).maxCoeff(&predicted);
    correct += predicted == data.labels(i) ? 1 : 0;
  }
  return static_cast<double>(correct) / static_cast<double>(data.labels.size());
}

std::uint64_t checksum(const Network& net) {
  std::uint64_t h = 0xcbf29ce484222325ull;  // FNV-1a 64
  auto mix = [&h](const float* data, Eigen::Index count) {
    const auto* bytes = reinterpret_cast<const unsigned char*>(data);
    for (std::size_t i = 0; i < static_cast<std::size_t>(count) * sizeof(float); ++i)
      h = (h ^ bytes[i]) * 0x100000001b3ull;
  };
  for (const Dense& layer : net.hidden) {
    mix(layer.W.data(), layer.W.size());
    mix(layer.b.data(), layer.b.size());
  }
  mix(net.output.W.data(), net.output.W.size());
  mix(net.output.b.data(), net.output.b.size());
  return h;
}

}  // namespace dl
