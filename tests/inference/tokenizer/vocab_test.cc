// SPDX-License-Identifier: Apache-2.0
// Bad vocabularies are rejected with a message naming the entry.
#include <gtest/gtest.h>

#include "inference/tokenizer/tokenizer.h"
#include "tests/inference/tokenizer/test_vocab.h"

namespace vigil::tokenizer {
namespace {

using testing::MakeBaseVocab;
using testing::TestVocab;

Status BuildStatus(const VocabSource& source) {
  return Tokenizer::FromSource(source).status();
}

TEST(VocabTest, RejectsEmptyVocabulary) {
  const Status s = BuildStatus(VocabSource{});
  EXPECT_EQ(s.code(), StatusCode::kCorrupt);
}

TEST(VocabTest, RejectsTypeOutOfRange) {
  TestVocab v = MakeBaseVocab();
  v.types[12] = 9;
  const Status s = BuildStatus(v.Source());
  EXPECT_EQ(s.code(), StatusCode::kCorrupt);
  EXPECT_NE(s.message().find("token_type[12] = 9"), std::string::npos)
      << s.message();
}

TEST(VocabTest, RejectsTypeCountMismatch) {
  TestVocab v = MakeBaseVocab();
  v.types.pop_back();
  EXPECT_EQ(BuildStatus(v.Source()).code(), StatusCode::kCorrupt);
}

TEST(VocabTest, RejectsMergeWithoutSeparator) {
  TestVocab v = MakeBaseVocab();
  v.merges.push_back("ab");
  const Status s = BuildStatus(v.Source());
  EXPECT_EQ(s.code(), StatusCode::kCorrupt);
  EXPECT_NE(s.message().find("merges[0]"), std::string::npos) << s.message();
}

TEST(VocabTest, RejectsMergeOfUnknownPieces) {
  TestVocab v = MakeBaseVocab();
  v.merges.push_back("a b");  // "ab" is no token
  EXPECT_EQ(BuildStatus(v.Source()).code(), StatusCode::kCorrupt);
  TestVocab w = MakeBaseVocab();
  w.merges.push_back("x y");
  EXPECT_EQ(BuildStatus(w.Source()).code(), StatusCode::kCorrupt);
}

TEST(VocabTest, RejectsSpecialIdOutsideVocabulary) {
  TestVocab v = MakeBaseVocab();
  VocabSource s = v.Source();
  s.eos_id = static_cast<int32_t>(v.tokens.size());
  const Status st = BuildStatus(s);
  EXPECT_EQ(st.code(), StatusCode::kCorrupt);
  EXPECT_NE(st.message().find("eos_token_id"), std::string::npos);
}

TEST(VocabTest, SpecialIdsFromMetadataOverrideTextLookup) {
  TestVocab v = MakeBaseVocab();
  VocabSource s = v.Source();
  s.eos_id = 5;  // pretend <turn|> is EOS
  Result<Tokenizer> t = Tokenizer::FromSource(s);
  ASSERT_TRUE(t.ok());
  EXPECT_EQ(t->special().eos, 5);
  EXPECT_EQ(t->special().bos, 2);
}

TEST(VocabTest, MissingTypesMeanNormal) {
  TestVocab v = MakeBaseVocab();
  VocabSource s = v.Source();
  s.token_types.clear();
  Result<Tokenizer> t = Tokenizer::FromSource(s);
  ASSERT_TRUE(t.ok());
  EXPECT_EQ(t->vocab().Type(2), TokenType::kNormal);
}

}  // namespace
}  // namespace vigil::tokenizer
