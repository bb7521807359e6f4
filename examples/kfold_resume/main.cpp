// kfold_resume — 5-fold cross-validation of the Fashion-MNIST MLP, resumable.
//
//   main: load the training set once (60000 x 784 floats, ~190 MB)
//     fold loop k = 0..4          <- main/fold
//       split: 4/5 train, 1/5 validation (copies, made per fold)
//       mlp::train(net, ...)      <- mlp::train/epoch, mlp::train/epoch/batch
//
// Nothing here mentions checkpoints. With `checkpoint mlp::train/epoch/batch
// every=100` in PL_CONFIG, a checkpoint holds the position (fold, epoch,
// batch), the network, its momentum buffers, the shuffling engine and order,
// and the scores of the folds done — not the training set: the fold loop
// and the trainer only read it, so pl-instrument leaves it out of the state,
// and a resumed run loads it again (re-running the loading loop is cheaper
// than storing 190 MB, which the runtime decides by measuring it).
// `pl-ckpt show` lists exactly what is in a checkpoint.
#include <pl/marker.h>

#include <cinttypes>
#include <cstdio>
#include <cstdlib>
#include <string>
#include <vector>

#include "fashion_mnist.h"
#include "mlp.h"

namespace {

constexpr int kFolds = 5;

// Rows [begin, end) of the columns of `d`, or all but them.
fashion_mnist::Dataset slice(const fashion_mnist::Dataset& d, int begin, int end, bool inside) {
  const int n = d.size(), keep = inside ? end - begin : n - (end - begin);
  fashion_mnist::Dataset out;
  out.images.resize(d.images.rows(), keep);
  out.labels.resize(keep);
  int j = 0;
  for (int i = 0; i < n; ++i) {
    if ((i >= begin && i < end) != inside) continue;
    out.images.col(j) = d.images.col(i);
    out.labels(j) = d.labels(i);
    ++j;
  }
  return out;
}

}  // namespace

int main(int argc, char** argv) {
  int subset = 0, epochs = 3;
  bool synthetic = false;
  for (int i = 1; i < argc; ++i) {
    std::string a = argv[i];
    if (a == "--subset" && i + 1 < argc)
      subset = std::atoi(argv[++i]);
    else if (a == "--epochs" && i + 1 < argc)
      epochs = std::atoi(argv[++i]);
    else if (a == "--synthetic")
      synthetic = true;
    else {
      std::fprintf(stderr, "usage: kfold_resume [--subset N] [--epochs N] [--synthetic]\n");
      return 2;
    }
  }
  fashion_mnist::Dataset all;
  try {
    all = synthetic ? fashion_mnist::synthetic(5000, 10, 7).train
                    : fashion_mnist::load(fashion_mnist::kDefaultDir).train;
  } catch (const std::exception& e) {
    std::fprintf(stderr, "kfold_resume: %s\n", e.what());
    return 1;
  }
  if (subset > 0 && subset < all.size()) all = fashion_mnist::head(all, subset);

  mlp::Config cfg;
  cfg.epochs = epochs;
  cfg.verbose = false;
  std::vector<double> accuracy;
  std::vector<std::uint64_t> checksums;
  PL_LOOP(fold) for (int k = 0; k < kFolds; ++k) {
    const int begin = all.size() * k / kFolds, end = all.size() * (k + 1) / kFolds;
    const fashion_mnist::Dataset train = slice(all, begin, end, false);
    const fashion_mnist::Dataset validation = slice(all, begin, end, true);
    mlp::Net net = mlp::init(cfg.seed + std::uint32_t(k));
    const mlp::TrainResult r = mlp::train(net, train, validation, cfg);
    accuracy.push_back(r.final_accuracy);
    checksums.push_back(mlp::checksum(net));
    std::fprintf(stderr, "fold %d done: accuracy %.4f\n", k, r.final_accuracy);
  }
  // The results, from the state the folds built (a resumed run has them too).
  double mean = 0;
  for (std::size_t k = 0; k < accuracy.size(); ++k) {
    std::printf("fold %zu accuracy %.4f weights %016" PRIx64 "\n", k, accuracy[k], checksums[k]);
    mean += accuracy[k] / kFolds;
  }
  std::printf("mean accuracy %.4f over %d folds of %d samples\n", mean, kFolds, all.size());
  return 0;
}
