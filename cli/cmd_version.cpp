#include <ostream>

#include "cli/commands.h"

namespace aipol {

int RunVersion(const Options& options, Streams& streams) {
  if (options.help) {
    streams.out << "usage: aipol version\n\nPrints aipol's version and the versions of its contracts.\n";
    return kExitOk;
  }
  streams.out << "aipol " << AIPOL_VERSION << " (language 1, descriptor 1, report 1)\n";
  return kExitOk;
}

}  // namespace aipol
