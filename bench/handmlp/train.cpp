// train.cpp — the training loops: learning rate, fold, epoch, batch.
#include "train.h"

#include <algorithm>
#include <numeric>

#include "nn.h"

namespace {

// Indices of the samples in (or, with `inside` false, outside) fold `fold`.
std::vector<int> fold_indices(int n, int folds, int fold, bool inside) {
  std::vector<int> idx;
  for (int i = 0; i < n; ++i)
    if ((i % folds == fold) == inside) idx.push_back(i);
  return idx;
}

// A deterministic shuffle (Fisher-Yates with an LCG), so runs are repeatable.
void shuffle(std::vector<int>& v, unsigned& state) {
  for (size_t i = v.size(); i > 1; --i) {
    state = state * 1664525u + 1013904223u;
    std::swap(v[i - 1], v[state % i]);
  }
}

}  // namespace

FoldResult train_fold(const Dataset& data, const TrainOptions& opt, float lr, int fold) {
  Network net({data.dim(), opt.hidden, data.classes()}, 1234u + unsigned(fold));
  std::vector<int> train = fold_indices(data.size(), opt.folds, fold, false);
  std::vector<int> test = fold_indices(data.size(), opt.folds, fold, true);
  std::vector<float> xb(size_t(opt.batch) * data.dim());
  std::vector<int> yb(opt.batch);
  unsigned rng = 42u + unsigned(fold);
  double loss = 0.0;

  for (int epoch = 0; epoch < opt.epochs; ++epoch) {
    shuffle(train, rng);
    double total = 0.0;
    int seen = 0, correct = 0;
    for (size_t start = 0; start + opt.batch <= train.size(); start += opt.batch) {
      for (int b = 0; b < opt.batch; ++b) {
        const float* src = data.row(train[start + b]);
        std::copy(src, src + data.dim(), &xb[size_t(b) * data.dim()]);
        yb[b] = data.label(train[start + b]);
      }
      total += net.train_batch(xb.data(), yb.data(), opt.batch, &correct);
      net.update(lr, opt.momentum);
      seen += opt.batch;
    }
    loss = seen > 0 ? total / seen : 0.0;
  }

  int right = 0;
  for (int i : test)
    if (net.predict(data.row(i)) == data.label(i)) ++right;
  return FoldResult{lr, fold, loss, test.empty() ? 0.0 : double(right) / double(test.size())};
}

std::vector<FoldResult> cross_validate(const Dataset& data, const TrainOptions& opt) {
  std::vector<FoldResult> results;
  for (float lr : opt.learning_rates) {
    for (int fold = 0; fold < opt.folds; ++fold) results.push_back(train_fold(data, opt, lr, fold));
  }
  return results;
}
