// Checked programs on disk, so that a run does not parse and check a policy
// that an earlier run already checked.
//
// Parsing and checking the standard library takes about 80 ms: most of a
// short `aipol eval`, and a sixth of `aipol batch -j 2` over 10^5 records.
// A hit reads the checked program back instead (bench/RESULTS.md).
//
// An entry is one file, `programs/KEY` in the cache directory. KEY hashes
// what names the policy: the aipol build (its build id covers the embedded
// standard library and the checker) and the policies and search roots as
// given. The entry holds every question loading asked the file system, with
// its answer (fs_probe.h), and is used only when each answer is the same
// again: an edited, added or removed policy file is a miss. Relative paths
// are asked again where the run is, so a run in another directory uses the
// entry only if the same files are there (the key leaves the working
// directory out, so the cache does not grow with the directories run in). A policy with any
// diagnostic, even a warning, is never stored, so its warnings are printed
// on every run. The file carries a hash of its contents, so a damaged entry
// is a miss too; it is written under a temporary name and renamed into
// place, so processes can share the cache.
#pragma once

#include <string>

#include "compiler/sema/check.h"

namespace aipol {

// Check(), through the cache in `cache_dir` (none when it is empty). On a
// hit, `sources` holds the policy's files as Check would have loaded them,
// no diagnostics are reported, and `*hit` is set.
CheckResult CheckWithCache(const PolicyRequest& request, SourceManager& sources, DiagnosticSink& diags,
                           const std::string& cache_dir, bool* hit = nullptr);

}  // namespace aipol
