// tg::io BAL reading and writing: a small problem written out by hand read back number by
// number, a write-read round trip that keeps every bit, and each kind of bad file refused with
// a message naming the line, the item expected and what was found.
#include <doctest/doctest.h>

#include <fstream>
#include <sstream>
#include <stdexcept>
#include <string>

#include <typegrad/io/bal.hpp>

namespace tg = typegrad;

namespace {

// 2 cameras, 3 points, 4 observations; cameras and points numbered so that each value says
// where it belongs (camera 1's parameter 4 is 14, point 2's coordinate 1 is 1.21).
std::string const good = R"(2 3 4
0 0   -1.5 2.5e2
1 0   3 -4
1 2   +0.5 6
0 1   7 8
0 1 2 3 4 5 6 7 8
10 11 12 13 14 15 16 17 18
1.00 1.01 1.02
1.10 1.11 1.12
1.20 1.21 1.22
)";

std::string error_of(std::string const& text) {
    try {
        tg::io::parse_bal(text, "test.txt");
    } catch (std::runtime_error const& e) {
        return e.what();
    }
    return "no error";
}

}  // namespace

TEST_CASE("a BAL file is read item by item") {
    auto const p = tg::io::parse_bal(good);
    REQUIRE(p.num_cameras() == 2);
    REQUIRE(p.num_points() == 3);
    REQUIRE(p.observations.size() == 4);
    CHECK(p.observations[0].camera == 0);
    CHECK(p.observations[0].point == 0);
    CHECK(p.observations[0].x == -1.5);
    CHECK(p.observations[0].y == 250.0);
    CHECK(p.observations[2].camera == 1);
    CHECK(p.observations[2].point == 2);
    CHECK(p.observations[2].x == 0.5);
    CHECK(p.observations[3].point == 1);
    CHECK(p.observations[3].y == 8.0);
    for (std::size_t i = 0; i < 2; ++i)
        for (std::size_t k = 0; k < 9; ++k) CHECK(p.camera(i)[k] == double(10 * i + k));
    CHECK(p.point(2)[1] == 1.21);
    CHECK(p.point(0)[0] == 1.0);
    CHECK(p.point(1)[2] == 1.12);
}

TEST_CASE("write_bal then parse_bal gives back the same numbers, bit for bit") {
    auto p = tg::io::parse_bal(good);
    p.cameras[3] = 0.1 + 0.2;  // not a short decimal
    p.points[4] = -1.0 / 3.0;
    p.observations[1].x = 1e-300;
    std::ostringstream out;
    tg::io::write_bal(out, p);
    auto const q = tg::io::parse_bal(out.str());
    CHECK(q.cameras == p.cameras);
    CHECK(q.points == p.points);
    REQUIRE(q.observations.size() == p.observations.size());
    for (std::size_t k = 0; k < p.observations.size(); ++k) {
        CHECK(q.observations[k].camera == p.observations[k].camera);
        CHECK(q.observations[k].point == p.observations[k].point);
        CHECK(q.observations[k].x == p.observations[k].x);
        CHECK(q.observations[k].y == p.observations[k].y);
    }
    // And through a file.
    std::string const path = std::string(TYPEGRAD_TEST_TMP) + "/problem.bal";
    {
        std::ofstream f(path);
        tg::io::write_bal(f, p);
    }
    CHECK(tg::io::read_bal_file(path).cameras == p.cameras);
}

TEST_CASE("a problem write_bal cannot write is refused") {
    auto p = tg::io::parse_bal(good);
    p.observations[1].point = 3;
    std::ostringstream out;
    CHECK_THROWS_WITH_AS(tg::io::write_bal(out, p),
                         "typegrad: write_bal: observation 1 refers to camera 1 and point 3, expected indices below 2 "
                         "and 3",
                         std::invalid_argument);
    CHECK(out.str().empty());
    p = tg::io::parse_bal(good);
    p.points.pop_back();
    CHECK_THROWS_AS(tg::io::write_bal(out, p), std::invalid_argument);
}

TEST_CASE("bad BAL files are refused with the line, the item expected and what was found") {
    CHECK(error_of("") == "typegrad: BAL file test.txt, line 1: expected the number of cameras (a non-negative "
                          "integer), found the end of the file");
    CHECK(error_of("2 -3 4") == "typegrad: BAL file test.txt, line 1: expected the number of points (a "
                                "non-negative integer), found '-3'");
    CHECK(error_of("2 3 four") == "typegrad: BAL file test.txt, line 1: expected the number of observations (a "
                                  "non-negative integer), found 'four'");
    CHECK(error_of("2.5 3 4") == "typegrad: BAL file test.txt, line 1: expected the number of cameras (a "
                                 "non-negative integer), found '2.5'");
    CHECK(error_of("1 1 99999999999") == "typegrad: BAL file test.txt, line 1: expected the number of observations "
                                         "(a non-negative integer), found '99999999999' (above 8)");

    auto with_line = [](int line, std::string const& text) {
        // Replace line `line` (1-based) of the good file by `text`.
        std::istringstream in(good);
        std::string out, l;
        for (int i = 1; std::getline(in, l); ++i) out += (i == line ? text : l) + "\n";
        return out;
    };
    CHECK(error_of(with_line(3, "2 0 3 -4")) == "typegrad: BAL file test.txt, line 3: expected observation 1's camera "
                                                "index (an integer in [0, 1]), found '2' (above 1)");
    CHECK(error_of(with_line(4, "1 3 0.5 6")) == "typegrad: BAL file test.txt, line 4: expected observation 2's "
                                                 "point index (an integer in [0, 2]), found '3' (above 2)");
    CHECK(error_of(with_line(4, "1 -1 0.5 6")) == "typegrad: BAL file test.txt, line 4: expected observation 2's "
                                                  "point index (an integer in [0, 2]), found '-1'");
    CHECK(error_of(with_line(5, "0 1 7 eight")) == "typegrad: BAL file test.txt, line 5: expected observation 3's y "
                                                   "(a number), found 'eight'");
    CHECK(error_of(with_line(7, "10 11 12 13 1e400 15 16 17 18")) ==
          "typegrad: BAL file test.txt, line 7: expected camera 1's parameter 4 (a number), found '1e400'");
    CHECK(error_of(with_line(10, "1.20 nan 1.22")) ==
          "typegrad: BAL file test.txt, line 10: expected point 2's coordinate 1 (a number), found 'nan'");
    CHECK(error_of(with_line(10, "1.20 1.21")) ==
          "typegrad: BAL file test.txt, line 11: expected point 2's coordinate 2 (a number), found the end of the "
          "file");
    CHECK(error_of(with_line(10, "1.20 1.21 1.22 1.23")) ==
          "typegrad: BAL file test.txt, line 10: expected the end of the file after the last point, found '1.23'");
    CHECK(error_of("0 2 1\n0 0 1 2\n") == "typegrad: BAL file test.txt, line 1: expected no observations (the "
                                         "file has no cameras or no points), found 1 observations");
    // Truncated in the observations.
    CHECK(error_of("2 3 4\n0 0 1 2\n1 0 3") == "typegrad: BAL file test.txt, line 3: expected observation 1's y (a "
                                               "number), found the end of the file");
    // An empty problem is a problem.
    auto const empty = tg::io::parse_bal("0 0 0\n");
    CHECK(empty.num_cameras() == 0);
    CHECK(empty.observations.empty());
    CHECK_THROWS_WITH_AS(tg::io::read_bal_file("/nonexistent/problem.txt"),
                         "typegrad: BAL file /nonexistent/problem.txt: cannot be opened", std::runtime_error);
}
