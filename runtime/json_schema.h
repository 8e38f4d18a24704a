// A policy's input type as JSON Schema (2020-12), for `aipol schema`.
#pragma once

#include <string>

#include "compiler/ir/ir.h"

namespace aipol {

// The schema of the input record type: records are objects with
// `additionalProperties: false` and their `required` fields, enums are
// strings with `enum`, sets are arrays with `uniqueItems`, lists arrays,
// `map<string, R>` objects with `additionalProperties`, dates strings with
// `format: date`. Output is indented, keys in a fixed order.
std::string InputJsonSchema(const ir::Program& program, const std::string& title);

// The input types in aipol syntax (every record and enum reachable from it).
std::string InputTypesText(const ir::Program& program);

}  // namespace aipol
