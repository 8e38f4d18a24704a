// Text in HTML (the batch report page, the obligation catalogue).
#pragma once

#include <string>
#include <string_view>

namespace aipol {

// `text` with the five characters that can end text or an attribute value
// (& < > " ') as character references.
std::string HtmlEscape(std::string_view text);

}  // namespace aipol
