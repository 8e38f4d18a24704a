// parse_floor: the least `aipol batch` must do with a JSON Lines fleet.
//
// Reads the file in 1 MiB blocks, splits it into lines, and parses each
// non-blank line in place with simdjson's On-Demand API, touching every value
// (every key unescaped, every string, number, boolean and null read), like
// bench_eval's floor. Nothing is built, evaluated or written. A line that is
// not a JSON object is counted as an error and skipped, as fast as simdjson
// rejects it.
//
// Built with the loader's SIMD flags (cmake/SimdFlags.cmake), so that it runs
// the same On-Demand kernel as runtime/loader.cpp.
//
// usage: parse_floor FILE
// Prints one JSON object on stderr, like `aipol batch --stats`:
//   {"records": N, "errors": N, "bytes": N, "total_s": S, "records_per_s": R, "mb_per_s": M}
#include <simdjson.h>

#include <chrono>
#include <cstdint>
#include <cstdio>
#include <cstring>
#include <string_view>
#include <vector>

#include "bench/floor_walker.h"

namespace {

#define AIPOL_STRINGIFY2(x) #x
#define AIPOL_STRINGIFY(x) AIPOL_STRINGIFY2(x)
constexpr const char* kKernel = AIPOL_STRINGIFY(SIMDJSON_BUILTIN_IMPLEMENTATION);

// One line, which must hold one object and nothing after it. `capacity`:
// readable bytes from `json` on (at least len + SIMDJSON_PADDING).
simdjson::error_code WalkLine(aipol::bench::FloorWalker& walker, simdjson::ondemand::parser& parser,
                              const char* json, size_t len, size_t capacity) {
  simdjson::ondemand::document doc;
  if (auto error = parser.iterate(json, len, capacity).get(doc)) return error;
  return walker.WalkDocument(doc);
}

bool Blank(const char* p, size_t n) {
  for (size_t k = 0; k < n; ++k) {
    if (p[k] != ' ' && p[k] != '\t' && p[k] != '\r') return false;
  }
  return true;
}

}  // namespace

int main(int argc, char** argv) {
  if (argc != 2 || argv[1][0] == '-') {
    std::fprintf(stderr, "usage: parse_floor FILE.jsonl\n");
    return 1;
  }
  auto start = std::chrono::steady_clock::now();
  std::FILE* file = std::fopen(argv[1], "rb");
  if (!file) {
    std::fprintf(stderr, "parse_floor: cannot read %s\n", argv[1]);
    return 1;
  }
  constexpr size_t kReadSize = 1 << 20;
  // [0, used): unread text; the padding after it is always readable.
  std::vector<char> buffer(kReadSize + simdjson::SIMDJSON_PADDING);
  size_t used = 0;
  bool eof = false;
  simdjson::ondemand::parser parser;
  aipol::bench::FloorWalker walker;
  uint64_t records = 0, errors = 0, bytes = 0;
  while (!eof || used > 0) {
    if (!eof) {
      if (buffer.size() - used < kReadSize + simdjson::SIMDJSON_PADDING)
        buffer.resize(used + kReadSize + simdjson::SIMDJSON_PADDING);  // a line longer than a block
      size_t got = std::fread(buffer.data() + used, 1, kReadSize, file);
      bytes += got;
      used += got;
      if (got < kReadSize) eof = true;
    }
    size_t position = 0;
    while (position < used) {
      const char* line = buffer.data() + position;
      const char* newline = static_cast<const char*>(std::memchr(line, '\n', used - position));
      if (!newline && !eof) break;  // the rest of the line is in the next block
      size_t len = newline ? static_cast<size_t>(newline - line) : used - position;
      position += len + (newline ? 1 : 0);
      if (len > 0 && line[len - 1] == '\r') --len;
      if (Blank(line, len)) continue;
      ++records;
      if (WalkLine(walker, parser, line, len, buffer.size() - static_cast<size_t>(line - buffer.data())))
        ++errors;
    }
    std::memmove(buffer.data(), buffer.data() + position, used - position);
    used -= position;
    if (eof && used == 0) break;
  }
  std::fclose(file);
  double seconds = std::chrono::duration<double>(std::chrono::steady_clock::now() - start).count();
  std::fprintf(
      stderr,
      "{\"records\": %llu, \"errors\": %llu, \"bytes\": %llu, \"total_s\": %.6f, \"records_per_s\": %.0f, "
      "\"mb_per_s\": %.1f, \"kernel\": \"%s\", \"checksum\": %llu}\n",
      static_cast<unsigned long long>(records), static_cast<unsigned long long>(errors),
      static_cast<unsigned long long>(bytes), seconds, static_cast<double>(records) / seconds,
      static_cast<double>(bytes) / 1e6 / seconds, kKernel, static_cast<unsigned long long>(walker.checksum));
  return 0;
}
