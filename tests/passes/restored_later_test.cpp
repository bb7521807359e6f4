// pass restored-later: a completed loop that a resume may skip with nothing
// stored, because the loop right after it restores everything it changed.
#include "run_pass.h"

#include <gtest/gtest.h>

using namespace pl::test;

namespace {

TEST(RestoredLater, InitLoopBeforeTheTrainingLoopThatHoldsItsResult) {
  PassRun R = runPassOnCode("restored-later", R"(#include <vector>
double step(double);
void train(int n, int epochs) {
  std::vector<double> w(n);
  for (int i = 0; i < n; ++i) w[i] = 0.5 * i;
  ;
  epoch: for (int e = 0; e < epochs; ++e)
    for (double& x : w) x -= step(x);
})");
  EXPECT_EQ(R.loop("train/loop0")->RestoredBy, "train/epoch");
  EXPECT_EQ(R.loop("train/epoch")->RestoredBy, "");  // nothing after it
}

// --- loops that must run again ----------------------------------------------

TEST(RestoredLaterNegatives, SomethingInBetweenAReadBeforeRestoreOrStateLeftOut) {
  PassRun R = runPassOnCode("restored-later", R"(#include <cstdlib>
#include <vector>
double step(double);
void between(int n, int epochs) {
  std::vector<double> w(n);
  for (int i = 0; i < n; ++i) w[i] = i;
  double scale = w[0];                       // reads the result before the next loop
  for (int e = 0; e < epochs; ++e) w[0] -= step(w[0]) * scale;
}
void read_by_condition(int n) {
  int found = -1;
  for (int i = 0; i < n && found < 0; ++i) if (i * i > n) found = i;
  for (int k = found; k < n; ++k) found += k;  // init reads it before the restore
}
void not_in_next_state(int n, int epochs) {
  std::vector<double> w(n), log(n);
  for (int i = 0; i < n; ++i) { w[i] = i; log[i] = 0; }
  for (int e = 0; e < epochs; ++e) w[0] -= step(w[0]);  // log is not its state
}
void hidden_effects(int n, int epochs) {
  std::vector<double> w(n);
  for (int i = 0; i < n; ++i) w[i] = std::rand();
  for (int e = 0; e < epochs; ++e) w[0] -= step(w[0]);
})");
  EXPECT_EQ(R.loop("between/loop0")->RestoredBy, "");
  EXPECT_EQ(R.loop("read_by_condition/loop0")->RestoredBy, "");
  EXPECT_EQ(R.loop("not_in_next_state/loop0")->RestoredBy, "");
  EXPECT_EQ(R.loop("hidden_effects/loop0")->RestoredBy, "");
}

} // namespace
