// SPDX-License-Identifier: Apache-2.0
// The gallery's static files, compiled into the binary from web/assets/ by
// web/embed_assets.cmake. Served under /assets/<file name>.
#pragma once

#include <cstddef>
#include <span>
#include <string_view>

namespace vigil::web {

struct EmbeddedAsset {
  const char* path;          // "/assets/app.js"
  const char* content_type;  // "text/javascript; charset=utf-8"
  const unsigned char* data;
  size_t size;
  const char* etag;  // quoted, from the file's SHA-256
};

// Returns every embedded file (generated .cc).
std::span<const EmbeddedAsset> EmbeddedAssets();
// Returns the asset at exactly `path` ("/assets/app.js"), or nullptr.
const EmbeddedAsset* FindAsset(std::string_view path);

}  // namespace vigil::web
