// SPDX-License-Identifier: Apache-2.0
#include "inference/tokenizer/special_split.h"

#include <algorithm>

namespace vigil::tokenizer {
namespace {

bool IsSplitType(TokenType type) {
  return type == TokenType::kControl || type == TokenType::kUnknown ||
         type == TokenType::kUserDefined;
}

// Appends `raw` cut at every occurrence of `piece` (as token `id`) to `out`.
void SplitFragment(std::string_view text, const Fragment& raw,
                   std::string_view piece, int32_t id,
                   std::vector<Fragment>* out) {
  const std::string_view span = text.substr(raw.offset, raw.len);
  size_t pos = 0;
  while (pos < span.size()) {
    const size_t hit = span.find(piece, pos);
    if (hit == std::string_view::npos) break;
    if (hit > pos) out->push_back(Fragment{-1, raw.offset + pos, hit - pos});
    out->push_back(Fragment{id, raw.offset + hit, piece.size()});
    pos = hit + piece.size();
  }
  if (pos < span.size()) {
    out->push_back(Fragment{-1, raw.offset + pos, span.size() - pos});
  }
}

}  // namespace

std::vector<int32_t> CollectSplitTokens(const Vocab& vocab) {
  std::vector<int32_t> ids;
  for (int32_t id = 0; id < vocab.size(); ++id) {
    if (IsSplitType(vocab.Type(id)) && !vocab.Text(id).empty()) {
      ids.push_back(id);
    }
  }
  std::stable_sort(ids.begin(), ids.end(), [&](int32_t a, int32_t b) {
    return vocab.Text(a).size() > vocab.Text(b).size();
  });
  return ids;
}

std::vector<Fragment> SplitSpecial(const Vocab& vocab,
                                   std::span<const int32_t> split_tokens,
                                   std::string_view text, bool parse_special) {
  std::vector<Fragment> fragments;
  if (text.empty()) return fragments;
  fragments.push_back(Fragment{-1, 0, text.size()});
  std::vector<Fragment> next;
  for (const int32_t id : split_tokens) {
    if (!parse_special && vocab.Type(id) != TokenType::kUserDefined) continue;
    const std::string_view piece = vocab.Text(id);
    // Cheap pre-check: most pieces never occur; skip the rebuild then.
    bool found = false;
    for (const Fragment& f : fragments) {
      if (f.id < 0 &&
          text.substr(f.offset, f.len).find(piece) != std::string_view::npos) {
        found = true;
        break;
      }
    }
    if (!found) continue;
    next.clear();
    for (const Fragment& f : fragments) {
      if (f.id >= 0) {
        next.push_back(f);
      } else {
        SplitFragment(text, f, piece, id, &next);
      }
    }
    fragments.swap(next);
  }
  return fragments;
}

}  // namespace vigil::tokenizer
