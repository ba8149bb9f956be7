// typegrad/exec/program/workspace.hpp: tg::workspace, the memory an array program's
// intermediate buffers live in.
//
//   tg::workspace ws;                         // keep it across the steps of a training loop
//   for (...) tg::gradient(ws, loss, tg::gradient_to(...), X, W, b);
//
// A call takes what it needs from the workspace and gives it back when it returns.
// The first call with given shapes may allocate; when a call needs more than the
// workspace holds, the workspace grows to the total that call used, so a second call
// with the same shapes allocates nothing. Small needs are served from storage inside
// the workspace object itself, so a call on small arrays never touches the heap.
// A workspace is used by one call at a time (it is not thread-safe); it also carries
// the CPU options (threads) of the calls that use it.
#pragma once

#include <cstddef>
#include <cstdint>
#include <memory>
#include <new>
#include <vector>

#include "../cpu_common.hpp"

namespace typegrad {

class workspace {
public:
    workspace() = default;
    explicit workspace(cpu_options o) : options(o) {}
    workspace(workspace const&) = delete;
    workspace& operator=(workspace const&) = delete;

    /// Threads for the calls that use this workspace (results do not depend on it).
    cpu_options options{};

    /// Bytes held on the heap (0 until a call needed more than the inline storage).
    std::size_t capacity() const { return capacity_; }

    /// Memory for `count` elements of T, aligned for vectors; valid until the call ends.
    template <class T>
    T* take(std::ptrdiff_t count) {
        return static_cast<T*>(take_bytes(static_cast<std::size_t>(count < 0 ? 0 : count) * sizeof(T)));
    }
    /// The same, in bytes.
    void* take_raw(std::size_t bytes) { return take_bytes(bytes); }

    /// Marks the start of a call; what it takes is given back by the matching `release`.
    std::size_t mark() const { return used_; }
    /// Gives back everything taken since `m`. When the outermost call ends, storage that
    /// had to be added during it is merged into one block of the size the call needed.
    void release(std::size_t m) {
        used_ = m;
        if (m == 0 && !overflow_.empty()) {
            overflow_.clear();
            std::size_t const want = high_water_;
            if (want > inline_bytes) {
                heap_.reset(new std::byte[want + alignment]);
                capacity_ = want;
            }
        }
        if (m == 0) high_water_ = 0;
    }

private:
    static constexpr std::size_t alignment = 64;
    static constexpr std::size_t inline_bytes = 4096;

    void* take_bytes(std::size_t bytes) {
        std::size_t const size = (bytes + alignment - 1) / alignment * alignment;
        std::size_t const start = used_;
        used_ += size;
        if (used_ > high_water_) high_water_ = used_;
        std::byte* base = nullptr;
        std::size_t limit = 0;
        if (capacity_ > 0) {
            base = heap_.get();
            limit = capacity_;
        } else {
            base = inline_storage_;
            limit = inline_bytes;
        }
        if (used_ <= limit && overflow_.empty()) return align(base) + start;
        // Does not fit: a block of its own for this call (merged when the call ends).
        overflow_.emplace_back(new std::byte[size + alignment]);
        return align(overflow_.back().get());
    }
    static std::byte* align(std::byte* p) {
        auto const v = reinterpret_cast<std::uintptr_t>(p);
        return p + ((alignment - v % alignment) % alignment);
    }

    alignas(64) std::byte inline_storage_[inline_bytes + alignment];
    std::unique_ptr<std::byte[]> heap_;
    std::size_t capacity_ = 0;
    std::size_t used_ = 0;
    std::size_t high_water_ = 0;
    std::vector<std::unique_ptr<std::byte[]>> overflow_;
};

namespace detail {
/// Memory for n elements of T from a workspace.
template <class T>
T* take(workspace& ws, std::ptrdiff_t n) {
    return static_cast<T*>(ws.take_raw(static_cast<std::size_t>(n < 0 ? 0 : n) * sizeof(T)));
}

/// Takes from a workspace for one call and gives it back at scope exit.
class workspace_scope {
public:
    explicit workspace_scope(workspace& w) : w_(w), mark_(w.mark()) {}
    ~workspace_scope() { w_.release(mark_); }
    workspace_scope(workspace_scope const&) = delete;
    workspace_scope& operator=(workspace_scope const&) = delete;
    workspace& get() const { return w_; }

private:
    workspace& w_;
    std::size_t mark_;
};
}  // namespace detail

}  // namespace typegrad
