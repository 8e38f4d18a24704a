#include "cli/repl/session.h"

#include <algorithm>
#include <sstream>

#include "cli/policy.h"
#include "compiler/interp/explain.h"
#include "compiler/interp/interp.h"
#include "compiler/sema/check.h"
#include "compiler/sema/literal.h"
#include "runtime/date.h"
#include "runtime/loader.h"
#include "runtime/report.h"

namespace aipol::repl {

namespace {

constexpr std::string_view kSessionModule = "repl";
constexpr std::string_view kIt = "__it";

constexpr std::string_view kHelp =
    R"(Type an expression to see its value and type, or a declaration (def, rule,
obligation, ...) to add it to the session; a declaration goes on over indented
lines and ends at a blank line. Commands:
  :load PATH...        load policy files or directories instead (no PATH: reload)
  :system FILE.json    evaluate against this descriptor
  :set NAME=VALUE      override a param (aipol literal: 12 months, original_2024)
  :as-of DATE          the evaluation date
  :type EXPR           the type of an expression
  :explain NAME        why a rule, obligation or prohibition came out as it did
  :report              the descriptor's report
  :obligations         obligations and their statuses
  :rules [PATTERN]     rules (whose name contains PATTERN) and their values
  :missing             input facts that would decide what is unknown
  :engine interp|jit   the evaluation engine
  :help                this text
  :quit                leave (also Ctrl-D)
)";

const std::vector<std::string> kDeclarationWords = {
    "def", "rule", "obligation", "prohibition", "exception", "enum", "record", "param", "report", "test"};

bool StartsWithWord(const std::string& text, const std::string& word) {
  size_t start = text.find_first_not_of(" \t");
  if (start == std::string::npos || text.compare(start, word.size(), word) != 0) return false;
  size_t after = start + word.size();
  return after == text.size() ||
         !(std::isalnum(static_cast<unsigned char>(text[after])) || text[after] == '_');
}

std::string Trim(const std::string& s) {
  size_t a = s.find_first_not_of(" \t\r\n");
  if (a == std::string::npos) return "";
  size_t b = s.find_last_not_of(" \t\r\n");
  return s.substr(a, b - a + 1);
}

}  // namespace

struct Session::Compiled {
  std::unique_ptr<SourceManager> sources;
  std::unique_ptr<ir::Program> program;
  std::optional<uint32_t> it;  // the decl holding the evaluated expression
};

Session::Session(const Options& options, Streams& streams)
    : options_(options), streams_(streams), policies_(options.policies), as_of_(TodayUtc()) {
  if (policies_.empty()) policies_.push_back("aiact");
  sets_ = options.sets;
  if (!options.as_of.empty()) {
    if (std::optional<int32_t> day = ParseDate(options.as_of)) as_of_ = *day;
  }
}

Session::~Session() = default;

bool Session::Start() {
  current_ = Compile("", false);
  if (!current_) return false;
  if (!options_.positional.empty()) {
    descriptor_path_ = options_.positional[0];
    std::istringstream no_stdin;  // the session reads its commands there
    if (!ReadDescriptor(*descriptor_path_, no_stdin, &descriptor_json_)) {
      streams_.err << "cannot read `" << *descriptor_path_ << "`\n";
    }
    LoadDescriptor(*current_, true);
  }
  return true;
}

std::unique_ptr<Session::Compiled> Session::Compile(const std::string& extra, bool quiet) {
  auto compiled = std::make_unique<Compiled>();
  compiled->sources = std::make_unique<SourceManager>();
  // First the policy alone, to learn its module paths for the imports.
  PolicyRequest request;
  request.policies = policies_;
  request.search_roots = options_.search_roots;
  {
    SourceManager probe_sources;
    DiagnosticSink probe;
    CheckResult base = Check(request, probe_sources, probe);
    if (!base.program) {
      if (!quiet) {
        probe.SortByLocation();
        std::vector<Diagnostic> errors;
        for (const Diagnostic& d : probe.diagnostics()) {
          if (d.severity == Severity::Error) errors.push_back(d);
        }
        RenderText(probe_sources, errors, {}, streams_.err);
      }
      return nullptr;
    }
    std::string text = "module " + std::string(kSessionModule) + "\n";
    for (const ir::Module& m : base.program->modules) text += "import " + m.path + "\n";
    for (const std::string& d : declarations_) text += d + "\n";
    request.in_memory.push_back({"<session>", text});
  }
  std::string& session = request.in_memory.back().text;
  uint32_t extra_begin = static_cast<uint32_t>(session.size());
  session += extra + "\n";
  DiagnosticSink diags;
  CheckResult result = Check(request, *compiled->sources, diags);
  if (!result.program) {
    if (!quiet) {
      // Errors in what was typed point into the typed text.
      std::string prefix = extra.rfind(std::string("def ") + std::string(kIt), 0) == 0
                               ? "def " + std::string(kIt) + " = "
                               : "";
      diags.SortByLocation();
      std::vector<Diagnostic> errors;
      for (Diagnostic d : diags.diagnostics()) {
        if (d.severity != Severity::Error) continue;
        const SourceFile& file = compiled->sources->file(d.range.file);
        if (d.range.valid() && file.path() == "<session>" && d.range.begin >= extra_begin) {
          uint32_t shift = extra_begin + static_cast<uint32_t>(prefix.size());
          uint32_t begin = d.range.begin >= shift ? d.range.begin - shift : 0;
          uint32_t end = d.range.end >= shift ? d.range.end - shift : begin;
          FileId shown = compiled->sources->Add("<input>", extra.substr(prefix.size()));
          d.range = {shown, begin, end};
        }
        errors.push_back(std::move(d));
      }
      RenderText(*compiled->sources, errors, {}, streams_.err);
    }
    return nullptr;
  }
  compiled->program = std::move(result.program);
  for (uint32_t id = 0; id < compiled->program->decls.size(); ++id) {
    const ir::Decl& d = compiled->program->decls[id];
    if (d.module == kSessionModule && d.name == kIt) compiled->it = id;
  }
  return compiled;
}

std::vector<Value> Session::Params(const Compiled& compiled) {
  std::vector<Value> params = Interpreter::DefaultParams(*compiled.program);
  for (const auto& [name, text] : sets_) {
    for (uint32_t p = 0; p < compiled.program->params.size(); ++p) {
      const ir::Param& param = compiled.program->params[p];
      if (param.name != name && param.module + "." + param.name != name) continue;
      std::string error;
      ir::ExprPtr value = ParseLiteral(compiled.program->types, param.type, text, ":set " + name, &error);
      if (!value) continue;
      std::optional<RuntimeError> ignored;
      params[p] = Interpreter(*compiled.program).EvaluateExpr(*value, 0, {}, &ignored);
    }
  }
  return params;
}

bool Session::LoadDescriptor(const Compiled& compiled, bool report) {
  row_ = nullptr;
  arena_.Reset();
  if (!descriptor_path_ || !compiled.program->input) return false;
  RowLoader loader(*compiled.program);
  LoadedRow loaded = loader.Load(descriptor_json_, arena_, false);
  if (report) {
    for (const InputIssue& issue : loaded.issues) {
      streams_.err << (issue.error ? "error: " : "warning: ") << (issue.path.empty() ? "" : issue.path + ": ")
                   << issue.message << " [" << InputIssueKindName(issue.kind) << "]\n";
    }
  }
  if (!loaded.ok()) return false;
  row_ = loaded.row;
  descriptor_id_ = loaded.id;
  if (report) streams_.out << "system " << loaded.id.value_or("(no id)") << " loaded\n";
  return true;
}

bool Session::IsDeclaration(const std::string& text) {
  for (const std::string& word : kDeclarationWords) {
    if (StartsWithWord(text, word)) return true;
  }
  return false;
}

// Declarations with clauses (`rule r` then `when ...`) go on over indented
// lines; a `def`, `param`, `enum` or `record` is complete like an expression.
bool Session::HasClauses(const std::string& text) {
  std::string rest = Trim(text);
  if (StartsWithWord(rest, "report")) rest = Trim(rest.substr(6));
  for (const char* word : {"rule", "obligation", "prohibition", "exception", "test"}) {
    if (StartsWithWord(rest, word)) return true;
  }
  return false;
}

// A light scan: brackets, strings, comments and the last significant word.
bool Session::Incomplete(const std::string& text) {
  int depth = 0;
  std::string last;
  for (size_t i = 0; i < text.size(); ++i) {
    char c = text[i];
    if (c == '#') {
      while (i < text.size() && text[i] != '\n') ++i;
      continue;
    }
    if (text.compare(i, 3, "\"\"\"") == 0) {
      size_t close = text.find("\"\"\"", i + 3);
      if (close == std::string::npos) return true;
      i = close + 2;
      last = "\"";
      continue;
    }
    if (c == '"') {
      ++i;
      while (i < text.size() && text[i] != '"' && text[i] != '\n') i += text[i] == '\\' ? 2 : 1;
      if (i >= text.size() || text[i] != '"') return false;  // a broken string: let the parser say so
      last = "\"";
      continue;
    }
    if (c == '(' || c == '[' || c == '{') ++depth;
    if (c == ')' || c == ']' || c == '}') --depth;
    if (std::isspace(static_cast<unsigned char>(c))) continue;
    if (std::isalnum(static_cast<unsigned char>(c)) || c == '_') {
      size_t j = i;
      while (j < text.size() && (std::isalnum(static_cast<unsigned char>(text[j])) || text[j] == '_')) ++j;
      last = text.substr(i, j - i);
      i = j - 1;
    } else {
      last = std::string(1, c);
    }
  }
  if (depth > 0) return true;
  static const std::vector<std::string> kTrailing = {
      "and", "or", "not", "implies", "if", "then", "else", "in", "has", "any", "all", "is",
      "=",   "+",  "-",   "*",       "/",  "&",    "|",    "<",  ">",   ",",   ":",   "."};
  return std::find(kTrailing.begin(), kTrailing.end(), last) != kTrailing.end();
}

bool Session::Handle(const std::string& raw) {
  std::string input = Trim(raw);
  if (input.empty() || input[0] == '#') return true;
  if (input[0] == ':') {
    if (input == ":quit" || input == ":q" || input == ":exit") return false;
    Command(input);
    return true;
  }
  if (IsDeclaration(input)) {
    Declare(raw);
  } else {
    Evaluate(input, false);
  }
  return true;
}

void Session::Declare(const std::string& declaration) {
  std::unique_ptr<Compiled> compiled = Compile(declaration, false);
  if (!compiled) return;
  declarations_.push_back(declaration);
  current_ = std::move(compiled);
  LoadDescriptor(*current_, false);
  std::string word = Trim(declaration);
  word = word.substr(0, word.find_first_of(" \t\n"));
  std::string rest = Trim(declaration).substr(word.size());
  if (word == "report") {
    rest = Trim(rest);
    word = rest.substr(0, rest.find_first_of(" \t\n"));
    rest = rest.substr(word.size());
  }
  rest = Trim(rest);
  std::string name = rest.substr(0, rest.find_first_of(" \t\n:(=\"{"));
  streams_.out << "defined " << word << " " << name << "\n";
}

void Session::Evaluate(const std::string& expression, bool type_only) {
  std::unique_ptr<Compiled> compiled = Compile("def " + std::string(kIt) + " = " + expression, false);
  if (!compiled || !compiled->it) return;
  const ir::Program& program = *compiled->program;
  const ir::Decl& decl = program.decls[*compiled->it];
  std::string type = program.types.Name(decl.type);
  if (type_only) {
    streams_.out << type << "\n";
    return;
  }
  Arena arena;
  const uint8_t* row = nullptr;
  if (descriptor_path_ && program.input) {
    RowLoader loader(program);
    LoadedRow loaded = loader.Load(descriptor_json_, arena, false);
    if (loaded.ok()) row = loaded.row;
  }
  std::vector<Value> params = Params(*compiled);
  EvalRequest request{row, as_of_, &params};
  std::optional<RuntimeError> error;
  Value value = Interpreter(program).EvaluateExpr(*decl.value, decl.locals, request, &error);
  if (error) {
    streams_.err << "runtime error: " << error->message << " [" << error->kind << "]\n";
    return;
  }
  if (!value.known()) {
    streams_.out << "unknown : " << type;
    if (!value.missing.empty()) {
      streams_.out << "  (missing:";
      for (const std::string& m : value.missing) streams_.out << " " << m;
      streams_.out << ")";
    }
    streams_.out << "\n";
    return;
  }
  streams_.out << ValueToLiteral(value, program.types) << " : " << type << "\n";
}

void Session::Command(const std::string& line) {
  std::string name = line.substr(0, line.find_first_of(" \t"));
  std::string argument = Trim(line.substr(name.size()));
  const ir::Program* program = current_ ? current_->program.get() : nullptr;
  std::vector<Value> params = current_ ? Params(*current_) : std::vector<Value>{};
  EvalRequest request{row_, as_of_, &params};
  auto find_decl = [&](const std::string& wanted) -> std::optional<uint32_t> {
    for (uint32_t id = 0; program && id < program->decls.size(); ++id) {
      const ir::Decl& d = program->decls[id];
      if (d.id == wanted || (d.name == wanted && d.module != kSessionModule)) return id;
    }
    for (uint32_t id = 0; program && id < program->decls.size(); ++id) {
      if (program->decls[id].name == wanted) return id;
    }
    return std::nullopt;
  };

  if (name == ":help") {
    streams_.out << kHelp;
  } else if (name == ":type") {
    Evaluate(argument, true);
  } else if (name == ":load") {
    std::vector<std::string> saved = policies_;
    if (!argument.empty()) {
      policies_.clear();
      std::istringstream words(argument);
      for (std::string w; words >> w;) policies_.push_back(w);
    }
    std::unique_ptr<Compiled> compiled = Compile("", false);
    if (!compiled) {
      policies_ = saved;
      streams_.err << "the policy was not changed\n";
      return;
    }
    current_ = std::move(compiled);
    LoadDescriptor(*current_, false);
    streams_.out << "loaded " << current_->program->modules.size() << " modules\n";
  } else if (name == ":system") {
    std::istringstream no_stdin;  // the session reads its commands there
    std::string text;
    if (!ReadDescriptor(argument, no_stdin, &text)) {
      streams_.err << "cannot read `" << argument << "`\n";
      return;
    }
    descriptor_path_ = argument;
    descriptor_json_ = std::move(text);
    LoadDescriptor(*current_, true);
  } else if (name == ":set") {
    size_t eq = argument.find('=');
    if (eq == std::string::npos) {
      streams_.err << "usage: :set NAME=VALUE\n";
      return;
    }
    std::string param = Trim(argument.substr(0, eq)), text = Trim(argument.substr(eq + 1));
    for (uint32_t p = 0; program && p < program->params.size(); ++p) {
      const ir::Param& declared = program->params[p];
      if (declared.name != param && declared.module + "." + declared.name != param) continue;
      std::string error;
      if (!ParseLiteral(program->types, declared.type, text, ":set " + param, &error)) {
        streams_.err << error;
        return;
      }
      sets_.emplace_back(param, text);
      streams_.out << param << " = " << text << "\n";
      return;
    }
    streams_.err << "the policy has no param `" << param << "`\n";
  } else if (name == ":as-of") {
    std::optional<int32_t> day = ParseDate(argument);
    if (!day) {
      streams_.err << "`" << argument << "` is not a date (YYYY-MM-DD)\n";
      return;
    }
    as_of_ = *day;
    streams_.out << "as of " << FormatDate(as_of_) << "\n";
  } else if (name == ":engine") {
    if (argument == "interp") {
      streams_.out << "engine interp\n";
    } else {
      streams_.err << "the `jit` engine is not available in this build; using interp\n";
    }
  } else if (name == ":explain") {
    std::optional<uint32_t> id = find_decl(argument);
    if (!id) {
      streams_.err << "no rule, obligation or prohibition named `" << argument << "`\n";
      return;
    }
    streams_.out << ExplanationText(*program, Explain(*program, request, *id));
  } else if (name == ":report" || name == ":obligations" || name == ":missing" || name == ":rules") {
    if (!program->input) {
      streams_.err << "the policy has no input\n";
      return;
    }
    Results results = Interpreter(*program).Evaluate(request);
    if (results.error) {
      streams_.err << "runtime error: " << results.error->message << " [" << results.error->kind << "]\n";
      return;
    }
    if (name == ":report") {
      PolicyInfo info = PolicyInfo::From(*program, params);
      std::vector<InputIssue> none;
      RecordSource source;
      source.file = descriptor_path_ ? std::string_view(*descriptor_path_) : "(none)";
      ReportInput report{*program, info, as_of_, source, descriptor_id_, none, &results, nullptr};
      WritePrettyReport(streams_.out, report, false);
    } else if (name == ":obligations") {
      for (size_t k = 0; k < program->obligations.size(); ++k) {
        const StatusResult& s = results.obligations[k];
        if (s.status == Status::NotApplicable) continue;
        const ir::Decl& d = program->decls[program->obligations[k]];
        streams_.out << StatusName(s.status) << "  " << (d.citations.empty() ? d.id : d.citations[0]) << "  "
                     << d.title.value_or(d.name) << (d.actor_name ? "  [" + *d.actor_name + "]" : "")
                     << (s.from ? "  from " + FormatDate(*s.from) : "") << "\n";
      }
    } else if (name == ":missing") {
      if (results.missing.empty()) streams_.out << "nothing is missing\n";
      for (const std::string& m : results.missing) streams_.out << m << "\n";
    } else {
      for (uint32_t id = 0; id < program->decls.size(); ++id) {
        const ir::Decl& d = program->decls[id];
        if (d.kind != ir::DeclKind::Rule || d.module == kSessionModule) continue;
        if (!argument.empty() && d.id.find(argument) == std::string::npos) continue;
        std::optional<RuntimeError> error;
        ir::Expr ref(ir::Op::DeclRef, ir::TypeTable::kBool, d.range);
        ref.index = id;
        Value value = Interpreter(*program).EvaluateExpr(ref, 0, request, &error);
        streams_.out << d.id << " = " << (value.known() ? ValueToLiteral(value, program->types) : "unknown")
                     << "\n";
      }
    }
  } else {
    streams_.err << "unknown command `" << name << "` (:help lists them)\n";
  }
}

std::vector<std::string> Session::Complete(const std::string& line, const std::string& word) {
  std::vector<std::string> candidates;
  std::string before = line.substr(0, line.size() - word.size());
  if (!line.empty() && line[0] == ':' && before.find(' ') == std::string::npos) {
    for (const char* c : {":load", ":system", ":set", ":as-of", ":type", ":explain", ":report",
                          ":obligations", ":rules", ":missing", ":engine", ":help", ":quit"}) {
      // The line editor may split the word at `:`.
      candidates.push_back(word.empty() || word[0] != ':' ? std::string(c + 1) : std::string(c));
    }
  } else if (!before.empty() && before.back() == '.' && current_) {
    // What stands before the dot: a record value, an enum type or a module.
    size_t start = before.size() - 1;
    while (start > 0 && (std::isalnum(static_cast<unsigned char>(before[start - 1])) ||
                         before[start - 1] == '_' || before[start - 1] == '.')) {
      --start;
    }
    std::string chain = before.substr(start, before.size() - 1 - start);
    const ir::Program& program = *current_->program;
    for (const ir::EnumInfo& e : program.types.enums) {
      if (e.name == chain) candidates.insert(candidates.end(), e.members.begin(), e.members.end());
    }
    for (const ir::Decl& d : program.decls) {
      std::string alias = d.module.substr(d.module.rfind('.') + 1);
      if (d.module == chain || alias == chain) candidates.push_back(d.name);
    }
    if (candidates.empty()) {
      std::unique_ptr<Compiled> compiled = Compile("def " + std::string(kIt) + " = " + chain, true);
      if (compiled && compiled->it) {
        const ir::Program& p = *compiled->program;
        ir::TypeId type = p.decls[*compiled->it].type;
        if (p.types.kind(type) == ir::TypeKind::Record) {
          for (const ir::FieldInfo& f : p.types.records[p.types.get(type).index].fields)
            candidates.push_back(f.name);
        }
      }
    }
  } else if (current_) {
    const ir::Program& program = *current_->program;
    for (const ir::Decl& d : program.decls) {
      if (d.name != kIt) candidates.push_back(d.name);
    }
    for (const ir::Param& p : program.params) candidates.push_back(p.name);
    for (const ir::EnumInfo& e : program.types.enums) {
      candidates.push_back(e.name);
      candidates.insert(candidates.end(), e.members.begin(), e.members.end());
    }
    for (const ir::Module& m : program.modules) candidates.push_back(m.path.substr(m.path.rfind('.') + 1));
    if (program.input) candidates.push_back(program.input->name);
    for (const char* k :
         {"as_of", "count", "default", "days", "months", "years", "true", "false", "unknown"}) {
      candidates.push_back(k);
    }
  }
  std::vector<std::string> matches;
  for (const std::string& c : candidates) {
    if (c.rfind(word, 0) == 0) matches.push_back(c);
  }
  std::sort(matches.begin(), matches.end());
  matches.erase(std::unique(matches.begin(), matches.end()), matches.end());
  return matches;
}

}  // namespace aipol::repl
