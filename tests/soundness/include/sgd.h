// A callee defined in a header: editing it must refuse a resume of
// header_callee.cpp's loop (its code fingerprint covers it).
#ifndef PL_TESTS_SOUNDNESS_SGD_H
#define PL_TESTS_SOUNDNESS_SGD_H

struct SGD {
  double lr;
  void set_lr(double v) { lr = v; }
};

#endif
