// tests/fuzz/array_checker.hpp: one fuzz case of the CPU array executor, decoded from bytes
// and checked against an independent oracle. Shared by the libFuzzer target
// (tests/fuzz/array_fuzzer.cpp) and the corpus replay test (tests/hardening/corpus_replay_test.cpp).
//
// The bytes choose:
//   - a call: tg::map (values; values and partials; two outputs), tg::sum / tg::mean with or
//     without tg::gradient_to, and cpu_options::threads (negative ones included);
//   - an expression f(x, y) from a fixed set (one of them does not use y);
//   - input 0, an array of rank 3, and input 1, an array of rank 3 or a number;
//   - every array written (outputs, partials, gradients), each laid out on its own, in the
//     shape the call needs, exactly on an input (in place), an input shifted by a few
//     elements, an input with two axes swapped (a transpose in the same memory), or the same
//     as an earlier array written;
//   - bad arrays: a null pointer, negative extents, negative strides, extents whose product
//     overflows, strides that carry the last element past the address space.
// All arrays that are not bad live in one pool of doubles, so overlaps happen often.
//
// The oracle, written without the executor: the call is valid when every array is well
// formed, the shapes broadcast and every array written has the required shape, no array
// written has two elements at one address or shares an address with another one written,
// and none shares an address with an input unless it is an output (or partial) with exactly
// the input's layout. Then:
//   - invalid: the call must throw std::invalid_argument, and the pool and the scalar
//     gradient must be bit-for-bit unchanged;
//   - valid: the call must not throw; every element written must agree with a naive loop
//     over the inputs as they were before the call (closed-form derivatives), every other
//     element of the pool must be unchanged, and a reduction's value must agree with the
//     naive sum.
#pragma once

#include <algorithm>
#include <array>
#include <cmath>
#include <cstddef>
#include <cstdint>
#include <cstring>
#include <exception>
#include <set>
#include <stdexcept>
#include <string>
#include <tuple>
#include <vector>

#include <typegrad/typegrad.hpp>

namespace typegrad_fuzz {

namespace tg = typegrad;

inline constexpr std::size_t rank = 3;
__extension__ typedef __int128 wide;  // exact arithmetic for the oracle (a GCC and Clang extension)
inline constexpr std::ptrdiff_t pool_size = 256;
using extents = std::array<std::ptrdiff_t, rank>;

/// Reads the fuzzer's bytes; zeros once they run out.
struct byte_reader {
    std::uint8_t const* data;
    std::size_t size;
    std::size_t at = 0;
    std::uint8_t next() { return at < size ? data[at++] : 0; }
};

/// An array as decoded: where it is (an offset into the pool, or null) and its layout.
struct layout {
    bool null = false;
    std::ptrdiff_t offset = 0;
    extents extent{};
    extents stride{};
};

// ---------------------------------------------------------------------------------------
// The expressions, with their partials written by hand.

inline constexpr int expression_count = 5;

struct closed_form {
    double value, dx, dy;
};

inline closed_form evaluate(int e, double x, double y) {
    switch (e) {
        case 0: return {x * y + 2.0, y, x};
        case 1: return {std::sin(x) * y, std::cos(x) * y, std::sin(x)};
        case 2: return {std::exp(0.5 * x) - y * y, 0.5 * std::exp(0.5 * x), -2.0 * y};
        case 3: {
            double const d = 1.0 + y * y;
            return {x / d, 1.0 / d, -2.0 * x * y / (d * d)};
        }
        default: return {std::sin(x) + 1.0, std::cos(x), 0.0};  // y unused: its gradient is zero
    }
}

template <int E>
auto expression() {
    auto [x, y] = tg::vars<2>();
    if constexpr (E == 0)
        return x * y + 2.0;
    else if constexpr (E == 1)
        return sin(x) * y;
    else if constexpr (E == 2)
        return exp(0.5 * x) - y * y;
    else if constexpr (E == 3)
        return x / (1.0 + y * y);
    else {
        (void)y;
        return sin(x) + 1.0;
    }
}

// ---------------------------------------------------------------------------------------
// Decoding.

enum class call_kind { map, map_partials, map_two_outputs, sum, sum_gradient, mean, mean_gradient };
inline constexpr int call_count = 7;

/// Row-major strides (saturated where huge extents would overflow them: such arrays are refused anyway).
inline extents row_major(extents const& e) {
    extents s{};
    std::ptrdiff_t step = 1;
    for (std::size_t d = rank; d-- > 0;) {
        s[d] = step;
        if (__builtin_mul_overflow(step, std::max<std::ptrdiff_t>(e[d], 1), &step)) step = PTRDIFF_MAX;
    }
    return s;
}

/// The offset of the last element (saturated), or -1 for no elements (non-negative extents and strides).
inline std::ptrdiff_t span_of(layout const& l) {
    wide s = 0;
    for (std::size_t d = 0; d < rank; ++d) {
        if (l.extent[d] == 0) return -1;
        s += wide(l.extent[d] - 1) * l.stride[d];
    }
    return s > PTRDIFF_MAX ? PTRDIFF_MAX : static_cast<std::ptrdiff_t>(s);
}

/// Moves (and if need be shrinks) a well-formed layout so that it lies in the pool.
inline void fit_in_pool(layout& l) {
    while (span_of(l) >= pool_size) {
        std::size_t big = 0;
        for (std::size_t d = 1; d < rank; ++d)
            if (wide(l.extent[d]) * std::max<std::ptrdiff_t>(l.stride[d], 1) >
                wide(l.extent[big]) * std::max<std::ptrdiff_t>(l.stride[big], 1))
                big = d;
        l.extent[big] /= 2;
    }
    std::ptrdiff_t const s = std::max<std::ptrdiff_t>(span_of(l), 0);
    l.offset = std::clamp<std::ptrdiff_t>(l.offset, 0, pool_size - 1 - s);
}

/// A layout of its own: mostly well formed, sometimes deliberately bad.
inline layout decode_layout(byte_reader& r, extents const* shape) {
    layout l;
    std::uint8_t const mode = r.next();
    for (std::size_t d = 0; d < rank; ++d) l.extent[d] = shape ? (*shape)[d] : r.next() % 5;
    bool const natural = (mode & 8) == 0;
    l.stride = row_major(l.extent);
    if (!natural)
        for (std::size_t d = 0; d < rank; ++d) l.stride[d] = r.next() % 7;  // 0 included: stretched memory
    l.offset = r.next();
    switch ((mode & 0x30) == 0x30 ? mode % 5 : 5) {  // a quarter of the layouts are bad, in five ways
        case 0: l.null = true; return l;
        case 1: l.extent[r.next() % rank] = -1 - r.next() % 3; return l;
        case 2: {
            std::size_t const d = r.next() % rank;
            l.stride[d] = -1 - r.next() % 3;
            if (l.extent[d] < 2) l.extent[d] = 2;
            l.offset = pool_size - 1;
            return l;
        }
        case 3: {
            std::ptrdiff_t const big[][2] = {{std::ptrdiff_t(1) << 32, std::ptrdiff_t(1) << 32},
                                             {(std::ptrdiff_t(1) << 62) + 1, 4},
                                             {3'000'000'000, 4'000'000'000}};
            auto const& b = big[r.next() % 3];
            l.extent = {b[0], b[1], 1};
            l.stride = {b[1], 1, 1};
            l.offset = 0;
            return l;
        }
        case 4:
            l.extent = {2, 1, 1};
            l.stride = {std::ptrdiff_t(1) << (59 + r.next() % 4), 1, 1};
            return l;
        default: break;
    }
    fit_in_pool(l);
    return l;
}

struct sink_spec {
    layout l;
    bool is_number = false;  // a scalar input's gradient, written to a double
};

/// An array written: of its own, in the required shape, or placed on an input or an earlier sink.
inline layout decode_sink(byte_reader& r, extents const& required, layout const* inputs, std::size_t n_inputs,
                          std::vector<layout> const& earlier) {
    std::uint8_t const mode = r.next() % 8;
    auto input = [&]() -> layout const& { return inputs[r.next() % n_inputs]; };
    switch (mode) {
        case 0: return decode_layout(r, nullptr);
        case 1: return decode_layout(r, &required);
        case 2: return input();  // exactly an input (in place)
        case 3: {                // an input shifted by a few elements
            layout l = input();
            l.offset += static_cast<std::ptrdiff_t>(r.next() % 7) - 3;
            if (l.offset < 0 || l.offset >= pool_size || span_of(l) >= pool_size - l.offset) l.offset = 0;
            return l;
        }
        case 4: {  // an input with two axes swapped (a transpose in the same memory)
            layout l = input();
            std::size_t const a = r.next() % rank, b = (a + 1 + r.next() % (rank - 1)) % rank;
            std::swap(l.extent[a], l.extent[b]);
            std::swap(l.stride[a], l.stride[b]);
            return l;
        }
        case 5:
            if (!earlier.empty()) return earlier[r.next() % earlier.size()];
            return decode_layout(r, &required);
        default: return decode_layout(r, &required);
    }
}

struct fuzz_case {
    call_kind call = call_kind::map;
    int expr = 0;
    int threads = 0;
    layout in0;
    bool y_is_number = false;
    double y_number = 0.0;
    layout in1;
    std::vector<sink_spec> sinks;  // in the order the call takes them
    std::vector<double> pool;
};

// ---------------------------------------------------------------------------------------
// The oracle.

/// NumPy broadcasting of two shapes of rank 3 (or a number, rank 0).
inline bool broadcast_shape(extents const& a, bool b_number, extents const& b, extents& out) {
    for (std::size_t d = 0; d < rank; ++d) {
        std::ptrdiff_t const eb = b_number ? 1 : b[d];
        if (a[d] != eb && a[d] != 1 && eb != 1) return false;
        out[d] = a[d] == 1 ? eb : a[d];
    }
    return true;
}

inline bool is_empty(layout const& l) {
    for (auto e : l.extent)
        if (e == 0) return true;
    return false;
}

/// The pool offsets of every element (a well-formed, non-null, in-pool layout).
inline std::vector<std::ptrdiff_t> offsets(layout const& l) {
    std::vector<std::ptrdiff_t> o;
    if (is_empty(l)) return o;
    for (std::ptrdiff_t i = 0; i < l.extent[0]; ++i)
        for (std::ptrdiff_t j = 0; j < l.extent[1]; ++j)
            for (std::ptrdiff_t k = 0; k < l.extent[2]; ++k)
                o.push_back(l.offset + i * l.stride[0] + j * l.stride[1] + k * l.stride[2]);
    return o;
}

inline bool same_layout(layout const& a, layout const& b) {
    if (a.null != b.null || a.offset != b.offset || a.extent != b.extent) return false;
    for (std::size_t d = 0; d < rank; ++d)
        if (a.extent[d] > 1 && a.stride[d] != b.stride[d]) return false;
    return true;
}

inline bool is_map(call_kind c) {
    return c == call_kind::map || c == call_kind::map_partials || c == call_kind::map_two_outputs;
}

/// Why the call is invalid (see the top of this file), or an empty string when it is valid.
inline std::string invalid_reason(fuzz_case const& c) {
    if (c.threads < 0) return "negative thread count";
    auto const bad = [](layout const& l) -> std::string {
        for (std::size_t d = 0; d < rank; ++d) {
            if (l.extent[d] < 0) return "negative extent";
            if (l.extent[d] > 1 && l.stride[d] < 0) return "negative stride";
        }
        wide n = 1, span = 0;
        for (std::size_t d = 0; d < rank; ++d) {
            n *= l.extent[d];
            if (n > wide(PTRDIFF_MAX)) return is_empty(l) ? "" : "element count overflows";
            if (l.extent[d] > 0) span += wide(l.extent[d] - 1) * l.stride[d];
        }
        if (n == 0) return "";
        if (l.null) return "null data";
        if (span * 8 + 8 > wide(PTRDIFF_MAX / 4)) return "span beyond the address space";
        return "";
    };
    std::string why = bad(c.in0);
    if (why.empty() && !c.y_is_number) why = bad(c.in1);
    for (auto const& s : c.sinks)
        if (why.empty() && !s.is_number) why = bad(s.l);
    if (!why.empty()) return why;
    extents it{};
    if (!broadcast_shape(c.in0.extent, c.y_is_number, c.in1.extent, it)) return "inputs do not broadcast";
    for (std::size_t k = 0; k < c.sinks.size(); ++k) {
        auto const& s = c.sinks[k];
        if (s.is_number) continue;
        extents const& want = is_map(c.call) ? it : (k == 0 ? c.in0.extent : c.in1.extent);
        if (s.l.extent != want) return "sink of the wrong shape";
    }
    std::vector<std::ptrdiff_t> in_offsets[2] = {offsets(c.in0), c.y_is_number ? std::vector<std::ptrdiff_t>{}
                                                                               : offsets(c.in1)};
    layout const* in_layouts[2] = {&c.in0, &c.in1};
    std::set<std::ptrdiff_t> written;
    for (auto const& s : c.sinks) {
        if (s.is_number) continue;
        auto const o = offsets(s.l);
        std::set<std::ptrdiff_t> mine(o.begin(), o.end());
        if (mine.size() != o.size()) return "a sink overlaps itself";
        for (auto a : mine)
            if (written.count(a)) return "two sinks share memory";
        written.insert(mine.begin(), mine.end());
        for (int i = 0; i < (c.y_is_number ? 1 : 2); ++i) {
            bool const shares =
                std::any_of(in_offsets[i].begin(), in_offsets[i].end(), [&](auto a) { return mine.count(a) > 0; });
            if (shares && !(is_map(c.call) && same_layout(s.l, *in_layouts[i])))
                return is_map(c.call) ? "an output partly overlaps an input" : "a gradient overlaps an input";
        }
    }
    return "";
}

inline bool valid(fuzz_case const& c) { return invalid_reason(c).empty(); }

// ---------------------------------------------------------------------------------------
// Running the call.

inline tg::array_ref<double const, rank> input_view(fuzz_case const& c, layout const& l) {
    return {l.null ? nullptr : c.pool.data() + l.offset, l.extent, l.stride};
}
inline tg::array_ref<double, rank> sink_view(fuzz_case& c, layout const& l) {
    return {l.null ? nullptr : c.pool.data() + l.offset, l.extent, l.stride};
}

inline constexpr double scalar_sentinel = 12345.0;

template <int E, class Y>
double run_call(fuzz_case& c, Y const& y, double& scalar_gradient) {
    auto const f = expression<E>();
    tg::cpu_options const o{.threads = c.threads};
    auto const x = input_view(c, c.in0);
    auto sink = [&](std::size_t k) { return sink_view(c, c.sinks[k].l); };
    auto g1 = [&]() -> decltype(auto) {
        if constexpr (std::is_same_v<Y, double>)
            return (scalar_gradient);
        else
            return sink(1);
    };
    switch (c.call) {
        case call_kind::map: tg::map(o, f, sink(0), x, y); return 0;
        case call_kind::map_partials: tg::map(o, f, tg::with_partials(sink(0), sink(1), sink(2)), x, y); return 0;
        case call_kind::map_two_outputs: {
            auto y0 = sink(0), y1 = sink(1);
            tg::map(o, tg::outputs(f, expression<(E + 1) % expression_count>()), std::tie(y0, y1), x, y);
            return 0;
        }
        case call_kind::sum: return tg::sum(o, f, x, y);
        case call_kind::sum_gradient: return tg::sum(o, f, tg::gradient_to(sink(0), g1()), x, y);
        case call_kind::mean: return tg::mean(o, f, x, y);
        case call_kind::mean_gradient: return tg::mean(o, f, tg::gradient_to(sink(0), g1()), x, y);
    }
    return 0;
}

template <int E>
double run_expression(fuzz_case& c, double& scalar_gradient) {
    if (c.y_is_number) return run_call<E>(c, c.y_number, scalar_gradient);
    return run_call<E>(c, input_view(c, c.in1), scalar_gradient);
}

inline double run(fuzz_case& c, double& scalar_gradient) {
    switch (c.expr) {
        case 0: return run_expression<0>(c, scalar_gradient);
        case 1: return run_expression<1>(c, scalar_gradient);
        case 2: return run_expression<2>(c, scalar_gradient);
        case 3: return run_expression<3>(c, scalar_gradient);
        default: return run_expression<4>(c, scalar_gradient);
    }
}

// ---------------------------------------------------------------------------------------
// The whole case.

inline fuzz_case decode(std::uint8_t const* data, std::size_t size) {
    byte_reader r{data, size};
    fuzz_case c;
    c.call = static_cast<call_kind>(r.next() % call_count);
    c.expr = r.next() % expression_count;
    std::uint8_t const t = r.next();
    c.threads = t >= 250 ? -(t - 249) : t % 3;
    c.in0 = decode_layout(r, nullptr);
    std::uint8_t const y = r.next();
    c.y_is_number = y % 4 == 0;
    c.y_number = (static_cast<int>(y) - 128) / 40.0;
    c.in1 = c.y_is_number ? layout{} : decode_layout(r, nullptr);
    extents it{};
    if (!broadcast_shape(c.in0.extent, c.y_is_number, c.in1.extent, it)) it = c.in0.extent;
    layout const inputs[] = {c.in0, c.in1};
    std::size_t const n_inputs = c.y_is_number ? 1 : 2;
    std::vector<layout> earlier;
    auto add = [&](extents const& required) {
        layout const l = decode_sink(r, required, inputs, n_inputs, earlier);
        earlier.push_back(l);
        c.sinks.push_back({l, false});
    };
    switch (c.call) {
        case call_kind::map: add(it); break;
        case call_kind::map_partials: add(it); add(it); add(it); break;
        case call_kind::map_two_outputs: add(it); add(it); break;
        case call_kind::sum_gradient:
        case call_kind::mean_gradient:
            add(c.in0.extent);
            if (c.y_is_number)
                c.sinks.push_back({layout{}, true});
            else
                add(c.in1.extent);
            break;
        default: break;
    }
    // The values last, so that short inputs already choose the layouts.
    c.pool.resize(static_cast<std::size_t>(pool_size));
    for (std::size_t i = 0; i < c.pool.size(); ++i)
        c.pool[i] = (static_cast<int>(r.next()) - 128) / 32.0 + 0.015625 * double(i % 7);
    return c;
}

struct outcome {
    bool ok = true;
    std::string what;
};

inline bool close(double got, double want, double scale) {
    return std::abs(got - want) <= 1e-12 * std::max(1.0, scale);
}

/// Decodes and runs one case, and checks it against the oracle and the naive reference.
inline outcome check(std::uint8_t const* data, std::size_t size) {
    fuzz_case c = decode(data, size);
    bool const expect_valid = valid(c);
    std::vector<double> const before = c.pool;
    double scalar_gradient = scalar_sentinel;
    double value = 0;
    try {
        value = run(c, scalar_gradient);
    } catch (std::invalid_argument const& e) {
        if (expect_valid) return {false, std::string("a valid call was refused: ") + e.what()};
        if (std::memcmp(before.data(), c.pool.data(), before.size() * sizeof(double)) != 0 ||
            std::memcmp(&scalar_gradient, &scalar_sentinel, sizeof(double)) != 0)
            return {false, std::string("a refused call wrote to its arrays: ") + e.what()};
        return {};
    } catch (std::exception const& e) {
        return {false, std::string("an exception other than std::invalid_argument: ") + e.what()};
    }
    if (!expect_valid) return {false, "an invalid call was accepted"};

    // The naive reference, from the inputs as they were before the call.
    extents it{};
    broadcast_shape(c.in0.extent, c.y_is_number, c.in1.extent, it);
    auto at = [&](layout const& l, std::ptrdiff_t i, std::ptrdiff_t j, std::ptrdiff_t k) {
        // The element of l that iteration element (i, j, k) reads (its extent-1 axes stretched).
        std::ptrdiff_t const idx[] = {i, j, k};
        std::ptrdiff_t o = l.offset;
        for (std::size_t d = 0; d < rank; ++d) o += (l.extent[d] == 1 ? 0 : idx[d]) * l.stride[d];
        return o;
    };
    std::vector<double> expected = before;  // every element of the pool, after the call
    std::vector<char> written(before.size(), 0);
    auto put = [&](layout const& l, std::ptrdiff_t i, std::ptrdiff_t j, std::ptrdiff_t k, double v) {
        std::ptrdiff_t const o = at(l, i, j, k);
        expected[static_cast<std::size_t>(o)] = v;
        written[static_cast<std::size_t>(o)] = 1;
    };
    double sum = 0, magnitude = 0;
    std::vector<double> g0(before.size(), 0.0), g1(before.size(), 0.0);  // by input element index
    double g_scalar = 0;
    std::ptrdiff_t const count = it[0] * it[1] * it[2];
    double const scale = c.call == call_kind::mean_gradient || c.call == call_kind::mean ? 1.0 / double(count) : 1.0;
    auto index_of = [&](extents const& e, std::ptrdiff_t i, std::ptrdiff_t j, std::ptrdiff_t k) {
        std::ptrdiff_t const idx[] = {i, j, k};
        std::ptrdiff_t n = 0;
        for (std::size_t d = 0; d < rank; ++d) n = n * e[d] + (e[d] == 1 ? 0 : idx[d]);
        return n;
    };
    for (std::ptrdiff_t i = 0; i < it[0]; ++i)
        for (std::ptrdiff_t j = 0; j < it[1]; ++j)
            for (std::ptrdiff_t k = 0; k < it[2]; ++k) {
                double const x = before[static_cast<std::size_t>(at(c.in0, i, j, k))];
                double const y = c.y_is_number ? c.y_number : before[static_cast<std::size_t>(at(c.in1, i, j, k))];
                closed_form const r = evaluate(c.expr, x, y);
                switch (c.call) {
                    case call_kind::map: put(c.sinks[0].l, i, j, k, r.value); break;
                    case call_kind::map_partials:
                        put(c.sinks[0].l, i, j, k, r.value);
                        put(c.sinks[1].l, i, j, k, r.dx);
                        put(c.sinks[2].l, i, j, k, r.dy);
                        break;
                    case call_kind::map_two_outputs:
                        put(c.sinks[0].l, i, j, k, r.value);
                        put(c.sinks[1].l, i, j, k, evaluate((c.expr + 1) % expression_count, x, y).value);
                        break;
                    default:
                        sum += r.value;
                        magnitude += std::abs(r.value);
                        g0[static_cast<std::size_t>(index_of(c.in0.extent, i, j, k))] += r.dx * scale;
                        if (c.y_is_number)
                            g_scalar += r.dy * scale;
                        else
                            g1[static_cast<std::size_t>(index_of(c.in1.extent, i, j, k))] += r.dy * scale;
                }
            }
    bool const gradient = c.call == call_kind::sum_gradient || c.call == call_kind::mean_gradient;
    if (gradient) {
        // The gradient arrays, element by element in their own index order.
        auto fill = [&](layout const& l, std::vector<double> const& g) {
            for (std::ptrdiff_t i = 0; i < l.extent[0]; ++i)
                for (std::ptrdiff_t j = 0; j < l.extent[1]; ++j)
                    for (std::ptrdiff_t k = 0; k < l.extent[2]; ++k) {
                        std::ptrdiff_t const o = l.offset + i * l.stride[0] + j * l.stride[1] + k * l.stride[2];
                        expected[static_cast<std::size_t>(o)] = g[static_cast<std::size_t>((i * l.extent[1] + j) * l.extent[2] + k)];
                        written[static_cast<std::size_t>(o)] = 1;
                    }
        };
        fill(c.sinks[0].l, g0);
        if (!c.y_is_number) fill(c.sinks[1].l, g1);
    }
    if (!is_map(c.call)) {
        double const want = count == 0 && scale != 1.0 ? std::nan("") : sum * scale;
        bool const ok = std::isnan(want) ? std::isnan(value) : std::abs(value - want) <= 1e-12 * std::max(1.0, magnitude);
        if (!ok) return {false, "the reduction's value " + std::to_string(value) + " differs from " + std::to_string(want)};
        if (gradient && c.y_is_number && !close(scalar_gradient, g_scalar, std::abs(g_scalar) + double(count)))
            return {false, "the scalar gradient " + std::to_string(scalar_gradient) + " differs from " +
                               std::to_string(g_scalar)};
    }
    for (std::size_t q = 0; q < before.size(); ++q) {
        if (!written[q]) {
            if (std::memcmp(&before[q], &c.pool[q], sizeof(double)) != 0)
                return {false, "pool element " + std::to_string(q) + " was written but belongs to no output"};
        } else if (!close(c.pool[q], expected[q], std::abs(expected[q]) + double(count))) {
            return {false, "pool element " + std::to_string(q) + " is " + std::to_string(c.pool[q]) + ", expected " +
                               std::to_string(expected[q])};
        }
    }
    return {};
}

}  // namespace typegrad_fuzz
