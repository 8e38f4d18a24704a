#!/usr/bin/env bash
# Builds the libFuzzer targets (the `fuzz` preset: clang-19, ASan + UBSan)
# and runs one of them for a while.
#
#   tests/fuzz/run.sh TARGET SECONDS [LIBFUZZER_OPTION...]
#
# TARGET is policy, loader or engines (README.md says what each one does).
# New inputs go to build/fuzz/corpus/TARGET (the committed seeds in
# tests/fuzz/corpus/TARGET are read, never written); a crash, leak, timeout
# or engine difference is written to build/fuzz/artifacts/TARGET/ and ends
# the run with a non-zero status. Reproduce one with
#   build/fuzz/tests/fuzz/fuzz_TARGET build/fuzz/artifacts/TARGET/crash-...
# Environment: AIPOL_FUZZ_BUILD (default build/fuzz), AIPOL_FUZZ_JOBS
# (compile jobs, default 1). Needs clang-19 and libclang-rt-19-dev
# (`scripts/install-deps --fuzz`).
set -euo pipefail
cd "$(dirname "$0")/../.."

usage() {
  echo "usage: tests/fuzz/run.sh policy|loader|engines SECONDS [LIBFUZZER_OPTION...]" >&2
  exit 2
}
[ $# -ge 2 ] || usage
target=$1 seconds=$2
shift 2
case $target in
  policy) dict=tests/fuzz/policy.dict ;;
  loader | engines) dict=tests/fuzz/descriptor.dict ;;
  *) usage ;;
esac
[[ $seconds =~ ^[0-9]+$ ]] || usage

build=${AIPOL_FUZZ_BUILD:-build/fuzz}
if [ ! -f "$build/build.ninja" ]; then
  cmake --preset fuzz -B "$build" >/dev/null
fi
ninja -C "$build" -j "${AIPOL_FUZZ_JOBS:-1}" "fuzz_$target" >&2

corpus=$build/corpus/$target
artifacts=$build/artifacts/$target
mkdir -p "$corpus" "$artifacts"
# Leaks of the LLVM and ANTLR statics are not ours (tests/asan/lsan.supp).
export LSAN_OPTIONS=${LSAN_OPTIONS:-suppressions=$PWD/tests/asan/lsan.supp:print_suppressions=0}
export UBSAN_OPTIONS=${UBSAN_OPTIONS:-print_stacktrace=1:halt_on_error=1}
# -timeout: the first input of `engines` also compiles the JIT.
# -max_len: small inputs run fastest (about 100 policies or 1,000 descriptors
# a second); the big seeds are read cut to this length. Later options win.
exec "$build/tests/fuzz/fuzz_$target" -max_total_time="$seconds" -timeout=60 -rss_limit_mb=4096 -max_len=8192 \
  -dict="$dict" \
  -artifact_prefix="$artifacts/" -print_final_stats=1 "$@" "$corpus" "tests/fuzz/corpus/$target"
