// typegrad/solvers/pattern.hpp: a residual's Jacobian sparsity pattern, read off its type and
// the data it gathers by, and a colouring of its columns.
//
//   auto F = (tg::take(u, left) + tg::take(u, right) + tg::take(u, up) + tg::take(u, down) - 4.0 * u) + c * exp(u);
//   auto P = tg::solvers::pattern_of(F, n, left, right, up, down, c);   // row i: {i, left[i], ...}
//   auto colours = tg::solvers::colour_columns(P);                       // 5 for that stencil, any n
//
// The unknowns are input 0 (a rank-1 array of n numbers), as in newton and make_system; the
// other inputs are parameters, given as they are given to the residual. pattern_of walks the
// expression and says, for each output entry, which unknowns it reads:
//   - an element-wise operation reads what its operands read (a number or a length-1 operand
//     is broadcast: its one set is read by every entry);
//   - a slice of axis 0 (bounds in the type or run-time bounds) keeps its rows' sets, a
//     concatenation along axis 0 stacks them, tg::take(x, idx) with idx a parameter gathers
//     them by the index data;
//   - anything else of the unknowns (a matrix product, a reduction, a slice of another axis, a
//     take by computed indices) is taken as reading everything its operands read, in every
//     entry: a superset, so the Jacobian read through the pattern stays exact, only denser.
// The pattern is a superset of the true one where values cancel (u - u), never a subset.
//
// colour_columns colours the columns so that no two columns of one colour share a row (a
// greedy colouring of the column intersection graph, in column order: a band of width w gets
// the w colours j mod w). J v_c for the colour vectors v_c then holds every entry of J: row i's
// entry in column j is (J v_{colour(j)})(i).
#pragma once

#include <algorithm>
#include <cstddef>
#include <span>
#include <stdexcept>
#include <string>
#include <tuple>
#include <type_traits>
#include <utility>
#include <vector>

#include "../core/expression.hpp"
#include "../core/let.hpp"
#include "../core/var.hpp"
#include "../exec/arguments.hpp"
#include "../exec/broadcast.hpp"
#include "../ops/array_operation.hpp"
#include "../ops/gather.hpp"
#include "../ops/slice.hpp"
#include "stencil.hpp"  // slice_traits, concat_axis

namespace typegrad::solvers {

/// A sparsity pattern in compressed rows: row i's columns are column[row_start[i] .. row_start[i + 1]),
/// sorted and distinct.
struct sparsity_pattern {
    std::ptrdiff_t rows = 0, cols = 0;
    std::vector<std::ptrdiff_t> row_start{0};
    std::vector<std::ptrdiff_t> column;

    std::ptrdiff_t nonzeros() const { return static_cast<std::ptrdiff_t>(column.size()); }
    bool contains(std::ptrdiff_t i, std::ptrdiff_t j) const {
        if (i < 0 || i >= rows) return false;
        auto const b = column.begin() + row_start[std::size_t(i)], e = column.begin() + row_start[std::size_t(i) + 1];
        return std::binary_search(b, e, j);
    }
};

/// Throws std::invalid_argument unless p is a well-formed pattern (what a caller's own pattern
/// must be before a Jacobian is read through it).
inline void check_pattern(sparsity_pattern const& p) {
    auto bad = [](std::string const& what) {
        throw std::invalid_argument("typegrad::solvers: a sparsity pattern " + what);
    };
    if (p.rows < 0 || p.cols < 0)
        bad("has " + std::to_string(p.rows) + " rows and " + std::to_string(p.cols) + " columns, expected counts >= 0");
    if (p.row_start.size() != std::size_t(p.rows) + 1)
        bad("has " + std::to_string(p.row_start.size()) + " row starts, expected rows + 1 = " + std::to_string(p.rows + 1));
    if (p.row_start.front() != 0 || p.row_start.back() != p.nonzeros())
        bad("has row starts from " + std::to_string(p.row_start.front()) + " to " + std::to_string(p.row_start.back()) +
            ", expected 0 to the number of columns listed, " + std::to_string(p.nonzeros()));
    for (std::ptrdiff_t i = 0; i < p.rows; ++i) {
        std::ptrdiff_t const b = p.row_start[std::size_t(i)], e = p.row_start[std::size_t(i) + 1];
        if (e < b) bad("has row " + std::to_string(i) + " ending before it starts");
        for (std::ptrdiff_t k = b; k < e; ++k) {
            std::ptrdiff_t const j = p.column[std::size_t(k)];
            if (j < 0 || j >= p.cols)
                bad("lists column " + std::to_string(j) + " in row " + std::to_string(i) + ", expected 0 <= column < " +
                    std::to_string(p.cols));
            if (k > b && j <= p.column[std::size_t(k) - 1])
                bad("lists row " + std::to_string(i) + "'s columns out of order or twice, expected them sorted and distinct");
        }
    }
}

/// The pattern of an n x n band: row i reads columns i - lower ... i + upper.
inline sparsity_pattern band_pattern(std::ptrdiff_t n, int lower, int upper) {
    if (n < 0 || lower < 0 || upper < 0)
        throw std::invalid_argument("typegrad::solvers::band_pattern: got n = " + std::to_string(n) + ", lower = " +
                                    std::to_string(lower) + ", upper = " + std::to_string(upper) +
                                    ", expected numbers >= 0");
    sparsity_pattern p;
    p.rows = p.cols = n;
    p.row_start.assign(std::size_t(n) + 1, 0);
    for (std::ptrdiff_t i = 0; i < n; ++i) {
        for (std::ptrdiff_t j = std::max<std::ptrdiff_t>(0, i - lower); j <= std::min(n - 1, i + upper); ++j)
            p.column.push_back(j);
        p.row_start[std::size_t(i) + 1] = p.nonzeros();
    }
    return p;
}

/// A colouring of a pattern's columns: no two columns of one colour share a row.
struct column_colouring {
    int count = 0;
    std::vector<int> colour;  // one per column
};

/// Greedy colouring in column order (see the header comment).
inline column_colouring colour_columns(sparsity_pattern const& p) {
    check_pattern(p);
    // The rows of each column (the transpose), to find the columns that share a row with j.
    std::vector<std::ptrdiff_t> col_start(std::size_t(p.cols) + 1, 0), row_of(p.column.size());
    for (std::ptrdiff_t j : p.column) ++col_start[std::size_t(j) + 1];
    for (std::size_t j = 0; j < std::size_t(p.cols); ++j) col_start[j + 1] += col_start[j];
    {
        std::vector<std::ptrdiff_t> at(col_start.begin(), col_start.end() - 1);
        for (std::ptrdiff_t i = 0; i < p.rows; ++i)
            for (std::ptrdiff_t k = p.row_start[std::size_t(i)]; k < p.row_start[std::size_t(i) + 1]; ++k)
                row_of[std::size_t(at[std::size_t(p.column[std::size_t(k)])]++)] = i;
    }
    column_colouring c;
    c.colour.assign(std::size_t(p.cols), -1);
    std::vector<std::ptrdiff_t> taken_by;  // taken_by[colour] == j: a neighbour of j has it
    for (std::ptrdiff_t j = 0; j < p.cols; ++j) {
        for (std::ptrdiff_t r = col_start[std::size_t(j)]; r < col_start[std::size_t(j) + 1]; ++r) {
            std::ptrdiff_t const i = row_of[std::size_t(r)];
            for (std::ptrdiff_t k = p.row_start[std::size_t(i)]; k < p.row_start[std::size_t(i) + 1]; ++k) {
                int const ck = c.colour[std::size_t(p.column[std::size_t(k)])];
                if (ck >= 0) taken_by[std::size_t(ck)] = j;
            }
        }
        int pick = 0;
        while (pick < c.count && taken_by[std::size_t(pick)] == j) ++pick;
        if (pick == c.count) {
            ++c.count;
            taken_by.push_back(-1);
        }
        c.colour[std::size_t(j)] = pick;
    }
    return c;
}

namespace detail {

/// What a subexpression reads of the unknowns: per entry (rank 1, `rows`), or one set that
/// every entry reads (`columns` only).
struct reads {
    dims shape{};
    bool depends = false;
    bool per_row = false;
    std::vector<std::ptrdiff_t> start, columns;  // per_row: CSR over shape.extent[0] rows

    std::ptrdiff_t length() const { return shape.rank == 0 ? 1 : shape.extent[0]; }
    // Row i's columns (a uniform set for every i).
    std::pair<std::ptrdiff_t const*, std::ptrdiff_t const*> row(std::ptrdiff_t i) const {
        if (!per_row) return {columns.data(), columns.data() + columns.size()};
        return {columns.data() + start[std::size_t(i)], columns.data() + start[std::size_t(i) + 1]};
    }
};

inline void sort_unique(std::vector<std::ptrdiff_t>& v, std::size_t from) {
    std::sort(v.begin() + std::ptrdiff_t(from), v.end());
    v.erase(std::unique(v.begin() + std::ptrdiff_t(from), v.end()), v.end());
}

// Every column any entry of the parts reads, as one set that every entry reads.
inline reads uniform(dims const& shape, std::span<reads const> parts) {
    reads r;
    r.shape = shape;
    for (auto const& p : parts) {
        r.depends = r.depends || p.depends;
        r.columns.insert(r.columns.end(), p.columns.begin(), p.columns.end());
    }
    sort_unique(r.columns, 0);
    return r;
}

// Row by row, over a rank-1 result that depends on the unknowns: row i reads the union of
// row_of(k, i) for k < count (a [begin, end) pair of columns each).
template <class RowOf>
reads by_rows(dims const& shape, std::size_t count, RowOf row_of) {
    reads r;
    r.shape = shape;
    r.depends = r.per_row = true;
    std::ptrdiff_t const n = shape.extent[0];
    r.start.assign(std::size_t(n) + 1, 0);
    for (std::ptrdiff_t i = 0; i < n; ++i) {
        std::size_t const from = r.columns.size();
        for (std::size_t k = 0; k < count; ++k) {
            auto const [b, e] = row_of(k, i);
            r.columns.insert(r.columns.end(), b, e);
        }
        sort_unique(r.columns, from);
        r.start[std::size_t(i) + 1] = std::ptrdiff_t(r.columns.size());
    }
    return r;
}

[[noreturn]] inline void pattern_shape_error(char const* op, char const* why) {
    throw std::invalid_argument(std::string("typegrad::solvers::pattern_of: ") + op + ": " + why);
}

template <class Op>
constexpr bool slices_axis_0() {
    if constexpr (slice_traits<Op>::is)
        return slice_traits<Op>::axis == 0;
    else
        return false;
}

template <class E, class In>
reads reads_of(E const& e, In const& in);

template <class Op, class In, class... Cs, std::size_t... I>
reads node_reads(node<Op, Cs...> const& e, In const& in, std::index_sequence<I...>) {
    reads const parts[] = {reads_of(e.template child<I>(), in)...};
    std::span<reads const> const all(parts);
    bool const any = (parts[I].depends || ...);
    Op const op = e.operation();

    if constexpr (!array_operation<Op>) {
        // Element-wise (a let included): broadcast shapes; by rows when the result has rank 1.
        dims shape{};
        for (auto const& p : parts)
            if (!try_broadcast(shape, p.shape, shape)) pattern_shape_error("an element-wise operation", "operands of shapes that do not broadcast");
        if (!any || shape.rank != 1) return uniform(shape, all);
        return by_rows(shape, all.size(), [&](std::size_t k, std::ptrdiff_t i) {
            return parts[k].row(parts[k].per_row && parts[k].length() > 1 ? i : 0);
        });
    } else {
        dims shape{};
        if constexpr (requires { op.shape(parts[I].shape...); }) {
            shape_result const s = op.shape(parts[I].shape...);
            if (s.error) pattern_shape_error(Op::name, s.error);
            shape = s.shape;
        } else
            pattern_shape_error(Op::name, "the operation's shape cannot be computed from its operands' shapes alone");
        if (!any) return uniform(shape, all);
        if constexpr (slices_axis_0<Op>()) {
            reads const& x = parts[0];
            if (!x.per_row) return uniform(shape, all);
            std::ptrdiff_t const b = typegrad::detail::resolve_bound(op.begin, x.length());
            return by_rows(shape, 1, [&](std::size_t, std::ptrdiff_t i) { return x.row(b + i); });
        } else if constexpr (concat_axis<Op> == 0) {
            if (shape.rank != 1) return uniform(shape, all);
            // Entry i comes from the part whose rows cover it.
            std::vector<std::ptrdiff_t> first(sizeof...(I) + 1, 0);
            for (std::size_t k = 0; k < sizeof...(I); ++k) first[k + 1] = first[k] + parts[k].length();
            return by_rows(shape, 1, [&](std::size_t, std::ptrdiff_t i) {
                std::size_t k = 0;
                while (i >= first[k + 1]) ++k;
                return parts[k].row(i - first[k]);
            });
        } else if constexpr (std::is_same_v<Op, ops::take_op>) {
            using Idx = std::tuple_element_t<1, std::tuple<Cs...>>;
            reads const& x = parts[0];
            if constexpr (is_var<Idx>::value) {
                auto const& idx = std::get<Idx::slot>(in);
                if constexpr (std::is_integral_v<std::remove_const_t<typename std::remove_cvref_t<decltype(idx)>::element_type>>) {
                    if (shape.rank == 1 && x.per_row) {
                        return by_rows(shape, 1, [&](std::size_t, std::ptrdiff_t q) {
                            auto const v = std::ptrdiff_t(idx.data[q * idx.stride[0]]);
                            if (v < 0 || v >= x.length()) pattern_shape_error("take", "an index is out of range (0 <= index < rows)");
                            return x.row(v);
                        });
                    }
                }
            }
            return uniform(shape, all);
        } else {
            return uniform(shape, all);
        }
    }
}

template <class E, class In>
reads reads_of(E const& e, In const& in) {
    if constexpr (is_var<E>::value) {
        reads r;
        auto const& x = std::get<E::slot>(in);
        r.shape.rank = std::remove_cvref_t<decltype(x)>::rank;
        for (std::size_t d = 0; d < r.shape.rank; ++d) r.shape.extent[d] = x.extent[d];
        if constexpr (E::slot == 0) {
            // The unknowns: entry i reads unknown i.
            std::ptrdiff_t const n = r.shape.extent[0];
            r.depends = r.per_row = true;
            r.start.resize(std::size_t(n) + 1);
            r.columns.resize(std::size_t(n));
            for (std::ptrdiff_t i = 0; i <= n; ++i) r.start[std::size_t(i)] = i;
            for (std::ptrdiff_t i = 0; i < n; ++i) r.columns[std::size_t(i)] = i;
        }
        return r;
    } else if constexpr (leaf<E>) {
        return reads{};  // a number
    } else {
        return node_reads(e, in, std::make_index_sequence<E::arity>{});
    }
}

}  // namespace detail

/// The sparsity pattern of dF/dx (n x n; x is input 0, of n numbers) from F's type and the
/// parameters' data; see the header comment. Throws std::invalid_argument when F's result is
/// not n numbers, or when shapes disagree (as the residual itself would).
template <class F, class... Params>
sparsity_pattern pattern_of(F const& f, std::ptrdiff_t n, Params const&... params) {
    static_assert(expression<F>, "typegrad::solvers::pattern_of reads the pattern of an expression");
    if (n < 0)
        throw std::invalid_argument("typegrad::solvers::pattern_of: n = " + std::to_string(n) + ", expected n >= 0");
    array_ref<double const, 1> const x{nullptr, {n}, {1}};  // shape only: the walk reads no unknown
    auto const in = std::tuple{x, typegrad::detail::to_input(params)...};
    detail::reads const r = detail::reads_of(f, in);
    sparsity_pattern p;
    p.rows = p.cols = n;
    if (r.shape.rank > 1 || (r.shape.rank == 1 && r.shape.extent[0] != n)) {
        dims expected{};
        expected.rank = 1;
        expected.extent[0] = n;
        throw std::invalid_argument("typegrad::solvers::pattern_of: the residual has shape " + to_string(r.shape) +
                                    ", expected " + to_string(expected) + " (one entry per unknown)");
    }
    p.row_start.assign(std::size_t(n) + 1, 0);
    for (std::ptrdiff_t i = 0; i < n; ++i) {
        auto const [b, e] = r.row(r.per_row ? i : 0);
        p.column.insert(p.column.end(), b, e);
        p.row_start[std::size_t(i) + 1] = p.nonzeros();
    }
    return p;
}

}  // namespace typegrad::solvers
