// typegrad/loops/checkpoint.hpp: which states a loop's reverse sweep keeps.
//
// Reverse mode needs the state before each step, last step first. Two policies:
// - tg::checkpoints<S> (the default, S = 64): at most S + 1 states are held (S snapshots
//   and a spare), on the stack, never on the heap. A loop of n <= S steps stores every state; a longer one
//   is reversed by binomial checkpointing (Griewank's revolve): with c free snapshots
//   and r the least count with C(c + r, c) >= n, the segment is split so that the part
//   reversed first fits C(c - 1 + r, c - 1) steps, recursively. Each step is computed
//   at most about r + 1 times.
// - tg::store_all: every state is stored once, by the value pass, in a buffer each thread
//   keeps for the loop and grows to the largest n it has seen (no allocation after that);
//   the reverse step reuses them when it starts from the same numbers.
#pragma once

#include <array>
#include <cstddef>
#include <cstdint>
#include <vector>

namespace typegrad {

/// Reverse sweeps of a loop hold at most S + 1 states (binomial checkpointing beyond S steps).
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

/// The least r with C(c + r, c) >= l, and C(c - 1 + r, c - 1): the repetitions that c
/// snapshots need for l steps, and the most steps the part reversed first may have. Each
/// coefficient follows from the last with one multiplication and one division.
struct binomial_split {
    std::size_t repetitions;
    std::size_t right;
};
constexpr binomial_split split_for(std::size_t c, std::size_t l) {
    constexpr std::size_t cap = std::size_t{1} << 62;
    std::size_t r = 1, b = c + 1;  // b = C(c + r, r)
    while (b < l) {
        ++r;
        if (b > cap / (c + r)) {
            b = cap;
            break;
        }
        b = b * (c + r) / r;
    }
    // C(c - 1 + r, r) = C(c + r, r) c / (c + r), exact; saturated b only overstates it.
    std::size_t const right = b == cap ? l - 1 : b / (c + r) * c + (b % (c + r)) * c / (c + r);
    return {r, right};
}

/// Reverses steps [a, b) from the state in `slot`, with `free` snapshot slots above it (and
/// one spare above those): advance(from, to, m) puts slot from's state moved m steps on into
/// slot to; pull(slot, i) runs step i backwards from the state in that slot. States live in
/// numbered slots, so a scalar state (a small array) and an array state (a buffer) share it.
template <class Advance, class Pull>
void reverse_slots(std::size_t a, std::size_t b, std::size_t slot, std::size_t free, Advance const& advance,
                   Pull const& pull) {
    while (b > a) {
        std::size_t const l = b - a;
        if (l == 1) {
            pull(slot, a);
            return;
        }
        if (free == 0) {  // recompute from a for every step, in the spare slot
            for (std::size_t j = b; j-- > a;) {
                if (j == a)
                    pull(slot, a);
                else {
                    advance(slot, slot + 1, j - a);
                    pull(slot + 1, j);
                }
            }
            return;
        }
        std::size_t right = split_for(free, l).right;
        if (right > l - 1) right = l - 1;
        std::size_t const m = b - right;
        advance(slot, slot + 1, m - a);
        reverse_slots(m, b, slot + 1, free - 1, advance, pull);
        b = m;  // then [a, m) with the same snapshots
    }
}

/// Reverses n steps from the state in slot 0 with S + 1 slots: every state in its own slot
/// when n <= S, else binomial checkpointing with S - 1 free snapshots and a spare.
template <std::size_t S, class Advance, class Pull>
void reverse_in_slots(std::size_t n, Advance const& advance, Pull const& pull) {
    if (n <= S) {
        for (std::size_t i = 1; i < n; ++i) advance(i - 1, i, 1);
        for (std::size_t i = n; i-- > 0;) pull(i, i);
    } else {
        reverse_slots(0, n, 0, S - 1, advance, pull);
    }
}

template <class Policy, class T, std::size_t K>
struct loop_reversal;

template <std::size_t S, class T, std::size_t K>
struct loop_reversal<checkpoints<S>, T, K> {
    using state = std::array<T, K>;
    static constexpr bool keeps_states = false;
    template <class Owner, class Advance, class Pull>
    static void run(std::size_t n, state const& s0, Advance const& advance, Pull const& pull, T const*, std::size_t) {
        state slots[S + 1];
        slots[0] = s0;
        reverse_in_slots<S>(
            n, [&](std::size_t from, std::size_t to, std::size_t m) { slots[to] = advance(slots[from], m); },
            [&](std::size_t slot, std::size_t i) { pull(slots[slot], i); });
    }
};

/// The states a store_all loop's value pass kept, with the numbers it started from: one
/// record per loop (Owner) and thread, so a loop nested in another's body has its own. The
/// reverse step reuses them when it starts from the same numbers (exactly), as it does
/// right after the value pass of the same call; else it runs the loop forward again.
template <class Owner, class T, std::size_t K>
struct kept_states {
    std::vector<std::array<T, K>> states;
    std::vector<T> key;
    std::size_t steps = 0;  // a while loop's count
    bool valid = false;
    static kept_states& here() {
        thread_local kept_states k;
        return k;
    }
    bool matches(T const* start, std::size_t m) const {
        if (!valid || key.size() != m) return false;
        for (std::size_t i = 0; i < m; ++i)
            if (!(key[i] == start[i])) return false;  // a NaN never matches: recompute
        return true;
    }
};

template <class T, std::size_t K>
struct loop_reversal<store_all, T, K> {
    using state = std::array<T, K>;
    static constexpr bool keeps_states = true;
    template <class Owner, class Advance, class Pull>
    static void run(std::size_t n, state const& s0, Advance const& advance, Pull const& pull, T const* start,
                    std::size_t m) {
        auto& kept = kept_states<Owner, T, K>::here();
        if (!kept.matches(start, m) || kept.states.size() < n) {
            kept.valid = false;
            if (kept.states.size() < n) kept.states.resize(n);
            if (n > 0) kept.states[0] = s0;
            for (std::size_t i = 1; i < n; ++i) kept.states[i] = advance(kept.states[i - 1], 1);
        }
        for (std::size_t i = n; i-- > 0;) pull(kept.states[i], i);
    }
};

}  // namespace detail
}  // namespace typegrad
