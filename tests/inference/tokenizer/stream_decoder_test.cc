// SPDX-License-Identifier: Apache-2.0
// Streaming detokenization holds back incomplete UTF-8 characters.
#include "inference/tokenizer/stream_decoder.h"

#include <gtest/gtest.h>

#include "tests/inference/tokenizer/test_vocab.h"

namespace vigil::tokenizer {
namespace {

Tokenizer Build() {
  Result<Tokenizer> t =
      Tokenizer::FromSource(testing::MakeBaseVocab().Source());
  EXPECT_TRUE(t.ok()) << t.status().ToString();
  return std::move(t).value();
}

TEST(StreamDecoderTest, EmojiFromBytePiecesComesOutWhole) {
  const Tokenizer t = Build();
  const std::string llama = "\xF0\x9F\xA6\x99";
  const std::vector<int32_t> ids =
      t.Encode("a" + llama + "b", {.add_bos = true});
  StreamDecoder stream(t);
  std::vector<std::string> chunks;
  for (const int32_t id : ids) chunks.push_back(stream.Push(id));
  EXPECT_EQ(chunks,
            (std::vector<std::string>{"", "a", "", "", "", llama, "b"}));
  EXPECT_EQ(stream.Finish(), "");
}

TEST(StreamDecoderTest, FinishFlushesAnIncompleteTail) {
  const Tokenizer t = Build();
  StreamDecoder stream(t);
  EXPECT_EQ(stream.Push(11 + 0xC3), "");
  EXPECT_EQ(stream.Finish(), "\xC3");
  EXPECT_EQ(stream.Push(11 + 0xFF), "\xFF");  // never completes: no wait
}

TEST(StreamDecoderTest, IncompleteTailLengths) {
  EXPECT_EQ(IncompleteUtf8Tail(""), 0u);
  EXPECT_EQ(IncompleteUtf8Tail("ab"), 0u);
  EXPECT_EQ(IncompleteUtf8Tail("a\xE2\x96"), 2u);
  EXPECT_EQ(IncompleteUtf8Tail("a\xE2\x96\x81"), 0u);
  EXPECT_EQ(IncompleteUtf8Tail("\xF0"), 1u);
  EXPECT_EQ(IncompleteUtf8Tail("\x80\x80\x80\x80\x80"), 0u);
}

}  // namespace
}  // namespace vigil::tokenizer
