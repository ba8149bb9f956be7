// tests/hardening/support.hpp: what the hardening tests share: the message of the
// std::invalid_argument a call throws, and arrays filled with a sentinel, so that a test
// can assert that a refused call wrote nothing.
#pragma once

#include <cstring>
#include <stdexcept>
#include <string>
#include <vector>

namespace typegrad_test::hardening {

/// The message of the std::invalid_argument that call() throws; "no error" when it returns,
/// "other exception: ..." for any other exception.
template <class Call>
std::string error_of(Call const& call) {
    try {
        call();
    } catch (std::invalid_argument const& e) {
        return e.what();
    } catch (std::exception const& e) {
        return std::string("other exception: ") + e.what();
    }
    return "no error";
}

inline bool contains(std::string const& text, std::string const& part) { return text.find(part) != std::string::npos; }

inline constexpr double sentinel = -7.25;

/// n copies of the sentinel.
inline std::vector<double> sentinels(std::size_t n) { return std::vector<double>(n, sentinel); }

/// True when every element is still the sentinel (bit for bit).
inline bool untouched(std::vector<double> const& v) {
    for (double x : v)
        if (std::memcmp(&x, &sentinel, sizeof x) != 0) return false;
    return true;
}

/// True when v holds exactly the values of `before` (bit for bit).
inline bool same_bits(std::vector<double> const& v, std::vector<double> const& before) {
    return v.size() == before.size() && std::memcmp(v.data(), before.data(), v.size() * sizeof(double)) == 0;
}

}  // namespace typegrad_test::hardening
