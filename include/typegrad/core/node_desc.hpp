// typegrad/core/node_desc.hpp: what the graph walk knows about one node type.
//
// Each node type gets one small constexpr description (`desc_of<N>::value`), keyed
// on the type alone and pointing at its children's: its arity, whether it is keyed
// by its type (empty, or shared by type like a let) or by its path, its input slot,
// how many run-time numbers it holds, and a hash. Equal types are the same object,
// so the walk compares nodes by address, once their hashes agree.
#pragma once

#include <array>
#include <cstddef>
#include <cstdint>
#include <type_traits>

#include "constant.hpp"
#include "expression.hpp"
#include "var.hpp"

namespace typegrad::detail {
template <class N>
struct op_shares_by_type : std::false_type {};
template <class Op, class... Cs>
    requires requires { Op::shared_by_type; }
struct op_shares_by_type<node<Op, Cs...>> : std::bool_constant<Op::shared_by_type> {};

/// A node is keyed by its type when it is empty or its operation shares by type (let).
// Per-type facts are classes whose `value` is integral_constant's (or enumerators),
// never variable templates: g++ gives every instantiated variable a mangled name, and
// a name that spells a node type costs as much as the type is large, once per type.
template <class N>
struct keyed_by_type : std::bool_constant<std::is_empty<N>::value || op_shares_by_type<N>::value> {};

/// The most operands an operation may have (select has three).
inline constexpr std::size_t max_arity = 8;  // select has three operands, tg::concat up to eight

inline constexpr std::size_t npos = static_cast<std::size_t>(-1);

/// A leaf that holds a run-time number (`x * 2.0` holds 2.0).
template <class N>
concept runtime_leaf = leaf<N> && !is_var<N>::value && !static_constant<N>;

// ---------------------------------------------------------------------------
// Per-type descriptions.

constexpr std::uint64_t hash_mix(std::uint64_t h, std::uint64_t v) {
    h ^= v + 0x9e3779b97f4a7c15ull + (h << 6) + (h >> 2);
    return h * 0xff51afd7ed558ccdull;
}

constexpr std::uint64_t hash_text(char const* s) {
    std::uint64_t h = 0xcbf29ce484222325ull;
    for (; *s != '\0'; ++s) h = (h ^ static_cast<unsigned char>(*s)) * 0x100000001b3ull;
    return h;
}

// A hash of a type's spelling, for the few types that are not told apart by structure
// (operations, run-time leaves): int_pow_op<2> and int_pow_op<3> share a name.
template <class T>
constexpr std::uint64_t type_hash() {
#if defined(_MSC_VER) && !defined(__clang__)
    return hash_text(__FUNCSIG__);
#else
    return hash_text(__PRETTY_FUNCTION__);
#endif
}

// Equal types are the same object, so the walk merges nodes by address; it compares
// addresses only when the hashes agree. Two distinct types that hash alike cost a probe,
// never a wrong merge. (Comparing the addresses of two distinct objects is not a constant
// expression under -fsanitize=null with g++: with full-structure hashes that comparison
// is not reached in practice.)
template <class Op>
constexpr std::uint64_t op_hash() {
    return type_hash<Op>();
}

template <class N>
constexpr std::uint64_t leaf_hash() {
    if constexpr (is_var<N>::value)
        return hash_mix(hash_mix(1, N::slot), hash_text(N::name::chars));
    else if constexpr (static_constant<N>)
        return hash_mix(hash_mix(2, static_cast<std::uint64_t>(N::num)), static_cast<std::uint64_t>(N::den));
    else
        return hash_mix(3, type_hash<N>());
}

/// What the walk needs to know about one node type, as constexpr data.
struct type_desc {
    std::size_t arity = 0;
    std::array<type_desc const*, max_arity> child{};
    bool by_type = false;   // keyed by its type (else by its path)
    bool is_var = false;
    std::size_t slot = 0;
    bool is_constant = false;  // a leaf holding a run-time number
    // Run-time numbers below (the leaf itself included), in tree order, not counting
    // those under a child keyed by type; `owned` is what a parent counts for it.
    std::size_t inner = 0;
    std::size_t owned = 0;
    std::uint64_t hash = 0;
};

constexpr std::uint64_t hash_children(std::uint64_t h) { return h; }
template <class... Hs>
constexpr std::uint64_t hash_children(std::uint64_t h, std::uint64_t first, Hs... rest) {
    return hash_children(hash_mix(h, first), rest...);
}

template <class N>
constexpr type_desc leaf_desc() {
    type_desc d{};
    d.by_type = keyed_by_type<N>::value;
    if constexpr (is_var<N>::value) {
        d.is_var = true;
        d.slot = N::slot;
    }
    d.is_constant = runtime_leaf<N>;
    d.inner = d.owned = runtime_leaf<N> ? 1 : 0;
    d.hash = leaf_hash<N>();
    return d;
}

template <class N>
struct desc_of {
    static constexpr type_desc value = leaf_desc<N>();
};
template <class Op, class... Cs>
struct desc_of<node<Op, Cs...>> {
    static_assert(sizeof...(Cs) <= max_arity, "typegrad operations take at most eight operands");
    // The only variable per node type: its address identifies the type during the walk.
    static constexpr type_desc value{
        sizeof...(Cs),
        {&desc_of<Cs>::value...},
        keyed_by_type<node<Op, Cs...>>::value,
        false,
        0,
        false,
        (std::size_t{0} + ... + desc_of<Cs>::value.owned),
        keyed_by_type<node<Op, Cs...>>::value ? 0 : (std::size_t{0} + ... + desc_of<Cs>::value.owned),
        hash_children(hash_mix(op_hash<Op>(), sizeof...(Cs)), desc_of<Cs>::value.hash...)};
};

/// Where the run-time numbers of child i start within the block of the node d describes.
constexpr std::size_t constant_offset(type_desc const& d, std::size_t i) {
    std::size_t o = 0;
    for (std::size_t j = 0; j < i; ++j) o += d.child[j]->owned;
    return o;
}

}  // namespace typegrad::detail
