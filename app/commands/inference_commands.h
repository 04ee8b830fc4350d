// SPDX-License-Identifier: Apache-2.0
// The engine subcommands of `vigil`: text generation and model inspection.
// Each takes the words after its name and returns the process exit code
// (0 ok, 1 runtime error, 2 usage error).
#pragma once

#include <string>
#include <vector>

namespace vigil::app {

// `vigil generate --model FILE [--prompt TEXT | --prompt-file F |
// --prompt-ids 2,105,...] [--system TEXT] [--think] [--max-tokens N]
// [--temp T] [--top-k K] [--top-p P] [--min-p M] [--seed S] [--greedy]
// [--threads N] [--ctx N] [--precision quantized|float32]
// [--logits-out FILE] [--ids-out FILE]`: streams the answer to stdout and
// prints prompt and generation tokens/s to stderr.
int RunGenerateCommand(const std::vector<std::string>& args);

// `vigil model info FILE [--ctx N]`: architecture, sizes, per-layer table,
// tensor types and memory needs.
int RunModelInfoCommand(const std::vector<std::string>& args);

// `vigil describe --model TEXT.gguf --mmproj MMPROJ.gguf --image FILE
// [--audio FILE] [--budget 280] [--prompt TEXT | --prompt-ids ...]
// [--threads N] [--max-tokens N] [--greedy] [--embeddings-out F]
// [--logits-out F] [--ids-out F]` (or --audio without --image): answers
// about the media and prints timings to stderr.
int RunDescribeCommand(const std::vector<std::string>& args);

}  // namespace vigil::app
