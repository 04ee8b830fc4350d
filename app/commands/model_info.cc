// SPDX-License-Identifier: Apache-2.0
// `vigil model info FILE`: what a Gemma 4 GGUF contains and what running it
// costs (mmapped weights, KV cache at a given context).
#include <algorithm>
#include <cstdio>
#include <map>
#include <sstream>
#include <string>
#include <vector>

#include "app/commands/inference_commands.h"
#include "inference/gguf/reader.h"
#include "inference/text/decode_layout.h"
#include "inference/text/model.h"

namespace vigil::app {
namespace {

constexpr char kUsage[] = "usage: vigil model info FILE [--ctx N]\n";

std::string Bytes(double b) {
  const char* units[] = {"B", "KiB", "MiB", "GiB", "TiB"};
  int u = 0;
  while (b >= 1024 && u < 4) {
    b /= 1024;
    ++u;
  }
  char buf[32];
  std::snprintf(buf, sizeof(buf), "%.2f %s", b, units[u]);
  return buf;
}

void PrintConfig(const text::ModelConfig& c) {
  std::printf(
      "architecture: gemma4 (%s)\n"
      "n_embd %u, n_layer %u, n_vocab %u, context_length %u\n"
      "per-layer embedding width %u, sliding window %u, shared-KV layers %u\n"
      "head dim S/F %u/%u, rope dims S/F %u/%u, rope base S/F %g/%g\n"
      "rms eps %g, final logit softcap %g\n\n",
      c.name.c_str(), c.n_embd, c.n_layer, c.n_vocab, c.n_ctx_train,
      c.n_embd_per_layer, c.sliding_window, c.n_shared_kv_layers,
      c.head_dim_swa, c.head_dim_global, c.n_rot_swa, c.n_rot_global,
      c.rope_base_swa, c.rope_base_global, c.rms_eps, c.final_logit_softcap);
  std::printf("layer type head_dim q_heads kv_heads n_ff  kv\n");
  for (size_t il = 0; il < c.layers.size(); ++il) {
    const text::LayerConfig& l = c.layers[il];
    std::string kv = l.owns_kv ? "own" : "from " + std::to_string(l.kv_source);
    std::printf("%5zu %4s %8u %7u %8u %5u  %s\n", il,
                text::AttentionTypeName(l.type), l.head_dim, l.n_head,
                l.n_head_kv, l.n_ff, kv.c_str());
  }
}

uint64_t PrintTensorTypes(const gguf::GgufFile& file) {
  std::map<std::string, std::pair<size_t, uint64_t>> by_type;
  uint64_t total = 0;
  for (const gguf::TensorInfo& t : file.tensors()) {
    const char* name = gguf::GetTypeTraits(static_cast<uint32_t>(t.type)).name;
    auto& e = by_type[name ? name : "unknown"];
    ++e.first;
    e.second += t.n_bytes;
    total += t.n_bytes;
  }
  std::printf("\ntensor types (%zu tensors):\n", file.tensors().size());
  for (const auto& [type, e] : by_type) {
    std::printf("  %-8s %5zu tensors  %s\n", type.c_str(), e.first,
                Bytes(static_cast<double>(e.second)).c_str());
  }
  return total;
}

}  // namespace

int RunModelInfoCommand(const std::vector<std::string>& args) {
  std::string path;
  size_t ctx = 4096;
  for (size_t i = 0; i < args.size(); ++i) {
    if (args[i] == "--ctx" && i + 1 < args.size()) {
      std::istringstream in(args[++i]);
      if (!(in >> ctx) || !in.eof() || ctx == 0) {
        std::fprintf(stderr, "vigil model info: bad --ctx\n%s", kUsage);
        return 2;
      }
    } else if (args[i] == "--model" && i + 1 < args.size()) {
      path = args[++i];
    } else if (path.empty() && args[i].rfind("--", 0) != 0) {
      path = args[i];
    } else {
      std::fprintf(stderr, "vigil model info: unexpected '%s'\n%s",
                   args[i].c_str(), kUsage);
      return 2;
    }
  }
  if (path.empty()) {
    std::fputs(kUsage, stderr);
    return 2;
  }
  auto model = text::Model::Load(path, /*relay_for_decode=*/false);
  if (!model.ok()) {
    std::fprintf(stderr, "vigil model info: %s\n",
                 model.status().ToString().c_str());
    return 1;
  }
  const text::ModelConfig& c = (*model)->config();
  const gguf::GgufFile& file = (*model)->file();
  std::printf("file: %s (%s, GGUF v%u)\n", path.c_str(),
              Bytes(static_cast<double>(file.file_size())).c_str(),
              file.version());
  PrintConfig(c);
  const uint64_t weights = PrintTensorTypes(file);
  const size_t ctx_used = std::min<size_t>(ctx, c.n_ctx_train);
  std::printf(
      "\nmemory:\n  weights (mmapped, paged in on use): %s\n"
      "  of which re-laid in memory at load for this CPU's decode kernels "
      "(their file pages released): %s\n"
      "  KV cache (f32) at %zu tokens: %s\n"
      "  KV cache (f32) at full context %u: %s\n",
      Bytes(static_cast<double>(weights)).c_str(),
      Bytes(static_cast<double>(text::RepackForDecodeBytes((*model)->weights())))
          .c_str(),
      ctx_used,
      Bytes(static_cast<double>(text::KvCacheBytes(c, ctx_used, 512))).c_str(),
      c.n_ctx_train,
      Bytes(static_cast<double>(text::KvCacheBytes(c, c.n_ctx_train, 512)))
          .c_str());
  return 0;
}

}  // namespace vigil::app
