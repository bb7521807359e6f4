// handmlp — an MLP trained with K-fold cross-validation over a few learning
// rates, written like ordinary research code: hand-written loops for every
// kernel, classes with private state, a polymorphic layer list.
//
//   lr (3) ─► fold (4) ─► epoch ─► batch ─► Dense::forward/backward loops
//
// It is pl's benchmark for "pay only where you look" (docs/BENCHMARKS.md):
// built plain (handmlp_plain) and instrumented (handmlp), it is run with no
// hook, with hooks on the outer loops and with checkpoint policies.
//
//   handmlp [--data DIR] [--subset N] [--synthetic] [--epochs E] [--folds K]
#include <cstdio>
#include <cstdlib>
#include <cstring>
#include <exception>
#include <string>

#include "data.h"
#include "train.h"

int main(int argc, char** argv) {
  std::string dir = "/usr/share/datasets/fashion-mnist";
  int subset = 2000;
  bool synthetic = false;
  TrainOptions opt;
  for (int i = 1; i < argc; ++i) {
    std::string a = argv[i];
    const char* next = i + 1 < argc ? argv[i + 1] : nullptr;
    if (a == "--data" && next) dir = argv[++i];
    else if (a == "--subset" && next) subset = std::atoi(argv[++i]);
    else if (a == "--epochs" && next) opt.epochs = std::atoi(argv[++i]);
    else if (a == "--folds" && next) opt.folds = std::atoi(argv[++i]);
    else if (a == "--synthetic") synthetic = true;
    else {
      std::fprintf(stderr, "handmlp: unknown argument '%s'\n", a.c_str());
      return 2;
    }
  }
  if (opt.folds < 2 || opt.epochs < 1 || subset < opt.folds * opt.batch) {
    std::fprintf(stderr, "handmlp: need --folds >= 2, --epochs >= 1, --subset >= folds*32\n");
    return 2;
  }
  Dataset data;
  try {
    data = synthetic ? Dataset::synthetic(subset, 784, 10, 7u) : Dataset::load(dir, subset);
  } catch (const std::exception& e) {
    std::fprintf(stderr, "handmlp: %s (use --synthetic to run without the data set)\n", e.what());
    return 1;
  }
  std::vector<FoldResult> results = cross_validate(data, opt);
  for (const FoldResult& r : results)
    std::printf("lr %.3f fold %d loss %.6f accuracy %.4f\n", r.lr, r.fold, r.loss, r.accuracy);
  return 0;
}
