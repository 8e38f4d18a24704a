#include "compiler/sema/fs_probe.h"

#include <algorithm>
#include <filesystem>

#include "compiler/source/source.h"
#include "runtime/sha256.h"

namespace aipol::sema {
namespace fs = std::filesystem;

namespace {

std::string Hash(std::string_view bytes) {
  Sha256 hash;
  hash.Update(bytes);
  return hash.HexDigest();
}

std::vector<std::string> ListPolicyFiles(const std::string& dir) {
  std::vector<std::string> files;
  std::error_code ec;
  for (auto it = fs::recursive_directory_iterator(dir, ec); !ec && it != fs::end(it); it.increment(ec)) {
    if (it->is_regular_file(ec) && it->path().extension() == ".pol") files.push_back(it->path().string());
  }
  std::sort(files.begin(), files.end());
  return files;
}

std::string Joined(const std::vector<std::string>& lines) {
  std::string text;
  for (const std::string& line : lines) text += line + "\n";
  return text;
}

// The SHA-256 of the file at `path`, or an answer no hash equals.
std::string FileHash(const std::string& path) {
  std::string text;
  return ReadFile(path, &text) ? Hash(text) : "unreadable";
}

}  // namespace

bool FsProbe::IsDirectory(const std::string& path) {
  std::error_code ec;
  bool answer = fs::is_directory(path, ec);
  Record(FsObservation::Kind::IsDirectory, path, answer ? "1" : "0");
  return answer;
}

bool FsProbe::Exists(const std::string& path) {
  std::error_code ec;
  bool answer = fs::exists(path, ec);
  Record(FsObservation::Kind::Exists, path, answer ? "1" : "0");
  return answer;
}

bool FsProbe::IsRegularFile(const std::string& path) {
  std::error_code ec;
  bool answer = fs::is_regular_file(path, ec);
  Record(FsObservation::Kind::IsRegularFile, path, answer ? "1" : "0");
  return answer;
}

std::vector<std::string> FsProbe::PolicyFiles(const std::string& dir) {
  std::vector<std::string> files = ListPolicyFiles(dir);
  if (log_) Record(FsObservation::Kind::PolicyFiles, dir, Joined(files));
  return files;
}

void FsProbe::Read(const std::string& path, std::string_view contents) {
  if (log_) Record(FsObservation::Kind::Contents, path, Hash(contents));
}

void FsProbe::Record(FsObservation::Kind kind, const std::string& path, std::string answer) {
  if (log_) log_->push_back({kind, path, std::move(answer)});
}

bool StillHolds(const std::vector<FsObservation>& log) {
  FsProbe probe(nullptr);
  for (const FsObservation& seen : log) {
    std::string answer;
    switch (seen.kind) {
      case FsObservation::Kind::IsDirectory: answer = probe.IsDirectory(seen.path) ? "1" : "0"; break;
      case FsObservation::Kind::Exists: answer = probe.Exists(seen.path) ? "1" : "0"; break;
      case FsObservation::Kind::IsRegularFile: answer = probe.IsRegularFile(seen.path) ? "1" : "0"; break;
      case FsObservation::Kind::PolicyFiles: answer = Joined(ListPolicyFiles(seen.path)); break;
      case FsObservation::Kind::Contents: answer = FileHash(seen.path); break;
    }
    if (answer != seen.answer) return false;
  }
  return true;
}

}  // namespace aipol::sema
