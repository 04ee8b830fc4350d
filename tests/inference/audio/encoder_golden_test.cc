// SPDX-License-Identifier: Apache-2.0
// The audio tower against llama.cpp (ref/audio): soft-token count and
// embeddings within 1e-4 of mtmd_encode_chunk output from llama.cpp mel,
// within 1e-3 (rms 1e-4) from our own mel; 4 threads equal 1 thread.
#include "inference/audio/encoder.h"

#include <memory>

#include "tests/inference/audio/audio_golden.h"

namespace vigil::audio {
namespace {

class EncoderGolden : public ::testing::TestWithParam<std::string> {
 protected:
  static void SetUpTestSuite() {
    auto m = AudioModel::Load(testing::kMmproj);
    ASSERT_TRUE(m.ok()) << m.status().ToString();
    model_ = std::move(m).value().release();
  }
  static void TearDownTestSuite() { delete model_; }
  std::string dir() const { return testing::kRefDir + "/" + GetParam(); }

  // llama.cpp's mel dump [128, F] transposed to our [F, 128].
  MelFeatures RefMel() const {
    std::vector<float> ref = testing::ReadFloats(dir() + "/mel.bin");
    MelFeatures mel;
    mel.n_frames = ref.size() / kMelBins;
    mel.data.resize(ref.size());
    for (size_t m = 0; m < kMelBins; ++m) {
      for (size_t t = 0; t < mel.n_frames; ++t) {
        mel.data[t * kMelBins + m] = ref[m * mel.n_frames + t];
      }
    }
    return mel;
  }

  static AudioModel* model_;
};
AudioModel* EncoderGolden::model_ = nullptr;

TEST_P(EncoderGolden, EmbeddingsFromReferenceMelMatch) {
  kernels::ThreadPool pool(1);
  auto tokens = EncodeMel(*model_, RefMel(), pool);
  ASSERT_TRUE(tokens.ok()) << tokens.status().ToString();
  const auto ref = testing::ReadJson(dir() + "/reference.json");
  EXPECT_EQ(tokens.value().n_tokens, ref["n_media_tokens"].get<size_t>());
  auto d = testing::Compare(tokens.value().data,
                            testing::ReadFloats(dir() + "/embeddings.bin"));
  EXPECT_LT(d.max_abs, 1e-4) << "rms " << d.rms << " at " << d.worst;
}

TEST_P(EncoderGolden, EmbeddingsFromPcmMatchAndThreadsAgree) {
  const std::vector<float> pcm = testing::ReadFloats(dir() + "/pcm_f32.bin");
  kernels::ThreadPool one(1), four(4);
  auto a = EncodeClip(*model_, pcm, one);
  auto b = EncodeClip(*model_, pcm, four);
  ASSERT_TRUE(a.ok() && b.ok());
  EXPECT_EQ(a.value().n_tokens, CountClipTokens(pcm.size()));
  // Our float64 mel differs from llama.cpp's float32 FFT by up to ~1e-3 at
  // the ln(0.001) floor (ref/audio README); the fp16 conv input turns a few
  // of those into one-ulp flips, so the end-to-end bound is 1e-3, rms 1e-4.
  auto d = testing::Compare(a.value().data,
                            testing::ReadFloats(dir() + "/embeddings.bin"));
  EXPECT_LT(d.max_abs, 1e-3) << "rms " << d.rms;
  EXPECT_LT(d.rms, 1e-4);
  EXPECT_LT(testing::Compare(a.value().data, b.value().data).max_abs, 1e-5);
}

INSTANTIATE_TEST_SUITE_P(Ref, EncoderGolden,
                         ::testing::ValuesIn(testing::AllCases()));

}  // namespace
}  // namespace vigil::audio
