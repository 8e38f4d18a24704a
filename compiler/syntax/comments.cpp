// The comment tokens of a file: the lexer puts them on hidden channels, so
// they never reach the parse tree and the AST keeps only `##` documentation.
#include <ANTLRInputStream.h>
#include <CommonTokenStream.h>
#include <antlr4-runtime.h>

#include "AipolLexer.h"
#include "compiler/syntax/code_points.h"
#include "compiler/syntax/parse.h"
#include "runtime/utf8.h"

namespace aipol {

std::vector<Comment> Comments(const SourceManager& sources, FileId file) {
  std::string_view text = sources.file(file).text();
  std::vector<Comment> comments;
  if (FirstInvalidUtf8(text) != std::string_view::npos) return comments;
  std::vector<uint32_t> offsets = syntax::CodePointOffsets(text);

  antlr4::ANTLRInputStream input{std::string(text)};
  aipol_antlr::AipolLexer lexer(&input);
  lexer.removeErrorListeners();
  antlr4::CommonTokenStream tokens(&lexer);
  tokens.fill();
  for (antlr4::Token* token : tokens.getTokens()) {
    size_t type = token->getType();
    if (type != aipol_antlr::AipolLexer::COMMENT && type != aipol_antlr::AipolLexer::DOC_COMMENT) continue;
    size_t start = std::min<size_t>(token->getStartIndex(), offsets.size() - 1);
    size_t stop = std::min<size_t>(token->getStopIndex() + 1, offsets.size() - 1);
    comments.push_back(
        {SourceRange{file, offsets[start], offsets[stop]}, type == aipol_antlr::AipolLexer::DOC_COMMENT});
  }
  return comments;
}

}  // namespace aipol
