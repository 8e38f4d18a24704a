// Shared by the fuzz targets that need the standard library: `aiact`
// checked once per process, and a report check.
#pragma once

#include <simdjson.h>

#include <cstdio>
#include <cstdlib>
#include <memory>
#include <sstream>
#include <string>

#include "compiler/diag/diag.h"
#include "compiler/interp/interp.h"
#include "compiler/ir/ir.h"
#include "compiler/sema/check.h"
#include "compiler/source/source.h"
#include "runtime/report.h"
#include "runtime/utf8.h"

namespace aipol::fuzz {

struct Stdlib {
  SourceManager sources;
  std::unique_ptr<ir::Program> program;
  std::vector<Value> params;  // the defaults
  PolicyInfo info;

  std::string Locate(SourceRange range) const {
    if (!range.valid()) return "?";
    const SourceFile& file = sources.file(range.file);
    LineColumn at = file.Position(range.begin);
    return file.path() + ":" + std::to_string(at.line) + ":" + std::to_string(at.column);
  }
};

// The embedded standard library, checked on first use; aborts if it does not check.
inline const Stdlib& GetStdlib() {
  static const Stdlib* stdlib = [] {
    auto* s = new Stdlib;
    PolicyRequest request;
    request.policies = {"aiact"};
    DiagnosticSink diags;
    CheckResult result = Check(request, s->sources, diags);
    if (!result.program || diags.has_errors()) {
      std::ostringstream out;
      RenderText(s->sources, diags.diagnostics(), RenderOptions{}, out);
      std::fprintf(stderr, "fuzz: the standard library does not check:\n%s\n", out.str().c_str());
      std::abort();
    }
    s->program = std::move(result.program);
    s->params = Interpreter::DefaultParams(*s->program);
    s->info = PolicyInfo::From(*s->program, s->params);
    return s;
  }();
  return *stdlib;
}

// A report must be one valid JSON object in valid UTF-8, whatever the input was.
inline void CheckReportJson(const std::string& report) {
  if (FirstInvalidUtf8(report) != std::string_view::npos) {
    std::fprintf(stderr, "fuzz: the report is not valid UTF-8:\n%s\n", report.c_str());
    std::abort();
  }
  static simdjson::dom::parser parser;
  simdjson::dom::element doc;
  if (parser.parse(report).get(doc) || !doc.is_object()) {
    std::fprintf(stderr, "fuzz: the report is not a JSON object:\n%s\n", report.c_str());
    std::abort();
  }
}

}  // namespace aipol::fuzz
