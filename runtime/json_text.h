// Writing JSON text by hand: string escaping shared by every JSON writer.
#pragma once

#include <string>
#include <string_view>

namespace aipol {

// Appends `text` as a JSON string literal (with quotes). Invalid UTF-8 bytes
// are replaced by U+FFFD so the output is always valid JSON.
void AppendJsonString(std::string& out, std::string_view text);
std::string JsonString(std::string_view text);

}  // namespace aipol
