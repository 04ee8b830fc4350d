// SPDX-License-Identifier: Apache-2.0
// Which Highway targets the kernels compile: AVX2, AVX-512 (AVX3), AVX-512
// VNNI (AVX3_DL), NEON, SSE4 and the portable fallback. Include before
// hwy/foreach_target.h in every kernel translation unit.
#pragma once

#ifndef HWY_WANT_AVX3_DL
#define HWY_WANT_AVX3_DL 1
#endif
#ifndef HWY_DISABLED_TARGETS
// SSSE3 adds build time for CPUs older than 2008; SSE4 covers them.
#define HWY_DISABLED_TARGETS (HWY_SSSE3)
#endif
