// tests/fuzz/array_fuzzer.cpp: the libFuzzer target of the CPU array executor. Each input
// is one call, decoded and checked by tests/fuzz/array_checker.hpp; a failed check aborts
// (libFuzzer then saves the input). Built with clang -fsanitize=fuzzer,address,undefined
// when TYPEGRAD_BUILD_FUZZERS is on; see the README's section on fuzzing.
#include <cstdint>
#include <cstdio>
#include <cstdlib>

#include "array_checker.hpp"

extern "C" int LLVMFuzzerTestOneInput(std::uint8_t const* data, std::size_t size) {
    auto const r = typegrad_fuzz::check(data, size);
    if (!r.ok) {
        std::fprintf(stderr, "typegrad array fuzzer: %s\n", r.what.c_str());
        std::abort();
    }
    return 0;
}
