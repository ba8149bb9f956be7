# Runs a program under mpirun with each rank count in RANKS and requires the line that
# matches PATTERN to be the same, character for character, in every run (deterministic
# mode: the same bits for any number of ranks).
#   cmake -DMPIEXEC=... -DFLAGS=... -DPROGRAM=... -DARGS=... -DRANKS=1;2;3 -DPATTERN=regex -P same_bits.cmake
set(first "")
foreach(np IN LISTS RANKS)
    execute_process(COMMAND ${MPIEXEC} ${FLAGS} -np ${np} ${PROGRAM} ${ARGS}
                    RESULT_VARIABLE rc OUTPUT_VARIABLE out ERROR_VARIABLE err)
    if(NOT rc EQUAL 0)
        message(FATAL_ERROR "${np} rank(s): ${PROGRAM} returned ${rc}:\n${out}\n${err}")
    endif()
    string(REGEX MATCH "${PATTERN}" line "${out}")
    if(line STREQUAL "")
        message(FATAL_ERROR "${np} rank(s): no line matching '${PATTERN}' in:\n${out}")
    endif()
    message(STATUS "${np} rank(s): ${line}")
    if(first STREQUAL "")
        set(first "${line}")
    elseif(NOT line STREQUAL first)
        message(FATAL_ERROR "${np} rank(s) gave '${line}', 1 rank gave '${first}'")
    endif()
endforeach()
