// typegrad/mpi/signature.hpp: the shapes of a call's sinks as one number, and in words.
//
// Ranks that disagree on the shapes of what they sum would make MPI add unrelated
// numbers, or wait for a message that never comes. A call's signature (the kind, rank and
// extents of every sink) is hashed into one 62-bit number that a small collective compares
// (exec: MPI_MIN of the hash and of its negation); only when they differ is the whole
// description exchanged, to say which rank passed what.
#pragma once

#include <cstddef>
#include <cstdint>
#include <string>
#include <tuple>
#include <utility>

#include "sinks.hpp"

namespace typegrad::mpi::detail {

/// The sinks described in a mismatch message (a call with more is compared in full by the
/// hash; only the message stops at this many).
inline constexpr std::size_t described_sinks = 12;

struct signature {
    std::int64_t count = 0;  // sinks in the call
    sink_shape sink[described_sinks] = {};
    std::int64_t hash = 0;   // of every sink, in [0, 2^62)
};

inline void mix(std::uint64_t& h, std::int64_t v) {
    // FNV-1a over the eight bytes of v.
    for (int b = 0; b != 8; ++b) {
        h ^= (static_cast<std::uint64_t>(v) >> (8 * b)) & 0xffu;
        h *= 1099511628211ull;
    }
}

template <class... S>
signature signature_of(std::tuple<S...> const& sinks) {
    signature sig;
    sig.count = sizeof...(S);
    std::uint64_t h = 14695981039346656037ull;
    mix(h, sig.count);
    std::size_t i = 0;
    std::apply([&](auto const&... s) {
        (([&] {
             sink_shape const d = shape_of(s);
             if (i < described_sinks) sig.sink[i] = d;
             ++i;
             mix(h, static_cast<std::int64_t>(d.kind));
             mix(h, d.rank);
             for (std::int64_t k = 0; k != d.rank; ++k) mix(h, d.extent[k]);
         }()),
         ...);
    }, sinks);
    sig.hash = static_cast<std::int64_t>(h >> 2);
    return sig;
}

/// "[(3,), a number, tg::skip]"
inline std::string to_string(signature const& sig) {
    std::string r = "[";
    for (std::int64_t i = 0; i != sig.count; ++i) {
        if (i > 0) r += ", ";
        if (i == static_cast<std::int64_t>(described_sinks)) {
            r += "...";
            break;
        }
        sink_shape const& d = sig.sink[i];
        if (d.kind == sink_kind::skip)
            r += "tg::skip";
        else if (d.kind == sink_kind::number)
            r += "a number";
        else {
            r += "(";
            for (std::int64_t k = 0; k != d.rank; ++k) r += (k > 0 ? ", " : "") + std::to_string(d.extent[k]);
            r += d.rank == 1 ? ",)" : ")";
        }
    }
    return r + "]";
}

}  // namespace typegrad::mpi::detail
