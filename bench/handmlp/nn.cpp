// nn.cpp — the layers' kernels as hand-written loops.
#include "nn.h"

#include <cmath>

Dense::Dense(int in, int out, unsigned seed)
    : in_(in), out_(out), w_(size_t(in) * out), b_(out, 0.0f), gw_(size_t(in) * out),
      gb_(out), vw_(size_t(in) * out, 0.0f), vb_(out, 0.0f) {
  unsigned s = seed;
  float scale = std::sqrt(2.0f / float(in));
  for (size_t i = 0; i < w_.size(); ++i) {
    s = s * 1664525u + 1013904223u;
    w_[i] = (float(s >> 8) / float(1u << 24) - 0.5f) * 2.0f * scale;
  }
}

void Dense::forward(const float* in, float* out, int batch) {
  for (int n = 0; n < batch; ++n) {
    const float* x = in + size_t(n) * in_;
    float* y = out + size_t(n) * out_;
    for (int o = 0; o < out_; ++o) {
      const float* w = &w_[size_t(o) * in_];
      float acc = b_[o];
      for (int i = 0; i < in_; ++i) acc += w[i] * x[i];
      y[o] = acc;
    }
  }
}

void Dense::backward(const float* in, const float* grad_out, float* grad_in, int batch) {
  for (size_t k = 0; k < gw_.size(); ++k) gw_[k] = 0.0f;
  for (int o = 0; o < out_; ++o) gb_[o] = 0.0f;
  for (int n = 0; n < batch; ++n) {
    const float* x = in + size_t(n) * in_;
    const float* g = grad_out + size_t(n) * out_;
    float* gi = grad_in + size_t(n) * in_;
    for (int i = 0; i < in_; ++i) gi[i] = 0.0f;
    for (int o = 0; o < out_; ++o) {
      float* gw = &gw_[size_t(o) * in_];
      const float* w = &w_[size_t(o) * in_];
      const float go = g[o];
      gb_[o] += go;
      for (int i = 0; i < in_; ++i) {
        gw[i] += go * x[i];
        gi[i] += go * w[i];
      }
    }
  }
}

void Dense::update(float lr, float momentum) {
  for (size_t k = 0; k < w_.size(); ++k) {
    vw_[k] = momentum * vw_[k] - lr * gw_[k];
    w_[k] += vw_[k];
  }
  for (int o = 0; o < out_; ++o) {
    vb_[o] = momentum * vb_[o] - lr * gb_[o];
    b_[o] += vb_[o];
  }
}

void Relu::forward(const float* in, float* out, int batch) {
  const int n = batch * size_;
  for (int k = 0; k < n; ++k) out[k] = in[k] > 0.0f ? in[k] : 0.0f;
}

void Relu::backward(const float* in, const float* grad_out, float* grad_in, int batch) {
  const int n = batch * size_;
  for (int k = 0; k < n; ++k) grad_in[k] = in[k] > 0.0f ? grad_out[k] : 0.0f;
}

Network::Network(const std::vector<int>& sizes, unsigned seed) {
  for (size_t l = 0; l + 1 < sizes.size(); ++l) {
    layers_.push_back(std::make_unique<Dense>(sizes[l], sizes[l + 1], seed + unsigned(l)));
    if (l + 2 < sizes.size()) layers_.push_back(std::make_unique<Relu>(sizes[l + 1]));
  }
}

void Network::reserve(int batch) {
  if (batch <= batch_cap_) return;
  batch_cap_ = batch;
  acts_.assign(layers_.size() + 1, {});
  grads_.assign(layers_.size() + 1, {});
  acts_[0].resize(size_t(batch) * layers_.front()->in_size());
  grads_[0].resize(acts_[0].size());
  for (size_t l = 0; l < layers_.size(); ++l) {
    acts_[l + 1].resize(size_t(batch) * layers_[l]->out_size());
    grads_[l + 1].resize(acts_[l + 1].size());
  }
}

double Network::train_batch(const float* x, const int* y, int batch, int* correct) {
  reserve(batch);
  const int dim = layers_.front()->in_size();
  for (int k = 0; k < batch * dim; ++k) acts_[0][k] = x[k];
  for (size_t l = 0; l < layers_.size(); ++l)
    layers_[l]->forward(acts_[l].data(), acts_[l + 1].data(), batch);

  // Softmax cross-entropy on the last activations.
  const int classes = layers_.back()->out_size();
  const float* logits = acts_.back().data();
  float* g = grads_.back().data();
  double loss = 0.0;
  for (int n = 0; n < batch; ++n) {
    const float* z = logits + size_t(n) * classes;
    float* gz = g + size_t(n) * classes;
    int best = 0;
    float top = z[0];
    for (int c = 1; c < classes; ++c)
      if (z[c] > top) top = z[c], best = c;
    if (best == y[n]) ++*correct;
    double sum = 0.0;
    for (int c = 0; c < classes; ++c) sum += std::exp(double(z[c] - top));
    for (int c = 0; c < classes; ++c) {
      double p = std::exp(double(z[c] - top)) / sum;
      gz[c] = float((p - (c == y[n] ? 1.0 : 0.0)) / batch);
    }
    loss += -(double(z[y[n]] - top) - std::log(sum));
  }
  for (size_t l = layers_.size(); l-- > 0;)
    layers_[l]->backward(acts_[l].data(), grads_[l + 1].data(), grads_[l].data(), batch);
  return loss;
}

void Network::update(float lr, float momentum) {
  for (auto& layer : layers_) layer->update(lr, momentum);
}

int Network::predict(const float* x) {
  int correct = 0;
  reserve(1);
  const int dim = layers_.front()->in_size();
  for (int k = 0; k < dim; ++k) acts_[0][k] = x[k];
  for (size_t l = 0; l < layers_.size(); ++l)
    layers_[l]->forward(acts_[l].data(), acts_[l + 1].data(), 1);
  const float* z = acts_.back().data();
  const int classes = layers_.back()->out_size();
  for (int c = 1; c < classes; ++c)
    if (z[c] > z[correct]) correct = c;
  return correct;
}
