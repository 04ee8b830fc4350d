// SPDX-License-Identifier: Apache-2.0
#include "inference/grammar/token_index.h"

#include <gtest/gtest.h>

#include <random>

namespace vigil::grammar {
namespace {

// A random vocabulary over the bytes JSON reports use, with shared prefixes.
std::vector<std::string> RandomVocab(std::mt19937& rng, size_t n) {
  const std::string alphabet = "{}[],:\"abcdkxy019 .\xC3\xA9";
  std::vector<std::string> v = {""};  // a control token
  for (size_t i = 1; i < n; ++i) {
    std::string s;
    const size_t len = 1 + rng() % 6;
    for (size_t k = 0; k < len; ++k) s += alphabet[rng() % alphabet.size()];
    v.push_back(s);
  }
  return v;
}

TEST(TokenIndex, MaskEqualsBruteForce) {
  GrammarBuilder b;
  const Grammar g = b.Literal("{\"s\":").String(1, 8).Literal(",\"k\":")
                        .Enum({"ab", "abc", "d"}).Literal(",\"c\":")
                        .Int(1, 19).Literal(",\"l\":").OpenArray(0, 2)
                        .Enum({"x", "y"}, true).CloseArray().Literal("}")
                        .Build();
  Matcher m(g);
  std::mt19937 rng(3);
  const TokenIndex index(RandomVocab(rng, 3000));
  std::vector<uint8_t> mask(index.n_vocab());
  for (int run = 0; run < 40; ++run) {
    MatchState s = m.Start();
    for (int step = 0; step < 40 && !m.IsComplete(s); ++step) {
      const size_t n = index.Mask(m, s, mask);
      size_t brute = 0;
      for (size_t id = 0; id < index.n_vocab(); ++id) {
        const bool ok = index.Allows(m, s, int32_t(id));
        brute += ok;
        ASSERT_EQ(ok, mask[id] != 0) << "token '" << index.piece(int32_t(id))
                                     << "' run " << run << " step " << step;
      }
      ASSERT_EQ(n, brute);
      if (n == 0) break;
      // Walk on with a random allowed token.
      size_t pick = rng() % n;
      for (size_t id = 0; id < mask.size(); ++id) {
        if (mask[id] && pick-- == 0) {
          ASSERT_TRUE(m.Accepts(&s, index.piece(int32_t(id))));
          break;
        }
      }
    }
  }
}

TEST(TokenIndex, EmptyPiecesAreNeverAllowed) {
  GrammarBuilder b;
  const Grammar g = b.Literal("a").Build();
  Matcher m(g);
  const TokenIndex index({"", "a", "b"});
  std::vector<uint8_t> mask(3);
  EXPECT_EQ(index.Mask(m, m.Start(), mask), 1u);
  EXPECT_EQ(mask[0], 0);
  EXPECT_EQ(mask[1], 1);
  EXPECT_FALSE(index.Allows(m, m.Start(), 0));
  EXPECT_FALSE(index.Allows(m, m.Start(), 7));  // out of range
}

}  // namespace
}  // namespace vigil::grammar
