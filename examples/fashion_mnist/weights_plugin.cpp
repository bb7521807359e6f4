// weights_plugin.cpp — a hook written in C++, attached by loop label from
// outside the training code.
//
// Built as libfm_weights.so and loaded into the instrumented trainer with
// PL_PLUGINS=./libfm_weights.so. Neither mlp.cpp nor main.cpp mentions it:
// the hook finds the epoch loop by its name, `mlp::train/epoch` (the
// PL_LOOP(epoch) marker in mlp.cpp), and reads the trainer's locals by name
// and type — including the user's own type, mlp::Net.
#include <pl/pl.h>

#include <cstdio>

#include "mlp.h"

namespace {

void attach() {
  pl::on("mlp::train/epoch").at(pl::iteration_end).call([](pl::Frame& f) {
    const mlp::Net& net = f.get<mlp::Net>("net");
    std::fprintf(stderr, "[weights plugin] epoch %llu/%lld  |W1| %.3f  |W2| %.3f  lr %g\n",
                 (unsigned long long)f.iteration() + 1, (long long)f.trip(), net.W1.norm(),
                 net.W2.norm(), double(f.get<float>("lr")));
  });
}

}  // namespace

PL_PLUGIN(attach)
