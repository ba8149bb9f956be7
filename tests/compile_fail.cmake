# Runs one compile-fail test: SOURCE must compile as written, and must fail with
# the message given on its `// expect: ` line when TYPEGRAD_SHOULD_FAIL is defined.
file(STRINGS ${SOURCE} expect_lines REGEX "^// expect: ")
list(LENGTH expect_lines n)
if(NOT n EQUAL 1)
    message(FATAL_ERROR "${SOURCE}: needs exactly one '// expect: <message>' line")
endif()
string(REGEX REPLACE "^// expect: " "" expected "${expect_lines}")

set(flags -std=c++20 -fsyntax-only -Wall -Wextra -Wpedantic -I${INCLUDE_DIR})
execute_process(COMMAND ${COMPILER} ${flags} ${SOURCE} RESULT_VARIABLE ok_rc OUTPUT_VARIABLE ok_out ERROR_VARIABLE ok_out)
if(NOT ok_rc EQUAL 0)
    message(FATAL_ERROR "the correct twin of ${SOURCE} does not compile:\n${ok_out}")
endif()
execute_process(COMMAND ${COMPILER} ${flags} -DTYPEGRAD_SHOULD_FAIL ${SOURCE}
                RESULT_VARIABLE bad_rc OUTPUT_VARIABLE bad_out ERROR_VARIABLE bad_out)
if(bad_rc EQUAL 0)
    message(FATAL_ERROR "${SOURCE} compiled with TYPEGRAD_SHOULD_FAIL but must not")
endif()
string(FIND "${bad_out}" "${expected}" at)
if(at EQUAL -1)
    message(FATAL_ERROR "${SOURCE} failed, but without the message \"${expected}\":\n${bad_out}")
endif()
message(STATUS "failed as expected with: ${expected}")
