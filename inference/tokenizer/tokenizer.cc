// SPDX-License-Identifier: Apache-2.0
#include "inference/tokenizer/tokenizer.h"

#include <algorithm>
#include <utility>

#include "inference/tokenizer/bpe.h"
#include "inference/tokenizer/special_split.h"

namespace vigil::tokenizer {
namespace {

constexpr std::string_view kSpaceEscape = "\xE2\x96\x81";  // U+2581 '▁'

// Returns `text` with every U+0020 replaced by `▁` (spec §4.2 step a).
std::string EscapeSpaces(std::string_view text) {
  std::string escaped;
  escaped.reserve(text.size() + text.size() / 4);
  for (const char c : text) {
    if (c == ' ') {
      escaped.append(kSpaceEscape);
    } else {
      escaped.push_back(c);
    }
  }
  return escaped;
}

// Returns the byte of a `<0xXX>` piece, or -1 if `text` has another form.
int ParseBytePiece(std::string_view text) {
  if (text.size() != 6 || text.substr(0, 3) != "<0x" || text[5] != '>') {
    return -1;
  }
  int value = 0;
  for (size_t i = 3; i < 5; ++i) {
    const char c = text[i];
    int digit = -1;
    if (c >= '0' && c <= '9') digit = c - '0';
    if (c >= 'A' && c <= 'F') digit = c - 'A' + 10;
    if (c >= 'a' && c <= 'f') digit = c - 'a' + 10;
    if (digit < 0) return -1;
    value = value * 16 + digit;
  }
  return value;
}

void AppendUnescaped(std::string_view text, std::string* out) {
  size_t pos = 0;
  while (true) {
    const size_t hit = text.find(kSpaceEscape, pos);
    if (hit == std::string_view::npos) break;
    out->append(text.substr(pos, hit - pos)).push_back(' ');
    pos = hit + kSpaceEscape.size();
  }
  out->append(text.substr(pos));
}

}  // namespace

Tokenizer::Tokenizer(Vocab vocab)
    : vocab_(std::move(vocab)), split_tokens_(CollectSplitTokens(vocab_)) {}

Result<Tokenizer> Tokenizer::FromSource(const VocabSource& source) {
  VIGIL_ASSIGN_OR_RETURN(Vocab vocab, Vocab::Build(source));
  return Tokenizer(std::move(vocab));
}

std::vector<int32_t> Tokenizer::Encode(std::string_view text,
                                       EncodeOptions options) const {
  std::vector<int32_t> ids;
  const int32_t bos = vocab_.special().bos;
  const bool add_bos = options.add_bos && bos >= 0;
  if (add_bos) ids.push_back(bos);
  const std::vector<Fragment> fragments =
      SplitSpecial(vocab_, split_tokens_, text, options.parse_special);
  for (const Fragment& f : fragments) {
    if (f.id >= 0) {
      ids.push_back(f.id);
    } else {
      EncodeText(text.substr(f.offset, f.len), &ids);
    }
  }
  // A template that starts with "<bos>" already supplied the one BOS.
  if (add_bos && ids.size() > 1 && ids[1] == bos) ids.erase(ids.begin());
  return ids;
}

// Steps a-e of spec §4.2 on text free of special pieces.
void Tokenizer::EncodeText(std::string_view text,
                           std::vector<int32_t>* out) const {
  const std::string escaped = EscapeSpaces(text);
  const std::string_view all = escaped;
  size_t pos = 0;
  while (pos < all.size()) {
    // Maximal run of '\n' or of anything else: a linear scan, no regex.
    const bool newlines = all[pos] == '\n';
    size_t end = pos;
    while (end < all.size() && (all[end] == '\n') == newlines) ++end;
    const std::string_view run = all.substr(pos, end - pos);
    const int32_t whole = newlines ? vocab_.Find(run) : -1;
    if (whole >= 0) {
      out->push_back(whole);
    } else {
      BpeEncodeRun(vocab_, run, out);
    }
    pos = end;
  }
}

void Tokenizer::AppendPiece(int32_t id, DecodeOptions options,
                            std::string* out) const {
  const std::string_view text = vocab_.Text(id);
  switch (vocab_.Type(id)) {
    case TokenType::kByte: {
      const int byte = ParseBytePiece(text);
      if (byte >= 0) {
        out->push_back(static_cast<char>(byte));
      } else {
        out->append(text);
      }
      return;
    }
    case TokenType::kUserDefined:
      out->append(text);
      return;
    case TokenType::kControl:
    case TokenType::kUnknown:
    case TokenType::kUnused:
      if (options.render_special) out->append(text);
      return;
    default:
      AppendUnescaped(text, out);
      return;
  }
}

std::string Tokenizer::TokenToPiece(int32_t id, DecodeOptions options) const {
  std::string piece;
  AppendPiece(id, options, &piece);
  return piece;
}

std::string Tokenizer::Decode(std::span<const int32_t> ids,
                              DecodeOptions options) const {
  std::string text;
  for (const int32_t id : ids) AppendPiece(id, options, &text);
  return text;
}

bool Tokenizer::IsEndOfGeneration(int32_t id) const {
  const SpecialTokens& s = vocab_.special();
  return id >= 0 &&
         (id == s.eos || id == s.turn_end || id == s.tool_response_start);
}

std::vector<int32_t> Tokenizer::EndOfGenerationIds() const {
  const SpecialTokens& s = vocab_.special();
  std::vector<int32_t> ids;
  for (const int32_t id : {s.eos, s.turn_end, s.tool_response_start}) {
    if (id >= 0 && id < size()) ids.push_back(id);
  }
  std::sort(ids.begin(), ids.end());
  ids.erase(std::unique(ids.begin(), ids.end()), ids.end());
  return ids;
}

Result<int32_t> Tokenizer::SpecialTokenId(std::string_view text) const {
  const std::vector<int32_t> ids =
      Encode(text, {.add_bos = false, .parse_special = true});
  if (ids.size() != 1) {
    return Unsupported("the model's vocabulary has no '" + std::string(text) +
                       "' token");
  }
  return ids[0];
}

}  // namespace vigil::tokenizer
