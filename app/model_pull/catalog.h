// SPDX-License-Identifier: Apache-2.0
// Which files `vigil model pull` fetches: the Gemma 4 E2B/E4B text GGUF in a
// chosen quantization plus the mmproj (vision/audio towers) from a Hugging
// Face style hub (`<base>/<repo>/resolve/<revision>/<file>`).
#pragma once

#include <string>
#include <vector>

#include "common/status.h"

namespace vigil::model_pull {

inline constexpr char kDefaultBaseUrl[] = "https://huggingface.co";
inline constexpr char kDefaultQuant[] = "Q4_K_M";

// One file to fetch: where from and the name it gets under the model dir.
struct RemoteFile {
  std::string url;
  std::string file_name;
};

struct CatalogRequest {
  std::string model;  // "e2b" or "e4b"
  std::string quant = kDefaultQuant;
  std::string base_url = kDefaultBaseUrl;
  std::string repo;  // empty: the default repo of `model`
  std::string revision = "main";
};

// Returns the text GGUF and the mmproj to fetch, in that order. Returns
// kInvalidArgument for an unknown model, a malformed quant name or repo.
Result<std::vector<RemoteFile>> ResolveFiles(const CatalogRequest& request);

// Returns the quantizations the default repos publish (for help texts).
const std::vector<std::string>& KnownQuants();

}  // namespace vigil::model_pull
