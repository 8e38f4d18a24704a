// Reading fleets in tests: every record a FleetReader gives for some inputs,
// from files made for the test or from a string as standard input.
#pragma once

#include <unistd.h>

#include <filesystem>
#include <fstream>
#include <memory>
#include <sstream>
#include <string>
#include <vector>

#include "runtime/fleet_reader.h"
#include "runtime/limits.h"

namespace aipol::testing {

struct Read {
  std::vector<RawRecord> records;
  std::vector<std::shared_ptr<const void>> blocks;  // the records' text
  std::vector<std::string> errors;
};

inline Read ReadAll(const std::vector<std::string>& inputs, const std::string& stdin_text, size_t limit) {
  std::istringstream in(stdin_text);
  FleetReader reader(inputs, in, limit);
  Read out;
  RecordBatch batch;
  while (reader.Next(batch, 3)) {
  }
  out.records = std::move(batch.records);
  out.blocks = std::move(batch.blocks);
  out.errors = reader.errors();
  return out;
}

inline Read ReadStdin(const std::string& text, size_t limit = kMaxDescriptorBytes) {
  return ReadAll({"-"}, text, limit);
}

// A file of its own in a fresh directory, removed with the fixture.
struct TempFile {
  explicit TempFile(const std::string& name, const std::string& text) {
    static int counter = 0;
    dir = std::filesystem::temp_directory_path() /
          ("aipol_reader_" + std::to_string(::getpid()) + "_" + std::to_string(counter++));
    std::filesystem::create_directories(dir);
    path = (dir / name).string();
    std::ofstream(path, std::ios::binary) << text;
  }
  ~TempFile() {
    std::error_code ec;
    std::filesystem::remove_all(dir, ec);
  }
  std::filesystem::path dir;
  std::string path;
};

inline Read ReadFile(const std::string& name, const std::string& text, size_t limit = kMaxDescriptorBytes) {
  TempFile file(name, text);
  return ReadAll({file.path}, "", limit);
}

}  // namespace aipol::testing
