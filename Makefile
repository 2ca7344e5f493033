# Quick start: `make demo` (the main job on the demo warehouse) and `make test`.
BUILD ?= build
JOBS ?= $(shell nproc)
GENERATOR := $(shell command -v ninja >/dev/null 2>&1 && echo "-G Ninja")
LAUNCHER := $(shell command -v ccache >/dev/null 2>&1 && echo "-DCMAKE_CXX_COMPILER_LAUNCHER=ccache")

.PHONY: all deps build demo test bench clean

all: build

deps:
	@bash scripts/install-deps.sh

$(BUILD)/CMakeCache.txt:
	@bash scripts/install-deps.sh
	cmake -S . -B $(BUILD) $(GENERATOR) $(LAUNCHER) -DCMAKE_BUILD_TYPE=Release

build: deps $(BUILD)/CMakeCache.txt
	cmake --build $(BUILD) -j $(JOBS)

demo: build
	@bash scripts/demo.sh $(BUILD)/nba-precompute

test: build
	cd $(BUILD) && ctest --output-on-failure -j $(JOBS)

bench: deps
	cmake -S . -B $(BUILD)-bench $(GENERATOR) $(LAUNCHER) -DCMAKE_BUILD_TYPE=Release -DNBAPC_BUILD_BENCH=ON -DNBAPC_BUILD_TESTS=OFF
	cmake --build $(BUILD)-bench -j $(JOBS)
	@bash bench/run_bench.sh $(BUILD)-bench

clean:
	rm -rf $(BUILD) $(BUILD)-bench
