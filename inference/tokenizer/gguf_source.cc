// SPDX-License-Identifier: Apache-2.0
// Reads the `tokenizer.ggml.*` keys of a GGUF file (spec/gemma4-text.md
// §1.6) into a `VocabSource`. String arrays are views into the mapping; the
// vocabulary copies what it keeps.
#include <string>

#include "inference/gguf/names.h"
#include "inference/gguf/reader.h"
#include "inference/tokenizer/tokenizer.h"

namespace vigil::tokenizer {
namespace {

namespace key = gguf::key;

// Sets `*id` from `key` if present (an id beyond i32 is kCorrupt).
Status ReadOptionalId(const gguf::GgufFile& file, std::string_view key,
                      int32_t* id) {
  if (!file.Has(key)) return OkStatus();
  VIGIL_ASSIGN_OR_RETURN(*id, file.GetI32(key));
  return OkStatus();
}

Result<VocabSource> ReadSource(const gguf::GgufFile& file) {
  VIGIL_ASSIGN_OR_RETURN(std::string_view model,
                         file.GetString(key::kTokenizerModel));
  if (model != key::kTokenizerModelGemma4) {
    return Unsupported(std::string(key::kTokenizerModel) + " is '" +
                       std::string(model) +
                       "'; expected 'gemma4' (only Gemma 4 is supported)");
  }
  VocabSource source;
  VIGIL_ASSIGN_OR_RETURN(source.tokens,
                         file.GetStringArray(key::kTokenizerTokens));
  if (file.Has(key::kTokenizerTokenType)) {
    VIGIL_ASSIGN_OR_RETURN(source.token_types,
                           file.GetI32Array(key::kTokenizerTokenType));
  }
  if (file.Has(key::kTokenizerMerges)) {
    VIGIL_ASSIGN_OR_RETURN(source.merges,
                           file.GetStringArray(key::kTokenizerMerges));
  }
  VIGIL_RETURN_IF_ERROR(
      ReadOptionalId(file, key::kTokenizerBosId, &source.bos_id));
  VIGIL_RETURN_IF_ERROR(
      ReadOptionalId(file, key::kTokenizerEosId, &source.eos_id));
  VIGIL_RETURN_IF_ERROR(
      ReadOptionalId(file, key::kTokenizerUnknownId, &source.unk_id));
  VIGIL_RETURN_IF_ERROR(
      ReadOptionalId(file, key::kTokenizerPaddingId, &source.pad_id));
  // `add_bos_token` is ignored on purpose: Gemma 4 always gets one BOS
  // (spec §1.6, old files say false).
  return source;
}

}  // namespace

Result<Tokenizer> Tokenizer::FromGguf(const gguf::GgufFile& file) {
  Result<VocabSource> source = ReadSource(file);
  if (!source.ok()) return source.status().WithContext(file.path());
  Result<Tokenizer> tokenizer = FromSource(*source);
  if (!tokenizer.ok()) return tokenizer.status().WithContext(file.path());
  return tokenizer;
}

}  // namespace vigil::tokenizer
