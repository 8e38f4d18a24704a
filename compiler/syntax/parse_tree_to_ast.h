// Builds our AST from ANTLR's parse tree (internal to syntax/).
#pragma once

#include <vector>

#include "AipolParser.h"
#include "CommonTokenStream.h"
#include "compiler/ast/ast.h"
#include "compiler/diag/diag.h"

namespace aipol::syntax {

class ParseTreeToAst {
 public:
  ParseTreeToAst(FileId file, const std::vector<uint32_t>& byte_offsets, antlr4::CommonTokenStream& tokens,
                 DiagnosticSink& diags)
      : file_(file), byte_offsets_(byte_offsets), tokens_(tokens), diags_(diags) {}

  std::unique_ptr<ast::Module> Module(aipol_antlr::AipolParser::File_Context* ctx);
  ast::ExprPtr Expr(aipol_antlr::AipolParser::ExprContext* ctx);
  size_t error_count() const { return errors_; }

 private:
  using P = aipol_antlr::AipolParser;

  SourceRange Range(antlr4::ParserRuleContext* ctx) const;
  SourceRange Range(antlr4::tree::TerminalNode* node) const;
  SourceRange Range(antlr4::Token* token) const;
  ast::Name Name(P::NameContext* ctx) const;
  ast::Name Dotted(P::DottedNameContext* ctx) const;
  std::string Doc(antlr4::Token* first) const;
  template <typename... Args>
  void Error(DiagKind kind, SourceRange range, const Args&... args) {
    ++errors_;
    diags_.Report(kind, range, args...);
  }

  ast::Decl Declaration(P::DeclarationContext* ctx);
  void Enum(P::EnumDeclContext* ctx, ast::Decl& decl);
  void Record(P::RecordDeclContext* ctx, ast::Decl& decl);
  void Def(P::DefDeclContext* ctx, ast::Decl& decl);
  void Clauses(const std::vector<P::ClauseContext*>& clauses, ast::Decl& decl);
  void Test(P::TestDeclContext* ctx, ast::Decl& decl);
  ast::TestStep Step(P::TestStepContext* ctx);
  ast::Name Status(P::StatusWordContext* ctx) const;
  ast::TypeRef Type(P::TypeContext* ctx) const;
  std::string StringValue(antlr4::Token* token);

  ast::ExprPtr Implies(P::ImpliesExprContext* ctx);
  ast::ExprPtr Or(P::OrExprContext* ctx);
  ast::ExprPtr And(P::AndExprContext* ctx);
  ast::ExprPtr Not(P::NotExprContext* ctx);
  ast::ExprPtr Compare(P::CompareExprContext* ctx);
  ast::ExprPtr Union(P::UnionExprContext* ctx);
  ast::ExprPtr Intersect(P::InterExprContext* ctx);
  ast::ExprPtr Add(P::AddExprContext* ctx);
  ast::ExprPtr Mul(P::MulExprContext* ctx);
  ast::ExprPtr Unary(P::UnaryExprContext* ctx);
  ast::ExprPtr Postfix(P::PostfixExprContext* ctx);
  ast::ExprPtr Primary(P::PrimaryContext* ctx);
  ast::ExprPtr Literal(P::PrimaryContext* ctx);
  ast::ExprPtr Collection(P::PrimaryContext* ctx);
  ast::ExprPtr Binder(ast::ExprKind kind, P::PrimaryContext* ctx, P::NameContext* binder,
                      P::ExprContext* collection, P::ExprContext* predicate);
  ast::ExprPtr Placeholder(SourceRange range);
  void ReportTooDeep(SourceRange range);
  ast::ExprPtr MakeBinary(ast::BinaryOp op, ast::ExprPtr left, ast::ExprPtr right);

  FileId file_;
  const std::vector<uint32_t>& byte_offsets_;
  antlr4::CommonTokenStream& tokens_;
  DiagnosticSink& diags_;
  size_t errors_ = 0;
  int depth_ = 0;
  bool depth_reported_ = false;  // TooDeeplyNested once per expression
};

}  // namespace aipol::syntax
