// The fuzz corpus replayed through the fuzzer's own checker (tests/fuzz/array_checker.hpp),
// built with the suite's compiler and no libFuzzer. tests/fuzz/corpus holds the inputs that
// found bugs (named after what they found) and a few valid calls of every kind.
#include <doctest/doctest.h>

#include <algorithm>
#include <filesystem>
#include <fstream>
#include <iterator>
#include <string>
#include <vector>

#include "fuzz/array_checker.hpp"

TEST_CASE("every input of the fuzz corpus passes the fuzzer's checks") {
    std::filesystem::path const dir = TYPEGRAD_FUZZ_CORPUS;
    REQUIRE(std::filesystem::is_directory(dir));
    std::vector<std::filesystem::path> files;
    for (auto const& e : std::filesystem::directory_iterator(dir))
        if (e.is_regular_file()) files.push_back(e.path());
    std::sort(files.begin(), files.end());
    CHECK(files.size() >= 20);
    int valid = 0;
    for (auto const& p : files) {
        std::ifstream in(p, std::ios::binary);
        std::vector<std::uint8_t> const bytes((std::istreambuf_iterator<char>(in)), std::istreambuf_iterator<char>());
        auto const r = typegrad_fuzz::check(bytes.data(), bytes.size());
        INFO(p.filename().string());
        CHECK_MESSAGE(r.ok, r.what);
        valid += typegrad_fuzz::valid(typegrad_fuzz::decode(bytes.data(), bytes.size()));
    }
    // Both sides of the oracle are exercised.
    CHECK(valid >= 5);
    CHECK(valid < int(files.size()));
}
