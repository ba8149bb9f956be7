// typegrad/io/idx_gzip.hpp: IDX files compressed with gzip (as Debian's
// dataset-fashion-mnist installs them), read through zlib.
//
//   auto images = tg::io::read_idx_images_gz("/usr/share/datasets/fashion-mnist/train-images-idx3-ubyte.gz");
//   auto labels = tg::io::read_idx_labels_gz("/usr/share/datasets/fashion-mnist/train-labels-idx1-ubyte.gz");
//
// Needs zlib's header and library (Debian: zlib1g-dev; CMake: find_package(ZLIB) and
// link ZLIB::ZLIB). An uncompressed file is read as it is (zlib passes it through). A
// file that cannot be opened, a damaged or truncated stream raise std::runtime_error
// naming the file; the IDX checks of typegrad/io/idx.hpp then apply to the contents.
#pragma once

#include <string>
#include <vector>

#include <zlib.h>

#include "idx.hpp"

namespace typegrad::io {

/// The decompressed bytes of a gzip file (or the bytes of an uncompressed one).
inline std::vector<unsigned char> read_gzip_bytes(std::string const& path) {
    gzFile f = gzopen(path.c_str(), "rb");
    if (!f) detail::idx_error(path, "cannot be opened");
    std::vector<unsigned char> out;
    unsigned char chunk[1 << 16];
    for (;;) {
        int const n = gzread(f, chunk, sizeof chunk);
        if (n < 0) {
            int code = 0;
            std::string const why = gzerror(f, &code);
            gzclose(f);
            detail::idx_error(path, "gzip stream is damaged (" + why + ")");
        }
        if (n == 0) break;
        out.insert(out.end(), chunk, chunk + n);
    }
    int code = 0;
    char const* why = gzerror(f, &code);
    std::string const message = why ? why : "";
    bool const truncated = code != Z_OK && code != Z_STREAM_END;
    gzclose(f);
    if (truncated) detail::idx_error(path, "gzip stream ends early or is damaged (" + message + ")");
    return out;
}

/// Images from a gzip-compressed IDX file (magic number 0x00000803 once decompressed).
inline idx_images read_idx_images_gz(std::string const& path) { return parse_idx_images(read_gzip_bytes(path), path); }
/// Labels from a gzip-compressed IDX file (magic number 0x00000801 once decompressed).
inline std::vector<unsigned char> read_idx_labels_gz(std::string const& path) {
    return parse_idx_labels(read_gzip_bytes(path), path);
}

}  // namespace typegrad::io
