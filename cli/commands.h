// One function per command (cli/cmd_*.cpp).
#pragma once

#include "cli/driver.h"
#include "cli/options.h"

namespace aipol {

int RunCheck(const Options& options, Streams& streams);
int RunEval(const Options& options, Streams& streams);
int RunExplain(const Options& options, Streams& streams);
int RunDoc(const Options& options, Streams& streams);
int RunTest(const Options& options, Streams& streams);
int RunBatch(const Options& options, Streams& streams);
int RunSchema(const Options& options, Streams& streams);
int RunRepl(const Options& options, Streams& streams);
int RunVersion(const Options& options, Streams& streams);
int RunFmt(const Options& options, Streams& streams);

}  // namespace aipol
