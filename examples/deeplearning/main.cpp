// deeplearning_app — the application: loads Fashion-MNIST (or a synthetic
// stand-in), calls the separately built `deeplearning` library and prints
// what it returned.
//
//   deeplearning_app  (this file: plain C++, not instrumented)
//     └─ links libdeeplearning.a (instrumented by pl_instrument at build time)
//          dl::pretrain/layer/epoch/batch    layer-wise autoencoders
//          dl::finetune/epoch/batch          supervised fine-tuning
//
// Nothing here knows about pl. Hooks and checkpoints are attached to the
// library's loops by label from outside (hooks.conf, PL_CONFIG). stdout is
// printed only after training and is deterministic; timing goes to stderr.
// Exit codes: 0 ok, 1 data error, 2 bad arguments.
#include <chrono>
#include <cinttypes>
#include <cstdio>
#include <cstdlib>
#include <exception>
#include <stdexcept>
#include <string>
#include <utility>

#include "deeplearning/deeplearning.h"
#include "fashion_mnist.h"

namespace {

constexpr int kSyntheticTrain = 2000;
constexpr int kSyntheticTest = 500;

constexpr const char* kUsage =
    "usage: deeplearning_app [options]\n"
    "  --subset N             use the first N training images, 0 for all (default 10000)\n"
    "  --synthetic            a small generated data set (2000 train, 500 test images)\n"
    "  --pretrain-epochs N    autoencoder epochs per hidden layer (default 4)\n"
    "  --finetune-epochs N    supervised epochs (default 6)\n"
    "  --batch N              minibatch size (default 64)\n"
    "  --seed N               seed for initialization and shuffling (default 42)\n"
    "  --data DIR             Fashion-MNIST directory (default /usr/share/datasets/fashion-mnist)\n"
    "  --help                 this text\n";

struct Help {};  // --help: the usage on stdout, exit status 0

struct Args {
  dl::Options options;
  std::string data_dir = fashion_mnist::kDefaultDir;
  int subset = 10000;
  bool synthetic = false;
};

int to_int(const std::string& flag, const char* text, long lo, long hi) {
  char* end = nullptr;
  const long v = std::strtol(text, &end, 10);
  if (*text == '\0' || *end != '\0' || v < lo || v > hi)
    throw std::invalid_argument(flag + ": expected an integer in [" + std::to_string(lo) + ", " +
                                std::to_string(hi) + "], got '" + text + "'");
  return static_cast<int>(v);
}

Args parse(int argc, char** argv) {
  Args a;
  for (int i = 1; i < argc; ++i) {
    const std::string flag = argv[i];
    if (flag == "--help" || flag == "-h") throw Help{};
    if (flag == "--synthetic") {
      a.synthetic = true;
      continue;
    }
    if (i + 1 >= argc) throw std::invalid_argument("unknown flag or missing value: " + flag);
    const char* value = argv[++i];
    if (flag == "--subset")
      a.subset = to_int(flag, value, 0, 60000);
    else if (flag == "--pretrain-epochs")
      a.options.pretrain_epochs = to_int(flag, value, 0, 1000);
    else if (flag == "--finetune-epochs")
      a.options.finetune_epochs = to_int(flag, value, 0, 1000);
    else if (flag == "--batch")
      a.options.batch = to_int(flag, value, 1, 60000);
    else if (flag == "--seed")
      a.options.seed = static_cast<std::uint32_t>(to_int(flag, value, 0, 2147483647));
    else if (flag == "--data")
      a.data_dir = value;
    else
      throw std::invalid_argument("unknown flag " + flag);
  }
  return a;
}

dl::Dataset to_dl(fashion_mnist::Dataset&& d) { return {std::move(d.images), std::move(d.labels)}; }

void print(const dl::Report& r, const dl::Options& o, int inputs) {
  for (std::size_t l = 0; l < r.reconstruction.size(); ++l)
    std::printf("pretrain layer %zu: %d -> %d, reconstruction loss %.4f\n", l + 1,
                l == 0 ? inputs : o.layers[l - 1], o.layers[l], r.reconstruction[l]);
  for (std::size_t e = 0; e < r.finetune.size(); ++e)
    std::printf("finetune epoch %zu: loss %.4f, test accuracy %.4f\n", e + 1, r.finetune[e].loss,
                r.finetune[e].test_accuracy);
  std::printf("test accuracy %.4f\n", r.test_accuracy);
  std::printf("weights checksum %016" PRIx64 "\n", dl::checksum(r.net));
}

}  // namespace

int main(int argc, char** argv) {
  Args args;
  try {
    args = parse(argc, argv);
  } catch (const Help&) {
    std::fputs(kUsage, stdout);
    return 0;
  } catch (const std::invalid_argument& e) {
    std::fprintf(stderr, "deeplearning_app: %s\n%s", e.what(), kUsage);
    return 2;
  }
  fashion_mnist::Split split;
  try {
    split = args.synthetic
                ? fashion_mnist::synthetic(kSyntheticTrain, kSyntheticTest, args.options.seed)
                : fashion_mnist::load(args.data_dir);
    if (args.subset > 0 && args.subset < split.train.size())
      split.train = fashion_mnist::head(split.train, args.subset);
  } catch (const std::exception& e) {
    std::fprintf(stderr, "deeplearning_app: %s\n", e.what());
    return 1;
  }
  const dl::Dataset train = to_dl(std::move(split.train));
  const dl::Dataset test = to_dl(std::move(split.test));

  const auto t0 = std::chrono::steady_clock::now();
  const dl::Report report = dl::deeplearning(train, test, args.options);
  const std::chrono::duration<double> took = std::chrono::steady_clock::now() - t0;

  print(report, args.options, static_cast<int>(train.images.rows()));
  std::fprintf(stderr, "deeplearning_app: %.2f s (%d train, %d test images)\n", took.count(),
               static_cast<int>(train.labels.size()), static_cast<int>(test.labels.size()));
  return 0;
}
