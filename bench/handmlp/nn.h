// nn.h — a small multi-layer perceptron written the way people write one by
// hand: a polymorphic layer list, private weights in std::vector, and every
// kernel a plain `for` loop (no BLAS, no Eigen).
#ifndef HANDMLP_NN_H
#define HANDMLP_NN_H

#include <memory>
#include <vector>

class Layer {
 public:
  virtual ~Layer() = default;
  // in: batch x in_size, out: batch x out_size (row-major).
  virtual void forward(const float* in, float* out, int batch) = 0;
  // grad_out: batch x out_size; writes grad_in (batch x in_size).
  virtual void backward(const float* in, const float* grad_out, float* grad_in, int batch) = 0;
  virtual void update(float lr, float momentum) = 0;
  virtual int in_size() const = 0;
  virtual int out_size() const = 0;
};

class Dense : public Layer {
 public:
  Dense(int in, int out, unsigned seed);
  void forward(const float* in, float* out, int batch) override;
  void backward(const float* in, const float* grad_out, float* grad_in, int batch) override;
  void update(float lr, float momentum) override;
  int in_size() const override { return in_; }
  int out_size() const override { return out_; }

 private:
  int in_, out_;
  std::vector<float> w_, b_;          // out x in, out
  std::vector<float> gw_, gb_;        // gradients of the last backward
  std::vector<float> vw_, vb_;        // momentum buffers
};

class Relu : public Layer {
 public:
  explicit Relu(int size) : size_(size) {}
  void forward(const float* in, float* out, int batch) override;
  void backward(const float* in, const float* grad_out, float* grad_in, int batch) override;
  void update(float, float) override {}
  int in_size() const override { return size_; }
  int out_size() const override { return size_; }

 private:
  int size_;
};

class Network {
 public:
  Network(const std::vector<int>& sizes, unsigned seed);
  // Forward and backward over one batch with softmax cross-entropy; returns
  // the summed loss and counts correct predictions.
  double train_batch(const float* x, const int* y, int batch, int* correct);
  void update(float lr, float momentum);
  int predict(const float* x);

 private:
  std::vector<std::unique_ptr<Layer>> layers_;
  std::vector<std::vector<float>> acts_;   // activations per layer boundary
  std::vector<std::vector<float>> grads_;  // gradients per layer boundary
  int batch_cap_ = 0;
  void reserve(int batch);
};

#endif
