// SPDX-License-Identifier: Apache-2.0
// Multipart frame search. Every offset is checked against the bytes held;
// a Content-Length that is not a number is ignored in favour of the boundary.
#include "capture/mjpeg_parser.h"

#include <algorithm>
#include <cctype>
#include <string_view>

namespace vigil::capture {
namespace {

constexpr size_t npos = std::string_view::npos;

std::string_view View(const std::vector<uint8_t>& b) {
  return {reinterpret_cast<const char*>(b.data()), b.size()};
}

// Parses the part headers in [from, to) for Content-Length.
std::optional<size_t> ContentLength(std::string_view headers) {
  std::string lower(headers);
  std::transform(lower.begin(), lower.end(), lower.begin(),
                 [](unsigned char c) { return std::tolower(c); });
  size_t at = lower.find("content-length:");
  if (at == npos) return std::nullopt;
  size_t p = at + 15;
  while (p < lower.size() && (lower[p] == ' ' || lower[p] == '\t')) ++p;
  size_t value = 0, digits = 0;
  while (p < lower.size() && std::isdigit(static_cast<unsigned char>(lower[p]))) {
    if (value > (size_t{1} << 40)) return std::nullopt;  // absurd: ignore
    value = value * 10 + (lower[p] - '0');
    ++p;
    ++digits;
  }
  if (digits == 0) return std::nullopt;
  return value;
}

// Returns the offset of the first delimiter line at or after `from`: at
// least two dashes then the boundary, at the start of the body or a line
// (RFC 2046 §5.1.1), so boundary text inside a JPEG does not match.
size_t FindDelimiter(std::string_view body, const std::string& boundary,
                     size_t from) {
  for (size_t at = body.find(boundary, from); at != npos;
       at = body.find(boundary, at + 1)) {
    size_t dashes_from = at;
    while (dashes_from > from && body[dashes_from - 1] == '-') --dashes_from;
    if (at - dashes_from < 2) continue;
    if (dashes_from == 0 || body[dashes_from - 1] == '\n') return dashes_from;
  }
  return npos;
}

}  // namespace

std::string BoundaryOf(const std::string& content_type) {
  if (content_type.rfind("multipart/", 0) != 0) return "";
  size_t at = content_type.find("boundary=");
  if (at == npos) return "";
  std::string b = content_type.substr(at + 9);
  size_t semi = b.find(';');
  if (semi != npos) b.resize(semi);
  b.erase(std::remove(b.begin(), b.end(), '"'), b.end());
  while (!b.empty() && b.back() == ' ') b.pop_back();
  size_t dashes = b.find_first_not_of('-');
  b.erase(0, dashes == npos ? b.size() : dashes);
  return b;
}

std::optional<PartRange> FindFirstPart(const std::vector<uint8_t>& bytes,
                                       const std::string& boundary) {
  if (boundary.empty()) return std::nullopt;
  std::string_view body = View(bytes);
  size_t delim = FindDelimiter(body, boundary, 0);
  if (delim == npos) return std::nullopt;
  size_t line_end = body.find('\n', delim);
  if (line_end == npos) return std::nullopt;
  // Headers end at the first empty line (CRLF CRLF, or bare LF LF).
  size_t hdr_end = body.find("\r\n\r\n", line_end - 1);
  size_t skip = 4;
  size_t lf = body.find("\n\n", line_end);
  if (lf != npos && (hdr_end == npos || lf < hdr_end)) {
    hdr_end = lf;
    skip = 2;
  }
  if (hdr_end == npos) return std::nullopt;
  size_t start = hdr_end + skip;
  auto length = ContentLength(body.substr(line_end, hdr_end - line_end));
  if (length) {
    if (*length > body.size() - start) return std::nullopt;
    return PartRange{start, start + *length};
  }
  size_t next = FindDelimiter(body, boundary, start);
  if (next == npos) return std::nullopt;
  size_t end = next;
  while (end > start && (body[end - 1] == '\n' || body[end - 1] == '\r')) --end;
  return PartRange{start, end};
}

}  // namespace vigil::capture
