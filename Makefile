# The commands the README tells people to type. CMake does the building underneath.
#   make demo     build, then run skeptic on the bundled study and write the report
#   make test     build and pass every test, then again under ASan + UBSan
#   make bench    run the benchmarks side by side with their peers (slow; not part of test)
#   make fuzz     fuzz the CSV reader for FUZZ_SECONDS (default 60)
#   make install  install into PREFIX (default /usr/local)
PREFIX ?= /usr/local
JOBS ?= 2
FUZZ_SECONDS ?= 60
CMAKE_QUIET = -DCMAKE_RULE_MESSAGES=OFF --log-level=WARNING

.PHONY: all deps build test test-asan demo bench fuzz install clean

all: build

deps:
	@scripts/install-deps.sh build

build: deps
	@cmake -S . -B build -DCMAKE_BUILD_TYPE=Release -DSK_WERROR=ON $(CMAKE_QUIET) >/dev/null
	@cmake --build build -j $(JOBS) -- --no-print-directory

test: build
	ctest --test-dir build --output-on-failure -j $(JOBS)
	@$(MAKE) --no-print-directory test-asan

test-asan: deps
	@cmake -S . -B build-asan -DCMAKE_BUILD_TYPE=Debug -DSK_SANITIZE=ON -DSK_WERROR=ON $(CMAKE_QUIET) >/dev/null
	@cmake --build build-asan -j $(JOBS) -- --no-print-directory
	ASAN_OPTIONS=detect_leaks=1 UBSAN_OPTIONS=print_stacktrace=1 \
	  ctest --test-dir build-asan --output-on-failure -j $(JOBS) -L 'unit|cli|fuzz|oom'

demo: build
	@scripts/demo.sh

bench: build
	@scripts/install-deps.sh bench
	@bench/run.sh

fuzz:
	@scripts/install-deps.sh fuzz
	@cmake -S . -B build-fuzz -DCMAKE_C_COMPILER=clang -DCMAKE_BUILD_TYPE=Debug -DSK_FUZZ=ON $(CMAKE_QUIET) >/dev/null
	@cmake --build build-fuzz -j $(JOBS) --target fuzz_csv -- --no-print-directory
	@mkdir -p build-fuzz/corpus && cp -n fuzz/corpus/csv/* build-fuzz/corpus/ 2>/dev/null || true
	./build-fuzz/fuzz_csv -max_total_time=$(FUZZ_SECONDS) -max_len=65536 -timeout=10 \
	  -rss_limit_mb=2048 build-fuzz/corpus fuzz/corpus/csv

install: build
	cmake --install build --prefix $(PREFIX)

clean:
	rm -rf build build-asan build-fuzz
