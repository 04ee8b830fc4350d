// SPDX-License-Identifier: Apache-2.0
// What the engine subcommands (generate, describe, describe --audio) share:
// number and id-list flags, the thread count, streaming the answer to stdout
// and the golden-check dumps, and the help/usage/exit-code frame.
#pragma once

#include <algorithm>
#include <cstdint>
#include <cstdio>
#include <span>
#include <sstream>
#include <string>
#include <vector>

#include "common/status.h"
#include "inference/kernels/matmul.h"
#include "inference/text/gemma4.h"
#include "inference/text/generate.h"
#include "inference/tokenizer/tokenizer.h"

namespace vigil::app {

// Parses a whole-string number or returns InvalidArgument naming the flag.
template <typename T>
Result<T> ParseNumber(const std::string& flag, const std::string& s) {
  std::istringstream in(s);
  T v{};
  if (!(in >> v) || !in.eof()) {
    return InvalidArgument(flag + ": not a number: '" + s + "'");
  }
  return v;
}

// Parses the comma-separated ids of --prompt-ids.
Result<std::vector<int32_t>> ParseIds(const std::string& list);

// Parses --precision (quantized | float32).
Result<kernels::MatMulPrecision> ParsePrecision(const std::string& value);

// InvalidArgument unless --threads is 0 (all cores) to 256.
Status CheckThreads(int threads);

// `threads` when > 0, else one per hardware thread.
int ThreadsOrAllCores(int threads);

// The file dumps for golden checks from outside the test suite.
struct AnswerDumps {
  std::string logits_out;  // raw float32 logits of the last prompt position
  std::string ids_out;     // generated ids, one per line
};

// Generates after `prompt` from the session's position, streams each piece
// to stdout, stops at the tokenizer's end-of-generation ids and then writes
// the dumps asked for (each atomically: never half a file).
Result<text::GenerateStats> StreamAnswer(text::Session& session,
                                         const tokenizer::Tokenizer& tok,
                                         std::span<const int32_t> prompt,
                                         int max_tokens,
                                         const text::SamplerOptions& sampling,
                                         const AnswerDumps& dumps);

// Writes `n` bytes to `path` atomically (temp file, fsync, rename).
Status WriteDump(const std::string& path, const void* data, size_t n);

// The frame of every engine subcommand: --help prints `usage` (exit 0), a
// flag error prints it after the message (exit 2), a run error prints the
// status (exit 1).
template <typename Parse, typename Run>
int RunCommand(const char* name, const std::vector<std::string>& args,
               const char* usage, Parse&& parse, Run&& run) {
  if (std::find(args.begin(), args.end(), "--help") != args.end()) {
    std::fputs(usage, stdout);
    return 0;
  }
  auto flags = parse(args);
  if (!flags.ok()) {
    std::fprintf(stderr, "vigil %s: %s\n%s", name,
                 flags.status().message().c_str(), usage);
    return 2;
  }
  const Status st = run(std::move(flags).value());
  if (!st.ok()) {
    std::fprintf(stderr, "vigil %s: %s\n", name, st.ToString().c_str());
    return 1;
  }
  return 0;
}

}  // namespace vigil::app
