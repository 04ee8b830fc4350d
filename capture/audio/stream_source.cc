// SPDX-License-Identifier: Apache-2.0
// AudioClipSource over DecodeAudioTrack (camera RTSP/HTTP streams, files).
#include "capture/audio/clip_source.h"
#include "capture/audio/libav_audio.h"

namespace vigil::capture::audio {
namespace {

class StreamAudioSource : public AudioClipSource {
 public:
  explicit StreamAudioSource(std::string url) : url_(std::move(url)) {}
  Result<PcmAudio> Capture(double seconds) override {
    return DecodeAudioTrack(url_, {.sample_rate = 16000,
                                   .max_seconds = seconds,
                                   .timeout_s = seconds + 10.0,
                                   .rtsp_tcp = true});
  }
  std::string Describe() const override { return "stream audio " + url_; }

 private:
  std::string url_;
};

}  // namespace

std::unique_ptr<AudioClipSource> MakeStreamAudioSource(std::string url) {
  return std::make_unique<StreamAudioSource>(std::move(url));
}

}  // namespace vigil::capture::audio
