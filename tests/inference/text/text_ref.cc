// SPDX-License-Identifier: Apache-2.0
#include "tests/inference/text/text_ref.h"

#include <algorithm>
#include <filesystem>

#include <gtest/gtest.h>

#include "tests/golden/golden.h"

namespace vigil::text::testing {

std::string Variant::secondary() const {
  return is_f32 ? "exactgelu" : "dequantF32_exactgelu";
}

std::vector<float> Variant::Floats(const std::string& file) const {
  auto r = golden::ReadF32(dir + "/" + file);
  EXPECT_TRUE(r.ok()) << r.status().ToString();
  return r.ok() ? std::move(r).value() : std::vector<float>{};
}

std::vector<Variant> FindVariants() {
  namespace fs = std::filesystem;
  std::vector<Variant> out;
  const fs::path root = golden::RefPath("text");
  std::error_code ec;
  for (const auto& model : fs::directory_iterator(root, ec)) {
    if (!model.is_directory()) continue;
    for (const auto& type : fs::directory_iterator(model.path(), ec)) {
      const fs::path json = type.path() / "reference.json";
      if (!fs::exists(json)) continue;
      auto ref = golden::ReadJson(json.string());
      if (!ref.ok()) continue;
      Variant v;
      v.name = model.path().filename().string() + "/" +
               type.path().filename().string();
      v.dir = type.path().string();
      v.ref = std::move(ref).value();
      v.model_path = (root / v.ref["model_file"].get<std::string>()).string();
      v.is_f32 = type.path().filename() == "F32";
      out.push_back(std::move(v));
    }
  }
  std::sort(out.begin(), out.end(),
            [](const Variant& a, const Variant& b) { return a.name < b.name; });
  return out;
}

}  // namespace vigil::text::testing
