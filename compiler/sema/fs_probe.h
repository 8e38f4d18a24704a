// The file system as the module loader sees it, with a record of every
// question it asked and the answer it got.
//
// A policy's checked program depends on more than the files it loaded: on
// which directories exist, which files a directory holds, and which search
// root has a module first. The program cache (program_cache.h) stores the
// record with the program and asks each question again before using it, so
// a change that would make loading take another path is a miss.
#pragma once

#include <cstdint>
#include <string>
#include <string_view>
#include <vector>

namespace aipol::sema {

struct FsObservation {
  enum class Kind : uint8_t { IsDirectory, Exists, IsRegularFile, PolicyFiles, Contents };
  Kind kind;
  std::string path;
  std::string answer;  // "0" or "1"; the listing, one path per line; the contents' SHA-256
};

class FsProbe {
 public:
  // Records into `log` when it is not null.
  explicit FsProbe(std::vector<FsObservation>* log) : log_(log) {}

  bool IsDirectory(const std::string& path);
  bool Exists(const std::string& path);
  bool IsRegularFile(const std::string& path);
  // The `.pol` files under `dir`, recursively, sorted.
  std::vector<std::string> PolicyFiles(const std::string& dir);
  // A file the loader read: its contents are part of the program.
  void Read(const std::string& path, std::string_view contents);

 private:
  void Record(FsObservation::Kind kind, const std::string& path, std::string answer);
  std::vector<FsObservation>* log_;
};

// Whether asking every question of `log` again gives the same answers.
bool StillHolds(const std::vector<FsObservation>& log);

}  // namespace aipol::sema
