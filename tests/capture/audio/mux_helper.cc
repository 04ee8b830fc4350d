// SPDX-License-Identifier: Apache-2.0
#include "tests/capture/audio/mux_helper.h"

#include <algorithm>
#include <cmath>
#include <vector>

extern "C" {
#include <libavcodec/avcodec.h>
#include <libavformat/avformat.h>
}

namespace vigil::capture::audio::testing {
namespace {

// Sends `frame` (nullptr flushes) and writes every packet that comes out.
int Drain(AVCodecContext* c, AVFormatContext* fmt, AVStream* st, AVFrame* frame) {
  int err = avcodec_send_frame(c, frame);
  if (err < 0) return err;
  AVPacket* pkt = av_packet_alloc();
  while ((err = avcodec_receive_packet(c, pkt)) == 0) {
    av_packet_rescale_ts(pkt, c->time_base, st->time_base);
    pkt->stream_index = st->index;
    av_interleaved_write_frame(fmt, pkt);
  }
  av_packet_free(&pkt);
  return err == AVERROR(EAGAIN) || err == AVERROR_EOF ? 0 : err;
}

}  // namespace

Status MuxFlac(std::span<const float> x, int rate, int channels,
               const std::string& path) {
  AVFormatContext* fmt = nullptr;
  if (avformat_alloc_output_context2(&fmt, nullptr, "matroska", path.c_str()) < 0) {
    return InternalError("no matroska muxer");
  }
  const AVCodec* codec = avcodec_find_encoder(AV_CODEC_ID_FLAC);
  AVStream* st = avformat_new_stream(fmt, nullptr);
  AVCodecContext* c = avcodec_alloc_context3(codec);
  c->sample_rate = rate;
  c->sample_fmt = AV_SAMPLE_FMT_S16;
  av_channel_layout_default(&c->ch_layout, channels);
  c->time_base = {1, rate};
  Status status = OkStatus();
  if (avcodec_open2(c, codec, nullptr) < 0 ||
      avcodec_parameters_from_context(st->codecpar, c) < 0 ||
      avio_open(&fmt->pb, path.c_str(), AVIO_FLAG_WRITE) < 0 ||
      avformat_write_header(fmt, nullptr) < 0) {
    status = InternalError("cannot set up the FLAC encoder/muxer for " + path);
  }
  const size_t frames = x.size() / size_t(channels);
  const int fs = c->frame_size > 0 ? c->frame_size : 1024;
  AVFrame* f = av_frame_alloc();
  for (size_t pos = 0; status.ok() && pos < frames; pos += size_t(fs)) {
    const int n = int(std::min<size_t>(size_t(fs), frames - pos));
    f->nb_samples = n;
    f->format = c->sample_fmt;
    av_channel_layout_copy(&f->ch_layout, &c->ch_layout);
    f->sample_rate = rate;
    av_frame_get_buffer(f, 0);
    int16_t* d = reinterpret_cast<int16_t*>(f->data[0]);
    for (int i = 0; i < n * channels; ++i) {
      d[i] = int16_t(std::lround(std::clamp(x[pos * channels + i], -1.0f, 1.0f) * 32767));
    }
    f->pts = int64_t(pos);
    if (Drain(c, fmt, st, f) < 0) status = InternalError("FLAC encode failed");
    av_frame_unref(f);
  }
  if (status.ok()) {
    Drain(c, fmt, st, nullptr);
    av_write_trailer(fmt);
  }
  av_frame_free(&f);
  avcodec_free_context(&c);
  if (fmt->pb) avio_closep(&fmt->pb);
  avformat_free_context(fmt);
  return status;
}

}  // namespace vigil::capture::audio::testing
