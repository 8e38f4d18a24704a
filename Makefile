# Thin wrapper over CMake presets. `make run` and `make test` do all the
# set-up on a fresh Debian 12 machine (packages, configure, build).
PRESET ?= release
# ccache hits across checkouts in other folders (CI builds a fresh clone).
export CCACHE_BASEDIR := $(CURDIR)
export CCACHE_NOHASHDIR := 1
BUILD := build/$(PRESET)
AIPOL := $(BUILD)/aipol

.PHONY: all deps configure build run test format format-check golden-update bench clean

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

format:
	bash scripts/check-format --fix

golden-update: build
	cmake --build --preset $(PRESET) --target golden-update

bench: build
	bash bench/bench_check.sh

clean:
	rm -rf build
