// main.cpp — command-line driver: trains the 784-128-10 MLP on Fashion-MNIST
// (or a synthetic stand-in) and prints per-epoch loss/accuracy, the final
// accuracy and a checksum of the weights. stdout is deterministic; timing
// goes to stderr. Exit codes: 0 ok, 1 data error, 2 bad arguments.
#include <cerrno>
#include <chrono>
#include <cinttypes>
#include <cstdio>
#include <cstdlib>
#include <exception>
#include <string>
#include <string_view>

#include "fashion_mnist.h"
#include "mlp.h"

namespace {

constexpr int kSyntheticTrain = 2000;
constexpr int kSyntheticTest = 500;

void usage(std::FILE* out) {
  std::fprintf(out,
               "usage: fashion_mnist [options]\n"
               "  --epochs N     training epochs (default 15)\n"
               "  --batch N      minibatch size (default 64)\n"
               "  --lr X         learning rate (default 0.1)\n"
               "  --momentum X   SGD momentum in [0,1) (default 0.9)\n"
               "  --seed N       seed for init and shuffling (default 42)\n"
               "  --data DIR     Fashion-MNIST directory (default %s)\n"
               "  --subset N     use only the first N training samples\n"
               "  --synthetic    use a small synthetic dataset (%d train, %d test)\n"
               "  --quiet        print only the final accuracy and checksum\n"
               "  --help         show this help\n",
               fashion_mnist::kDefaultDir, kSyntheticTrain, kSyntheticTest);
}

struct BadArgs {
  std::string message;
};

long parse_int(std::string_view opt, const std::string& text, long lo, long hi) {
  errno = 0;
  char* end = nullptr;
  const long v = std::strtol(text.c_str(), &end, 10);
  if (text.empty() || *end != '\0' || errno == ERANGE || v < lo || v > hi) {
    throw BadArgs{std::string(opt) + ": expected an integer in [" + std::to_string(lo) + ", " +
                  std::to_string(hi) + "], got '" + text + "'"};
  }
  return v;
}

// Parses a real number in [lo, hi] (or (lo, hi] if !lo_inclusive).
double parse_real(std::string_view opt, const std::string& text, double lo, double hi,
                  bool lo_inclusive, const char* expected) {
  errno = 0;
  char* end = nullptr;
  const double v = std::strtod(text.c_str(), &end);
  const bool above = lo_inclusive ? v >= lo : v > lo;
  if (text.empty() || *end != '\0' || errno == ERANGE || !(above && v <= hi)) {
    throw BadArgs{std::string(opt) + ": expected " + expected + ", got '" + text + "'"};
  }
  return v;
}

struct Options {
  mlp::Config cfg;
  std::string data_dir = fashion_mnist::kDefaultDir;
  int subset = 0;
  bool synthetic = false;
  bool help = false;
};

Options parse(int argc, char** argv) {
  Options o;
  for (int i = 1; i < argc; ++i) {
    std::string arg = argv[i];
    std::string value;
    bool has_value = false;
    if (const auto eq = arg.find('='); arg.rfind("--", 0) == 0 && eq != std::string::npos) {
      value = arg.substr(eq + 1);
      arg.resize(eq);
      has_value = true;
    }
    auto next = [&]() -> std::string {
      if (has_value) return value;
      if (i + 1 >= argc) throw BadArgs{arg + ": missing value"};
      return argv[++i];
    };
    auto no_value = [&] {
      if (has_value) throw BadArgs{arg + ": takes no value"};
    };
    if (arg == "--epochs")
      o.cfg.epochs = static_cast<int>(parse_int(arg, next(), 0, 100000));
    else if (arg == "--batch")
      o.cfg.batch = static_cast<int>(parse_int(arg, next(), 1, 1000000));
    else if (arg == "--lr")
      o.cfg.lr =
          static_cast<float>(parse_real(arg, next(), 0.0, 100.0, false, "a number in (0, 100]"));
    else if (arg == "--momentum")
      o.cfg.momentum =
          static_cast<float>(parse_real(arg, next(), 0.0, 0.999, true, "a number in [0, 0.999]"));
    else if (arg == "--seed")
      o.cfg.seed = static_cast<std::uint32_t>(parse_int(arg, next(), 0, 4294967295L));
    else if (arg == "--data") {
      o.data_dir = next();
      if (o.data_dir.empty()) throw BadArgs{"--data: empty directory"};
    } else if (arg == "--subset")
      o.subset = static_cast<int>(parse_int(arg, next(), 1, 10000000));
    else if (arg == "--synthetic") {
      no_value();
      o.synthetic = true;
    } else if (arg == "--quiet") {
      no_value();
      o.cfg.verbose = false;
    } else if (arg == "--help" || arg == "-h") {
      no_value();
      o.help = true;
    } else
      throw BadArgs{"unknown argument '" + arg + "'"};
  }
  return o;
}

}  // namespace

int main(int argc, char** argv) {
  Options opt;
  try {
    opt = parse(argc, argv);
  } catch (const BadArgs& e) {
    std::fprintf(stderr, "fashion_mnist: %s (try --help)\n", e.message.c_str());
    return 2;
  }
  if (opt.help) {
    usage(stdout);
    return 0;
  }

  fashion_mnist::Split data;
  try {
    data = opt.synthetic ? fashion_mnist::synthetic(kSyntheticTrain, kSyntheticTest, opt.cfg.seed)
                         : fashion_mnist::load(opt.data_dir);
  } catch (const std::exception& e) {
    std::fprintf(stderr, "fashion_mnist: %s\n", e.what());
    return 1;
  }
  if (opt.subset > 0) {
    if (opt.subset > data.train.size()) {
      std::fprintf(stderr, "fashion_mnist: --subset %d exceeds the %d training samples\n",
                   opt.subset, data.train.size());
      return 2;
    }
    data.train = fashion_mnist::head(data.train, opt.subset);
  }

  mlp::Net net = mlp::init(opt.cfg.seed);
  const auto t0 = std::chrono::steady_clock::now();
  const mlp::TrainResult result = mlp::train(net, data.train, data.test, opt.cfg);
  const double seconds =
      std::chrono::duration<double>(std::chrono::steady_clock::now() - t0).count();

  std::printf("final accuracy %.4f\n", result.final_accuracy);
  std::printf("weights checksum %016" PRIx64 "\n", mlp::checksum(net));
  if (opt.cfg.verbose && opt.cfg.epochs > 0) {
    std::fprintf(stderr, "time %.2f s (%.3f s/epoch, %d train, %d test samples)\n", seconds,
                 seconds / opt.cfg.epochs, data.train.size(), data.test.size());
  }
  return 0;
}
