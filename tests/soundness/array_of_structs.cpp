// An array of structs reached through a pointer parameter, updated element
// by element by a callee. Refused, naming the pointer.
#include <pl/marker.h>
#include <stdio.h>

struct neuron {
  double w, b;
};

static void update(struct neuron *layer, int k, int e) {
  layer[k].w = layer[k].w * 0.9 + e;
  layer[k].b -= 0.01 * layer[k].w;
}

static void run(struct neuron *layer, int n, int epochs) {
  PL_LOOP(epoch) for (int e = 0; e < epochs; ++e) {
    for (int k = 0; k < n; ++k) update(layer, k, e);
  }
}

int main(void) {
  struct neuron layer[3] = {{1, 0}, {2, 0}, {3, 0}};
  run(layer, 3, 20);
  printf("w %a b %a\n", layer[2].w, layer[2].b);
  return 0;
}
