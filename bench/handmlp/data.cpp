// data.cpp — IDX reader (zlib's gzread also reads uncompressed files) and a
// synthetic generator with the same shape.
#include "data.h"

#include <zlib.h>

#include <cstdint>
#include <cstdlib>
#include <stdexcept>

namespace {

unsigned read_be32(gzFile f, const std::string& path) {
  unsigned char b[4];
  if (gzread(f, b, 4) != 4) throw std::runtime_error(path + ": truncated header");
  return (unsigned(b[0]) << 24) | (unsigned(b[1]) << 16) | (unsigned(b[2]) << 8) | b[3];
}

std::vector<unsigned char> read_idx(const std::string& path, unsigned magic, int limit,
                                    int* count, int* item_size) {
  gzFile f = gzopen(path.c_str(), "rb");
  if (!f) throw std::runtime_error(path + ": cannot open");
  if (read_be32(f, path) != magic) {
    gzclose(f);
    throw std::runtime_error(path + ": not an IDX file of the expected kind");
  }
  int n = int(read_be32(f, path));
  int item = 1;
  if (magic == 0x803) {
    int rows = int(read_be32(f, path));
    int cols = int(read_be32(f, path));
    item = rows * cols;
  }
  if (limit > 0 && limit < n) n = limit;
  std::vector<unsigned char> bytes(static_cast<size_t>(n) * item);
  if (gzread(f, bytes.data(), unsigned(bytes.size())) != int(bytes.size())) {
    gzclose(f);
    throw std::runtime_error(path + ": truncated data");
  }
  gzclose(f);
  *count = n;
  *item_size = item;
  return bytes;
}

}  // namespace

Dataset Dataset::load(const std::string& dir, int limit) {
  int n = 0, dim = 0, nl = 0, one = 0;
  std::vector<unsigned char> img =
      read_idx(dir + "/train-images-idx3-ubyte.gz", 0x803, limit, &n, &dim);
  std::vector<unsigned char> lab =
      read_idx(dir + "/train-labels-idx1-ubyte.gz", 0x801, limit, &nl, &one);
  if (nl != n) throw std::runtime_error(dir + ": image and label counts differ");
  Dataset d;
  d.n_ = n;
  d.dim_ = dim;
  d.classes_ = 10;
  d.pixels_.resize(img.size());
  for (size_t i = 0; i < img.size(); ++i) d.pixels_[i] = img[i] / 255.0f;
  d.labels_.assign(lab.begin(), lab.end());
  return d;
}

Dataset Dataset::synthetic(int n, int dim, int classes, unsigned seed) {
  Dataset d;
  d.n_ = n;
  d.dim_ = dim;
  d.classes_ = classes;
  d.pixels_.resize(static_cast<size_t>(n) * dim);
  d.labels_.resize(n);
  unsigned s = seed;
  for (int i = 0; i < n; ++i) {
    int c = i % classes;
    d.labels_[i] = c;
    for (int j = 0; j < dim; ++j) {
      s = s * 1664525u + 1013904223u;  // LCG: the same data on every machine
      float noise = float(s >> 8) / float(1u << 24);
      d.pixels_[static_cast<size_t>(i) * dim + j] = (j % classes == c ? 0.6f : 0.1f) + 0.3f * noise;
    }
  }
  return d;
}
