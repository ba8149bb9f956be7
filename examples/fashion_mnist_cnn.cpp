// P7: a small convolutional network trained on Fashion-MNIST with Adam.
//
//   x (B, 1, 28, 28) -> conv 8 of 3x3 + bias -> relu -> max pool 2 -> (B, 8, 13, 13)
//                    -> conv 16 of 8x3x3 + bias -> relu -> max pool 2 -> (B, 16, 5, 5)
//                    -> reshape (B, 400) -> matmul (400, 10) + bias -> softmax cross-entropy
//
//   fashion_mnist_cnn [--epochs 3] [--batch 64] [--rate 0.001] [--limit N] [--csv FILE] [--seed S] [--check]
//
// The data are Debian's dataset-fashion-mnist (/usr/share/datasets/fashion-mnist, IDX
// files, gzip-compressed; read through zlib when this example was built with it), or
// the folder named by TYPEGRAD_FASHION_MNIST (the four files, compressed or not). When
// they are absent the program says so and exits with 0 without training. Per epoch it
// prints and writes to the CSV file (default fashion_mnist_cnn.csv): the mean training
// loss over the epoch's batches, the test loss and accuracy over the 10000 test images,
// and the seconds the epoch took; a progress bar (loss, examples per second) on stderr when
// it is a terminal. --limit N trains on the first N images only (a quick run). --check (the
// test suite's short run: a few hundred images, a fixed seed) also checks two gradient
// entries against central differences before training and that the training and test
// losses fall, exits non-zero otherwise, and exits with 77 (skipped) without the data.
#include <algorithm>
#include <chrono>
#include <cmath>
#include <cstdio>
#include <cstdlib>
#include <cstring>
#include <fstream>
#include <numeric>
#include <random>
#include <string>
#include <vector>

#include <typegrad/io/idx.hpp>
#include <typegrad/train.hpp>
#include <typegrad/typegrad.hpp>
#if defined(TYPEGRAD_EXAMPLE_ZLIB)
#include <typegrad/io/idx_gzip.hpp>
#endif

#include "support/progress.hpp"

namespace tg = typegrad;

namespace {

bool exists(std::string const& path) { return static_cast<bool>(std::ifstream(path)); }

/// The path of one of the four files in `dir`, uncompressed or (with zlib) compressed; "" if absent.
std::string find_file(std::string const& dir, char const* stem) {
    std::string const plain = dir + "/" + stem;
    if (exists(plain)) return plain;
#if defined(TYPEGRAD_EXAMPLE_ZLIB)
    if (exists(plain + ".gz")) return plain + ".gz";
#endif
    return "";
}

std::vector<unsigned char> file_bytes(std::string const& path) {
#if defined(TYPEGRAD_EXAMPLE_ZLIB)
    if (path.size() > 3 && path.compare(path.size() - 3, 3, ".gz") == 0) return tg::io::read_gzip_bytes(path);
#endif
    return tg::io::read_file_bytes(path);
}

struct dataset {
    std::size_t count = 0;
    std::vector<float> pixels;  // count x 784, scaled to [0, 1]
    std::vector<long> labels;
};

dataset load(std::string const& images_path, std::string const& labels_path) {
    auto const images = tg::io::parse_idx_images(file_bytes(images_path), images_path);
    auto const labels = tg::io::parse_idx_labels(file_bytes(labels_path), labels_path);
    if (images.rows != 28 || images.cols != 28)
        throw std::runtime_error(images_path + ": expected images of 28 x 28, found " + std::to_string(images.rows) +
                                 " x " + std::to_string(images.cols));
    if (labels.size() != images.count)
        throw std::runtime_error(labels_path + ": " + std::to_string(labels.size()) + " labels for " +
                                 std::to_string(images.count) + " images");
    dataset d;
    d.count = images.count;
    d.pixels.resize(images.pixels.size());
    for (std::size_t i = 0; i < d.pixels.size(); ++i) d.pixels[i] = static_cast<float>(images.pixels[i]) / 255.0f;
    d.labels.assign(labels.begin(), labels.end());
    for (long l : d.labels)
        if (l < 0 || l > 9) throw std::runtime_error(labels_path + ": a label outside 0 .. 9");
    return d;
}

}  // namespace

int main(int argc, char** argv) {
    long epochs = 3, batch = 64, limit = 0;
    bool check = false;
    double rate = 1e-3;
    std::uint64_t seed = 7;
    std::string csv = "fashion_mnist_cnn.csv";
    for (int i = 1; i + 1 < argc; i += 2) {
        if (std::strcmp(argv[i], "--epochs") == 0) epochs = std::atol(argv[i + 1]);
        if (std::strcmp(argv[i], "--batch") == 0) batch = std::max(1L, std::atol(argv[i + 1]));
        if (std::strcmp(argv[i], "--rate") == 0) rate = std::atof(argv[i + 1]);
        if (std::strcmp(argv[i], "--limit") == 0) limit = std::atol(argv[i + 1]);
        if (std::strcmp(argv[i], "--csv") == 0) csv = argv[i + 1];
        if (std::strcmp(argv[i], "--seed") == 0) seed = std::strtoull(argv[i + 1], nullptr, 10);
        if (std::strcmp(argv[i], "--check") == 0) check = true;
    }
    char const* env = std::getenv("TYPEGRAD_FASHION_MNIST");
    std::string const dir = env && *env ? env : "/usr/share/datasets/fashion-mnist";
    std::string const files[4] = {find_file(dir, "train-images-idx3-ubyte"), find_file(dir, "train-labels-idx1-ubyte"),
                                  find_file(dir, "t10k-images-idx3-ubyte"), find_file(dir, "t10k-labels-idx1-ubyte")};
    for (auto const& f : files)
        if (f.empty()) {
            std::printf("Fashion-MNIST not found in %s (install dataset-fashion-mnist, or set TYPEGRAD_FASHION_MNIST to "
                        "a folder with the four IDX files%s); not training.\n",
                        dir.c_str(),
#if defined(TYPEGRAD_EXAMPLE_ZLIB)
                        ""
#else
                        ", uncompressed: this build has no zlib"
#endif
            );
            return check ? 77 : 0;
        }
    dataset const train = load(files[0], files[1]);
    dataset const test = load(files[2], files[3]);
    std::size_t const n_train = limit > 0 ? std::min(train.count, static_cast<std::size_t>(limit)) : train.count;
    std::printf("P7: Fashion-MNIST from %s: %zu training images (of %zu), %zu test images\n", dir.c_str(), n_train,
                train.count, test.count);

    // Parameters, initialised from one seeded generator (He for the layers before ReLU).
    std::vector<double> W1(8 * 1 * 3 * 3), b1(8, 0.0), W2(16 * 8 * 3 * 3), b2(16, 0.0), W3(400 * 10), b3(10, 0.0);
    auto W1v = tg::view(W1.data(), 8, 1, 3, 3);
    auto W2v = tg::view(W2.data(), 16, 8, 3, 3);
    auto W3v = tg::view(W3.data(), 400, 10);
    tg::train::generator gen(seed);
    tg::train::he_normal(W1v, gen);
    tg::train::he_normal(W2v, gen);
    tg::train::glorot_uniform(W3v, gen);
    std::vector<double> gW1(W1.size()), gb1(b1.size()), gW2(W2.size()), gb2(b2.size()), gW3(W3.size()), gb3(b3.size());

    auto [X, K1, c1, K2, c2, M3, c3, y] = tg::vars<"X", "K1", "c1", "K2", "c2", "M3", "c3", "y">();
    auto const h1 = tg::max_pool2d(relu(tg::conv2d(X, K1) + tg::reshape(c1, 8, 1, 1)), 2);
    auto const h2 = tg::max_pool2d(relu(tg::conv2d(h1, K2) + tg::reshape(c2, 16, 1, 1)), 2);
    auto const logits = tg::matmul(tg::reshape(h2, -1, 400), M3) + c3;
    auto const loss = tg::mean(tg::softmax_cross_entropy(logits, y));

    tg::train::adam<> opt({.learning_rate = rate});
    tg::workspace ws;
    std::vector<double> xb(static_cast<std::size_t>(batch) * 784);
    std::vector<long> yb(static_cast<std::size_t>(batch));
    std::vector<std::size_t> order(n_train);
    std::iota(order.begin(), order.end(), std::size_t{0});
    std::mt19937_64 shuffle(seed + 1);

    // Test loss and accuracy, 500 images at a time.
    auto evaluate = [&](double& test_loss, double& accuracy) {
        std::size_t const tb = 500;
        std::vector<double> xt(tb * 784), out(tb * 10);
        double total = 0;
        std::size_t right = 0;
        for (std::size_t start = 0; start < test.count; start += tb) {
            std::size_t const m = std::min(tb, test.count - start);
            for (std::size_t e = 0; e < m * 784; ++e) xt[e] = test.pixels[start * 784 + e];
            auto const xv = tg::view(xt.data(), static_cast<std::ptrdiff_t>(m), 1, 28, 28);
            auto const ov = tg::view(out.data(), static_cast<std::ptrdiff_t>(m), 10);
            tg::map(ws, logits, ov, xv, W1v, b1, W2v, b2, W3v, b3);
            for (std::size_t i = 0; i < m; ++i) {
                double const* z = out.data() + i * 10;
                double const top = *std::max_element(z, z + 10);
                double s = 0;
                for (int c = 0; c < 10; ++c) s += std::exp(z[c] - top);
                long const label = test.labels[start + i];
                total += top + std::log(s) - z[label];
                right += static_cast<std::size_t>(std::max_element(z, z + 10) - z) == static_cast<std::size_t>(label);
            }
        }
        test_loss = total / static_cast<double>(test.count);
        accuracy = static_cast<double>(right) / static_cast<double>(test.count);
    };

    int failures = 0;
    if (check) {
        // One gradient entry of each layer's kernel against central differences, on the first batch.
        std::size_t const m = std::min(static_cast<std::size_t>(batch), n_train);
        for (std::size_t i = 0; i < m; ++i) {
            std::copy_n(train.pixels.begin() + static_cast<std::ptrdiff_t>(i * 784), 784, xb.begin() + static_cast<std::ptrdiff_t>(i * 784));
            yb[i] = train.labels[i];
        }
        auto const mm = static_cast<std::ptrdiff_t>(m);
        auto const at = [&] {
            return tg::value(ws, loss, tg::view(xb.data(), mm, 1, 28, 28), W1v, b1, W2v, b2, W3v, b3, tg::view(yb.data(), mm));
        };
        (void)tg::gradient(ws, loss,
                           tg::gradient_to(tg::skip, tg::view(gW1.data(), 8, 1, 3, 3), gb1, tg::view(gW2.data(), 16, 8, 3, 3),
                                           gb2, tg::view(gW3.data(), 400, 10), gb3, tg::skip),
                           tg::view(xb.data(), mm, 1, 28, 28), W1v, b1, W2v, b2, W3v, b3, tg::view(yb.data(), mm));
        auto const central = [&](std::vector<double>& w, std::size_t k) {
            double const keep = w[k], e = 1e-6;
            w[k] = keep + e;
            double const up = at();
            w[k] = keep - e;
            double const down = at();
            w[k] = keep;
            return (up - down) / (2 * e);
        };
        struct entry {
            char const* name;
            std::vector<double>* w;
            std::vector<double> const* g;
            std::size_t k;
        } const entries[] = {{"W1", &W1, &gW1, 4}, {"W2", &W2, &gW2, 100}, {"W3", &W3, &gW3, 1234}};
        for (auto const& en : entries) {
            double const fd = central(*en.w, en.k), g = (*en.g)[en.k];
            bool const ok = std::abs(fd - g) <= 1e-6 * (std::abs(g) + 1e-3);
            std::printf("check: d loss / d %s[%zu] = %.10g, central difference %.10g%s\n", en.name, en.k, g, fd,
                        ok ? "" : "  MISMATCH");
            failures += ok ? 0 : 1;
        }
    }

    std::FILE* out = std::fopen(csv.c_str(), "w");
    if (out) std::fprintf(out, "epoch,train_loss,test_loss,test_accuracy,seconds\n");
    double test_loss = 0, accuracy = 0;
    evaluate(test_loss, accuracy);
    std::printf("before training: test loss %.4f, accuracy %.4f\n", test_loss, accuracy);
    if (out) std::fprintf(out, "0,,%.6f,%.6f,0\n", test_loss, accuracy);
    bool finite = true;
    double const test_loss_before = test_loss;
    double first_train_loss = 0, last_train_loss = 0;
    for (long epoch = 1; epoch <= epochs; ++epoch) {
        std::string const label = "epoch " + std::to_string(epoch);
        long const steps = static_cast<long>((n_train + static_cast<std::size_t>(batch) - 1) / static_cast<std::size_t>(batch));
        example_support::progress bar(steps, label.c_str(), "examples", static_cast<double>(batch));
        std::shuffle(order.begin(), order.end(), shuffle);
        auto const start = std::chrono::steady_clock::now();
        double sum = 0;
        std::size_t batches = 0;
        for (std::size_t first = 0; first < n_train; first += static_cast<std::size_t>(batch)) {
            std::size_t const m = std::min(static_cast<std::size_t>(batch), n_train - first);
            for (std::size_t i = 0; i < m; ++i) {
                std::size_t const k = order[first + i];
                std::copy_n(train.pixels.begin() + static_cast<std::ptrdiff_t>(k * 784), 784, xb.begin() + static_cast<std::ptrdiff_t>(i * 784));
                yb[i] = train.labels[k];
            }
            auto const mm = static_cast<std::ptrdiff_t>(m);
            double const L = tg::gradient(
                ws, loss,
                tg::gradient_to(tg::skip, tg::view(gW1.data(), 8, 1, 3, 3), gb1, tg::view(gW2.data(), 16, 8, 3, 3), gb2,
                                tg::view(gW3.data(), 400, 10), gb3, tg::skip),
                tg::view(xb.data(), mm, 1, 28, 28), W1v, b1, W2v, b2, W3v, b3, tg::view(yb.data(), mm));
            opt.step(tg::train::param(W1, gW1), tg::train::param(b1, gb1), tg::train::param(W2, gW2),
                     tg::train::param(b2, gb2), tg::train::param(W3, gW3), tg::train::param(b3, gb3));
            sum += L;
            ++batches;
            finite = finite && std::isfinite(L);
            bar.update(static_cast<long>(batches), sum / static_cast<double>(batches));
        }
        bar.finish();
        double const seconds = std::chrono::duration<double>(std::chrono::steady_clock::now() - start).count();
        evaluate(test_loss, accuracy);
        double const train_loss = batches ? sum / static_cast<double>(batches) : 0.0;
        if (epoch == 1) first_train_loss = train_loss;
        last_train_loss = train_loss;
        std::printf("epoch %ld: training loss %.4f, test loss %.4f, test accuracy %.4f, %.1f s\n", epoch, train_loss,
                    test_loss, accuracy, seconds);
        if (out) std::fprintf(out, "%ld,%.6f,%.6f,%.6f,%.3f\n", epoch, train_loss, test_loss, accuracy, seconds);
    }
    if (out) {
        std::fclose(out);
        std::printf("per-epoch figures written to %s\n", csv.c_str());
    }
    if (check) {
        bool const falls = last_train_loss < first_train_loss && test_loss < test_loss_before;
        std::printf("check: training loss %.4f -> %.4f, test loss %.4f -> %.4f%s\n", first_train_loss, last_train_loss,
                    test_loss_before, test_loss, falls ? "" : "  DID NOT FALL");
        failures += falls ? 0 : 1;
    }
    return finite && failures == 0 ? 0 : 1;
}
