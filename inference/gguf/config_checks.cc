// SPDX-License-Identifier: Apache-2.0
#include "inference/gguf/config_checks.h"

#include <string>

#include "inference/gguf/names.h"

namespace vigil::gguf {

Status CheckKeyRange(std::string_view key, uint64_t value, uint64_t lo,
                     uint64_t hi) {
  if (value < lo || value > hi) {
    return Corrupt(std::string(key) + " = " + std::to_string(value) +
                   " is outside the supported range [" + std::to_string(lo) +
                   ", " + std::to_string(hi) + "]");
  }
  return OkStatus();
}

Status CheckMmprojTower(const GgufFile& f, const MmprojTower& tower) {
  VIGIL_ASSIGN_OR_RETURN(std::string_view arch,
                         f.GetString(key::kArchitecture));
  if (arch != key::kArchClip) {
    return Unsupported("general.architecture is '" + std::string(arch) +
                       "', expected 'clip' (an mmproj file); did you swap "
                       "--model and --mmproj?");
  }
  VIGIL_ASSIGN_OR_RETURN(bool has, f.GetBoolOr(tower.has_key, false));
  if (!has) {
    return Unsupported("mmproj has no " + std::string(tower.modality) +
                       " encoder (" + std::string(tower.has_key) +
                       " is false); use the mmproj of Gemma 4 E2B or E4B");
  }
  VIGIL_ASSIGN_OR_RETURN(std::string_view legacy,
                         f.GetStringOr(key::kClipProjectorType, ""));
  VIGIL_ASSIGN_OR_RETURN(std::string_view proj,
                         f.GetStringOr(tower.projector_key, legacy));
  if (proj != tower.projector) {
    return Unsupported(std::string(tower.modality) + " projector type is '" +
                       std::string(proj) + "'; only '" +
                       std::string(tower.projector) +
                       "' (Gemma 4 E2B/E4B) is supported");
  }
  return OkStatus();
}

}  // namespace vigil::gguf
