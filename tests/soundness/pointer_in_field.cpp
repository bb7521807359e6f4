// A pointer stored in a field of *this: the trainer's network is written
// through it. Refused, naming 'this->net_'.
#include <pl/marker.h>

#include <cstdio>

struct Net {
  double w[4] = {0, 0, 0, 0};
};

class Trainer {
 public:
  explicit Trainer(Net *net) : net_(net) {}
  double run(int epochs) {
    double loss = 0;
    PL_LOOP(epoch) for (int e = 0; e < epochs; ++e) loss = nudge(e);
    return loss;
  }

 private:
  double nudge(int e) {
    net_->w[e % 4] += 0.25 * (e + 1);
    ++steps_;
    return net_->w[0] + net_->w[3];
  }
  Net *net_;
  int steps_ = 0;
};

int main() {
  Net net;
  Trainer t(&net);
  double loss = t.run(20);
  std::printf("loss %a w %a\n", loss, net.w[1]);
  return 0;
}
