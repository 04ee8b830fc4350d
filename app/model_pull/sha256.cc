// SPDX-License-Identifier: Apache-2.0
// Hashing reads in 1 MiB blocks so multi-GB models never sit in memory.
#include "app/model_pull/sha256.h"

#include <openssl/evp.h>

#include <algorithm>
#include <cctype>
#include <fstream>
#include <memory>
#include <sstream>
#include <vector>

namespace vigil::model_pull {
namespace {

bool IsHex64(const std::string& s) {
  return s.size() == 64 && std::all_of(s.begin(), s.end(), [](char c) {
           return std::isxdigit(static_cast<unsigned char>(c));
         });
}

std::string Lower(std::string s) {
  for (char& c : s) c = static_cast<char>(std::tolower(static_cast<unsigned char>(c)));
  return s;
}

}  // namespace

Result<std::string> Sha256File(const std::filesystem::path& path) {
  std::ifstream in(path, std::ios::binary);
  if (!in) return IoError("cannot open '" + path.string() + "' to hash it");
  std::unique_ptr<EVP_MD_CTX, decltype(&EVP_MD_CTX_free)> ctx(
      EVP_MD_CTX_new(), &EVP_MD_CTX_free);
  if (!ctx || EVP_DigestInit_ex(ctx.get(), EVP_sha256(), nullptr) != 1) {
    return InternalError("OpenSSL: cannot start SHA-256");
  }
  std::vector<char> buf(1 << 20);
  while (in) {
    in.read(buf.data(), static_cast<std::streamsize>(buf.size()));
    std::streamsize got = in.gcount();
    if (got > 0) EVP_DigestUpdate(ctx.get(), buf.data(), static_cast<size_t>(got));
  }
  if (in.bad()) return IoError("read error while hashing '" + path.string() + "'");
  unsigned char md[EVP_MAX_MD_SIZE];
  unsigned int md_len = 0;
  EVP_DigestFinal_ex(ctx.get(), md, &md_len);
  static constexpr char kHex[] = "0123456789abcdef";
  std::string hex;
  for (unsigned int i = 0; i < md_len; ++i) {
    hex += kHex[md[i] >> 4];
    hex += kHex[md[i] & 15];
  }
  return hex;
}

std::string ParseSha256Digest(const std::string& text) {
  std::string s = text;
  if (s.rfind("W/", 0) == 0) s = s.substr(2);
  s.erase(std::remove(s.begin(), s.end(), '"'), s.end());
  s.erase(std::remove_if(s.begin(), s.end(),
                         [](char c) { return std::isspace(static_cast<unsigned char>(c)); }),
          s.end());
  return IsHex64(s) ? Lower(s) : std::string();
}

Result<std::map<std::string, std::string>> ReadManifest(
    const std::filesystem::path& path) {
  std::ifstream in(path);
  if (!in) return IoError("cannot read manifest '" + path.string() + "'");
  std::map<std::string, std::string> digests;
  std::string line;
  for (int line_no = 1; std::getline(in, line); ++line_no) {
    if (line.empty() || line[0] == '#') continue;
    std::istringstream fields(line);
    std::string digest, name;
    fields >> digest >> name;
    if (!name.empty() && name[0] == '*') name = name.substr(1);  // binary mode
    if (!IsHex64(digest) || name.empty()) {
      return Corrupt("manifest '" + path.string() + "' line " +
                     std::to_string(line_no) +
                     ": expected '<64 hex digits>  <file name>', got '" +
                     line + "'");
    }
    digests[name] = Lower(digest);
  }
  return digests;
}

}  // namespace vigil::model_pull
