// SPDX-License-Identifier: Apache-2.0
#include "inference/grammar/token_index.h"

#include <algorithm>

namespace vigil::grammar {

TokenIndex::TokenIndex(std::vector<std::string> pieces)
    : pieces_(std::move(pieces)) {
  for (size_t i = 0; i < pieces_.size(); ++i) {
    // Longer pieces are never allowed: the walk's stack is bounded.
    if (!pieces_[i].empty() && pieces_[i].size() < 0xFFFF) {
      order_.push_back(int32_t(i));
      max_len_ = std::max(max_len_, pieces_[i].size());
    }
  }
  std::sort(order_.begin(), order_.end(), [this](int32_t a, int32_t b) {
    return pieces_[size_t(a)] < pieces_[size_t(b)];
  });
  lcp_.resize(order_.size());
  for (size_t i = 1; i < order_.size(); ++i) {
    const std::string& a = pieces_[size_t(order_[i - 1])];
    const std::string& b = pieces_[size_t(order_[i])];
    size_t k = 0;
    while (k < a.size() && k < b.size() && a[k] == b[k]) ++k;
    lcp_[i] = uint16_t(k);
  }
}

bool TokenIndex::Allows(const Matcher& m, const MatchState& s,
                        int32_t id) const {
  if (id < 0 || size_t(id) >= pieces_.size()) return false;
  const std::string& p = pieces_[size_t(id)];
  if (p.empty()) return false;
  MatchState t = s;
  return m.Accepts(&t, p);
}

size_t TokenIndex::Mask(const Matcher& m, const MatchState& s,
                        std::span<uint8_t> allowed) const {
  std::fill(allowed.begin(), allowed.end(), uint8_t{0});
  // states[k] = matcher after the first k bytes of the current piece;
  // `good` = how many leading bytes of the previous piece were accepted.
  std::vector<MatchState> states(max_len_ + 1);
  states[0] = s;
  size_t good = 0;
  size_t n_allowed = 0;
  for (size_t i = 0; i < order_.size(); ++i) {
    const std::string& p = pieces_[size_t(order_[i])];
    size_t k = i == 0 ? 0 : lcp_[i];
    // The shared prefix already failed at byte `good`: so does this piece.
    if (k > good) continue;
    while (k < p.size()) {
      states[k + 1] = states[k];
      if (!m.Step(&states[k + 1], uint8_t(p[k]))) break;
      ++k;
    }
    good = k;
    if (k == p.size()) {
      allowed[size_t(order_[i])] = 1;
      ++n_allowed;
    }
  }
  return n_allowed;
}

}  // namespace vigil::grammar
