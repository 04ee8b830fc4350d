// SPDX-License-Identifier: Apache-2.0
// The generation loop on the tiny random Gemma 4 model: its text is
// meaningless, but the document must always complete the grammar.
#include "inference/grammar/constrained_decode.h"

#include <gtest/gtest.h>

#include "inference/kernels/thread_pool.h"

namespace vigil::grammar {
namespace {

const std::string kModel =
    std::string(VIGIL_SHARED_DIR) + "/ref/text/gemma4-e2b-tiny-F32.gguf";

class ConstrainedDecode : public ::testing::Test {
 protected:
  static void SetUpTestSuite() {
    auto model = text::Model::Load(kModel);
    ASSERT_TRUE(model.ok()) << model.status().ToString();
    model_ = model->release();
    auto tok = tokenizer::Tokenizer::FromGguf(model_->file());
    ASSERT_TRUE(tok.ok()) << tok.status().ToString();
    tok_ = new tokenizer::Tokenizer(std::move(*tok));
    index_ = new TokenIndex(VocabPieces(*tok_, model_->config().n_vocab));
    pool_ = new kernels::ThreadPool(2);
  }
  static void TearDownTestSuite() {
    delete pool_;
    delete index_;
    delete tok_;
    delete model_;
  }

  Result<ConstrainedResult> Run(const Grammar& g, uint64_t seed,
                                int max_tokens) {
    auto session = text::Session::Create(
        *model_, *pool_, {.n_ctx = 1024, .max_ubatch = 64,
                          .precision = kernels::MatMulPrecision::kFloat32,
                          .on_tensor = {}});
    if (!session.ok()) return session.status();
    const Matcher m(g);
    const std::vector<int32_t> prompt =
        tok_->Encode("Describe the picture as JSON.");
    text::SamplerOptions sampling{.greedy = false, .temperature = 1.5f,
                                  .top_k = 0, .top_p = 1.0f, .min_p = 0.0f,
                                  .seed = seed};
    return GenerateConstrained(**session, prompt,
                               {.matcher = m, .tokens = *index_,
                                .tokenizer = *tok_},
                               {.max_tokens = max_tokens,
                                .sampling = sampling});
  }

  static Grammar TestGrammar() {
    GrammarBuilder b;
    return b.Literal("{\"scene\":").String(1, 60).Literal(",\"kind\":")
        .Enum({"person", "package", "vehicle"}).Literal(",\"count\":")
        .Int(1, 50).Literal(",\"flags\":").OpenArray(0, 3)
        .Enum({"animal", "night_activity", "person_at_door"}, true)
        .CloseArray().Literal("}").Build();
  }

  static inline text::Model* model_ = nullptr;
  static inline tokenizer::Tokenizer* tok_ = nullptr;
  static inline TokenIndex* index_ = nullptr;
  static inline kernels::ThreadPool* pool_ = nullptr;
};

TEST_F(ConstrainedDecode, EverySeedGivesACompleteDocument) {
  const Grammar g = TestGrammar();
  const Matcher m(g);
  size_t forced = 0, sampled = 0;
  for (uint64_t seed = 0; seed < 40; ++seed) {
    auto r = Run(g, seed, 200);
    ASSERT_TRUE(r.ok()) << r.status().ToString();
    MatchState s = m.Start();
    EXPECT_TRUE(m.Accepts(&s, r->text) && m.IsComplete(s))
        << "seed " << seed << ": " << r->text;
    EXPECT_GT(r->n_forced, 0u);
    forced += r->n_forced;
    sampled += r->n_sampled;
  }
  // Keys and punctuation are a large share of a short document.
  EXPECT_GT(forced, 40u * 5);
  EXPECT_GT(sampled, 0u);
}

TEST_F(ConstrainedDecode, TinyBudgetStillCloses) {
  const Grammar g = TestGrammar();
  const Matcher m(g);
  for (int budget : {0, 1, 3}) {
    auto r = Run(g, 11, budget);
    ASSERT_TRUE(r.ok()) << r.status().ToString();
    EXPECT_LE(r->n_sampled, size_t(budget));
    MatchState s = m.Start();
    EXPECT_TRUE(m.Accepts(&s, r->text) && m.IsComplete(s)) << r->text;
    EXPECT_GT(r->n_closed_bytes, 0u);
  }
}

TEST_F(ConstrainedDecode, SameSeedSameDocument) {
  const Grammar g = TestGrammar();
  auto a = Run(g, 5, 100);
  auto b = Run(g, 5, 100);
  ASSERT_TRUE(a.ok() && b.ok());
  EXPECT_EQ(a->text, b->text);
}

TEST_F(ConstrainedDecode, MarkupTokensNeverAppear) {
  const std::vector<std::string> pieces =
      VocabPieces(*tok_, model_->config().n_vocab);
  size_t text_tokens = 0;
  for (int32_t id = 0; id < tok_->size(); ++id) {
    const auto type = tok_->vocab().Type(id);
    if (type == tokenizer::TokenType::kControl ||
        type == tokenizer::TokenType::kUserDefined) {
      EXPECT_TRUE(pieces[size_t(id)].empty()) << id;
    } else if (!pieces[size_t(id)].empty()) {
      ++text_tokens;
    }
  }
  EXPECT_GT(text_tokens, 256u);
  const Grammar g = TestGrammar();
  for (uint64_t seed = 100; seed < 110; ++seed) {
    auto r = Run(g, seed, 120);
    ASSERT_TRUE(r.ok());
    EXPECT_EQ(r->text.find("<|"), std::string::npos) << r->text;
    EXPECT_EQ(r->text.find("|>"), std::string::npos) << r->text;
  }
}

TEST_F(ConstrainedDecode, RejectsBadOptions) {
  const Grammar g = TestGrammar();
  auto r = Run(g, 1, -1);
  ASSERT_FALSE(r.ok());
  EXPECT_EQ(r.status().code(), StatusCode::kInvalidArgument);
}

}  // namespace
}  // namespace vigil::grammar
