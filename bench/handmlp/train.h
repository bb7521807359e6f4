// train.h — K-fold cross-validation of the MLP over a list of learning rates.
#ifndef HANDMLP_TRAIN_H
#define HANDMLP_TRAIN_H

#include <vector>

#include "data.h"

struct TrainOptions {
  int folds = 4;
  int epochs = 2;
  int batch = 32;
  int hidden = 64;
  float momentum = 0.9f;
  std::vector<float> learning_rates{0.01f, 0.03f, 0.1f};
};

struct FoldResult {
  float lr;
  int fold;
  double loss;      // mean training loss of the last epoch
  double accuracy;  // on the held-out fold
};

// Trains on every fold but `fold` and scores on `fold`.
FoldResult train_fold(const Dataset& data, const TrainOptions& opt, float lr, int fold);
std::vector<FoldResult> cross_validate(const Dataset& data, const TrainOptions& opt);

#endif
