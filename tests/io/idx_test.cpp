// tg::io IDX reading on small files this test writes byte by byte: the MNIST layouts,
// other element types decoded from big-endian, and every malformed file refused with
// a message that says what was expected and what was found.
#include <doctest/doctest.h>

#include <cstdint>
#include <cstdio>
#include <fstream>
#include <stdexcept>
#include <string>
#include <vector>

#include <typegrad/io/idx.hpp>
#if defined(TYPEGRAD_TEST_ZLIB)
#include <typegrad/io/idx_gzip.hpp>
#endif

namespace tg = typegrad;
using bytes = std::vector<unsigned char>;

namespace {
void put32(bytes& b, std::uint32_t v) {
    for (int s = 24; s >= 0; s -= 8) b.push_back(static_cast<unsigned char>(v >> s));
}
bytes header(unsigned char type, std::vector<std::uint32_t> const& extents) {
    bytes b{0, 0, type, static_cast<unsigned char>(extents.size())};
    for (auto e : extents) put32(b, e);
    return b;
}
std::string write_file(std::string const& name, bytes const& b) {
    std::string const path = std::string(TYPEGRAD_TEST_TMP) + "/" + name;
    std::ofstream out(path, std::ios::binary);
    out.write(reinterpret_cast<char const*>(b.data()), static_cast<std::streamsize>(b.size()));
    return path;
}
std::string error_of(auto const& f) {
    try {
        f();
    } catch (std::runtime_error const& e) {
        return e.what();
    }
    return "";
}
}  // namespace

TEST_CASE("images and labels in the MNIST layout") {
    bytes img = header(0x08, {2, 3, 4});  // magic 0x00000803
    for (int i = 0; i < 24; ++i) img.push_back(static_cast<unsigned char>(10 * i));
    bytes lab = header(0x08, {2});  // magic 0x00000801
    lab.push_back(7);
    lab.push_back(3);
    auto const images = tg::io::read_idx_images(write_file("img.idx", img));
    CHECK(images.count == 2);
    CHECK(images.rows == 3);
    CHECK(images.cols == 4);
    REQUIRE(images.pixels.size() == 24);
    CHECK(images.pixels[0] == 0);
    CHECK(images.pixels[13] == 130);  // image 1, row 0, column 1
    auto const labels = tg::io::read_idx_labels(write_file("lab.idx", lab));
    CHECK(labels == bytes{7, 3});
    // The magic numbers as 32-bit big-endian words.
    CHECK(((img[2] << 8) | img[3]) == 0x0803);
    CHECK(((lab[2] << 8) | lab[3]) == 0x0801);
}

TEST_CASE("other element types are decoded from big-endian") {
    bytes i16 = header(0x0B, {3});
    for (unsigned char c : {0x00, 0x01, 0xFF, 0xFE, 0x7F, 0xFF}) i16.push_back(c);
    auto const a = tg::io::read_idx(write_file("i16.idx", i16));
    CHECK(a.type == tg::io::idx_type::i16);
    CHECK(tg::io::values<int>(a) == std::vector<int>{1, -2, 32767});
    bytes f32 = header(0x0D, {1, 2});
    for (unsigned char c : {0x3F, 0xC0, 0x00, 0x00, 0xC1, 0x20, 0x00, 0x00}) f32.push_back(c);  // 1.5, -10
    auto const f = tg::io::read_idx(write_file("f32.idx", f32));
    CHECK(f.extents == std::vector<std::size_t>{1, 2});
    CHECK(tg::io::values<double>(f) == std::vector<double>{1.5, -10.0});
    bytes f64 = header(0x0E, {1});
    for (unsigned char c : {0x40, 0x09, 0x21, 0xFB, 0x54, 0x44, 0x2D, 0x18}) f64.push_back(c);  // pi
    CHECK(tg::io::values<double>(tg::io::read_idx(write_file("f64.idx", f64)))[0] == 3.141592653589793);
    bytes i8 = header(0x09, {2});
    i8.push_back(0x80);
    i8.push_back(0x05);
    CHECK(tg::io::values<int>(tg::io::read_idx(write_file("i8.idx", i8))) == std::vector<int>{-128, 5});
}

TEST_CASE("malformed files raise std::runtime_error saying what was expected and found") {
    bytes good = header(0x08, {2, 2, 2});
    for (int i = 0; i < 8; ++i) good.push_back(1);

    CHECK(error_of([&] { tg::io::read_idx("/nonexistent/typegrad.idx"); }).find("cannot be opened") != std::string::npos);
    CHECK(error_of([&] { tg::io::parse_idx(bytes{0, 0, 8}); }).find("truncated: 3 bytes") != std::string::npos);
    CHECK(error_of([&] { tg::io::parse_idx(bytes{0x1F, 0x8B, 8, 0}); }).find("two zero bytes, found 0x1f 0x8b") !=
          std::string::npos);  // a gzip file given as IDX
    CHECK(error_of([&] { tg::io::parse_idx(bytes{0, 0, 0x07, 1, 0, 0, 0, 0}); }).find("unknown element type 0x07") !=
          std::string::npos);
    CHECK(error_of([&] { tg::io::parse_idx(bytes{0, 0, 8, 0}); }).find("0 dimensions") != std::string::npos);
    bytes short_header(good.begin(), good.begin() + 10);
    CHECK(error_of([&] { tg::io::parse_idx(short_header); }).find("truncated header: 10 bytes, but 3 dimensions need 16") !=
          std::string::npos);
    bytes short_data(good.begin(), good.end() - 1);
    std::string const path = write_file("short.idx", short_data);
    std::string const m = error_of([&] { tg::io::read_idx_images(path); });
    CHECK(m.find(path) != std::string::npos);
    CHECK(m.find("need 8 bytes of data, found 7") != std::string::npos);
    bytes longer = good;
    longer.push_back(0);
    CHECK(error_of([&] { tg::io::parse_idx(longer); }).find("1 bytes after the 8 bytes") != std::string::npos);

    // Right file, wrong kind: labels read as images and the other way round.
    bytes lab = header(0x08, {3});
    for (int i = 0; i < 3; ++i) lab.push_back(1);
    CHECK(error_of([&] { tg::io::parse_idx_images(lab); }).find("expected images with 3 dimensions, found 1") !=
          std::string::npos);
    CHECK(error_of([&] { tg::io::parse_idx_labels(good); }).find("expected labels with 1 dimensions, found 3") !=
          std::string::npos);
    bytes f = header(0x0D, {1});
    for (int i = 0; i < 4; ++i) f.push_back(0);
    CHECK(error_of([&] { tg::io::parse_idx_labels(f); }).find("element type 0x08, found type 0x0d") != std::string::npos);
    // Extents whose product overflows.
    bytes huge = header(0x0E, {0xFFFFFFFFu, 0xFFFFFFFFu, 0xFFFFFFFFu});
    CHECK(error_of([&] { tg::io::parse_idx(huge); }).find("does not fit") != std::string::npos);
}

#if defined(TYPEGRAD_TEST_ZLIB)
TEST_CASE("gzip-compressed IDX files, as Debian's dataset-fashion-mnist installs them") {
    bytes img = header(0x08, {1, 2, 2});
    for (unsigned char c : {1, 2, 3, 4}) img.push_back(c);
    std::string const path = std::string(TYPEGRAD_TEST_TMP) + "/img.idx.gz";
    gzFile f = gzopen(path.c_str(), "wb");
    REQUIRE(f != nullptr);
    gzwrite(f, img.data(), static_cast<unsigned>(img.size()));
    gzclose(f);
    auto const images = tg::io::read_idx_images_gz(path);
    CHECK(images.count == 1);
    CHECK(images.pixels == bytes{1, 2, 3, 4});
    // An uncompressed file is read as it is.
    CHECK(tg::io::read_idx_images_gz(write_file("plain.idx", img)).pixels == bytes{1, 2, 3, 4});
    // A truncated gzip stream.
    std::ifstream in(path, std::ios::binary);
    bytes gz((std::istreambuf_iterator<char>(in)), std::istreambuf_iterator<char>());
    bytes cut(gz.begin(), gz.begin() + static_cast<std::ptrdiff_t>(gz.size() / 2));
    std::string const cut_path = write_file("cut.idx.gz", cut);
    std::string const m = error_of([&] { tg::io::read_idx_images_gz(cut_path); });
    CHECK(m.find(cut_path) != std::string::npos);
    CHECK(!m.empty());
    CHECK(error_of([&] { tg::io::read_idx_labels_gz("/nonexistent/x.gz"); }).find("cannot be opened") != std::string::npos);
}
#endif
