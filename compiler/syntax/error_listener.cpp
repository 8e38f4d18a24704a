#include "compiler/syntax/error_listener.h"

#include <Parser.h>

#include "AipolParser.h"

namespace aipol::syntax {
namespace {

using P = aipol_antlr::AipolParser;

std::string DescribeToken(antlr4::Token* token) {
  if (token == nullptr || token->getType() == antlr4::Token::EOF) return "end of file";
  return "`" + token->getText() + "`";
}

// Names what the parser wanted in words a policy author uses: long token sets
// are summarised ("an expression", "a declaration").
std::string DescribeExpected(antlr4::Parser* parser) {
  antlr4::misc::IntervalSet expected = parser->getExpectedTokens();
  auto has = [&](size_t type) { return expected.contains(type); };
  if (has(P::INT) && has(P::STRING) && has(P::ID)) {
    return "an expression";
  }
  if (has(P::RULE) && has(P::OBLIGATION)) {
    if (has(P::CITE)) return "a clause or a declaration";
    return "a declaration";
  }
  // Contextual words are names too, so a set with ID is "a name".
  if (has(P::ID)) return has(P::LT) ? "a name or `<`" : "a name";
  if (has(P::CITE) && has(P::WHEN)) return "a clause";
  std::vector<std::string> words;
  for (ssize_t item : expected.toList()) {
    size_t type = static_cast<size_t>(item);
    if (type == P::ID) {
      words.push_back("a name");
    } else if (type == P::STRING) {
      words.push_back("a string");
    } else if (type == P::INT) {
      words.push_back("an integer");
    } else if (type == P::DATE) {
      words.push_back("a date");
    } else if (type == antlr4::Token::EOF) {
      words.push_back("end of file");
    } else {
      std::string literal = parser->getVocabulary().getLiteralName(type);
      if (literal.size() >= 2) {
        words.push_back("`" + literal.substr(1, literal.size() - 2) + "`");
      }
    }
  }
  if (words.empty()) return "something else";
  if (words.size() > 5) words.resize(5);
  std::string text;
  for (size_t i = 0; i < words.size(); ++i) {
    if (i > 0) text += i + 1 == words.size() ? " or " : ", ";
    text += words[i];
  }
  return text;
}

}  // namespace

void ErrorListener::syntaxError(antlr4::Recognizer* recognizer, antlr4::Token* offending, size_t, size_t,
                                const std::string&, std::exception_ptr) {
  auto* parser = dynamic_cast<antlr4::Parser*>(recognizer);
  if (parser == nullptr || offending == nullptr) return;
  // Recovery can report the same token twice; once is enough.
  if (offending->getTokenIndex() == last_token_index_) return;
  last_token_index_ = offending->getTokenIndex();
  ++count_;

  SourceRange range{file_, 0, 0};
  if (offending->getType() == antlr4::Token::EOF) {
    range.begin = range.end = byte_offsets_.back();
  } else {
    range.begin = byte_offsets_[offending->getStartIndex()];
    range.end = byte_offsets_[offending->getStopIndex() + 1];
  }
  if (offending->getType() == P::UNTERMINATED_TEXT) {
    range.end = range.begin + 3;
    diags_.Report(DiagKind::UnterminatedString, range);
    return;
  }
  if (offending->getType() == P::UNEXPECTED_CHAR) {
    if (offending->getText() == "\"") {
      diags_.Report(DiagKind::UnterminatedString, range);
    } else {
      diags_.Report(DiagKind::UnexpectedCharacter, range, DescribeToken(offending));
    }
    return;
  }
  Diagnostic& d =
      diags_.Report(DiagKind::UnexpectedToken, range, DescribeExpected(parser), DescribeToken(offending));
  // The commonest slip for newcomers: `=` where a comparison was meant.
  // (Not inside a type's arguments, where `>` was missing.)
  bool after_expression = !parser->getExpectedTokens().contains(static_cast<size_t>(P::GT));
  if (offending->getType() == P::ASSIGN && after_expression) {
    d.notes.push_back({{}, "comparisons use `==`"});
  }
}

}  // namespace aipol::syntax
