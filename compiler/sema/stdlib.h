// The standard library, embedded in the binary at build time
// (cmake/embed_files.cmake).
#pragma once

#include <string_view>
#include <vector>

namespace aipol {

struct EmbeddedFile {
  std::string_view path;  // relative to stdlib/, e.g. "aiact/system.pol"
  std::string_view contents;
};

const std::vector<EmbeddedFile>& EmbeddedStdlib();

}  // namespace aipol
