// SPDX-License-Identifier: Apache-2.0
// The text golden sets in shared/ref/text: one `Variant` per
// `<model>/<TYPE>/reference.json`, discovered at run time so every model and
// prompt present is tested (shared/ref/text/README.md).
#pragma once

#include <string>
#include <vector>

#include <nlohmann/json.hpp>

namespace vigil::text::testing {

struct Variant {
  std::string name;        // "gemma4-e2b-tiny/Q4_K_M"
  std::string dir;         // folder of reference.json
  std::string model_path;  // the GGUF
  bool is_f32 = false;
  nlohmann::json ref;      // reference.json
  std::vector<nlohmann::json> prompts() const { return ref["prompts"]; }
  // "exactgelu" (F32) or "dequantF32_exactgelu" (quantized).
  std::string secondary() const;
  // Reads `<dir>/<file>` as float32 (test failure if absent).
  std::vector<float> Floats(const std::string& file) const;
};

// Returns every variant found under shared/ref/text (may be empty).
std::vector<Variant> FindVariants();

}  // namespace vigil::text::testing
