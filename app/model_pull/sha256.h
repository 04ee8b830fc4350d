// SPDX-License-Identifier: Apache-2.0
// SHA-256 of files (OpenSSL EVP) and parsing of the digests hubs publish.
#pragma once

#include <filesystem>
#include <map>
#include <string>

#include "common/status.h"

namespace vigil::model_pull {

// Returns the lowercase hex SHA-256 of the file, or kIo naming it.
Result<std::string> Sha256File(const std::filesystem::path& path);

// Returns `text` as a lowercase 64-digit hex digest when it is one (quotes
// and a `W/` weak prefix stripped, as in ETag / X-Linked-Etag headers);
// empty otherwise (a git blob id, an empty header).
std::string ParseSha256Digest(const std::string& text);

// Reads a `sha256sum` style manifest ("<hex>  <file name>" per line, '#'
// comments) into file name -> digest. Returns kCorrupt with the line number
// for a malformed line, kIo when unreadable.
Result<std::map<std::string, std::string>> ReadManifest(
    const std::filesystem::path& path);

}  // namespace vigil::model_pull
