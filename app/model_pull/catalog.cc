// SPDX-License-Identifier: Apache-2.0
// Default repos follow unsloth's GGUF naming: `<Model>-<QUANT>.gguf` next to
// `mmproj-F16.gguf` (spec/gemma4-vision-audio.md §intro names the mmproj).
#include "app/model_pull/catalog.h"

#include <algorithm>
#include <cctype>

namespace vigil::model_pull {
namespace {

struct ModelEntry {
  const char* key;
  const char* repo;
  const char* stem;  // file name prefix before -<QUANT>.gguf
};

constexpr ModelEntry kModels[] = {
    {"e2b", "unsloth/gemma-4-E2B-it-GGUF", "gemma-4-E2B-it"},
    {"e4b", "unsloth/gemma-4-E4B-it-GGUF", "gemma-4-E4B-it"},
};
constexpr char kMmprojFile[] = "mmproj-F16.gguf";

// Quant names and repo ids end up in URLs and file names: no '/', '..',
// spaces or URL syntax.
bool SafeToken(const std::string& s, bool allow_slash) {
  if (s.empty() || s.size() > 96 || s.find("..") != std::string::npos) {
    return false;
  }
  return std::all_of(s.begin(), s.end(), [&](char c) {
    return std::isalnum(static_cast<unsigned char>(c)) || c == '_' ||
           c == '-' || c == '.' || (allow_slash && c == '/');
  });
}

}  // namespace

const std::vector<std::string>& KnownQuants() {
  static const std::vector<std::string> quants = {
      "Q4_0", "Q4_K_M", "Q5_K_M", "Q6_K", "Q8_0", "F16"};
  return quants;
}

Result<std::vector<RemoteFile>> ResolveFiles(const CatalogRequest& request) {
  const ModelEntry* entry = nullptr;
  for (const ModelEntry& m : kModels) {
    if (request.model == m.key) entry = &m;
  }
  if (entry == nullptr) {
    return InvalidArgument("unknown model '" + request.model +
                           "'; expected e2b or e4b");
  }
  if (!SafeToken(request.quant, false)) {
    return InvalidArgument("--quant: expected a name like Q4_K_M, got '" +
                           request.quant + "'");
  }
  std::string repo = request.repo.empty() ? entry->repo : request.repo;
  if (!SafeToken(repo, true) || std::count(repo.begin(), repo.end(), '/') != 1) {
    return InvalidArgument("--repo: expected OWNER/NAME, got '" + repo + "'");
  }
  if (!SafeToken(request.revision, false)) {
    return InvalidArgument("--revision: unusable name '" + request.revision +
                           "'");
  }
  std::string base = request.base_url;
  while (!base.empty() && base.back() == '/') base.pop_back();
  if (base.rfind("http://", 0) != 0 && base.rfind("https://", 0) != 0) {
    return InvalidArgument("--base-url: expected http(s)://..., got '" +
                           request.base_url + "'");
  }
  const std::string prefix = base + "/" + repo + "/resolve/" +
                             request.revision + "/";
  const std::string model_file =
      std::string(entry->stem) + "-" + request.quant + ".gguf";
  return std::vector<RemoteFile>{{prefix + model_file, model_file},
                                 {prefix + kMmprojFile, kMmprojFile}};
}

}  // namespace vigil::model_pull
