// SPDX-License-Identifier: Apache-2.0
// Writes an edited copy of a GGUF (keys or tensors dropped, replaced or
// added) with the real GGUF writer, for bad-input tests.
#pragma once

#include <functional>
#include <string>
#include <string_view>

#include "common/status.h"
#include "inference/gguf/reader.h"
#include "inference/gguf/writer.h"

namespace vigil::text::testing {

struct ModelEdit {
  // Returns true for metadata keys to leave out.
  std::function<bool(std::string_view key)> drop_key;
  // Returns true for tensors to leave out.
  std::function<bool(std::string_view name)> drop_tensor;
  // Adds replacement or extra keys and tensors (after the copied ones).
  std::function<void(const gguf::GgufFile& src, gguf::GgufWriter& w)> add;
};

// Copies `src_path` with `edit` applied to `<test tmpdir>/<out_name>` and
// returns the new path.
Result<std::string> WriteEditedCopy(const std::string& src_path,
                                    const ModelEdit& edit,
                                    const std::string& out_name);

}  // namespace vigil::text::testing
