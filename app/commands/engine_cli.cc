// SPDX-License-Identifier: Apache-2.0
#include "app/commands/engine_cli.h"

#include <filesystem>
#include <thread>

#include "common/file_io.h"

namespace vigil::app {

Result<std::vector<int32_t>> ParseIds(const std::string& list) {
  std::vector<int32_t> ids;
  std::stringstream in(list);
  std::string item;
  while (std::getline(in, item, ',')) {
    VIGIL_ASSIGN_OR_RETURN(int32_t id,
                           ParseNumber<int32_t>("--prompt-ids", item));
    ids.push_back(id);
  }
  if (ids.empty()) return InvalidArgument("--prompt-ids: no ids given");
  return ids;
}

Result<kernels::MatMulPrecision> ParsePrecision(const std::string& value) {
  using kernels::MatMulPrecision;
  if (value == "quantized") return MatMulPrecision::kQuantizedActivations;
  if (value == "float32") return MatMulPrecision::kFloat32;
  return InvalidArgument("--precision must be 'quantized' or 'float32'");
}

Status CheckThreads(int threads) {
  if (threads < 0 || threads > 256) {
    return InvalidArgument("--threads must be in [1, 256]");
  }
  return OkStatus();
}

int ThreadsOrAllCores(int threads) {
  if (threads > 0) return threads;
  return static_cast<int>(std::max(1u, std::thread::hardware_concurrency()));
}

Status WriteDump(const std::string& path, const void* data, size_t n) {
  // Absolute, so a bare file name still has a folder to fsync.
  std::error_code ec;
  const std::filesystem::path full = std::filesystem::absolute(path, ec);
  if (ec) return IoError("cannot write '" + path + "': " + ec.message());
  return WriteFileAtomic(full, {static_cast<const uint8_t*>(data), n});
}

Result<text::GenerateStats> StreamAnswer(text::Session& session,
                                         const tokenizer::Tokenizer& tok,
                                         std::span<const int32_t> prompt,
                                         int max_tokens,
                                         const text::SamplerOptions& sampling,
                                         const AnswerDumps& dumps) {
  std::vector<int32_t> generated;
  std::vector<float> logits;
  std::string piece;
  VIGIL_ASSIGN_OR_RETURN(
      text::GenerateStats stats,
      text::Generate(session, prompt,
                     {.max_tokens = max_tokens,
                      .sampling = sampling,
                      .stop_ids = tok.EndOfGenerationIds(),
                      .prompt_logits = &logits},
                     [&](int32_t id) {
                       generated.push_back(id);
                       piece.clear();
                       tok.AppendPiece(id, {}, &piece);
                       std::fwrite(piece.data(), 1, piece.size(), stdout);
                       std::fflush(stdout);
                       return true;
                     }));
  if (!dumps.logits_out.empty()) {
    VIGIL_RETURN_IF_ERROR(WriteDump(dumps.logits_out, logits.data(),
                                    logits.size() * sizeof(float)));
  }
  if (!dumps.ids_out.empty()) {
    std::string lines;
    for (int32_t id : generated) lines += std::to_string(id) + "\n";
    VIGIL_RETURN_IF_ERROR(WriteDump(dumps.ids_out, lines.data(), lines.size()));
  }
  return stats;
}

}  // namespace vigil::app
