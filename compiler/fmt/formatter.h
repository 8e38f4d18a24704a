// The formatter (internal to fmt/): builds one layout document for a parsed
// module and its comments.
//
// Comments are not in the AST, so they are placed by position: a comment on
// the line where an item ends trails that item, one on a line of its own
// goes above the next item. The items are the things the layout puts on
// lines of their own: declarations, clauses, fields, enum members, test
// steps, and, inside expressions, the operands of a broken `and`/`or` chain
// and the elements of a broken list. A comment anywhere else (inside
// `a.b`, say) moves above the clause, step, field or declaration around it,
// so that no comment is ever lost and a second run leaves it where it is.
#pragma once

#include <optional>
#include <string>
#include <string_view>
#include <vector>

#include "compiler/ast/ast.h"
#include "compiler/fmt/doc.h"
#include "compiler/fmt/fmt.h"
#include "compiler/syntax/parse.h"

namespace aipol::formatting {

inline constexpr int kWidth = kFormatWidth;

class Formatter {
 public:
  Formatter(std::string_view text, const ast::Module& module, std::vector<Comment> comments);
  std::string Run();

 private:
  // --------------------------------------------------------- placement.cpp
  // The comments between and after `items` (source order) in [begin, end):
  // those inside an item are left to the item.
  struct Placement {
    std::vector<std::vector<size_t>> leading;     // own lines above item i
    std::vector<std::optional<size_t>> trailing;  // at the end of item i's line
    std::vector<size_t> dangling;                 // own lines after the last item
  };
  Placement Place(const std::vector<SourceRange>& items, uint32_t begin, uint32_t end) const;
  std::string CommentText(size_t index) const;
  Doc Trailing(size_t index);
  Doc OwnLine(size_t index);
  Doc OwnLines(const std::vector<size_t>& indices);
  // The comments in [begin, end) that no item took, as own lines.
  std::vector<size_t> Unclaimed(uint32_t begin, uint32_t end) const;
  Doc Hoist(uint32_t begin, uint32_t end);
  bool HasComment(uint32_t begin, uint32_t end) const;
  // Whether a comment at or between items i - 1 and i of a list (operands,
  // elements) forces item i onto a line of its own.
  bool BreakBefore(const Placement& place, const std::vector<SourceRange>& ranges, size_t i) const;
  size_t FirstCommentAt(uint32_t offset) const;
  // The comment right after `end` on its line, unless it documents the
  // declaration below it.
  std::optional<size_t> TrailingAfter(uint32_t end) const;
  bool SameLine(uint32_t from, uint32_t to) const;
  bool BlankLineBetween(uint32_t from, uint32_t to) const;
  uint32_t NextToken(uint32_t offset) const;
  uint32_t PreviousTokenEnd(uint32_t offset) const;
  uint32_t Column(uint32_t offset) const;
  void FindDocComments();

  // ------------------------------------------------------- format_expr.cpp
  struct ExprContext {
    int min_level = 0;       // the loosest operator allowed without parentheses
    bool rightmost = true;   // nothing follows, so `if` and quantifiers need no parentheses
    bool operand = false;    // an operand of an operator: parentheses around operators stay
    bool statement = false;  // the whole expression of a clause or step
  };
  Doc Expr(const ast::Expr& e, ExprContext context);
  Doc Parenthesized(const ast::Expr& inner);
  Doc LogicChain(const ast::Expr& e, ExprContext context);
  Doc OperatorChain(const ast::Expr& e, ExprContext context);
  Doc If(const ast::Expr& e);
  Doc Quantifier(const ast::Expr& e);
  Doc Call(const ast::Expr& e);
  Doc Collection(const ast::Expr& e);
  Doc Bracketed(std::string_view open, std::vector<Doc> elements, const std::vector<SourceRange>& ranges,
                std::string_view close, uint32_t begin, uint32_t end);
  Doc CommaFill(std::vector<Doc> elements, const std::vector<SourceRange>& ranges, const Placement& place);
  Doc Literal(const ast::Expr& e);
  std::string StringToken(SourceRange token, const std::string& value) const;

  // ------------------------------------------------------- format_decl.cpp
  Doc Declaration(const ast::Decl& decl, std::optional<size_t> trailing);
  Doc Braced(const ast::Decl& decl, const std::string& header, uint32_t name_end, std::vector<Doc> elements,
             const std::vector<SourceRange>& ranges, uint32_t end, bool one_line);
  Doc ClauseDeclaration(const ast::Decl& decl, const std::string& prefix, uint32_t end);
  Doc ValueDeclaration(const ast::Decl& decl, const std::string& prefix, std::optional<size_t> trailing);
  Doc Clause(const ast::Clause& clause);
  Doc Step(const ast::TestStep& step);
  std::string Type(const ast::TypeRef& type) const;

  // ---------------------------------------------------------------- fmt.cpp
  struct TopLevel;
  void CommentBlock(TopLevel& out, const std::vector<size_t>& comments, std::optional<uint32_t> next);

  std::string_view text_;
  const ast::Module& module_;
  std::vector<Comment> comments_;
  std::vector<bool> claimed_;
  std::vector<int> doc_of_;  // the declaration a `##` comment documents, or -1
};

}  // namespace aipol::formatting
