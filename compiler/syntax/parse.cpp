// Drives the ANTLR lexer and parser.
//
// Parsing is two-stage: SLL prediction with a bail-out strategy first (fast,
// and exact for every valid program of this grammar), and SLL again with
// error recovery only when that fails, so that errors are reported well.
// Not full LL there: it takes time quadratic in an operator chain that ends
// a quantifier's or an `if`'s body (docs/design.md).
#include "compiler/syntax/parse.h"

#include <algorithm>

#include <ANTLRInputStream.h>
#include <BailErrorStrategy.h>
#include <CommonTokenStream.h>
#include <DefaultErrorStrategy.h>
#include <Exceptions.h>
#include <antlr4-runtime.h>
#include <atn/ParserATNSimulator.h>
#include <atn/PredictionMode.h>

#include "AipolLexer.h"
#include "AipolParser.h"
#include "compiler/syntax/code_points.h"
#include "compiler/syntax/error_listener.h"
#include "compiler/syntax/parse_tree_to_ast.h"
#include "runtime/utf8.h"

namespace aipol {
namespace {

using aipol_antlr::AipolLexer;
using aipol_antlr::AipolParser;

using syntax::CodePointOffsets;

// Invalid UTF-8 is reported at its first bad byte; the parser never sees it.
bool CheckUtf8(const SourceManager& sources, FileId file, DiagnosticSink& diags) {
  std::string_view text = sources.file(file).text();
  size_t bad = FirstInvalidUtf8(text);
  if (bad == std::string_view::npos) return true;
  uint32_t at = static_cast<uint32_t>(bad);
  diags.Report(DiagKind::InvalidUtf8, SourceRange{file, at, at + 1});
  return false;
}

// ANTLR's parser recurses once per nesting level; input nested deeper than
// the language allows is rejected from the token stream before it can
// exhaust the stack.
bool CheckNesting(antlr4::CommonTokenStream& tokens, FileId file, const std::vector<uint32_t>& offsets,
                  DiagnosticSink& diags) {
  tokens.fill();
  int depth = 0, prefix_run = 0;
  for (antlr4::Token* token : tokens.getTokens()) {
    size_t type = token->getType();
    if (token->getChannel() != antlr4::Token::DEFAULT_CHANNEL) continue;
    if (type == AipolParser::LPAREN || type == AipolParser::LBRACKET || type == AipolParser::LBRACE) ++depth;
    // A closer with nothing open is a syntax error the parser recovers
    // from; it must not lower the count of what a later opener nests in.
    if (type == AipolParser::RPAREN || type == AipolParser::RBRACKET || type == AipolParser::RBRACE)
      depth = std::max(0, depth - 1);
    bool prefix = type == AipolParser::NOT || type == AipolParser::MINUS || type == AipolParser::IF;
    prefix_run = prefix ? prefix_run + 1 : 0;
    if (depth > kMaxExpressionDepth || prefix_run > kMaxExpressionDepth) {
      uint32_t begin = offsets[std::min<size_t>(token->getStartIndex(), offsets.size() - 1)];
      diags.Report(DiagKind::TooDeeplyNested, SourceRange{file, begin, begin + 1}, kMaxExpressionDepth);
      return false;
    }
  }
  return true;
}

// Everything one parse needs, kept alive together.
struct ParseSession {
  explicit ParseSession(std::string_view text)
      : input(std::string(text)), lexer(&input), tokens(&lexer), parser(&tokens) {
    lexer.removeErrorListeners();
  }
  antlr4::ANTLRInputStream input;
  AipolLexer lexer;
  antlr4::CommonTokenStream tokens;
  AipolParser parser;
};

// Runs `rule` in SLL mode, then again with recovery if it fails.
template <typename Rule>
auto TwoStageParse(ParseSession& session, syntax::ErrorListener& listener, Rule rule) {
  AipolParser& parser = session.parser;
  parser.removeErrorListeners();
  parser.getInterpreter<antlr4::atn::ParserATNSimulator>()->setPredictionMode(
      antlr4::atn::PredictionMode::SLL);
  parser.setErrorHandler(std::make_shared<antlr4::BailErrorStrategy>());
  try {
    return rule(parser);
  } catch (const antlr4::ParseCancellationException&) {
  } catch (const antlr4::RecognitionException&) {
  }
  session.tokens.seek(0);
  parser.reset();
  parser.addErrorListener(&listener);
  parser.setErrorHandler(std::make_shared<antlr4::DefaultErrorStrategy>());
  return rule(parser);
}

}  // namespace

ParseResult Parse(const SourceManager& sources, FileId file, DiagnosticSink& diags) {
  std::string_view text = sources.file(file).text();
  ParseResult result;
  result.module = std::make_unique<ast::Module>();
  result.module->file = file;
  if (!CheckUtf8(sources, file, diags)) return result;
  std::vector<uint32_t> offsets = CodePointOffsets(text);
  ParseSession session(text);
  if (!CheckNesting(session.tokens, file, offsets, diags)) return result;
  syntax::ErrorListener listener(file, offsets, diags);
  AipolParser::File_Context* tree =
      TwoStageParse(session, listener, [](AipolParser& p) { return p.file_(); });
  syntax::ParseTreeToAst builder(file, offsets, session.tokens, diags);
  result.module = builder.Module(tree);
  result.ok = listener.count() == 0 && builder.error_count() == 0;
  return result;
}

ast::ExprPtr ParseExpression(const SourceManager& sources, FileId file, DiagnosticSink& diags) {
  std::string_view text = sources.file(file).text();
  if (!CheckUtf8(sources, file, diags)) return nullptr;
  std::vector<uint32_t> offsets = CodePointOffsets(text);
  ParseSession session(text);
  if (!CheckNesting(session.tokens, file, offsets, diags)) return nullptr;
  syntax::ErrorListener listener(file, offsets, diags);
  AipolParser::ExprOnlyContext* tree =
      TwoStageParse(session, listener, [](AipolParser& p) { return p.exprOnly(); });
  syntax::ParseTreeToAst builder(file, offsets, session.tokens, diags);
  ast::ExprPtr expr = builder.Expr(tree->expr());
  if (listener.count() > 0 || builder.error_count() > 0) return nullptr;
  return expr;
}

}  // namespace aipol
