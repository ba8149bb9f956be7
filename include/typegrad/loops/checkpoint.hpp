// typegrad/loops/checkpoint.hpp: which states a loop's reverse sweep keeps.
//
// Reverse mode needs the state before each step, last step first. Two policies:
// - tg::checkpoints<S> (the default, S = 64): at most S states are held, on the
//   stack, never on the heap. A loop of n <= S steps stores every state; a longer one
//   is reversed by binomial checkpointing (Griewank's revolve): with c free snapshots
//   and r the least count with C(c + r, c) >= n, the segment is split so that the part
//   reversed first fits C(c - 1 + r, c - 1) steps, recursively. Each step is computed
//   at most about r + 1 times.
// - tg::store_all: every state is stored once, in a buffer each thread keeps for the
//   loop and grows to the largest n it has seen (no allocation after that).
#pragma once

#include <array>
#include <cstddef>
#include <cstdint>
#include <vector>

namespace typegrad {

/// Reverse sweeps of a loop hold at most S states (binomial checkpointing beyond S steps).
template <std::size_t S>
struct checkpoints {
    static_assert(S >= 1, "typegrad: a loop needs at least one checkpoint");
    static constexpr std::size_t snapshots = S;
};

/// Reverse sweeps of a loop store every state (fastest; memory grows with the count).
struct store_all {};

namespace detail {

template <class P>
inline constexpr bool is_loop_policy = false;
template <std::size_t S>
inline constexpr bool is_loop_policy<checkpoints<S>> = true;
template <>
inline constexpr bool is_loop_policy<store_all> = true;

/// C(c + r, c), saturated: the most steps c snapshots reverse with r repetitions.
constexpr std::size_t binomial_reach(std::size_t c, std::size_t r) {
    constexpr std::size_t cap = std::size_t{1} << 62;
    std::size_t b = 1;
    for (std::size_t i = 1; i <= c; ++i) {
        // b = C(r + i, i) = C(r + i - 1, i - 1) * (r + i) / i, exact in this order.
        if (b > cap / (r + i)) return cap;
        b = b * (r + i) / i;
    }
    return b;
}

/// Reverses steps [a, b) starting from the state at a, with `free` snapshots left:
/// advance(s, m) returns s moved m steps on; pull(s, i) runs step i backwards from s.
template <class State, class Advance, class Pull>
void reverse_binomial(std::size_t a, std::size_t b, State const& at_a, std::size_t free, Advance const& advance,
                      Pull const& pull) {
    while (b > a) {
        std::size_t const l = b - a;
        if (l == 1) {
            pull(at_a, a);
            return;
        }
        if (free == 0) {  // recompute from a for every step
            for (std::size_t j = b; j-- > a;) pull(advance(at_a, j - a), j);
            return;
        }
        std::size_t r = 1;
        while (binomial_reach(free, r) < l) ++r;
        std::size_t right = binomial_reach(free - 1, r);
        if (right > l - 1) right = l - 1;
        std::size_t const m = b - right;
        reverse_binomial(m, b, advance(at_a, m - a), free - 1, advance, pull);
        b = m;  // then [a, m) with the same snapshots
    }
}

template <class Policy, class T, std::size_t K>
struct loop_reversal;

template <std::size_t S, class T, std::size_t K>
struct loop_reversal<checkpoints<S>, T, K> {
    using state = std::array<T, K>;
    template <class Owner, class Advance, class Pull>
    static void run(std::size_t n, state const& s0, Advance const& advance, Pull const& pull) {
        if (n <= S) {
            state kept[S];
            kept[0] = s0;
            for (std::size_t i = 1; i < n; ++i) kept[i] = advance(kept[i - 1], 1);
            for (std::size_t i = n; i-- > 0;) pull(kept[i], i);
        } else {
            // One snapshot holds s0 (the caller's); S - 1 are free for the recursion.
            reverse_binomial(0, n, s0, S - 1, advance, pull);
        }
    }
};

template <class T, std::size_t K>
struct loop_reversal<store_all, T, K> {
    using state = std::array<T, K>;
    // One buffer per loop (Owner) and thread: a loop nested in another's body has its own.
    template <class Owner, class Advance, class Pull>
    static void run(std::size_t n, state const& s0, Advance const& advance, Pull const& pull) {
        thread_local std::vector<state> kept;
        if (kept.size() < n) kept.resize(n);
        if (n == 0) return;
        kept[0] = s0;
        for (std::size_t i = 1; i < n; ++i) kept[i] = advance(kept[i - 1], 1);
        for (std::size_t i = n; i-- > 0;) pull(kept[i], i);
    }
};

}  // namespace detail
}  // namespace typegrad
