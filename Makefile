# Thin wrapper over CMake presets. `make run` and `make test` do all the
# set-up on a fresh Debian 12 machine (packages, configure, build).
PRESET ?= release
# ccache hits across checkouts in other folders (CI builds a fresh clone).
export CCACHE_BASEDIR := $(CURDIR)
export CCACHE_NOHASHDIR := 1
BUILD := build/$(PRESET)
AIPOL := $(BUILD)/aipol

.PHONY: all deps configure build run test fuzz-smoke format format-check golden-update bench clean

all: build

deps:
	bash scripts/install-deps

configure: deps
	@test -f $(BUILD)/build.ninja || cmake --preset $(PRESET)

build: configure
	cmake --build --preset $(PRESET)

# The main job: evaluate the bundled example fleet with the AI Act standard
# library and show the table and fleet summary (add `AS_OF=2026-11-28` to
# reproduce examples/systems/EXPECTED.md).
AS_OF ?=
run: build
	$(AIPOL) batch $(if $(AS_OF),--as-of $(AS_OF)) --format table examples/fleet.jsonl

test: build
	ctest --preset $(PRESET) -j2
	bash scripts/check-format

# Each libFuzzer target for FUZZ_SECONDS (tests/fuzz/README.md); CI runs
# this briefly, longer runs are made by hand with tests/fuzz/run.sh.
FUZZ_SECONDS ?= 30
fuzz-smoke:
	bash scripts/install-deps --fuzz
	for target in policy loader engines; do \
	  AIPOL_FUZZ_JOBS=2 bash tests/fuzz/run.sh $$target $(FUZZ_SECONDS) || exit 1; \
	done

format:
	bash scripts/check-format --fix

golden-update: build
	cmake --build --preset $(PRESET) --target golden-update

bench: build
	bash bench/bench_check.sh

clean:
	rm -rf build
