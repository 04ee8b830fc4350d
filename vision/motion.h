// SPDX-License-Identifier: Apache-2.0
// Per-camera motion detection on successive snapshots: an adaptive
// background (running average on a downscaled grey frame), global
// lighting changes cancelled, noise blurred away, masked areas ignored, and
// the changed regions returned in full-frame pixels. Pure computation.
#pragma once

#include <cstdint>
#include <memory>
#include <vector>

#include "common/status.h"
#include "vision/gemma_preprocess.h"

namespace vigil::vision {

// A point in frame fractions: (0, 0) top-left, (1, 1) bottom-right, so
// masks survive a camera resolution change.
struct PointF {
  float x = 0;
  float y = 0;
};

struct Rect {
  int32_t x = 0;
  int32_t y = 0;
  int32_t width = 0;
  int32_t height = 0;
  int64_t area() const { return int64_t(width) * height; }
};

struct MotionOptions {
  // Areas to ignore (trees, a busy street, a timestamp overlay).
  std::vector<std::vector<PointF>> masks;
  // 0 = only large, contrasty changes; 1 = the faintest. Sets the grey-level
  // threshold (from 60 down to 8).
  float sensitivity = 0.5f;
  // Smallest region that counts, as a fraction of the frame area.
  float min_area = 0.003f;
  // Background adaptation per frame (0 < rate <= 1): how fast a parked car
  // becomes background.
  float learning_rate = 0.25f;
  int32_t analysis_width = 320;  // frames are compared at this width
};

// InvalidArgument naming the field: sensitivity/min_area/learning_rate out
// of range, masks with < 3 points or points outside [0, 1].
Status Validate(const MotionOptions& options);

struct MotionResult {
  bool motion = false;
  float score = 0;              // changed fraction of the unmasked frame
  std::vector<Rect> regions;    // full-frame pixels, largest first
  Rect bounds;                  // union of `regions` (empty without motion)
  bool first_frame = false;     // background (re)initialised: no verdict
};

// One per camera. Thread-compatible.
class MotionDetector {
 public:
  // `options` must pass `Validate`.
  explicit MotionDetector(MotionOptions options);
  ~MotionDetector();
  MotionDetector(MotionDetector&&) noexcept;
  MotionDetector& operator=(MotionDetector&&) noexcept;

  // Compares `frame` with the background, then folds it into the
  // background. A size change restarts the background (first_frame).
  // InvalidArgument for an empty or inconsistent image.
  Result<MotionResult> Update(const RgbImage& frame);
  void Reset();

 private:
  struct State;
  MotionOptions options_;
  std::unique_ptr<State> state_;
};

}  // namespace vigil::vision
