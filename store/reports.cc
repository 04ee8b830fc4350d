// SPDX-License-Identifier: Apache-2.0
// Analysis reports attached to snapshots (table `reports` of 0001).
#include "store/store_impl.h"

namespace vigil::store {

Result<ReportRecord> SnapshotStore::AddReport(const ReportRecord& report) {
  std::lock_guard lock(impl_->mu);
  return impl_->index->AddReport(report);
}

}  // namespace vigil::store
