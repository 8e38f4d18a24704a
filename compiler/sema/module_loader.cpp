// Finds the files of a policy, parses them and follows imports.
//
// Search roots, in order: `-I` directories, directories given as policies,
// the roots implied by files given directly, then the embedded standard
// library. A module found in an explicit root shadows the embedded one.
#include "compiler/sema/module_loader.h"

#include <algorithm>
#include <filesystem>
#include <functional>
#include <set>

#include "compiler/sema/fs_probe.h"
#include "compiler/sema/stdlib.h"
#include "compiler/syntax/parse.h"

namespace aipol::sema {
namespace fs = std::filesystem;

namespace {

std::string ModuleToRelativePath(const std::string& module) {
  std::string path = module;
  std::replace(path.begin(), path.end(), '.', '/');
  return path + ".pol";
}

std::string RelativePathToModule(std::string path) {
  if (path.size() > 4 && path.substr(path.size() - 4) == ".pol") path.resize(path.size() - 4);
  std::replace(path.begin(), path.end(), '/', '.');
  return path;
}

const EmbeddedFile* FindStdlibModule(const std::string& module) {
  std::string relative = ModuleToRelativePath(module);
  for (const EmbeddedFile& f : EmbeddedStdlib()) {
    if (f.path == relative) return &f;
  }
  return nullptr;
}

std::string Normal(const std::string& path) { return fs::path(path).lexically_normal().generic_string(); }

class Loader {
 public:
  Loader(const PolicyRequest& request, SourceManager& sources, DiagnosticSink& diags)
      : request_(request), sources_(sources), diags_(diags), probe_(request.fs_log) {}

  LoadResult Run() {
    for (const std::string& root : request_.search_roots) roots_.push_back(root);
    for (const std::string& policy : request_.policies) {
      if (probe_.IsDirectory(policy)) roots_.push_back(policy);
    }
    for (const std::string& policy : request_.policies) AddPolicy(policy);
    for (const PolicyRequest::InMemory& module : request_.in_memory) {
      Parsed(sources_.Add(module.display_name, module.text), "", true, true);
    }
    // What the policies named is "requested" (its tests run); imports are not.
    for (LoadedModule& m : loaded_) m.requested = true;
    // Follow imports until closed; `pending_` grows while we walk it.
    for (size_t i = 0; i < loaded_.size(); ++i) {
      ast::Module* module = loaded_[i].ast.get();
      for (const ast::Name& import : module->imports) Require(import.text, import.range);
    }
    CheckImportCycles();
    std::sort(loaded_.begin(), loaded_.end(),
              [](const LoadedModule& a, const LoadedModule& b) { return a.path < b.path; });
    LoadResult result;
    result.ok = ok_;
    result.modules = std::move(loaded_);
    return result;
  }

 private:
  void AddPolicy(const std::string& policy) {
    if (probe_.IsDirectory(policy)) {
      // Each file's header names its module; its path must end with that
      // module's path, and the folder above becomes a search root.
      for (const std::string& file : probe_.PolicyFiles(policy)) LoadFile(file, "", {});
      return;
    }
    if (policy.size() > 4 && policy.substr(policy.size() - 4) == ".pol") {
      LoadFile(policy, "", {});
      return;
    }
    if (probe_.Exists(policy)) {
      diags_.Report(DiagKind::FileNotReadable, SourceRange{}, policy, "not a `.pol` file or a directory");
      ok_ = false;
      return;
    }
    AddPrefix(policy);
  }

  // `-p aiact`: every module whose path is `aiact` or starts with `aiact.`.
  void AddPrefix(const std::string& prefix) {
    std::set<std::string> found;
    auto matches = [&](const std::string& module) {
      return module == prefix || module.rfind(prefix + ".", 0) == 0;
    };
    for (const std::string& root : roots_) {
      for (const std::string& file : probe_.PolicyFiles(root)) {
        std::error_code ec;
        std::string module = RelativePathToModule(fs::relative(file, root, ec).generic_string());
        if (matches(module)) found.insert(module);
      }
    }
    if (request_.use_stdlib) {
      for (const EmbeddedFile& f : EmbeddedStdlib()) {
        std::string module = RelativePathToModule(std::string(f.path));
        if (matches(module)) found.insert(module);
      }
    }
    if (found.empty()) {
      diags_.Report(DiagKind::ModuleNotFound, SourceRange{}, prefix)
          .notes.push_back(
              {{}, "a policy is a `.pol` file, a directory, or a module prefix such as `aiact`"});
      ok_ = false;
    }
    for (const std::string& module : found) Require(module, {});
  }

  // Loads module `name` from the first root that has it, unless loaded.
  void Require(const std::string& name, SourceRange import_range) {
    if (by_path_.count(name)) return;
    for (const std::string& root : roots_) {
      fs::path candidate = fs::path(root) / ModuleToRelativePath(name);
      if (probe_.IsRegularFile(candidate.string())) {
        LoadFile(candidate.string(), name, import_range);
        return;
      }
    }
    if (request_.use_stdlib) {
      std::string relative = ModuleToRelativePath(name);
      for (const EmbeddedFile& f : EmbeddedStdlib()) {
        if (f.path != relative) continue;
        FileId file = sources_.Add(std::string(kStdlibPrefix) + relative, std::string(f.contents));
        Parsed(file, name, true);
        return;
      }
    }
    Diagnostic& d = diags_.Report(DiagKind::ModuleNotFound, import_range, name);
    std::vector<std::string> known = KnownModules();
    std::string close = ClosestMatch(name, known);
    if (!close.empty()) d.notes.push_back({{}, "did you mean `" + close + "`?"});
    ok_ = false;
  }

  std::vector<std::string> KnownModules() const {
    std::vector<std::string> names;
    for (const EmbeddedFile& f : EmbeddedStdlib()) names.push_back(RelativePathToModule(std::string(f.path)));
    for (const LoadedModule& m : loaded_) names.push_back(m.path);
    return names;
  }

  // `expected` is the module path implied by where the file was found, or
  // empty for a file named on the command line (its header decides, and the
  // folder above the module path becomes a search root).
  void LoadFile(const std::string& path, const std::string& expected, SourceRange import_range) {
    std::string error;
    std::optional<FileId> file = sources_.Load(path, &error);
    if (!file) {
      diags_.Report(DiagKind::FileNotReadable, import_range, path, error);
      ok_ = false;
      return;
    }
    probe_.Read(path, sources_.file(*file).text());
    Parsed(*file, expected, false);
  }

  void Parsed(FileId file, const std::string& expected, bool from_stdlib, bool in_memory = false) {
    ParseResult parsed = Parse(sources_, file, diags_);
    if (!parsed.ok) ok_ = false;
    std::string declared = parsed.module->path.text;
    if (declared.empty()) {
      ok_ = false;
      return;
    }
    if (!expected.empty() && declared != expected) {
      diags_.Report(DiagKind::ModulePathMismatch, parsed.module->path.range, declared,
                    ModuleToRelativePath(declared));
      ok_ = false;
      return;
    }
    if (expected.empty() && !in_memory && !AddImpliedRoot(file, declared, parsed.module->path.range)) return;
    auto existing = by_path_.find(declared);
    if (existing != by_path_.end()) {
      if (Normal(sources_.file(loaded_[existing->second].ast->file).path()) ==
          Normal(sources_.file(file).path())) {
        return;
      }
      Diagnostic& d = diags_.Report(DiagKind::DuplicateModule, parsed.module->path.range, declared);
      d.notes.push_back({loaded_[existing->second].ast->path.range, "first defined here"});
      ok_ = false;
      return;
    }
    // A copy of a standard-library module that differs from the embedded one
    // replaces it; say so, since reports then no longer reflect the stdlib.
    const EmbeddedFile* embedded = from_stdlib ? nullptr : FindStdlibModule(declared);
    if (request_.use_stdlib && embedded && embedded->contents != sources_.file(file).text()) {
      diags_.Report(DiagKind::ShadowsStdlibModule, parsed.module->path.range, declared);
    }
    by_path_[declared] = loaded_.size();
    loaded_.push_back({std::move(parsed.module), declared, from_stdlib});
  }

  bool AddImpliedRoot(FileId file, const std::string& declared, SourceRange header) {
    std::string path = fs::path(sources_.file(file).path()).lexically_normal().generic_string();
    std::string suffix = ModuleToRelativePath(declared);
    bool matches = path == suffix || (path.size() > suffix.size() &&
                                      path.compare(path.size() - suffix.size(), suffix.size(), suffix) == 0 &&
                                      path[path.size() - suffix.size() - 1] == '/');
    if (!matches) {
      diags_.Report(DiagKind::ModulePathMismatch, header, declared, suffix)
          .notes.push_back({{}, "the file is `" + sources_.file(file).path() + "`"});
      ok_ = false;
      return false;
    }
    std::string root = path.substr(0, path.size() - suffix.size());
    if (root.empty()) root = ".";
    if (std::find(roots_.begin(), roots_.end(), root) == roots_.end()) roots_.push_back(root);
    return true;
  }

  void CheckImportCycles() {
    std::vector<int> state(loaded_.size(), 0);  // 0 new, 1 on stack, 2 done
    std::vector<size_t> stack;
    std::function<void(size_t)> visit = [&](size_t i) {
      state[i] = 1;
      stack.push_back(i);
      for (const ast::Name& import : loaded_[i].ast->imports) {
        auto it = by_path_.find(import.text);
        if (it == by_path_.end()) continue;
        size_t j = it->second;
        if (state[j] == 1) {
          std::string cycle;
          auto start = std::find(stack.begin(), stack.end(), j);
          for (auto k = start; k != stack.end(); ++k) cycle += loaded_[*k].path + " -> ";
          cycle += loaded_[j].path;
          diags_.Report(DiagKind::ImportCycle, import.range, cycle);
          ok_ = false;
        } else if (state[j] == 0) {
          visit(j);
        }
      }
      stack.pop_back();
      state[i] = 2;
    };
    for (size_t i = 0; i < loaded_.size(); ++i) {
      if (state[i] == 0) visit(i);
    }
  }

  const PolicyRequest& request_;
  SourceManager& sources_;
  DiagnosticSink& diags_;
  FsProbe probe_;
  std::vector<std::string> roots_;
  std::vector<LoadedModule> loaded_;
  std::map<std::string, size_t> by_path_;
  bool ok_ = true;
};

}  // namespace

LoadResult LoadModules(const PolicyRequest& request, SourceManager& sources, DiagnosticSink& diags) {
  return Loader(request, sources, diags).Run();
}

}  // namespace aipol::sema
