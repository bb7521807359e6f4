// pass pointee-effects: writes through pointers and references, callees
// included — state when pl can hold it, a refusal naming the pointer when not.
// (End to end, resumed or refused: tests/soundness/.)
#include "run_pass.h"

#include <gmock/gmock.h>
#include <gtest/gtest.h>

using namespace pl::test;
using ::testing::AllOf;
using ::testing::Contains;
using ::testing::ElementsAre;
using ::testing::HasSubstr;
using ::testing::IsEmpty;
using ::testing::Not;

namespace {

Loop loopOf(const std::string &Code, const std::string &Name, const char *UpTo = "pointee-effects",
            const std::vector<std::string> &Args = {}) {
  PassRun R = runPassOnCode(UpTo, Code, Args);
  EXPECT_THAT(R.Errors, IsEmpty());
  const Loop *L = R.loop(Name);
  EXPECT_NE(L, nullptr) << Name;
  return L ? *L : Loop{};
}

// --- a pointer written through: saved as the array it points into ----------
// (state-types then checks the elements' type; the runtime finds the array's
// length, or refuses the checkpoint)

TEST(PointeeEffects, PointerParameterWrittenByACalleeIsAnArrayNamingTheWrite) {
  // The fann case: the loop never assigns `net`, the callee writes the weights.
  Loop L = loopOf(R"(
    struct net { double *w; int n; };
    void train_epoch(struct net *net, const double *x) {
      for (int k = 0; k < net->n; ++k) net->w[k] += x[k];
    }
    double train(struct net *net, const double *x, int max_epochs) {
      double error = 0;
      int i;
      for (i = 1; i <= max_epochs; i++) { train_epoch(net, x); error += 1; }
      return error;
    })",
                  "train/loop0");
  EXPECT_THAT(L.ArrayWrites, ElementsAre(HasSubstr("writes through 'net' (struct net *) in "
                                                   "train_epoch() at input.cc:4")));
  EXPECT_THAT(L.Unsaveable, IsEmpty());
  EXPECT_THAT(L.ArrayWrites, Not(Contains(HasSubstr("'x'")))) << "x is only read";
}

TEST(PointeeEffects, StructOfPointersPassedByValue) {
  Loop L = loopOf(R"(
    struct model { double *w; double *b; int n; };
    void step(struct model m) { m.w[0] += 1; m.b[0] -= 1; }
    void fit(struct model m, int epochs) {
      for (int e = 0; e < epochs; ++e) step(m);
    })",
                  "fit/loop0");
  EXPECT_THAT(L.Unsaveable, ElementsAre(HasSubstr("writes through 'm' (struct model) in step()")));
}

TEST(PointeeEffects, ArrayOfStructsThroughAPointer) {
  Loop L = loopOf(R"(
    struct neuron { double w, b; };
    void update(struct neuron *layer, int k) { layer[k].w += 0.5; }
    void run(struct neuron *layer, int n) {
      for (int k = 0; k < n; ++k) update(layer, k);
    })",
                  "run/loop0");
  EXPECT_THAT(L.ArrayWrites, ElementsAre(HasSubstr("writes through 'layer' (struct neuron *)")));
}

TEST(PointeeEffects, PointerStoredInAFieldOfAStructOrOfThis) {
  Loop C = loopOf(R"(
    struct net { double w[4]; };
    struct trainer { struct net *net; int steps; };
    void run(struct trainer *t, int n) {
      for (int k = 0; k < n; ++k) t->net->w[k % 4] = k;
    })",
                  "run/loop0");
  EXPECT_THAT(C.ArrayWrites,
              ElementsAre(HasSubstr("writes through 't' (struct trainer *) in run()")));
  Loop M = loopOf(R"(
    struct Net { double w[4]; };
    struct Trainer {
      Net *net_;
      int steps_ = 0;
      void nudge(int k) { net_->w[k % 4] += 1; ++steps_; }
      void run(int n) { for (int k = 0; k < n; ++k) nudge(k); }
    };)",
                  "Trainer::run/loop0", "modified-vars");
  EXPECT_THAT(M.ArrayWrites, ElementsAre(HasSubstr("writes through 'this->net_' (Net *) in "
                                                   "Trainer::nudge()")));
  // A field a callee writes is state; the pointer field, as the array.
  EXPECT_THAT(M.State, ElementsAre("steps_", "net_", "k"));
}

TEST(PointeeEffects, TwoPointersIntoOneUnknownBufferAreRefused) {
  Loop L = loopOf(R"(
    #include <stdlib.h>
    void run(int n) {
      double *a = (double *)malloc(8 * sizeof(double));
      double *b = a + 4;
      for (int i = 0; i < n; ++i) b[i % 4] = a[i % 4] * 2;
      free(a);
    })",
                  "run/loop0");
  // `a` too: `b` points where `a` does.
  EXPECT_THAT(L.ArrayWrites, ElementsAre(HasSubstr("writes through 'b' (double *) in run()"),
                                         HasSubstr("writes through 'a' (double *) in run()")));
}

TEST(PointeeEffects, CalleeInAnotherTranslationUnitIsAssumedToWriteItsPointers) {
  Loop L = loopOf(R"(
    void opaque_update(double *w, const double *x, int n);  // defined elsewhere
    void run(double *w, const double *x, int n) {
      for (int e = 0; e < 10; ++e) opaque_update(w, x, n);
    })",
                  "run/loop0");
  EXPECT_THAT(L.ArrayWrites,
              ElementsAre(AllOf(HasSubstr("writes through 'w' (double *) by a call to "
                                          "'opaque_update' (its body is not in this translation "
                                          "unit)"))));
}

TEST(PointeeEffects, VirtualCallsAndFunctionPointersAreJudgedBySignature) {
  Loop V = loopOf(R"(
    struct Opt { virtual void step(double *w) = 0; };
    void run(Opt &o, double *w) { for (int e = 0; e < 3; ++e) o.step(w); })",
                  "run/loop0");
  EXPECT_THAT(V.ArrayWrites, Contains(HasSubstr("by a virtual call to 'Opt::step'")));
  Loop F = loopOf(R"(
    void run(void (*f)(double *), double *w) { for (int e = 0; e < 3; ++e) f(w); })",
                  "run/loop0");
  EXPECT_THAT(F.ArrayWrites, ElementsAre(HasSubstr("through a function pointer")));
}

TEST(PointeeEffects, RecursiveCalleesReachAFixpoint) {
  Loop L = loopOf(R"(
    void down(double *w, int k);
    void up(double *w, int k) { if (k > 0) down(w, k - 1); }
    void down(double *w, int k) { if (k == 0) w[0] = 1; else up(w, k - 1); }
    void run(double *w) { for (int e = 0; e < 3; ++e) up(w, e); })",
                  "run/loop0");
  EXPECT_THAT(L.ArrayWrites, ElementsAre(HasSubstr("writes through 'w' (double *) in down()")));
}

// --- state: pl holds it -------------------------------------------------------

TEST(PointeeEffects, ReferenceParameterWrittenThroughACalleeBecomesState) {
  const char *Code = R"(
    struct Model { double w0, w1; };
    void update(Model *m, int k) { m->w0 += k; }
    void fit(Model &model, int epochs) {
      for (int e = 0; e < epochs; ++e) update(&model, e);
    })";
  EXPECT_THAT(loopOf(Code, "fit/loop0").WrittenThrough, ElementsAre("model"));
  Loop L = loopOf(Code, "fit/loop0", "state-types");
  EXPECT_THAT(L.State, ElementsAre("model", "e"));
  EXPECT_THAT(L.Unsaveable, IsEmpty());
}

TEST(PointeeEffects, LocalWrittenThroughItsAddressIsState) {
  Loop L = loopOf(R"(
    struct Model { double w0, w1; };
    void update(Model *m, int k) { m->w0 += k; }
    double fit(int epochs) {
      Model model{};
      for (int e = 0; e < epochs; ++e) update(&model, e);
      return model.w0;
    })",
                  "fit/loop0", "state-types");
  EXPECT_THAT(L.State, ElementsAre("model", "e"));
  EXPECT_THAT(L.Unsaveable, IsEmpty());
}

TEST(PointeeEffects, TwoPointersIntoALocalVectorAreNotRefusedHere) {
  // They point into `buf`, which is state; modified-vars then makes the
  // pointer written through (`b`) state too, which state-types refuses.
  Loop L = loopOf(R"(
    #include <vector>
    double run(int n) {
      std::vector<double> buf(8, 1.0);
      double *a = buf.data(), *b = buf.data() + 4;
      for (int i = 0; i < n; ++i) b[i % 4] = a[i % 4] * 2;
      return buf[5];
    })",
                  "run/loop0");
  EXPECT_THAT(L.Unsaveable, IsEmpty());
  EXPECT_THAT(L.WrittenThrough, ElementsAre("buf"));
}

TEST(PointeeEffects, GlobalsOfThisFileWrittenByCalleesAreState) {
  Loop L = loopOf(R"(
    int calls;
    static void count() { ++calls; }
    void run(int n) { for (int i = 0; i < n; ++i) count(); })",
                  "run/loop0", "modified-vars");
  EXPECT_THAT(L.State, ElementsAre("calls", "i"));
}

TEST(PointeeEffects, CalleesWritingOtherTranslationUnitsGlobalsOrStaticsAreReported) {
  Loop G = loopOf(R"(
    extern int total;
    void add(int k) { total += k; }
    void run(int n) { for (int i = 0; i < n; ++i) add(i); })",
                  "run/loop0");
  EXPECT_THAT(G.Uncaptured, ElementsAre(HasSubstr("writes global 'total' defined in another "
                                                  "translation unit in add()")));
  Loop S = loopOf(R"(
    int tick() { static int n = 0; return ++n; }
    void run(int n) { int t = 0; for (int i = 0; i < n; ++i) t = tick(); })",
                  "run/loop0");
  EXPECT_THAT(S.Unsaveable, ElementsAre(HasSubstr("writes static local 'n' in tick()")));
}

// --- negatives: nothing to save, nothing refused ------------------------------

TEST(PointeeEffectsNegatives, VectorOnlyReadThroughOperatorIndexIsNotState) {
  Loop L = loopOf(R"(
    #include <vector>
    double sum(std::vector<double> &v, int n) {
      double s = 0;
      for (int i = 0; i < n; ++i) { double x = v[i]; s += x + v.at(i) + *v.begin() + v.data()[0]; }
      return s;
    })",
                  "sum/loop0", "modified-vars");
  EXPECT_THAT(L.State, ElementsAre("s", "i"));
  EXPECT_THAT(L.Unsaveable, IsEmpty());
  EXPECT_THAT(L.WrittenThrough, IsEmpty());
}

TEST(PointeeEffectsNegatives, ConstPointersAndReadOnlyCalleesAreNotState) {
  Loop L = loopOf(R"(
    struct net { double *w; int n; };
    double dot(const double *a, const double *b, int n) {
      double s = 0;
      for (int k = 0; k < n; ++k) s += a[k] * b[k];
      return s;
    }
    double loss(const struct net *net, const double *x) { return dot(net->w, x, net->n); }
    double eval(const struct net *net, double *x, int epochs) {
      double err = 0;
      for (int e = 0; e < epochs; ++e) err += loss(net, x);
      return err;
    })",
                  "eval/loop0", "modified-vars");
  EXPECT_THAT(L.Unsaveable, IsEmpty());
  EXPECT_THAT(L.WrittenThrough, IsEmpty());
  EXPECT_THAT(L.State, ElementsAre("err", "e"));
}

TEST(PointeeEffectsNegatives, PrintingAndTransientPointersAreNotRefused) {
  Loop L = loopOf(R"(
    #include <pl/marker.h>
    #include <stdio.h>
    void run(double *w, const char *name, int n) {
      PL_TRANSIENT(w);
      for (int i = 0; i < n; ++i) { w[i] = i; printf("%s %d\n", name, i); fprintf(stderr, "x"); }
    })",
                  "run/loop0", "pointee-effects", {"-I" PL_RUNTIME_INCLUDE_DIR});
  EXPECT_THAT(L.Unsaveable, IsEmpty());
}

} // namespace
