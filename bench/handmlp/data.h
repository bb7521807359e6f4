// data.h — a labelled image set held in memory, read from Fashion-MNIST's
// IDX files (gzip or plain) or made up when the files are not there.
#ifndef HANDMLP_DATA_H
#define HANDMLP_DATA_H

#include <string>
#include <vector>

class Dataset {
 public:
  Dataset() = default;
  static Dataset load(const std::string& dir, int limit);  // throws with the path on error
  static Dataset synthetic(int n, int dim, int classes, unsigned seed);

  int size() const { return n_; }
  int dim() const { return dim_; }
  int classes() const { return classes_; }
  const float* row(int i) const { return &pixels_[static_cast<size_t>(i) * dim_]; }
  int label(int i) const { return labels_[i]; }

 private:
  std::vector<float> pixels_;
  std::vector<int> labels_;
  int n_ = 0;
  int dim_ = 0;
  int classes_ = 0;
};

#endif
