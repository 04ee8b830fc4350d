// SPDX-License-Identifier: Apache-2.0
// Lookup over the generated asset table (exact match only: no path is ever
// joined with request text, so traversal has nothing to reach).
#include "web/assets.h"

namespace vigil::web {

const EmbeddedAsset* FindAsset(std::string_view path) {
  for (const EmbeddedAsset& asset : EmbeddedAssets()) {
    if (path == asset.path) return &asset;
  }
  return nullptr;
}

}  // namespace vigil::web
