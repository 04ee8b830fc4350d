// SPDX-License-Identifier: Apache-2.0
// AudioClipSource over an ALSA capture device: 16-bit mono at 16 kHz (ALSA's
// plug layer converts), read in 100 ms periods until the clip is full.
#include <alsa/asoundlib.h>

#include <algorithm>
#include <vector>

#include "capture/audio/clip_source.h"

namespace vigil::capture::audio {
namespace {

constexpr unsigned kRate = 16000;

class AlsaSource : public AudioClipSource {
 public:
  explicit AlsaSource(std::string device) : device_(std::move(device)) {}

  Result<PcmAudio> Capture(double seconds) override {
    if (!(seconds > 0 && seconds <= 600)) {
      return InvalidArgument("clip length must be in (0, 600] s");
    }
    snd_pcm_t* pcm = nullptr;
    int err = snd_pcm_open(&pcm, device_.c_str(), SND_PCM_STREAM_CAPTURE, 0);
    if (err < 0) {
      return Unavailable("cannot open ALSA device '" + device_ +
                         "': " + snd_strerror(err));
    }
    err = snd_pcm_set_params(pcm, SND_PCM_FORMAT_S16_LE,
                             SND_PCM_ACCESS_RW_INTERLEAVED, 1, kRate, 1,
                             500000);
    if (err < 0) {
      snd_pcm_close(pcm);
      return Unsupported("ALSA device '" + device_ +
                         "' rejects 16 kHz mono S16: " + snd_strerror(err));
    }
    PcmAudio out{.sample_rate = kRate, .channels = 1, .samples = {}};
    const size_t want = size_t(seconds * kRate);
    std::vector<int16_t> buf(kRate / 10);
    while (out.samples.size() < want) {
      const snd_pcm_uframes_t n = std::min(buf.size(), want - out.samples.size());
      snd_pcm_sframes_t got = snd_pcm_readi(pcm, buf.data(), n);
      if (got < 0) got = snd_pcm_recover(pcm, int(got), 1);  // overrun
      if (got < 0) {
        snd_pcm_close(pcm);
        return Unavailable("ALSA read from '" + device_ +
                           "' failed: " + snd_strerror(int(got)));
      }
      for (snd_pcm_sframes_t i = 0; i < got; ++i) {
        out.samples.push_back(buf[size_t(i)] / 32768.0f);
      }
    }
    snd_pcm_close(pcm);
    return out;
  }
  std::string Describe() const override { return "ALSA " + device_; }

 private:
  std::string device_;
};

}  // namespace

Result<std::unique_ptr<AudioClipSource>> MakeAlsaSource(std::string device) {
  return std::unique_ptr<AudioClipSource>(new AlsaSource(std::move(device)));
}

}  // namespace vigil::capture::audio
