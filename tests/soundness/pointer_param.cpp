// The fann case: a C-style trainer whose weights live behind `struct net *`.
// The epoch loop never assigns `net`; train_epoch() writes the weights
// through it. pl cannot know how much memory that is: checkpoints of the
// loop are refused (a resume from fresh weights would be silently wrong).
#include <pl/marker.h>
#include <stdio.h>
#include <stdlib.h>

struct net {
  double *w;
  int n;
};

static double train_epoch(struct net *net, const double *x) {
  double err = 0;
  for (int k = 0; k < net->n; ++k) {
    net->w[k] += 0.1 * (x[k] - net->w[k]);
    err += x[k] - net->w[k];
  }
  return err;
}

static double train(struct net *net, const double *x, int max_epochs) {
  double error = 0;
  int i;
  PL_LOOP(epoch) for (i = 1; i <= max_epochs; i++) { error = train_epoch(net, x); }
  return error;
}

int main(void) {
  double x[4] = {1, 2, 3, 4};
  struct net net = {(double *)calloc(4, sizeof(double)), 4};
  double e = train(&net, x, 20);
  printf("error %a w %a %a\n", e, net.w[0], net.w[3]);
  free(net.w);
  return 0;
}
