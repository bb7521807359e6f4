// fashion_mnist.cpp — IDX/gzip reader for Fashion-MNIST (via zlib gzopen/
// gzread, which also accepts uncompressed files) and a synthetic generator.
#include "fashion_mnist.h"

#include <zlib.h>

#include <algorithm>
#include <cerrno>
#include <climits>
#include <cstdio>
#include <cstring>
#include <memory>
#include <random>
#include <stdexcept>
#include <vector>

namespace fashion_mnist {
namespace {

constexpr std::uint32_t kImagesMagic = 0x00000803;  // unsigned byte, 3 dims
constexpr std::uint32_t kLabelsMagic = 0x00000801;  // unsigned byte, 1 dim
constexpr std::uint32_t kMaxSamples = 10'000'000;   // sanity bound on headers

[[noreturn]] void fail(const std::string& path, const std::string& what) {
  throw std::runtime_error(path + ": " + what);
}

// Owns a gzFile; reads exact byte counts or throws.
class GzReader {
 public:
  explicit GzReader(const std::string& path) : path_(path) {
    errno = 0;
    file_ = gzopen(path.c_str(), "rb");
    if (file_ == nullptr) {
      fail(path, std::string("cannot open (") +
                     (errno != 0 ? std::strerror(errno) : "out of memory") + ")");
    }
  }
  ~GzReader() { gzclose(file_); }
  GzReader(const GzReader&) = delete;
  GzReader& operator=(const GzReader&) = delete;

  // Reads up to n bytes; returns how many were read (< n only at end of data).
  std::size_t read_some(void* dst, std::size_t n) {
    auto* out = static_cast<unsigned char*>(dst);
    std::size_t done = 0;
    while (done < n) {
      const std::size_t chunk = std::min<std::size_t>(n - done, INT_MAX / 2);
      const int got = gzread(file_, out + done, static_cast<unsigned>(chunk));
      if (got < 0) fail(path_, "read error (" + zlib_error() + ")");
      if (got == 0) break;
      done += static_cast<std::size_t>(got);
    }
    return done;
  }

  void read_exact(void* dst, std::size_t n, const char* what) {
    const std::size_t got = read_some(dst, n);
    if (got != n) {
      const std::string err = zlib_error();
      fail(path_, std::string("truncated while reading ") + what + " (expected " +
                      std::to_string(n) + " bytes, got " + std::to_string(got) + ")" +
                      (err.empty() ? "" : ": " + err));
    }
  }

  std::uint32_t read_be32(const char* what) {
    unsigned char b[4];
    read_exact(b, 4, what);
    return (std::uint32_t{b[0]} << 24) | (std::uint32_t{b[1]} << 16) | (std::uint32_t{b[2]} << 8) |
           std::uint32_t{b[3]};
  }

  void expect_end() {
    unsigned char extra;
    if (read_some(&extra, 1) != 0) fail(path_, "unexpected trailing data");
  }

 private:
  // zlib's error text for this file without its "path: " prefix ("" if none).
  std::string zlib_error() {
    int errnum = Z_OK;
    const char* msg = gzerror(file_, &errnum);
    if (errnum == Z_OK || msg == nullptr) return "";
    std::string text = msg;
    if (text.rfind(path_ + ": ", 0) == 0) text.erase(0, path_.size() + 2);
    return text;
  }

  std::string path_;
  gzFile file_ = nullptr;
};

std::string hex32(std::uint32_t v) {
  char buf[16];
  std::snprintf(buf, sizeof buf, "0x%08x", v);
  return buf;
}

// Uniform float in [0,1) from the raw engine output (portable across
// standard libraries, unlike std::uniform_real_distribution).
float unit(std::mt19937& rng) { return static_cast<float>(rng() >> 8) * (1.0f / 16777216.0f); }

Dataset make_samples(const Eigen::MatrixXf& protos, int n, std::mt19937& rng) {
  Dataset d;
  d.images.resize(kImageSize, n);
  d.labels.resize(n);
  for (int i = 0; i < n; ++i) {
    const int c = static_cast<int>(rng() % kClasses);
    d.labels(i) = c;
    for (int p = 0; p < kImageSize; ++p) {
      const float noise = 1.6f * (unit(rng) - 0.5f);
      d.images(p, i) = std::clamp(protos(p, c) + noise, 0.0f, 1.0f);
    }
  }
  return d;
}

}  // namespace

Eigen::MatrixXf load_images(const std::string& path) {
  GzReader in(path);
  const std::uint32_t magic = in.read_be32("magic number");
  if (magic != kImagesMagic) {
    fail(path, "bad magic number " + hex32(magic) + " (expected " + hex32(kImagesMagic) +
                   ", an IDX3 image file)");
  }
  const std::uint32_t n = in.read_be32("image count");
  const std::uint32_t rows = in.read_be32("row count");
  const std::uint32_t cols = in.read_be32("column count");
  if (rows != kRows || cols != kCols) {
    fail(path, "bad image size " + std::to_string(rows) + "x" + std::to_string(cols) +
                   " (expected 28x28)");
  }
  if (n == 0 || n > kMaxSamples) fail(path, "implausible image count " + std::to_string(n));

  std::vector<std::uint8_t> bytes(std::size_t{n} * kImageSize);
  in.read_exact(bytes.data(), bytes.size(), "pixel data");
  in.expect_end();
  using ByteMatrix = Eigen::Matrix<std::uint8_t, Eigen::Dynamic, Eigen::Dynamic>;
  const Eigen::Map<const ByteMatrix> raw(bytes.data(), kImageSize, static_cast<Eigen::Index>(n));
  return raw.cast<float>() * (1.0f / 255.0f);
}

Eigen::VectorXi load_labels(const std::string& path) {
  GzReader in(path);
  const std::uint32_t magic = in.read_be32("magic number");
  if (magic != kLabelsMagic) {
    fail(path, "bad magic number " + hex32(magic) + " (expected " + hex32(kLabelsMagic) +
                   ", an IDX1 label file)");
  }
  const std::uint32_t n = in.read_be32("label count");
  if (n == 0 || n > kMaxSamples) fail(path, "implausible label count " + std::to_string(n));

  std::vector<std::uint8_t> bytes(n);
  in.read_exact(bytes.data(), bytes.size(), "label data");
  in.expect_end();
  const auto bad =
      std::find_if(bytes.begin(), bytes.end(), [](std::uint8_t v) { return v >= kClasses; });
  if (bad != bytes.end()) {
    fail(path, "label " + std::to_string(*bad) + " at index " +
                   std::to_string(bad - bytes.begin()) + " is out of range 0..9");
  }
  using ByteVector = Eigen::Matrix<std::uint8_t, Eigen::Dynamic, 1>;
  return Eigen::Map<const ByteVector>(bytes.data(), static_cast<Eigen::Index>(n)).cast<int>();
}

Dataset load_pair(const std::string& images_path, const std::string& labels_path) {
  Dataset d;
  d.images = load_images(images_path);
  d.labels = load_labels(labels_path);
  if (d.images.cols() != d.labels.size()) {
    throw std::runtime_error(images_path + " has " + std::to_string(d.images.cols()) +
                             " images but " + labels_path + " has " +
                             std::to_string(d.labels.size()) + " labels");
  }
  return d;
}

Split load(const std::string& dir, int subset) {
  const std::string base = dir.empty() || dir.back() == '/' ? dir : dir + "/";
  Split s;
  s.train = load_pair(base + "train-images-idx3-ubyte.gz", base + "train-labels-idx1-ubyte.gz");
  s.test = load_pair(base + "t10k-images-idx3-ubyte.gz", base + "t10k-labels-idx1-ubyte.gz");
  if (subset > 0) s.train = head(s.train, subset);
  return s;
}

Dataset head(const Dataset& d, int n) {
  if (n < 0 || n > d.size()) {
    throw std::runtime_error("subset of " + std::to_string(n) + " samples requested but only " +
                             std::to_string(d.size()) + " available");
  }
  Dataset out;
  out.images = d.images.leftCols(n);
  out.labels = d.labels.head(n);
  return out;
}

Split synthetic(int n_train, int n_test, std::uint32_t seed) {
  if (n_train <= 0 || n_test <= 0)
    throw std::runtime_error("synthetic: sample counts must be positive");
  std::mt19937 rng(seed);
  // Class prototypes share a common background so classes overlap somewhat.
  Eigen::MatrixXf protos(kImageSize, kClasses);
  for (int p = 0; p < kImageSize; ++p) {
    const float background = unit(rng);
    for (int c = 0; c < kClasses; ++c) protos(p, c) = 0.6f * background + 0.4f * unit(rng);
  }
  Split s;
  s.train = make_samples(protos, n_train, rng);
  s.test = make_samples(protos, n_test, rng);
  return s;
}

}  // namespace fashion_mnist
