// SPDX-License-Identifier: Apache-2.0
// The vocabulary as bytes, sorted so shared prefixes are walked once: the
// token mask forks the matcher at each prefix (a trie walk over a sorted
// list with longest-common-prefix lengths), so masking a 262k vocabulary
// costs one matcher step per distinct trie node, not per token byte.
#pragma once

#include <cstdint>
#include <span>
#include <string>
#include <vector>

#include "inference/grammar/matcher.h"

namespace vigil::grammar {

class TokenIndex {
 public:
  // `pieces[id]` = the bytes token `id` decodes to; empty pieces (control
  // tokens) are never allowed.
  explicit TokenIndex(std::vector<std::string> pieces);

  size_t n_vocab() const { return pieces_.size(); }
  const std::string& piece(int32_t id) const { return pieces_[size_t(id)]; }

  // True when token `id` may come next from `s`.
  bool Allows(const Matcher& m, const MatchState& s, int32_t id) const;
  // Sets allowed[id] = 1 for every token that may come next, 0 otherwise
  // (`allowed.size()` >= n_vocab; extra entries are cleared). Returns the
  // number of allowed tokens.
  size_t Mask(const Matcher& m, const MatchState& s,
              std::span<uint8_t> allowed) const;

 private:
  std::vector<std::string> pieces_;
  std::vector<int32_t> order_;     // non-empty ids sorted by piece bytes
  std::vector<uint16_t> lcp_;      // common prefix with the previous entry
  size_t max_len_ = 0;
};

}  // namespace vigil::grammar
