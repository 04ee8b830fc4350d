// SPDX-License-Identifier: Apache-2.0
// Unit tests of the Gemma 4 BPE on a hand-made vocabulary: merge order, ties,
// byte fallback, special-token split, newline runs, BOS, decoding, round trip.
#include <gtest/gtest.h>

#include <random>
#include <string>
#include <vector>

#include "inference/tokenizer/tokenizer.h"
#include "tests/inference/tokenizer/test_vocab.h"

namespace vigil::tokenizer {
namespace {

using testing::MakeBaseVocab;
using testing::TestVocab;
using Ids = std::vector<int32_t>;

constexpr EncodeOptions kRaw{.add_bos = false, .parse_special = false};
constexpr EncodeOptions kSpecial{.add_bos = false, .parse_special = true};
const std::string kSp = "\xE2\x96\x81";  // '▁'

Tokenizer Build(const TestVocab& v) {
  Result<Tokenizer> t = Tokenizer::FromSource(v.Source());
  EXPECT_TRUE(t.ok()) << t.status().ToString();
  return std::move(t).value();
}

int32_t Id(const Tokenizer& t, const std::string& piece) {
  const int32_t id = t.vocab().Find(piece);
  EXPECT_GE(id, 0) << "no piece '" << piece << "'";
  return id;
}

TEST(BpeTest, LowerRankMergesFirst) {
  TestVocab v = MakeBaseVocab();
  v.AddMerge("a", "b");   // rank 0
  v.AddMerge("b", "c");   // rank 1
  v.AddMerge("ab", "c");  // rank 2
  const Tokenizer t = Build(v);
  EXPECT_EQ(t.Encode("abc", kRaw), Ids{Id(t, "abc")});

  TestVocab w = MakeBaseVocab();
  w.AddMerge("b", "c");  // now "b c" wins, "ab" can never form
  w.AddMerge("a", "b");
  w.AddMerge("ab", "c");
  const Tokenizer u = Build(w);
  EXPECT_EQ(u.Encode("abc", kRaw), (Ids{Id(u, "a"), Id(u, "bc")}));
}

TEST(BpeTest, TiesGoToTheLeftmostPair) {
  TestVocab v = MakeBaseVocab();
  v.AddMerge("a", "a");
  const Tokenizer t = Build(v);
  EXPECT_EQ(t.Encode("aaa", kRaw), (Ids{Id(t, "aa"), Id(t, "a")}));
  EXPECT_EQ(t.Encode("aaaa", kRaw), (Ids{Id(t, "aa"), Id(t, "aa")}));
}

TEST(BpeTest, MergeOrderNotGreedyLongestMatch) {
  // spec §4.5: "  Hello" is ▁▁ + Hello because ▁▁ merges before ▁H.
  TestVocab v = MakeBaseVocab();
  v.AddMerge(kSp, kSp);
  v.AddMerge("h", "i");
  v.AddMerge(kSp, "hi");
  const Tokenizer t = Build(v);
  EXPECT_EQ(t.Encode(" hi", kRaw), Ids{Id(t, kSp + "hi")});
  EXPECT_EQ(t.Encode("  hi", kRaw), (Ids{Id(t, kSp + kSp), Id(t, "hi")}));
}

TEST(BpeTest, NeighboursAreReEvaluatedAfterAMerge) {
  TestVocab v = MakeBaseVocab();
  v.AddMerge("b", "c");   // rank 0
  v.AddMerge("a", "bc");  // rank 1: only possible after rank 0
  v.AddMerge("a", "b");   // rank 2: would win if stale pairs were used
  const Tokenizer t = Build(v);
  EXPECT_EQ(t.Encode("abc", kRaw), Ids{Id(t, "abc")});
  EXPECT_EQ(t.Encode("abcab", kRaw), (Ids{Id(t, "abc"), Id(t, "ab")}));
}

TEST(BpeTest, SpacesBecomeEscapeAndNoPrefixIsAdded) {
  const Tokenizer t = Build(MakeBaseVocab());
  EXPECT_EQ(t.Encode("a b", kRaw), (Ids{Id(t, "a"), Id(t, kSp), Id(t, "b")}));
  EXPECT_EQ(t.Encode("", kRaw), Ids{});
}

TEST(BpeTest, UnknownCharactersFallBackToBytes) {
  const Tokenizer t = Build(MakeBaseVocab());
  // "é" = C3 A9, "🦙" = F0 9F A6 99; byte piece id = 11 + byte.
  EXPECT_EQ(t.Encode("a\xC3\xA9", kRaw),
            (Ids{Id(t, "a"), 11 + 0xC3, 11 + 0xA9}));
  EXPECT_EQ(t.Encode("\xF0\x9F\xA6\x99", kRaw),
            (Ids{11 + 0xF0, 11 + 0x9F, 11 + 0xA6, 11 + 0x99}));
  // Invalid and truncated UTF-8 are byte pieces too.
  EXPECT_EQ(t.Encode("\xFF"
                     "a\xE2\x96",
                     kRaw),
            (Ids{11 + 0xFF, Id(t, "a"), 11 + 0xE2, 11 + 0x96}));
}

TEST(BpeTest, MissingBytePiecesGiveUnknown) {
  const Tokenizer t = Build(MakeBaseVocab(/*with_byte_tokens=*/false));
  EXPECT_EQ(t.Encode("\xC3\xA9", kRaw), (Ids{3, 3}));
}

TEST(BpeTest, NewlineRunsArePreSplitAndLookedUpWhole) {
  TestVocab v = MakeBaseVocab();
  v.AddMerge("a", "\n");  // must never fire: runs are split first
  v.AddMerge("\n", "\n");
  const Tokenizer t = Build(v);
  EXPECT_EQ(t.Encode("a\n", kRaw), (Ids{Id(t, "a"), 9}));
  EXPECT_EQ(t.Encode("\n\n", kRaw), Ids{10});
  // "\n\n\n" is no piece: BPE on the run, leftmost tie first.
  EXPECT_EQ(t.Encode("\n\n\nb\n", kRaw), (Ids{10, 9, Id(t, "b"), 9}));
  EXPECT_EQ(t.Encode("\t\n", kRaw), (Ids{Id(t, "\t"), 9}));
}

TEST(BpeTest, ControlPiecesSplitOnlyWithParseSpecial) {
  const Tokenizer t = Build(MakeBaseVocab());
  EXPECT_EQ(t.Encode("<|turn>a<turn|>", kSpecial), (Ids{4, Id(t, "a"), 5}));
  const Ids raw = t.Encode("<|turn>", kRaw);
  EXPECT_EQ(raw.size(), 7u);  // '<' '|' 't' 'u' 'r' 'n' '>' as bytes
  EXPECT_EQ(raw[0], 11 + '<');
  EXPECT_EQ(t.Decode(raw), "<|turn>");
}

TEST(BpeTest, UserDefinedPiecesAlwaysSplit) {
  const Tokenizer t = Build(MakeBaseVocab());
  EXPECT_EQ(t.Encode("a<|channel>b<channel|>", kRaw),
            (Ids{Id(t, "a"), 6, Id(t, "b"), 7}));
}

TEST(BpeTest, LongerSpecialPiecesWinOverShorterOnes) {
  TestVocab v = MakeBaseVocab();
  const int32_t shorter = v.Add("<x>", TokenType::kControl);
  const int32_t longer = v.Add("<x>>", TokenType::kControl);
  const Tokenizer t = Build(v);
  EXPECT_EQ(t.Encode("<x>><x>", kSpecial), (Ids{longer, shorter}));
}

TEST(BpeTest, BosIsAddedExactlyOnce) {
  const Tokenizer t = Build(MakeBaseVocab());
  EXPECT_EQ(t.Encode("a", {.add_bos = true}), (Ids{2, Id(t, "a")}));
  EXPECT_EQ(t.Encode("<bos>a", {.add_bos = true, .parse_special = true}),
            (Ids{2, Id(t, "a")}));
  EXPECT_EQ(t.Encode("", {.add_bos = true}), Ids{2});
}

TEST(BpeTest, DecodeRendersPiecesByType) {
  TestVocab v = MakeBaseVocab();
  v.AddMerge(kSp, "h");
  const Tokenizer t = Build(v);
  const Ids ids = {2, Id(t, kSp + "h"), 6, 11 + 0xC3, 11 + 0xA9, 5, 9};
  EXPECT_EQ(t.Decode(ids), " h<|channel>\xC3\xA9\n");
  EXPECT_EQ(t.Decode(ids, {.render_special = true}),
            "<bos> h<|channel>\xC3\xA9<turn|>\n");
  EXPECT_EQ(t.TokenToPiece(Id(t, kSp)), " ");
  EXPECT_EQ(t.TokenToPiece(-1), "");
  EXPECT_EQ(t.TokenToPiece(t.size()), "");
}

TEST(BpeTest, DecodeOfEncodeRoundTrips) {
  TestVocab v = MakeBaseVocab();
  v.AddMerge("a", "b");
  v.AddMerge(kSp, "a");
  v.AddMerge("\n", "\n");
  const Tokenizer t = Build(v);
  for (const std::string text :
       {"ab ab  abc", "\n\n\n a\tb", "caf\xC3\xA9 \xF0\x9F\xA6\x99", " ",
        "<|channel>hi<channel|>", "\xFF\xFE"}) {
    EXPECT_EQ(t.Decode(t.Encode(text, kRaw)), text);
  }
}

TEST(BpeTest, EndOfGenerationSet) {
  const Tokenizer t = Build(MakeBaseVocab());
  EXPECT_TRUE(t.IsEndOfGeneration(1));
  EXPECT_TRUE(t.IsEndOfGeneration(5));
  EXPECT_TRUE(t.IsEndOfGeneration(8));
  EXPECT_FALSE(t.IsEndOfGeneration(2));
  EXPECT_FALSE(t.IsEndOfGeneration(-1));
  // The list is exactly the ids the predicate accepts, ascending.
  std::vector<int32_t> scanned;
  for (int32_t id = 0; id < t.size(); ++id) {
    if (t.IsEndOfGeneration(id)) scanned.push_back(id);
  }
  EXPECT_EQ(t.EndOfGenerationIds(), scanned);
  EXPECT_EQ(t.EndOfGenerationIds(), (std::vector<int32_t>{1, 5, 8}));
  EXPECT_EQ(t.special().turn_start, 4);
  EXPECT_EQ(t.special().channel_end, 7);
  EXPECT_EQ(t.special().image_soft, -1);
}

TEST(BpeTest, RandomInputsRoundTripAndStayInVocabulary) {
  TestVocab v = MakeBaseVocab();
  v.AddMerge("a", "b");
  v.AddMerge(kSp, kSp);
  v.AddMerge("ab", "c");
  v.AddMerge("\n", "\n");
  const Tokenizer t = Build(v);
  const std::vector<std::string> atoms = {"a",
                                          "b",
                                          "c",
                                          " ",
                                          "\n",
                                          "\t",
                                          "<|channel>",
                                          "<turn|>",
                                          "\xC3\xA9",
                                          "\xF0\x9F\xA6\x99",
                                          "\x80",
                                          "\xFF",
                                          std::string(1, '\0')};
  std::mt19937 rng(1234);  // fixed seed: reproducible
  for (int iter = 0; iter < 500; ++iter) {
    std::string text;
    const int n = static_cast<int>(rng() % 40);
    for (int i = 0; i < n; ++i) text += atoms[rng() % atoms.size()];
    for (const bool special : {false, true}) {
      const Ids ids =
          t.Encode(text, {.add_bos = false, .parse_special = special});
      for (const int32_t id : ids) ASSERT_TRUE(t.vocab().Contains(id));
      EXPECT_EQ(t.Decode(ids, {.render_special = true}), text) << iter;
    }
  }
}

TEST(BpeTest, MegabyteWithoutNewlinesEncodesAndRoundTrips) {
  TestVocab v = MakeBaseVocab();
  v.AddMerge("a", "b");
  v.AddMerge("ab", "c");
  v.AddMerge(kSp, "abc");
  const Tokenizer t = Build(v);
  std::string text;
  while (text.size() < (1u << 20)) text += " abc abcab\xC3\xA9";
  const Ids ids = t.Encode(text, kRaw);
  EXPECT_EQ(ids[0], Id(t, kSp + "abc"));
  EXPECT_EQ(t.Decode(ids), text);
}

}  // namespace
}  // namespace vigil::tokenizer
