// SPDX-License-Identifier: Apache-2.0
#include "capture/audio/libav_audio.h"

#include <chrono>
#include <memory>
#include <string>
#include <vector>

extern "C" {
#include <libavcodec/avcodec.h>
#include <libavformat/avformat.h>
#include <libavutil/opt.h>
#include <libswresample/swresample.h>
}

namespace vigil::capture::audio {
namespace {

using Clock = std::chrono::steady_clock;

std::string AvError(int err) {
  char buf[AV_ERROR_MAX_STRING_SIZE] = {};
  av_strerror(err, buf, sizeof buf);
  return buf;
}

struct FormatCloser {
  void operator()(AVFormatContext* c) const { avformat_close_input(&c); }
};
struct CodecCloser {
  void operator()(AVCodecContext* c) const { avcodec_free_context(&c); }
};
struct SwrCloser {
  void operator()(SwrContext* c) const { swr_free(&c); }
};
struct FrameCloser {
  void operator()(AVFrame* f) const { av_frame_free(&f); }
};
struct PacketCloser {
  void operator()(AVPacket* p) const { av_packet_free(&p); }
};

// Aborts blocking libav I/O once the deadline passes.
int Interrupt(void* opaque) {
  return Clock::now() > *static_cast<Clock::time_point*>(opaque) ? 1 : 0;
}

// The decode state of one call; owns every libav object.
struct Decoder {
  std::unique_ptr<AVFormatContext, FormatCloser> fmt;
  std::unique_ptr<AVCodecContext, CodecCloser> codec;
  std::unique_ptr<SwrContext, SwrCloser> swr;
  int stream = -1;
  Clock::time_point deadline;
};

Status Open(const std::string& url, const LibavAudioOptions& o, Decoder* d) {
  AVFormatContext* raw = avformat_alloc_context();
  if (raw == nullptr) return InternalError("avformat_alloc_context failed");
  raw->interrupt_callback = {&Interrupt, &d->deadline};
  AVDictionary* opts = nullptr;
  if (o.rtsp_tcp) av_dict_set(&opts, "rtsp_transport", "tcp", 0);
  av_dict_set(&opts, "rw_timeout",
              std::to_string(int64_t(o.timeout_s * 1e6)).c_str(), 0);
  int err = avformat_open_input(&raw, url.c_str(), nullptr, &opts);
  av_dict_free(&opts);
  if (err < 0) {  // avformat_open_input frees `raw` on failure
    if (Clock::now() > d->deadline) return Unavailable("opening '" + url + "' timed out");
    return IoError("cannot open '" + url + "': " + AvError(err));
  }
  d->fmt.reset(raw);
  if ((err = avformat_find_stream_info(raw, nullptr)) < 0) {
    return IoError("cannot read stream info of '" + url + "': " + AvError(err));
  }
  const AVCodec* dec = nullptr;
  d->stream = av_find_best_stream(raw, AVMEDIA_TYPE_AUDIO, -1, -1, &dec, 0);
  if (d->stream == AVERROR_STREAM_NOT_FOUND) {
    return NotFound("'" + url + "' has no audio track");
  }
  if (d->stream < 0 || dec == nullptr) {
    const AVStream* s = d->stream >= 0 ? raw->streams[d->stream] : nullptr;
    return Unsupported("no decoder for the audio codec of '" + url + "'" +
                       (s ? std::string(" (") + avcodec_get_name(s->codecpar->codec_id) + ")" : ""));
  }
  d->codec.reset(avcodec_alloc_context3(dec));
  if (!d->codec) return InternalError("avcodec_alloc_context3 failed");
  avcodec_parameters_to_context(d->codec.get(), raw->streams[d->stream]->codecpar);
  if ((err = avcodec_open2(d->codec.get(), dec, nullptr)) < 0) {
    return Unsupported("cannot open the " + std::string(dec->name) +
                       " decoder: " + AvError(err));
  }
  return OkStatus();
}

Status MakeResampler(const LibavAudioOptions& o, Decoder* d) {
  AVCodecContext* c = d->codec.get();
  if (c->sample_rate <= 0 || c->ch_layout.nb_channels <= 0) {
    return Corrupt("audio track reports " + std::to_string(c->sample_rate) +
                   " Hz and " + std::to_string(c->ch_layout.nb_channels) +
                   " channels");
  }
  AVChannelLayout mono = AV_CHANNEL_LAYOUT_MONO;
  SwrContext* swr = nullptr;
  int err = swr_alloc_set_opts2(&swr, &mono, AV_SAMPLE_FMT_FLT, int(o.sample_rate),
                                &c->ch_layout, c->sample_fmt, c->sample_rate, 0,
                                nullptr);
  // Average the channels (as DownmixToMono does) instead of libswresample's
  // default -3 dB per channel, so all sources agree on loudness.
  const int in_ch = c->ch_layout.nb_channels;
  std::vector<double> matrix(size_t(in_ch), 1.0 / in_ch);
  if (err >= 0 && swr != nullptr) err = swr_set_matrix(swr, matrix.data(), in_ch);
  if (err < 0 || swr == nullptr || (err = swr_init(swr)) < 0) {
    swr_free(&swr);
    return Unsupported("cannot convert " + std::string(av_get_sample_fmt_name(c->sample_fmt) ? av_get_sample_fmt_name(c->sample_fmt) : "?") +
                       " audio to 16 kHz mono: " + AvError(err));
  }
  d->swr.reset(swr);
  return OkStatus();
}

// Converts one decoded frame (or flushes with nullptr) into `out`.
void Convert(Decoder* d, const AVFrame* f, size_t max_frames, PcmAudio* out) {
  const int in_n = f ? f->nb_samples : 0;
  const int cap = swr_get_out_samples(d->swr.get(), in_n);
  if (cap <= 0) return;
  const size_t old = out->samples.size();
  out->samples.resize(old + size_t(cap));
  uint8_t* dst = reinterpret_cast<uint8_t*>(out->samples.data() + old);
  const int got = swr_convert(d->swr.get(), &dst, cap,
                              f ? const_cast<const uint8_t**>(f->extended_data) : nullptr,
                              in_n);
  out->samples.resize(old + size_t(std::max(got, 0)));
  if (out->samples.size() > max_frames) out->samples.resize(max_frames);
}

}  // namespace

Result<PcmAudio> DecodeAudioTrack(const std::string& url,
                                  const LibavAudioOptions& o) {
  if (o.sample_rate < 1000 || o.sample_rate > 768000 || !(o.max_seconds > 0)) {
    return InvalidArgument("sample_rate must be in [1000, 768000] and max_seconds > 0");
  }
  Decoder d;
  d.deadline = Clock::now() + std::chrono::microseconds(int64_t(o.timeout_s * 1e6));
  VIGIL_RETURN_IF_ERROR(Open(url, o, &d));
  VIGIL_RETURN_IF_ERROR(MakeResampler(o, &d));
  PcmAudio out{.sample_rate = o.sample_rate, .channels = 1, .samples = {}};
  const size_t max_frames = size_t(o.max_seconds * o.sample_rate);
  std::unique_ptr<AVPacket, PacketCloser> pkt(av_packet_alloc());
  std::unique_ptr<AVFrame, FrameCloser> frame(av_frame_alloc());
  bool eof = false;
  while (!eof && out.samples.size() < max_frames) {
    int err = av_read_frame(d.fmt.get(), pkt.get());
    if (err == AVERROR_EOF) {
      eof = true;
      avcodec_send_packet(d.codec.get(), nullptr);
    } else if (err < 0) {
      if (Clock::now() > d.deadline) return Unavailable("reading '" + url + "' timed out");
      return IoError("cannot read '" + url + "': " + AvError(err));
    } else {
      const bool ours = pkt->stream_index == d.stream;
      if (ours) avcodec_send_packet(d.codec.get(), pkt.get());  // bad packets skipped
      av_packet_unref(pkt.get());
      if (!ours) continue;
    }
    while (avcodec_receive_frame(d.codec.get(), frame.get()) == 0) {
      Convert(&d, frame.get(), max_frames, &out);
      av_frame_unref(frame.get());
    }
  }
  if (out.samples.size() < max_frames) Convert(&d, nullptr, max_frames, &out);
  return out;
}

}  // namespace vigil::capture::audio
