// SPDX-License-Identifier: Apache-2.0
// `vigil reindex`: make the index agree with the snapshot folders.
#include <iostream>

#include "app/appliance.h"
#include "app/cli.h"
#include "app/commands/commands.h"

namespace vigil::app {

int RunReindex(const Args& args) {
  Result<CommonFlags> flags = ParseCommonFlags(args);
  if (!flags.ok()) return Fail(kExitUsage, flags.status().message());
  if (flags->help) {
    std::cout << CommandHelp("reindex");
    return kExitOk;
  }
  Result<AppConfig> config = LoadForCommand(*flags);
  if (!config.ok()) return Fail(kExitUsage, config.status().message());
  auto store = OpenStore(*config);
  if (!store.ok()) return Fail(kExitFailure, store.status().ToString());
  Result<store::ReindexReport> r = (*store)->Reindex();
  if (!r.ok()) return Fail(kExitFailure, "reindex: " + r.status().ToString());
  std::cout << "reindexed " << (*store)->data_dir().string() << " in "
            << r->duration_ms << " ms: " << r->files_seen << " files, "
            << r->rows_added << " rows added, " << r->rows_removed
            << " removed, " << r->rows_updated << " updated, "
            << r->files_skipped << " files skipped (not valid JPEG), "
            << r->temp_files_removed << " temp files removed\n";
  return kExitOk;
}

}  // namespace vigil::app
