// typegrad/io/bal.hpp: reading and writing bundle-adjustment problems in the BAL text format.
//
//   tg::io::bal_problem p = tg::io::read_bal_file("problem-49-7776-pre.txt");
//   double* camera = p.camera(p.observations[0].camera);   // 9 numbers
//   double* point = p.point(p.observations[0].point);      // 3 numbers
//   tg::io::write_bal(std::cout, p);
//
// The format (Agarwal, Snavely, Seitz, Szeliski, "Bundle Adjustment in the Large"), numbers
// separated by white space: `num_cameras num_points num_observations`; then one line per
// observation, `camera_index point_index x y`; then 9 numbers per camera (angle-axis rotation
// 3, translation 3, focal length, radial distortion k1, k2); then 3 per point. Every item is
// checked: counts non-negative integers, indices integers within the counts, parameters finite
// numbers, nothing missing and nothing after the last point. A problem raises
// std::runtime_error naming the source, the line, the item expected and what was found; nothing
// is returned half-read. No dependency beyond the standard library (no Ceres).
#pragma once

#include <charconv>
#include <cmath>
#include <cstddef>
#include <cstdint>
#include <fstream>
#include <iterator>
#include <ostream>
#include <stdexcept>
#include <string>
#include <string_view>
#include <vector>

namespace typegrad::io {

/// One observation: point `point` seen by camera `camera` at image coordinates (x, y).
struct bal_observation {
    std::size_t camera = 0;
    std::size_t point = 0;
    double x = 0.0;
    double y = 0.0;
};

/// A BAL problem: observations, then 9 parameters per camera and 3 per point, contiguous.
struct bal_problem {
    static constexpr std::size_t camera_size = 9;
    static constexpr std::size_t point_size = 3;

    std::vector<bal_observation> observations;
    std::vector<double> cameras;  // camera i at [9 i, 9 i + 9)
    std::vector<double> points;   // point j at [3 j, 3 j + 3)

    std::size_t num_cameras() const { return cameras.size() / camera_size; }
    std::size_t num_points() const { return points.size() / point_size; }
    double* camera(std::size_t i) { return cameras.data() + camera_size * i; }
    double const* camera(std::size_t i) const { return cameras.data() + camera_size * i; }
    double* point(std::size_t j) { return points.data() + point_size * j; }
    double const* point(std::size_t j) const { return points.data() + point_size * j; }
};

namespace detail {

// Built with append: g++ 12 warns (-Wrestrict, a false positive) on "'" + std::string(...).
inline std::string quoted(std::string_view t) {
    std::string q(1, '\'');
    q.append(t);
    q.push_back('\'');
    return q;
}

inline std::string nth(char const* what, std::size_t i) { return std::string(what) + " " + std::to_string(i); }

// White-space separated tokens with the line each starts on.
class bal_tokens {
public:
    bal_tokens(std::string_view text, std::string source) : text_(text), source_(std::move(source)) {}

    // The next token, or an error naming `item` when the text has ended.
    std::string_view next(std::string const& item) {
        skip_space();
        if (pos_ == text_.size()) fail(item, "the end of the file");
        std::size_t const start = pos_;
        while (pos_ < text_.size() && !is_space(text_[pos_])) ++pos_;
        return text_.substr(start, pos_ - start);
    }

    // A non-negative integer no larger than `limit` (an index below a count, or a count).
    std::size_t integer(std::string const& item, std::uint64_t limit) {
        std::string_view const t = next(item);
        std::uint64_t v = 0;
        auto const [end, ec] = std::from_chars(t.data(), t.data() + t.size(), v);
        if (t.front() == '-' || ec != std::errc{} || end != t.data() + t.size()) fail(item, quoted(t));
        if (v > limit) fail(item, quoted(t) + " (above " + std::to_string(limit) + ")");
        return static_cast<std::size_t>(v);
    }

    // A finite number.
    double number(std::string const& item) {
        std::string_view t = next(item);
        std::string_view const whole = t;
        if (!t.empty() && t.front() == '+') t.remove_prefix(1);  // from_chars refuses a leading '+'
        double v = 0.0;
        auto const [end, ec] = std::from_chars(t.data(), t.data() + t.size(), v);
        if (ec != std::errc{} || end != t.data() + t.size() || !std::isfinite(v))
            fail(item, quoted(whole));
        return v;
    }

    // Anything left but white space is an error.
    void expect_end() {
        skip_space();
        if (pos_ < text_.size()) {
            std::size_t end = pos_;
            while (end < text_.size() && !is_space(text_[end]) && end - pos_ < 20) ++end;
            fail("the end of the file after the last point", quoted(text_.substr(pos_, end - pos_)));
        }
    }

    [[noreturn]] void fail(std::string const& item, std::string const& found) const {
        throw std::runtime_error("typegrad: BAL file " + source_ + ", line " + std::to_string(line_) + ": expected " +
                                 item + ", found " + found);
    }

private:
    static bool is_space(char c) { return c == ' ' || c == '\t' || c == '\n' || c == '\r' || c == '\v' || c == '\f'; }
    void skip_space() {
        while (pos_ < text_.size() && is_space(text_[pos_])) {
            if (text_[pos_] == '\n') ++line_;
            ++pos_;
        }
    }

    std::string_view text_;
    std::string source_;
    std::size_t pos_ = 0;
    std::size_t line_ = 1;
};

}  // namespace detail

/// Parses BAL text; `source` names it in error messages (a file name, "<string>").
inline bal_problem parse_bal(std::string_view text, std::string source = "<string>") {
    detail::bal_tokens in(text, std::move(source));
    // Counts are bounded so that 9 * count cannot overflow and a corrupt header cannot ask for
    // more memory than any BAL file on disk could fill (each item takes at least two bytes).
    std::uint64_t const limit = text.size() / 2 + 1;
    std::size_t const nc = in.integer("the number of cameras (a non-negative integer)", limit);
    std::size_t const np = in.integer("the number of points (a non-negative integer)", limit);
    std::size_t const no = in.integer("the number of observations (a non-negative integer)", limit);
    if (no > 0 && (nc == 0 || np == 0))
        in.fail("no observations (the file has no cameras or no points)", std::to_string(no) + " observations");
    bal_problem p;
    p.observations.resize(no);
    for (std::size_t k = 0; k < no; ++k) {
        bal_observation& o = p.observations[k];
        o.camera = in.integer(detail::nth("observation", k) + "'s camera index (an integer in [0, " +
                                  std::to_string(nc - 1) + "])",
                              nc - 1);
        o.point = in.integer(detail::nth("observation", k) + "'s point index (an integer in [0, " +
                                 std::to_string(np - 1) + "])",
                             np - 1);
        o.x = in.number(detail::nth("observation", k) + "'s x (a number)");
        o.y = in.number(detail::nth("observation", k) + "'s y (a number)");
    }
    p.cameras.resize(bal_problem::camera_size * nc);
    for (std::size_t i = 0; i < p.cameras.size(); ++i)
        p.cameras[i] = in.number(detail::nth("camera", i / bal_problem::camera_size) + "'s parameter " +
                                 std::to_string(i % bal_problem::camera_size) + " (a number)");
    p.points.resize(bal_problem::point_size * np);
    for (std::size_t i = 0; i < p.points.size(); ++i)
        p.points[i] = in.number(detail::nth("point", i / bal_problem::point_size) + "'s coordinate " +
                                std::to_string(i % bal_problem::point_size) + " (a number)");
    in.expect_end();
    return p;
}

/// Reads a BAL file (the uncompressed text; the published problems are bzip2-compressed).
inline bal_problem read_bal_file(std::string const& path) {
    std::ifstream f(path, std::ios::binary);
    if (!f) throw std::runtime_error("typegrad: BAL file " + path + ": cannot be opened");
    std::string const text((std::istreambuf_iterator<char>(f)), std::istreambuf_iterator<char>());
    if (f.bad()) throw std::runtime_error("typegrad: BAL file " + path + ": reading failed");
    return parse_bal(text, path);
}

/// Writes p in the BAL format, with 17 significant digits (it reads back to the same numbers).
inline void write_bal(std::ostream& out, bal_problem const& p) {
    if (p.cameras.size() % bal_problem::camera_size != 0 || p.points.size() % bal_problem::point_size != 0)
        throw std::invalid_argument("typegrad: write_bal: expected 9 numbers per camera and 3 per point, found " +
                                    std::to_string(p.cameras.size()) + " camera and " +
                                    std::to_string(p.points.size()) + " point numbers");
    for (std::size_t k = 0; k < p.observations.size(); ++k) {
        auto const& o = p.observations[k];
        if (o.camera >= p.num_cameras() || o.point >= p.num_points())
            throw std::invalid_argument("typegrad: write_bal: observation " + std::to_string(k) +
                                        " refers to camera " + std::to_string(o.camera) + " and point " +
                                        std::to_string(o.point) + ", expected indices below " +
                                        std::to_string(p.num_cameras()) + " and " + std::to_string(p.num_points()));
    }
    auto const flags = out.flags();
    auto const precision = out.precision(17);
    out << p.num_cameras() << ' ' << p.num_points() << ' ' << p.observations.size() << '\n';
    for (auto const& o : p.observations) out << o.camera << ' ' << o.point << ' ' << o.x << ' ' << o.y << '\n';
    for (double c : p.cameras) out << c << '\n';
    for (double x : p.points) out << x << '\n';
    out.precision(precision);
    out.flags(flags);
}

}  // namespace typegrad::io
