// SPDX-License-Identifier: Apache-2.0
// Fuzzes request-target parsing: route classification of the path and the
// strict /api/snapshots query parser. Accepted results must be in range.
#include <cstddef>
#include <cstdint>
#include <string_view>

#include "common/check.h"
#include "web/query.h"
#include "web/route_table.h"

extern "C" int LLVMFuzzerTestOneInput(const uint8_t* data, size_t size) {
  const std::string_view target(reinterpret_cast<const char*>(data), size);
  const std::string_view path = target.substr(0, target.find('?'));
  vigil::web::ClassifyRoute("GET", path);
  vigil::web::ClassifyRoute("POST", path);
  (void)vigil::web::ParseSnapshotId(path);
  (void)vigil::web::ParseTimeParam(path);
  auto q = vigil::web::ParseSnapshotListQuery(vigil::web::QueryOf(target));
  if (q.ok()) {
    VIGIL_CHECK(q->limit >= 1 && q->limit <= 500);
    VIGIL_CHECK(!q->camera || vigil::web::IsValidCameraName(*q->camera));
    VIGIL_CHECK(!q->cursor || vigil::web::IsValidCursor(*q->cursor));
    VIGIL_CHECK(!(q->from_ms && q->to_ms) || *q->from_ms < *q->to_ms);
  }
  return 0;
}
