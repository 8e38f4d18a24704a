// ANTLR parse tree -> ast::Module, right away (the parse tree is dropped
// after this). Literal values are decoded and checked here, so later phases
// only see well-formed literals.
#include "compiler/syntax/parse_tree_to_ast.h"

#include <cerrno>
#include <cmath>
#include <cstdlib>
#include <regex>

#include "runtime/date.h"

namespace aipol::syntax {

using ast::BinaryOp;
using ast::ExprKind;
using ast::ExprPtr;

namespace {

bool IsCitationWellFormed(const std::string& text) {
  static const std::regex kPattern(
      R"(^(Art\. \d+[a-z]?(\(\d+[a-z]?\))*(\([a-z]+\))*|Annex [IVX]+( Section [AB])?(\(\d+\))?(\([a-z]\))?|Recital \d+|CoP [A-Za-z&, ]+ [A-Z]*\d+(\.\d+)*)( \[[^\]]+\])?$)");
  return std::regex_match(text, kPattern);
}

// Which clauses each declaration kind takes.
bool ClauseAllowed(ast::DeclKind decl, ast::ClauseKind clause) {
  using C = ast::ClauseKind;
  switch (decl) {
    case ast::DeclKind::Obligation: return true;
    case ast::DeclKind::Prohibition: return clause != C::Actor && clause != C::Evidence;
    default: return clause == C::Cite || clause == C::When || clause == C::Unless || clause == C::Text;
  }
}

std::string_view Article(ast::DeclKind kind) {
  switch (kind) {
    case ast::DeclKind::Rule: return "a rule";
    case ast::DeclKind::Exception: return "an exception";
    case ast::DeclKind::Prohibition: return "a prohibition";
    default: return "an obligation";
  }
}

}  // namespace

SourceRange ParseTreeToAst::Range(antlr4::Token* token) const {
  if (token == nullptr || token->getType() == antlr4::Token::EOF) {
    return {file_, byte_offsets_.back(), byte_offsets_.back()};
  }
  size_t start = std::min<size_t>(token->getStartIndex(), byte_offsets_.size() - 1);
  size_t stop = std::min<size_t>(token->getStopIndex() + 1, byte_offsets_.size() - 1);
  return {file_, byte_offsets_[start], byte_offsets_[std::max(start, stop)]};
}

SourceRange ParseTreeToAst::Range(antlr4::tree::TerminalNode* node) const {
  return node ? Range(node->getSymbol()) : SourceRange{file_, 0, 0};
}

SourceRange ParseTreeToAst::Range(antlr4::ParserRuleContext* ctx) const {
  if (ctx == nullptr) return {file_, 0, 0};
  SourceRange begin = Range(ctx->getStart());
  antlr4::Token* stop = ctx->getStop();
  // An empty or failed rule may end before it starts.
  if (stop == nullptr || stop->getTokenIndex() < ctx->getStart()->getTokenIndex()) return begin;
  return SourceRange::Join(begin, Range(stop));
}

ast::Name ParseTreeToAst::Name(P::NameContext* ctx) const {
  if (ctx == nullptr) return {};
  return {ctx->getText(), Range(ctx)};
}

ast::Name ParseTreeToAst::Dotted(P::DottedNameContext* ctx) const {
  if (ctx == nullptr) return {};
  std::string text;
  for (P::NameContext* part : ctx->name()) {
    if (!text.empty()) text += '.';
    text += part->getText();
  }
  return {text, Range(ctx)};
}

// `##` lines directly above a declaration, joined with newlines. A blank
// line or an ordinary comment between them and the declaration detaches them.
std::string ParseTreeToAst::Doc(antlr4::Token* first) const {
  std::vector<std::string> lines;
  for (ssize_t i = static_cast<ssize_t>(first->getTokenIndex()) - 1; i >= 0; --i) {
    antlr4::Token* token = tokens_.get(static_cast<size_t>(i));
    if (token->getType() == P::WS) {
      std::string text = token->getText();
      if (std::count(text.begin(), text.end(), '\n') > 1) break;
      continue;
    }
    if (token->getType() != P::DOC_COMMENT) break;
    std::string line = token->getText().substr(2);
    if (!line.empty() && line[0] == ' ') line.erase(0, 1);
    lines.push_back(line);
  }
  std::string doc;
  for (auto it = lines.rbegin(); it != lines.rend(); ++it) {
    if (!doc.empty()) doc += '\n';
    doc += *it;
  }
  return doc;
}

std::unique_ptr<ast::Module> ParseTreeToAst::Module(P::File_Context* ctx) {
  auto module = std::make_unique<ast::Module>();
  module->file = file_;
  if (ctx == nullptr) return module;
  if (ctx->moduleHeader()) module->path = Dotted(ctx->moduleHeader()->dottedName());
  for (P::ImportDeclContext* import : ctx->importDecl()) {
    if (import->dottedName()) module->imports.push_back(Dotted(import->dottedName()));
  }
  for (P::DeclarationContext* decl : ctx->declaration()) {
    module->decls.push_back(Declaration(decl));
  }
  return module;
}

ast::Decl ParseTreeToAst::Declaration(P::DeclarationContext* ctx) {
  ast::Decl decl{};
  decl.range = Range(ctx);
  decl.doc = Doc(ctx->getStart());
  antlr4::ParserRuleContext* inner =
      ctx->children.empty() ? nullptr : dynamic_cast<antlr4::ParserRuleContext*>(ctx->children[0]);
  if (auto* report = dynamic_cast<P::ReportDeclContext*>(inner)) {
    decl.reported = true;
    inner =
        report->defDecl() ? static_cast<antlr4::ParserRuleContext*>(report->defDecl()) : report->ruleDecl();
  }
  if (auto* e = dynamic_cast<P::EnumDeclContext*>(inner)) {
    decl.kind = ast::DeclKind::Enum;
    Enum(e, decl);
  } else if (auto* r = dynamic_cast<P::RecordDeclContext*>(inner)) {
    decl.kind = ast::DeclKind::Record;
    Record(r, decl);
  } else if (auto* in = dynamic_cast<P::InputDeclContext*>(inner)) {
    decl.kind = ast::DeclKind::Input;
    decl.name = Name(in->name());
    if (in->type()) decl.type = Type(in->type());
  } else if (auto* param = dynamic_cast<P::ParamDeclContext*>(inner)) {
    decl.kind = ast::DeclKind::Param;
    decl.name = Name(param->name());
    if (param->type()) decl.type = Type(param->type());
    decl.value = Expr(param->expr());
  } else if (auto* def = dynamic_cast<P::DefDeclContext*>(inner)) {
    decl.kind = ast::DeclKind::Def;
    Def(def, decl);
  } else if (auto* rule = dynamic_cast<P::RuleDeclContext*>(inner)) {
    decl.kind = ast::DeclKind::Rule;
    decl.name = Name(rule->name());
    if (rule->STRING()) {
      decl.title = StringValue(rule->STRING()->getSymbol());
      decl.title_range = Range(rule->STRING());
    }
    Clauses(rule->clause(), decl);
  } else if (auto* exception = dynamic_cast<P::ExceptionDeclContext*>(inner)) {
    decl.kind = ast::DeclKind::Exception;
    decl.name = Name(exception->name());
    decl.target = Dotted(exception->dottedName());
    Clauses(exception->clause(), decl);
  } else if (auto* obligation = dynamic_cast<P::ObligationDeclContext*>(inner)) {
    decl.kind = ast::DeclKind::Obligation;
    decl.name = Name(obligation->name());
    if (obligation->STRING()) {
      decl.title = StringValue(obligation->STRING()->getSymbol());
      decl.title_range = Range(obligation->STRING());
    }
    Clauses(obligation->clause(), decl);
  } else if (auto* prohibition = dynamic_cast<P::ProhibitionDeclContext*>(inner)) {
    decl.kind = ast::DeclKind::Prohibition;
    decl.name = Name(prohibition->name());
    if (prohibition->STRING()) {
      decl.title = StringValue(prohibition->STRING()->getSymbol());
      decl.title_range = Range(prohibition->STRING());
    }
    Clauses(prohibition->clause(), decl);
  } else if (auto* test = dynamic_cast<P::TestDeclContext*>(inner)) {
    decl.kind = ast::DeclKind::Test;
    Test(test, decl);
  } else {
    // Only reachable after a syntax error, which was reported already.
    decl.kind = ast::DeclKind::Rule;
    ++errors_;
  }
  return decl;
}

void ParseTreeToAst::Enum(P::EnumDeclContext* ctx, ast::Decl& decl) {
  std::vector<P::NameContext*> names = ctx->name();
  if (names.empty()) return;
  decl.name = Name(names[0]);
  for (size_t i = 1; i < names.size(); ++i) decl.members.push_back(Name(names[i]));
}

void ParseTreeToAst::Record(P::RecordDeclContext* ctx, ast::Decl& decl) {
  decl.name = Name(ctx->name());
  for (P::FieldDeclContext* field : ctx->fieldDecl()) {
    ast::Field f;
    f.name = Name(field->name());
    if (field->type()) f.type = Type(field->type());
    f.required = field->REQUIRED() != nullptr;
    decl.fields.push_back(std::move(f));
  }
}

void ParseTreeToAst::Def(P::DefDeclContext* ctx, ast::Decl& decl) {
  decl.name = Name(ctx->name());
  decl.is_function = ctx->LPAREN() != nullptr;
  for (P::ParamSpecContext* spec : ctx->paramSpec()) {
    ast::Parameter p;
    p.name = Name(spec->name());
    if (spec->type()) p.type = Type(spec->type());
    decl.params.push_back(std::move(p));
  }
  if (ctx->type()) decl.type = Type(ctx->type());
  decl.value = Expr(ctx->expr());
}

ast::TypeRef ParseTreeToAst::Type(P::TypeContext* ctx) const {
  ast::TypeRef type;
  if (ctx == nullptr) return type;
  type.name = ctx->dottedName() ? Dotted(ctx->dottedName()).text : "";
  type.range = Range(ctx);
  for (P::TypeContext* arg : ctx->type()) type.args.push_back(Type(arg));
  return type;
}

void ParseTreeToAst::Clauses(const std::vector<P::ClauseContext*>& clauses, ast::Decl& decl) {
  for (P::ClauseContext* ctx : clauses) {
    ast::Clause clause{};
    clause.range = Range(ctx);
    if (auto* cite = dynamic_cast<P::CiteClauseContext*>(ctx)) {
      clause.kind = ast::ClauseKind::Cite;
      for (antlr4::tree::TerminalNode* s : cite->STRING()) {
        ast::Citation citation{StringValue(s->getSymbol()), Range(s)};
        if (!IsCitationWellFormed(citation.text)) {
          diags_.Report(DiagKind::InvalidCitation, citation.range, citation.text)
              .notes.push_back({{},
                                "write e.g. `Art. 26(7)`, `Annex III(4)(a)`, `Recital 53` or "
                                "`CoP Copyright M1.3`"});
        }
        clause.citations.push_back(std::move(citation));
      }
    } else if (auto* when = dynamic_cast<P::WhenClauseContext*>(ctx)) {
      clause.kind = ast::ClauseKind::When;
      clause.expr = Expr(when->expr());
    } else if (auto* unless = dynamic_cast<P::UnlessClauseContext*>(ctx)) {
      clause.kind = ast::ClauseKind::Unless;
      clause.expr = Expr(unless->expr());
    } else if (auto* actor = dynamic_cast<P::ActorClauseContext*>(ctx)) {
      clause.kind = ast::ClauseKind::Actor;
      clause.actor = Name(actor->name());
    } else if (auto* from = dynamic_cast<P::FromClauseContext*>(ctx)) {
      clause.kind = ast::ClauseKind::From;
      clause.expr = Expr(from->expr());
    } else if (auto* until = dynamic_cast<P::UntilClauseContext*>(ctx)) {
      clause.kind = ast::ClauseKind::Until;
      clause.expr = Expr(until->expr());
    } else if (auto* evidence = dynamic_cast<P::EvidenceClauseContext*>(ctx)) {
      clause.kind = ast::ClauseKind::Evidence;
      clause.expr = Expr(evidence->expr());
    } else if (auto* text = dynamic_cast<P::TextClauseContext*>(ctx)) {
      clause.kind = ast::ClauseKind::Text;
      if (text->STRING()) clause.text = StringValue(text->STRING()->getSymbol());
    } else {
      continue;
    }
    SourceRange keyword = Range(ctx->getStart());
    if (!ClauseAllowed(decl.kind, clause.kind)) {
      Error(DiagKind::ClauseNotAllowed, keyword, ast::ClauseKindName(clause.kind), Article(decl.kind));
      continue;
    }
    if (clause.kind != ast::ClauseKind::Cite) {
      for (const ast::Clause& earlier : decl.clauses) {
        if (earlier.kind == clause.kind) {
          Error(DiagKind::DuplicateClause, keyword, ast::ClauseKindName(clause.kind));
        }
      }
    }
    decl.clauses.push_back(std::move(clause));
  }
}

void ParseTreeToAst::Test(P::TestDeclContext* ctx, ast::Decl& decl) {
  if (ctx->STRING()) {
    decl.title = StringValue(ctx->STRING()->getSymbol());
    decl.title_range = Range(ctx->STRING());
  }
  decl.name = {decl.title.value_or(""), decl.title_range};
  for (P::TestStepContext* step : ctx->testStep()) decl.steps.push_back(Step(step));
}

ast::TestStep ParseTreeToAst::Step(P::TestStepContext* ctx) {
  ast::TestStep step{};
  step.range = Range(ctx);
  if (auto* file = dynamic_cast<P::GivenFileStepContext*>(ctx)) {
    step.kind = ast::TestStepKind::GivenFile;
    step.name = Name(file->name());
    if (file->STRING()) {
      step.path = StringValue(file->STRING()->getSymbol());
      step.path_range = Range(file->STRING());
    }
  } else if (auto* given = dynamic_cast<P::GivenExprStepContext*>(ctx)) {
    step.kind = ast::TestStepKind::GivenExpr;
    step.name = Name(given->name());
    step.expr = Expr(given->expr());
  } else if (auto* as_of = dynamic_cast<P::AsOfStepContext*>(ctx)) {
    step.kind = ast::TestStepKind::AsOf;
    step.expr = Expr(as_of->expr());
  } else if (auto* set = dynamic_cast<P::SetStepContext*>(ctx)) {
    step.kind = ast::TestStepKind::Set;
    step.name = Dotted(set->dottedName());
    step.expr = Expr(set->expr());
  } else if (auto* ob = dynamic_cast<P::ExpectObligationStepContext*>(ctx)) {
    step.kind = ast::TestStepKind::ExpectObligation;
    step.name = Dotted(ob->dottedName());
    step.status = Status(ob->statusWord());
  } else if (auto* pr = dynamic_cast<P::ExpectProhibitionStepContext*>(ctx)) {
    step.kind = ast::TestStepKind::ExpectProhibition;
    step.name = Dotted(pr->dottedName());
    step.status = Status(pr->statusWord());
  } else if (auto* expect = dynamic_cast<P::ExpectStepContext*>(ctx)) {
    step.kind = ast::TestStepKind::Expect;
    step.expr = Expr(expect->expr());
  }
  return step;
}

ast::Name ParseTreeToAst::Status(P::StatusWordContext* ctx) const {
  if (ctx == nullptr) return {};
  if (ctx->NOT()) return {"not applicable", Range(ctx)};
  if (ctx->UNKNOWN()) return {"unknown", Range(ctx)};
  return Name(ctx->name());
}

// Decodes a string token: `"..."` with escapes, or `"""..."""` taken as
// written (one newline right after the opening quotes is dropped).
std::string ParseTreeToAst::StringValue(antlr4::Token* token) {
  SourceRange range = Range(token);
  std::string raw = token->getText();
  if (raw.rfind("\"\"\"", 0) == 0 && raw.size() >= 6) {
    std::string body = raw.substr(3, raw.size() - 6);
    if (!body.empty() && body[0] == '\n') body.erase(0, 1);
    return body;
  }
  std::string out;
  for (size_t i = 1; i + 1 < raw.size(); ++i) {
    if (raw[i] != '\\') {
      out.push_back(raw[i]);
      continue;
    }
    char c = i + 2 < raw.size() ? raw[i + 1] : '\0';
    size_t escape_start = i;
    ++i;
    switch (c) {
      case '"': out.push_back('"'); break;
      case '\\': out.push_back('\\'); break;
      case 'n': out.push_back('\n'); break;
      case 't': out.push_back('\t'); break;
      case 'u': {
        size_t close = raw.find('}', i);
        uint32_t cp = 0;
        bool ok = i + 1 < raw.size() && raw[i + 1] == '{' && close != std::string::npos && close > i + 2 &&
                  close - i - 2 <= 6;
        for (size_t k = i + 2; ok && k < close; ++k)
          ok = std::isxdigit(static_cast<unsigned char>(raw[k])) != 0;
        for (size_t k = i + 2; ok && k < close; ++k) {
          cp = cp * 16 +
               static_cast<uint32_t>(std::isdigit(raw[k]) ? raw[k] - '0' : (std::tolower(raw[k]) - 'a' + 10));
        }
        if (!ok || cp > 0x10FFFF || (cp >= 0xD800 && cp <= 0xDFFF)) {
          size_t end = close == std::string::npos ? i + 1 : close + 1;
          SourceRange at{file_, range.begin + static_cast<uint32_t>(escape_start),
                         range.begin + static_cast<uint32_t>(std::min(end, raw.size()))};
          Error(DiagKind::InvalidEscape, at, raw.substr(escape_start, end - escape_start));
          i = close == std::string::npos ? i : close;
          break;
        }
        // Encode the code point as UTF-8.
        if (cp < 0x80) {
          out.push_back(static_cast<char>(cp));
        } else if (cp < 0x800) {
          out.push_back(static_cast<char>(0xC0 | (cp >> 6)));
          out.push_back(static_cast<char>(0x80 | (cp & 0x3F)));
        } else if (cp < 0x10000) {
          out.push_back(static_cast<char>(0xE0 | (cp >> 12)));
          out.push_back(static_cast<char>(0x80 | ((cp >> 6) & 0x3F)));
          out.push_back(static_cast<char>(0x80 | (cp & 0x3F)));
        } else {
          out.push_back(static_cast<char>(0xF0 | (cp >> 18)));
          out.push_back(static_cast<char>(0x80 | ((cp >> 12) & 0x3F)));
          out.push_back(static_cast<char>(0x80 | ((cp >> 6) & 0x3F)));
          out.push_back(static_cast<char>(0x80 | (cp & 0x3F)));
        }
        i = close;
        break;
      }
      default: {
        SourceRange at{file_, range.begin + static_cast<uint32_t>(escape_start),
                       range.begin + static_cast<uint32_t>(escape_start + 2)};
        Error(DiagKind::InvalidEscape, at, raw.substr(escape_start, 2));
      }
    }
  }
  return out;
}

}  // namespace aipol::syntax
