// typegrad/core/graph_walk.hpp: the walk that finds the distinct nodes of an expression.
//
// A post-order depth-first walk over the node descriptions (node_desc.hpp), as one
// constexpr function with an explicit stack and a hash table of the nodes seen.
// It records, per position: the arity, the child positions, the input slot, the
// parent it was first reached from (node types and paths are recovered from that
// chain, graph.hpp) and where its run-time numbers go. No type-level list grows
// along the walk (which made every step cost as much as the nodes before it); the
// walk runs twice, to count and then to fill a table of that size.
#pragma once

#include <array>
#include <cstddef>
#include <utility>

#include "expression.hpp"
#include "node_desc.hpp"

namespace typegrad::detail {
// ---------------------------------------------------------------------------
// The walk.

/// One distinct node, by position in the order.
struct walk_node {
    std::size_t arity = 0;
    std::array<std::size_t, max_arity> child{};
    bool is_var = false;
    std::size_t slot = 0;
    // The first occurrence: the position of the node whose child this one is (npos
    // for an output) and which child (which output).
    std::size_t parent = npos;
    std::size_t index = 0;
    // A run-time leaf: its index in the array of run-time numbers. A node keyed by
    // type that holds run-time numbers: where its block of them starts.
    std::size_t constant = npos;
    std::size_t owner = 0;  // during the walk: the block ordinal
};

template <class T>
struct scratch {
    T* data = nullptr;
    std::size_t size = 0;
    std::size_t capacity = 0;
    constexpr scratch() = default;
    constexpr explicit scratch(std::size_t n) : data(new T[n]{}), size(n), capacity(n) {}
    scratch(scratch const&) = delete;
    scratch& operator=(scratch const&) = delete;
    constexpr ~scratch() { delete[] data; }
    constexpr void push(T const& v) {
        if (size == capacity) {
            std::size_t const c = capacity == 0 ? 16 : 2 * capacity;
            T* d = new T[c]{};
            for (std::size_t i = 0; i < size; ++i) d[i] = data[i];
            delete[] data;
            data = d;
            capacity = c;
        }
        data[size++] = v;
    }
    constexpr T& operator[](std::size_t i) { return data[i]; }
    constexpr T& back() { return data[size - 1]; }
};

/// The nodes seen, by address of their description (open addressing). A slot is empty
/// when its stored position is 0 (positions are kept plus one): comparing an object's
/// address with nullptr is not a constant expression under -fsanitize=null, which makes
/// g++ assume objects may live at address 0.
struct seen_table {
    scratch<type_desc const*> key;
    scratch<std::size_t> pos;
    std::size_t count = 0;
    constexpr seen_table() : key(64), pos(64) {}

    constexpr std::size_t find(type_desc const* d) {
        std::size_t const mask = key.size - 1;
        for (std::size_t i = d->hash & mask;; i = (i + 1) & mask) {
            if (pos[i] == 0) return npos;
            if (key[i]->hash == d->hash && key[i] == d) return pos[i] - 1;
        }
    }
    constexpr void insert(type_desc const* d, std::size_t p) {
        if (2 * (count + 1) > key.size) grow();
        place(key, pos, d, p);
        ++count;
    }
    static constexpr void place(scratch<type_desc const*>& k, scratch<std::size_t>& v, type_desc const* d,
                                std::size_t p) {
        std::size_t const mask = k.size - 1;
        std::size_t i = d->hash & mask;
        while (v[i] != 0) i = (i + 1) & mask;
        k[i] = d;
        v[i] = p + 1;
    }
    constexpr void grow() {
        scratch<type_desc const*> k(2 * key.size);
        scratch<std::size_t> v(2 * key.size);
        for (std::size_t i = 0; i < key.size; ++i)
            if (pos[i] != 0) place(k, v, key[i], pos[i] - 1);
        std::swap(key.data, k.data);
        std::swap(key.size, k.size);
        std::swap(key.capacity, k.capacity);
        std::swap(pos.data, v.data);
        std::swap(pos.size, v.size);
        std::swap(pos.capacity, v.capacity);
    }
};

struct walk_frame {
    type_desc const* desc = nullptr;
    std::size_t up = npos;  // the parent's frame
    std::size_t index = 0;  // which child of the parent (which output at the top)
    std::size_t next = 0;   // next child to visit
    std::array<std::size_t, max_arity> child{};
    std::array<bool, max_arity> fresh{};  // child first reached from here
    std::size_t owner = 0;
};

/// Walks the forest of `roots`: returns the number of distinct nodes and, when `out`
/// is given, fills it (and the output positions and run-time number indices).
constexpr std::size_t walk_graph(type_desc const* const* roots, std::size_t m, walk_node* out, std::size_t* outputs,
                                 std::size_t* constants) {
    seen_table seen;
    scratch<walk_frame> stack;
    scratch<std::size_t> block_size;  // run-time numbers per block; block 0 is the root's
    block_size.push(0);
    std::size_t count = 0;
    for (std::size_t j = 0; j < m; ++j) {
        if (roots[j]->by_type) {
            if (std::size_t const p = seen.find(roots[j]); p != npos) {
                if (outputs) outputs[j] = p;
                continue;
            }
        }
        walk_frame top{};
        top.desc = roots[j];
        top.index = j;
        if (roots[j]->by_type && roots[j]->inner > 0) {
            top.owner = block_size.size;
            block_size.push(0);
        }
        stack.push(top);
        while (stack.size > 0) {
            std::size_t const f = stack.size - 1;
            if (stack[f].next < stack[f].desc->arity) {
                std::size_t const i = stack[f].next++;
                type_desc const* c = stack[f].desc->child[i];
                if (c->by_type) {
                    if (std::size_t const p = seen.find(c); p != npos) {
                        stack[f].child[i] = p;
                        continue;
                    }
                }
                walk_frame next{};
                next.desc = c;
                next.up = f;
                next.index = i;
                next.owner = stack[f].owner;
                if (c->by_type && c->inner > 0) {
                    next.owner = block_size.size;
                    block_size.push(0);
                }
                stack.push(next);
                continue;
            }
            walk_frame const fr = stack[f];
            std::size_t const pos = count++;
            if (out) {
                walk_node& w = out[pos];
                w.arity = fr.desc->arity;
                w.child = fr.child;
                w.is_var = fr.desc->is_var;
                w.slot = fr.desc->slot;
                w.index = fr.index;
                w.owner = fr.owner;
                for (std::size_t i = 0; i < fr.desc->arity; ++i)
                    if (fr.fresh[i]) out[fr.child[i]].parent = pos;
                if (fr.desc->is_constant) w.constant = block_size[fr.owner];
                if (fr.desc->by_type && fr.desc->inner > 0) w.constant = 0;  // it opens block fr.owner
            }
            if (fr.desc->is_constant) ++block_size[fr.owner];
            if (fr.desc->by_type) seen.insert(fr.desc, pos);
            --stack.size;
            if (fr.up != npos) {
                stack[fr.up].child[fr.index] = pos;
                stack[fr.up].fresh[fr.index] = true;
            } else if (outputs) {
                outputs[j] = pos;
            }
        }
    }
    if (out) {
        // Blocks are laid out one after another: the root's first, then one per node
        // keyed by type that holds run-time numbers, in the order they were reached.
        scratch<std::size_t> base(block_size.size);
        std::size_t total = 0;
        for (std::size_t b = 0; b < block_size.size; ++b) {
            base[b] = total;
            total += block_size[b];
        }
        for (std::size_t k = 0; k < count; ++k)
            if (out[k].constant != npos) out[k].constant += base[out[k].owner];
        if (constants) *constants = total;
    }
    return count;
}

template <std::size_t N, std::size_t M>
struct walk_table {
    std::array<walk_node, N> node{};
    std::array<std::size_t, M> outputs{};
    std::size_t slots = 0;
    std::size_t constants = 0;  // run-time numbers in all blocks
};

template <class E>
struct roots_of {
    static constexpr bool pack = false;
    static constexpr std::array<type_desc const*, 1> value{&desc_of<E>::value};
};

}  // namespace typegrad::detail

namespace typegrad::ops {
/// Several outputs of one function: the graph walk visits the forest of its
/// children together (sharing what they share); the pack itself is no node of it.
struct outputs {
    static constexpr char const* name = "outputs";
};
}  // namespace typegrad::ops

namespace typegrad::detail {

template <class... Es>
struct roots_of<node<ops::outputs, Es...>> {
    static constexpr bool pack = true;
    static constexpr std::array<type_desc const*, sizeof...(Es)> value{&desc_of<Es>::value...};
};

template <class E>
struct graph_walk {
    using roots = roots_of<E>;
    static constexpr std::size_t outputs = roots::value.size();
    static constexpr std::size_t size = walk_graph(roots::value.data(), outputs, nullptr, nullptr, nullptr);
    static constexpr walk_table<size, outputs> table = [] {
        walk_table<size, outputs> t{};
        walk_graph(roots::value.data(), outputs, t.node.data(), t.outputs.data(), &t.constants);
        for (auto const& w : t.node)
            if (w.is_var && w.slot + 1 > t.slots) t.slots = w.slot + 1;
        return t;
    }();
};

}  // namespace typegrad::detail
