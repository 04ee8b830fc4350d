// SPDX-License-Identifier: Apache-2.0
// `vigil generate` and `vigil model info` on the reference models: golden
// logits and ids through the CLI's own files, and exit codes on bad input.
#include <fstream>

#include <gtest/gtest.h>

#include "app/commands/inference_commands.h"
#include "inference/kernels/matmul.h"
#include "tests/golden/golden.h"

namespace vigil::app {
namespace {

const std::string kE2b = golden::RefPath("text/gemma4-e2b-tiny-F32.gguf");
const std::string kE4b = golden::RefPath("text/gemma4-e4b-tiny-F32.gguf");

TEST(GenerateCommandTest, PromptIdsGiveReferenceLogitsAndGreedyIds) {
  auto ref = golden::ReadJson(
      golden::RefPath("text/gemma4-e4b-tiny/F32/reference.json"));
  ASSERT_TRUE(ref.ok());
  const auto& p = (*ref)["prompts"][2];  // long: beyond the sliding window
  std::string ids;
  for (int id : p["ids"]) {
    if (!ids.empty()) ids.push_back(',');
    ids.append(std::to_string(id));
  }
  const std::string logits_path = ::testing::TempDir() + "/cli_logits.bin";
  const std::string ids_path = ::testing::TempDir() + "/cli_ids.txt";
  ASSERT_EQ(RunGenerateCommand({"--model", kE4b, "--prompt-ids", ids,
                                "--greedy", "--max-tokens", "6",
                                "--precision", "float32", "--threads", "2",
                                "--logits-out", logits_path, "--ids-out",
                                ids_path}),
            0);
  auto ours = golden::ReadF32(logits_path);
  ASSERT_TRUE(ours.ok());
  auto last = golden::ReadF32(
      golden::RefPath("text/gemma4-e4b-tiny/F32/" +
                      p["logits_all_exactgelu_file"].get<std::string>()));
  ASSERT_TRUE(last.ok());
  const size_t V = 768;
  std::vector<float> ref_last(last->end() - V, last->end());
  EXPECT_LE(golden::Diff(*ours, ref_last).max_abs, 1e-3);
  std::ifstream in(ids_path);
  std::vector<int> got;
  for (int id; in >> id;) got.push_back(id);
  auto expected = p["greedy_ids_exactgelu"].get<std::vector<int>>();
  EXPECT_EQ(got, std::vector<int>(expected.begin(), expected.begin() + 6));
}

TEST(GenerateCommandTest, TextPromptRunsThroughChatTemplate) {
  EXPECT_EQ(RunGenerateCommand({"--model", kE2b, "--prompt", "The sky is",
                                "--system", "Be brief.", "--max-tokens", "4",
                                "--temp", "0.8", "--seed", "3"}),
            0);
}

TEST(GenerateCommandTest, BadInputGivesExitCodes) {
  EXPECT_EQ(RunGenerateCommand({"--prompt", "x"}), 2);  // no model
  EXPECT_EQ(RunGenerateCommand({"--model", kE2b}), 2);  // no prompt
  EXPECT_EQ(RunGenerateCommand({"--model", kE2b, "--prompt", "x", "--top-k",
                                "many"}),
            2);
  EXPECT_EQ(RunGenerateCommand({"--model", "/nonexistent.gguf", "--prompt",
                                "x"}),
            1);
  // Prompt longer than the context: a clear error, not a crash.
  EXPECT_EQ(RunGenerateCommand({"--model", kE2b, "--prompt-ids",
                                "2,5,5,5,5,5,5,5,5,5", "--ctx", "8"}),
            1);
  EXPECT_EQ(RunGenerateCommand({"--model", kE2b, "--prompt-ids", "2,99999"}),
            1);
}

TEST(ModelInfoCommandTest, PrintsLayersTypesAndMemory) {
  ::testing::internal::CaptureStdout();
  ASSERT_EQ(RunModelInfoCommand({kE4b, "--ctx", "1024"}), 0);
  const std::string out = ::testing::internal::GetCapturedStdout();
  EXPECT_NE(out.find("n_layer 12"), std::string::npos) << out;
  EXPECT_NE(out.find("from 4"), std::string::npos) << out;
  EXPECT_NE(out.find("F32"), std::string::npos) << out;
  EXPECT_NE(out.find("KV cache (f32) at 1024 tokens"), std::string::npos);
  // A float model has nothing to re-lay; a Q4_K_M one has where the CPU
  // decodes k-quants faster re-laid (text/decode_layout.h).
  EXPECT_NE(out.find("re-laid in memory at load for this CPU's decode kernels "
                     "(their file pages released): 0.00 B"),
            std::string::npos) << out;
  ::testing::internal::CaptureStdout();
  ASSERT_EQ(RunModelInfoCommand({golden::RefPath("text/gemma4-e2b-tiny-Q4_K_M.gguf")}), 0);
  const std::string quantized = ::testing::internal::GetCapturedStdout();
  const uint8_t block[4 * 144] = {};
  const bool relays = kernels::DecodesFasterAsQuads(
      {gguf::GgmlType::kQ4_K, block, 4, 256, 144});
  EXPECT_EQ(quantized.find("(their file pages released): 0.00 B") == std::string::npos,
            relays) << quantized;
  EXPECT_EQ(RunModelInfoCommand({}), 2);
  EXPECT_EQ(RunModelInfoCommand({"/nonexistent.gguf"}), 1);
}

}  // namespace
}  // namespace vigil::app
