// `aipol schema [-p POLICY] [--json-schema]`: the input types of a policy.
#include <ostream>

#include "cli/commands.h"
#include "cli/policy.h"
#include "runtime/json_schema.h"

namespace aipol {
namespace {

constexpr std::string_view kHelp = R"(usage: aipol schema [OPTIONS]

Prints the input types of a policy: in aipol syntax, or as JSON Schema
(2020-12) with --json-schema, which a descriptor must follow.

options:
  -p, --policy POLICY  the policy (default: the AI Act standard library, `aiact`)
  --json-schema        print JSON Schema

example:
  aipol schema --json-schema > descriptor.schema.json
)";

}  // namespace

int RunSchema(const Options& options, Streams& streams) {
  if (options.help) {
    streams.out << kHelp;
    return kExitOk;
  }
  std::optional<LoadedPolicy> policy = LoadPolicy(options, streams, "schema", true);
  if (!policy) return kExitPolicyError;
  if (options.json_schema) {
    streams.out << InputJsonSchema(*policy->program, "aipol descriptor for " + policy->info.modules.front());
  } else {
    streams.out << InputTypesText(*policy->program);
  }
  return kExitOk;
}

}  // namespace aipol
