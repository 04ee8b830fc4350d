// SPDX-License-Identifier: Apache-2.0
#include "inference/tokenizer/stream_decoder.h"

#include <utility>

namespace vigil::tokenizer {

size_t IncompleteUtf8Tail(std::string_view text) {
  // Look back over at most 3 continuation bytes for the lead byte.
  const size_t n = text.size();
  for (size_t back = 1; back <= 4 && back <= n; ++back) {
    const auto byte = static_cast<uint8_t>(text[n - back]);
    if ((byte & 0xC0) == 0x80) continue;  // continuation: keep looking
    size_t need = 0;
    if (byte >= 0xC2 && byte <= 0xDF) need = 2;
    if (byte >= 0xE0 && byte <= 0xEF) need = 3;
    if (byte >= 0xF0 && byte <= 0xF4) need = 4;
    return need > back ? back : 0;
  }
  return 0;
}

std::string StreamDecoder::Push(int32_t id) {
  tokenizer_.AppendPiece(id, options_, &pending_);
  const size_t keep = IncompleteUtf8Tail(pending_);
  std::string ready = pending_.substr(0, pending_.size() - keep);
  pending_.erase(0, pending_.size() - keep);
  return ready;
}

std::string StreamDecoder::Finish() { return std::exchange(pending_, {}); }

}  // namespace vigil::tokenizer
