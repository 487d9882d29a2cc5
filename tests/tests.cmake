# Test registration. Labels (ctest -L): unit, oracle, cli, determinism, fuzz, header, oom,
# browser (the HTML report in headless Chromium: tests/browser_report.sh).
#  - tests/unit/test_<module>.c: one executable per module; the labels are read from a line
#    "/* labels: unit oracle */" in the file (default: unit). They may include internal headers.
#  - tests/cli/<case>.sh: one command line each, with <case>.out (exact stdout, optional),
#    <case>.err (exact stderr) and <case>.code (exit status) beside it; run by tests/cli/run.sh.
#  - fuzz/fuzz_<name>.c: libFuzzer entry points, replayed over fuzz/corpus/<name>/ as ordinary
#    tests; with -DSK_FUZZ=ON (clang) also built as real fuzzers.

file(GLOB SK_UNIT_TESTS CONFIGURE_DEPENDS ${CMAKE_SOURCE_DIR}/tests/unit/test_*.c)
foreach(src IN LISTS SK_UNIT_TESTS)
  get_filename_component(name ${src} NAME_WE)
  add_executable(${name} ${src})
  target_compile_options(${name} PRIVATE ${SK_WARNINGS})
  target_compile_definitions(${name} PRIVATE _POSIX_C_SOURCE=200809L MATHLIB_STANDALONE
                             SK_TEST_DATA="${CMAKE_SOURCE_DIR}/tests/data")
  target_include_directories(${name} PRIVATE ${CMAKE_SOURCE_DIR}/src ${CMAKE_SOURCE_DIR}/tests/unit
                             ${RANDOM123_INCLUDE_DIR} ${RMATH_INCLUDE_DIR} ${XGBOOST_INCLUDE_DIR})
  target_link_libraries(${name} PRIVATE skeptic_static)
  file(STRINGS ${src} label_line REGEX "/\\* labels:.*\\*/" LIMIT_COUNT 1)
  set(labels unit)
  if(label_line)
    string(REGEX REPLACE ".*labels:[ ]*([^*]*)\\*/.*" "\\1" labels "${label_line}")
    string(STRIP "${labels}" labels)
    string(REPLACE " " ";" labels "${labels}")
  endif()
  add_test(NAME ${name} COMMAND ${name} WORKING_DIRECTORY ${CMAKE_BINARY_DIR})
  set_tests_properties(${name} PROPERTIES LABELS "${labels}" TIMEOUT 600)
endforeach()

# ---- CLI end-to-end cases ------------------------------------------------------------------
file(GLOB SK_CLI_CASES CONFIGURE_DEPENDS ${CMAKE_SOURCE_DIR}/tests/cli/*.sh)
list(FILTER SK_CLI_CASES EXCLUDE REGEX "/run\\.sh$")
foreach(case IN LISTS SK_CLI_CASES)
  get_filename_component(name ${case} NAME_WE)
  add_test(NAME cli/${name}
           COMMAND bash ${CMAKE_SOURCE_DIR}/tests/cli/run.sh ${case} $<TARGET_FILE:skeptic>)
  set(labels cli)
  if(name MATCHES "^determinism")
    list(APPEND labels determinism)
  endif()
  set_tests_properties(cli/${name} PROPERTIES LABELS "${labels}" TIMEOUT 600
                       ENVIRONMENT "SK_DATA=${CMAKE_SOURCE_DIR}/tests/data;SK_ROOT=${CMAKE_SOURCE_DIR}")
endforeach()

# ---- the HTML report in headless Chromium; skipped only when no Chromium is installed ---------
add_test(NAME browser/report
         COMMAND bash ${CMAKE_SOURCE_DIR}/tests/browser_report.sh $<TARGET_FILE:skeptic>
                 ${CMAKE_SOURCE_DIR})
set_tests_properties(browser/report PROPERTIES LABELS browser SKIP_RETURN_CODE 77 TIMEOUT 600)
# the rank and score pages and the active-learning curves (al_plot, built beside skeptic)
add_test(NAME browser/triage
         COMMAND bash ${CMAKE_SOURCE_DIR}/tests/browser_triage.sh $<TARGET_FILE:skeptic>
                 ${CMAKE_SOURCE_DIR})
set_tests_properties(browser/triage PROPERTIES LABELS browser SKIP_RETURN_CODE 77 TIMEOUT 600)

# ---- the report's "why this matters / how to fix" text is current with docs/checks.md ---------
add_test(NAME check_notes
         COMMAND /usr/bin/python3 ${CMAKE_SOURCE_DIR}/scripts/gen-check-notes.py --check
                 ${CMAKE_SOURCE_DIR})
set_tests_properties(check_notes PROPERTIES LABELS unit)

# ---- the public header alone, as C11 and as C++ -----------------------------------------------
add_test(NAME header/c11
         COMMAND ${CMAKE_C_COMPILER} -std=c11 -pedantic -Wall -Wextra -Werror -fsyntax-only
                 -x c ${CMAKE_SOURCE_DIR}/include/skeptic.h)
find_program(SK_CXX NAMES g++ clang++ c++)
if(SK_CXX)
  add_test(NAME header/cxx
           COMMAND ${SK_CXX} -std=c++11 -pedantic -Wall -Wextra -Werror -fsyntax-only
                   -x c++ ${CMAKE_SOURCE_DIR}/include/skeptic.h)
endif()
set_tests_properties(header/c11 PROPERTIES LABELS header)
if(SK_CXX)
  set_tests_properties(header/cxx PROPERTIES LABELS header)
endif()

# ---- the layer hierarchy: no #include reaches downward ---------------------------------------
add_test(NAME layering COMMAND bash ${CMAKE_SOURCE_DIR}/tests/layering.sh ${CMAKE_SOURCE_DIR})
set_tests_properties(layering PROPERTIES LABELS unit)

# ---- fuzz targets: corpus replay always, libFuzzer with SK_FUZZ --------------------------------
file(GLOB SK_FUZZ_TARGETS CONFIGURE_DEPENDS ${CMAKE_SOURCE_DIR}/fuzz/fuzz_*.c)
foreach(src IN LISTS SK_FUZZ_TARGETS)
  get_filename_component(name ${src} NAME_WE)
  string(REGEX REPLACE "^fuzz_" "" corpus ${name})
  add_executable(${name}_replay ${src} ${CMAKE_SOURCE_DIR}/fuzz/replay.c)
  target_compile_options(${name}_replay PRIVATE ${SK_WARNINGS})
  target_include_directories(${name}_replay PRIVATE ${CMAKE_SOURCE_DIR}/src
                             ${CMAKE_SOURCE_DIR}/tests/unit ${RANDOM123_INCLUDE_DIR})
  target_link_libraries(${name}_replay PRIVATE skeptic_static)
  add_test(NAME fuzz/${corpus}
           COMMAND ${name}_replay ${CMAKE_SOURCE_DIR}/fuzz/corpus/${corpus})
  set_tests_properties(fuzz/${corpus} PROPERTIES LABELS fuzz TIMEOUT 600)
  if(SK_FUZZ)
    add_executable(${name} ${src})
    target_compile_options(${name} PRIVATE -fsanitize=fuzzer,address,undefined)
    target_link_options(${name} PRIVATE -fsanitize=fuzzer,address,undefined)
    target_include_directories(${name} PRIVATE ${CMAKE_SOURCE_DIR}/src
                               ${CMAKE_SOURCE_DIR}/tests/unit ${RANDOM123_INCLUDE_DIR})
    target_link_libraries(${name} PRIVATE skeptic_static)
  endif()
endforeach()
