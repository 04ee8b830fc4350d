// SPDX-License-Identifier: Apache-2.0
// Finds frames in a multipart/x-mixed-replace body (RFC 2046 §5.1). Pure
// functions on bytes so they can be tested and fuzzed alone. Internal.
#pragma once

#include <cstddef>
#include <cstdint>
#include <optional>
#include <string>
#include <vector>

namespace vigil::capture {

struct PartRange {
  size_t begin = 0;  // first byte of the part's body
  size_t end = 0;    // one past its last byte
};

// Returns the boundary parameter of a (lower-cased) Content-Type without
// quotes or leading "--" (cameras disagree on both), or "" if none.
std::string BoundaryOf(const std::string& content_type);

// Returns the body range of the first complete part, or nullopt while more
// bytes are needed. Uses the part's Content-Length when present, otherwise
// the next boundary.
std::optional<PartRange> FindFirstPart(const std::vector<uint8_t>& body,
                                       const std::string& boundary);

}  // namespace vigil::capture
