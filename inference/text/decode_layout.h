// SPDX-License-Identifier: Apache-2.0
// Weight matrices re-laid once at load for this CPU's decode kernels.
#pragma once

#include "common/status.h"
#include "inference/gguf/mapped_file.h"
#include "inference/text/weights.h"

namespace vigil::text {

// Copies every matrix of `w` that this CPU decodes faster in another layout
// (kernels::DecodesFasterAsQuads; not the per-layer embedding table, which
// is looked up, not multiplied) into one anonymous buffer, points `w` at the
// copies and releases the file pages they came from, so resident memory
// does not double. Returns the buffer (empty when nothing was copied); it
// must outlive `w`. kIo if the memory cannot be had.
Result<gguf::AnonymousPages> RepackForDecode(ModelWeights* w);

// Bytes RepackForDecode would copy for `w` on this CPU.
size_t RepackForDecodeBytes(const ModelWeights& w);

}  // namespace vigil::text
