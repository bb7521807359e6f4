// fashion_mnist.h — loading Fashion-MNIST (IDX, gzip) and a tiny synthetic
// stand-in of the same shape for fast tests.
//
// Images are stored one sample per column (784 x N floats in [0,1]); labels
// are class ids 0..9. Errors (missing file, bad magic, bad sizes, truncated
// data) are reported as std::runtime_error naming the file.
#ifndef FASHION_MNIST_H
#define FASHION_MNIST_H

#include <Eigen/Dense>
#include <cstdint>
#include <string>

namespace fashion_mnist {

inline constexpr int kRows = 28;
inline constexpr int kCols = 28;
inline constexpr int kImageSize = kRows * kCols;  // 784
inline constexpr int kClasses = 10;
inline constexpr const char* kDefaultDir = "/usr/share/datasets/fashion-mnist";

struct Dataset {
  Eigen::MatrixXf images;  // kImageSize x N, column per sample, in [0,1]
  Eigen::VectorXi labels;  // N, each in [0, kClasses)
  int size() const { return static_cast<int>(labels.size()); }
};

struct Split {
  Dataset train;
  Dataset test;
};

// Reads an IDX3 image file (magic 0x00000803, 28x28), gzip or plain.
Eigen::MatrixXf load_images(const std::string& path);
// Reads an IDX1 label file (magic 0x00000801), gzip or plain.
Eigen::VectorXi load_labels(const std::string& path);
// Reads one images+labels pair and checks that the counts agree.
Dataset load_pair(const std::string& images_path, const std::string& labels_path);

// Loads train-*.gz and t10k-*.gz from `dir`. If subset > 0, keeps only the
// first `subset` training samples (throws if there are fewer).
Split load(const std::string& dir = kDefaultDir, int subset = 0);

// First n samples of `d` (n must be in [0, d.size()]).
Dataset head(const Dataset& d, int n);

// A small learnable 10-class dataset with the same shape as the real one:
// each class has a fixed random prototype image; samples are the prototype
// plus uniform noise, clamped to [0,1]. Bit-reproducible for a given seed
// (uses only raw std::mt19937 output, no std:: distributions).
Split synthetic(int n_train, int n_test, std::uint32_t seed);

}  // namespace fashion_mnist

#endif  // FASHION_MNIST_H
