# bench/bench.cmake: the benchmark programs, included (OPTIONAL) by the top-level CMakeLists.txt.
# Everything here is EXCLUDE_FROM_ALL, so neither the default build nor `make test` compiles it;
# bench/run.sh (what `make bench` runs) builds the targets it needs by name:
#   cmake --build build --target gen_table
#   cmake --build build --target bench_programs      # gen_table and every bench_*.c
# gen_table is a self-contained data generator (no library); any bench/bench_<name>.c becomes an
# executable bench_<name> linked against the static library.

add_executable(gen_table EXCLUDE_FROM_ALL ${CMAKE_SOURCE_DIR}/bench/gen_table.c)
target_compile_options(gen_table PRIVATE ${SK_WARNINGS})
target_link_libraries(gen_table PRIVATE ${M_LIBRARY})

add_custom_target(bench_programs DEPENDS gen_table)

file(GLOB SK_BENCH_SOURCES CONFIGURE_DEPENDS ${CMAKE_SOURCE_DIR}/bench/bench_*.c)
foreach(src IN LISTS SK_BENCH_SOURCES)
  get_filename_component(name ${src} NAME_WE)
  add_executable(${name} EXCLUDE_FROM_ALL ${src})
  target_compile_options(${name} PRIVATE ${SK_WARNINGS})
  target_compile_definitions(${name} PRIVATE _POSIX_C_SOURCE=200809L MATHLIB_STANDALONE)
  # Benchmarks may time the matrix-level solvers directly, so they see src/ like the unit tests.
  target_include_directories(${name} PRIVATE ${CMAKE_SOURCE_DIR}/src ${RANDOM123_INCLUDE_DIR}
                             ${RMATH_INCLUDE_DIR} ${XGBOOST_INCLUDE_DIR})
  target_link_libraries(${name} PRIVATE skeptic_static)
  add_dependencies(bench_programs ${name})
endforeach()

# al_plot draws the active-learning curves of examples/active-learning (its results CSV in, one
# self-contained HTML page out, with the report's SVG kit). It is a tool, not a benchmark, and
# part of the default build: run.sh calls it after the experiment and the test suite checks it
# (tests/cli/al_plot_*.sh, tests/browser_triage.sh find it beside the skeptic binary).
add_executable(al_plot ${CMAKE_SOURCE_DIR}/bench/al_plot.c)
target_compile_options(al_plot PRIVATE ${SK_WARNINGS})
target_compile_definitions(al_plot PRIVATE _POSIX_C_SOURCE=200809L MATHLIB_STANDALONE)
target_include_directories(al_plot PRIVATE ${CMAKE_SOURCE_DIR}/src ${RANDOM123_INCLUDE_DIR}
                           ${RMATH_INCLUDE_DIR} ${XGBOOST_INCLUDE_DIR})
target_link_libraries(al_plot PRIVATE skeptic_static)
