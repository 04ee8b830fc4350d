// SPDX-License-Identifier: Apache-2.0
#include "inference/audio/media_prompt.h"

#include <string>

#include "inference/audio/audio_prompt.h"
#include "inference/tokenizer/chat_template.h"
#include "inference/vision/image_prompt.h"

namespace vigil::mm {

Result<MediaMarkers> FindMediaMarkers(const tokenizer::Tokenizer& tok,
                                      bool audio) {
  MediaMarkers m;
  VIGIL_ASSIGN_OR_RETURN(m.image_placeholder, tok.SpecialTokenId("<|image|>"));
  VIGIL_ASSIGN_OR_RETURN(m.begin_image, tok.SpecialTokenId("<|image>"));
  VIGIL_ASSIGN_OR_RETURN(m.end_image, tok.SpecialTokenId("<image|>"));
  if (audio) {
    VIGIL_ASSIGN_OR_RETURN(m.audio_placeholder, tok.SpecialTokenId("<|audio|>"));
    VIGIL_ASSIGN_OR_RETURN(m.begin_audio, tok.SpecialTokenId("<|audio>"));
    VIGIL_ASSIGN_OR_RETURN(m.end_audio, tok.SpecialTokenId("<audio|>"));
  }
  return m;
}

size_t MediaPrompt::Count(MediaKind kind) const {
  size_t n = 0;
  for (MediaKind k : media) n += k == kind ? 1 : 0;
  return n;
}

size_t MediaPrompt::TextTokens() const {
  size_t n = 0;
  for (const auto& t : text) n += t.size();
  return n;
}

MediaPrompt SplitAtMedia(std::span<const int32_t> ids, const MediaMarkers& m,
                         bool add_markers) {
  MediaPrompt p;
  p.text.emplace_back();
  for (int32_t id : ids) {
    const bool image = id == m.image_placeholder;
    const bool audio = m.audio_placeholder >= 0 && id == m.audio_placeholder;
    if (!image && !audio) {
      p.text.back().push_back(id);
      continue;
    }
    if (add_markers) p.text.back().push_back(image ? m.begin_image
                                                   : m.begin_audio);
    p.media.push_back(image ? MediaKind::kImage : MediaKind::kAudio);
    p.text.emplace_back();
    if (add_markers) p.text.back().push_back(image ? m.end_image
                                                   : m.end_audio);
  }
  return p;
}

Result<MediaPrompt> RenderMediaPrompt(const tokenizer::Tokenizer& tok,
                                      const MediaTurn& turn) {
  using tokenizer::ChatMessage;
  using tokenizer::ChatRole;
  using tokenizer::PartKind;
  std::vector<ChatMessage> chat;
  if (!turn.system.empty()) {
    chat.push_back(ChatMessage::Text(ChatRole::kSystem, turn.system));
  }
  ChatMessage user{.role = ChatRole::kUser, .parts = {}};
  for (size_t i = 0; i < turn.n_images; ++i) {
    user.parts.push_back({.kind = PartKind::kImage, .text = {}});
  }
  if (turn.audio) user.parts.push_back({.kind = PartKind::kAudio, .text = {}});
  user.parts.push_back({.kind = PartKind::kText, .text = turn.user});
  chat.push_back(std::move(user));
  VIGIL_ASSIGN_OR_RETURN(std::string text, tokenizer::RenderChat(chat));
  VIGIL_ASSIGN_OR_RETURN(MediaMarkers markers,
                         FindMediaMarkers(tok, turn.audio));
  MediaPrompt p = SplitAtMedia(
      tok.Encode(text, {.add_bos = true, .parse_special = true}), markers,
      /*add_markers=*/true);
  if (p.Count(MediaKind::kImage) != turn.n_images ||
      p.Count(MediaKind::kAudio) != (turn.audio ? 1u : 0u)) {
    return InternalError(
        "chat template placed " + std::to_string(p.Count(MediaKind::kImage)) +
        " images and " + std::to_string(p.Count(MediaKind::kAudio)) +
        " audio clips, expected " + std::to_string(turn.n_images) + " and " +
        (turn.audio ? "1" : "0"));
  }
  return p;
}

Status PrefillMedia(text::Session& session, const MediaPrompt& prompt,
                    const MediaInputs& in) {
  if (prompt.text.size() != prompt.media.size() + 1) {
    return InvalidArgument("media prompt has " +
                           std::to_string(prompt.text.size()) +
                           " text segments for " +
                           std::to_string(prompt.media.size()) + " media");
  }
  if (prompt.Count(MediaKind::kImage) != in.images.size() ||
      (prompt.Count(MediaKind::kAudio) > 0 && in.audio == nullptr)) {
    return InvalidArgument(
        "the prompt holds " +
        std::to_string(prompt.Count(MediaKind::kImage)) + " images and " +
        std::to_string(prompt.Count(MediaKind::kAudio)) + " audio clips; " +
        std::to_string(in.images.size()) + " images and " +
        (in.audio ? "a clip" : "no clip") + " were given");
  }
  size_t next_image = 0;
  for (size_t i = 0; i < prompt.media.size(); ++i) {
    if (prompt.media[i] == MediaKind::kImage) {
      VIGIL_RETURN_IF_ERROR(PrefillImage(session, prompt.text[i],
                                         in.images[next_image++],
                                         ImageAttention::kBidirectional));
    } else {
      VIGIL_RETURN_IF_ERROR(audio::PrefillAudio(session, prompt.text[i],
                                                *in.audio, in.audio_ubatch));
    }
  }
  return OkStatus();
}

}  // namespace vigil::mm
