// SPDX-License-Identifier: Apache-2.0
// Tokenizer::FromGguf on small files written with the GGUF writer: a good
// vocabulary loads, and each kind of bad tokenizer metadata gives its error.
#include <gtest/gtest.h>

#include <functional>
#include <string>
#include <vector>

#include "inference/gguf/names.h"
#include "inference/gguf/reader.h"
#include "inference/gguf/writer.h"
#include "inference/tokenizer/tokenizer.h"
#include "tests/inference/tokenizer/test_vocab.h"

namespace vigil::tokenizer {
namespace {

namespace key = gguf::key;

struct FileSpec {
  std::string model = "gemma4";
  std::vector<std::string> tokens;
  std::vector<int32_t> types;
  std::vector<std::string> merges;
  uint32_t bos = 2;
  bool tokens_as_ints = false;
};

FileSpec GoodSpec() {
  testing::TestVocab v = testing::MakeBaseVocab();
  v.AddMerge("a", "b");
  return FileSpec{.tokens = v.tokens, .types = v.types, .merges = v.merges};
}

Result<Tokenizer> Load(const FileSpec& spec) {
  gguf::GgufWriter w;
  w.AddString(key::kArchitecture, key::kArchGemma4);
  w.AddString(key::kTokenizerModel, spec.model);
  if (spec.tokens_as_ints) {
    w.AddI32Array(key::kTokenizerTokens, spec.types);
  } else if (!spec.tokens.empty()) {
    w.AddStringArray(key::kTokenizerTokens, std::span(spec.tokens));
  }
  w.AddI32Array(key::kTokenizerTokenType, spec.types);
  w.AddStringArray(key::kTokenizerMerges, std::span(spec.merges));
  w.AddU32(key::kTokenizerBosId, spec.bos);
  w.AddU32(key::kTokenizerEosId, 1);
  Result<std::vector<uint8_t>> bytes = w.WriteToBuffer();
  EXPECT_TRUE(bytes.ok()) << bytes.status().ToString();
  Result<gguf::GgufFile> file = gguf::GgufFile::FromBuffer(*bytes);
  EXPECT_TRUE(file.ok()) << file.status().ToString();
  return Tokenizer::FromGguf(*file);
}

TEST(GgufSourceTest, LoadsAGoodVocabulary) {
  Result<Tokenizer> t = Load(GoodSpec());
  ASSERT_TRUE(t.ok()) << t.status().ToString();
  EXPECT_EQ(t->Encode("ab", {}), (std::vector<int32_t>{2, t->size() - 1}));
}

struct BadCase {
  const char* name;
  std::function<void(FileSpec*)> corrupt;
  StatusCode code;
  const char* message_part;
};

TEST(GgufSourceTest, BadMetadataGivesNamedErrors) {
  const std::vector<BadCase> cases = {
      {"other model", [](FileSpec* s) { s->model = "llama"; },
       StatusCode::kUnsupported, "'llama'"},
      {"no tokens", [](FileSpec* s) { s->tokens.clear(); },
       StatusCode::kNotFound, "tokenizer.ggml.tokens"},
      {"tokens not strings", [](FileSpec* s) { s->tokens_as_ints = true; },
       StatusCode::kCorrupt, "tokenizer.ggml.tokens"},
      {"short type array", [](FileSpec* s) { s->types.pop_back(); },
       StatusCode::kCorrupt, "token_type"},
      {"type out of range", [](FileSpec* s) { s->types[3] = 42; },
       StatusCode::kCorrupt, "token_type[3] = 42"},
      {"bos out of range", [](FileSpec* s) { s->bos = 100000; },
       StatusCode::kCorrupt, "bos_token_id"},
      {"merge of unknown piece",
       [](FileSpec* s) { s->merges.push_back("q r"); }, StatusCode::kCorrupt,
       "merges[1]"},
  };
  for (const BadCase& c : cases) {
    FileSpec spec = GoodSpec();
    c.corrupt(&spec);
    Result<Tokenizer> t = Load(spec);
    ASSERT_FALSE(t.ok()) << c.name;
    EXPECT_EQ(t.status().code(), c.code)
        << c.name << ": " << t.status().ToString();
    EXPECT_NE(t.status().message().find(c.message_part), std::string::npos)
        << c.name << ": " << t.status().ToString();
  }
}

}  // namespace
}  // namespace vigil::tokenizer
