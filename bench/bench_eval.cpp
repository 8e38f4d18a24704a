// bench_eval: how fast the runtime evaluates descriptors.
//
//   (a) interpreter: time per descriptor on a generated policy (default 100
//       rules, bench/gen_policy.py), over rows loaded beforehand;
//   (b) loader: time per KB of JSON, for the example descriptors
//       (examples/systems/*.json, under the `aiact` policy) and for the
//       generated descriptors (under the generated policy); the arena is
//       reset after every record;
//   (c) the floor: simdjson On-Demand parsing the same JSON and touching
//       every value, without building rows.
//
// Plain C++ and std::chrono: every figure is the median (and the minimum) of
// several repetitions, each running its batch for at least --seconds/--reps.
// Prints a markdown table.
//
// usage: bench_eval [--rules N[,N...]] [--descriptors N] [--seconds S] [--reps R]
//                   [--seed S] [--source DIR]
//   --rules        generated policy sizes (default 100); each is generated with
//                  `python3 bench/gen_policy.py --rules N --seed 20260802
//                  --out bench/out/nN` unless bench/out/nN exists
//   --descriptors  generated descriptors per policy (default 1000)
//   --seconds      time budget per measurement (default 2)
//   --reps         repetitions per measurement (default 7)
//   --source       the repository (default: the one this was built from)
#include <simdjson.h>

#include <algorithm>
#include <chrono>
#include <cinttypes>
#include <cmath>
#include <cstdio>
#include <cstdlib>
#include <cstring>
#include <filesystem>
#include <fstream>
#include <functional>
#include <random>
#include <sstream>
#include <string>
#include <vector>

#include "bench/floor_walker.h"
#include "bench/bench_common.h"
#include "compiler/diag/diag.h"
#include "compiler/interp/interp.h"
#include "compiler/sema/check.h"
#include "compiler/source/source.h"
#include "runtime/date.h"
#include "runtime/loader.h"
#include "runtime/row.h"

#define AIPOL_STRINGIFY2(x) #x
#define AIPOL_STRINGIFY(x) AIPOL_STRINGIFY2(x)

#ifndef AIPOL_SOURCE_DIR
#define AIPOL_SOURCE_DIR "."
#endif

[[noreturn]] void aipol::bench::Die(const std::string& message) {
  std::fprintf(stderr, "bench_eval: %s\n", message.c_str());
  std::exit(1);
}

namespace {

using aipol::bench::CheckPolicy;
using aipol::bench::Die;
using aipol::bench::Format;
using aipol::bench::Policy;
using aipol::bench::Time;

constexpr const char* kKernel = AIPOL_STRINGIFY(SIMDJSON_BUILTIN_IMPLEMENTATION);

namespace fs = std::filesystem;
using Clock = std::chrono::steady_clock;

struct Options {
  std::vector<int> rules = {100};
  int descriptors = 1000;
  double seconds = 2.0;
  int reps = 7;
  uint32_t seed = 20260802;
  std::string source = AIPOL_SOURCE_DIR;
};

Options ParseOptions(int argc, char** argv) {
  Options options;
  for (int k = 1; k < argc; ++k) {
    std::string arg = argv[k];
    auto value = [&]() -> std::string {
      if (k + 1 >= argc) Die("`" + arg + "` needs a value");
      return argv[++k];
    };
    if (arg == "--rules") {
      options.rules.clear();
      std::stringstream list(value());
      for (std::string item; std::getline(list, item, ',');) options.rules.push_back(std::stoi(item));
    } else if (arg == "--descriptors") {
      options.descriptors = std::stoi(value());
    } else if (arg == "--seconds") {
      options.seconds = std::stod(value());
    } else if (arg == "--reps") {
      options.reps = std::stoi(value());
    } else if (arg == "--seed") {
      options.seed = static_cast<uint32_t>(std::stoul(value()));
    } else if (arg == "--source") {
      options.source = value();
    } else if (arg == "-h" || arg == "--help") {
      std::puts(
          "usage: bench_eval [--rules N[,N...]] [--descriptors N] [--seconds S] [--reps R] [--seed S] "
          "[--source DIR]");
      std::exit(0);
    } else {
      Die("unknown argument `" + arg + "`");
    }
  }
  if (options.rules.empty() || options.descriptors < 1 || options.reps < 1 || options.seconds <= 0)
    Die("bad arguments");
  return options;
}

// ---------------------------------------------------------------- measuring

struct Stats {
  double median = 0;  // seconds per call
  double min = 0;
  uint64_t calls = 0;  // in all repetitions
};

// Runs `call` in `reps` repetitions of at least `seconds / reps` each (after
// one warm-up call); returns the time per call.
Stats Measure(const std::function<void()>& call, const Options& options) {
  call();  // warm up caches, the arena and the parser's buffers
  double budget = options.seconds / options.reps;
  std::vector<double> per_call;
  uint64_t total = 0;
  for (int rep = 0; rep < options.reps; ++rep) {
    uint64_t calls = 0;
    Clock::time_point start = Clock::now();
    double elapsed = 0;
    do {
      call();
      ++calls;
      elapsed = std::chrono::duration<double>(Clock::now() - start).count();
    } while (elapsed < budget);
    per_call.push_back(elapsed / static_cast<double>(calls));
    total += calls;
  }
  std::sort(per_call.begin(), per_call.end());
  size_t n = per_call.size();
  double median = n % 2 ? per_call[n / 2] : (per_call[n / 2 - 1] + per_call[n / 2]) / 2;
  return {median, per_call.front(), total};
}

// ---------------------------------------------------------------- policies

std::string GeneratedPolicyDir(const Options& options, int rules) {
  std::string dir = options.source + "/bench/out/n" + std::to_string(rules);
  if (!fs::exists(dir + "/genpol")) {
    std::string command = "python3 '" + options.source + "/bench/gen_policy.py' --rules " +
                          std::to_string(rules) + " --seed 20260802 --out '" + dir + "' >/dev/null";
    if (std::system(command.c_str()) != 0) Die("`" + command + "` failed");
  }
  return dir;
}

// ---------------------------------------------------------------- descriptors

// Random descriptors of a policy's input type: every optional field present
// with probability 0.85, values drawn so that conditions go either way, and
// map keys taken from those the policy reads.
class DescriptorGenerator {
 public:
  DescriptorGenerator(const aipol::ir::Program& program, uint32_t seed) : program_(program), rng_(seed) {}

  std::string Generate(int index) {
    std::string out;
    Record(out, program_.input->record, index, true);
    return out;
  }

 private:
  using TypeId = aipol::ir::TypeId;
  using TypeKind = aipol::ir::TypeKind;

  bool Chance(double p) { return std::uniform_real_distribution<double>(0, 1)(rng_) < p; }
  int Pick(int n) { return std::uniform_int_distribution<int>(0, n - 1)(rng_); }

  static void Quote(std::string& out, const std::string& text) {
    out.push_back('"');
    for (char c : text) {
      if (c == '"' || c == '\\') out.push_back('\\');
      out.push_back(c);
    }
    out.push_back('"');
  }

  std::string Word() {
    static const char* const kWords[] = {"alpha", "beta", "gamma", "delta", "en",
                                         "fr",    "de",   "risk",  "audit", "ref"};
    return std::string(kWords[Pick(10)]) + "-" + std::to_string(Pick(1000));
  }

  void Record(std::string& out, uint32_t record, int index, bool top) {
    const aipol::ir::RecordInfo& info = program_.types.records[record];
    out.push_back('{');
    bool first = true;
    for (const aipol::ir::FieldInfo& field : info.fields) {
      if (!field.required && !Chance(0.85)) continue;
      if (!first) out.push_back(',');
      first = false;
      Quote(out, field.name);
      out.push_back(':');
      if (top && field.name == "id") {
        Quote(out, "sys-" + std::to_string(index));
      } else {
        Value(out, field.type, index);
      }
    }
    out.push_back('}');
  }

  void Value(std::string& out, TypeId type, int index) {
    const aipol::ir::Type& t = program_.types.get(type);
    switch (t.kind) {
      case TypeKind::Bool: out += Chance(0.5) ? "true" : "false"; break;
      case TypeKind::Int: {
        // Log-uniform over 1 .. 1e9, so every threshold is crossed.
        double x = std::pow(10.0, std::uniform_real_distribution<double>(0, 9)(rng_));
        out += std::to_string(static_cast<int64_t>(x));
        break;
      }
      case TypeKind::Number: {
        double x = Chance(0.5) ? std::uniform_real_distribution<double>(0, 1)(rng_)
                               : std::pow(10.0, std::uniform_real_distribution<double>(0, 27)(rng_));
        char buffer[64];
        std::snprintf(buffer, sizeof buffer, "%.17g", x);
        out += buffer;
        break;
      }
      case TypeKind::String: Quote(out, Word()); break;
      case TypeKind::Date: {
        int32_t day = *aipol::ParseDate("2020-01-01") + Pick(11 * 365);
        Quote(out, aipol::FormatDate(day));
        break;
      }
      case TypeKind::Duration: {
        static const char* const kUnits[] = {"days", "months", "years"};
        Quote(out, std::to_string(1 + Pick(24)) + " " + kUnits[Pick(3)]);
        break;
      }
      case TypeKind::Enum: {
        const auto& members = program_.types.enums[t.index].members;
        Quote(out, members[Pick(static_cast<int>(members.size()))]);
        break;
      }
      case TypeKind::Set: {
        const aipol::ir::Type& element = program_.types.get(t.element);
        out.push_back('[');
        if (element.kind == TypeKind::Enum) {
          const auto& members = program_.types.enums[element.index].members;
          std::vector<size_t> order(members.size());
          for (size_t k = 0; k < order.size(); ++k) order[k] = k;
          std::shuffle(order.begin(), order.end(), rng_);
          size_t count = std::min<size_t>(order.size(), Pick(5));
          for (size_t k = 0; k < count; ++k) {
            if (k) out.push_back(',');
            Quote(out, members[order[k]]);
          }
        } else {
          int count = Pick(4);
          for (int k = 0; k < count; ++k) {
            if (k) out.push_back(',');
            Quote(out, Word() + std::to_string(k));  // unique
          }
        }
        out.push_back(']');
        break;
      }
      case TypeKind::List: {
        out.push_back('[');
        int count = Pick(4);
        for (int k = 0; k < count; ++k) {
          if (k) out.push_back(',');
          Value(out, t.element, index);
        }
        out.push_back(']');
        break;
      }
      case TypeKind::Map: {
        // Half the keys the policy reads, plus one it does not.
        out.push_back('{');
        bool first = true;
        for (const std::string& key : program_.map_keys) {
          if (!Chance(0.5)) continue;
          if (!first) out.push_back(',');
          first = false;
          Quote(out, key);
          out.push_back(':');
          Value(out, t.element, index);
        }
        if (!first) out.push_back(',');
        Quote(out, "unread " + Word());
        out.push_back(':');
        Value(out, t.element, index);
        out.push_back('}');
        break;
      }
      case TypeKind::Record: Record(out, t.index, index, false); break;
      default: out += "null"; break;
    }
  }

  const aipol::ir::Program& program_;
  std::mt19937 rng_;
};

// ---------------------------------------------------------------- the floor

// The whole document, which must be an object (bench/floor_walker.h).
simdjson::error_code WalkDocument(aipol::bench::FloorWalker& walker, simdjson::ondemand::parser& parser,
                                  const simdjson::padded_string& json) {
  simdjson::ondemand::document doc;
  if (auto error = parser.iterate(json).get(doc)) return error;
  return walker.WalkDocument(doc);
}

// ---------------------------------------------------------------- output

struct Row {
  std::string what;
  std::string input;
  std::string unit;  // "descriptor" or "KB"
  double per_unit_median;
  double per_unit_min;
  std::string throughput;
  std::string notes;
};

std::vector<std::string> ReadFiles(const std::string& dir, std::vector<std::string>* names) {
  std::vector<std::string> paths;
  for (const auto& entry : fs::directory_iterator(dir)) {
    if (entry.path().extension() == ".json") paths.push_back(entry.path().string());
  }
  std::sort(paths.begin(), paths.end());
  std::vector<std::string> texts;
  for (const std::string& path : paths) {
    std::ifstream in(path, std::ios::binary);
    std::ostringstream text;
    text << in.rdbuf();
    texts.push_back(text.str());
    names->push_back(fs::path(path).filename().string());
  }
  return texts;
}

size_t TotalBytes(const std::vector<std::string>& texts) {
  size_t bytes = 0;
  for (const std::string& text : texts) bytes += text.size();
  return bytes;
}

// (b) and (c) on one set of documents.
void MeasureLoading(const aipol::ir::Program& program, const std::vector<std::string>& texts,
                    const std::string& input, const Options& options, std::vector<Row>* rows) {
  double kb = static_cast<double>(TotalBytes(texts)) / 1024.0;
  double docs = static_cast<double>(texts.size());
  aipol::RowLoader loader(program);
  aipol::Arena arena;
  size_t errors = 0;
  for (const std::string& text : texts) {
    aipol::LoadedRow row = loader.Load(text, arena, false);
    if (!row.ok()) ++errors;
    arena.Reset();
  }
  uint64_t sink = 0;
  Stats load = Measure(
      [&] {
        for (const std::string& text : texts) {
          aipol::LoadedRow row = loader.Load(text, arena, false);
          sink += row.issues.size() + (row.row != nullptr);
          arena.Reset();
        }
      },
      options);
  rows->push_back({"(b) loader: JSON → row", input, "KB", load.median / kb, load.min / kb,
                   Format(kb / 1024.0 / load.median, 0) + " MB/s",
                   Time(load.median / docs) + " per descriptor" +
                       (errors ? "; " + std::to_string(errors) + " with input errors" : "")});

  std::vector<simdjson::padded_string> padded;
  for (const std::string& text : texts) padded.emplace_back(text);
  simdjson::ondemand::parser parser;
  aipol::bench::FloorWalker walker;
  for (const auto& json : padded) {
    if (auto error = WalkDocument(walker, parser, json))
      Die(std::string("floor: ") + simdjson::error_message(error));
  }
  Stats floor = Measure(
      [&] {
        for (const auto& json : padded) (void)WalkDocument(walker, parser, json);
      },
      options);
  rows->push_back({"(c) floor: simdjson On-Demand, every value touched", input, "KB", floor.median / kb,
                   floor.min / kb, Format(kb / 1024.0 / floor.median, 0) + " MB/s",
                   Time(floor.median / docs) +
                       " per descriptor; loader/floor = " + Format(load.median / floor.median, 1) + "×"});
  if (sink == 1 || walker.checksum == 1) std::puts("");  // keep the work observable
}

}  // namespace

int main(int argc, char** argv) {
  Options options = ParseOptions(argc, argv);
  std::vector<Row> rows;
  int32_t as_of = *aipol::ParseDate("2026-11-28");

  // (a) the interpreter, and (b)/(c) on the generated descriptors.
  for (int rules : options.rules) {
    std::string dir = GeneratedPolicyDir(options, rules);
    Policy policy = CheckPolicy({dir});
    const aipol::ir::Program& program = *policy.program;
    DescriptorGenerator generator(program, options.seed);
    std::vector<std::string> texts;
    for (int k = 0; k < options.descriptors; ++k) texts.push_back(generator.Generate(k));
    aipol::RowLoader loader(program);
    aipol::Arena arena;  // holds every row for the whole run
    std::vector<const uint8_t*> loaded;
    for (const std::string& text : texts) {
      aipol::LoadedRow row = loader.Load(text, arena, false);
      if (!row.ok()) {
        std::string issues;
        for (const auto& issue : row.issues) issues += " " + issue.path + ": " + issue.message + ";";
        Die("a generated descriptor does not load:" + issues);
      }
      loaded.push_back(row.row);
    }
    aipol::Interpreter interpreter(program);
    size_t runtime_errors = 0, unknown_obligations = 0, statuses = 0;
    for (const uint8_t* row : loaded) {
      aipol::Results results = interpreter.Evaluate({row, as_of, &policy.params});
      if (results.error) ++runtime_errors;
      for (const auto& s : results.obligations) unknown_obligations += s.status == aipol::Status::Unknown;
      statuses += results.obligations.size();
    }
    uint64_t sink = 0;
    Stats eval = Measure(
        [&] {
          for (const uint8_t* row : loaded) {
            aipol::Results results = interpreter.Evaluate({row, as_of, &policy.params});
            sink += results.missing.size();
          }
        },
        options);
    double n = static_cast<double>(loaded.size());
    std::string input = std::to_string(rules) + "-rule policy (" + std::to_string(policy.declarations) +
                        " decls, " + std::to_string(program.reports.size()) + " facts, " +
                        std::to_string(program.obligations.size()) + " obligations, " +
                        std::to_string(program.prohibitions.size()) + " prohibitions), " +
                        std::to_string(loaded.size()) + " generated descriptors";
    rows.push_back({"(a) interpreter: Evaluate", input, "descriptor", eval.median / n, eval.min / n,
                    Format(n / eval.median, 0) + " descriptors/s",
                    std::to_string(runtime_errors) + " runtime errors, " +
                        Format(100.0 * static_cast<double>(unknown_obligations) /
                                   static_cast<double>(std::max<size_t>(statuses, 1)),
                               0) +
                        "% of statuses unknown"});
    std::string json_input = std::to_string(loaded.size()) + " generated descriptors, " +
                             Format(static_cast<double>(TotalBytes(texts)) / 1024.0, 0) + " KB, under the " +
                             std::to_string(rules) + "-rule policy";
    MeasureLoading(program, texts, json_input, options, &rows);
    if (sink == 1) std::puts("");
  }

  // (a) and (b)/(c) on the examples under the standard library.
  {
    Policy policy = CheckPolicy({"aiact"});
    std::vector<std::string> names;
    std::vector<std::string> texts = ReadFiles(options.source + "/examples/systems", &names);
    if (texts.empty()) Die("no examples in " + options.source + "/examples/systems");
    aipol::RowLoader loader(*policy.program);
    aipol::Arena arena;
    std::vector<const uint8_t*> loaded;
    for (size_t k = 0; k < texts.size(); ++k) {
      aipol::LoadedRow row = loader.Load(texts[k], arena, false);
      if (!row.ok()) Die(names[k] + " does not load");
      loaded.push_back(row.row);
    }
    aipol::Interpreter interpreter(*policy.program);
    uint64_t sink = 0;
    Stats eval = Measure(
        [&] {
          for (const uint8_t* row : loaded)
            sink += interpreter.Evaluate({row, as_of, &policy.params}).missing.size();
        },
        options);
    double n = static_cast<double>(loaded.size());
    const aipol::ir::Program& program = *policy.program;
    rows.push_back({"(a) interpreter: Evaluate",
                    "`aiact` standard library (" + std::to_string(policy.declarations) + " decls, " +
                        std::to_string(program.reports.size()) + " facts, " +
                        std::to_string(program.obligations.size()) + " obligations, " +
                        std::to_string(program.prohibitions.size()) + " prohibitions), " +
                        std::to_string(texts.size()) + " example descriptors",
                    "descriptor", eval.median / n, eval.min / n,
                    Format(n / eval.median, 0) + " descriptors/s", "as of 2026-11-28"});
    std::string input = std::to_string(texts.size()) + " examples/systems/*.json, " +
                        Format(static_cast<double>(TotalBytes(texts)) / 1024.0, 1) + " KB, under `aiact`";
    MeasureLoading(program, texts, input, options, &rows);
    if (sink == 1) std::puts("");
  }

  std::printf("| measurement | input | per | median | min | throughput | notes |\n");
  std::printf("|---|---|---|---:|---:|---:|---|\n");
  for (const Row& row : rows) {
    std::printf("| %s | %s | %s | %s | %s | %s | %s |\n", row.what.c_str(), row.input.c_str(),
                row.unit.c_str(), Time(row.per_unit_median).c_str(), Time(row.per_unit_min).c_str(),
                row.throughput.c_str(), row.notes.c_str());
  }
  std::printf("\n%d repetitions of ≥ %.2f s each per measurement; median and min of the repetitions.\n",
              options.reps, options.seconds / options.reps);
  // The kernel simdjson's On-Demand API was compiled for here (the bench is
  // built with the loader's flags, so the loader has the same one).
  std::printf("simdjson %d.%d.%d; On-Demand kernel: `%s`.\n", simdjson::SIMDJSON_VERSION_MAJOR,
              simdjson::SIMDJSON_VERSION_MINOR, simdjson::SIMDJSON_VERSION_REVISION, kKernel);
  return 0;
}
