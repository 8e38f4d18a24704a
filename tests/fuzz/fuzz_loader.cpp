// libFuzzer target: descriptors of the standard library `aiact` from
// arbitrary bytes, the way `eval` and `batch` read them.
//
// 1. The bytes as one descriptor (`eval`): RowLoader::Load, lenient and
//    --strict; the report of the issues must be a JSON object in UTF-8.
// 2. The bytes as a JSON Lines stream (`batch -`) and as a `.json` file
//    (`batch FILE.json`: one descriptor or an array): the FleetReader splits
//    them into records, each loaded and reported. The reader's record limit
//    is lowered to 256 bytes here so that the too-long path is reached.
//    When the bytes are a valid JSON array, the records must be its
//    elements, one each, none said to be invalid by the reader (whose
//    recovery from broken elements must never cut a whole one).
// 3. The bytes as one JSON value for CheckJsonValue, the syntax check the
//    loader runs on the values it skips: it must agree with simdjson's DOM
//    parser, but where simdjson also refuses numbers out of range and
//    escaped lone surrogates (valid JSON syntax) or invalid UTF-8 (which
//    the loader's parser has checked before).
// Input errors are expected; a crash, a sanitizer report, a leak, a hang or
// a report that is not JSON is a bug.
#include <unistd.h>

#include <cstddef>
#include <cstdint>
#include <cstdio>
#include <fstream>
#include <sstream>
#include <string>
#include <vector>

#include "fuzz_common.h"
#include "runtime/date.h"
#include "runtime/fleet_reader.h"
#include "runtime/json_syntax.h"
#include "runtime/loader.h"
#include "runtime/row.h"

namespace {

using namespace aipol;

constexpr size_t kFuzzRecordLimit = 256;

void Report(const fuzz::Stdlib& stdlib, const LoadedRow& row, const RecordSource& source) {
  static const int32_t as_of = DaysFromCivil({2026, 11, 28});
  ReportInput report{
      *stdlib.program, stdlib.info, as_of,   source,
      row.id,          row.issues,  nullptr, [&](SourceRange range) { return stdlib.Locate(range); }};
  std::string json;
  AppendReportJson(json, report);
  fuzz::CheckReportJson(json);
}

void ReadFleet(const fuzz::Stdlib& stdlib, RowLoader& loader, Arena& arena, const std::string& input,
               std::istream& in, size_t size) {
  FleetReader reader({input}, in, kFuzzRecordLimit);
  RecordBatch batch;
  uint64_t index = 0, last_line = 0;
  size_t bytes = 0;
  while (reader.Next(batch, 7)) {
    for (const RawRecord& record : batch.records) {
      // Records come in order, each from text of the input.
      if (record.line < last_line || record.text.size() > kFuzzRecordLimit) std::abort();
      last_line = record.line;
      bytes += record.text.size();
      if (bytes > size) std::abort();
      arena.Reset();
      LoadedRow row;
      if (record.invalid_reason.empty()) {
        // In place, as batch does (JSON Lines records carry the padding).
        row = loader.Load(record.text, arena, index % 2 == 1, record.readable);
      } else {
        row.issues.push_back({InputIssueKind::InvalidJson, true, "", record.invalid_reason});
      }
      Report(stdlib, row, RecordSource{input, record.line, index++});
    }
    batch.clear();
  }
  if (!reader.errors().empty()) std::abort();
}

// The records of a .json file that holds a valid JSON array.
void CheckArraySplit(std::string_view text, const std::string& path) {
  static simdjson::dom::parser parser;
  simdjson::dom::element root;
  if (parser.parse(text.data(), text.size(), true).get(root) != simdjson::SUCCESS || !root.is_array()) return;
  size_t elements = simdjson::dom::array(root).size();
  std::istringstream unused;
  FleetReader reader({path}, unused, kFuzzRecordLimit);
  RecordBatch batch;
  while (reader.Next(batch, 7)) {
  }
  bool ok = batch.records.size() == elements;
  for (const RawRecord& record : batch.records) {
    bool too_long = record.text.empty() && record.invalid_reason.find("over the limit") != std::string::npos;
    ok = ok && (record.invalid_reason.empty() || too_long);
  }
  if (!ok) {
    std::fprintf(stderr, "fuzz: a valid array of %zu elements read as %zu records\n", elements,
                 batch.records.size());
    std::abort();
  }
}

void CompareJsonSyntax(std::string_view text) {
  JsonValueCheck check = CheckJsonValue(text, 0, kMaxJsonDepth);
  bool ours =
      check.result == JsonSyntax::Ok && text.find_first_not_of(" \t\n\r", check.end) == std::string::npos;
  static simdjson::dom::parser parser;
  simdjson::error_code dom = parser.parse(text.data(), text.size(), true).error();
  bool tolerated = dom == simdjson::NUMBER_ERROR || dom == simdjson::UTF8_ERROR ||
                   (dom == simdjson::STRING_ERROR && text.find("\\u") != std::string_view::npos);
  if (ours != (dom == simdjson::SUCCESS) && !(ours && tolerated)) {
    std::fprintf(stderr, "fuzz: CheckJsonValue says %s, simdjson says %s\n", ours ? "valid" : "invalid",
                 simdjson::error_message(dom));
    std::abort();
  }
}

}  // namespace

extern "C" int LLVMFuzzerTestOneInput(const uint8_t* data, size_t size) {
  const fuzz::Stdlib& stdlib = fuzz::GetStdlib();
  static RowLoader loader(*stdlib.program);  // reused, as a batch worker reuses its own
  static Arena arena;
  std::string_view text(reinterpret_cast<const char*>(data), size);

  // 1. One descriptor.
  for (bool strict : {false, true}) {
    arena.Reset();
    LoadedRow row = loader.Load(text, arena, strict);
    if (row.ok() && row.row == nullptr) std::abort();
    Report(stdlib, row, RecordSource{"fuzz.json", 1, 0});
  }

  // 2. A JSON Lines stream, then a .json file.
  std::istringstream in{std::string(text)};
  ReadFleet(stdlib, loader, arena, "-", in, size);
  // A file of this process's own, removed at exit.
  static const struct TempFile {
    std::string path = "/tmp/aipol_fuzz_loader_" + std::to_string(::getpid()) + ".json";
    ~TempFile() { std::remove(path.c_str()); }
  } temp;
  const std::string& path = temp.path;
  {
    std::ofstream file(path, std::ios::binary | std::ios::trunc);
    file.write(text.data(), static_cast<std::streamsize>(size));
  }
  std::istringstream unused;
  ReadFleet(stdlib, loader, arena, path, unused, size);
  CheckArraySplit(text, path);

  // 3. The syntax check of skipped values.
  CompareJsonSyntax(text);
  return 0;
}
