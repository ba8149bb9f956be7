// typegrad/io/idx.hpp: reading the IDX files of MNIST and Fashion-MNIST.
//
//   auto images = tg::io::read_idx_images("train-images-idx3-ubyte");  // N x rows x cols bytes
//   auto labels = tg::io::read_idx_labels("train-labels-idx1-ubyte");  // N bytes
//   tg::io::idx_array any = tg::io::read_idx(path);                      // any element type and rank
//   std::vector<double> x = tg::io::values<double>(any);                 // decoded (big-endian) and converted
//
// An IDX file is a header and the data: two zero bytes, a type byte (0x08 unsigned byte,
// 0x09 signed byte, 0x0B int16, 0x0C int32, 0x0D float32, 0x0E float64), the number of
// dimensions, then each extent as a big-endian 32-bit integer, then the elements in
// row-major order, big-endian. Everything is checked: the magic number, the type and
// rank the caller expects, that the extents' product fits, and that the data are
// exactly as long as the extents say (a truncated file and trailing bytes are both
// errors). Problems with a file raise std::runtime_error naming the file and saying
// what was expected and what was found; nothing is returned half-read.
//
// The Debian package dataset-fashion-mnist installs the files gzip-compressed
// (/usr/share/datasets/fashion-mnist/*-ubyte.gz); typegrad/io/idx_gzip.hpp reads those
// through zlib (it needs zlib1g-dev and linking -lz), or decompress them with gunzip.
#pragma once

#include <cstddef>
#include <cstdint>
#include <cstring>
#include <fstream>
#include <iterator>
#include <limits>
#include <span>
#include <stdexcept>
#include <string>
#include <type_traits>
#include <vector>

namespace typegrad::io {

/// The element types of IDX files (the third byte of the magic number).
enum class idx_type : std::uint8_t { u8 = 0x08, i8 = 0x09, i16 = 0x0B, i32 = 0x0C, f32 = 0x0D, f64 = 0x0E };

/// Bytes per element of an IDX type.
constexpr std::size_t idx_element_size(idx_type t) {
    switch (t) {
        case idx_type::u8:
        case idx_type::i8: return 1;
        case idx_type::i16: return 2;
        case idx_type::i32:
        case idx_type::f32: return 4;
        case idx_type::f64: return 8;
    }
    return 0;
}

/// An IDX file's contents: type, extents, and the data bytes as stored (big-endian).
struct idx_array {
    idx_type type = idx_type::u8;
    std::vector<std::size_t> extents;
    std::vector<unsigned char> data;
    /// Number of elements (the product of the extents).
    std::size_t size() const { return data.size() / idx_element_size(type); }
};

namespace detail {

[[noreturn]] inline void idx_error(std::string const& what, std::string const& message) {
    throw std::runtime_error("typegrad: IDX file " + what + ": " + message);
}

inline std::uint32_t big_endian32(unsigned char const* p) {
    return (std::uint32_t{p[0]} << 24) | (std::uint32_t{p[1]} << 16) | (std::uint32_t{p[2]} << 8) | std::uint32_t{p[3]};
}

inline bool known_type(unsigned char t) {
    return t == 0x08 || t == 0x09 || t == 0x0B || t == 0x0C || t == 0x0D || t == 0x0E;
}

inline std::string hex(unsigned v) {
    char const* digits = "0123456789abcdef";
    return std::string("0x") + digits[(v >> 4) & 15] + digits[v & 15];
}

}  // namespace detail

/// Parses an IDX file held in memory; `what` names it in error messages.
inline idx_array parse_idx(std::span<unsigned char const> bytes, std::string const& what = "(memory)") {
    using detail::idx_error;
    if (bytes.size() < 4)
        idx_error(what, "truncated: " + std::to_string(bytes.size()) + " bytes, but the magic number alone needs 4");
    if (bytes[0] != 0 || bytes[1] != 0)
        idx_error(what, "not an IDX file: the magic number must start with two zero bytes, found " +
                            detail::hex(bytes[0]) + " " + detail::hex(bytes[1]));
    if (!detail::known_type(bytes[2]))
        idx_error(what, "unknown element type " + detail::hex(bytes[2]) +
                            " (expected 0x08, 0x09, 0x0b, 0x0c, 0x0d or 0x0e)");
    std::size_t const rank = bytes[3];
    if (rank == 0) idx_error(what, "the header gives 0 dimensions (expected at least 1)");
    std::size_t const header = 4 + 4 * rank;
    if (bytes.size() < header)
        idx_error(what, "truncated header: " + std::to_string(bytes.size()) + " bytes, but " + std::to_string(rank) +
                            " dimensions need " + std::to_string(header));
    idx_array r;
    r.type = static_cast<idx_type>(bytes[2]);
    std::size_t const element = idx_element_size(r.type);
    std::size_t count = 1;
    for (std::size_t d = 0; d < rank; ++d) {
        std::size_t const e = detail::big_endian32(bytes.data() + 4 + 4 * d);
        if (e != 0 && count > std::numeric_limits<std::size_t>::max() / e / element)
            idx_error(what, "the extents' product does not fit in memory sizes");
        count *= e;
        r.extents.push_back(e);
    }
    std::size_t const want = count * element;
    std::size_t const have = bytes.size() - header;
    if (have < want)
        idx_error(what, "truncated data: the header's extents need " + std::to_string(want) + " bytes of data, found " +
                            std::to_string(have));
    if (have > want)
        idx_error(what, std::to_string(have - want) + " bytes after the " + std::to_string(want) +
                            " bytes of data the header's extents describe");
    r.data.assign(bytes.begin() + static_cast<std::ptrdiff_t>(header), bytes.end());
    return r;
}

/// The bytes of a whole file (std::runtime_error if it cannot be read).
inline std::vector<unsigned char> read_file_bytes(std::string const& path) {
    std::ifstream in(path, std::ios::binary);
    if (!in) detail::idx_error(path, "cannot be opened");
    std::vector<unsigned char> bytes((std::istreambuf_iterator<char>(in)), std::istreambuf_iterator<char>());
    if (in.bad()) detail::idx_error(path, "could not be read");
    return bytes;
}

/// Reads an IDX file of any type and rank.
inline idx_array read_idx(std::string const& path) { return parse_idx(read_file_bytes(path), path); }

/// An IDX array's elements decoded from big-endian and converted to T, in row-major order.
template <class T>
std::vector<T> values(idx_array const& a) {
    static_assert(std::is_arithmetic_v<T>, "typegrad: tg::io::values<T> converts to a number type");
    std::size_t const n = a.size(), w = idx_element_size(a.type);
    std::vector<T> out(n);
    for (std::size_t i = 0; i < n; ++i) {
        unsigned char const* p = a.data.data() + i * w;
        std::uint64_t bits = 0;
        for (std::size_t b = 0; b < w; ++b) bits = (bits << 8) | p[b];
        switch (a.type) {
            case idx_type::u8: out[i] = static_cast<T>(static_cast<std::uint8_t>(bits)); break;
            case idx_type::i8: out[i] = static_cast<T>(static_cast<std::int8_t>(static_cast<std::uint8_t>(bits))); break;
            case idx_type::i16: out[i] = static_cast<T>(static_cast<std::int16_t>(static_cast<std::uint16_t>(bits))); break;
            case idx_type::i32: out[i] = static_cast<T>(static_cast<std::int32_t>(static_cast<std::uint32_t>(bits))); break;
            case idx_type::f32: {
                auto const u = static_cast<std::uint32_t>(bits);
                float f;
                std::memcpy(&f, &u, sizeof f);
                out[i] = static_cast<T>(f);
                break;
            }
            case idx_type::f64: {
                double f;
                std::memcpy(&f, &bits, sizeof f);
                out[i] = static_cast<T>(f);
                break;
            }
        }
    }
    return out;
}

/// MNIST-style images: `count` images of rows x cols unsigned bytes, row-major.
struct idx_images {
    std::size_t count = 0, rows = 0, cols = 0;
    std::vector<unsigned char> pixels;
};

namespace detail {
inline void expect_shape(idx_array const& a, std::string const& what, idx_type type, std::size_t rank, char const* kind) {
    if (a.type != type)
        idx_error(what, std::string("expected ") + kind + " of element type " + hex(static_cast<unsigned>(type)) +
                            ", found type " + hex(static_cast<unsigned>(a.type)));
    if (a.extents.size() != rank)
        idx_error(what, std::string("expected ") + kind + " with " + std::to_string(rank) + " dimensions, found " +
                            std::to_string(a.extents.size()));
}
}  // namespace detail

/// Images from bytes in memory: type 0x08, 3 dimensions (magic number 0x00000803).
inline idx_images parse_idx_images(std::span<unsigned char const> bytes, std::string const& what = "(memory)") {
    idx_array a = parse_idx(bytes, what);
    detail::expect_shape(a, what, idx_type::u8, 3, "images");
    return {a.extents[0], a.extents[1], a.extents[2], std::move(a.data)};
}
/// Labels from bytes in memory: type 0x08, 1 dimension (magic number 0x00000801).
inline std::vector<unsigned char> parse_idx_labels(std::span<unsigned char const> bytes, std::string const& what = "(memory)") {
    idx_array a = parse_idx(bytes, what);
    detail::expect_shape(a, what, idx_type::u8, 1, "labels");
    return std::move(a.data);
}
/// Images from a file (magic number 0x00000803).
inline idx_images read_idx_images(std::string const& path) { return parse_idx_images(read_file_bytes(path), path); }
/// Labels from a file (magic number 0x00000801).
inline std::vector<unsigned char> read_idx_labels(std::string const& path) {
    return parse_idx_labels(read_file_bytes(path), path);
}

}  // namespace typegrad::io
