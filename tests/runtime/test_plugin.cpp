// A hook plugin, as a user would write one (loaded by plugins_test).
#include <pl/pl.h>

#include <cstdlib>

static void attach() {
  pl::on("loops::sum/loop0").at(pl::loop_exit).named("test-plugin").call([](pl::Frame& f) {
    f.set<int>("s", f.get<int>("s") + 1000);
  });
}

PL_PLUGIN(attach)
