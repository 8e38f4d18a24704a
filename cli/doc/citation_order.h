// The order of citations in the catalogue's index: articles by number
// (Art. 4 < Art. 5(1)(a) < Art. 9 < Art. 26(7)), then annexes by numeral
// (Annex III < Annex IV), then recitals, then Code of Practice measures
// (CoP ...), then anything else. A bracketed note (`[Omnibus 2026]`) sorts
// after the same citation without one.
#pragma once

#include <string>
#include <string_view>

namespace aipol {

bool CitationLess(std::string_view a, std::string_view b);

// The article, annex, recital or Code of Practice chapter a citation belongs
// to, for headings: `Art. 5`, `Annex III`, `Recital 53`,
// `CoP Safety & Security`; the whole citation otherwise.
std::string CitationGroup(std::string_view citation);

}  // namespace aipol
