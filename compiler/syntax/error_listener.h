// Turns ANTLR's syntax errors into aipol diagnostics.
#pragma once

#include <BaseErrorListener.h>

#include <vector>

#include "compiler/diag/diag.h"

namespace aipol::syntax {

class ErrorListener : public antlr4::BaseErrorListener {
 public:
  ErrorListener(FileId file, const std::vector<uint32_t>& byte_offsets, DiagnosticSink& diags)
      : file_(file), byte_offsets_(byte_offsets), diags_(diags) {}

  void syntaxError(antlr4::Recognizer* recognizer, antlr4::Token* offending, size_t line, size_t column,
                   const std::string& message, std::exception_ptr error) override;

  size_t count() const { return count_; }

 private:
  FileId file_;
  const std::vector<uint32_t>& byte_offsets_;
  DiagnosticSink& diags_;
  size_t count_ = 0;
  size_t last_token_index_ = SIZE_MAX;
};

}  // namespace aipol::syntax
