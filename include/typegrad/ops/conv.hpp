// typegrad/ops/conv.hpp: tg::conv2d, tg::max_pool2d and tg::avg_pool2d on NCHW arrays.
//
//   tg::conv2d(x, w)                  x (N, C, H, W), kernels w (O, C, KH, KW) -> (N, O, OH, OW)
//   tg::conv2d(x, w, stride, padding) OH = (H + 2 padding - KH) / stride + 1 (rounded down)
//   tg::conv2d(x, w, tg::conv2d_options{.stride_h = 2, .pad_w = 1})  each axis on its own
//   tg::max_pool2d(x, window, stride) x (N, C, H, W) -> (N, C, OH, OW), OH = (H - window) / stride + 1
//   tg::avg_pool2d(x, window, stride) the same with the mean of each window (stride defaults to window)
//
// conv2d is the cross-correlation of deep-learning libraries (the kernel is not
// flipped): y[n,o,i,j] = sum_{c,p,q} w[o,c,p,q] x[n,c, i*s+p-pad, j*s+q-pad], with x taken
// as zero outside its extents (zero padding). A bias per output channel is ordinary
// broadcasting: tg::conv2d(X, W) + tg::reshape(b, O, 1, 1).
//
// Adjoints: xbar[n,c,i*s+p-pad, j*s+q-pad] += w[o,c,p,q] ybar[n,o,i,j] (the transposed
// convolution), wbar[o,c,p,q] += sum_{n,i,j} ybar[n,o,i,j] x[n,c,i*s+p-pad, j*s+q-pad];
// the tangent is conv2d(xdot, w) + conv2d(x, wdot). Each is lowered to matrix products
// per image (im2col): the receptive fields of an image are copied into a matrix of
// (C KH KW) x (OH OW) numbers, taken from the workspace, so that y_n = W fields_n,
// Wbar += ybar_n fields_n^T and xbar_n += col2im(W^T ybar_n), on typegrad's gemm (CBLAS
// when typegrad::blas is linked). benchmarks/conv.cpp measured this 2-10x faster than
// direct loops (which remain for kernels of another element type than the computation's
// or kernels whose last three axes are not one strided axis).
//
// Pooling windows cover the last two axes; rows and columns that do not fill a last
// window are left out, as in PyTorch without ceil_mode. Max pooling's adjoint goes to
// the arg-max of each window; ties go to the first element of the window in row-major
// order, and a NaN wins over every number (the first NaN, so NaN propagates). Average
// pooling's adjoint spreads ybar / (window^2) over the window.
//
// Bad shapes are refused before anything is computed, with a message that names the
// operation and every operand's shape: channels that differ, a kernel larger than the
// padded input, a window larger than the input, a stride below 1 or negative padding.
// Operands of another rank than 4 are refused at compile time.
#pragma once

#include <cmath>
#include <concepts>
#include <cstddef>
#include <string>
#include <type_traits>

#include "array_operation.hpp"
#include "gemm.hpp"

namespace typegrad {

/// Stride and zero padding of tg::conv2d, per spatial axis (rows h, columns w).
struct conv2d_options {
    std::ptrdiff_t stride_h = 1, stride_w = 1;
    std::ptrdiff_t pad_h = 0, pad_w = 0;
};

namespace detail {

/// The output positions j in [lo, hi) whose input column j*s + k - pad lies in [0, n).
struct valid_range {
    std::ptrdiff_t lo, hi;
};
inline valid_range conv_valid(std::ptrdiff_t n, std::ptrdiff_t out, std::ptrdiff_t k, std::ptrdiff_t s,
                              std::ptrdiff_t pad) {
    std::ptrdiff_t const first = pad - k;  // j*s >= first
    std::ptrdiff_t const last = n - 1 + pad - k;  // j*s <= last
    std::ptrdiff_t lo = first <= 0 ? 0 : (first + s - 1) / s;
    std::ptrdiff_t hi = last < 0 ? 0 : last / s + 1;
    if (hi > out) hi = out;
    if (lo > hi) lo = hi;
    return {lo, hi};
}

/// y += conv2d(x, w) for y contiguous-or-strided of the output's shape.
template <class T, class Y, class X, class Wt>
void conv2d_accumulate(Y const& y, X const& x, Wt const& w, conv2d_options const& o) {
    std::ptrdiff_t const N = x.extent[0], C = x.extent[1], H = x.extent[2], Wd = x.extent[3];
    std::ptrdiff_t const O = w.extent[0], KH = w.extent[2], KW = w.extent[3];
    std::ptrdiff_t const OH = y.extent[2], OW = y.extent[3];
    std::ptrdiff_t const sh = o.stride_h, sw = o.stride_w;
    std::ptrdiff_t const xs3 = x.stride[3] * sw, ys3 = y.stride[3];
    for (std::ptrdiff_t n = 0; n < N; ++n)
        for (std::ptrdiff_t oc = 0; oc < O; ++oc) {
            auto* const yo = y.data + n * y.stride[0] + oc * y.stride[1];
            for (std::ptrdiff_t c = 0; c < C; ++c) {
                std::ptrdiff_t const xc = n * x.stride[0] + c * x.stride[1];
                for (std::ptrdiff_t p = 0; p < KH; ++p) {
                    valid_range const rows = conv_valid(H, OH, p, sh, o.pad_h);
                    for (std::ptrdiff_t q = 0; q < KW; ++q) {
                        T const wv = static_cast<T>(w.data[oc * w.stride[0] + c * w.stride[1] + p * w.stride[2] +
                                                           q * w.stride[3]]);
                        valid_range const cols = conv_valid(Wd, OW, q, sw, o.pad_w);
                        for (std::ptrdiff_t i = rows.lo; i < rows.hi; ++i) {
                            auto* const yr = yo + i * y.stride[2];
                            // Offsets stay integers until indexed: x + xr may lie before x's data.
                            std::ptrdiff_t const xr = xc + (i * sh + p - o.pad_h) * x.stride[2] + (q - o.pad_w) * x.stride[3];
                            for (std::ptrdiff_t j = cols.lo; j < cols.hi; ++j)
                                yr[j * ys3] += wv * static_cast<T>(x.data[xr + j * xs3]);
                        }
                    }
                }
            }
        }
}

template <class T, class A>
void fill_zero(A const& a) {
    for_each_offset(a, [&](std::ptrdiff_t off, std::ptrdiff_t) { a.data[off] = T(0); });
}

/// Output extent of a window of k at stride s over n (padded) positions; n >= k.
inline std::ptrdiff_t window_count(std::ptrdiff_t n, std::ptrdiff_t k, std::ptrdiff_t s) { return (n - k) / s + 1; }

}  // namespace detail

namespace ops {

struct conv2d_op {
    static constexpr bool array_operation = true;
    static constexpr char const* name = "conv2d";
    conv2d_options options{};

    template <std::size_t RX, std::size_t RW>
    static consteval std::size_t rank() {
        static_assert(RX == 4, "typegrad: tg::conv2d takes an input of rank 4 (N, C, H, W)");
        static_assert(RW == 4, "typegrad: tg::conv2d takes kernels of rank 4 (O, C, KH, KW)");
        return 4;
    }

    std::string parameters() const {
        auto pair = [](std::ptrdiff_t a, std::ptrdiff_t b) {
            return a == b ? std::to_string(a) : "(" + std::to_string(a) + ", " + std::to_string(b) + ")";
        };
        return "stride=" + pair(options.stride_h, options.stride_w) + ", padding=" + pair(options.pad_h, options.pad_w);
    }

    shape_result shape(dims const& x, dims const& w) const {
        if (options.stride_h < 1 || options.stride_w < 1) return shape_mismatch("the stride must be at least 1");
        if (options.pad_h < 0 || options.pad_w < 0) return shape_mismatch("the padding must not be negative");
        if (x.extent[1] != w.extent[1])
            return shape_mismatch("the input's channels (axis 1 of N, C, H, W) differ from the kernels' (axis 1 of O, C, KH, KW)");
        if (w.extent[2] < 1 || w.extent[3] < 1) return shape_mismatch("the kernels have no rows or no columns");
        std::ptrdiff_t const h = x.extent[2] + 2 * options.pad_h, wd = x.extent[3] + 2 * options.pad_w;
        if (w.extent[2] > h || w.extent[3] > wd)
            return shape_mismatch("the kernel (KH, KW) is larger than the padded input (H + 2 padding, W + 2 padding)");
        return shape_ok(make_dims(x.extent[0], w.extent[0], detail::window_count(h, w.extent[2], options.stride_h),
                                  detail::window_count(wd, w.extent[3], options.stride_w)));
    }

    // ---- direct loops: kernels with another element type or a layout that is not one
    // matrix (O, C KH KW).
    template <class T, class Y, class X, class Wt>
    void direct_value(Y const& y, X const& x, Wt const& w) const {
        detail::fill_zero<T>(y);
        detail::conv2d_accumulate<T>(y, x, w, options);
    }

    template <class T, class B, class X, class Wt, class GX, class GW>
    void direct_vjp(B const& ybar, X const& x, Wt const& w, GX const& gx, GW const& gw) const {
        std::ptrdiff_t const N = x.extent[0], C = x.extent[1], H = x.extent[2], Wd = x.extent[3];
        std::ptrdiff_t const O = w.extent[0], KH = w.extent[2], KW = w.extent[3];
        std::ptrdiff_t const OH = ybar.extent[2], OW = ybar.extent[3];
        std::ptrdiff_t const sh = options.stride_h, sw = options.stride_w, ph = options.pad_h, pw = options.pad_w;
        for (std::ptrdiff_t n = 0; n < N; ++n)
            for (std::ptrdiff_t oc = 0; oc < O; ++oc) {
                T const* const bo = ybar.data + n * ybar.stride[0] + oc * ybar.stride[1];
                for (std::ptrdiff_t c = 0; c < C; ++c)
                    for (std::ptrdiff_t p = 0; p < KH; ++p) {
                        detail::valid_range const rows = detail::conv_valid(H, OH, p, sh, ph);
                        for (std::ptrdiff_t q = 0; q < KW; ++q) {
                            detail::valid_range const cols = detail::conv_valid(Wd, OW, q, sw, pw);
                            std::ptrdiff_t const woff = oc * w.stride[0] + c * w.stride[1] + p * w.stride[2] + q * w.stride[3];
                            if constexpr (wanted<GX>) {  // the transposed convolution, scattered back
                                T const wv = static_cast<T>(w.data[woff]);
                                std::ptrdiff_t const gs = gx.stride[3] * sw;
                                for (std::ptrdiff_t i = rows.lo; i < rows.hi; ++i) {
                                    T const* const br = bo + i * ybar.stride[2];
                                    std::ptrdiff_t const gr = n * gx.stride[0] + c * gx.stride[1] +
                                                              (i * sh + p - ph) * gx.stride[2] + (q - pw) * gx.stride[3];
                                    for (std::ptrdiff_t j = cols.lo; j < cols.hi; ++j)
                                        gx.data[gr + j * gs] += wv * br[j * ybar.stride[3]];
                                }
                            }
                            if constexpr (wanted<GW>) {  // ybar correlated with the input
                                std::ptrdiff_t const xs = x.stride[3] * sw;
                                T acc = T(0);
                                for (std::ptrdiff_t i = rows.lo; i < rows.hi; ++i) {
                                    T const* const br = bo + i * ybar.stride[2];
                                    std::ptrdiff_t const xr = n * x.stride[0] + c * x.stride[1] +
                                                              (i * sh + p - ph) * x.stride[2] + (q - pw) * x.stride[3];
                                    for (std::ptrdiff_t j = cols.lo; j < cols.hi; ++j)
                                        acc += br[j * ybar.stride[3]] * static_cast<T>(x.data[xr + j * xs]);
                                }
                                gw.data[oc * gw.stride[0] + c * gw.stride[1] + p * gw.stride[2] + q * gw.stride[3]] += acc;
                            }
                        }
                    }
            }
        (void)x, (void)w;
    }

    template <class T, class D, class X, class Wt, class TX, class TW>
    void direct_jvp(D const& ydot, X const& x, Wt const& w, TX const& tx, TW const& tw) const {
        detail::fill_zero<T>(ydot);
        if constexpr (wanted<TX>) detail::conv2d_accumulate<T>(ydot, tx, w, options);
        if constexpr (wanted<TW>) detail::conv2d_accumulate<T>(ydot, x, tw, options);
    }

    // ---- im2col + GEMM: per image, the receptive fields as a (C KH KW) x (OH OW) matrix.
    static constexpr bool uses_scratch = true;
    /// Two such matrices: the fields, and their adjoint (vjp) before it is scattered back.
    std::ptrdiff_t scratch(dims const& x, dims const& w) const {
        std::ptrdiff_t const oh = detail::window_count(x.extent[2] + 2 * options.pad_h, w.extent[2], options.stride_h);
        std::ptrdiff_t const ow = detail::window_count(x.extent[3] + 2 * options.pad_w, w.extent[3], options.stride_w);
        return 2 * x.extent[1] * w.extent[2] * w.extent[3] * oh * ow;
    }

    /// Kernels (O, C, KH, KW) as one matrix (O, C KH KW), when their layout allows it.
    template <class T, class A>
    static bool as_kernel_matrix(A const& a, detail::matrix_view<T const>& m) {
        if constexpr (!std::is_same_v<std::remove_const_t<typename A::element_type>, T>) {
            return false;
        } else {
            std::ptrdiff_t unit = 1, span = 1;
            bool first = true;
            for (std::size_t d = 4; d-- > 1;) {
                if (a.extent[d] == 1) continue;
                if (first)
                    unit = a.stride[d], span = a.extent[d], first = false;
                else if (a.stride[d] != unit * span)
                    return false;
                else
                    span *= a.extent[d];
            }
            m = {a.data, a.extent[0], a.extent[1] * a.extent[2] * a.extent[3], a.stride[0], unit};
            return true;
        }
    }

    /// Image n of x (any strides, any element type) as its fields: row (c, p, q), column (i, j).
    template <class T, class X>
    void im2col(T* cols, X const& x, std::ptrdiff_t n, std::ptrdiff_t KH, std::ptrdiff_t KW, std::ptrdiff_t OH,
                std::ptrdiff_t OW) const {
        std::ptrdiff_t const sh = options.stride_h, sw = options.stride_w, ph = options.pad_h, pw = options.pad_w;
        for (std::ptrdiff_t c = 0; c < x.extent[1]; ++c)
            for (std::ptrdiff_t p = 0; p < KH; ++p) {
                detail::valid_range const rows = detail::conv_valid(x.extent[2], OH, p, sh, ph);
                for (std::ptrdiff_t q = 0; q < KW; ++q) {
                    detail::valid_range const cs = detail::conv_valid(x.extent[3], OW, q, sw, pw);
                    T* const field = cols + ((c * KH + p) * KW + q) * OH * OW;
                    for (std::ptrdiff_t i = 0; i < OH; ++i) {
                        T* const r = field + i * OW;
                        if (i < rows.lo || i >= rows.hi) {
                            for (std::ptrdiff_t j = 0; j < OW; ++j) r[j] = T(0);
                            continue;
                        }
                        std::ptrdiff_t const base = n * x.stride[0] + c * x.stride[1] + (i * sh + p - ph) * x.stride[2] +
                                                    (q - pw) * x.stride[3];
                        std::ptrdiff_t const step = sw * x.stride[3];
                        for (std::ptrdiff_t j = 0; j < cs.lo; ++j) r[j] = T(0);
                        for (std::ptrdiff_t j = cs.lo; j < cs.hi; ++j) r[j] = static_cast<T>(x.data[base + j * step]);
                        for (std::ptrdiff_t j = cs.hi; j < OW; ++j) r[j] = T(0);
                    }
                }
            }
    }

    /// The adjoint of im2col: every field entry added back into image n of g.
    template <class T, class G>
    void col2im_add(T const* cols, G const& g, std::ptrdiff_t n, std::ptrdiff_t KH, std::ptrdiff_t KW, std::ptrdiff_t OH,
                    std::ptrdiff_t OW) const {
        std::ptrdiff_t const sh = options.stride_h, sw = options.stride_w, ph = options.pad_h, pw = options.pad_w;
        for (std::ptrdiff_t c = 0; c < g.extent[1]; ++c)
            for (std::ptrdiff_t p = 0; p < KH; ++p) {
                detail::valid_range const rows = detail::conv_valid(g.extent[2], OH, p, sh, ph);
                for (std::ptrdiff_t q = 0; q < KW; ++q) {
                    detail::valid_range const cs = detail::conv_valid(g.extent[3], OW, q, sw, pw);
                    T const* const field = cols + ((c * KH + p) * KW + q) * OH * OW;
                    std::ptrdiff_t const step = sw * g.stride[3];
                    for (std::ptrdiff_t i = rows.lo; i < rows.hi; ++i) {
                        std::ptrdiff_t const base = n * g.stride[0] + c * g.stride[1] + (i * sh + p - ph) * g.stride[2] +
                                                    (q - pw) * g.stride[3];
                        for (std::ptrdiff_t j = cs.lo; j < cs.hi; ++j) g.data[base + j * step] += field[i * OW + j];
                    }
                }
            }
    }

    /// Image n of a result (N, O, OH, OW), contiguous in its last two axes, as a matrix (O, OH OW).
    template <class A>
    static auto image_matrix(A const& a, std::ptrdiff_t n) {
        using E = typename A::element_type;
        return detail::matrix_view<E>{a.data + n * a.stride[0], a.extent[1], a.extent[2] * a.extent[3], a.stride[1], 1};
    }
    template <class A>
    static bool rows_contiguous(A const& a) {
        return (a.extent[3] == 1 || a.stride[3] == 1) && (a.extent[2] == 1 || a.stride[2] == a.extent[3] * a.stride[3]);
    }

    template <class T, std::size_t R, class X, class Wt>
    void value(array_ref<T, R> const& y, X const& x, Wt const& w, T* cols) const {
        detail::matrix_view<T const> wm{};
        if (!as_kernel_matrix<T>(w, wm) || !rows_contiguous(y)) return direct_value<T>(y, x, w);
        std::ptrdiff_t const KH = w.extent[2], KW = w.extent[3], OH = y.extent[2], OW = y.extent[3];
        std::ptrdiff_t const K = wm.cols, P = OH * OW;
        for (std::ptrdiff_t n = 0; n < x.extent[0]; ++n) {
            im2col(cols, x, n, KH, KW, OH, OW);
            detail::gemm<T>(wm, {cols, K, P, P, 1}, image_matrix(y, n), T(0));
        }
    }

    template <class T, std::size_t R, class X, class Wt, class GX, class GW>
    void vjp(array_ref<T const, R> const& ybar, array_ref<T const, R> const&, X const& x, Wt const& w, GX const& gx,
             GW const& gw, T* scratch) const {
        detail::matrix_view<T const> wm{}, gm{};
        bool ok = as_kernel_matrix<T>(w, wm) && rows_contiguous(ybar);
        if constexpr (wanted<GW>) ok = ok && as_kernel_matrix<T>(array_ref<T const, 4>(gw), gm);
        if (!ok) return direct_vjp<T>(ybar, x, w, gx, gw);
        std::ptrdiff_t const KH = w.extent[2], KW = w.extent[3], OH = ybar.extent[2], OW = ybar.extent[3];
        std::ptrdiff_t const K = wm.cols, P = OH * OW;
        T* const cols = scratch;
        T* const dcols = scratch + K * P;
        for (std::ptrdiff_t n = 0; n < x.extent[0]; ++n) {
            auto const yb = image_matrix(ybar, n);
            if constexpr (wanted<GW>) {  // dW += ybar fields^T
                im2col(cols, x, n, KH, KW, OH, OW);
                detail::matrix_view<T> const g{gw.data, gm.rows, gm.cols, gm.rs, gm.cs};
                detail::gemm<T>(yb, detail::matrix_view<T const>{cols, K, P, P, 1}.transposed(), g, T(1));
            }
            if constexpr (wanted<GX>) {  // d fields = W^T ybar, scattered back into the image
                detail::gemm<T>(wm.transposed(), yb, {dcols, K, P, P, 1}, T(0));
                col2im_add(static_cast<T const*>(dcols), gx, n, KH, KW, OH, OW);
            }
        }
    }

    template <class T, std::size_t R, class X, class Wt, class TX, class TW>
    void jvp(array_ref<T, R> const& ydot, array_ref<T const, R> const&, X const& x, Wt const& w, TX const& tx,
             TW const& tw, T* cols) const {
        detail::matrix_view<T const> wm{}, tm{};
        bool ok = as_kernel_matrix<T>(w, wm) && rows_contiguous(ydot);
        if constexpr (wanted<TW>) ok = ok && as_kernel_matrix<T>(tw, tm);
        if (!ok) return direct_jvp<T>(ydot, x, w, tx, tw);
        std::ptrdiff_t const KH = w.extent[2], KW = w.extent[3], OH = ydot.extent[2], OW = ydot.extent[3];
        std::ptrdiff_t const K = wm.cols, P = OH * OW;
        if constexpr (!wanted<TX> && !wanted<TW>) detail::fill_zero<T>(ydot);
        for (std::ptrdiff_t n = 0; n < x.extent[0]; ++n) {
            T beta = T(0);
            if constexpr (wanted<TX>) {  // W fields(xdot)
                im2col(cols, tx, n, KH, KW, OH, OW);
                detail::gemm<T>(wm, {cols, K, P, P, 1}, image_matrix(ydot, n), beta);
                beta = T(1);
            }
            if constexpr (wanted<TW>) {  // Wdot fields(x)
                im2col(cols, x, n, KH, KW, OH, OW);
                detail::gemm<T>(tm, {cols, K, P, P, 1}, image_matrix(ydot, n), beta);
            }
            (void)beta;
        }
    }
};

/// Max (Average = false) or average pooling over the last two axes of an NCHW array.
template <bool Average>
struct pool2d_op {
    static constexpr bool array_operation = true;
    static constexpr char const* name = Average ? "avg_pool2d" : "max_pool2d";
    std::ptrdiff_t window = 2;
    std::ptrdiff_t stride = 2;

    template <std::size_t RX>
    static consteval std::size_t rank() {
        static_assert(RX == 4, "typegrad: tg::max_pool2d and tg::avg_pool2d take an input of rank 4 (N, C, H, W)");
        return 4;
    }

    std::string parameters() const { return "window=" + std::to_string(window) + ", stride=" + std::to_string(stride); }

    shape_result shape(dims const& x) const {
        if (window < 1) return shape_mismatch("the pooling window must be at least 1");
        if (stride < 1) return shape_mismatch("the stride must be at least 1");
        if (window > x.extent[2] || window > x.extent[3])
            return shape_mismatch("the pooling window is larger than the input (H, W)");
        return shape_ok(make_dims(x.extent[0], x.extent[1], detail::window_count(x.extent[2], window, stride),
                                  detail::window_count(x.extent[3], window, stride)));
    }

    /// f(n, c, i, j, offset of the window's first element in x) for every output element.
    template <class Shape, class X, class F>
    void windows(Shape const& y, X const& x, F const& f) const {
        for (std::ptrdiff_t n = 0; n < y.extent[0]; ++n)
            for (std::ptrdiff_t c = 0; c < y.extent[1]; ++c)
                for (std::ptrdiff_t i = 0; i < y.extent[2]; ++i)
                    for (std::ptrdiff_t j = 0; j < y.extent[3]; ++j)
                        f(n, c, i, j, window_base(x, n, c, i, j));
    }

    /// Position p * window + q of the arg-max in the window at `base`: first of ties, first NaN.
    template <class X>
    std::ptrdiff_t arg_max(X const& x, std::ptrdiff_t base) const {
        std::ptrdiff_t best = 0;
        auto bv = x.data[base];
        for (std::ptrdiff_t p = 0; p < window; ++p)
            for (std::ptrdiff_t q = 0; q < window; ++q) {
                auto const v = x.data[base + p * x.stride[2] + q * x.stride[3]];
                using std::isnan;
                if (v > bv || (isnan(v) && !isnan(bv))) {
                    bv = v;
                    best = p * window + q;
                }
            }
        return best;
    }
    /// Offset in a of position k (p * window + q) of the window at `base`.
    template <class A>
    std::ptrdiff_t in_window(A const& a, std::ptrdiff_t base, std::ptrdiff_t k) const {
        return base + (k / window) * a.stride[2] + (k % window) * a.stride[3];
    }
    template <class A>
    std::ptrdiff_t window_base(A const& a, std::ptrdiff_t n, std::ptrdiff_t c, std::ptrdiff_t i, std::ptrdiff_t j) const {
        return n * a.stride[0] + c * a.stride[1] + i * stride * a.stride[2] + j * stride * a.stride[3];
    }

    template <class T, class X>
    T window_sum(X const& x, std::ptrdiff_t base) const {
        T acc = T(0);
        for (std::ptrdiff_t p = 0; p < window; ++p)
            for (std::ptrdiff_t q = 0; q < window; ++q)
                acc += static_cast<T>(x.data[base + p * x.stride[2] + q * x.stride[3]]);
        return acc;
    }

    template <class T, class A>
    static T& out(A const& y, std::ptrdiff_t n, std::ptrdiff_t c, std::ptrdiff_t i, std::ptrdiff_t j) {
        return y.data[n * y.stride[0] + c * y.stride[1] + i * y.stride[2] + j * y.stride[3]];
    }

    template <class T, std::size_t R, class X>
    void value(array_ref<T, R> const& y, X const& x) const {
        T const scale = T(1) / static_cast<T>(window * window);
        windows(y, x, [&](auto n, auto c, auto i, auto j, std::ptrdiff_t base) {
            if constexpr (Average)
                out<T>(y, n, c, i, j) = window_sum<T>(x, base) * scale;
            else
                out<T>(y, n, c, i, j) = static_cast<T>(x.data[in_window(x, base, arg_max(x, base))]);
        });
    }

    template <class T, std::size_t R, class X, class G>
    void vjp(array_ref<T const, R> const& ybar, array_ref<T const, R> const&, X const& x, G const& g) const {
        if constexpr (wanted<G>) {
            T const scale = T(1) / static_cast<T>(window * window);
            windows(ybar, x, [&](auto n, auto c, auto i, auto j, std::ptrdiff_t xbase) {
                T const b = ybar.data[n * ybar.stride[0] + c * ybar.stride[1] + i * ybar.stride[2] + j * ybar.stride[3]];
                std::ptrdiff_t const gbase = window_base(g, n, c, i, j);
                if constexpr (Average) {
                    for (std::ptrdiff_t p = 0; p < window; ++p)
                        for (std::ptrdiff_t q = 0; q < window; ++q) g.data[gbase + p * g.stride[2] + q * g.stride[3]] += b * scale;
                } else {
                    // The arg-max again, found on x (no index was kept by the value pass).
                    g.data[in_window(g, gbase, arg_max(x, xbase))] += b;
                }
            });
        }
    }

    template <class T, std::size_t R, class X, class TX>
    void jvp(array_ref<T, R> const& ydot, array_ref<T const, R> const&, X const& x, TX const& tx) const {
        T const scale = T(1) / static_cast<T>(window * window);
        windows(ydot, x, [&](auto n, auto c, auto i, auto j, std::ptrdiff_t xbase) {
            T& d = out<T>(ydot, n, c, i, j);
            if constexpr (!wanted<TX>) {
                d = T(0);
            } else {
                std::ptrdiff_t const tbase = window_base(tx, n, c, i, j);
                if constexpr (Average)
                    d = window_sum<T>(tx, tbase) * scale;
                else
                    d = tx.data[in_window(tx, tbase, arg_max(x, xbase))];
            }
        });
    }
};

}  // namespace ops

/// 2-D convolution (cross-correlation) of x (N, C, H, W) with kernels w (O, C, KH, KW).
template <class X, class Wt>
    requires(expression<X> && expression<Wt>)
constexpr auto conv2d(X const& x, Wt const& w, conv2d_options const& o = {}) {
    return make_node_with(ops::conv2d_op{o}, x, w);
}
/// The same with one stride and one zero padding for both spatial axes.
template <class X, class Wt, std::integral S, std::integral P = std::ptrdiff_t>
    requires(expression<X> && expression<Wt>)
constexpr auto conv2d(X const& x, Wt const& w, S stride, P padding = 0) {
    auto const s = static_cast<std::ptrdiff_t>(stride), p = static_cast<std::ptrdiff_t>(padding);
    return make_node_with(ops::conv2d_op{conv2d_options{s, s, p, p}}, x, w);
}

/// The maximum of each window x window block of the last two axes, every `stride` positions.
template <class X, std::integral K, std::integral S>
    requires expression<X>
constexpr auto max_pool2d(X const& x, K window, S stride) {
    return make_node_with(ops::pool2d_op<false>{static_cast<std::ptrdiff_t>(window), static_cast<std::ptrdiff_t>(stride)}, x);
}
/// Non-overlapping windows: the stride is the window.
template <class X, std::integral K>
    requires expression<X>
constexpr auto max_pool2d(X const& x, K window) {
    return max_pool2d(x, window, window);
}
/// The mean of each window x window block of the last two axes, every `stride` positions.
template <class X, std::integral K, std::integral S>
    requires expression<X>
constexpr auto avg_pool2d(X const& x, K window, S stride) {
    return make_node_with(ops::pool2d_op<true>{static_cast<std::ptrdiff_t>(window), static_cast<std::ptrdiff_t>(stride)}, x);
}
/// Non-overlapping windows: the stride is the window.
template <class X, std::integral K>
    requires expression<X>
constexpr auto avg_pool2d(X const& x, K window) {
    return avg_pool2d(x, window, window);
}

}  // namespace typegrad
